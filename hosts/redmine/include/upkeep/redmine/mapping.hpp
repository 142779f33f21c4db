#pragma once
// Redmine's REST JSON to and from the tracker-neutral sync model. Pure: the adapters (the CLI with
// cpp-httplib, the browser with fetch) only move these documents over HTTP.

#include "upkeep/redmine/conventions.hpp" // generated: the names of trackers and fields

#include "upkeep/audit_status.hpp"
#include "upkeep/change_impact.hpp"
#include "upkeep/diagnostics.hpp"
#include "upkeep/sync_plan.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace upkeep::redmine {

/// Redmine names a ticket "#42" in text (and its markup links that).
inline const ticket_references reference_style{"#"};

/// What a sync needs to know about one Redmine project, discovered before any write.
struct context {
    long long project_id = 0;
    long long upkeep_user_id = 0; // the account this sync runs as
    std::set<long long>
        upkeep_user_ids;         // it and the configured sync accounts: only their keyed tickets are Upkeep's
    long long tracker_id = 0;    // "Control task"
    long long nc_tracker_id = 0; // "Nonconformity"
    long long ca_tracker_id = 0; // "Corrective action" (and verifications)
    long long key_field_id = 0;
    long long state_field_id = 0;
    long long reference_field_id = 0;
    long long grade_field_id = 0;
    long long source_field_id = 0;
    long long corrective_actions_field_id = 0;
    long long evidence_date_field_id = 0;    // optional: "Evidence date"
    long long evidence_links_field_id = 0;   // optional: "Evidence links"
    long long valid_until_field_id = 0;      // optional: "Evidence valid until"
    long long decisions_field_id = 0;        // optional: "Review decisions"
    long long follow_up_tracker_id = 0;      // "ISMS follow-up" (the change prompt and review decisions)
    long long impact_field_id = 0;           // "ISMS impact" (likewise)
    long long people_in_scope_field_id = 0;  // optional: training tickets
    long long people_completed_field_id = 0; // optional
    long long supplier_tracker_id = 0;       // optional: "Supplier", the supplier register
    long long criticality_field_id = 0;      // optional: the supplier's "Criticality"
    long long contract_end_field_id = 0;     // optional: the supplier's "Contract end"
    std::set<long long> closed_status_ids;
    long long close_status_id = 0;               // "Closed", else the first closed status
    std::map<std::string, long long> principals; // "alice" or "group:Security team" -> id
    bool plugin_lists = false; // ticket lists from Upkeep's plugin (ticket_list_query), not Redmine's own
};

/// The string value of a custom field of one issue ("" when unset).
std::string custom_value(const nlohmann::json& issue, long long field_id);

/// Whether a custom field applies to an issue (Redmine lists the fields of the issue's tracker).
bool has_custom_field(const nlohmann::json& issue, long long field_id);

/// Whether an issue of GET /issues.json is in the context's project itself (never a subproject).
bool in_project(const nlohmann::json& issue, const context& ctx);

/// Whether an issue's status is a closed one.
bool is_closed(const nlohmann::json& issue, const context& ctx);

/// Pages of 100: adds the page's items (`list`: "issues", "memberships") to `offset` and says whether
/// more remain to be read.
bool more_pages(const nlohmann::json& page, const char* list, std::size_t& offset);

/// Hands a GET's answer to a session's reader. Natively, an answer of an unexpected shape (a type error)
/// becomes `fail(what went wrong)`; the wasm build has no exceptions, and such an answer aborts it (see
/// CMakeLists.txt).
template <typename Take, typename Fail> void take_answer(Take&& take, Fail&& fail) {
#if defined(__cpp_exceptions)
    try {
        take();
    } catch (const std::exception& e) {
        fail(std::string(e.what()));
    }
#else
    (void)fail;
    take();
#endif
}

/// Percent-encodes a query value.
std::string url_escape(std::string_view text);

/// Builds the context from GET /users/current.json, GET
/// /projects/ID.json?include=trackers,issue_custom_fields and GET /issue_statuses.json; every missing piece
/// is a problem that says how to fix it.
context discover(const nlohmann::json& current_user, const nlohmann::json& project,
                 const nlohmann::json& statuses, diagnostics& problems);

/// Adds the groups of one page of GET /projects/ID/memberships.json as "group:NAME"; returns the ids of
/// its users, whose logins need GET /users/ID.json (memberships name users, not logins).
std::vector<long long> add_memberships(context& ctx, const nlohmann::json& page);

/// Adds a user from GET /users/ID.json by login.
void add_user(context& ctx, const nlohmann::json& user);

/// The owners the plan assigns to that are not members of the project (in `context.principals`).
std::vector<std::string> unknown_owners(const sync_plan& plan, const context& ctx);

/// The tickets Upkeep created among one page of GET /issues.json: those carrying its key and created
/// by an account that acts as Upkeep. A foreign ticket that looks like one is left out, so never touched.
std::vector<tracked_ticket> tickets_from_page(const nlohmann::json& page, const context& ctx);

