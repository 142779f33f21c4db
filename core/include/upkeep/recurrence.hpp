#pragma once
// A recurrence set of dates: DTSTART + RRULE, plus RDATE and minus EXDATE (RFC 5545 3.8.5),
// queried like rrule.js: all / between / before / after. Every query is bounded.

#include "upkeep/dates.hpp"
#include "upkeep/rrule.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace upkeep {

struct recurrence {
    day_point dtstart;
    rrule rule;
    std::vector<day_point> rdates;
    std::vector<day_point> exdates;
};

/// The rule with the parts it takes from DTSTART made explicit: with none of BYWEEKNO, BYYEARDAY,
/// BYMONTHDAY and BYDAY, YEARLY takes the month (unless BYMONTH) and day, MONTHLY the day, WEEKLY the
/// weekday. The result expands to the same dates from any DTSTART in the same period.
rrule with_start_defaults(rrule rule, day_point dtstart);

namespace detail {
class rule_expander;
}

/// Walks a recurrence set in ascending date order, each date once. Ends after COUNT, UNTIL, year 9999,
/// or as soon as the rule provably can match no more dates (a never-matching rule ends at once).
class occurrence_iterator {
public:
    explicit occurrence_iterator(const recurrence& set);
    occurrence_iterator(occurrence_iterator&&) noexcept;
    occurrence_iterator& operator=(occurrence_iterator&&) noexcept;
    ~occurrence_iterator();

    /// The next date, or nullopt when the set is exhausted.
    std::optional<day_point> next();

private:
    std::unique_ptr<detail::rule_expander> rule_;
    std::vector<day_point> rdates_;  // sorted, unique
    std::vector<day_point> exdates_; // sorted, unique
    std::size_t next_rdate_ = 0;
    std::optional<day_point> pending_rule_date_;
    bool rule_done_ = false;
    std::optional<day_point> last_;
};

/// The first `limit` dates.
std::vector<day_point> all(const recurrence& set, std::size_t limit);

/// Dates strictly between `after` and `before` (or equal to either when inclusive), at most `limit`.
std::vector<day_point> between(const recurrence& set, day_point after, day_point before, bool inclusive,
                               std::size_t limit = static_cast<std::size_t>(-1));

/// The last date before `day` (or equal when inclusive).
std::optional<day_point> before(const recurrence& set, day_point day, bool inclusive);

/// The first date after `day` (or equal when inclusive).
std::optional<day_point> after(const recurrence& set, day_point day, bool inclusive);

} // namespace upkeep
