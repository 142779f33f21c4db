// The recurrence expander, table-driven: (dtstart, rule, expected first dates). The RFC 5545 3.8.5.3
// examples come first, adapted to DATE values; then the rules Upkeep's users actually write.

#include "test_helpers.hpp"

#include <upkeep/recurrence.hpp>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::expand;
using upkeep::testing::iso;
using upkeep::testing::rule_of;

namespace {

struct row {
    const char* dtstart;
    const char* rule;
    std::vector<std::string> expected; // the first expected.size() dates, or all of them when `complete`
    bool complete = true;
};

void check_rows(const std::vector<row>& rows) {
    for (const row& r : rows) {
        const std::size_t limit = r.complete ? r.expected.size() + 5 : r.expected.size();
        CHECK_MESSAGE(expand(r.dtstart, r.rule, limit) == r.expected,
                      (std::string(r.dtstart) + " " + r.rule));
    }
}

} // namespace

TEST_CASE("RFC 5545 examples for dates") {
    check_rows({
        {"1997-09-02",
         "FREQ=DAILY;COUNT=10",
         {"1997-09-02", "1997-09-03", "1997-09-04", "1997-09-05", "1997-09-06", "1997-09-07", "1997-09-08",
          "1997-09-09", "1997-09-10", "1997-09-11"}},
        {"1997-09-02",
         "FREQ=DAILY;INTERVAL=2",
         {"1997-09-02", "1997-09-04", "1997-09-06", "1997-09-08"},
         false},
        {"1997-09-02",
         "FREQ=DAILY;INTERVAL=10;COUNT=5",
         {"1997-09-02", "1997-09-12", "1997-09-22", "1997-10-02", "1997-10-12"}},
        {"1997-09-02",
         "FREQ=WEEKLY;UNTIL=19971007;WKST=SU;BYDAY=TU,TH",
         {"1997-09-02", "1997-09-04", "1997-09-09", "1997-09-11", "1997-09-16", "1997-09-18", "1997-09-23",
          "1997-09-25", "1997-09-30", "1997-10-02", "1997-10-07"}}, // UNTIL is inclusive for dates
        {"1997-09-01",
         "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224;WKST=SU;BYDAY=MO,WE,FR",
         {"1997-09-01", "1997-09-03", "1997-09-05", "1997-09-15", "1997-09-17", "1997-09-19", "1997-09-29",
          "1997-10-01", "1997-10-03", "1997-10-13", "1997-10-15", "1997-10-17", "1997-10-27", "1997-10-29",
          "1997-10-31", "1997-11-10", "1997-11-12", "1997-11-14", "1997-11-24", "1997-11-26", "1997-11-28",
          "1997-12-08", "1997-12-10", "1997-12-12", "1997-12-22", "1997-12-24"}},
        {"1997-09-02",
         "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
         {"1997-09-02", "1997-09-04", "1997-09-16", "1997-09-18", "1997-09-30", "1997-10-02", "1997-10-14",
          "1997-10-16"}},
        {"1997-09-05",
         "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
         {"1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05", "1998-01-02", "1998-02-06", "1998-03-06",
          "1998-04-03", "1998-05-01", "1998-06-05"}},
        {"1997-09-07",
         "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
         {"1997-09-07", "1997-09-28", "1997-11-02", "1997-11-30", "1998-01-04", "1998-01-25", "1998-03-01",
          "1998-03-29", "1998-05-03", "1998-05-31"}},
        {"1997-09-22",
         "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
         {"1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19", "1998-02-16"}},
        {"1997-09-28",
         "FREQ=MONTHLY;BYMONTHDAY=-3",
         {"1997-09-28", "1997-10-29", "1997-11-28", "1997-12-29", "1998-01-29", "1998-02-26"},
         false},
        {"1997-09-02",
         "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
         {"1997-09-02", "1997-09-15", "1997-10-02", "1997-10-15", "1997-11-02", "1997-11-15", "1997-12-02",
          "1997-12-15", "1998-01-02", "1998-01-15"}},
        {"1997-09-30",
         "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
         {"1997-09-30", "1997-10-01", "1997-10-31", "1997-11-01", "1997-11-30", "1997-12-01", "1997-12-31",
          "1998-01-01", "1998-01-31", "1998-02-01"}},
        {"1997-09-10",
         "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
         {"1997-09-10", "1997-09-11", "1997-09-12", "1997-09-13", "1997-09-14", "1997-09-15", "1999-03-10",
          "1999-03-11", "1999-03-12", "1999-03-13"}},
        {"1997-09-02",
         "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
         {"1997-09-02", "1997-09-09", "1997-09-16", "1997-09-23", "1997-09-30", "1997-11-04", "1997-11-11",
          "1997-11-18", "1997-11-25", "1998-01-06"},
         false},
        {"1997-06-10",
         "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
         {"1997-06-10", "1997-07-10", "1998-06-10", "1998-07-10", "1999-06-10", "1999-07-10", "2000-06-10",
          "2000-07-10", "2001-06-10", "2001-07-10"}},
        {"1997-03-10",
         "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
         {"1997-03-10", "1999-01-10", "1999-02-10", "1999-03-10", "2001-01-10", "2001-02-10", "2001-03-10",
          "2003-01-10", "2003-02-10", "2003-03-10"}},
        {"1997-01-01",
         "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
         {"1997-01-01", "1997-04-10", "1997-07-19", "2000-01-01", "2000-04-09", "2000-07-18", "2003-01-01",
          "2003-04-10", "2003-07-19", "2006-01-01"}},
        {"1997-05-19", "FREQ=YEARLY;BYDAY=20MO", {"1997-05-19", "1998-05-18", "1999-05-17"}, false},
        {"1997-05-12", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", {"1997-05-12", "1998-05-11", "1999-05-17"}, false},
        {"1997-03-13",
         "FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
         {"1997-03-13", "1997-03-20", "1997-03-27", "1998-03-05", "1998-03-12", "1998-03-19", "1998-03-26",
          "1999-03-04"},
         false},
        {"1997-06-05",
         "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8",
         {"1997-06-05", "1997-06-12", "1997-06-19", "1997-06-26", "1997-07-03", "1997-07-10", "1997-07-17",
          "1997-07-24", "1997-07-31", "1997-08-07", "1997-08-14", "1997-08-21", "1997-08-28", "1998-06-04"},
         false},
        {"1997-09-02",
         "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
         {"1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13", "2000-10-13"},
         false},
        {"1997-09-13",
         "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
         {"1997-09-13", "1997-10-11", "1997-11-08", "1997-12-13", "1998-01-10", "1998-02-07", "1998-03-07",
          "1998-04-11", "1998-05-09", "1998-06-13"},
         false},
        {"1996-11-05",
         "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
         {"1996-11-05", "2000-11-07", "2004-11-02"},
         false},
        {"1997-09-04",
         "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
         {"1997-09-04", "1997-10-07", "1997-11-06"}},
        {"1997-09-29",
         "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
         {"1997-09-29", "1997-10-30", "1997-11-27", "1997-12-30", "1998-01-29", "1998-02-26", "1998-03-30"},
         false},
        {"1997-08-05",
         "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
         {"1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"}},
        {"1997-08-05",
         "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
         {"1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"}},
        {"2007-01-15",
         "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
         {"2007-01-15", "2007-01-30", "2007-02-15", "2007-03-15", "2007-03-30"}},
    });
}

TEST_CASE("daily until a date includes that date") {
    const auto dates = expand("1997-09-02", "FREQ=DAILY;UNTIL=19971224", 500);
    CHECK(dates.size() == 114);
    CHECK(dates.back() == "1997-12-24");
}

TEST_CASE("every day in January for three years, yearly and daily forms agree") {
    const auto yearly =
        expand("1998-01-01", "FREQ=YEARLY;UNTIL=20000131;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA", 500);
    CHECK(yearly.size() == 93);
    CHECK(yearly == expand("1998-01-01", "FREQ=DAILY;UNTIL=20000131;BYMONTH=1", 500));
}

TEST_CASE("monthly on the 31st skips short months") {
    check_rows(
        {{"2027-01-31",
          "FREQ=MONTHLY",
          {"2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31", "2027-08-31"},
          false},
         {"2027-01-30", "FREQ=MONTHLY;BYMONTHDAY=30", {"2027-01-30", "2027-03-30", "2027-04-30"}, false}});
}

TEST_CASE("a yearly rule from February 29 falls only in leap years") {
    check_rows({{"2024-02-29", "FREQ=YEARLY;COUNT=3", {"2024-02-29", "2028-02-29", "2032-02-29"}}});
}

TEST_CASE("DTSTART is an occurrence only when the rule matches it") {
    check_rows({
        {"2027-01-01", "FREQ=WEEKLY;BYDAY=MO;COUNT=2", {"2027-01-04", "2027-01-11"}},
        {"2027-01-15", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2", {"2027-01-31", "2027-02-28"}},
        {"2027-01-01",
         "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1;COUNT=3",
         {"2027-01-31", "2027-04-30", "2027-07-31"}},
    });
}

TEST_CASE("last weekday of the month and other BYSETPOS selections") {
    check_rows({
        {"2027-01-01",
         "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
         {"2027-01-29", "2027-02-26", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30"},
         false},
        {"2027-01-01",
         "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;COUNT=4",
         {"2027-01-01", "2027-01-29", "2027-02-01", "2027-02-26"}},
        {"2027-01-01",
         "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1;BYSETPOS=-1;COUNT=2",
         {"2027-12-31", "2028-12-31"}},
        {"2027-01-01", "FREQ=MONTHLY;BYMONTHDAY=1,2;BYSETPOS=5;COUNT=2", {}},
    });
}

TEST_CASE("BYDAY entries form a union of plain and ordinal weekdays") {
    // RFC 5545 reads a BYDAY list as a list of days; dateutil and rrule.js intersect here and find nothing.
    check_rows({{"2027-03-01",
                 "FREQ=MONTHLY;BYDAY=MO,1FR;COUNT=6",
                 {"2027-03-01", "2027-03-05", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29"}}});
}

TEST_CASE("ordinal weekdays count within BYMONTH months for YEARLY, else within the year") {
    check_rows({
        {"2027-01-01", "FREQ=YEARLY;BYMONTH=2;BYDAY=-1MO;COUNT=2", {"2027-02-22", "2028-02-28"}},
        {"2027-01-01", "FREQ=YEARLY;BYDAY=-1MO;COUNT=2", {"2027-12-27", "2028-12-25"}},
        {"2027-01-01",
         "FREQ=YEARLY;BYDAY=1MO,-1FR;COUNT=4",
         {"2027-01-04", "2027-12-31", "2028-01-03", "2028-12-29"}},
        {"2027-01-01", "FREQ=YEARLY;BYDAY=53FR;COUNT=2", {"2027-12-31", "2032-12-31"}},
    });
}

TEST_CASE("week numbers follow WKST and the four-day rule") {
    check_rows({
        // ISO week 1 of 2026 starts on Monday 2025-12-29, before DTSTART; 2026 has 53 ISO weeks.
        {"2026-01-01", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;COUNT=3", {"2027-01-04", "2028-01-03", "2029-01-01"}},
        {"2026-01-01", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH;COUNT=2", {"2026-12-31", "2032-12-30"}},
        {"2026-01-01",
         "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO;COUNT=3",
         {"2026-12-28", "2027-12-27", "2028-12-25"}},
        // Days of January that belong to the previous year's last week: 2027-01-01 is in ISO week 53 of 2026.
        {"2027-01-01", "FREQ=YEARLY;BYWEEKNO=53;COUNT=3", {"2027-01-01", "2027-01-02", "2027-01-03"}},
        // Days of December that belong to next year's week 1: 2024-12-30 is in ISO week 1 of 2025.
        {"2024-01-01", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;COUNT=3", {"2024-01-01", "2024-12-30", "2025-12-29"}},
        // With WKST=SU week 1 of 2027 starts on Sunday 2027-01-03.
        {"2027-01-01", "FREQ=YEARLY;BYWEEKNO=1;WKST=SU;COUNT=2", {"2027-01-03", "2027-01-04"}},
    });
}

TEST_CASE("year days count from either end and skip day 366 in common years") {
    check_rows({
        {"2027-01-01", "FREQ=YEARLY;BYYEARDAY=-1;COUNT=2", {"2027-12-31", "2028-12-31"}},
        {"2027-01-01", "FREQ=YEARLY;BYYEARDAY=366;COUNT=2", {"2028-12-31", "2032-12-31"}},
        {"2027-01-01", "FREQ=YEARLY;BYYEARDAY=60;BYMONTH=3;COUNT=2", {"2027-03-01", "2029-03-01"}},
    });
}

TEST_CASE("rules that can never match end at once instead of looping") {
    for (const char* rule : {"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31",
                             "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6",
                             "FREQ=WEEKLY;BYMONTH=2;BYDAY=TU;BYSETPOS=2"})
        CHECK_MESSAGE(expand("2027-01-01", rule, 10).empty(), rule);
    // February 29 every 4 years from a common year: the rule never lands on a leap year.
    CHECK(expand("2027-02-01", "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29").empty());
    CHECK(expand("2028-02-01", "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", 2) ==
          std::vector<std::string>{"2028-02-29", "2032-02-29"});
}

TEST_CASE("expansion ends at the year 9999") {
    const auto dates = expand("9999-12-01", "FREQ=DAILY", 1000);
    CHECK(dates.size() == 31);
    CHECK(dates.back() == "9999-12-31");
    CHECK(expand("9998-01-01", "FREQ=YEARLY;INTERVAL=5").size() == 1);
}

TEST_CASE("UNTIL before DTSTART gives no dates; COUNT counts only emitted dates") {
    CHECK(expand("2027-01-01", "FREQ=DAILY;UNTIL=20261231").empty());
    CHECK(expand("2027-01-15", "FREQ=MONTHLY;BYMONTHDAY=1,15,28;COUNT=2") ==
          std::vector<std::string>{"2027-01-15", "2027-01-28"});
}

TEST_CASE("RDATE adds and EXDATE removes dates from the set") {
    const recurrence set{d("2027-01-31"),
                         rule_of("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4"),
                         {d("2027-02-14"), d("2027-03-31"), d("2026-12-01")},
                         {d("2027-03-31"), d("2027-02-28")}};
    CHECK(iso(all(set, 10)) ==
          std::vector<std::string>{"2026-12-01", "2027-01-31", "2027-02-14", "2027-04-30"});
}

TEST_CASE("query API: between, before and after, inclusive or not") {
    const recurrence set{d("2027-01-01"), rule_of("FREQ=MONTHLY;BYMONTHDAY=1"), {}, {}};
    CHECK(iso(between(set, d("2027-02-01"), d("2027-04-01"), false)) ==
          std::vector<std::string>{"2027-03-01"});
    CHECK(iso(between(set, d("2027-02-01"), d("2027-04-01"), true)) ==
          std::vector<std::string>{"2027-02-01", "2027-03-01", "2027-04-01"});
    CHECK(iso(between(set, d("2027-02-01"), d("2028-04-01"), true, 2)) ==
          std::vector<std::string>{"2027-02-01", "2027-03-01"});
    CHECK(before(set, d("2027-03-01"), false) == d("2027-02-01"));
    CHECK(before(set, d("2027-03-01"), true) == d("2027-03-01"));
    CHECK(!before(set, d("2027-01-01"), false).has_value());
    CHECK(after(set, d("2027-03-01"), false) == d("2027-04-01"));
    CHECK(after(set, d("2027-03-01"), true) == d("2027-03-01"));
    const recurrence never{d("2027-01-01"), rule_of("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), {}, {}};
    CHECK(!after(never, d("2027-01-01"), true).has_value());
    CHECK(!before(never, d("2100-01-01"), true).has_value());
}

TEST_CASE("defaults taken from DTSTART become explicit rule parts") {
    CHECK(to_string(with_start_defaults(rule_of("FREQ=YEARLY"), d("2027-03-15"))) ==
          "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15");
    CHECK(to_string(with_start_defaults(rule_of("FREQ=YEARLY;BYMONTH=6"), d("2027-03-15"))) ==
          "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15");
    CHECK(to_string(with_start_defaults(rule_of("FREQ=MONTHLY;INTERVAL=3"), d("2027-03-15"))) ==
          "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15");
    CHECK(to_string(with_start_defaults(rule_of("FREQ=WEEKLY"), d("2027-03-15"))) == "FREQ=WEEKLY;BYDAY=MO");
    CHECK(to_string(with_start_defaults(rule_of("FREQ=DAILY;BYMONTH=1"), d("2027-03-15"))) ==
          "FREQ=DAILY;BYMONTH=1");
    CHECK(to_string(with_start_defaults(rule_of("FREQ=MONTHLY;BYDAY=1MO"), d("2027-03-15"))) ==
          "FREQ=MONTHLY;BYDAY=1MO");
}

TEST_CASE("the first WEEKLY period starts at DTSTART, so BYSETPOS counts from there") {
    // 2026-11-25 is a Wednesday: the Monday before it is not part of the set (dateutil, rrule.js).
    check_rows(
        {{"2026-11-25",
          "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1;COUNT=3",
          {"2026-11-25", "2026-11-30", "2026-12-07"}},
         {"2026-11-25", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=-3;COUNT=2", {"2026-11-30", "2026-12-07"}}});
}

TEST_CASE("a weekly period that runs past 9999-12-31 stops there") {
    CHECK(expand("9999-12-25", "FREQ=WEEKLY;BYDAY=MO,SU") ==
          std::vector<std::string>{"9999-12-26", "9999-12-27"});
}
