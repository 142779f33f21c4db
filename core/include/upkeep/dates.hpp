#pragma once
// Calendar dates as used everywhere in Upkeep: RFC 5545 DATE values, no time of day, no time zone.

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

using day_point = date::sys_days;

/// Earliest and latest dates Upkeep accepts (RFC 5545 and ISO 8601 four-digit years).
inline constexpr date::year min_year{1};
inline constexpr date::year max_year{9999};

/// Parses `YYYY-MM-DD`; nullopt unless it is a real calendar date.
std::optional<day_point> parse_iso_date(std::string_view text);

/// Parses the RFC 5545 basic form `YYYYMMDD`; nullopt unless it is a real calendar date.
std::optional<day_point> parse_basic_date(std::string_view text);

/// `2027-03-31`.
std::string format_iso_date(day_point day);

/// `20270331` (RFC 5545 DATE value).
std::string format_basic_date(day_point day);

/// How sentences for people write a date, as the tracker shows dates to its user: a pattern of the
/// directives trackers' date formats use (%Y, %m, %d, %e, %b, %B; %% for a per cent sign; other text as
/// it is) with the month names of the reader's language, January first. An empty pattern writes ISO
/// dates, as the command and every export do.
struct date_style {
    std::string pattern;
    std::vector<std::string> months;       // %B: "January"
    std::vector<std::string> short_months; // %b: "Jan"
};

/// `day` in `style`: "31.03.2027", "03/31/2027", "31 Mar 2027"; a month without a name in the style is
/// written as its number.
std::string format_date_as(day_point day, const date_style& style);

/// Weekday with Monday = 0 ... Sunday = 6, the order RFC 5545 lists them in.
inline int weekday_index(day_point day) {
    return static_cast<int>(date::weekday{day}.iso_encoding()) - 1;
}

/// Adds calendar months; a day that the target month lacks becomes that month's last day
/// (2027-01-31 + 1 month = 2027-02-28), the convention for "no later than N months after".
day_point add_months_clamped(day_point day, int months);

} // namespace upkeep
