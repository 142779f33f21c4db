#pragma once
// RFC 5545 recurrence rules (RRULE) for DATE values: the parsed form, its parser and its text form.

#include "upkeep/dates.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

enum class frequency { yearly, monthly, weekly, daily };

/// One BYDAY entry: `MO` (ordinal 0, every Monday) or `-1FR` (the last Friday of the month or year).
struct weekday_spec {
    int weekday = 0; // [0, 6], Monday = 0
    int ordinal = 0; // 0, or [-53, -1] and [1, 53]

    friend bool operator==(const weekday_spec&, const weekday_spec&) = default;
};

/// A recurrence rule as written; defaults that depend on DTSTART are applied by the expander.
struct rrule {
    frequency freq = frequency::yearly;
    int interval = 1;               // [1, 10000]
    std::optional<int> count;       // [1, ...)
    std::optional<day_point> until; // inclusive
    std::vector<weekday_spec> by_day;
    std::vector<int> by_month_day; // [-31, -1] and [1, 31]
    std::vector<int> by_month;     // [1, 12]
    std::vector<int> by_year_day;  // [-366, -1] and [1, 366]
    std::vector<int> by_week_no;   // [-53, -1] and [1, 53]
    std::vector<int> by_set_pos;   // [-366, -1] and [1, 366]
    std::optional<int> week_start; // [0, 6]; Monday when absent

    int effective_week_start() const { return week_start.value_or(0); }
    friend bool operator==(const rrule&, const rrule&) = default;
};

/// A problem in a rule, naming the rule part it is about (`BYMONTHDAY=32`, or `FREQ` when a part is missing).
struct rule_error {
    std::string part;
    std::string message; // starts with the part: "BYMONTHDAY=32 is out of range 1..31 or -31..-1"
};

struct rrule_parse_result {
    std::optional<rrule> rule; // set when errors is empty
    std::vector<rule_error> errors;
};

/// Parses `FREQ=MONTHLY;BYDAY=-1FR` (an optional `RRULE:` prefix is accepted; names are case-insensitive)
/// and checks it against RFC 5545, reporting every problem, not only the first.
rrule_parse_result parse_rrule(std::string_view text);

/// The canonical text form (`FREQ=...;INTERVAL=...;...`); parse_rrule(to_string(r)) gives back r.
std::string to_string(const rrule& rule);

} // namespace upkeep
