#pragma once
// An in-memory Redmine for the session tests: it answers the REST requests Upkeep's Redmine sessions send
// (http_request in, http_response out) as Redmine 5 with Upkeep's plugin does, holds what they write, and
// records every request. Faults can be injected on any request, before it is applied (nothing happened)
// or after (it happened, its answer is lost); a run is killed by no longer pumping it.
//
// Faithful where the sessions depend on it: PUT answers 204 with an empty body, POST /issues.json 201 with
// the issue; a status change the workflow does not allow is dropped silently (still 204); a stale
// lock_version is refused with 422 and no reason; a stale wiki version with 409 (unless the text stays
// as it is: nothing is saved, nothing checked); an assignee who is not a
// member, or a relation that exists already, with 422 and the reason; a new wiki page takes the version
// sent, and a wiki page whose text does not change keeps its version; values of custom fields not enabled
// for an issue's tracker and project, or that the role may not edit, are dropped; a filter on a field that
// is not filterable is ignored; `cf_N=~text` means "contains"; without status_id, only open issues are
// listed; without sort, the newest first.

#include <upkeep/exchange.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace upkeep::testing {

class memory_redmine {
public:
    struct tracker {
        long long id = 0;
        std::string name;
    };
    struct custom_field {
        long long id = 0;
        std::string name;
        std::set<long long> trackers; // the trackers it is enabled for
        bool filterable = true;
    };
    struct status {
        long long id = 0;
        std::string name;
        bool closed = false;
    };
    struct user {
        long long id = 0;
        std::string login, firstname, lastname;
        std::string name() const { return firstname + " " + lastname; }
    };
    struct journal {
        long long id = 0;
        long long user_id = 0;
        std::string notes;
    };
    struct issue {
        long long id = 0;
        long long project_id = 0;
        long long tracker_id = 0;
        long long status_id = 1;
        long long author_id = 0;
        long long assigned_to_id = 0; // 0: nobody
        std::string subject, description;
        std::string start_date, due_date; // "" when unset
        std::map<long long, std::string> custom_fields;
        std::vector<journal> journals;
        long long lock_version = 0;
        std::string created_on, closed_on;

        std::string field(long long id) const {
            const auto it = custom_fields.find(id);
            return it == custom_fields.end() ? "" : it->second;
        }
        /// The journal notes, in order, empty ones left out.
        std::vector<std::string> notes() const;
    };
    struct relation {
        long long id = 0;
        long long issue_id = 0, issue_to_id = 0;
        std::string type;
    };
    struct attachment {
        long long id = 0;
        std::string filename, description, content_type, content;
        long long author_id = 0; // who uploaded it
    };
    struct wiki_page {
        std::string text;
        long long version = 1;
        std::vector<attachment> attachments;
        long long author_id = 1; // who saved this version
    };
    struct project {
        long long id = 0;
        std::string identifier, name;
        std::vector<long long> trackers;       // enabled
        std::vector<long long> custom_fields;  // enabled issue custom fields
        std::vector<long long> member_users;   // memberships of users, in order
        std::vector<long long> member_groups;  // memberships of groups
        std::map<std::string, wiki_page> wiki; // by title
        std::set<long long> wiki_protectors;   // the users who may protect wiki pages here
    };

    /// When an injected fault strikes: instead of the request, or after it was applied (the answer lost).
    enum class timing { before, after };
    struct fault {
        std::function<bool(std::size_t number, const http_request&)> matches; // number counts from 1
        int status = 500; // 0: no answer (the connection reset)
        timing when = timing::before;
        std::optional<long> retry_after;
        int times = 1; // how many matching requests fail
    };

    // --- What it holds ----------------------------------------------------------------------------------
    std::vector<tracker> trackers;
    std::vector<custom_field> custom_fields;
    std::vector<status> statuses;
    std::vector<user> users;
    std::map<long long, std::string> groups; // id -> name
    std::vector<project> projects;
    std::map<long long, issue> issues;
    std::vector<relation> relations;
    std::map<std::string, attachment> uploads; // by token
    long long current_user = 0;                // whose API key the requests carry
    std::set<long long> close_refused;         // trackers whose workflow does not allow a closed status
    std::set<long long> read_only_fields;      // custom fields the account's role may not edit (dropped)
    bool lock_plugin = true;                   // Upkeep's plugin serves /issues/ID/upkeep_lock.json
    bool trust_plugin = true;                  // and /projects/ID/upkeep_configuration_trust.json?version=N
    long long saved_since = 0; // by whom the configuration page was saved after it was read (its trust says)
    bool trust_ignores_version = false; // a broken plugin: the trust of that later version, whatever is asked
    std::string now = "2027-03-01T09:00:00Z"; // created_on, closed_on

    // --- What it was asked ------------------------------------------------------------------------------
    std::vector<http_request> requests;
    std::vector<fault> faults;
    /// Called with each request before it is answered: what someone else does meanwhile.
    std::function<void(const http_request&)> meanwhile;

    /// Answers one request (after the faults have had their say) and records it.
    http_response handle(const http_request& request);

