#pragma once
// The maintenance calendar: every due date of every activity, and the audits, within a window.

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep {

enum class entry_kind { activity, audit };

struct calendar_entry {
    day_point date; // the due date (activity) or audit date
    entry_kind kind = entry_kind::activity;
    std::string id; // activity id or audit key
    std::string title;
    std::string owner;                   // activity only
    std::optional<day_point> opens;      // activity only: due date minus lead time
    std::vector<std::string> references; // activity only
    std::optional<date_source> source;   // audit only
};

struct calendar_window {
    day_point from;                   // inclusive
    day_point to;                     // inclusive
    std::optional<std::string> owner; // only this owner's activities (audits always show)
};

/// Every entry dated within the window, by date, audits before activities on the same day, then by id.
std::vector<calendar_entry> maintenance_calendar(const isms_configuration& config,
                                                 const certification_cycle& cycle,
                                                 const calendar_window& window);

/// `{"from", "to", "entries": [{"date", "kind", "id", "title", ...}]}`, the form of `upkeep calendar --format
/// json`.
nlohmann::json calendar_to_json(const std::vector<calendar_entry>& entries, const calendar_window& window);

} // namespace upkeep
