// The Redmine sync session.
//
// Design note. The reads, in order, each one GET (pages are 100 items):
//   1. /users/current.json, /projects/ID.json?include=trackers,issue_custom_fields, /issue_statuses.json:
//      who runs the sync and whether the project is set up (trackers, custom fields, a closed status);
//   2. the wiki page ISMS_configuration with its attachments (the published calendar), unless the adapter
//      gave a configuration;
//   3. every page of the project's tickets that carry an Upkeep key, then every page of its nonconformities
//      (and, read only, of its change tickets: the trackers the configuration names as changes, and of its
//      incidents, for the metrics);
//   4. GET /users/ID.json for each other author of keyed tickets, once: a ticket is Upkeep's only when its
//      author is the running account or one of the configuration's sync accounts (tickets name their
//      author by id, the configuration by login);
//   5. the plan; then, only when it assigns tickets to owners the session does not know yet, the
//      memberships and member accounts until every owner is known (memberships name users, not logins).
// Nothing is written before the plan exists, so every problem stops the session before any write.

#include "upkeep/redmine_sync.hpp"

#include "upkeep/wiki_storage.hpp"

#include <algorithm>

namespace upkeep::redmine {

namespace {
const std::string config_page = "ISMS_configuration";
}

sync_session::sync_session(options opts) : opts_(std::move(opts)) {
    read("/users/current.json");
}

std::string sync_session::config_source() const {
    return opts_.config_text ? "the configuration file" : "wiki page " + config_page;
}

void sync_session::read(std::string path) {
    state_ = session_state::read;
    path_ = std::move(path);
}

void sync_session::stop(session_state why, std::string message) {
    state_ = why;
    if (!message.empty()) problems_.push_back({severity::error, "", std::move(message)});
}

bool sync_session::load_configuration(const std::string& text) {
    config_text_ = text;
    config_ = parse_configuration(text);
    if (has_errors(config_.problems)) {
        problems_ = config_.problems;
        stop(session_state::bad_configuration, "");
        return false;
    }
    problems_ = config_.problems; // warnings travel with the plan
    cycle_ = compute_cycle(config_.config.certification);
    // Tickets count as Upkeep's by their author: an account outside the sync accounts would make tickets
    // the others take for look-alikes, and duplicate.
    const auto& accounts = config_.config.sync.accounts;
    const std::string login = current_user_.value("/user/login"_json_pointer, std::string{});
    if (!opts_.read_only && !accounts.empty() &&
        std::find(accounts.begin(), accounts.end(), login) == accounts.end()) {
        stop(session_state::not_set_up,
             "the account \"" + login + "\" is not one of the configuration's sync accounts (" +
                 "/sync/accounts): add it there, or sync as one of them, so that every sync "
                 "counts the same tickets as Upkeep's");
        return false;
    }
    return true;
}

void sync_session::answer(const nlohmann::json& body) {
    if (state_ != session_state::read) return;
    take_answer([&] { take(body); },
                [&](const std::string& error) {
                    stop(session_state::not_set_up,
                         "Redmine's answer to GET " + path_ + " could not be read: " + error);
                });
}

void sync_session::take(const nlohmann::json& body) {
    const bool missing = body.is_null();
    switch (stage_) {
    case stage::account:
        current_user_ = body;
        stage_ = stage::project;
        return read("/projects/" + opts_.project + ".json?include=trackers,issue_custom_fields");
    case stage::project:
        if (missing)
            return stop(session_state::not_set_up,
                        "project \"" + opts_.project +
                            "\" does not exist or is not visible to this account: check the "
                            "identifier, and make the account a member");
        project_ = body;
        stage_ = stage::statuses;
        return read("/issue_statuses.json");
    case stage::statuses: {
        statuses_ = body;
        diagnostics setup;
        ctx_ = discover(current_user_, project_, statuses_, setup);
        if (!setup.empty()) {
            problems_ = setup;
            return stop(session_state::not_set_up, "");
        }
        if (opts_.config_text) {
            if (!load_configuration(*opts_.config_text)) return;
            stage_ = stage::tickets;
            return read(issues_query(ctx_, 0));
        }
        stage_ = stage::wiki;
        return read("/projects/" + opts_.project + "/wiki/" + config_page + ".json?include=attachments");
    }
    case stage::wiki: {
        if (missing)
            return stop(session_state::not_set_up,
                        "the project has no wiki page " + config_page +
                            ": import a configuration in the ISMS tab, or give one");
        wiki_page_ = body; // its attachments hold the published calendar (calendar_feed.hpp)
        const auto text =
            configuration_from_wiki_text(body.value("/wiki_page/text"_json_pointer, std::string{}));
        if (!text)
            return stop(session_state::bad_configuration,
                        "the wiki page " + config_page + " opens a code block it never closes");
        if (!load_configuration(*text)) return;
        stage_ = stage::tickets;
        return read(issues_query(ctx_, 0));
    }
    case stage::tickets:
        ticket_pages_.push_back(body);
        if (more_pages(body, "issues", offset_)) return read(issues_query(ctx_, offset_));
        offset_ = 0;
        stage_ = stage::nonconformities;
        return read(nonconformities_query(ctx_, 0));
    case stage::nonconformities:
        nc_pages_.push_back(body);
        if (more_pages(body, "issues", offset_)) return read(nonconformities_query(ctx_, offset_));
        offset_ = 0;
        change_tracker_ids_ = tracker_ids(project_, config_.config.changes.trackers);
        incidents_ = find_incident_source(project_, config_.config.metrics);
        snapshot_.has_incidents = incidents_.tracker_id != 0;
        if (opts_.read_only && !change_tracker_ids_.empty()) {
            stage_ = stage::changes;
            return read(changes_query(ctx_, change_tracker_ids_, 0));
        }
        return read_incidents();
    case stage::changes: {
        const auto records = change_records_from_page(body, ctx_);
        snapshot_.changes.insert(snapshot_.changes.end(), records.begin(), records.end());
        if (more_pages(body, "issues", offset_))
            return read(changes_query(ctx_, change_tracker_ids_, offset_));
        offset_ = 0;
        return read_incidents();
    }
    case stage::incidents: {
        const auto records = incident_records_from_page(body, ctx_, incidents_);
        snapshot_.incidents.insert(snapshot_.incidents.end(), records.begin(), records.end());
        if (more_pages(body, "issues", offset_))
            return read(changes_query(ctx_, {incidents_.tracker_id}, offset_));
        offset_ = 0;
        classify_authors();
        return advance();
    }
    case stage::authors: {
        if (authors_to_check_.empty()) return advance();
        const long long id = authors_to_check_.back();
        authors_to_check_.pop_back();
        const std::string login = missing ? "" : body.value("/user/login"_json_pointer, std::string{});
        const auto& accounts = config_.config.sync.accounts;
        if (std::find(accounts.begin(), accounts.end(), login) != accounts.end())
            ctx_.upkeep_user_ids.insert(id);
        return advance();
    }
    case stage::memberships: {
        const auto users = add_memberships(ctx_, body);
        members_to_check_.insert(members_to_check_.end(), users.begin(), users.end());
        if (more_pages(body, "memberships", offset_))
            return read("/projects/" + opts_.project +
                        "/memberships.json?limit=100&offset=" + std::to_string(offset_));
        std::reverse(members_to_check_.begin(), members_to_check_.end());
        stage_ = stage::members;
        return advance();
    }
    case stage::members:
        if (!members_to_check_.empty()) members_to_check_.pop_back();
        if (!missing) add_user(ctx_, body);
        return advance();
    case stage::done:
        return;
    }
}

// Read only: the incident tracker's tickets, for the metrics; then on to the authors.
void sync_session::read_incidents() {
    if (opts_.read_only && incidents_.tracker_id) {
        stage_ = stage::incidents;
        return read(changes_query(ctx_, {incidents_.tracker_id}, 0));
    }
    classify_authors();
    advance();
}

void sync_session::classify_authors() {
    std::set<long long> authors;
    for (const auto* pages : {&ticket_pages_, &nc_pages_})
        for (const nlohmann::json& page : *pages)
            for (const nlohmann::json& issue : page.value("issues", nlohmann::json::array()))
                if (!custom_value(issue, ctx_.key_field_id).empty())
                    authors.insert(issue.value("/author/id"_json_pointer, 0LL));
    for (const long long id : authors)
        if (id && !ctx_.upkeep_user_ids.count(id)) authors_to_check_.push_back(id);
    stage_ = stage::authors;
}

// Moves to the next read, or plans and finishes.
void sync_session::advance() {
    if (stage_ == stage::authors) {
        if (!authors_to_check_.empty())
            return read("/users/" + std::to_string(authors_to_check_.back()) + ".json");
        if (opts_.read_only) {
            const auto append = [](auto& to, const auto& from) {
                to.insert(to.end(), from.begin(), from.end());
            };
            for (const nlohmann::json& page : ticket_pages_) {
                append(snapshot_.tasks, task_records_from_page(page, ctx_));
                append(snapshot_.follow_ups, follow_up_records_from_page(page, ctx_));
                append(snapshot_.decisions, decision_records_from_page(page, ctx_));
                for (finding_record& f : finding_records_from_page(page, ctx_))
                    if (f.kind != "nonconformity") // those come from the nonconformities' pages below
                        snapshot_.findings.push_back(std::move(f));
            }
            for (const nlohmann::json& page : nc_pages_)
                append(snapshot_.findings, finding_records_from_page(page, ctx_));
            return stop(session_state::planned, "");
        }
        make_plan();
        if (owners_known()) return stop(session_state::planned, "");
        stage_ = stage::memberships;
        offset_ = 0;
        return read("/projects/" + opts_.project + "/memberships.json?limit=100&offset=0");
    }
    if (stage_ == stage::members) {
        if (!owners_known() && !members_to_check_.empty())
            return read("/users/" + std::to_string(members_to_check_.back()) + ".json");
        stage_ = stage::done;
        skip_unknown_line_owners();
        const auto missing = unknown_owners(plan_, ctx_);
        if (missing.empty()) return stop(session_state::planned, "");
        std::string message = "these owners are not members of project " + opts_.project +
                              ", so tickets cannot be assigned to them:";
        for (const auto& owner : missing)
            message += " " + owner;
        message +=
            ". Add them as members with a role whose members can be assigned issues, or change the owners.";
        return stop(session_state::not_set_up, message);
    }
}

void sync_session::make_plan() {
    tracker_state tracker;
    bool decisions_wait = false;
    for (const nlohmann::json& page : ticket_pages_)
        for (tracked_ticket& t : tickets_from_page(page, ctx_)) {
            // Review decisions become ISMS follow-ups: without that tracker, they wait.
            if (!ctx_.follow_up_tracker_id && !t.decisions.empty()) {
                t.decisions.clear();
                decisions_wait = true;
            }
            tracker.upkeep_tickets.push_back(std::move(t));
        }
    for (const nlohmann::json& page : nc_pages_) {
        const auto ncs = nonconformities_from_page(page, ctx_);
        tracker.nonconformities.insert(tracker.nonconformities.end(), ncs.begin(), ncs.end());
    }
    ticket_pages_.clear();
    nc_pages_.clear();
    plan_ = plan_sync(config_.config, cycle_, tracker, opts_.today);
    if (decisions_wait)
        plan_.notices.push_back("review decisions wait: the project has no \"" +
                                std::string(follow_up_tracker) + "\" tracker (run `rake upkeep:setup`)");
}

bool sync_session::owners_known() const {
    return unknown_owners(plan_, ctx_).empty();
}

// A line people typed (a nonconformity's corrective action, a review's decision) whose owner is not a
// member is skipped, with a notice; only the configuration's owners are the setup's business.
void sync_session::skip_unknown_line_owners() {
    std::set<std::string> configured{config_.config.nonconformities.owner};
    for (const activity& a : config_.config.activities)
        configured.insert(a.owner);
    auto& actions = plan_.actions;
    const auto skipped = std::remove_if(actions.begin(), actions.end(), [&](const sync_action& a) {
        if (!a.fields ||
            (a.fields->kind != ticket_kind::corrective_action && a.fields->kind != ticket_kind::follow_up))
            return false;
        const std::string& owner = a.fields->assignee;
        if (owner.empty() || ctx_.principals.count(owner) || configured.count(owner)) return false;
        plan_.notices.push_back(a.reason + ": \"" + owner +
                                "\" is not a member of the project, so the line is skipped");
        return true;
    });
    actions.erase(skipped, actions.end());
}

} // namespace upkeep::redmine
