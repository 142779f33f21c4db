#include "test_helpers.hpp"

#include <upkeep/rrule.hpp>

using namespace upkeep;

namespace {
std::vector<std::string> errors_of(const std::string& text) {
    std::vector<std::string> out;
    for (const rule_error& e : parse_rrule(text).errors)
        out.push_back(e.message);
    return out;
}
} // namespace

TEST_CASE("rule errors name the rule part and what is wrong") {
    struct row {
        const char* rule;
        const char* message;
    };
    for (const row& r : {
             row{"FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32 is out of range 1..31 or -31..-1"},
             row{"FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0 is out of range 1..31 or -31..-1"},
             row{"FREQ=MONTHLY;BYMONTHDAY=x", "BYMONTHDAY=X is not a whole number in 1..31 or -31..-1"},
             row{"FREQ=YEARLY;BYMONTH=13", "BYMONTH=13 is out of range 1..12"},
             row{"FREQ=YEARLY;BYMONTH=-1", "BYMONTH=-1 is out of range 1..12"},
             row{"FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY=367 is out of range 1..366 or -366..-1"},
             row{"FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO=54 is out of range 1..53 or -53..-1"},
             row{"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "BYSETPOS=0 is out of range 1..366 or -366..-1"},
             row{"FREQ=MONTHLY;BYDAY=XX", "BYDAY=XX is not a weekday: use MO, TU, WE, TH, FR, SA or SU, "
                                          "optionally after an ordinal such as 1MO or -1FR"},
             row{"FREQ=YEARLY;BYDAY=54MO", "BYDAY=54MO has an ordinal out of range 1..53 or -53..-1"},
             row{"FREQ=MONTHLY;BYDAY=6MO",
                 "BYDAY=6MO is out of range: a month has at most 5 of each weekday (1..5 or -5..-1)"},
             row{"FREQ=WEEKLY;BYDAY=2MO",
                 "BYDAY=2MO has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY"},
             row{"FREQ=YEARLY;BYWEEKNO=2;BYDAY=1MO",
                 "BYDAY=1MO has an ordinal, which cannot be combined with BYWEEKNO"},
             row{"FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot be used with FREQ=WEEKLY"},
             row{"FREQ=MONTHLY;BYYEARDAY=1", "BYYEARDAY needs FREQ=YEARLY"},
             row{"FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO needs FREQ=YEARLY"},
             row{"FREQ=MONTHLY;BYSETPOS=1",
                 "BYSETPOS needs another BYxxx part (such as BYDAY) to select from"},
             row{"FREQ=DAILY;COUNT=3;UNTIL=20270101",
                 "COUNT and UNTIL cannot both be given (RFC 5545): keep one"},
             row{"FREQ=DAILY;COUNT=0", "COUNT=0 must be a whole number from 1 to 999999999"},
             row{"FREQ=DAILY;COUNT=99999999999999999999",
                 "COUNT=99999999999999999999 must be a whole number from 1 to 999999999"},
             row{"FREQ=DAILY;INTERVAL=0", "INTERVAL=0 must be a whole number from 1 to 10000"},
             row{"FREQ=DAILY;UNTIL=20270230", "UNTIL=20270230 is not a date: write YYYYMMDD"},
             row{"FREQ=HOURLY",
                 "FREQ=HOURLY is not supported: cadences are dates; use DAILY, WEEKLY, MONTHLY or YEARLY"},
             row{"FREQ=FORTNIGHTLY",
                 "FREQ=FORTNIGHTLY is not a frequency: use DAILY, WEEKLY, MONTHLY or YEARLY"},
             row{"FREQ=DAILY;BYHOUR=9", "BYHOUR is not supported: cadences are dates, not times of day"},
             row{"FREQ=DAILY;FOO=1", "FOO is not an RRULE part"},
             row{"FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice"},
             row{"FREQ=DAILY;WKST=XY", "WKST=XY is not a weekday: use MO, TU, WE, TH, FR, SA or SU"},
             row{"BYMONTHDAY=1", "FREQ is missing: add FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"},
             row{"", "FREQ is missing: the rule is empty (for example FREQ=MONTHLY;BYMONTHDAY=-1)"},
             row{"FREQ=DAILY;COUNT", "COUNT has no value: write NAME=VALUE"},
         }) {
        const auto errors = errors_of(r.rule);
        REQUIRE_MESSAGE(!errors.empty(), r.rule);
        CHECK_MESSAGE(errors.front() == r.message, r.rule);
    }
}

TEST_CASE("every problem of a rule is reported, not only the first") {
    CHECK(errors_of("FREQ=MONTHLY;BYMONTHDAY=32,0;BYMONTH=13;FOO=1").size() == 4);
}

TEST_CASE("rule text is case-insensitive, may carry an RRULE: prefix and a trailing semicolon") {
    const auto a = parse_rrule("rrule:freq=monthly;byday=-1fr;");
    const auto b = parse_rrule("FREQ=MONTHLY;BYDAY=-1FR");
    REQUIRE(a.rule);
    CHECK(*a.rule == *b.rule);
}

TEST_CASE("UNTIL given as a date-time keeps its date") {
    const auto parsed = parse_rrule("FREQ=DAILY;UNTIL=20271231T235959Z");
    REQUIRE(parsed.rule);
    CHECK(format_iso_date(*parsed.rule->until) == "2027-12-31");
}

TEST_CASE("canonical text form orders the parts and round-trips") {
    const char* text =
        "WKST=SU;BYSETPOS=-1;BYDAY=MO,-1FR;BYMONTHDAY=1,-1;BYMONTH=3,6;COUNT=4;INTERVAL=2;FREQ=YEARLY";
    const auto parsed = parse_rrule(text);
    REQUIRE(parsed.rule);
    CHECK(to_string(*parsed.rule) ==
          "FREQ=YEARLY;INTERVAL=2;COUNT=4;BYMONTH=3,6;BYMONTHDAY=1,-1;BYDAY=MO,-1FR;BYSETPOS=-1;WKST=SU");
    CHECK(*parse_rrule(to_string(*parsed.rule)).rule == *parsed.rule);
}
