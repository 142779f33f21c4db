// Completing a control task on Jira Cloud (task_completion.hpp): the issue and Upkeep's property read, the
// completion checked by the core (completion.hpp), the transitions its workflow offers read, then one
// transition to a done status with the completion's comment and the property as the completion leaves it.
// Its check reads the property back (Jira shows a property at once): a transition whose answer was lost is
// found made, one that failed is sent again.

#include "upkeep/jira/task_completion.hpp"

#include "upkeep/jira/conventions.hpp"
#include "upkeep/jira/mapping.hpp"

#include <upkeep/json_api_detail.hpp>
#include <upkeep/json_parse.hpp>
#include <upkeep/json_value.hpp>
#include <upkeep/ticket_key.hpp>
#include <upkeep/ticket_state.hpp>

namespace upkeep::jira {

using json = nlohmann::json;

task_completion::task_completion(options opts)
    : session(opts.project, opts.config_text, opts.address, {}), opts_(std::move(opts)) {}

void task_completion::all_read() {
    read_issue(opts_.issue, "status,reporter", upkeep_property);
}

void task_completion::take(const json& body) {
    switch (stage_) {
    case stage::issue:
        issue_ = body;
        return task_read();
    case stage::transitions: {
        const std::string transition = done_transition(body);
        if (transition.empty())
            return fail(failure_kind::refused,
                        opts_.issue + ": its workflow offers you no transition to a done status; "
                                      "ask the project's administrator");
        json request = json_object({{"transition", json_object({{"id", transition}})}});
        add_comment(request, completion_note(*opts_.complete));
        add_property(request, property_after());
        stage_ = stage::complete;
        return then(
            {{"POST", "/rest/api/3/issue/" + opts_.issue + "/transitions", request.dump(), "application/json",
              -1},
             true,
             http_request{"GET", "/rest/api/3/issue/" + opts_.issue + "/properties/" + upkeep_property, "",
                          "", -1},
             "complete " + opts_.issue});
    }
    case stage::complete:
        completed_ = true;
        return finish();
    }
}

namespace {

// What an issue Upkeep made other than a control task is for, and what people do with it (on Jira the
// panel is on every issue, and the sections people write their lines under are the project's convention);
// for any other key, and for an issue that is not Upkeep's, that it is not one of Upkeep's control tasks.
std::string what_upkeep_made(const ticket_key& key, const ticket_references& refs) {
    const std::string of = key.number ? refs.of(key.number) : "";
    switch (key.kind) {
    case ticket_key_kind::missed_control:
        return "Upkeep proposed this nonconformity for a control task missed beyond its grace period. Write "
               "its corrective actions above Upkeep's block, under a heading \"" +
               std::string(corrective_actions_section) +
               "\", one per line as \"owner: what to do (due YYYY-MM-DD)\": the sync makes each a task, "
               "then asks for their verification, and closes this nonconformity when that is done.";
    case ticket_key_kind::corrective_action:
        return "Upkeep made this issue for a corrective action of nonconformity " + of +
               ": close it when it is done, with what shows it attached or linked.";
    case ticket_key_kind::verification:
        return "Upkeep made this issue to verify the corrective actions of nonconformity " + of +
               ": record how you checked that they removed the cause, then close it.";
    case ticket_key_kind::decision:
        return "Upkeep made this issue for a decision of the management review " + of +
               ": close it when it is done; the next review's input pack lists it.";
    case ticket_key_kind::follow_up:
        return "Upkeep made this issue as a follow-up of the assessment of change " + of +
               ": close it when it is done.";
    default:
        return "This issue is not one of Upkeep's control tasks.";
    }
}

} // namespace

// The issue is read: whether it is one of Upkeep's control tasks, its occurrence, then the completion's
// checks and the transitions.
void task_completion::task_read() {
    const json& property = upkeep_property_of(issue_);
    const std::string key = json_value(property, "key", std::string{});
    const bool upkeeps = made_by_upkeep(issue_, opts_.accounts);
    if (!upkeeps || !key.starts_with("control:")) {
        // Someone else's issue is not Upkeep's, whatever key it carries.
        why_not_ = what_upkeep_made(upkeeps ? ticket_key::parse(key) : ticket_key{}, references());
        return finish();
    }
    const ticket_state state = ticket_state::parse(json_value(property, "state", std::string{}));
    occurrence_ = find_occurrence(config(), key, state.renewal);
    if (!occurrence_) {
        why_not_ = "\"" + key + "\" is not an occurrence in the ISMS configuration (it may have changed).";
        return finish();
    }
    if (!opts_.complete || is_done(issue_)) return finish();
    const diagnostics problems =
        check_completion(*opts_.complete, opts_.today, is_training(config(), *occurrence_->what),
                         opts_.close_without_evidence);
    if (!problems.empty()) return fail(failure_kind::bad_input, problems[0].message, problems);
    if (opts_.check_only) return finish();
    ticket_state after = state;
    after.evidence = !opts_.complete->without_evidence();
    state_ = after.format();
    stage_ = stage::transitions;
    then({{"GET", "/rest/api/3/issue/" + opts_.issue + "/transitions", "", "", -1},
          false,
          std::nullopt,
          "read the transitions of " + opts_.issue});
}

// Upkeep's property as the completion leaves it: what it held, and what completing records.
json task_completion::property_after() const {
    json property = upkeep_property_of(issue_).is_object() ? upkeep_property_of(issue_) : json::object();
    const completion& c = *opts_.complete;
    property["state"] = state_;
    property["done_on"] = format_iso_date(c.done_on);
    if (!c.links.empty()) property["links"] = c.links;
    if (c.people_in_scope) property["people_in_scope"] = *c.people_in_scope;
    if (c.people_completed) property["people_completed"] = *c.people_completed;
    if (c.valid_until) property["valid_until"] = format_iso_date(*c.valid_until);
    return property;
}

bool task_completion::applied(const http_response& check) const {
    return stage_ == stage::complete && json_value(parse_json_or_discarded(check.body),
                                                   json_path{"/value/state"}, std::string{}) == state_;
}

json task_completion::result() const {
    json view = nullptr;
    if (!issue_.is_null() && !failure()) {
        const json& property = upkeep_property_of(issue_);
        std::string done_on = json_value(property, "done_on", std::string{});
        std::string valid_until = json_value(property, "valid_until", std::string{});
        if (completed_) { // what the transition recorded
            done_on = format_iso_date(opts_.complete->done_on);
            if (opts_.complete->valid_until) valid_until = format_iso_date(*opts_.complete->valid_until);
        }
        view = json_api::detail::completion_view(
            config(), occurrence_, number_of(opts_.issue), why_not_, completed_ || is_done(issue_),
            json_value(issue_, json_path{"/fields/status/name"}, std::string{}), done_on, valid_until);
        // Where Redmine has a field, Jira has a section of the description: say where the decisions go.
        if (occurrence_ && is_management_review(*occurrence_->what))
            view["hint"] = "Write the review's decisions in the description, above Upkeep's block, under a "
                           "heading \"" +
                           std::string(review_decisions_section) +
                           "\", one per line as \"owner: what to do (due YYYY-MM-DD)\": the sync makes each "
                           "an ISMS follow-up, also once this task is done.";
    }
    return json_object(
        {{"view", std::move(view)}, {"completed", completed_}, {"failure", failure_json(failure())}});
}

} // namespace upkeep::jira
