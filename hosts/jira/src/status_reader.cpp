// The status's reads from a Jira Cloud project (session.cpp has the design note): each of Upkeep's control
// tasks, change follow-ups, corrective actions, verifications and review decisions' follow-ups as the status
// needs it, then in one more search the change issues (of the configuration's change issue types that the
// project offers: JQL refuses a type the site does not have) with their assessments (change_session.cpp)
// and the nonconformities (the sync's issue type "Nonconformity"), whoever raised them, with where they were
// found (Upkeep's property, or the line "NC source: ..." people write in the description). A ticket is named
// as Jira's people name it, "ISMS-12": the number after the project's key, with the key as the prefix. Closed
// is Jira's status category "done"; the day it closed, the issue's resolution date; its attachments are
// evidence.

#include "upkeep/jira/status_reader.hpp"

#include "upkeep/jira/adf.hpp"
#include "upkeep/jira/mapping.hpp"

#include <upkeep/json_api_detail.hpp>
#include <upkeep/json_value.hpp>
#include <upkeep/sync_plan.hpp>
#include <upkeep/ticket_key.hpp>
#include <upkeep/ticket_state.hpp>

namespace upkeep::jira {

using json = nlohmann::json;

namespace {

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

std::optional<int> count_in(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? std::optional(it->get<int>()) : std::nullopt;
}

} // namespace

status_reader::status_reader(std::string project, std::optional<std::string> config_text, std::string address,
                             std::vector<std::string> accounts, std::string nonconformity_type)
    : session(std::move(project), std::move(config_text), std::move(address),
              {"status", "resolutiondate", "attachment", "summary", "assignee", "duedate", "created",
               "reporter"}),
      accounts_(std::move(accounts)), nonconformity_type_(std::move(nonconformity_type)) {
    snapshot_.references = references();
}

void status_reader::take_issue(const json& issue) {
    if (!made_by_upkeep(issue, accounts_)) return; // anyone who edits an issue may copy the property
    const json& property = upkeep_property_of(issue);
    const std::string key = json_value(property, "key", std::string{});
    const json& fields = json_object_at(issue, "fields");
    if (key.starts_with("change:")) {
        follow_up_record f;
        f.id = number_of(json_value(issue, "key", std::string{}));
        f.change_id = ticket_key::parse(key).number;
        f.key = key;
        f.subject = json_value(fields, "summary", std::string{});
        f.assignee = json_value(fields, json_path{"/assignee/displayName"}, std::string{});
        f.closed = is_done(issue);
        f.withdrawn = ticket_state::parse(json_value(property, "state", std::string{})).withdrawn;
        f.due = json_day(fields, "duedate");
        if (f.id && f.change_id) snapshot_.follow_ups.push_back(std::move(f));
        return;
    }
    const ticket_key parsed = ticket_key::parse(key);
    if (parsed.kind == ticket_key_kind::decision) {
        decision_record d;
        d.id = number_of(json_value(issue, "key", std::string{}));
        d.review = parsed.number;
        d.subject = json_value(fields, "summary", std::string{});
        d.assignee = json_value(fields, json_path{"/assignee/displayName"}, std::string{});
        d.closed = is_done(issue);
        d.due = json_day(fields, "duedate");
        if (d.closed) d.closed_on = json_day(fields, "resolutiondate");
        if (d.id && d.review) snapshot_.decisions.push_back(std::move(d));
        return;
    }
    if (parsed.kind == ticket_key_kind::corrective_action || parsed.kind == ticket_key_kind::verification) {
        finding_record f = finding_of(issue);
        f.kind = parsed.kind == ticket_key_kind::verification ? "verification" : "corrective_action";
        f.nonconformity = parsed.number;
        if (f.id && f.nonconformity) snapshot_.findings.push_back(std::move(f));
        return;
    }
    if (!key.starts_with("control:")) return;
    task_record t;
    t.id = number_of(json_value(issue, "key", std::string{}));
    if (!t.id) return;
    t.key = key;
    t.closed = is_done(issue);
    if (t.closed) t.closed_on = json_day(fields, "resolutiondate");
    const std::string state = json_value(property, "state", std::string{});
    t.evidence = completed_with_evidence(state);
    t.closed_as_duplicate = ticket_state::parse(state).duplicate;
    t.done_on = json_day(property, "done_on");
    if (t.closed) t.valid_until = json_day(property, "valid_until");
    t.people_in_scope = count_in(property, "people_in_scope");
    t.people_completed = count_in(property, "people_completed");
    t.owner = json_value(property, "owner", std::string{});
    t.title = json_value(property, "title", std::string{});
    t.evidence_links = evidence_links(issue);
    snapshot_.tasks.push_back(std::move(t));
}

void status_reader::all_read() {
    std::string types;
    for (const std::string& type : config().changes.ticket_types)
        if (!issue_type_id(type).empty()) types += (types.empty() ? "" : ", ") + jql_text(type);
    if (!issue_type_id(nonconformity_type_).empty())
        types += (types.empty() ? "" : ", ") + jql_text(nonconformity_type_);
    if (types.empty()) return finish();
    search_also("issuetype in (" + types + ")",
                {"summary", "issuetype", "assignee", "status", "created", "resolutiondate", "duedate",
                 "reporter", "description"},
                {change_property, upkeep_property});
}

finding_record status_reader::finding_of(const json& issue) const {
    const json& fields = json_object_at(issue, "fields");
    finding_record f;
    f.id = number_of(json_value(issue, "key", std::string{}));
    f.subject = json_value(fields, "summary", std::string{});
    f.closed = is_done(issue);
    f.due = json_day(fields, "duedate");
    if (f.closed) f.closed_on = json_day(fields, "resolutiondate");
    f.created_on = json_day(fields, "created");
    f.assignee = json_value(fields, json_path{"/assignee/displayName"}, std::string{});
    return f;
}

void status_reader::take_found(const json& issue) {
    const json& fields = json_object_at(issue, "fields");
    if (json_value(fields, json_path{"/issuetype/name"}, std::string{}) == nonconformity_type_) {
        finding_record f = finding_of(issue);
        f.kind = "nonconformity";
        // The source Upkeep gave a nonconformity it proposed ("Missed control"); people name theirs in the
        // description ("NC source: Management review", as Redmine's field is called).
        if (made_by_upkeep(issue, accounts_))
            f.source = json_value(upkeep_property_of(issue), "source", std::string{});
        else
            f.source = first_line(
                section_of_adf(json_value(fields, "description", json()), nonconformity_source_section));
        if (f.id) snapshot_.findings.push_back(std::move(f));
        return;
    }
    change_record c;
    c.id = number_of(json_value(issue, "key", std::string{}));
    if (!c.id) return;
    c.subject = json_value(fields, "summary", std::string{});
    c.tracker = json_value(fields, json_path{"/issuetype/name"}, std::string{});
    c.assignee = json_value(fields, json_path{"/assignee/displayName"}, std::string{});
    c.closed = is_done(issue);
    c.created_on = json_day(fields, "created");
    if (c.closed) c.closed_on = json_day(fields, "resolutiondate");
    c.go_live = json_day(fields, "duedate");
    c.assessment = assessment_of(issue);
    c.affects = json_value(json_object_at(json_object_at(issue, "properties"), change_property), "impact",
                           std::string{}) == "affects";
    snapshot_.changes.push_back(std::move(c));
}

json status_reader::result() const {
    return json_object(
        {{"read", json_object({{"tickets", snapshot_.tasks.size()},
                               {"changes", snapshot_.changes.size()},
                               {"findings", snapshot_.findings.size()}})},
         {"configuration",
          json_object({{"text", config_text()},
                       {"source", "given"},
                       {"version", nullptr},
                       {"missing", config_text().empty()},
                       {"warnings", json_api::detail::problems_to_json(problems(), severity::warning)}})},
         // What the project lacks for the sync, for the page's setup: the issue type of nonconformities.
         {"lacks", !project_json().is_null() && issue_type_id(nonconformity_type_).empty()
                       ? json_object({{"nonconformity_type", nonconformity_type_}})
                       : json::object()},
         {"failure", failure_json(failure())}});
}

} // namespace upkeep::jira
