#include "upkeep/default_configuration.hpp"

#include "upkeep/isms_config.hpp"

#include "iso27001_template.hpp" // generated from core/data/iso27001-2022-template.json

#include <nlohmann/json.hpp>

#include <algorithm>

namespace upkeep {

std::string make_starter_configuration(const starter_options& options) {
    using ordered_json = nlohmann::ordered_json;
    const ordered_json templ = ordered_json::parse(detail::iso27001_template_json);
    const date::year_month_day decision{options.decision_date};
    const day_point decision_month_start{decision.year() / decision.month() / 1};

    ordered_json activities = ordered_json::array();
    for (const auto& item : templ.at("activities")) {
        ordered_json a = item;
        const int offset = item.at("cadence").at("start_month_offset").get<int>();
        a["cadence"] =
            ordered_json{{"rrule", item.at("cadence").at("rrule")},
                         {"start", format_iso_date(add_months_clamped(decision_month_start, offset))}};
        activities.push_back(std::move(a));
    }
    // The starter SoA: every control applies for risk treatment; one that an activity references is
    // implemented and owned by that activity's owner, the others are left for the organisation to decide.
    ordered_json controls = ordered_json::array();
    for (const auto& control : templ.at("annex_a")) {
        const std::string id = control.at("id").get<std::string>();
        std::string owner;
        for (const auto& a : templ.at("activities")) {
            const auto& refs = a.at("references");
            if (std::find(refs.begin(), refs.end(), id) != refs.end()) {
                owner = a.at("owner").get<std::string>();
                break;
            }
        }
        controls.push_back({{"id", id},
                            {"title", control.at("title")},
                            {"applicable", true},
                            {"reasons", {"risk_treatment"}},
                            {"status", owner.empty() ? "not_implemented" : "implemented"},
                            {"owner", owner.empty() ? "ciso" : owner}});
    }
    const ordered_json config{
        {"version", configuration_version},
        {"organisation",
         {{"name", options.organisation},
          {"isms_scope",
           "Describe the ISMS scope here: the organisation, sites, products and services it covers."}}},
        {"certification",
         {{"standard", "ISO/IEC 27001:2022"},
          {"certificate_id", ""},
          {"certification_body", ""},
          {"decision_date", format_iso_date(options.decision_date)},
          {"audits", ordered_json::object()}}},
        {"activities", std::move(activities)},
        {"nonconformities", {{"grace_days", 30}, {"owner", "ciso"}, {"verification_days", 30}}},
        {"sync", {{"accounts", {"upkeep-bot", "ciso"}}}},
        {"changes", templ.at("changes")},
        {"suppliers", templ.at("suppliers")},
        {"soa", {{"version", "0.1"}, {"controls", std::move(controls)}}},
    };
    return config.dump(2) + "\n";
}

} // namespace upkeep
