// The recurrence expander.
//
// Design note. An RRULE is expanded period by period, as python-dateutil and rrule.js do: a period is the
// year, month, week (starting on WKST) or day that FREQ names, and the periods visited are the one holding
// DTSTART and every INTERVAL-th after it. Within a period every day is a candidate; it survives when it
// passes every BYxxx filter present (BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY), BYSETPOS then
// picks from the survivors in date order, and what remains is emitted if it is on or after DTSTART and on
// or before UNTIL, until COUNT dates have been emitted. So DTSTART is an occurrence only when the rule
// matches it, and a month without the 31st simply has no BYMONTHDAY=31 occurrence. A month's candidates
// are a bit set, one bit a day: the BYMONTHDAY and BYDAY filters are masks ANDed into it, and only
// BYYEARDAY and BYWEEKNO, rare, test each surviving day.
//
// Defaults (RFC 5545 and dateutil): a rule with none of BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY takes
// its day from DTSTART: YEARLY the month (unless BYMONTH) and day of month, MONTHLY the day of month,
// WEEKLY the weekday.
//
// WEEKLY: the first week is cut at DTSTART, so BYSETPOS counts from DTSTART there (dateutil, rrule.js).
//
// BYDAY entries form a union: `BYDAY=MO,1FR` is every Monday and the first Friday, as RFC 5545 reads a
// list (dateutil and rrule.js intersect the plain and the ordinal entries and so find nothing there).
// An ordinal counts within the month for MONTHLY, and for YEARLY within each BYMONTH month, or the year.
//
// BYWEEKNO uses RFC 5545 week numbering: week 1 is the first week, starting on WKST, with at least four
// days in the year. The days of a year that belong to the previous year's last week match that week's
// number (or -1), and the days that belong to next year's week 1 match 1, as in dateutil.
//
// Termination. The Gregorian calendar repeats every 400 years (146097 days, a whole number of weeks),
// so the sequence of visited periods, and with it the set of matching days, repeats within
// 400 * INTERVAL years. When no date matched for that long after DTSTART or after the last match, the
// rule can never match again and the expansion ends: `FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30` ends at
// once instead of looping. Expansion also ends at the year 9999.

#include "upkeep/recurrence.hpp"

#include "stable_sort_by.hpp"

#include <algorithm>
#include <bit>
#include <bitset>
#include <cstdint>

// The code that runs once a rule or a period rather than once a day, and the filters only rare rules use
// (BYWEEKNO), is built for size even where this file is built for speed (the wasm modules: the top-level
// CMakeLists.txt).
#if defined(__clang__)
#define UPKEEP_ONCE_A_RULE [[gnu::noinline, clang::minsize]]
#else
#define UPKEEP_ONCE_A_RULE
#endif

namespace upkeep {
namespace detail {
namespace {

int month_length(date::year y, unsigned m) {
    return static_cast<int>(
        static_cast<unsigned>(date::year_month_day_last{y, date::month_day_last{date::month{m}}}.day()));
}

day_point first_of_year(date::year y) {
    return day_point{y / date::January / 1};
}

// First day of week 1 of `y` (RFC 5545: the first week starting on `week_start` with >= 4 days in y).
day_point week_one_start(date::year y, int week_start) {
    const day_point jan1 = first_of_year(y);
    const int offset = (weekday_index(jan1) - week_start + 7) % 7; // days of that week before jan1
    return offset <= 3 ? jan1 - date::days{offset} : jan1 + date::days{7 - offset};
}

constexpr long long max_cycle_days = 146097; // 400 Gregorian years

} // namespace

class rule_expander {
public:
    UPKEEP_ONCE_A_RULE rule_expander(const rrule& rule, day_point dtstart)
        : rule_(with_start_defaults(rule, dtstart)), dtstart_(dtstart), last_match_(dtstart) {
        const date::year_month_day start{dtstart};
        for (int m : rule_.by_month)
            month_mask_ |= static_cast<std::uint16_t>(1U << m);
        for (int d : rule_.by_month_day)
            (d > 0 ? month_day_pos_ : month_day_neg_) |= 1U << (d > 0 ? d : -d);
        for (int d : rule_.by_year_day)
            (d > 0 ? year_day_pos_ : year_day_neg_).set(static_cast<std::size_t>(d > 0 ? d : -d));
        for (const weekday_spec& spec : rule_.by_day) {
            if (spec.ordinal == 0)
                weekday_mask_ |= static_cast<std::uint8_t>(1U << spec.weekday);
            else
                has_ordinals_ = true;
        }
        year0_ = static_cast<int>(start.year());
        month0_ = year0_ * 12 + static_cast<int>(static_cast<unsigned>(start.month())) - 1;
        week0_ = dtstart - date::days{(weekday_index(dtstart) - rule_.effective_week_start() + 7) % 7};
        give_up_after_days_ = max_cycle_days * rule_.interval + 366;
    }

