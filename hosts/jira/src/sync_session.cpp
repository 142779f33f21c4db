// One sync against one Jira Cloud project.
//
// Design note. The reads (session.cpp) give Upkeep's issues: those that carry its property and that its
// account made (the reporter is the account running the sync, or one of /sync/accounts); then, when the
// project has the nonconformity issue type, every nonconformity, whoever raised it. People write on Jira
// what Redmine keeps in fields, as sections of a description (adf.hpp section_of_adf): a nonconformity's
// "Corrective actions" and a management review task's "Review decisions", one line each ("itops: what to
// do (due YYYY-MM-DD)"). The core plans from them (sync_plan.hpp): control tasks, proposed
// nonconformities (of the nonconformity issue type), corrective actions, verifications and the follow-ups
// of review decisions (Tasks). This host writes the plan one request a write, so that no write is half
// made:
// - create: the issue with its fields and Upkeep's property in one request (labelled "upkeep", assigned to
//   the owner's account of /sync/owner_accounts, unassigned when it has none);
// - update and comment: the changed fields, the comment and the property's new state in one edit;
// - close (a twin of the ticket that counts, a nonconformity Upkeep raised once its verification is done):
//   the workflow's transition to a status of the category "done", with its comment and the property, in
//   one transition (its transitions read first).
// A description keeps what people wrote above Upkeep's block as they wrote it (adf.hpp). A write whose
// answer is lost is looked up: an edit by the property's state (read at once, so an edit it does not show
// is sent again), a create by its key through Jira's search. That search lags behind Jira's writes, so a
// create it does not show is not made again: the run stops, and a later run, which reads everything first,
// finds it or makes it. A write turned away with 429 is sent again after the wait Jira asks for. A sync that
// goes on in several runs (the Forge app's Sync now, whose calls Forge stops after 25 s) names what its
// earlier runs made: a plan that would make one of them again was read from a search that lags, and the run
// writes nothing.

#include "upkeep/jira/sync_session.hpp"

#include "upkeep/jira/adf.hpp"
#include "upkeep/jira/mapping.hpp"

#include <upkeep/json_api.hpp>
#include <upkeep/json_parse.hpp>
#include <upkeep/json_value.hpp>

#include <algorithm>
#include <set>

