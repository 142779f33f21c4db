// The Redmine sync session.
//
// Design note. The reads, in order, each one GET (pages are 100 items): the opening (session.hpp: the
// account, the project, the statuses, the configuration's wiki page with its attachments, which hold the
// published calendar); every page of the project's tickets that carry an Upkeep key, then every page of
// its nonconformities, then, when the configuration reviews suppliers, of the supplier register; GET
// /users/ID.json for each other author of keyed tickets, once (a ticket is Upkeep's only when its author acts
// as Upkeep); the plan; then, only when it assigns tickets to owners not known yet, the memberships and
// member accounts until every owner is known. Nothing is written before that.
//
// The writes, one whole ticket change each, carrying Upkeep's key and state, so a run stopped anywhere
// is finished by the next: a create is looked up by its key when its answer is lost; an update by the
// state it writes. Closing a ticket (a nonconformity Upkeep raised, a duplicate) is two writes, the
// closing note with closing=1 in the state, then the status, read back (Redmine answers 204 and keeps the
// status when its workflow forbids the change); a run stopped between them, or refused, leaves
// closing=1, and the next run writes the status only. Then the calendar feed (sync_feed.cpp).

#include "upkeep/redmine/sync_session.hpp"

#include <upkeep/json_api.hpp>
#include <upkeep/json_value.hpp>
#include <upkeep/supplier_reviews.hpp>
#include <upkeep/ticket_key.hpp>

#include <algorithm>
#include <set>

