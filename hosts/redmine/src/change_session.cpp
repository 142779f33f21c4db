// The change prompt's Redmine session.
//
// Design note. The reads, each one GET: the opening (the account, the project, the statuses, the
// configuration's wiki page); when recording, the change's lock_version (Upkeep's plugin serves it at
// /issues/ID/upkeep_lock.json: Redmine's REST API does not show it); the change ticket with its
// relations; the project's "ISMS follow-up" tickets whose key starts with `change:<id>:`; and only when a
// follow-up must be assigned to an owner not known yet, the memberships and member accounts.
//
// Recording writes one PUT on the change (the journal note, the ISMS impact, the state with the record)
// carrying the lock_version read before the change, so Redmine refuses it (422, no reason given) when
// anything changed the ticket in between. Answers given on a form that showed another revision than the
// ticket holds are not written at all: the view shows whose record stands. A stale refusal is read again:
// someone else's record stands, or (another edit, such as a comment) the record is written again, three
// times at most. After the record, the session rereads and brings the follow-ups in line with what the
// ticket records (create and link, close the ones no longer called for), pass after pass until nothing is
// left (four at most), so concurrent answers converge (change_impact.cpp says why). A relation Redmine
// refuses (someone linked the same follow-up first) is left to the next pass to check.
//
// A supplier follow-up (follow_up_rule::supplier) also reads the supplier register, once, for the prompt
// to offer its suppliers. Linking the supplier comes once the follow-ups are in line: a new supplier's
// ticket is made first, carrying the key supplier:<change>:<follow-up> (a lost answer is looked up by it,
// and a run stopped before the link finds it made), then the relation to the change.

#include "upkeep/redmine/change_session.hpp"

#include <upkeep/json_value.hpp>

#include <upkeep/json_parse.hpp>
#include <upkeep/ticket_key.hpp>

#include <algorithm>
#include <set>