    std::optional<day_point> next() {
        while (pos_ == buffer_.size()) {
            if (done_) return std::nullopt;
            fill_next_period();
        }
        const day_point day = buffer_[pos_++];
        last_match_ = day;
        if (rule_.count && ++emitted_ >= *rule_.count) {
            done_ = true;
            buffer_.resize(pos_);
        }
        return day;
    }

private:
    // Visits the next period: leaves its occurrences (on/after DTSTART, on/before UNTIL) in buffer_.
    UPKEEP_ONCE_A_RULE void fill_next_period() {
        buffer_.clear();
        pos_ = 0;
        matched_.clear();
        const long long k = period_++;
        day_point first;
        switch (rule_.freq) {
        case frequency::yearly: {
            const long long y = year0_ + k * rule_.interval;
            if (y > static_cast<int>(max_year)) return stop();
            first = first_of_year(date::year{static_cast<int>(y)});
            if (!past_limits(first)) scan_year(date::year{static_cast<int>(y)});
            break;
        }
        case frequency::monthly: {
            const long long m = month0_ + k * rule_.interval;
            if (m / 12 > static_cast<int>(max_year)) return stop();
            const date::year y{static_cast<int>(m / 12)};
            const unsigned month = static_cast<unsigned>(m % 12) + 1;
            first = day_point{y / date::month{month} / 1};
            if (!past_limits(first)) scan_month_period(y, month);
            break;
        }
        case frequency::weekly:
        case frequency::daily: {
            const long long step = rule_.freq == frequency::weekly ? 7 : 1;
            first =
                (rule_.freq == frequency::weekly ? week0_ : dtstart_) + date::days{k * step * rule_.interval};
            if (date::year_month_day{first}.year() > max_year) return stop();
            // The first week starts at DTSTART, so BYSETPOS counts from there (as dateutil and rrule.js do).
            const long long skip = k == 0 ? (dtstart_ - first).count() : 0;
            if (!past_limits(first))
                for (long long i = skip; i < step; ++i)
                    consider(first + date::days{i});
            break;
        }
        }
        if (done_) return;
        select_set_positions();
        for (day_point day : matched_) {
            if (day < dtstart_) continue;
            if (rule_.until && day > *rule_.until) {
                done_ = true;
                break;
            }
            buffer_.push_back(day);
        }
    }

    // True (and stops) when no period from `first` on can yield a date.
    bool past_limits(day_point first) {
        if ((rule_.until && first > *rule_.until) || (first - last_match_).count() > give_up_after_days_) {
            stop();
            return true;
        }
        return false;
    }

    void stop() { done_ = true; }

    UPKEEP_ONCE_A_RULE void scan_year(date::year y) {
        prepare_week_numbers(y);
        const auto scan = [&](unsigned m) {
            if (has_ordinals_ && !rule_.by_month.empty()) prepare_ordinals(y, m, m);
            scan_month(y, m);
        };
        if (has_ordinals_ && rule_.by_month.empty()) prepare_ordinals(y, 1, 12);
        if (rule_.by_month.empty()) {
            for (unsigned m = 1; m <= 12; ++m)
                scan(m);
        } else {
            for (unsigned m = 1; m <= 12; ++m) // the months of BYMONTH in ascending order, each once
                if (month_mask_ >> m & 1U) scan(m);
        }
    }

