#include "upkeep/rrule.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace upkeep {
namespace {

constexpr std::array<std::string_view, 7> weekday_names{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
constexpr std::string_view weekday_hint = "use MO, TU, WE, TH, FR, SA or SU";

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::optional<int> parse_int(std::string_view text) {
    if (text.starts_with('+')) text.remove_prefix(1);
    if (text.empty() || text.size() > 9) return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<int> parse_weekday(std::string_view text) {
    const auto it = std::find(weekday_names.begin(), weekday_names.end(), text);
    if (it == weekday_names.end()) return std::nullopt;
    return static_cast<int>(it - weekday_names.begin());
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

// Collects the problems of one rule; every message starts with the rule part it names.
class rule_reader {
public:
    std::vector<rule_error> errors;

    void fail(std::string part, std::string detail) {
        errors.push_back({part, part + " " + std::move(detail)});
    }

    // A list of integers in [-max, -1] and [1, max] (or [1, max] when !negative).
    std::vector<int> read_int_list(const std::string& name, std::string_view value, int max, bool negative) {
        std::vector<int> out;
        for (std::string_view item : split(value, ',')) {
            const std::string part = name + "=" + std::string(item);
            const auto number = parse_int(item);
            const bool in_range =
                number && *number != 0 && *number <= max && (negative ? *number >= -max : *number > 0);
            if (!in_range) {
                const std::string range = std::to_string(1) + ".." + std::to_string(max) +
                                          (negative ? " or -" + std::to_string(max) + "..-1" : "");
                fail(part, number ? "is out of range " + range : "is not a whole number in " + range);
                continue;
            }
            if (std::find(out.begin(), out.end(), *number) == out.end()) out.push_back(*number);
        }
        return out;
    }

    std::vector<weekday_spec> read_by_day(std::string_view value) {
        std::vector<weekday_spec> out;
        for (std::string_view item : split(value, ',')) {
            const std::string part = "BYDAY=" + std::string(item);
            if (item.size() < 2) {
                fail(part, "is not a weekday: " + std::string(weekday_hint));
                continue;
            }
            const auto weekday = parse_weekday(item.substr(item.size() - 2));
            const std::string_view ordinal_text = item.substr(0, item.size() - 2);
            const auto ordinal = ordinal_text.empty() ? std::optional<int>{0} : parse_int(ordinal_text);
            if (!weekday) {
                fail(part, "is not a weekday: " + std::string(weekday_hint) +
                               ", optionally after an ordinal such as 1MO or -1FR");
            } else if (!ordinal ||
                       (!ordinal_text.empty() && (*ordinal == 0 || *ordinal > 53 || *ordinal < -53))) {
                fail(part, "has an ordinal out of range 1..53 or -53..-1");
            } else {
                const weekday_spec spec{*weekday, *ordinal};
                if (std::find(out.begin(), out.end(), spec) == out.end()) out.push_back(spec);
            }
        }
        return out;
    }
};

// RFC 5545 3.3.10: which BYxxx parts each frequency may carry, checked once the whole rule is read.
void check_combinations(const rrule& rule, rule_reader& reader) {
    const bool yearly = rule.freq == frequency::yearly;
    const bool monthly = rule.freq == frequency::monthly;
    if (rule.count && rule.until) reader.fail("COUNT", "and UNTIL cannot both be given (RFC 5545): keep one");
    if (!rule.by_month_day.empty() && rule.freq == frequency::weekly)
        reader.fail("BYMONTHDAY", "cannot be used with FREQ=WEEKLY");
    if (!rule.by_year_day.empty() && !yearly) reader.fail("BYYEARDAY", "needs FREQ=YEARLY");
    if (!rule.by_week_no.empty() && !yearly) reader.fail("BYWEEKNO", "needs FREQ=YEARLY");
    for (const weekday_spec& spec : rule.by_day) {
        if (spec.ordinal == 0) continue;
        const std::string part = "BYDAY=" + std::to_string(spec.ordinal) +
                                 std::string(weekday_names[static_cast<std::size_t>(spec.weekday)]);
        if (!yearly && !monthly) {
            reader.fail(part, "has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY");
        } else if (!rule.by_week_no.empty()) {
            reader.fail(part, "has an ordinal, which cannot be combined with BYWEEKNO");
        } else if (monthly && (spec.ordinal > 5 || spec.ordinal < -5)) {
            reader.fail(part, "is out of range: a month has at most 5 of each weekday (1..5 or -5..-1)");
        }
    }
    const bool has_other_by = !rule.by_day.empty() || !rule.by_month_day.empty() || !rule.by_month.empty() ||
                              !rule.by_year_day.empty() || !rule.by_week_no.empty();
    if (!rule.by_set_pos.empty() && !has_other_by)
        reader.fail("BYSETPOS", "needs another BYxxx part (such as BYDAY) to select from");
}

} // namespace

rrule_parse_result parse_rrule(std::string_view text) {
    rule_reader reader;
    rrule rule;
    if (text.size() >= 6 && upper(text.substr(0, 6)) == "RRULE:") text.remove_prefix(6);
    if (text.empty()) {
        reader.fail("FREQ", "is missing: the rule is empty (for example FREQ=MONTHLY;BYMONTHDAY=-1)");
        return {std::nullopt, reader.errors};
    }
    bool has_freq = false;
    std::vector<std::string> seen;
    for (std::string_view item : split(text, ';')) {
        if (item.empty()) continue; // tolerate `FREQ=DAILY;`
        const std::size_t eq = item.find('=');
        const std::string name = upper(item.substr(0, eq));
        const std::string value = eq == std::string_view::npos ? std::string{} : upper(item.substr(eq + 1));
        const std::string part = name + "=" + value;
        if (eq == std::string_view::npos || value.empty()) {
            reader.fail(std::string(item), "has no value: write NAME=VALUE");
            continue;
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            reader.fail(name, "is given twice");
            continue;
        }
        seen.push_back(name);
        if (name == "FREQ") {
            has_freq = true;
            if (value == "YEARLY")
                rule.freq = frequency::yearly;
            else if (value == "MONTHLY")
                rule.freq = frequency::monthly;
            else if (value == "WEEKLY")
                rule.freq = frequency::weekly;
            else if (value == "DAILY")
                rule.freq = frequency::daily;
            else if (value == "HOURLY" || value == "MINUTELY" || value == "SECONDLY")
                reader.fail(part,
                            "is not supported: cadences are dates; use DAILY, WEEKLY, MONTHLY or YEARLY");
            else
                reader.fail(part, "is not a frequency: use DAILY, WEEKLY, MONTHLY or YEARLY");
        } else if (name == "INTERVAL") {
            const auto n = parse_int(value);
            if (!n || *n < 1 || *n > 10000)
                reader.fail(part, "must be a whole number from 1 to 10000");
            else
                rule.interval = *n;
        } else if (name == "COUNT") {
            const auto n = parse_int(value);
            if (!n || *n < 1)
                reader.fail(part, "must be a whole number from 1 to 999999999");
            else
                rule.count = *n;
        } else if (name == "UNTIL") {
            // A DATE (YYYYMMDD); a DATE-TIME such as 20271231T235959Z keeps its date.
            const std::string_view date_text = std::string_view(value).substr(0, value.find('T'));
            const auto until = parse_basic_date(date_text);
            if (!until)
                reader.fail(part, "is not a date: write YYYYMMDD");
            else
                rule.until = *until;
        } else if (name == "BYDAY") {
            rule.by_day = reader.read_by_day(value);
        } else if (name == "BYMONTHDAY") {
            rule.by_month_day = reader.read_int_list(name, value, 31, true);
        } else if (name == "BYMONTH") {
            rule.by_month = reader.read_int_list(name, value, 12, false);
        } else if (name == "BYYEARDAY") {
            rule.by_year_day = reader.read_int_list(name, value, 366, true);
        } else if (name == "BYWEEKNO") {
            rule.by_week_no = reader.read_int_list(name, value, 53, true);
        } else if (name == "BYSETPOS") {
            rule.by_set_pos = reader.read_int_list(name, value, 366, true);
        } else if (name == "WKST") {
            const auto weekday = parse_weekday(value);
            if (!weekday)
                reader.fail(part, "is not a weekday: " + std::string(weekday_hint));
            else
                rule.week_start = *weekday;
        } else if (name == "BYHOUR" || name == "BYMINUTE" || name == "BYSECOND") {
            reader.fail(name, "is not supported: cadences are dates, not times of day");
        } else if (name == "DTSTART") {
            reader.fail(name, "is not part of the rule: give the start date separately");
        } else {
            reader.fail(name, "is not an RRULE part");
        }
    }
    if (!has_freq)
        reader.fail("FREQ", "is missing: add FREQ=DAILY, WEEKLY, MONTHLY or YEARLY");
    else
        check_combinations(rule, reader);
    if (!reader.errors.empty()) return {std::nullopt, reader.errors};
    return {rule, {}};
}

std::string to_string(const rrule& rule) {
    static constexpr std::array<std::string_view, 4> freq_names{"YEARLY", "MONTHLY", "WEEKLY", "DAILY"};
    std::string out = "FREQ=" + std::string(freq_names[static_cast<std::size_t>(rule.freq)]);
    const auto append_ints = [&out](std::string_view name, const std::vector<int>& values) {
        if (values.empty()) return;
        out += ';';
        out += name;
        out += '=';
        for (std::size_t i = 0; i < values.size(); ++i)
            out += (i ? "," : "") + std::to_string(values[i]);
    };
    if (rule.interval != 1) out += ";INTERVAL=" + std::to_string(rule.interval);
    if (rule.count) out += ";COUNT=" + std::to_string(*rule.count);
    if (rule.until) out += ";UNTIL=" + format_basic_date(*rule.until);
    append_ints("BYMONTH", rule.by_month);
    append_ints("BYWEEKNO", rule.by_week_no);
    append_ints("BYYEARDAY", rule.by_year_day);
    append_ints("BYMONTHDAY", rule.by_month_day);
    if (!rule.by_day.empty()) {
        out += ";BYDAY=";
        for (std::size_t i = 0; i < rule.by_day.size(); ++i) {
            if (i) out += ',';
            if (rule.by_day[i].ordinal != 0) out += std::to_string(rule.by_day[i].ordinal);
            out += weekday_names[static_cast<std::size_t>(rule.by_day[i].weekday)];
        }
    }
    append_ints("BYSETPOS", rule.by_set_pos);
    if (rule.week_start)
        out += ";WKST=" + std::string(weekday_names[static_cast<std::size_t>(*rule.week_start)]);
    return out;
}

} // namespace upkeep
