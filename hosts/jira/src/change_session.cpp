// The change prompt's Jira Cloud session.
//
// Design note. The reads: the account and the project (session.cpp), the change issue with its links and
// Upkeep's change property (change_property), then Upkeep's issues, of which this change's follow-ups (key
// "change:<number>:<follow-up>", made by Upkeep's accounts); the issues linked to the change are asked for
// as they are now (`reconcileIssues`), so that the follow-ups another session made a moment ago count while
// Jira's search lags behind its writes. The record is one edit of the change: the
// property (revision, day, account, answers, impact: what JQL searches) and the comment that is the audit
// evidence, together, so neither stands without the other; its check reads the property back.
//
// Jira keeps no version of an issue or a property that a write could be made conditional on, so the
// guard against two people answering at once is the caller's: answers count only over the revision their
// form showed (`based_on`), and the Forge app claims each revision in its storage before it asks for the
// record (plugin-manifest/jira-cloud/src/change-records.js: a key written once, so of two answers over the
// same revision one claims it, and the other is shown whose record stands). A record already holding the
// answers being recorded (a lost answer, or the app publishing a claim a crash left unpublished) is not
// written twice.
//
// Then the follow-ups are brought in line with the record (change_impact.hpp plans): a create carries the
// follow-up's fields and Upkeep's property; a link (Jira's "Blocks" from the follow-up when it is due
// before go-live and the policy holds the change, "Relates" otherwise) follows it; a follow-up no longer
// called for is closed through its workflow's transition to done with a comment, as withdrawn. Jira's
// search lags behind its writes, so the session keeps what it wrote and plans again from that (never from
// a second search), up to three passes; a create whose answer is lost and that the search does not show
// yet stops the session (a later one finds it or makes it).

#include "upkeep/jira/change_session.hpp"

#include "upkeep/jira/mapping.hpp"

#include <upkeep/json_parse.hpp>
#include <upkeep/json_value.hpp>
#include <upkeep/ticket_key.hpp>
#include <upkeep/ticket_state.hpp>

#include <algorithm>