    UPKEEP_ONCE_A_RULE void scan_month_period(date::year y, unsigned m) {
        if (month_mask_ && !(month_mask_ >> m & 1U)) return;
        if (has_ordinals_) prepare_ordinals(y, m, m);
        scan_month(y, m);
    }

    // A month's candidates as a bit set (bit d for day d), narrowed by the month-day and weekday filters
    // with a few word operations; only the rare year-day and week-number filters look at each survivor.
    void scan_month(date::year y, unsigned m) {
        const day_point first = day_point{y / date::month{m} / 1};
        const int len = month_length(y, m);
        std::uint32_t days = len >= 31 ? ~1U : ((1U << (len + 1)) - 1) & ~1U; // days 1..len
        if (month_day_pos_ | month_day_neg_) days &= month_day_pos_ | month_days_from_end(len);
        if (!rule_.by_day.empty()) days &= weekdays_of_month(weekday_index(first)) | ordinals_in(first, len);
        const bool each_day = !rule_.by_year_day.empty() || !rule_.by_week_no.empty();
        const int yday0 = each_day ? static_cast<int>((first - first_of_year(y)).count()) : 0;
        const int year_len = y.is_leap() ? 366 : 365;
        for (; days != 0; days &= days - 1) {
            const int d = std::countr_zero(days);
            const day_point day = first + date::days{d - 1};
            if (each_day && !(year_day_matches(yday0 + d - 1, year_len) &&
                              (rule_.by_week_no.empty() || week_number_matches(day))))
                continue;
            matched_.push_back(day);
        }
    }

    // BYMONTHDAY=-d as days of a month of `len` days.
    UPKEEP_ONCE_A_RULE std::uint32_t month_days_from_end(int len) const {
        std::uint32_t days = 0;
        for (int d = 1; d <= len; ++d)
            if (month_day_neg_ >> d & 1U) days |= 1U << (len + 1 - d);
        return days;
    }

    // The days 1..31 of a month starting on weekday `wday1` whose weekday a plain BYDAY entry names (the
    // days past the month's end are masked off by scan_month).
    UPKEEP_ONCE_A_RULE std::uint32_t weekdays_of_month(int wday1) const {
        std::uint64_t week = 0; // bits 1..7: the month's first seven days
        for (int i = 0; i < 7; ++i)
            if (weekday_mask_ >> ((wday1 + i) % 7) & 1U) week |= std::uint64_t{1} << (i + 1);
        return static_cast<std::uint32_t>(week | week << 7 | week << 14 | week << 21 | week << 28);
    }

    // The days of the month starting at `first` that an ordinal BYDAY entry names (prepare_ordinals).
    UPKEEP_ONCE_A_RULE std::uint32_t ordinals_in(day_point first, int len) const {
        std::uint32_t days = 0;
        for (const day_point day : ordinal_days_) {
            const auto d = (day - first).count() + 1;
            if (d >= 1 && d <= len) days |= 1U << d;
        }
        return days;
    }

    bool year_day_matches(int yday, int year_len) const {
        return rule_.by_year_day.empty() || year_day_pos_[static_cast<std::size_t>(yday + 1)] ||
               year_day_neg_[static_cast<std::size_t>(year_len - yday)];
    }

    // The days of months [m_first, m_last] of y that an ordinal BYDAY entry (such as -1FR) names.
    UPKEEP_ONCE_A_RULE void prepare_ordinals(date::year y, unsigned m_first, unsigned m_last) {
        ordinal_days_.clear();
        const day_point first = day_point{y / date::month{m_first} / 1};
        const day_point last = day_point{y / date::month{m_last} / date::last};
        for (const weekday_spec& spec : rule_.by_day) {
            if (spec.ordinal == 0) continue;
            day_point day;
            if (spec.ordinal > 0) {
                day = first +
                      date::days{(spec.weekday - weekday_index(first) + 7) % 7 + 7 * (spec.ordinal - 1)};
            } else {
                day =
                    last - date::days{(weekday_index(last) - spec.weekday + 7) % 7 + 7 * (-spec.ordinal - 1)};
            }
            if (day >= first && day <= last) ordinal_days_.push_back(day);
        }
    }