namespace upkeep::redmine {

using json = nlohmann::json;

sync_session::sync_session(options opts)
    : project_session({opts.project, opts.config_text, !opts.config_text && opts.publish_feed, true}),
      opts_(std::move(opts)) {}

void sync_session::opened() {
    cycle_ = compute_cycle(config().certification);
    want_feed_authors();
    own_.suppliers_wanted = ctx_.supplier_tracker_id && !config().suppliers.reviews.empty();
    if (opts_.apply) return read_lease(); // a plan only (a dry run) needs no lease
    read_tickets();
}

void sync_session::read_tickets() {
    stage_ = stage::tickets;
    read(own_ticket_pages::first(ctx_));
}

void sync_session::take_own(json& body, const http_response& response) {
    if (releasing_) {
        lease_ = "released";
        return;
    }
    switch (stage_) {
    case stage::lease_read:
        return take_lease(body);
    case stage::lease_create:
        return read_lease();
    case stage::lease_take:
        return lease_taken(body);
    case stage::tickets:
        if (const auto next = own_.take(ctx_, body, config().sync.accounts)) return read(*next);
        stage_ = stage::authors;
        return next_author_or_plan();
    case stage::authors:
        own_.authors.take(ctx_, body, config().sync.accounts);
        return next_author_or_plan();
    case stage::owners:
        owners_.take(ctx_, body);
        return next_owner_or_write();
    case stage::writes:
        return take_write(body, response);
    default:
        return take_feed(body);
    }
}

void sync_session::next_author_or_plan() {
    if (const auto path = own_.authors.next()) return read(*path);
    make_plan();
    stage_ = stage::owners;
    next_owner_or_write();
}

void sync_session::make_plan() {
    tracker_state tracker;
    tracker.references = reference_style;
    bool decisions_wait = false;
    for (const json& page : own_.tickets)
        for (tracked_ticket& t : tickets_from_page(page, ctx_)) {
            // A supplier the change prompt added (supplier_key) is the register's, never the sync's.
            if (ticket_key::parse(t.key).kind == ticket_key_kind::supplier) continue;
            // Review decisions become ISMS follow-ups: without that tracker, they wait.
            if (!ctx_.follow_up_tracker_id && !t.decisions.empty()) {
                t.decisions.clear();
                decisions_wait = true;
            }
            tracker.upkeep_tickets.push_back(std::move(t));
        }
    for (const json& page : own_.nonconformities) {
        const auto ncs = nonconformities_from_page(page, ctx_);
        tracker.nonconformities.insert(tracker.nonconformities.end(), ncs.begin(), ncs.end());
    }
    std::vector<supplier_record> suppliers;
    for (json& page : own_.suppliers) {
        auto more = supplier_records_from_page(page, ctx_);
        suppliers.insert(suppliers.end(), more.begin(), more.end());
    }
    add_suppliers(suppliers);
    own_.clear();
    plan_ = plan_sync(config(), cycle_, tracker, opts_.today);
    planned_ = true;
    if (decisions_wait)
        plan_.notices.push_back("review decisions wait: the project has no \"" +
                                std::string(follow_up_tracker) + "\" tracker (run `rake upkeep:setup`)");
}

// Owners first (every assignee must be a member), then the writes.
void sync_session::next_owner_or_write() {
    std::vector<std::string> wanted;
    for (const sync_action& a : plan_.actions)
        if (a.fields) wanted.push_back(a.fields->assignee);
    if (const auto path = owners_.next(ctx_, wanted, project())) return read(*path);
    skip_unknown_line_owners();
    const auto missing = unknown_owners(plan_, ctx_);
    if (!missing.empty()) {
        std::string message = "these owners are not members of project " + project() +
                              ", so tickets cannot be assigned to them:";
        for (const auto& owner : missing)
            message += " " + owner;
        return fail(failure_kind::not_set_up,
                    message +
                        ". Add them as members with a role whose members can be assigned issues, or change "
                        "the owners.");
    }
    if (!opts_.apply) return finish();
    stage_ = stage::writes;
    next_write();
}

// A line people typed (a nonconformity's corrective action, a review's decision) or a supplier's review
// whose owner (the register's) is not a member is skipped, with a notice; only the configuration's owners
// are the setup's business.
void sync_session::skip_unknown_line_owners() {
    std::set<std::string> configured{config().nonconformities.owner, config().suppliers.owner};
    for (const activity& a : config().activities)
        if (!supplier_of_activity(a.id)) configured.insert(a.owner); // a supplier's is the register's
    auto& actions = plan_.actions;
    const auto skipped = std::remove_if(actions.begin(), actions.end(), [&](const sync_action& a) {
        if (!a.fields ||
            (a.fields->kind != ticket_kind::corrective_action && a.fields->kind != ticket_kind::follow_up &&
             !a.key.starts_with("control:supplier-")))
            return false;
        const std::string& owner = a.fields->assignee;
        if (owner.empty() || ctx_.principals.count(owner) || configured.count(owner)) return false;
        plan_.notices.push_back((a.fields->kind == ticket_kind::control_task ? a.fields->subject : a.reason) +
                                ": \"" + owner + "\" is not a member of the project, so it is skipped");
        return true;
    });
    actions.erase(skipped, actions.end());
}

void sync_session::next_write() {
    if (action_ == plan_.actions.size()) return start_feed();
    const sync_action& a = plan_.actions[action_];
    const std::string label = std::string(to_string(a.kind)) + " " + a.key;
    if (a.kind == sync_action_kind::create) {
        return write("POST", "/issues.json", payload(a, ctx_), issue_by_key_query(ctx_, a.key),
                     {write_check::kind::key_listed, a.key, 0}, label);
    }
    const std::string path = "/issues/" + std::to_string(*a.ticket_id) + ".json";
    const write_check state_is{write_check::kind::state_is, a.state, 0};
    if (a.kind != sync_action_kind::close) return write("PUT", path, payload(a, ctx_), path, state_is, label);
    if (step_ == 0 && a.note_written) step_ = 1;
    switch (step_) {
    case 0:
        return write(
            "PUT", path,
            json_object({{"issue", json_object({{"notes", a.note},
                                                {"custom_fields",
                                                 json::array({json_object({{"id", ctx_.state_field_id},
                                                                           {"value", a.state}})})}})}}),
            path, state_is, label + " (its note)");
    case 1:
        return write("PUT", path,
                     json_object({{"issue", json_object({{"status_id", ctx_.close_status_id}})}}), path,
                     {write_check::kind::closed, "", 0}, label);
    default:
        return read(path); // the read-back
    }
}

void sync_session::take_write(const json& body, const http_response&) {
    const sync_action& a = plan_.actions[action_];
    if (a.kind == sync_action_kind::close && step_ < 2) {
        ++step_;
        return next_write();
    }
    if (a.kind == sync_action_kind::close && !is_closed(json_object_at(body, "issue"), ctx_))
        return fail(
            failure_kind::refused,
            "PUT /issues/" + std::to_string(*a.ticket_id) +
                ".json: Redmine's workflow does not let this account close this ticket (" + a.reason +
                "); give its role "
                "the transition to a closed status (the closing note is written; the next run sets the "
                "status only)");
    ++written_;
    ++action_;
    step_ = 0;
    next_write();
}

json sync_session::result() const {
    json out = json::object();
    out["plan"] = planned_ ? json_api::plan_json(plan_, problems(), reference_style) : json();
    out["written"] = written_;
    out["writing"] = stage_ >= stage::writes; // it got past the reads and the checks
    out["feed"] = feed_.empty() ? json() : json(feed_);
    out["lease"] = lease_.empty() ? json() : json(lease_);
    out["failure"] = failure_json(failure());
    return out;
}

json sync_session::progress() const {
    return planned_ ? json_object({{"done", action_}, {"total", plan_.actions.size()}}) : json::object();
}

} // namespace upkeep::redmine