namespace upkeep::jira {

using json = nlohmann::json;

sync_session::sync_session(options opts)
    : session(opts.project, opts.config_text, opts.address,
              {"description", "status", "reporter", "attachment"}),
      opts_(std::move(opts)) {
    tracker_.references = references();
}

void sync_session::take_issue(const json& issue) {
    const json& property = upkeep_property_of(issue);
    if (!made_by_upkeep(issue, opts_.accounts)) return; // never changed
    tracked_ticket t;
    t.id = number_of(json_value(issue, "key", std::string{}));
    t.key = json_value(property, "key", std::string{});
    if (!t.id || t.key.empty()) return;
    t.state = json_value(property, "state", std::string{});
    t.closed = is_done(issue);
    t.work_recorded =
        property.contains("done_on") || !evidence_links(issue).empty() || completed_with_evidence(t.state);
    if (t.closed) t.valid_until = json_day(property, "valid_until");
    if (t.key.starts_with("control:"))
        t.decisions = section_of_adf(json_value(issue, json_path{"/fields/description"}, json()),
                                     review_decisions_section);
    held_[t.id] = {json_value(issue, "key", std::string{}),
                   json_value(issue, json_path{"/fields/description"}, json()), property};
    tracker_.upkeep_tickets.push_back(std::move(t));
}

void sync_session::all_read() {
    issue_type_id_ = issue_type_id(opts_.issue_type);
    if (issue_type_id_.empty())
        return fail(failure_kind::not_set_up,
                    "project " + project() + " has no issue type \"" + opts_.issue_type +
                        "\" for control tasks: add it to the project's issue types");
    nonconformity_type_id_ = issue_type_id(opts_.nonconformity_type);
    if (nonconformity_type_id_.empty()) return plan_and_write();
    search_also("issuetype = " + jql_text(opts_.nonconformity_type), {"description", "status", "reporter"},
                {upkeep_property});
}

// A nonconformity, whoever raised it: its corrective actions are the lines of its description's section;
// Upkeep's key and state count only on one Upkeep made.
void sync_session::take_found(const json& issue) {
    nonconformity_ticket nc;
    nc.id = number_of(json_value(issue, "key", std::string{}));
    if (!nc.id) return;
    if (made_by_upkeep(issue, opts_.accounts)) {
        const json& property = upkeep_property_of(issue);
        nc.key = json_value(property, "key", std::string{});
        nc.state = json_value(property, "state", std::string{});
    }
    nc.closed = is_done(issue);
    nc.corrective_actions = section_of_adf(json_value(issue, json_path{"/fields/description"}, json()),
                                           corrective_actions_section);
    tracker_.nonconformities.push_back(std::move(nc));
}

void sync_session::all_found() {
    plan_and_write();
}

void sync_session::plan_and_write() {
    cycle_ = compute_cycle(config().certification);
    plan_ = plan_sync(config(), cycle_, tracker_, opts_.today);
    planned_ = true;
    keep_what_the_project_takes();
    std::set<std::string> unassigned;
    for (const sync_action& a : plan_.actions)
        if (a.fields && !a.fields->assignee.empty() &&
            !config().sync.owner_accounts.count(a.fields->assignee))
            unassigned.insert(a.fields->assignee);
    for (const std::string& owner : unassigned)
        plan_.notices.push_back("\"" + owner +
                                "\" has no account in /sync/owner_accounts: its tickets are left unassigned");
    if (!opts_.apply) return finish();
    for (const sync_action& a : plan_.actions)
        search_behind_ += a.kind == sync_action_kind::create && opts_.made_before.count(a.key);
    if (search_behind_)
        return fail(failure_kind::unreachable,
                    std::to_string(search_behind_) +
                        " issue(s) this sync made a moment ago are not in Jira's " +
                        "search yet; nothing more was written, and a run once the search shows them goes on");
    writing_ = true;
    next_write();
}

// Without the nonconformity issue type, the nonconformities Upkeep proposes wait (no corrective action
// can come without one).
void sync_session::keep_what_the_project_takes() {
    if (!nonconformity_type_id_.empty()) return;
    auto& actions = plan_.actions;
    const auto waiting = std::stable_partition(actions.begin(), actions.end(), [](const sync_action& a) {
        return !(a.fields && a.fields->kind == ticket_kind::nonconformity);
    });
    const auto count = static_cast<std::size_t>(actions.end() - waiting);
    actions.erase(waiting, actions.end());
    if (count)
        plan_.notices.push_back(std::to_string(count) + " proposed nonconformities wait: project " +
                                project() + " has no issue type \"" + opts_.nonconformity_type +
                                "\"; add it to the project's issue types");
}

json sync_session::property_after(const sync_action& a) const {
    json property = json::object();
    if (a.ticket_id)
        if (const auto it = held_.find(*a.ticket_id); it != held_.end() && it->second.property.is_object())
            property = it->second.property;
    property["key"] = a.key;
    property["state"] = a.state;
    if (a.fields) {
        property["owner"] = a.fields->assignee;
        property["title"] = issued_title(a.fields->subject);
    }
    return property;
}

json sync_session::fields_of(const sync_action& a) const {
    const auto held = a.ticket_id ? held_.find(*a.ticket_id) : held_.end();
    return issue_fields(*a.fields, config(),
                        held != held_.end()
                            ? merged_description(held->second.description, a.fields->description)
                            : adf_of_text(a.fields->description));
}

void sync_session::next_write() {
    if (action_ == plan_.actions.size()) return finish();
    const sync_action& a = plan_.actions[action_];
    const std::string label = std::string(to_string(a.kind)) + " " + a.key;
    if (a.kind == sync_action_kind::create) {
        const json body = new_issue(
            project(), a.fields->kind == ticket_kind::nonconformity ? nonconformity_type_id_ : issue_type_id_,
            a.key, a.state, *a.fields, config());
        return then({{"POST", "/rest/api/3/issue", body.dump(), "application/json", -1},
                     true,
                     search_by_key(a.key),
                     label});
    }
    const std::string issue = "/rest/api/3/issue/" + held_.at(*a.ticket_id).key;
    // A close reads the transitions its workflow offers first.
    if (a.kind == sync_action_kind::close && step_ == 0)
        return then(
            {{"GET", issue + "/transitions", "", "", -1}, false, std::nullopt, label + " (its transitions)"});
    const http_request check{"GET", issue + "/properties/" + upkeep_property, "", "", -1};
    json body = json::object();
    add_property(body, property_after(a));
    if (a.fields) body["fields"] = fields_of(a);
    if (!a.note_written) add_comment(body, a.note);
    if (a.kind != sync_action_kind::close)
        return then({{"PUT", issue, body.dump(), "application/json", -1}, true, check, label});
    body["transition"] = json_object({{"id", transition_}});
    then({{"POST", issue + "/transitions", body.dump(), "application/json", -1}, true, check, label});
}

void sync_session::take(const json& body) {
    const sync_action& a = plan_.actions[action_];
    if (a.kind == sync_action_kind::close && step_ == 0) {
        transition_ = done_transition(body);
        if (transition_.empty())
            return fail(failure_kind::refused, held_.at(*a.ticket_id).key +
                                                   ": the workflow offers this account no " +
                                                   "transition to a done status (" + a.reason +
                                                   "); give it one, or close the issue by hand");
        step_ = 1;
        return next_write();
    }
    if (a.kind == sync_action_kind::create) made_.push_back(a.key);
    ++written_;
    ++action_;
    step_ = 0;
    transition_.clear();
    next_write();
}

bool sync_session::applied(const http_response& check) const {
    if (action_ >= plan_.actions.size()) return false;
    const sync_action& a = plan_.actions[action_];
    const json body = parse_json_or_discarded(check.body);
    if (a.kind == sync_action_kind::create) return !json_array_at(body, "issues").empty();
    return json_value(body, json_path{"/value/state"}, std::string{}) == a.state;
}

bool sync_session::check_proves_absence() const {
    return action_ < plan_.actions.size() && plan_.actions[action_].kind != sync_action_kind::create;
}

json sync_session::result() const {
    json out = json::object();
    out["plan"] = planned_ ? json_api::plan_json(plan_, problems(), tracker_.references) : json();
    out["written"] = written_;
    out["writing"] = writing_;
    out["made"] = made_;
    out["search_behind"] = search_behind_;
    out["feed"] = nullptr;
    out["lease"] = nullptr;
    out["failure"] = failure_json(failure());
    return out;
}

json sync_session::progress() const {
    return planned_ ? json_object({{"done", action_}, {"total", plan_.actions.size()}}) : json::object();
}

} // namespace upkeep::jira