    /// The Nth request from now on (counting every request, from 1) fails with `status`.
    void fail_request(std::size_t number, int status, timing when = timing::before,
                      std::optional<long> retry_after = std::nullopt);
    /// The next `times` requests whose method is `method` and whose path starts with `path_prefix` fail.
    void fail_matching(std::string method, std::string path_prefix, int status, timing when = timing::before,
                       int times = 1, std::optional<long> retry_after = std::nullopt);

    /// "GET /users/current.json", one per request, in order.
    std::vector<std::string> lines() const;
    /// How many requests had this method and a path starting with `path_prefix`.
    std::size_t count(const std::string& method, const std::string& path_prefix) const;
    /// Requests that change something: POST, PUT, DELETE (uploads included).
    std::size_t writes() const;

    // --- Building it ------------------------------------------------------------------------------------
    /// Adds an issue as people (or an earlier run) made it; its id is the next free one unless given.
    issue& add_issue(issue i);
    /// A note someone adds to an issue through Redmine's pages (its lock_version moves on).
    void comment(long long issue_id, long long user_id, std::string note);
    /// A "relates" relation someone made between two issues.
    void relate(long long from, long long to);
    project& project_named(const std::string& identifier);
    /// The issues whose custom field `field_id` has the value `value`; the first of them, or null.
    std::vector<const issue*> issues_with(long long field_id, const std::string& value) const;
    const issue* issue_with(long long field_id, const std::string& value) const;

private:
    http_response route(const http_request& request);
    nlohmann::json issue_json(const issue& i, const std::set<std::string>& include) const;
    bool field_enabled(const issue& i, long long field_id) const;
    bool assignable(const project& p, long long principal) const;
    http_response list_issues(const std::multimap<std::string, std::string>& query,
                              std::size_t max_limit) const;
    http_response create_issue(const nlohmann::json& body);
    http_response update_issue(issue& i, const nlohmann::json& body);
    http_response add_relation(issue& i, const nlohmann::json& body);
    http_response put_wiki_page(project& p, const std::string& title, const nlohmann::json& body);
    project* find_project(const std::string& id_or_identifier);
    const project* find_project(const std::string& id_or_identifier) const;

    long long next_issue_ = 1, next_journal_ = 1, next_relation_ = 1, next_attachment_ = 1;
};

/// The project `rake upkeep:setup PROJECT=isms` leaves (ids fixed for the tests): project 7 "isms";
/// trackers 1 Control task, 2 Nonconformity, 3 Corrective action, 4 ISMS follow-up, 5 Change, 6 Bug (not
/// Upkeep's); custom fields 11 Upkeep key, 12 Upkeep state, 13 ISMS reference (every Upkeep tracker and
/// Change), 14 NC grade, 15 NC source, 16 Corrective actions (Nonconformity), 17 Review decisions (Control
/// task), 18 ISMS impact (Change); statuses 1 New (open), 5 Closed (closed); users 1 ciso (the account
/// the requests run as), 2 upkeep-bot, 3 mallory, and 10 itops, 11 secops, 12 hr, 13 legal,
/// 14 purchasing, 15 ceo; every user a member of the project but mallory; ciso alone may protect wiki
/// pages. One wiki page: ISMS_sync_lease, held by nobody (as the first sync leaves it).
memory_redmine isms_redmine();

namespace ids {
inline constexpr long long project = 7;
inline constexpr long long control = 1, nonconformity = 2, corrective = 3, follow_up = 4, change = 5, bug = 6;
inline constexpr long long key = 11, state = 12, reference = 13, grade = 14, source = 15, actions = 16,
                           decisions = 17, impact = 18;
inline constexpr long long open = 1, closed = 5;
inline constexpr long long ciso = 1, bot = 2, mallory = 3, itops = 10;
} // namespace ids

/// Puts a configuration (JSON text) on the project's wiki page ISMS_configuration (Markdown), saved by
/// `author` (ciso unless said).
void set_configuration(memory_redmine& redmine, const std::string& config_json, long long author = ids::ciso);

/// How a pump run ended.
struct pumped {
    bool done = false;     // the exchange said done
    std::size_t sent = 0;  // requests sent in this run
    std::size_t waits = 0; // waits skipped
};

/// Runs an exchange against the memory Redmine until it is done, skipping its waits; `stop`, asked after
/// each request, ends the run early (a killed run: the exchange is left where it was).
pumped pump(exchange& run, memory_redmine& redmine,
            const std::function<bool(std::size_t sent, const http_request& last)>& stop = {});

/// Three attempts a request, no delays: the tests skip the waits anyway.
inline retry_policy fast_retries() {
    return {.max_attempts = 3, .base_delay_ms = 0, .max_delay_ms = 0};
}

/// A session and the exchange that runs it.
template <typename Session> struct driven {
    Session* session;
    exchange run;

    explicit driven(typename Session::options options, retry_policy policy = fast_retries())
        : driven(std::make_unique<Session>(std::move(options)), policy) {}

private:
    driven(std::unique_ptr<Session> s, retry_policy policy) : session(s.get()), run(std::move(s), policy) {}
};

} // namespace upkeep::testing
