#include "test_helpers.hpp"

#include <upkeep/maintenance_calendar.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;

namespace {
isms_configuration two_activities() {
    const auto result = parse_configuration(R"({
      "version": 1,
      "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2026-03-15"},
      "activities": [
        {"id": "scan", "title": "Scan", "references": ["A.8.8"], "owner": "secops", "lead_time_days": 7,
         "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=-1", "start": "2027-01-01", "exdates": ["2027-02-28"]},
         "evidence": "Report."},
        {"id": "access-review", "title": "Access review", "references": ["A.5.18"], "owner": "itops",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-01-01"}, "evidence": "List."}
      ]})");
    REQUIRE(result.problems.empty());
    return result.config;
}
} // namespace

TEST_CASE("the calendar lists every due date in the window, audits first on a day") {
    const isms_configuration config = two_activities();
    const certification_cycle cycle = compute_cycle(config.certification);
    const auto entries =
        maintenance_calendar(config, cycle, {d("2027-01-01"), d("2027-03-31"), std::nullopt});
    std::vector<std::string> rows;
    for (const auto& e : entries)
        rows.push_back(format_iso_date(e.date) + " " + e.id);
    CHECK(rows == std::vector<std::string>{"2027-01-31 access-review", "2027-01-31 scan",
                                           "2027-03-15 surveillance_1", "2027-03-31 scan"});
    CHECK(entries[1].opens == d("2027-01-24"));
    CHECK(entries[0].opens == d("2027-01-17")); // default lead time: 14 days
    CHECK(entries[2].kind == entry_kind::audit);
}

TEST_CASE("the owner filter keeps that owner's activities and every audit") {
    const isms_configuration config = two_activities();
    const auto entries = maintenance_calendar(config, compute_cycle(config.certification),
                                              {d("2027-01-01"), d("2027-03-31"), "itops"});
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].id == "access-review");
    CHECK(entries[1].id == "surveillance_1");
}

TEST_CASE("the JSON form carries dates, kinds, owners and opening days") {
    const isms_configuration config = two_activities();
    const calendar_window window{d("2027-03-01"), d("2027-03-31"), std::nullopt};
    const auto j =
        calendar_to_json(maintenance_calendar(config, compute_cycle(config.certification), window), window);
    CHECK(
        j ==
        nlohmann::json::parse(
            R"({"from":"2027-03-01","to":"2027-03-31","entries":[{"date":"2027-03-15","kind":"audit","id":"surveillance_1",)"
            R"("title":"Surveillance audit 1","source":"computed"},{"date":"2027-03-31","kind":"activity","id":"scan",)"
            R"("title":"Scan","owner":"secops","opens":"2027-03-24","references":["A.8.8"]}]})"));
}
