#include "upkeep/json_api.hpp"

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/maintenance_calendar.hpp"
#include "upkeep/recurrence.hpp"
#include "upkeep/redmine_sync.hpp"
#include "upkeep/sync_plan.hpp"
#include "upkeep/wiki_storage.hpp"

#include <nlohmann/json.hpp>

namespace upkeep::json_api {
namespace {

using json = nlohmann::json;

std::string error_line(const std::string& message) {
    return json{{"error", message}}.dump();
}

json problems_to_json(const diagnostics& list, severity level) {
    json out = json::array();
    for (const diagnostic& d : list)
        if (d.level == level) out.push_back({{"pointer", d.pointer}, {"message", d.message}});
    return out;
}

std::optional<day_point> date_field(const json& request, const char* key, std::string& error) {
    const auto it = request.find(key);
    if (it == request.end() || !it->is_string()) {
        error = std::string(key) + ": expected a date YYYY-MM-DD";
        return std::nullopt;
    }
    const auto day = parse_iso_date(it->get<std::string>());
    if (!day)
        error = std::string(key) + ": \"" + it->get<std::string>() + "\" is not a date: write YYYY-MM-DD";
    return day;
}

} // namespace

std::string expand(std::string_view request_json) {
    const json request = json::parse(request_json, nullptr, false);
    if (request.is_discarded() || !request.is_object())
        return error_line("the request is not a JSON object such as {\"dtstart\": \"2027-01-31\", \"rrule\": "
                          "\"FREQ=MONTHLY\"}");
    std::string error;
    const auto dtstart = date_field(request, "dtstart", error);
    if (!dtstart) return error_line(error);
    const auto rule_it = request.find("rrule");
    if (rule_it == request.end() || !rule_it->is_string())
        return error_line("rrule: expected a string such as \"FREQ=MONTHLY\"");
    long long limit = default_expand_limit;
    if (const auto it = request.find("limit"); it != request.end()) {
        if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > max_expand_limit)
            return error_line("limit: expected a whole number from 0 to " + std::to_string(max_expand_limit));
        limit = it->get<long long>();
    }
    const rrule_parse_result parsed = parse_rrule(rule_it->get<std::string>());
    if (!parsed.rule) {
        std::string message;
        for (const rule_error& e : parsed.errors)
            message += (message.empty() ? "" : "; ") + e.message;
        return error_line(message);
    }
    json dates = json::array();
    for (const day_point d : all(recurrence{*dtstart, *parsed.rule, {}, {}}, static_cast<std::size_t>(limit)))
        dates.push_back(format_iso_date(d));
    return json{{"dates", std::move(dates)}}.dump();
}

std::string validate(std::string_view config_json) {
    const configuration_result result = parse_configuration(config_json);
    return json{{"ok", !has_errors(result.problems)},
                {"errors", problems_to_json(result.problems, severity::error)},
                {"warnings", problems_to_json(result.problems, severity::warning)},
                {"activities", result.config.activities.size()}}
        .dump();
}

std::string calendar(std::string_view config_json, std::string_view request_json) {
    const configuration_result result = parse_configuration(config_json);
    if (has_errors(result.problems))
        return json{{"error", "the configuration has errors"},
                    {"errors", problems_to_json(result.problems, severity::error)}}
            .dump();
    const json request = json::parse(request_json, nullptr, false);
    if (request.is_discarded() || !request.is_object()) return error_line("the request is not a JSON object");
    std::string error;
    const auto from = date_field(request, "from", error);
    const auto to = from ? date_field(request, "to", error) : std::nullopt;
    if (!from || !to) return error_line(error);
    calendar_window window{*from, *to, std::nullopt};
    if (const auto it = request.find("owner"); it != request.end() && it->is_string())
        window.owner = it->get<std::string>();
    const certification_cycle cycle = compute_cycle(result.config.certification);
    return calendar_to_json(maintenance_calendar(result.config, cycle, window), window).dump();
}

std::string control_task(std::string_view config_json, std::string_view key) {
    const configuration_result result = parse_configuration(config_json);
    if (has_errors(result.problems)) return error_line("the ISMS configuration has errors: see the ISMS tab");
    const std::size_t last = key.rfind(':');
    const auto due = last == std::string_view::npos ? std::nullopt : parse_iso_date(key.substr(last + 1));
    for (const activity& a : result.config.activities) {
        if (!due || control_key(a, *due) != key) continue;
        if (after(a.cadence.dates, *due, true) != due) break;
        return json{{"id", a.id},
                    {"title", a.title},
                    {"due", format_iso_date(*due)},
                    {"owner", a.owner},
                    {"references", a.references},
                    {"instructions", a.instructions},
                    {"evidence", a.evidence}}
            .dump();
    }
    return error_line("\"" + std::string(key) +
                      "\" is not an occurrence in the ISMS configuration (it may have changed)");
}

std::string configuration_from_wiki(std::string_view wiki_text) {
    const auto config = configuration_from_wiki_text(wiki_text);
    if (!config)
        return error_line("the wiki page opens a code block for the configuration but never closes it");
    return json{{"config", *config}}.dump();
}

std::string configuration_to_wiki(std::string_view request_json) {
    const json request = json::parse(request_json, nullptr, false);
    if (request.is_discarded() || !request.is_object() || !request.contains("config") ||
        !request["config"].is_string())
        return error_line("expected {\"markup\": \"textile\" or \"markdown\", \"config\": \"<JSON text>\"}");
    const json config = json::parse(request["config"].get<std::string>(), nullptr, false);
    if (config.is_discarded())
        return error_line("the configuration is not valid JSON: run validate for details");
    const wiki_markup markup =
        request.value("markup", "textile") == "markdown" ? wiki_markup::markdown : wiki_markup::textile;
    // The text is stored as written (its layout and key order are the author's).
    return json{{"text", configuration_to_wiki_text(request["config"].get<std::string>(), markup)}}.dump();
}

redmine_sync::redmine_sync(std::string_view request_json) {
    const json request = json::parse(request_json, nullptr, false);
    std::string error;
    const auto today = request.is_object() ? date_field(request, "today", error) : std::nullopt;
    if (!today || !request.contains("project") || !request["project"].is_string()) {
        error_ = error.empty() ? "expected {\"project\", \"today\", \"config\"}" : error;
        return;
    }
    std::optional<std::string> config;
    if (request.contains("config") && request["config"].is_string())
        config = request["config"].get<std::string>();
    session_ = std::make_unique<redmine::sync_session>(
        redmine::sync_session::options{request["project"].get<std::string>(), *today, config});
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
    const json body = json::parse(body_json, nullptr, false);
    session_->answer(body.is_discarded() ? json(nullptr) : body);
}

bool redmine_sync::already_applied(int index, std::string_view body_json) const {
    if (!session_ || session_->state() != redmine::session_state::planned || index < 0 ||
        static_cast<std::size_t>(index) >= session_->plan().actions.size())
        return false;
    const json body = json::parse(body_json, nullptr, false);
    if (body.is_discarded()) return false;
    return redmine::already_applied(session_->plan().actions[static_cast<std::size_t>(index)], body,
                                    session_->ctx());
}

} // namespace upkeep::json_api
