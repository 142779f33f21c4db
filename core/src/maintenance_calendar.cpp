#include "upkeep/maintenance_calendar.hpp"
#include "upkeep/json_value.hpp"

#include "stable_sort_by.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>

namespace upkeep {

std::vector<calendar_entry> maintenance_calendar(const isms_configuration& config,
                                                 const certification_cycle& cycle,
                                                 const calendar_window& window) {
    std::vector<calendar_entry> entries;
    for (const cycle_audit& audit : cycle.audits) {
        if (audit.date < window.from || audit.date > window.to) continue;
        calendar_entry e;
        e.date = audit.date;
        e.kind = entry_kind::audit;
        e.id = audit_key(audit.kind);
        e.title = audit_title(audit.kind);
        e.source = audit.source;
        entries.push_back(std::move(e));
    }
    for (const activity& a : config.activities) {
        if (window.owner && a.owner != *window.owner) continue;
        for (const day_point due : between(a.cadence.dates, window.from, window.to, true)) {
            calendar_entry e;
            e.date = due;
            e.kind = entry_kind::activity;
            e.id = a.id;
            e.title = a.title;
            e.owner = a.owner;
            e.opens = due - date::days{a.lead_time_days};
            e.references = a.references;
            entries.push_back(std::move(e));
        }
    }
    stable_sort_by(entries, [](const calendar_entry& l, const calendar_entry& r) {
        const bool l_audit = l.kind == entry_kind::audit, r_audit = r.kind == entry_kind::audit;
        return std::tie(l.date, r_audit, l.id) < std::tie(r.date, l_audit, r.id); // audits first on a day
    });
    return entries;
}

nlohmann::json calendar_to_json(const std::vector<calendar_entry>& entries, const calendar_window& window) {
    nlohmann::json list = nlohmann::json::array();
    for (const calendar_entry& e : entries) {
        nlohmann::json item = json_object({{"date", format_iso_date(e.date)},
                                           {"kind", e.kind == entry_kind::audit ? "audit" : "activity"},
                                           {"id", e.id},
                                           {"title", e.title}});
        if (e.kind == entry_kind::activity) {
            item["owner"] = e.owner;
            item["opens"] = format_iso_date(*e.opens);
            item["references"] = e.references;
        } else {
            item["source"] = to_string(*e.source);
        }
        list.push_back(std::move(item));
    }
    nlohmann::json out =
        json_object({{"from", format_iso_date(window.from)}, {"to", format_iso_date(window.to)}});
    if (window.owner) out["owner"] = *window.owner;
    out["entries"] = std::move(list);
    return out;
}

} // namespace upkeep