namespace upkeep::redmine {
namespace {

using json = nlohmann::json;

constexpr int max_passes = 4;
constexpr int max_record_attempts = 3;

// The change ticket's due date (its go-live), when it has one (Redmine sends null otherwise).
std::optional<day_point> go_live_of(const json& issue) {
    const auto it = issue.find("due_date");
    return it != issue.end() && it->is_string() ? parse_iso_date(it->get<std::string>()) : std::nullopt;
}

std::string issue_path(long long id) {
    return "/issues/" + std::to_string(id) + ".json";
}

bool related(const json& change, long long ticket) {
    for (const json& r : json_array_at(change, "relations"))
        if (json_value(r, "issue_id", 0LL) == ticket || json_value(r, "issue_to_id", 0LL) == ticket)
            return true;
    return false;
}

} // namespace

change_session::change_session(options opts)
    : project_session({opts.project, std::nullopt, false, false}), opts_(std::move(opts)) {}

std::string change_session::path() const {
    return issue_path(opts_.change_id);
}

void change_session::opened() {
    diagnostics setup;
    const std::string hint = " Run `rake upkeep:setup` in Redmine (as an administrator) to create it.";
    if (!ctx_.follow_up_tracker_id)
        setup.push_back({severity::error, "",
                         std::string("the project has no \"") + follow_up_tracker + "\" tracker." + hint});
    if (!ctx_.impact_field_id)
        setup.push_back({severity::error, "",
                         std::string("the project has no custom field \"") + impact_field + "\"." + hint});
    if (!setup.empty())
        return fail(failure_kind::not_set_up, "the project is not ready for the change prompt", setup);
    if (opts_.answers) {
        // Read before the change, so a write in between makes the record's PUT stale, never lost.
        stage_ = stage::lock;
        return read("/issues/" + std::to_string(opts_.change_id) + "/upkeep_lock.json");
    }
    read_change();
}

void change_session::read_change() {
    stage_ = stage::change;
    read(path() + "?include=relations");
}

void change_session::take_own(json& body, const http_response& response) {
    switch (stage_) {
    case stage::lock: {
        const json& version =
            body.is_object() ? json_value(body, json_path{"/issue/lock_version"}, json()) : json();
        lock_version_ = version.is_number_integer() ? std::optional(version.get<long long>()) : std::nullopt;
        return read_change();
    }
    case stage::change:
        if (body.is_null())
            return fail(failure_kind::not_set_up, "change #" + std::to_string(opts_.change_id) +
                                                      " does not exist or is not visible to your account");
        change_ = json_object_at(body, "issue");
        return after_change();
    case stage::follow_ups:
        // Upkeep's follow-ups (its tracker, this project) of this change.
        for (const follow_up_record& f : follow_up_records_from_page(body, ctx_))
            if (f.change_id == opts_.change_id)
                follow_ups_.push_back({f.id, f.key, f.withdrawn, f.closed, related(change_, f.id)});
        if (more_pages(body, "issues", offset_))
            return read(follow_ups_query(ctx_, follow_up_key(opts_.change_id, ""), offset_));
        return plan_follow_ups_now();
    case stage::suppliers:
        for (const json& issue : json_array_at(body, "issues"))
            if (auto s = supplier_of(issue, ctx_)) {
                register_.push_back(std::move(*s));
                register_keys_.push_back(custom_value(issue, ctx_.key_field_id));
            }
        if (more_pages(body, "issues", offset_))
            return read(changes_query(ctx_, {ctx_.supplier_tracker_id}, offset_));
        register_read_ = true;
        return plan_follow_ups_now();
    case stage::supplier_create: {
        ++written_;
        long long id = json_value(body, json_path{"/issue/id"}, 0LL);
        if (response.looked_up) {
            id = 0;
            for (const tracked_ticket& t : tickets_from_page(body, ctx_))
                if (t.key == supplier_key(opts_.change_id, opts_.supplier->rule)) id = t.id;
        }
        if (!id)
            return fail(failure_kind::unreachable,
                        "the new supplier's ticket was not found after it was made: submit again");
        opts_.supplier->ticket = id;
        register_.push_back({.id = id, .name = opts_.supplier->name});
        register_keys_.push_back(supplier_key(opts_.change_id, opts_.supplier->rule));
        return link_supplier();
    }
    case stage::supplier_link:
        ++written_;
        return supplier_linked();
    case stage::owners:
        owners_.take(ctx_, body);
        return next_owner_or_apply();
    case stage::record:
        ++written_;
        expected_revision_ = record_->revision;
        opts_.answers.reset(); // recorded; from now on, bring the follow-ups in line
        return read_change();
    case stage::create: {
        ++written_;
        const follow_up_action& a = actions_[action_];
        long long id = 0;
        if (!response.looked_up)
            id = json_value(body, json_path{"/issue/id"}, 0LL);
        else
            for (const tracked_ticket& t : tickets_from_page(body, ctx_))
                if (t.key == a.key) id = t.id;
        if (id) return link(id, a.blocks_change);
        ++action_;
        return next_action();
    }
    case stage::link:
        ++written_;
        ++action_;
        return next_action();
    case stage::close:
        // Redmine answers 204 and keeps the status when its workflow forbids the change: read it back.
        ++written_;
        stage_ = stage::closed;
        return read(issue_path(*actions_[action_].ticket_id));
    case stage::closed:
        if (!is_closed(json_object_at(body, "issue"), ctx_))
            return fail(failure_kind::refused,
                        "PUT " + issue_path(*actions_[action_].ticket_id) +
                            ": Redmine's workflow does not let your role close ISMS follow-ups (the "
                            "follow-up says it "
                            "is no longer needed; close it by hand, or give the role that transition)");
        ++action_;
        return next_action();
    }
}

bool change_session::refused(const http_response& response) {
    if (response.status != 422 || (stage_ != stage::record && stage_ != stage::link)) return false;
    const session_failure why = classify(response);
    const json body = parse_json_or_discarded(response.body);
    const bool reasons = body.is_object() && !json_array_at(body, "errors").empty();
    if (stage_ == stage::link) {
        // Someone may have linked the same follow-up first ("has already been taken"): the next pass checks.
        refused_link_ = why.message;
        ++action_;
        next_action();
        return true;
    }
    if (reasons) {
        fail(failure_kind::refused, "Redmine refused the assessment: " + why.message);
        return true;
    }
    // Stale: someone recorded meanwhile, or edited the change (a comment). Read it again.
    if (++record_attempts_ == max_record_attempts) {
        fail(failure_kind::refused,
             "Redmine refused the assessment: " + why.message + " (the change kept changing; submit again)");
        return true;
    }
    stale_ = true;
    stage_ = stage::lock;
    read("/issues/" + std::to_string(opts_.change_id) + "/upkeep_lock.json");
    return true;
}

void change_session::after_change() {
    const std::string tracker = json_value(change_, json_path{"/tracker/name"}, std::string{});
    const auto& trackers = config().changes.ticket_types;
    if (!in_project(change_, ctx_) ||
        std::find(trackers.begin(), trackers.end(), tracker) == trackers.end()) {
        kind_ = "not_a_change";
        return finish();
    }
    if (config().changes.questions.empty())
        return fail(failure_kind::bad_input,
                    "the ISMS configuration has no change questionnaire: add a \"changes\" "
                    "section (`upkeep init` writes one)");
    for (const auto& [id, name] :
         {std::pair{ctx_.impact_field_id, impact_field}, std::pair{ctx_.state_field_id, state_field}})
        if (!has_custom_field(change_, id))
            return fail(failure_kind::not_set_up,
                        std::string("the custom field \"") + name + "\" is not enabled for the tracker \"" +
                            tracker + "\": an administrator adds it under Administration > Custom fields > " +
                            name + " > Trackers");
    record_ = parse_assessment_record(custom_value(change_, ctx_.state_field_id));
    const int revision = record_ ? record_->revision : 0;
    notes_.clear();
    assessment_.reset();
    follow_ups_.clear();
    actions_.clear();
    action_ = 0;
    if (opts_.answers) {
        // Answers count only over the revision their form showed (or, after a stale refusal, over the one the
        // session tried to replace).
        if ((opts_.based_on && revision != *opts_.based_on) || (stale_ && revision >= attempted_revision_))
            return superseded();
        if (!record_ || record_->answers != *opts_.answers) return write_record();
        // The answers of the record standing: no new revision, no second note; the follow-ups are brought
        // in line as for an update.
        unchanged_ = true;
        opts_.answers.reset();
        opts_.apply = true;
    }
    // Redmine answers 204 and drops a field the role may not edit: the record must be there.
    if (expected_revision_ && revision < expected_revision_)
        return fail(
            failure_kind::refused,
            "Redmine did not store the assessment: your role may not edit the \"ISMS impact\" or \"Upkeep "
            "state\" field of this tracker (Administration > Workflows > Fields permissions).");
    if (record_) {
        const change_facts facts = facts_on(record_->assessed_on);
        diagnostics stale;
        assessment_ = assess_change(config().changes, record_->answers, facts, stale);
        for (diagnostic& d : stale) {
            d.message += " (the configuration changed since this assessment: assess again)";
            notes_.push_back(std::move(d));
        }
    }
    stage_ = stage::follow_ups;
    offset_ = 0;
    read(follow_ups_query(ctx_, follow_up_key(opts_.change_id, ""), 0));
}

void change_session::superseded() {
    conflict_ = (record_ ? record_->by : std::string("Someone")) +
                " recorded an assessment of this change while you were answering (revision " +
                std::to_string(record_ ? record_->revision : 0) +
                ", shown here). Yours was not recorded: answer again if it differs.";
    opts_.answers.reset();
    opts_.apply = false;
    after_change();
}

change_facts change_session::facts_on(day_point assessed_on) const {
    // The ISMS tab's SoA section, for the follow-ups on the scope and the SoA.
    std::string soa = config().soa ? address() + "/projects/" + project() + "/isms#upkeep-soa" : "";
    return {opts_.change_id,
            assessed_on,
            go_live_of(change_),
            reference_style,
            json_value(change_, json_path{"/subject"}, std::string{}),
            std::move(soa)};
}

void change_session::write_record() {
    assessment_record record{record_ ? record_->revision + 1 : 1, opts_.today, login(), *opts_.answers};
    const change_facts facts = facts_on(opts_.today);
    assessment_ = assess_change(config().changes, record.answers, facts, notes_);
    if (!assessment_) {
        kind_ = "bad_answers";
        return finish();
    }
    const std::string state = format_assessment_record(record);
    json body = json_object(
        {{"issue",
          json_object(
              {{"notes", assessment_note(config().changes, record, *assessment_)},
               {"custom_fields",
                json::array({json_object({{"id", ctx_.impact_field_id},
                                          {"value", assessment_->affects ? impact_affects : impact_none}}),
                             json_object({{"id", ctx_.state_field_id}, {"value", state}})})}})}});
    if (lock_version_) body["issue"]["lock_version"] = *lock_version_; // Redmine refuses it when stale
    record_ = record;
    attempted_revision_ = record.revision;
    stage_ = stage::record;
    write("PUT", path(), std::move(body), path(), {write_check::kind::state_is, state, 0},
          "record the assessment (revision " + std::to_string(record.revision) + ")");
}

bool change_session::wants_register() const {
    if (!ctx_.supplier_tracker_id || !assessment_) return false;
    return std::any_of(assessment_->follow_ups.begin(), assessment_->follow_ups.end(),
                       [](const follow_up_need& need) { return need.rule->supplier; });
}

void change_session::plan_follow_ups_now() {
    if (wants_register() && !register_read_) {
        stage_ = stage::suppliers;
        offset_ = 0;
        return read(changes_query(ctx_, {ctx_.supplier_tracker_id}, 0));
    }
    if (assessment_) {
        const change_facts facts = facts_on(record_->assessed_on);
        actions_ = plan_follow_ups(*assessment_, facts, follow_ups_);
    }
    stage_ = stage::owners;
    next_owner_or_apply();
}

void change_session::next_owner_or_apply() {
    std::vector<std::string> wanted;
    for (const follow_up_action& a : actions_)
        if (a.fields) wanted.push_back(a.fields->assignee);
    // A new supplier's ticket goes to its follow-up's owner.
    if (opts_.apply && opts_.supplier && !opts_.supplier->ticket && assessment_)
        for (const follow_up_need& need : assessment_->follow_ups)
            if (need.rule->id == opts_.supplier->rule) wanted.push_back(need.rule->owner);
    if (const auto next = owners_.next(ctx_, wanted, project())) return read(*next);
    if (const auto unknown = owner_lookup::unknown(ctx_, wanted); !unknown.empty()) {
        std::string message = "these follow-up owners are not members of project " + project() + ":";
        for (const std::string& owner : unknown)
            message += " " + owner;
        return fail(failure_kind::not_set_up,
                    message + ". Add them as members, or change the owners in /changes/follow_ups.");
    }
    if (opts_.apply && actions_.empty() && opts_.supplier) return link_supplier();
    if (!opts_.apply || actions_.empty()) return finish();
    if (pass_ == max_passes)
        return fail(failure_kind::unreachable,
                    refused_link_.empty()
                        ? "The follow-ups did not settle: someone else is changing them. Reload the "
                          "page."
                        : refused_link_);
    ++pass_;
    refused_link_.clear();
    action_ = 0;
    next_action();
}

void change_session::next_action() {
    if (action_ == actions_.size()) return read_change(); // the next pass checks what is left
    const follow_up_action& a = actions_[action_];
    const std::string label = std::string(to_string(a.kind)) + " " + a.key;
    switch (a.kind) {
    case follow_up_action_kind::create: {
        sync_action create;
        create.kind = sync_action_kind::create;
        create.key = a.key;
        create.fields = a.fields;
        create.state = a.state;
        stage_ = stage::create;
        return write("POST", "/issues.json", payload(create, ctx_), issue_by_key_query(ctx_, a.key),
                     {write_check::kind::key_listed, a.key, 0}, label);
    }
    case follow_up_action_kind::link:
        return link(*a.ticket_id, a.blocks_change);
    case follow_up_action_kind::close: {
        stage_ = stage::close;
        return write(
            "PUT", issue_path(*a.ticket_id),
            json_object({{"issue", json_object({{"status_id", ctx_.close_status_id},
                                                {"notes", a.note},
                                                {"custom_fields",
                                                 json::array({json_object({{"id", ctx_.state_field_id},
                                                                           {"value", a.state}})})}})}}),
            issue_path(*a.ticket_id), {write_check::kind::state_is, a.state, 0}, label);
    }
    }
}

// A follow-up due before go-live blocks the change (Redmine offers no closed status for an issue
// blocked by an open one); the others relate to it.
void change_session::link(long long ticket, bool blocks_change) {
    stage_ = stage::link;
    write(
        "POST", "/issues/" + std::to_string(opts_.change_id) + "/relations.json",
        json_object({{"relation", json_object({{"issue_to_id", ticket},
                                               {"relation_type", blocks_change ? "blocked" : "relates"}})}}),
        path() + "?include=relations", {write_check::kind::related, "", ticket},
        "link #" + std::to_string(ticket) + " to the change");
}

// The supplier of a supplier follow-up: the register's ticket, or a new one made first (or found made by
// an earlier run, by its key); then its relation to the change, unless it has one.
void change_session::link_supplier() {
    const auto& choice = *opts_.supplier;
    const follow_up_need* need = nullptr;
    if (assessment_)
        for (const follow_up_need& n : assessment_->follow_ups)
            if (n.rule->supplier && n.rule->id == choice.rule) need = &n;
    if (!ctx_.supplier_tracker_id)
        return fail(failure_kind::not_set_up, std::string("the project has no \"") + supplier_tracker +
                                                  "\" tracker: run `rake upkeep:setup` in Redmine");
    if (!need)
        return fail(failure_kind::bad_input,
                    "supplier/rule: \"" + choice.rule + "\" is not a supplier follow-up of this assessment");
    const std::string key = supplier_key(opts_.change_id, choice.rule);
    long long id = 0;
    for (std::size_t i = 0; i < register_.size(); ++i)
        if (choice.ticket ? register_[i].id == choice.ticket : register_keys_[i] == key) id = register_[i].id;
    if (choice.ticket && !id)
        return fail(failure_kind::bad_input, "supplier/ticket: #" + std::to_string(choice.ticket) +
                                                 " is not a supplier of the register");
    if (id) {
        if (related(change_, id)) return supplier_linked();
        link(id, false);
        stage_ = stage::supplier_link; // its answer, unlike a follow-up's
        return;
    }
    if (choice.name.empty() || choice.name.size() > 255)
        return fail(failure_kind::bad_input,
                    "supplier/name: give the new supplier's name (1 to 255 characters)");
    json issue = json_object(
        {{"project_id", ctx_.project_id},
         {"tracker_id", ctx_.supplier_tracker_id},
         {"subject", choice.name},
         {"start_date", format_iso_date(opts_.today)},
         {"custom_fields", json::array({json_object({{"id", ctx_.key_field_id}, {"value", key}})})}});
    if (const auto owner = ctx_.principals.find(need->rule->owner); owner != ctx_.principals.end())
        issue["assigned_to_id"] = owner->second; // its follow-up's owner
    stage_ = stage::supplier_create;
    write("POST", "/issues.json", json_object({{"issue", std::move(issue)}}), issue_by_key_query(ctx_, key),
          {write_check::kind::key_listed, key, 0}, "add the supplier to the register");
}

// Linked: the change is read again, with the register, for the view.
void change_session::supplier_linked() {
    opts_.supplier.reset();
    register_.clear();
    register_keys_.clear();
    register_read_ = false;
    read_change();
}

json change_session::view() const {
    change_prompt_parts parts;
    parts.change = opts_.change_id;
    parts.is_change = kind_ != "not_a_change";
    parts.go_live = go_live_of(change_);
    parts.record = &record_;
    parts.assessment = &assessment_;
    parts.follow_ups = &follow_ups_;
    parts.requests = &actions_;
    parts.problems = &notes_;
    parts.register_ = &register_;
    for (const supplier_record& e : register_)
        if (related(change_, e.id)) parts.linked_suppliers.push_back(e.id);
    return change_prompt_view(config().changes, parts);
}

json change_session::result() const {
    return json_object({{"kind", kind_},
                        {"view", failure() ? json() : view()},
                        {"written", written_},
                        {"conflict", conflict_.empty() ? json() : json(conflict_)},
                        {"unchanged", unchanged_},
                        {"failure", failure_json(failure())}});
}

} // namespace upkeep::redmine
