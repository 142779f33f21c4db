#pragma once
// Helpers shared by the unit tests: dates from text, expansion of a rule written as text, control tasks.

#include <upkeep/audit_status.hpp>
#include <upkeep/default_configuration.hpp>
#include <upkeep/recurrence.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace doctest {
template <> struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& values) {
        std::string out = "[";
        for (const auto& v : values)
            out += (out.size() > 1 ? ", " : "") + v;
        return (out + "]").c_str();
    }
};
} // namespace doctest

namespace upkeep::testing {

inline day_point d(const std::string& iso) {
    const auto day = parse_iso_date(iso);
    REQUIRE_MESSAGE(day.has_value(), "bad date in test: " << iso);
    return *day;
}

inline rrule rule_of(const std::string& text) {
    const auto parsed = parse_rrule(text);
    REQUIRE_MESSAGE(parsed.rule.has_value(),
                    text << ": " << (parsed.errors.empty() ? "" : parsed.errors[0].message));
    return *parsed.rule;
}

inline std::vector<std::string> iso(const std::vector<day_point>& days) {
    std::vector<std::string> out;
    for (const day_point day : days)
        out.push_back(format_iso_date(day));
    return out;
}

/// Expands a rule and also checks that its canonical text form parses back to the same rule and the
/// same dates (the rrule.js test convention).
inline std::vector<std::string> expand(const std::string& dtstart, const std::string& text,
                                       std::size_t limit = 100) {
    const rrule rule = rule_of(text);
    const auto dates = iso(all(recurrence{d(dtstart), rule, {}, {}}, limit));
    const rrule round_trip = rule_of(to_string(rule));
    CHECK_MESSAGE(round_trip == rule, text << " -> " << to_string(rule));
    CHECK(iso(all(recurrence{d(dtstart), round_trip, {}, {}}, limit)) == dates);
    return dates;
}

/// A control task as read from the tracker: closed (with evidence) when `closed_on` is given; `done_on`
/// is the evidence date.
inline task_record task(const char* key, long long id, const char* closed_on = nullptr,
                        const char* done_on = nullptr) {
    task_record t;
    t.id = id;
    t.key = key;
    t.closed = closed_on != nullptr;
    if (closed_on) t.closed_on = d(closed_on);
    if (done_on) t.done_on = d(done_on);
    t.evidence = t.closed;
    return t;
}

/// The embedded starter configuration for a certification decision on 2026-03-15.
inline std::string starter_config() {
    return make_starter_configuration({"Acme", d("2026-03-15")});
}

} // namespace upkeep::testing