/// Upkeep's control tasks among one page of GET /issues.json as the status needs them: closing day,
/// the "Evidence date" (when the work was done) and whether evidence was attached ("evidence=1" in
/// Upkeep's state, written on completion).
std::vector<task_record> task_records_from_page(const nlohmann::json& page, const context& ctx);

/// Every nonconformity of one page of GET /issues.json (nonconformities_query), whoever raised it.
std::vector<nonconformity_ticket> nonconformities_from_page(const nlohmann::json& page, const context& ctx);

/// Nonconformities (a page of nonconformities_query) and Upkeep's corrective actions and verifications
/// (a page of issues_query) as the status needs them.
std::vector<finding_record> finding_records_from_page(const nlohmann::json& page, const context& ctx);

/// Where incidents live in this project: the configuration names the tracker and its fields.
struct incident_source {
    long long tracker_id = 0; // 0: the project has no such tracker
    long long severity_field_id = 0, occurred_field_id = 0, detected_field_id = 0, resolved_field_id = 0;
};
incident_source find_incident_source(const nlohmann::json& project, const metrics_policy& metrics);

/// The incidents of one page of GET /issues.json (changes_query with the incident tracker).
std::vector<incident_record> incident_records_from_page(const nlohmann::json& page, const context& ctx,
                                                        const incident_source& source);

/// A supplier of the register, from an issue of the supplier tracker in the project (else none). Its owner
/// is the assignee as Redmine names it, which the memberships make known (add_memberships).
std::optional<supplier_record> supplier_of(const nlohmann::json& issue, const context& ctx);

/// The suppliers of one page of GET /issues.json (changes_query with the supplier tracker).
std::vector<supplier_record> supplier_records_from_page(const nlohmann::json& page, const context& ctx);

/// The change tickets of one page of GET /issues.json (changes_query).
std::vector<change_record> change_records_from_page(const nlohmann::json& page, const context& ctx);

/// The follow-ups of changes among one page of GET /issues.json (issues_query): "ISMS follow-up" tickets
/// of the project with a `change:` key, whoever created them (people create them by answering).
std::vector<follow_up_record> follow_up_records_from_page(const nlohmann::json& page, const context& ctx);

/// The review decisions among one page of GET /issues.json (issues_query): Upkeep's tickets with a
/// `decision:` key.
std::vector<decision_record> decision_records_from_page(const nlohmann::json& page, const context& ctx);

/// One page of the project's tickets (not its subprojects'), open or closed, oldest first, that match
/// `filters` (Redmine's issue-list filters, "tracker_id=4&cf_1=*"). From Redmine's own list, GET
/// /issues.json, 100 a page; with ctx.plugin_lists, from Upkeep's plugin, GET
/// /projects/ID/upkeep_issues.json: the same answer without the fields Upkeep does not read, 1,000 a page,
/// many times faster (plugin-manifest/redmine/upkeep/app/controllers/upkeep_issues_controller.rb).
std::string ticket_list_query(const context& ctx, const std::string& filters, std::size_t offset);

/// The project's ISMS follow-ups whose Upkeep key contains `key_part` ("change:" for every change's,
/// "change:12:" for one change's), a page of ticket_list_query.
std::string follow_ups_query(const context& ctx, const std::string& key_part, std::size_t offset);

/// The query of GET /issues.json that reads the project's tickets of the given trackers, 100 a page.
std::string changes_query(const context& ctx, const std::vector<long long>& tracker_ids, std::size_t offset);

/// The ids of the project's trackers with these names (from GET /projects/ID.json?include=trackers).
std::vector<long long> tracker_ids(const nlohmann::json& project, const std::vector<std::string>& names);

/// The query of GET /issues.json that reads the project's nonconformities, 100 a page.
std::string nonconformities_query(const context& ctx, std::size_t offset);

/// The query of GET /issues.json that reads the project's tickets carrying an Upkeep key, 100 a page.
std::string issues_query(const context& ctx, std::size_t offset);

/// The issue for one key, for a lookup after a create whose answer was lost.
std::string issue_by_key_query(const context& ctx, const std::string& key);

/// The HTTP request of an action, and what to GET to learn whether it went through when its answer was lost.
struct request {
    std::string method; // POST (create) or PUT
    std::string path;
    std::string check;
};
request request_of(const sync_action& action, const context& ctx);

/// Whether an action is already in the tracker, from the answer to GET request_of(action).check: a
/// create's key is among Upkeep's tickets; an update or comment's state is in the issue's state field;
/// a close's issue is closed.
bool already_applied(const sync_action& action, const nlohmann::json& answer, const context& ctx);

/// The request body (`{"issue": {...}}`) of a create (POST /issues.json) or update/comment (PUT
/// /issues/ID.json).
nlohmann::json payload(const sync_action& action, const context& ctx);

} // namespace upkeep::redmine