namespace upkeep::jira {

using json = nlohmann::json;

namespace {

constexpr int max_passes = 3;

// Whether the change issue links to the issue `key`, either way.
bool links_to(const json& change, const std::string& key) {
    for (const json& link : json_array_at(json_object_at(change, "fields"), "issuelinks"))
        if (json_value(link, json_path{"/inwardIssue/key"}, std::string{}) == key ||
            json_value(link, json_path{"/outwardIssue/key"}, std::string{}) == key)
            return true;
    return false;
}

} // namespace

change_session::change_session(options opts)
    : session(opts.project, opts.config_text, opts.address, {}), opts_(std::move(opts)) {
    change_ = number_in_project(opts_.issue);
}

void change_session::take_found(const json& issue) {
    const json& property = upkeep_property_of(issue);
    const std::string key = json_value(property, "key", std::string{});
    if (!change_ || !key.starts_with(follow_up_key(change_, "")) || !made_by_upkeep(issue, opts_.accounts))
        return;
    const long long id = number_of(json_value(issue, "key", std::string{}));
    if (!id) return;
    follow_ups_.push_back({id, key,
                           ticket_state::parse(json_value(property, "state", std::string{})).withdrawn,
                           is_done(issue), false});
    held_.push_back(property);
}

void change_session::all_read() {
    read_issue(opts_.issue, "summary,duedate,issuetype,issuelinks", change_property);
}

void change_session::take(const json& body) {
    switch (stage_) {
    case stage::change: {
        change_json_ = body;
        const std::string type = json_value(change_json_, json_path{"/fields/issuetype/name"}, std::string{});
        const auto& types = config().changes.ticket_types;
        if (std::find(types.begin(), types.end(), type) == types.end()) {
            kind_ = "not_a_change";
            return finish();
        }
        // The follow-ups: Upkeep's issues, those linked to the change as they are now (the search lags
        // behind writes, links do not).
        std::vector<long long> linked;
        for (const json& link : json_array_at(json_object_at(change_json_, "fields"), "issuelinks"))
            for (const char* side : {"/inwardIssue/id", "/outwardIssue/id"})
                if (const auto id = ticket_number(json_value(link, json_path{side}, std::string{})))
                    linked.push_back(*id);
        stage_ = stage::follow_ups;
        return search_also("issue.property[" + std::string(upkeep_property) + "].key IS NOT EMPTY",
                           {"status", "reporter"}, {upkeep_property}, std::move(linked));
    }
    case stage::follow_ups:
        return; // the search's pages go to take_found
    case stage::record:
        ++written_;
        opts_.answers.reset(); // recorded; from now on, bring the follow-ups in line
        opts_.apply = true;
        return plan_and_apply();
    case stage::create: {
        ++written_;
        // The create's answer, or (lost) its check's: the search for its key.
        std::string key = json_value(body, "key", std::string{});
        if (key.empty())
            key =
                json_value(json_array_at(body, "issues").empty() ? json() : json_array_at(body, "issues")[0],
                           "key", std::string{});
        const follow_up_action& a = actions_[action_];
        const long long id = number_of(key);
        if (!id) {
            ++action_;
            return next_action();
        }
        follow_ups_.push_back({id, a.key, false, false, false});
        held_.push_back(new_issue_property(a.key, a.state, *a.fields));
        return link(id, a.blocks_change);
    }
    case stage::link:
        ++written_;
        for (follow_up_ticket& t : follow_ups_)
            if (t.id == (actions_[action_].ticket_id ? *actions_[action_].ticket_id : follow_ups_.back().id))
                t.linked = true;
        ++action_;
        return next_action();
    case stage::transitions: {
        const follow_up_action& a = actions_[action_];
        transition_ = done_transition(body);
        const std::string issue = project() + "-" + std::to_string(*a.ticket_id);
        if (transition_.empty())
            return fail(failure_kind::refused, issue + ": its workflow offers you no transition to a done " +
                                                   "status; close it by hand (" + a.reason + ")");
        json request = json_object({{"transition", json_object({{"id", transition_}})}});
        add_comment(request, a.note);
        for (std::size_t i = 0; i < follow_ups_.size(); ++i)
            if (follow_ups_[i].id == *a.ticket_id) {
                json property = held_[i].is_object() ? held_[i] : json::object();
                property["state"] = a.state;
                add_property(request, property);
            }
        stage_ = stage::close;
        return then(
            {{"POST", "/rest/api/3/issue/" + issue + "/transitions", request.dump(), "application/json", -1},
             true,
             http_request{"GET", "/rest/api/3/issue/" + issue + "/properties/" + upkeep_property, "", "", -1},
             std::string(to_string(a.kind)) + " " + a.key});
    }
    case stage::close: {
        ++written_;
        const follow_up_action& a = actions_[action_];
        for (follow_up_ticket& t : follow_ups_)
            if (t.id == *a.ticket_id) {
                t.closed = true;
                t.withdrawn = ticket_state::parse(a.state).withdrawn;
            }
        ++action_;
        return next_action();
    }
    }
}

void change_session::change_read() {
    for (follow_up_ticket& t : follow_ups_)
        t.linked = links_to(change_json_, project() + "-" + std::to_string(t.id));
    record_ = assessment_of(change_json_);
    const int revision = record_ ? record_->revision : 0;
    if (opts_.answers) {
        const int based_on = opts_.based_on.value_or(revision);
        const bool same = record_ && record_->answers == *opts_.answers;
        if (revision == based_on && !same) return write_record();
        if (revision == based_on || (revision == based_on + 1 && same && record_->by == by())) {
            // The answers of the record standing (given again, or recorded by a session whose answer was
            // lost): no new revision, no second comment; the follow-ups are brought in line.
            unchanged_ = revision == based_on;
            opts_.answers.reset();
            opts_.apply = !opts_.check_only;
        } else {
            return superseded();
        }
    }
    assess_record();
    plan_and_apply();
}

void change_session::superseded() {
    conflict_ =
        (record_ ? json_value(json_object_at(json_object_at(change_json_, "properties"), change_property),
                              "name", record_->by)
                 : std::string("Someone")) +
        " recorded an assessment of this change while you were answering (revision " +
        std::to_string(record_ ? record_->revision : 0) +
        ", shown here). Yours was not recorded: answer again if it differs.";
    opts_.answers.reset();
    opts_.apply = false;
    assess_record();
    plan_and_apply();
}

void change_session::assess_record() {
    if (!record_) return;
    diagnostics stale;
    assessment_ = assess_change(config().changes, record_->answers, facts_on(record_->assessed_on), stale);
    for (diagnostic& d : stale) {
        d.message += " (the configuration changed since this assessment: assess again)";
        notes_.push_back(std::move(d));
    }
}

change_facts change_session::facts_on(day_point assessed_on) const {
    const auto go_live = json_day(json_object_at(change_json_, "fields"), "duedate");
    return {change_,
            assessed_on,
            go_live,
            references(),
            json_value(change_json_, json_path{"/fields/summary"}, std::string{}),
            ""};
}

void change_session::write_record() {
    assessment_record record{record_ ? record_->revision + 1 : 1, opts_.on.value_or(opts_.today), by(),
                             *opts_.answers};
    assessment_ = assess_change(config().changes, record.answers, facts_on(record.assessed_on), notes_);
    if (!assessment_) {
        kind_ = "bad_answers";
        return finish();
    }
    const std::string name = opts_.by_name.empty() ? account_name() : opts_.by_name;
    record_ = record;
    recorded_revision_ = record.revision;
    if (opts_.check_only) return finish();
    assessment_record named = record;
    named.by = name; // the comment names the person
    json body = json::object();
    add_comment(body, assessment_note(config().changes, named, *assessment_));
    add_property(body,
                 json_object({{"revision", record.revision},
                              {"on", format_iso_date(record.assessed_on)},
                              {"by", record.by},
                              {"name", name},
                              {"answers", record.answers},
                              {"impact", assessment_->affects ? "affects" : "none"}}),
                 change_property);
    stage_ = stage::record;
    then({{"PUT", "/rest/api/3/issue/" + opts_.issue, body.dump(), "application/json", -1},
          true,
          http_request{"GET", "/rest/api/3/issue/" + opts_.issue + "/properties/" + change_property, "", "",
                       -1},
          "record the assessment (revision " + std::to_string(record.revision) + ")"});
}

void change_session::plan_and_apply() {
    actions_ = assessment_ ? plan_follow_ups(*assessment_, facts_on(record_->assessed_on), follow_ups_)
                           : std::vector<follow_up_action>{};
    action_ = 0;
    if (!opts_.apply || actions_.empty()) return finish();
    if (pass_ == max_passes)
        return fail(failure_kind::unreachable,
                    "the follow-ups did not settle: someone else is changing them; reload the page");
    ++pass_;
    if (actions_.end() !=
            std::find_if(actions_.begin(), actions_.end(),
                         [](const follow_up_action& a) { return a.kind == follow_up_action_kind::create; }) &&
        issue_type_id(opts_.issue_type).empty())
        return fail(failure_kind::not_set_up, "project " + project() + " has no issue type \"" +
                                                  opts_.issue_type +
                                                  "\" for follow-ups: add it to the project's issue types");
    next_action();
}

void change_session::next_action() {
    if (action_ == actions_.size()) return plan_and_apply(); // what is left, from what was written
    const follow_up_action& a = actions_[action_];
    const std::string label = std::string(to_string(a.kind)) + " " + a.key;
    switch (a.kind) {
    case follow_up_action_kind::create: {
        stage_ = stage::create;
        const json body =
            new_issue(project(), issue_type_id(opts_.issue_type), a.key, a.state, *a.fields, config());
        return then({{"POST", "/rest/api/3/issue", body.dump(), "application/json", -1},
                     true,
                     search_by_key(a.key),
                     label});
    }
    case follow_up_action_kind::link:
        return link(*a.ticket_id, a.blocks_change);
    case follow_up_action_kind::close:
        stage_ = stage::transitions;
        return then(
            {{"GET", "/rest/api/3/issue/" + project() + "-" + std::to_string(*a.ticket_id) + "/transitions",
              "", "", -1},
             false,
             std::nullopt,
             label + " (its transitions)"});
    }
}

// A follow-up due before go-live blocks the change; the others relate to it.
void change_session::link(long long follow_up, bool blocks_change) {
    const std::string key = project() + "-" + std::to_string(follow_up);
    const json body = json_object({{"type", json_object({{"name", blocks_change ? "Blocks" : "Relates"}})},
                                   {"outwardIssue", json_object({{"key", key}})},
                                   {"inwardIssue", json_object({{"key", opts_.issue}})}});
    stage_ = stage::link;
    then({{"POST", "/rest/api/3/issueLink", body.dump(), "application/json", -1},
          true,
          http_request{"GET", "/rest/api/3/issue/" + opts_.issue + "?fields=issuelinks", "", "", -1},
          "link " + key + " to " + opts_.issue});
}

bool change_session::applied(const http_response& check) const {
    const json body = parse_json_or_discarded(check.body);
    switch (stage_) {
    case stage::record:
        return json_value(body, json_path{"/value/revision"}, 0) == recorded_revision_ &&
               json_value(body, json_path{"/value/by"}, std::string{}) == by();
    case stage::create:
        return !json_array_at(body, "issues").empty();
    case stage::link: {
        const follow_up_action& a = actions_[action_];
        const long long id = a.ticket_id ? *a.ticket_id : follow_ups_.back().id;
        return links_to(body, project() + "-" + std::to_string(id));
    }
    case stage::close:
        return json_value(body, json_path{"/value/state"}, std::string{}) == actions_[action_].state;
    default:
        return false;
    }
}

bool change_session::check_proves_absence() const {
    return stage_ != stage::create;
}

json change_session::result() const {
    json view = nullptr;
    if (!failure() && !change_json_.is_null()) {
        // The record as people read it: who answered, by name.
        std::optional<assessment_record> shown = record_;
        const json& property = json_object_at(json_object_at(change_json_, "properties"), change_property);
        if (shown && shown->revision == recorded_revision_)
            shown->by = opts_.by_name.empty() ? account_name() : opts_.by_name;
        else if (shown)
            shown->by = json_value(property, "name", shown->by);
        change_prompt_parts parts;
        parts.change = change_;
        parts.is_change = kind_ != "not_a_change";
        parts.go_live = json_day(json_object_at(change_json_, "fields"), "duedate");
        parts.record = &shown;
        parts.assessment = &assessment_;
        parts.follow_ups = &follow_ups_;
        parts.requests = &actions_;
        parts.problems = &notes_;
        view = change_prompt_view(config().changes, parts);
    }
    return json_object({{"kind", kind_},
                        {"view", std::move(view)},
                        {"written", written_},
                        {"conflict", conflict_.empty() ? json() : json(conflict_)},
                        {"unchanged", unchanged_},
                        {"account", json_object({{"id", account_id()}, {"name", account_name()}})},
                        {"failure", failure_json(failure())}});
}

} // namespace upkeep::jira
