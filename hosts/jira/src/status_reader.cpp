// The status's reads from a Jira Cloud project (REST API v3).
//
// Design note. Upkeep's issues carry its issue property "upkeep" (indexed for JQL by Upkeep's Forge app):
// {"key": "control:<activity>:<due date>", "state": the ticket state (ticket_state.hpp), and what
// completing the task recorded: "done_on", "links", "people_in_scope", "people_completed",
// "valid_until"; and as issued: "owner", "title"}. An issue without that property is not Upkeep's and is
// never counted. The reads: the account (/myself) and the project, together, so that a bad token or a
// project the account cannot browse is said before anything else; then the enhanced JQL search for the
// project's issues with the property, one page after another (each page's `nextPageToken` asks for the
// next; Jira's pages cannot be asked for side by side), with the fields the status needs and the
// property. A ticket is named as Jira's people name it, "ISMS-12": the number after the project's key,
// with the key as the prefix. Closed is Jira's status category "done"; the day it closed, the issue's
// resolution date. The configuration is given: a Jira project keeps it in Upkeep's app, not in an issue.

#include "upkeep/jira/status_reader.hpp"

#include <upkeep/json_parse.hpp>
#include <upkeep/json_value.hpp>
#include <upkeep/sync_plan.hpp>
#include <upkeep/ticket_state.hpp>

#include <charconv>

