// The JSON sessions of json_api.hpp (the sync and the change prompt), built for size in the wasm build:
// the browser calls them a few times a page, unlike the expansion calls.

#include "upkeep/json_api.hpp"

#include "json_api_shared.hpp"
#include "json_parse.hpp"
#include "upkeep/audit_status.hpp"
#include "upkeep/evidence_register.hpp"
#include "upkeep/icalendar.hpp"
#include "upkeep/metrics.hpp"
#include "upkeep/redmine_change.hpp"
#include "upkeep/redmine_sync.hpp"
#include "upkeep/review_pack.hpp"
#include "upkeep/status_json.hpp"

namespace upkeep::json_api {

using namespace detail;

redmine_sync::redmine_sync(std::string_view request_json) {
    const json request = parse_json_or_discarded(request_json);
    std::string error;
    const auto today = request.is_object() ? date_field(request, "today", error) : std::nullopt;
    if (!today || !request.contains("project") || !request["project"].is_string()) {
        error_ = error.empty() ? "expected {\"project\", \"today\", \"config\"}" : error;
        return;
    }
    std::optional<std::string> config;
    if (request.contains("config") && request["config"].is_string())
        config = request["config"].get<std::string>();
    session_ = std::make_unique<redmine::sync_session>(redmine::sync_session::options{
        request["project"].get<std::string>(), *today, config, flag(request, "read_only")});
}

redmine_sync::~redmine_sync() = default;

std::string redmine_sync::step() const {
    if (!session_) return error_line(error_);
    using redmine::session_state;
    switch (session_->state()) {
    case session_state::read:
        return json{{"read", session_->path()}}.dump();
    case session_state::not_set_up:
    case session_state::bad_configuration: {
        json out{
            {"kind", session_->state() == session_state::not_set_up ? "not_set_up" : "bad_configuration"},
            {"source", session_->config_source()}};
        out["problems"] = problems_to_json(session_->problems(), severity::error);
        return out.dump();
    }
    case session_state::planned:
        break;
    }
    if (session_->read_only()) {
        json out = json::object();
        json& read = out["read_done"] = json::object();
        read["tickets"] = session_->snapshot().tasks.size();
        read["changes"] = session_->snapshot().changes.size();
        read["findings"] = session_->snapshot().findings.size();
        return out.dump();
    }
    const sync_plan& plan = session_->plan();
    const redmine::context& ctx = session_->ctx();
    json actions = json::array();
    for (const sync_action& a : plan.actions) {
        const redmine::request r = redmine::request_of(a, ctx);
        actions.push_back({{"kind", to_string(a.kind)},
                           {"key", a.key},
                           {"reason", a.reason},
                           {"method", r.method},
                           {"path", r.path},
                           {"body", redmine::payload(a, ctx)},
                           {"check", r.check}});
    }
    return json{{"plan",
                 {{"since", format_iso_date(plan.since)},
                  {"unchanged", plan.unchanged},
                  {"counts",
                   {{"create", plan.count(sync_action_kind::create)},
                    {"update", plan.count(sync_action_kind::update)},
                    {"comment", plan.count(sync_action_kind::comment)},
                    {"close", plan.count(sync_action_kind::close)}}},
                  {"notices", plan.notices},
                  {"warnings", problems_to_json(session_->problems(), severity::warning)},
                  {"actions", std::move(actions)}}}}
        .dump();
}

void redmine_sync::answer(std::string_view body_json) {
    if (!session_) return;
    const json body = parse_json_or_discarded(body_json);
    session_->answer(body.is_discarded() ? json(nullptr) : body);
}

bool redmine_sync::already_applied(int index, std::string_view body_json) const {
    if (!session_ || session_->state() != redmine::session_state::planned || index < 0 ||
        static_cast<std::size_t>(index) >= session_->plan().actions.size())
        return false;
    const json body = parse_json_or_discarded(body_json);
    if (body.is_discarded()) return false;
    return redmine::already_applied(session_->plan().actions[static_cast<std::size_t>(index)], body,
                                    session_->ctx());
}

change_prompt::change_prompt(std::string_view request_json) {
    const json request = parse_json_or_discarded(request_json);
    std::string error;
    const auto today = request.is_object() ? date_field(request, "today", error) : std::nullopt;
    if (!today || !request.contains("project") || !request["project"].is_string() ||
        !request.contains("change") || !request["change"].is_number_integer()) {
        error_ = error.empty() ? "expected {\"project\", \"change\", \"today\", \"answers\"}" : error;
        return;
    }
    redmine::change_session::options options{request["project"].get<std::string>(),
                                             request["change"].get<long long>(), *today, std::nullopt};
    if (const auto it = request.find("answers"); it != request.end()) {
        if (!it->is_object()) {
            error_ = "answers: expected an object of question id to answer";
            return;
        }
        change_answers answers;
        for (const auto& [id, value] : it->items())
            answers[id] = value.is_string() ? value.get<std::string>() : value.dump();
        options.answers = std::move(answers);
    }
    session_ = std::make_unique<redmine::change_session>(std::move(options));
}

change_prompt::~change_prompt() = default;

std::string change_prompt::step() const {
    if (!session_) return error_line(error_);
    using redmine::change_state;
    switch (session_->state()) {
    case change_state::read:
        return json{{"read", session_->path()}}.dump();
    case change_state::ready:
        return json{{"ready", session_->view()}}.dump();
    case change_state::not_a_change:
        return json{{"kind", "not_a_change"}, {"problems", json::array()}, {"view", session_->view()}}.dump();
    case change_state::not_set_up:
    case change_state::bad_configuration:
    case change_state::bad_answers:
        break;
    }
    const auto kind = session_->state() == change_state::not_set_up          ? "not_set_up"
                      : session_->state() == change_state::bad_configuration ? "bad_configuration"
                                                                             : "bad_answers";
    json out{{"kind", kind}, {"problems", problems_to_json(session_->problems(), severity::error)}};
    if (session_->state() == change_state::bad_answers) out["view"] = session_->view();
    return out.dump();
}

void change_prompt::answer(std::string_view body_json) {
    if (!session_) return;
    const json body = parse_json_or_discarded(body_json);
    session_->answer(body.is_discarded() ? json(nullptr) : body);
}

void change_prompt::reread() {
    if (session_) session_->reread();
}

namespace {

// The status of a configuration and a snapshot of the tracker, as of the request's "today".
struct status_inputs {
    const isms_configuration* config = nullptr;
    const tracker_snapshot* snapshot = nullptr;
    certification_cycle cycle;
    day_point today;
    status_report report;
};

// Reads the request's "today" and computes the status; "" or why not.
std::string compute_inputs(const isms_configuration& config, const tracker_snapshot& snapshot,
                           const json& request, status_inputs& out) {
    if (!request.is_object()) return "the request is not a JSON object";
    std::string error;
    const auto today = date_field(request, "today", error);
    if (!today) return error;
    out.config = &config;
    out.snapshot = &snapshot;
    out.today = *today;
    out.cycle = compute_cycle(config.certification);
    out.report = compute_status(config, out.cycle, snapshot, out.today);
    return "";
}

std::string status_of(const isms_configuration& config, const tracker_snapshot& snapshot,
                      const json& request) {
    status_inputs in;
    if (const std::string error = compute_inputs(config, snapshot, request, in); !error.empty())
        return error_line(error);
    json findings = json::array();
    for (const finding_record& f : snapshot.findings) {
        if (f.closed) continue;
        json& item = findings.emplace_back(json::object());
        item["id"] = f.id;
        item["kind"] = f.kind;
        item["subject"] = f.subject;
        item["due"] = f.due ? json(format_iso_date(*f.due)) : json();
    }
    status_json_options options;
    if (request.contains("list_limit") && request["list_limit"].is_number_unsigned())
        options.list_limit = request["list_limit"].get<std::size_t>();
    options.next_period_only = flag(request, "next_period_only");
    options.timeline = flag(request, "timeline");
    json out = json::object();
    out["report"] = status_to_json(in.report, options);
    out["changes"] = changes_to_json(snapshot.changes, snapshot.follow_ups);
    out["findings"] = std::move(findings);
    out["kpis"] = kpis_to_json(compute_kpis(config, in.report, snapshot, in.today), options.list_limit);
    const auto ticket = review_ticket(config, in.report); // where the review pack is attached
    out["review_ticket"] = ticket ? json(*ticket) : json(nullptr);
    return out.dump();
}

std::string export_of(const isms_configuration& config, const tracker_snapshot& snapshot,
                      const json& request) {
    status_inputs in;
    if (const std::string error = compute_inputs(config, snapshot, request, in); !error.empty())
        return error_line(error);
    const std::string kind = text(request, "kind", "");
    json out = json::object();
    if (kind == "ics") {
        const std::optional<std::string> owner = request.contains("owner") && request["owner"].is_string()
                                                     ? std::optional(request["owner"].get<std::string>())
                                                     : std::nullopt;
        out["text"] = to_icalendar(config, in.cycle, {in.today, owner});
        out["filename"] = "isms-calendar.ics";
        return out.dump();
    }
    if (kind == "review_pack") {
        const auto as = parse_markup(text(request, "markup", "markdown"));
        if (!as) return error_line("markup: expected markdown, textile or html");
        out["text"] =
            render(review_pack(config, in.report, compute_kpis(config, in.report, snapshot, in.today),
                               snapshot, in.today),
                   *as, text(request, "ticket_url", ""));
        out["filename"] = "management-review-input-" + format_iso_date(in.today) +
                          (*as == markup::html      ? ".html"
                           : *as == markup::textile ? ".textile"
                                                    : ".md");
        return out.dump();
    }
    if (kind != "register_csv" && kind != "register_json")
        return error_line("kind: expected register_csv, register_json, ics or review_pack");
    const std::string audit =
        request.contains("audit") && request["audit"].is_string()
            ? request["audit"].get<std::string>()
            : std::string(in.report.next_audit ? audit_key(in.report.next_audit->audit)
                                               : audit_key(audit_kind::recertification));
    for (const period_status& p : in.report.periods) {
        if (audit_key(p.audit) != audit) continue;
        const std::string ticket_url = text(request, "ticket_url", "#");
        const std::string name =
            "evidence-register-" + audit + "-" + format_iso_date(p.from) + "-to-" + format_iso_date(p.to);
        out["text"] = kind == "register_csv" ? evidence_register_csv(p, config, ticket_url)
                                             : evidence_register_json(p, config, ticket_url).dump(2) + "\n";
        out["filename"] = name + (kind == "register_csv" ? ".csv" : ".json");
        return out.dump();
    }
    return error_line("audit: \"" + audit + "\" is not an audit period that has started");
}

} // namespace

std::string redmine_sync::status(std::string_view request_json) const {
    if (!session_ || !session_->read_only() || session_->state() != redmine::session_state::planned)
        return error_line("the session has not read the tickets yet");
    return status_of(session_->config(), session_->snapshot(), parse_json_or_discarded(request_json));
}

std::string redmine_sync::export_file(std::string_view request_json) const {
    if (!session_ || !session_->read_only() || session_->state() != redmine::session_state::planned)
        return error_line("the session has not read the tickets yet");
    return export_of(session_->config(), session_->snapshot(), parse_json_or_discarded(request_json));
}

} // namespace upkeep::json_api