    UPKEEP_ONCE_A_RULE void prepare_week_numbers(date::year y) {
        if (rule_.by_week_no.empty()) return;
        const int wkst = rule_.effective_week_start();
        week1_prev_ = week_one_start(y - date::years{1}, wkst);
        week1_ = week_one_start(y, wkst);
        week1_next_ = week_one_start(y + date::years{1}, wkst);
    }

    UPKEEP_ONCE_A_RULE bool week_number_matches(day_point day) const {
        const auto contains = [this](int n) {
            return std::find(rule_.by_week_no.begin(), rule_.by_week_no.end(), n) != rule_.by_week_no.end();
        };
        if (day < week1_) { // the previous year's last week
            const int last_week = static_cast<int>((week1_ - week1_prev_).count() / 7);
            return contains(last_week) || contains(-1);
        }
        if (day >= week1_next_) return contains(1);                             // next year's week 1
        const int weeks = static_cast<int>((week1_next_ - week1_).count() / 7); // 52 or 53
        const int week = static_cast<int>((day - week1_).count() / 7) + 1;
        return std::any_of(rule_.by_week_no.begin(), rule_.by_week_no.end(),
                           [&](int n) { return n > 0 ? n == week : weeks + 1 + n == week; });
    }

    // One day of a week or a day period: every filter, the fields it needs read from the date.
    void consider(day_point day) {
        if (day > last_day_) return; // a week that runs past 9999-12-31
        if (!rule_.by_day.empty() && !(weekday_mask_ >> weekday_index(day) & 1U) &&
            std::find(ordinal_days_.begin(), ordinal_days_.end(), day) == ordinal_days_.end())
            return;
        if (!rule_.by_week_no.empty() && !week_number_matches(day)) return;
        if (month_mask_ || month_day_pos_ || month_day_neg_ || !rule_.by_year_day.empty()) {
            const date::year_month_day ymd{day};
            const unsigned m = static_cast<unsigned>(ymd.month());
            const int mday = static_cast<int>(static_cast<unsigned>(ymd.day()));
            if (month_mask_ && !(month_mask_ >> m & 1U)) return;
            if ((month_day_pos_ | month_day_neg_) && !(month_day_pos_ >> mday & 1U) &&
                !(month_day_neg_ >> (month_length(ymd.year(), m) + 1 - mday) & 1U))
                return;
            if (!year_day_matches(static_cast<int>((day - first_of_year(ymd.year())).count()),
                                  ymd.year().is_leap() ? 366 : 365))
                return;
        }
        matched_.push_back(day);
    }

    UPKEEP_ONCE_A_RULE void select_set_positions() {
        if (rule_.by_set_pos.empty() || matched_.empty()) return;
        std::vector<day_point> picked;
        const auto size = static_cast<long long>(matched_.size());
        for (int pos : rule_.by_set_pos) {
            const long long index = pos > 0 ? pos - 1 : size + pos;
            if (index >= 0 && index < size) picked.push_back(matched_[static_cast<std::size_t>(index)]);
        }
        sort_days(picked);
        picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
        matched_ = std::move(picked);
    }

    rrule rule_;
    day_point dtstart_;
    day_point last_match_;
    long long give_up_after_days_ = 0;
    int year0_ = 0;
    long long month0_ = 0;
    day_point week0_;
    long long period_ = 0;
    int emitted_ = 0;
    bool done_ = false;

    std::uint16_t month_mask_ = 0;    // bit m for BYMONTH=m
    std::uint32_t month_day_pos_ = 0; // bit d for BYMONTHDAY=d
    std::uint32_t month_day_neg_ = 0; // bit d for BYMONTHDAY=-d
    std::bitset<367> year_day_pos_;
    std::bitset<367> year_day_neg_;
    std::uint8_t weekday_mask_ = 0; // plain BYDAY entries
    bool has_ordinals_ = false;
    std::vector<day_point> ordinal_days_;
    day_point week1_prev_, week1_, week1_next_;

