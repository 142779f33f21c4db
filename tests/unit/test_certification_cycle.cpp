#include "test_helpers.hpp"

#include <upkeep/certification_cycle.hpp>

using namespace upkeep;
using upkeep::testing::d;

namespace {
certification_info certified_on(const char* decision) {
    certification_info c;
    c.decision_date = d(decision);
    return c;
}
} // namespace

TEST_CASE("computed audit dates are the latest the cycle allows") {
    struct row {
        const char* decision;
        const char* s1;
        const char* s2;
        const char* recert;
        const char* expiry;
    };
    for (const row& r : {row{"2026-03-15", "2027-03-15", "2028-03-15", "2029-03-14", "2029-03-15"},
                         row{"2028-02-29", "2029-02-28", "2030-02-28", "2031-02-27", "2031-02-28"},
                         row{"2026-12-31", "2027-12-31", "2028-12-31", "2029-12-30", "2029-12-31"}}) {
        const certification_cycle cycle = compute_cycle(certified_on(r.decision));
        CHECK(format_iso_date(cycle.audits[0].date) == r.s1);
        CHECK(format_iso_date(cycle.audits[1].date) == r.s2);
        CHECK(format_iso_date(cycle.audits[2].date) == r.recert);
        CHECK(format_iso_date(cycle.expiry) == r.expiry);
        for (const cycle_audit& a : cycle.audits)
            CHECK(a.source == date_source::computed);
        CHECK(cycle.warnings.empty());
    }
}

TEST_CASE("audit periods run from the previous audit") {
    certification_info c = certified_on("2026-03-15");
    c.surveillance_1 = audit_date{d("2027-02-10"), audit_status::held};
    const certification_cycle cycle = compute_cycle(c);
    CHECK(cycle.audits[0].period_start == d("2026-03-15"));
    CHECK(cycle.audits[0].source == date_source::held);
    CHECK(cycle.audits[1].period_start == d("2027-02-10"));
    CHECK(cycle.audits[2].period_start == d("2028-03-15"));
}

TEST_CASE("planned dates that break the rules stay, with a warning naming the rule") {
    certification_info c = certified_on("2026-03-15");
    c.surveillance_1 = audit_date{d("2027-04-01"), audit_status::planned};
    c.surveillance_2 = audit_date{d("2027-03-01"), audit_status::planned};
    c.recertification = audit_date{d("2029-03-15"), audit_status::planned};
    const certification_cycle cycle = compute_cycle(c);
    CHECK(cycle.audits[0].date == d("2027-04-01"));
    REQUIRE(cycle.warnings.size() == 3);
    CHECK(
        cycle.warnings[0].to_string() ==
        "warning: /certification/audits/surveillance_1/date: 2027-04-01 is later than the rule allows: the "
        "first "
        "surveillance audit is due no later than 12 months after the certification decision (by 2027-03-15)");
    CHECK(cycle.warnings[1].to_string() ==
          "warning: /certification/audits/surveillance_2/date: 2027-03-01 is not after Surveillance audit 1 "
          "(2027-04-01): audits follow each other in the cycle");
    CHECK(
        cycle.warnings[2].to_string() ==
        "warning: /certification/audits/recertification/date: 2029-03-15 is later than the rule allows: the "
        "recertification audit must be completed before the certificate expires (by 2029-03-14)");
}
