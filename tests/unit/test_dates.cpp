#include "test_helpers.hpp"

#include <upkeep/dates.hpp>

using namespace upkeep;
using upkeep::testing::d;

TEST_CASE("ISO dates parse only when they are real calendar dates") {
    CHECK(parse_iso_date("2028-02-29").has_value());
    for (const char* bad : {"2027-02-29", "2027-13-01", "2027-00-10", "2027-1-01", "2027/01/01", "",
                            "20270101", "0000-01-01", "2027-01-32", "2027-01-0a"})
        CHECK_MESSAGE(!parse_iso_date(bad).has_value(), bad);
}

TEST_CASE("basic dates round-trip through their text forms") {
    CHECK(format_basic_date(d("2027-03-31")) == "20270331");
    CHECK(parse_basic_date("20270331") == d("2027-03-31"));
    CHECK(format_iso_date(d("0999-01-05")) == "0999-01-05");
    CHECK(!parse_basic_date("2027033").has_value());
}

TEST_CASE("adding months clamps to the end of a shorter month") {
    struct row {
        const char* from;
        int months;
        const char* expected;
    };
    for (const row& r : {row{"2027-01-31", 1, "2027-02-28"}, row{"2028-01-31", 1, "2028-02-29"},
                         row{"2028-02-29", 12, "2029-02-28"}, row{"2026-03-15", 36, "2029-03-15"},
                         row{"2026-11-30", -1, "2026-10-30"}, row{"2026-12-15", 1, "2027-01-15"}})
        CHECK_MESSAGE(format_iso_date(add_months_clamped(d(r.from), r.months)) == r.expected,
                      r.from << " + " << r.months);
}

TEST_CASE("weekday index starts on Monday") {
    CHECK(weekday_index(d("2026-11-23")) == 0); // Monday
    CHECK(weekday_index(d("2026-11-22")) == 6); // Sunday
}

TEST_CASE("a date in each of the formats trackers offer their users, with the reader's month names") {
    const day_point day = *parse_iso_date("2027-03-05");
    const date_style english{"", {"January", "February", "March"}, {"Jan", "Feb", "Mar"}};
    const auto as = [&](const char* pattern) {
        date_style style = english;
        style.pattern = pattern;
        return format_date_as(day, style);
    };
    CHECK(format_date_as(day, {}) == "2027-03-05"); // no pattern: ISO
    CHECK(as("%Y-%m-%d") == "2027-03-05");
    CHECK(as("%d.%m.%Y") == "05.03.2027");
    CHECK(as("%m/%d/%Y") == "03/05/2027");
    CHECK(as("%d %b %Y") == "05 Mar 2027");
    CHECK(as("%B %d, %Y") == "March 05, 2027");
    CHECK(as("%e. %Bta %Y") == " 5. Marchta 2027"); // %e pads with a space, as Ruby's strftime does
    CHECK(as("%Y.%m.%d.") == "2027.03.05.");
    CHECK(as("100%% %q") == "100% %q"); // a directive that is not a date's stays as it is
    CHECK(format_date_as(*parse_iso_date("2027-12-25"), {"%d %B %Y", {"January"}, {}}) == "25 12 2027");
}