    static constexpr day_point last_day_{max_year / date::December / 31};
    std::vector<day_point> matched_;
    std::vector<day_point> buffer_;
    std::size_t pos_ = 0;
};

} // namespace detail

UPKEEP_ONCE_A_RULE rrule with_start_defaults(rrule rule, day_point dtstart) {
    const bool day_given = !rule.by_week_no.empty() || !rule.by_year_day.empty() ||
                           !rule.by_month_day.empty() || !rule.by_day.empty();
    if (day_given) return rule;
    const date::year_month_day start{dtstart};
    const int mday = static_cast<int>(static_cast<unsigned>(start.day()));
    switch (rule.freq) {
    case frequency::yearly:
        if (rule.by_month.empty()) rule.by_month = {static_cast<int>(static_cast<unsigned>(start.month()))};
        rule.by_month_day = {mday};
        break;
    case frequency::monthly:
        rule.by_month_day = {mday};
        break;
    case frequency::weekly:
        rule.by_day = {{weekday_index(dtstart), 0}};
        break;
    case frequency::daily:
        break;
    }
    return rule;
}

namespace {
UPKEEP_ONCE_A_RULE std::vector<day_point> sorted_unique(std::vector<day_point> days) {
    sort_days(days);
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
}
} // namespace

UPKEEP_ONCE_A_RULE occurrence_iterator::occurrence_iterator(const recurrence& set)
    : rule_(std::make_unique<detail::rule_expander>(set.rule, set.dtstart)),
      rdates_(sorted_unique(set.rdates)), exdates_(sorted_unique(set.exdates)) {}
occurrence_iterator::occurrence_iterator(occurrence_iterator&&) noexcept = default;
occurrence_iterator& occurrence_iterator::operator=(occurrence_iterator&&) noexcept = default;
occurrence_iterator::~occurrence_iterator() = default;

std::optional<day_point> occurrence_iterator::next() {
    while (true) {
        if (!pending_rule_date_ && !rule_done_) {
            pending_rule_date_ = rule_->next();
            rule_done_ = !pending_rule_date_;
        }
        std::optional<day_point> candidate;
        const bool rdate_left = next_rdate_ < rdates_.size();
        if (pending_rule_date_ && (!rdate_left || *pending_rule_date_ <= rdates_[next_rdate_])) {
            candidate = pending_rule_date_;
            pending_rule_date_.reset();
        } else if (rdate_left) {
            candidate = rdates_[next_rdate_++];
        } else {
            return std::nullopt;
        }
        if (last_ && *candidate <= *last_) continue; // an RDATE that the rule also yields
        if (std::binary_search(exdates_.begin(), exdates_.end(), *candidate)) continue;
        last_ = candidate;
        return candidate;
    }
}

UPKEEP_ONCE_A_RULE std::vector<day_point> all(const recurrence& set, std::size_t limit) {
    std::vector<day_point> out;
    occurrence_iterator it(set);
    while (out.size() < limit) {
        const auto day = it.next();
        if (!day) break;
        out.push_back(*day);
    }
    return out;
}

UPKEEP_ONCE_A_RULE std::vector<day_point> between(const recurrence& set, day_point after, day_point before,
                                                  bool inclusive, std::size_t limit) {
    std::vector<day_point> out;
    occurrence_iterator it(set);
    while (out.size() < limit) {
        const auto day = it.next();
        if (!day || *day > before || (!inclusive && *day == before)) break;
        if (*day > after || (inclusive && *day == after)) out.push_back(*day);
    }
    return out;
}

UPKEEP_ONCE_A_RULE std::optional<day_point> before(const recurrence& set, day_point day, bool inclusive) {
    std::optional<day_point> last;
    occurrence_iterator it(set);
    while (const auto next = it.next()) {
        if (*next > day || (!inclusive && *next == day)) break;
        last = next;
    }
    return last;
}

UPKEEP_ONCE_A_RULE std::optional<day_point> after(const recurrence& set, day_point day, bool inclusive) {
    occurrence_iterator it(set);
    while (const auto next = it.next()) {
        if (*next > day || (inclusive && *next == day)) return next;
    }
    return std::nullopt;
}

} // namespace upkeep