namespace upkeep::jira {

using json = nlohmann::json;

namespace {

constexpr int page_size = 100; // Jira's most for a search asking for fields

std::optional<day_point> day_in(const json& object, const char* key) {
    const std::string text = json_value(object, key, std::string{});
    return text.size() >= 10 ? parse_iso_date(text.substr(0, 10)) : std::nullopt;
}

std::optional<int> count_in(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? std::optional(it->get<int>()) : std::nullopt;
}

// The number of a key "ISMS-12" (0 when it has none).
long long number_of(std::string_view key) {
    const std::size_t dash = key.rfind('-');
    long long n = 0;
    if (dash == std::string_view::npos) return 0;
    const auto [end, error] = std::from_chars(key.data() + dash + 1, key.data() + key.size(), n);
    return error == std::errc{} && end == key.data() + key.size() ? n : 0;
}

// A control task of Upkeep's, as the status needs it; none for another issue.
std::optional<task_record> task_of(const json& issue) {
    const json& property = json_object_at(json_object_at(issue, "properties"), upkeep_property);
    const std::string key = json_value(property, "key", std::string{});
    if (!key.starts_with("control:")) return std::nullopt;
    const json& fields = json_object_at(issue, "fields");
    task_record t;
    t.id = number_of(json_value(issue, "key", std::string{}));
    if (!t.id) return std::nullopt;
    t.key = key;
    t.closed = json_value(fields, json_path{"/status/statusCategory/key"}, std::string{}) == "done";
    if (t.closed) t.closed_on = day_in(fields, "resolutiondate");
    const std::string state = json_value(property, "state", std::string{});
    t.evidence = completed_with_evidence(state);
    t.closed_as_duplicate = ticket_state::parse(state).duplicate;
    t.done_on = day_in(property, "done_on");
    if (t.closed) t.valid_until = day_in(property, "valid_until");
    t.people_in_scope = count_in(property, "people_in_scope");
    t.people_completed = count_in(property, "people_completed");
    t.owner = json_value(property, "owner", std::string{});
    t.title = json_value(property, "title", std::string{});
    for (const json& file : json_array_at(fields, "attachment"))
        if (const std::string url = json_value(file, "content", std::string{}); !url.empty())
            t.evidence_links.push_back(url);
    for (const json& link : json_array_at(property, "links"))
        if (link.is_string() && !link.get<std::string>().empty())
            t.evidence_links.push_back(link.get<std::string>());
    return t;
}

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

status_reader::status_reader(std::string project, std::optional<std::string> config_text, std::string address)
    : project_(std::move(project)), address_(std::move(address)) {
    snapshot_.references.prefix = project_ + "-";
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

operation status_reader::search(const std::string& token) const {
    json body =
        json_object({{"jql", "project = \"" + project_ + "\" AND issue.property[" +
                                 std::string(upkeep_property) + "].key IS NOT EMPTY ORDER BY key ASC"},
                     {"fields", json::array({"status", "resolutiondate", "attachment"})},
                     {"properties", json::array({upkeep_property})},
                     {"maxResults", page_size}});
    if (!token.empty()) body["nextPageToken"] = token;
    return {{"POST", "/rest/api/3/search/jql", body.dump(), "application/json", -1},
            false,
            std::nullopt,
            "read the issues"};
}

std::optional<operation> status_reader::next() {
    if (failure_ || stage_ == stage::done || out_ > 0) return std::nullopt;
    ++out_;
    if (stage_ == stage::pages) return search(next_token_.value_or(""));
    return operation{{"GET", "/rest/api/3/myself", "", "", -1}, false, std::nullopt, "read the account"};
}

std::optional<operation> status_reader::next_alongside() {
    if (failure_ || stage_ != stage::account || out_ != 1) return std::nullopt;
    ++out_;
    return operation{
        {"GET", "/rest/api/3/project/" + project_, "", "", -1}, false, std::nullopt, "read the project"};
}

void status_reader::answer(const http_response& response) {
    --out_;
    if (failure_) return;
    static const char* const what[] = {"GET /rest/api/3/myself", "GET /rest/api/3/project/",
                                       "POST /rest/api/3/search/jql", ""};
    const std::string request = what[static_cast<int>(stage_)] + (stage_ == stage::project ? project_ : "");
    if (response.status != 200) {
        session_failure failed = classify(response, request);
        return fail(failed.kind, std::move(failed.message));
    }
    const json body = parse_json_or_discarded(response.body);
    if (!body.is_object())
        return fail(failure_kind::unreachable, request + ": the answer is not Jira's JSON; is " +
                                                   (address_.empty() ? "the address" : address_) +
                                                   " a Jira Cloud site?");
    switch (stage_) {
    case stage::account:
        stage_ = stage::project;
        return;
    case stage::project:
        stage_ = stage::pages;
        return;
    case stage::pages:
        take_page(body);
        return;
    case stage::done:
        return;
    }
}

void status_reader::take_page(const json& page) {
    for (const json& issue : json_array_at(page, "issues"))
        if (auto task = task_of(issue)) snapshot_.tasks.push_back(std::move(*task));
    const std::string token = json_value(page, "nextPageToken", std::string{});
    if (token.empty() || json_value(page, "isLast", false)) {
        stage_ = stage::done;
        return;
    }
    next_token_ = token;
}

session_failure status_reader::classify(const http_response& r, const std::string& what) const {
    const std::string at = what + ": " +
                           (r.status          ? "HTTP " + std::to_string(r.status)
                            : r.error.empty() ? "no answer"
                                              : r.error);
    const std::string said = jira_says(r.body);
    const std::string jira = said.empty() ? "" : " (Jira: " + said + ")";
    switch (r.status) {
    case 0:
        return {failure_kind::unreachable, at + ": cannot reach Jira" +
                                               (address_.empty() ? "" : " at " + address_) +
                                               "; check the address and the network"};
    case 401:
        return {failure_kind::refused,
                at + ": Jira does not accept the account's e-mail and API token; give " +
                    "them as EMAIL:TOKEN in UPKEEP_API_KEY or --api-key-file"};
    case 403:
        return {failure_kind::refused, at + ": the account may not do this" + jira};
    case 404:
        return {failure_kind::not_set_up,
                at + ": no project " + project_ + " that this account may browse" + jira};
    case 400:
        return {failure_kind::bad_input, at + jira};
    default:
        return {failure_kind::unreachable, at + jira};
    }
}

void status_reader::fail(failure_kind kind, std::string message, diagnostics problems) {
    if (!failure_) failure_ = session_failure{kind, std::move(message), std::move(problems)};
    stage_ = stage::done;
}

void status_reader::interrupt(const std::string& why) {
    fail(failure_kind::unreachable, why);
}

json status_reader::result() const {
    json warnings = json::array();
    for (const diagnostic& d : problems_)
        if (d.level == severity::warning)
            warnings.push_back(json_object({{"pointer", d.pointer}, {"message", d.message}}));
    return json_object({{"read", json_object({{"tickets", snapshot_.tasks.size()},
                                              {"changes", snapshot_.changes.size()},
                                              {"findings", snapshot_.findings.size()}})},
                        {"configuration", json_object({{"text", config_text_},
                                                       {"source", "given"},
                                                       {"version", nullptr},
                                                       {"missing", config_text_.empty()},
                                                       {"warnings", std::move(warnings)}})},
                        {"failure", failure_json(failure_)}});
}

} // namespace upkeep::jira
