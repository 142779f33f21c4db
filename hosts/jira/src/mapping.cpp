#include "upkeep/jira/mapping.hpp"

#include "upkeep/jira/adf.hpp"
#include "upkeep/jira/session.hpp"

#include <upkeep/json_value.hpp>
#include <upkeep/ticket_key.hpp>

namespace upkeep::jira {

using json = nlohmann::json;

const json& upkeep_property_of(const json& issue) {
    return json_object_at(json_object_at(issue, "properties"), upkeep_property);
}

std::optional<assessment_record> assessment_of(const json& issue) {
    const json& property = json_object_at(json_object_at(issue, "properties"), change_property);
    const int revision = json_value(property, "revision", 0);
    const auto on = json_day(property, "on");
    if (revision < 1 || !on) return std::nullopt;
    assessment_record record{revision, *on, json_value(property, "by", std::string{}), {}};
    for (const auto& [id, answer] : json_object_at(property, "answers").items())
        if (answer.is_string()) record.answers[id] = answer.get<std::string>();
    return record;
}

long long number_of(std::string_view key) {
    const std::size_t dash = key.rfind('-');
    return dash == std::string_view::npos ? 0 : ticket_number(key.substr(dash + 1)).value_or(0);
}

bool is_done(const json& issue) {
    return json_value(issue, json_path{"/fields/status/statusCategory/key"}, std::string{}) == "done";
}

std::vector<std::string> evidence_links(const json& issue) {
    std::vector<std::string> out;
    for (const json& file : json_array_at(json_object_at(issue, "fields"), "attachment"))
        if (std::string url = json_value(file, "content", std::string{}); !url.empty())
            out.push_back(std::move(url));
    for (const json& link : json_array_at(upkeep_property_of(issue), "links"))
        if (link.is_string() && !link.get<std::string>().empty()) out.push_back(link.get<std::string>());
    return out;
}

std::string done_transition(const json& transitions) {
    for (const json& t : json_array_at(transitions, "transitions"))
        if (json_value(t, json_path{"/to/statusCategory/key"}, std::string{}) == "done")
            return json_value(t, "id", std::string{});
    return {};
}

void add_property(json& body, const json& property, const char* key) {
    body["properties"] = json::array({json_object({{"key", key}, {"value", property}})});
}

void add_comment(json& body, const std::string& text) {
    if (text.empty()) return;
    body["update"] = json_object(
        {{"comment", json::array({json_object({{"add", json_object({{"body", adf_of_text(text)}})}})})}});
}

json issue_fields(const ticket_fields& f, const isms_configuration& config, json description) {
    const auto account = config.sync.owner_accounts.find(f.assignee);
    return json_object({{"summary", f.subject},
                        {"description", std::move(description)},
                        {"duedate", format_iso_date(f.due_date)},
                        {"assignee", account != config.sync.owner_accounts.end()
                                         ? json_object({{"accountId", account->second}})
                                         : json()}});
}

json new_issue_property(const std::string& key, const std::string& state, const ticket_fields& fields) {
    json property = json_object({{"key", key},
                                 {"state", state},
                                 {"owner", fields.assignee},
                                 {"title", issued_title(fields.subject)}});
    if (!fields.grade.empty()) property["grade"] = fields.grade;
    if (!fields.source.empty()) property["source"] = fields.source;
    return property;
}

json new_issue(const std::string& project, const std::string& issue_type_id, const std::string& key,
               const std::string& state, const ticket_fields& fields, const isms_configuration& config) {
    json issue_fields_json = issue_fields(fields, config, adf_of_text(fields.description));
    issue_fields_json["project"] = json_object({{"key", project}});
    issue_fields_json["issuetype"] = json_object({{"id", issue_type_id}});
    issue_fields_json["labels"] = json::array({"upkeep"});
    json body = json_object({{"fields", std::move(issue_fields_json)}});
    add_property(body, new_issue_property(key, state, fields));
    return body;
}

} // namespace upkeep::jira
