#include "upkeep/evidence_register.hpp"

#include "csv.hpp"

#include "upkeep/json_value.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <map>

namespace upkeep {
namespace {

using row = std::array<std::string, 13>;

constexpr std::array<const char*, 13> columns{
    "activity", "title",          "references",  "owner",   "due",    "done_on", "closed_on",
    "evidence", "evidence_links", "valid_until", "renewal", "result", "ticket"};

std::vector<row> rows_of(const period_status& period, const isms_configuration& config,
                         const ticket_references& tickets) {
    std::map<std::string, const activity*, std::less<>> activities;
    for (const activity& a : config.activities)
        activities.emplace(a.id, &a);
    const auto date = [](const std::optional<day_point>& d) {
        return d ? format_iso_date(*d) : std::string();
    };
    std::vector<row> rows;
    for (const occurrence_status& o : period.occurrences) {
        const auto a = activities.find(o.activity);
        std::string references;
        if (a != activities.end())
            for (const auto& r : a->second->references)
                references += (references.empty() ? "" : " ") + r;
        std::string links; // URLs hold no spaces
        for (const std::string& link : o.evidence_links)
            links += (links.empty() ? "" : " ") + link;
        rows.push_back({o.activity, o.title, references, o.owner, format_iso_date(o.due), date(o.done_on),
                        date(o.closed_on), o.evidence ? "yes" : "no", links, date(o.valid_until),
                        o.renewal ? "yes" : "no", std::string(label(o.state)),
                        o.ticket_id ? tickets.link(o.ticket_id) : std::string()});
    }
    return rows;
}

} // namespace

std::string evidence_register_csv(const period_status& period, const isms_configuration& config,
                                  const ticket_references& tickets) {
    std::string out = detail::csv_record(columns, false);
    for (const row& cells : rows_of(period, config, tickets))
        out += detail::csv_record(cells);
    return out;
}

nlohmann::json evidence_register_json(const period_status& period, const isms_configuration& config,
                                      const ticket_references& tickets) {
    nlohmann::json rows = nlohmann::json::array();
    for (const row& cells : rows_of(period, config, tickets)) {
        nlohmann::json item = nlohmann::json::object();
        for (std::size_t i = 0; i < cells.size(); ++i)
            item[columns[i]] = cells[i];
        rows.push_back(std::move(item));
    }
    return json_object({{"audit", audit_key(period.audit)},
                        {"from", format_iso_date(period.from)},
                        {"to", format_iso_date(period.to)},
                        {"occurrences", rows}});
}

} // namespace upkeep
