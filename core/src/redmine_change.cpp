// The change prompt's Redmine session.
//
// Design note. The reads, each one GET: the account, the project (trackers, custom fields), the statuses,
// the configuration's wiki page, when recording the change's lock_version (Upkeep's plugin serves it),
// the change ticket with its relations; then, unless recording, the project's "ISMS follow-up" tickets
// whose key starts with `change:<id>:`, and only when a follow-up must be assigned to an owner not known
// yet, the memberships and member accounts. Recording writes one PUT on the change (note, ISMS impact,
// state, and the lock_version read before the change, so Redmine refuses the PUT with 422 when someone
// recorded meanwhile: one record per revision number, and the adapter tells the one who came second);
// the adapter then rereads and applies the follow-up writes until there are none, so the follow-ups
// always match what the change ticket records (see change_impact.cpp for why that makes concurrent
// answers converge).

#include "upkeep/redmine_change.hpp"

#include "upkeep/wiki_storage.hpp"

#include <algorithm>

namespace upkeep::redmine {
namespace {

using json = nlohmann::json;

const std::string config_page = "ISMS_configuration";

json problems_json(const diagnostics& list) {
    json out = json::array();
    for (const diagnostic& d : list)
        out.push_back(
            {{"pointer", d.pointer}, {"message", d.message}, {"warning", d.level == severity::warning}});
    return out;
}

json assessment_json(const change_assessment& a) {
    json follow_ups = json::array();
    for (const follow_up_need& need : a.follow_ups)
        follow_ups.push_back({{"id", need.rule->id},
                              {"title", need.rule->title},
                              {"owner", need.rule->owner},
                              {"due", format_iso_date(need.due)},
                              {"references", need.rule->references},
                              {"reasons", need.reasons}});
    return {{"affects", a.affects},
            {"affecting", a.affecting},
            {"rationale", a.rationale},
            {"follow_ups", std::move(follow_ups)}};
}

// The change ticket's due date (its go-live), when it has one (Redmine sends null otherwise).
std::optional<day_point> go_live_of(const json& issue) {
    const auto it = issue.find("due_date");
    return it != issue.end() && it->is_string() ? parse_iso_date(it->get<std::string>()) : std::nullopt;
}

std::string issue_path(long long id) {
    return "/issues/" + std::to_string(id) + ".json";
}

} // namespace

change_session::change_session(options opts) : opts_(std::move(opts)) {
    read("/users/current.json");
}

void change_session::read(std::string path) {
    state_ = change_state::read;
    path_ = std::move(path);
}

void change_session::stop(change_state why, std::string message) {
    state_ = why;
    if (!message.empty()) problems_.push_back({severity::error, "", std::move(message)});
}

void change_session::reread() {
    if (state_ != change_state::ready) return;
    requests_.clear();
    actions_.clear();
    follow_ups_.clear();
    problems_.clear();
    record_.reset();
    assessment_.reset();
    opts_.answers.reset(); // recorded once; from now on, reconcile
    stage_ = stage::change;
    read(issue_path(opts_.change_id) + "?include=relations");
}

std::string change_session::follow_ups_query() const {
    return "/issues.json?project_id=" + std::to_string(ctx_.project_id) +
           "&tracker_id=" + std::to_string(ctx_.follow_up_tracker_id) + "&subproject_id=!*&status_id=*&cf_" +
           std::to_string(ctx_.key_field_id) + "=" + url_escape("~" + follow_up_key(opts_.change_id, "")) +
           "&sort=id&limit=100&offset=" + std::to_string(offset_);
}

void change_session::answer(const json& body) {
    if (state_ != change_state::read) return;
    take_answer([&] { take(body); },
                [&](const std::string& error) {
                    stop(change_state::not_set_up,
                         "Redmine's answer to GET " + path_ + " could not be read: " + error);
                });
}

void change_session::take(const json& body) {
    const bool missing = body.is_null();
    switch (stage_) {
    case stage::account:
        current_user_ = body;
        stage_ = stage::project;
        return read("/projects/" + opts_.project + ".json?include=trackers,issue_custom_fields");
    case stage::project:
        if (missing)
            return stop(change_state::not_set_up,
                        "project \"" + opts_.project + "\" does not exist or is not visible to your account");
        project_ = body;
        stage_ = stage::statuses;
        return read("/issue_statuses.json");
    case stage::statuses: {
        ctx_ = discover(current_user_, project_, body, problems_);
        const std::string hint = " Run `rake upkeep:setup` in Redmine (as an administrator) to create it.";
        if (!ctx_.follow_up_tracker_id)
            problems_.push_back(
                {severity::error, "",
                 std::string("the project has no \"") + follow_up_tracker + "\" tracker." + hint});
        if (!ctx_.impact_field_id)
            problems_.push_back(
                {severity::error, "",
                 std::string("the project has no custom field \"") + impact_field + "\"." + hint});
        if (!problems_.empty()) return stop(change_state::not_set_up, "");
        stage_ = stage::wiki;
        return read("/projects/" + opts_.project + "/wiki/" + config_page + ".json");
    }
    case stage::wiki: {
        if (missing)
            return stop(change_state::not_set_up, "the project has no ISMS configuration (wiki page " +
                                                      config_page + "): import one in the ISMS tab");
        const auto text =
            configuration_from_wiki_text(body.value("/wiki_page/text"_json_pointer, std::string{}));
        if (!text)
            return stop(change_state::bad_configuration,
                        "the wiki page " + config_page + " opens a code block it never closes");
        configuration_result parsed = parse_configuration(*text);
        if (has_errors(parsed.problems)) {
            problems_ = parsed.problems;
            return stop(change_state::bad_configuration, "");
        }
        config_ = std::move(parsed.config);
        if (opts_.answers) {
            stage_ = stage::lock;
            return read("/issues/" + std::to_string(opts_.change_id) + "/upkeep_lock.json");
        }
        stage_ = stage::change;
        return read(issue_path(opts_.change_id) + "?include=relations");
    }
    case stage::lock: {
        // Read before the change, so a write in between makes the record's PUT stale, never lost.
        const json& version =
            body.is_object() ? body.value("/issue/lock_version"_json_pointer, json()) : json();
        if (version.is_number_integer()) lock_version_ = version.get<long long>();
        stage_ = stage::change;
        return read(issue_path(opts_.change_id) + "?include=relations");
    }
    case stage::change:
        if (missing)
            return stop(change_state::not_set_up, "change #" + std::to_string(opts_.change_id) +
                                                      " does not exist or is not visible to your account");
        change_ = body.value("issue", json::object());
        return after_change();
    case stage::follow_ups: {
        std::set<long long> related;
        for (const json& r : change_.value("relations", json::array()))
            for (const char* end : {"issue_id", "issue_to_id"})
                related.insert(r.value(end, 0LL));
        // Upkeep's follow-ups (its tracker, this project) of this change.
        for (const follow_up_record& f : follow_up_records_from_page(body, ctx_))
            if (f.change_id == opts_.change_id)
                follow_ups_.push_back({f.id, f.key, f.withdrawn, f.closed, related.count(f.id) != 0});
        if (more_pages(body, "issues", offset_)) return read(follow_ups_query());
        return plan();
    }
    case stage::memberships: {
        const auto users = add_memberships(ctx_, body);
        members_to_check_.insert(members_to_check_.end(), users.begin(), users.end());
        if (more_pages(body, "memberships", offset_))
            return read("/projects/" + opts_.project +
                        "/memberships.json?limit=100&offset=" + std::to_string(offset_));
        std::reverse(members_to_check_.begin(), members_to_check_.end());
        stage_ = stage::members;
        return finish_owners();
    }
    case stage::members:
        if (!members_to_check_.empty()) members_to_check_.pop_back();
        if (!missing) add_user(ctx_, body);
        return finish_owners();
    }
}

void change_session::after_change() {
    const std::string tracker = change_.value("/tracker/name"_json_pointer, std::string{});
    const auto& trackers = config_.changes.trackers;
    if (!in_project(change_, ctx_) || std::find(trackers.begin(), trackers.end(), tracker) == trackers.end())
        return stop(change_state::not_a_change, "");
    if (config_.changes.questions.empty())
        return stop(
            change_state::bad_configuration,
            "the ISMS configuration has no change questionnaire: add a \"changes\" section (`upkeep init` "
            "writes one)");
    for (const auto& [id, name] :
         {std::pair{ctx_.impact_field_id, impact_field}, std::pair{ctx_.state_field_id, state_field}})
        if (!has_custom_field(change_, id))
            return stop(change_state::not_set_up,
                        std::string("the custom field \"") + name + "\" is not enabled for the tracker \"" +
                            tracker + "\": an administrator adds it under Administration > Custom fields > " +
                            name + " > Trackers");
    record_ = parse_assessment_record(custom_value(change_, ctx_.state_field_id));
    change_facts facts{opts_.change_id, opts_.today, go_live_of(change_)};

    if (opts_.answers) {
        assessment_record record{record_ ? record_->revision + 1 : 1, opts_.today,
                                 current_user_.value("/user/login"_json_pointer, std::string{}),
                                 *opts_.answers};
        assessment_ = assess_change(config_.changes, record.answers, facts, problems_);
        if (!assessment_) return stop(change_state::bad_answers, "");
        json body{{"issue",
                   {{"notes", assessment_note(config_.changes, record, *assessment_)},
                    {"custom_fields",
                     {{{"id", ctx_.impact_field_id},
                       {"value", assessment_->affects ? "Affects the ISMS" : "No impact"}},
                      {{"id", ctx_.state_field_id}, {"value", format_assessment_record(record)}}}}}}};
        if (lock_version_) body["issue"]["lock_version"] = *lock_version_; // Redmine refuses it if stale
        requests_.push_back({"record", "", "revision " + std::to_string(record.revision), "PUT",
                             issue_path(opts_.change_id), std::move(body), ""});
        record_ = record;
        state_ = change_state::ready;
        return;
    }
    if (record_) {
        facts.assessed_on = record_->assessed_on;
        diagnostics stale;
        assessment_ = assess_change(config_.changes, record_->answers, facts, stale);
        for (diagnostic& d : stale) {
            d.message += " (the configuration changed since this assessment: assess again)";
            problems_.push_back(std::move(d));
        }
    }
    stage_ = stage::follow_ups;
    offset_ = 0;
    read(follow_ups_query());
}

void change_session::plan() {
    if (assessment_) {
        change_facts facts{opts_.change_id, record_->assessed_on, go_live_of(change_)};
        actions_ = plan_follow_ups(*assessment_, facts, follow_ups_);
    }
    if (!memberships_read_ && std::any_of(actions_.begin(), actions_.end(), [&](const follow_up_action& a) {
            return a.fields && !a.fields->assignee.empty() && !ctx_.principals.count(a.fields->assignee);
        })) {
        memberships_read_ = true;
        stage_ = stage::memberships;
        offset_ = 0;
        return read("/projects/" + opts_.project + "/memberships.json?limit=100&offset=0");
    }
    stage_ = stage::members;
    finish_owners(); // goes on with the member accounts not read yet, if an owner is still unknown
}

// Reads member accounts until every owner is known, then turns the actions into requests.
void change_session::finish_owners() {
    std::vector<std::string> unknown;
    for (const follow_up_action& a : actions_)
        if (a.fields && !a.fields->assignee.empty() && !ctx_.principals.count(a.fields->assignee) &&
            std::find(unknown.begin(), unknown.end(), a.fields->assignee) == unknown.end())
            unknown.push_back(a.fields->assignee);
    if (!unknown.empty() && !members_to_check_.empty())
        return read("/users/" + std::to_string(members_to_check_.back()) + ".json");
    if (!unknown.empty()) {
        std::string message = "these follow-up owners are not members of project " + opts_.project + ":";
        for (const std::string& owner : unknown)
            message += " " + owner;
        return stop(change_state::not_set_up,
                    message + ". Add them as members, or change the owners in /changes/follow_ups.");
    }
    for (const follow_up_action& a : actions_) {
        change_request r{std::string(to_string(a.kind)), a.key, a.reason, "PUT", "", json::object(), ""};
        json custom = json::array({{{"id", ctx_.state_field_id}, {"value", a.state}}});
        switch (a.kind) {
        case follow_up_action_kind::create: {
            sync_action create;
            create.kind = sync_action_kind::create;
            create.key = a.key;
            create.fields = a.fields;
            create.state = a.state;
            r.method = "POST";
            r.path = "/issues.json";
            r.body = payload(create, ctx_);
            r.link_path = "/issues/" + std::to_string(opts_.change_id) + "/relations.json";
            break;
        }
        case follow_up_action_kind::link:
            r.method = "POST";
            r.path = "/issues/" + std::to_string(opts_.change_id) + "/relations.json";
            r.body = {{"relation", {{"issue_to_id", *a.ticket_id}, {"relation_type", "relates"}}}};
            break;
        case follow_up_action_kind::close:
            r.path = issue_path(*a.ticket_id);
            r.body = {{"issue",
                       {{"status_id", ctx_.close_status_id},
                        {"notes", a.note},
                        {"custom_fields", std::move(custom)}}}};
            break;
        }
        requests_.push_back(std::move(r));
    }
    state_ = change_state::ready;
}

json change_session::view() const {
    json questions = json::array();
    for (const change_question& q : config_.changes.questions) {
        json choices = json::array();
        for (const change_choice& c : q.choices)
            choices.push_back({{"id", c.id}, {"label", c.label}, {"affects", c.affects}});
        questions.push_back(
            {{"id", q.id}, {"text", q.text}, {"help", q.help}, {"choices", std::move(choices)}});
    }
    json follow_ups = json::array();
    for (const follow_up_ticket& t : follow_ups_)
        follow_ups.push_back({{"id", t.id},
                              {"key", t.key},
                              {"closed", t.closed},
                              {"linked", t.linked},
                              {"withdrawn", t.withdrawn}});
    json requests = json::array();
    for (const change_request& r : requests_)
        requests.push_back({{"kind", r.kind},
                            {"key", r.key},
                            {"reason", r.reason},
                            {"method", r.method},
                            {"path", r.path},
                            {"body", r.body},
                            {"link_path", r.link_path}});
    json record = nullptr;
    if (record_)
        record = {{"revision", record_->revision},
                  {"on", format_iso_date(record_->assessed_on)},
                  {"by", record_->by},
                  {"answers", record_->answers}};
    return {{"is_change", state_ != change_state::not_a_change},
            {"change", opts_.change_id},
            {"questions", std::move(questions)},
            {"record", std::move(record)},
            {"assessment", assessment_ ? assessment_json(*assessment_) : json(nullptr)},
            {"follow_ups", std::move(follow_ups)},
            {"requests", std::move(requests)},
            {"problems", problems_json(problems_)}};
}

} // namespace upkeep::redmine
