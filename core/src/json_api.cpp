#include "upkeep/json_api.hpp"

#include "json_api_shared.hpp"
#include "json_parse.hpp"

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/maintenance_calendar.hpp"
#include "upkeep/recurrence.hpp"
#include "upkeep/sync_plan.hpp"
#include "upkeep/wiki_storage.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace upkeep::json_api {

using namespace detail;

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
    const json request = parse_json_or_discarded(request_json);
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
                    {"evidence", a.evidence},
                    {"training", std::find(result.config.metrics.training_activities.begin(),
                                           result.config.metrics.training_activities.end(),
                                           a.id) != result.config.metrics.training_activities.end()}}
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
    const json request = parse_json_or_discarded(request_json);
    if (request.is_discarded() || !request.is_object() || !request.contains("config") ||
        !request["config"].is_string())
        return error_line("expected {\"markup\": \"textile\" or \"markdown\", \"config\": \"<JSON text>\"}");
    const json config = parse_json_or_discarded(request["config"].get<std::string>());
    if (config.is_discarded())
        return error_line("the configuration is not valid JSON: run validate for details");
    const wiki_markup markup =
        request.value("markup", "textile") == "markdown" ? wiki_markup::markdown : wiki_markup::textile;
    // The text is stored as written (its layout and key order are the author's).
    return json{{"text", configuration_to_wiki_text(request["config"].get<std::string>(), markup)}}.dump();
}

} // namespace upkeep::json_api
