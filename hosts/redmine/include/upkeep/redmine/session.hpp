#pragma once
// What Redmine's sessions share: one write at a time or reads together, answers parsed as JSON, failures
// turned into what to do; the opening every session starts with (the account, the project with its trackers
// and custom fields, the statuses, the configuration); and the owner lookup (memberships name users, not
// logins). Each job is a session of its own (sync_session.hpp, status_reader.hpp, change_session.hpp,
// task_completion.hpp, page_writes.hpp); exchange.hpp runs them with the one retry policy.

#include "upkeep/redmine/mapping.hpp"

#include <upkeep/exchange.hpp>
#include <upkeep/host.hpp>
#include <upkeep/isms_config.hpp>

#include <nlohmann/json.hpp>

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace upkeep::redmine {

/// How a write whose answer was lost is known to have gone through, from the answer of its check (a GET).
struct write_check {
    enum class kind { never, key_listed, state_is, closed, gone, text_is, related, own };
    kind what = kind::never; // never: the write is not repeated blindly, nor looked up
    std::string value; // key_listed: the key; state_is: the state field's value; text_is: the page's text
    long long id = 0;  // related: the ticket that must be related to the one read
};

class session : public conversation {
public:
    std::optional<operation> next() override;
    std::optional<operation> next_alongside() override;
    bool wants_answers() const override { return out_ > 0; }
    void answer(const http_response& response) override;
    bool applied(const http_response& check) const override;
    void interrupt(const std::string& why) override;

    bool finished() const { return finished_; }
    /// The tracker's address, for messages ("cannot reach Redmine at ...") and links in notes.
    void set_address(std::string url) { address_ = std::move(url); }
    const std::string& address() const { return address_; }
    /// Why it stopped, when it did not finish its job.
    const std::optional<session_failure>& failure() const { return failure_; }

protected:
    /// GET `path`; take() gets the parsed body, null for a 404. Reads asked for together (before an answer
    /// comes) may be sent at once; their answers come in the order they were asked for, each with the
    /// `stream` it was asked with (answering()).
    void read(std::string path, int stream = 0);
    /// The stream of the read being answered.
    int answering() const { return answering_; }
    /// A write; a lost answer is looked up with GET `check`, which `went_through` judges.
    void write(std::string method, std::string path, nlohmann::json body, std::string check,
               write_check went_through, std::string label);
    /// PUT a wiki page's text, with the version read when given (Redmine answers 409 when the page moved
    /// on since); a lost answer is looked up by the page's text.
    void write_page(const std::string& path, const std::string& text, const std::string& comment,
                    std::optional<long long> version, std::string label);
    /// A check of kind `own`: the session's own judgement of its check's answer.
    virtual bool went_through(int status, const nlohmann::json& body) const;
    /// POST /uploads.json of some bytes (or of the caller's file number `file`): repeated freely, since a
    /// repeated upload only leaves an unattached file, which Redmine prunes.
    void upload(const std::string& filename, std::string bytes, int file = -1);

    /// The answer of the current operation: 2xx, or 404 of a read (body null); the session may keep the
    /// body (move from it).
    virtual void take(nlohmann::json& body, const http_response& response) = 0;
    /// Any other answer; return true when handled, else the session stops with what to do.
    virtual bool refused(const http_response& response);
    /// Once, when the session is about to stop (finished or failed): a session that holds something in the
    /// tracker sets its last operation here (the sync releases its lease); it stops once that is answered.
    /// The first failure stays the session's failure.
    virtual void stopping() {}

    void fail(failure_kind kind, std::string message, diagnostics problems = {});
    void finish();
    /// The failure to report for an answer: the request, the status and what to do.
    session_failure classify(const http_response& response) const;
    /// The last answered operation's method and path: "PUT /issues/12.json".
    std::string what() const;

    context ctx_; // the project as discovered (the opening of project_session fills it)

private:
    struct queued {
        operation op;
        int stream = 0;
    };
    std::deque<queued> queue_; // asked for and not answered yet, the oldest first
    std::size_t out_ = 0;      // of queue_, given to the exchange
    http_request last_;        // the request answered last, for messages
    int answering_ = 0;
    std::string address_; // the tracker's address, for messages
    write_check check_;
    bool finished_ = false;
    bool stopping_ = false;
    std::optional<session_failure> failure_;
};

/// A session in a project: the opening (account, project, statuses, configuration) first. A configuration
/// read from the wiki is used only when whoever saved that version may protect wiki pages in the project
/// (asked of Upkeep's plugin: the REST API does not say who may): the configuration names the accounts
/// Upkeep trusts, so those who may edit it are those Redmine lets guard it.
class project_session : public session {
public:
    struct opening {
        std::string project;                    // identifier
        std::optional<std::string> config_text; // else the project's wiki page
        bool wiki_attachments = false;          // read the page's attachments (the calendar feed's)
        bool sync_account = false; // the account must be one of the configuration's sync accounts
    };

    explicit project_session(opening open);

    const context& ctx() const { return ctx_; }
    const isms_configuration& config() const { return config_.config; }
    /// The configuration's JSON text as read (the file, or out of the wiki page).
    const std::string& config_text() const { return config_text_; }
    /// The wiki page with its attachments, as read; null when the configuration was given.
    const nlohmann::json& wiki_page() const { return wiki_page_; }
    /// Warnings of the configuration, and problems of the project setup.
    const diagnostics& problems() const { return config_.problems; }
    /// Whether the project has no configuration page yet.
    bool configuration_missing() const { return configuration_missing_; }
    /// "wiki page <configuration_page>" or "the configuration file".
    std::string config_source() const;
    /// The configuration page's version as read, in words and as its address: "wiki page
    /// ISMS_configuration, version 17 (https://redmine.example/projects/isms/wiki/ISMS_configuration/17)".
    std::string configuration_version_url() const;
    const std::string& project() const { return open_.project; }
    /// The login of the account the session runs as.
    std::string login() const;
    /// Read ticket lists from Upkeep's plugin rather than Redmine's own list (in the plugin's pages): the
    /// same tickets, many times faster (ticket_list_query).
    void read_lists_from_plugin() { plugin_lists_ = true; }

protected:
    /// The context and the configuration are read: the session's own reads begin.
    virtual void opened() = 0;
    /// The answers of the session's own reads.
    virtual void take_own(nlohmann::json& body, const http_response& response) = 0;
    /// Makes the register's suppliers activities of the configuration (supplier_reviews.hpp).
    void add_suppliers(const std::vector<supplier_record>& suppliers);

    nlohmann::json project_;

private:
    void take(nlohmann::json& body, const http_response& response) final;
    bool load_configuration(const std::string& text);
    /// The plugin's answer whether the configuration page's version (its latest when "") may be trusted.
    std::string trust_path(const std::string& version) const;

    enum class stage { account, project, statuses, wiki, trust, own };
    opening open_;
    stage stage_ = stage::account;
    nlohmann::json current_user_, wiki_page_;
    std::string wiki_config_text_; // the configuration out of the wiki page, once its version is trusted
    std::string config_text_;
    configuration_result config_;
    bool configuration_missing_ = false;
    bool plugin_lists_ = false;
    bool trust_of_version_read_ = false; // the trust was asked again, of the version read
};

/// Finds the ids of owners (logins, "group:NAME"): the project's memberships, then each member's account,
/// only as long as an owner is still unknown.
class owner_lookup {
public:
    /// The next GET, or none once every wanted owner is known or nobody is left to read.
    std::optional<std::string> next(const context& ctx, const std::vector<std::string>& wanted,
                                    const std::string& project);
    void take(context& ctx, const nlohmann::json& body);
    /// The wanted owners not found.
    static std::vector<std::string> unknown(const context& ctx, const std::vector<std::string>& wanted);

private:
    enum class stage { memberships, members };
    stage stage_ = stage::memberships;
    bool started_ = false;
    std::size_t offset_ = 0;
    std::vector<long long> members_;
};

/// Which authors of keyed tickets act as Upkeep: a ticket is Upkeep's only when the running account or one
/// of the configuration's sync accounts made it; tickets name their author by id, the configuration by
/// login, so each other author is read once (GET /users/ID.json).
class author_check {
public:
    /// Collects the authors of the keyed tickets of a page of GET /issues.json; an author whose login the
    /// page gives (Upkeep's plugin lists) is taken at once.
    void collect(context& ctx, const nlohmann::json& page, const std::vector<std::string>& accounts);
    /// Collects one author (of a calendar feed's copy, for instance), unless known already.
    void want(const context& ctx, long long author_id);
    /// The next author to read, or none (the reads may go together).
    std::optional<std::string> next();
    /// The answer of an author's read.
    void take(context& ctx, const nlohmann::json& body, const std::vector<std::string>& accounts);

private:
    std::vector<long long> authors_;
};

/// Upkeep's tickets as read: every page of its keyed tickets (issues_query), then of the nonconformities
/// (nonconformities_query), then, when wanted, of the supplier register, each page's authors collected for
/// the author check. The pages wait until every author is known: only then can a session tell which tickets
/// are Upkeep's.
class own_ticket_pages {
public:
    /// The first GET.
    static std::string first(const context& ctx);
    /// Takes a page; the next GET, or none once both lists are read.
    std::optional<std::string> take(context& ctx, nlohmann::json& page,
                                    const std::vector<std::string>& accounts);
    /// Forgets the pages, once mapped.
    void clear();

    author_check authors;
    std::vector<nlohmann::json> tickets, nonconformities, suppliers;
    bool suppliers_wanted = false; // read the supplier register too, after the nonconformities

private:
    enum class list { tickets, nonconformities, suppliers };
    list reading_ = list::tickets;
    std::size_t offset_ = 0;
};

} // namespace upkeep::redmine
