#include "upkeep/json_api.hpp"
#include "upkeep/json_value.hpp"

#include "upkeep/json_api_detail.hpp"
#include "upkeep/json_parse.hpp"

#include "upkeep/certification_cycle.hpp"
#include "upkeep/frameworks.hpp"
#include "upkeep/icalendar.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/maintenance_calendar.hpp"
#include "upkeep/recurrence.hpp"
#include "upkeep/sync_plan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace upkeep::json_api {

using namespace detail;

std::string validate(std::string_view config_json) {
    const configuration_result result = parse_configuration(config_json);
    return json_object({{"ok", !has_errors(result.problems)},
                        {"errors", problems_to_json(result.problems, severity::error)},
                        {"warnings", problems_to_json(result.problems, severity::warning)},
                        {"activities", result.config.activities.size()}})
        .dump();
}

std::string calendar(std::string_view config_json, std::string_view request_json) {
    const configuration_result result = parse_configuration(config_json);
    if (has_errors(result.problems))
        return json_object({{"error", "the configuration has errors"},
                            {"errors", problems_to_json(result.problems, severity::error)}})
            .dump();
    const json request = parse_json_or_discarded(request_json);
    if (request.is_discarded() || !request.is_object()) return error_line("the request is not a JSON object");
    return calendar_of(result.config, request).dump();
}

namespace detail {

const isms_configuration* requested_configuration(const isms_configuration& config, const json& request,
                                                  isms_configuration& narrowed, std::string& error) {
    const auto key = request.find("framework");
    if (key == request.end() || key->is_null() || (key->is_string() && key->get<std::string>().empty()))
        return &config;
    const std::string name = key->is_string() ? key->get<std::string>() : key->dump();
    if (std::find(config.frameworks.begin(), config.frameworks.end(), name) == config.frameworks.end()) {
        error = "framework: \"" + name + "\" is not a framework the configuration follows";
        return nullptr;
    }
    narrowed = narrowed_to(config, *find_framework(name));
    return &narrowed;
}

} // namespace detail

json calendar_of(const isms_configuration& given, const json& request) {
    std::string error;
    isms_configuration narrowed;
    const isms_configuration* config_of_request = requested_configuration(given, request, narrowed, error);
    if (!config_of_request) return error_json(error);
    const isms_configuration& config = *config_of_request;
    std::optional<std::string> owner;
    if (const auto it = request.find("owner"); it != request.end() && it->is_string())
        owner = it->get<std::string>();
    if (text(request, "format", "json") == "ics") {
        const auto today = date_field(request, "today", error);
        if (!today) return error_json(error);
        return json_object(
            {{"text", to_icalendar(config, compute_cycle(config.certification), {*today, owner})},
             {"filename", "isms-calendar.ics"}});
    }
    const auto from = date_field(request, "from", error);
    const auto to = from ? date_field(request, "to", error) : std::nullopt;
    if (!from || !to) return error_json(error);
    calendar_window window{*from, *to, owner};
    const certification_cycle cycle = compute_cycle(config.certification);
    return calendar_to_json(maintenance_calendar(config, cycle, window), window);
}

} // namespace upkeep::json_api
