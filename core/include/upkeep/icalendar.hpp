#pragma once
// The maintenance calendar as an RFC 5545 iCalendar feed: one recurring event per activity, one event
// per audit, so Outlook, Google Calendar and Thunderbird show the ISMS routine.

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace upkeep {

struct icalendar_options {
    day_point stamp; // DTSTAMP (midnight UTC of this date): pass "today" for reproducible output
    std::optional<std::string> owner; // only this owner's activities
};

/// A VCALENDAR with CRLF line ends, lines folded at 75 octets, escaped text and stable UIDs.
/// Each activity's DTSTART is its first occurrence and its RRULE spells out the parts it took from
/// the configured start, so every calendar program expands the same dates as Upkeep.
std::string to_icalendar(const isms_configuration& config, const certification_cycle& cycle,
                         const icalendar_options& options);

/// RFC 5545 3.3.11 TEXT escaping: backslash, semicolon, comma and newline.
std::string escape_ical_text(std::string_view text);

/// RFC 5545 3.1 folding of one content line (without its CRLF): at most 75 octets a line, never splitting
/// a UTF-8 sequence; continuation lines start with a space.
std::string fold_ical_line(std::string_view line);

} // namespace upkeep
