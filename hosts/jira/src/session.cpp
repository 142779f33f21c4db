// What every session of a Jira Cloud project does first (REST API v3).
//
// Design note. Upkeep's issues carry its issue property "upkeep" (indexed for JQL by Upkeep's Forge app,
// plugin-manifest/jira-cloud/manifest.yml): {"key": "control:<activity>:<due date>", "state": the ticket
// state (ticket_state.hpp), "owner" and "title" as issued, and what completing the task recorded:
// "done_on", "links", "people_in_scope", "people_completed", "valid_until"}. An issue without that
// property is not Upkeep's: never counted, never changed. The reads: the account (/myself) and the project,
// together, so that a bad token or a project the account cannot browse is said before anything else; then
// the enhanced JQL search for the project's issues with the property, one page after another (each page's
// `nextPageToken` asks for the next: Jira's pages cannot be asked for side by side). Then a session that
// writes gives one operation at a time. The configuration is given: a Jira project keeps it in Upkeep's
// app, not in an issue.

#include "upkeep/jira/session.hpp"

#include "upkeep/jira/mapping.hpp"

#include <upkeep/json_parse.hpp>
#include <upkeep/json_value.hpp>

#include <algorithm>

namespace upkeep::jira {

using json = nlohmann::json;

namespace {

constexpr int page_size = 100; // Jira's most for a search asking for fields

// Jira's own words for a refusal: its errorMessages, then its errors by field.
std::string jira_says(const std::string& body) {
    const json answer = parse_json_or_discarded(body);
    std::string said;
    if (!answer.is_object()) return said;
    for (const json& m : json_array_at(answer, "errorMessages"))
        if (m.is_string()) said += (said.empty() ? "" : "; ") + m.get<std::string>();
    for (const auto& [field, m] : json_object_at(answer, "errors").items())
        if (m.is_string()) said += (said.empty() ? "" : "; ") + field + ": " + m.get<std::string>();
    return said;
}

} // namespace

std::string jql_text(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

session::session(std::string project, std::optional<std::string> config_text, std::string address,
                 std::vector<std::string> fields)
    : project_(std::move(project)), address_(std::move(address)),
      fields_(std::move(fields)), searching_{"issue.property[" + std::string(upkeep_property) +
                                                 "].key IS NOT EMPTY",
                                             fields_,
                                             {upkeep_property},
                                             "read the issues",
                                             {}} {
    if (!config_text) {
        fail(
            failure_kind::bad_input,
            "no configuration given: a Jira project keeps it in Upkeep's app; give the file (--config FILE)");
        return;
    }
    config_text_ = std::move(*config_text);
    configuration_result parsed = parse_configuration(config_text_);
    problems_ = std::move(parsed.problems);
    if (has_errors(problems_)) {
        fail(failure_kind::bad_input, "the configuration has errors", problems_);
        return;
    }
    config_ = std::move(parsed.config);
}

bool session::made_by_upkeep(const json& issue, const std::vector<std::string>& vouched) const {
    const std::string reporter = json_value(issue, json_path{"/fields/reporter/accountId"}, std::string{});
    const auto named = [&reporter](const std::vector<std::string>& accounts) {
        return std::find(accounts.begin(), accounts.end(), reporter) != accounts.end();
    };
    return (own_account_counts_ && reporter == account_id()) || named(config_.sync.accounts) ||
           named(vouched);
}

long long session::number_in_project(const std::string& key) const {
    return key.starts_with(project_ + "-") ? number_of(key) : 0;
}

void session::read_issue(const std::string& key, const std::string& fields, const char* property) {
    if (!number_in_project(key))
        return fail(failure_kind::bad_input,
                    "issue: expected an issue of " + project_ + ", such as " + project_ + "-12");
    then({{"GET", "/rest/api/3/issue/" + key + "?fields=" + fields + "&properties=" + property, "", "", -1},
          false,
          std::nullopt,
          "read " + key});
}

std::string session::issue_type_id(const std::string& name) const {
    for (const json& type : json_array_at(project_json_, "issueTypes"))
        if (json_value(type, "name", std::string{}) == name) return json_value(type, "id", std::string{});
    return {};
}

http_request session::search_by_key(const std::string& key) const {
    const json body = json_object({{"jql", "project = " + jql_text(project_) + " AND issue.property[" +
                                               std::string(upkeep_property) + "].key = " + jql_text(key)},
                                   {"fields", json::array({"id"})}});
    return {"POST", "/rest/api/3/search/jql", body.dump(), "application/json", -1};
}

operation session::search(const std::string& token) const {
    json body = json_object(
        {{"jql", "project = " + jql_text(project_) + " AND " + searching_.clause + " ORDER BY key ASC"},
         {"fields", searching_.fields},
         {"properties", searching_.properties},
         {"maxResults", page_size}});
    if (!token.empty()) body["nextPageToken"] = token;
    if (!searching_.reconcile.empty()) body["reconcileIssues"] = searching_.reconcile;
    return {{"POST", "/rest/api/3/search/jql", body.dump(), "application/json", -1},
            false,
            std::nullopt,
            searching_.what};
}

void session::search_also(std::string clause, std::vector<std::string> fields,
                          std::vector<std::string> properties, std::vector<long long> reconcile) {
    if (reconcile.size() > 50) reconcile.resize(50); // Jira's most
    searching_ = {std::move(clause), std::move(fields), std::move(properties), "read the issues",
                  std::move(reconcile)};
    next_token_.reset();
    stage_ = stage::more_pages;
}

std::optional<operation> session::next() {
    if (failure_ || stage_ == stage::done || out_ > 0) return std::nullopt;
    std::optional<operation> op;
    if (stage_ == stage::account)
        op = operation{{"GET", "/rest/api/3/myself", "", "", -1}, false, std::nullopt, "read the account"};
    else if (stage_ == stage::pages || stage_ == stage::more_pages)
        op = search(next_token_.value_or(""));
    else if (then_)
        op = std::exchange(then_, std::nullopt);
    if (!op) return std::nullopt;
    ++out_;
    asked_ = op->request.method + " " + op->request.path.substr(0, op->request.path.find('?'));
    return op;
}

std::optional<operation> session::next_alongside() {
    if (failure_ || stage_ != stage::account || out_ != 1) return std::nullopt;
    ++out_;
    return operation{
        {"GET", "/rest/api/3/project/" + project_, "", "", -1}, false, std::nullopt, "read the project"};
}

void session::answer(const http_response& response) {
    --out_;
    if (failure_ || stage_ == stage::done) return;
    const std::string request = stage_ == stage::project ? "GET /rest/api/3/project/" + project_ : asked_;
    if (response.status < 200 || response.status > 299) {
        session_failure failed = classify(response, request);
        return fail(failed.kind, std::move(failed.message));
    }
    const json body = response.body.empty() ? json::object() : parse_json_or_discarded(response.body);
    if (body.is_discarded())
        return fail(failure_kind::unreachable, request + ": the answer is not Jira's JSON; is " +
                                                   (address_.empty() ? "the address" : address_) +
                                                   " a Jira Cloud site?");
    switch (stage_) {
    case stage::account:
        account_id_ = json_value(body, "accountId", std::string{});
        account_name_ = json_value(body, "displayName", account_id_);
        stage_ = stage::project;
        return;
    case stage::project:
        project_json_ = body;
        if (!fields_.empty()) {
            stage_ = stage::pages;
            return;
        }
        stage_ = stage::after; // a session of one issue reads no pages
        return all_read();
    case stage::pages:
    case stage::more_pages:
        return take_page(body);
    case stage::after:
        return take(body);
    case stage::done:
        return;
    }
}

void session::take_page(const json& page) {
    const bool more = stage_ == stage::more_pages;
    for (const json& issue : json_array_at(page, "issues"))
        if (more)
            take_found(issue);
        else if (json_object_at(json_object_at(issue, "properties"), upkeep_property).contains("key"))
            take_issue(issue);
    const std::string token = json_value(page, "nextPageToken", std::string{});
    if (!token.empty() && !json_value(page, "isLast", false)) {
        next_token_ = token;
        return;
    }
    stage_ = stage::after;
    if (more) return all_found();
    all_read();
}

session_failure session::classify(const http_response& r, const std::string& what) const {
    const std::string at = what + ": " +
                           (r.status          ? "HTTP " + std::to_string(r.status)
                            : r.error.empty() ? "no answer"
                                              : r.error);
    const std::string said = jira_says(r.body);
    const std::string jira = said.empty() ? "" : " (Jira: " + said + ")";
    switch (r.status) {
    case 0:
        return {failure_kind::unreachable,
                at + ": cannot reach Jira" + (address_.empty() ? "" : " at " + address_) +
                    "; check the address and the network; a rerun finishes what this run began"};
    case 401:
        return {failure_kind::refused,
                at + ": Jira does not accept the account's e-mail and API token; give " +
                    "them as EMAIL:TOKEN in UPKEEP_API_KEY or --api-key-file"};
    case 403:
        return {failure_kind::refused, at + ": the account may not do this" + jira};
    case 404:
        if (what.find("/rest/api/3/project/") != std::string::npos)
            return {failure_kind::not_set_up,
                    at + ": no project " + project_ + " that this account may browse" + jira};
        return {failure_kind::not_set_up, at + ": no such issue, or this account may not see it" + jira};
    case 400:
        return {failure_kind::bad_input, at + jira};
    default:
        return {failure_kind::unreachable, at + jira};
    }
}

void session::finish() {
    stage_ = stage::done;
    then_.reset();
}

void session::fail(failure_kind kind, std::string message, diagnostics problems) {
    if (!failure_) failure_ = session_failure{kind, std::move(message), std::move(problems)};
    finish();
}

void session::interrupt(const std::string& why) {
    if (stage_ != stage::done) fail(failure_kind::unreachable, why); // a finished session ends as it did
}

} // namespace upkeep::jira
