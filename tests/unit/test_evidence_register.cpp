// The evidence register: one row per occurrence, the result in the status's words, CSV that a
// spreadsheet never runs as a formula.

#include "test_helpers.hpp"

#include <upkeep/evidence_register.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::task;

namespace {

isms_configuration quarterly_titled(const std::string& title) {
    const auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"}, "certification": {"decision_date": "2027-01-15"},
      "activities": [{"id": "review", "title": )" +
                                            nlohmann::json(title).dump() + R"(, "references": ["A.5.18"],
        "owner": "itops", "evidence": "List.", "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-03-01"}}]})");
    REQUIRE(result.problems.empty());
    return result.config;
}

} // namespace

TEST_CASE("the evidence register lists every occurrence of a period, as CSV and JSON") {
    const auto config = quarterly_titled("Review, \"quarterly\"");
    task_record first = task("control:review:2027-03-31", 42, "2027-04-02", "2027-03-30");
    first.evidence_links = {"https://redmine.example/attachments/download/80/users.csv",
                            "https://drive.example/q1"};
    const auto report =
        compute_status(config, compute_cycle(config.certification), {.tasks = {first}}, d("2027-07-10"));
    const std::string csv =
        evidence_register_csv(report.periods[0], config, {"#", "https://redmine.example/issues/"});
    CHECK(csv.starts_with(
        "activity,title,references,owner,due,done_on,closed_on,evidence,evidence_links,valid_until,renewal,"
        "result,ticket\r\n"
        "review,\"Review, \"\"quarterly\"\"\",A.5.18,itops,2027-03-31,2027-03-30,2027-04-02,yes,"
        "https://redmine.example/attachments/download/80/users.csv https://drive.example/q1,,no,on time,"
        "https://redmine.example/issues/42\r\n"
        "review,\"Review, \"\"quarterly\"\"\",A.5.18,itops,2027-06-30,,,no,,,no,overdue,\r\n"
        "review,\"Review, \"\"quarterly\"\"\",A.5.18,itops,2027-09-30,,,no,,,no,upcoming,\r\n"));
    const auto json = evidence_register_json(report.periods[0], config);
    CHECK(json["audit"] == "surveillance_1");
    CHECK(json["occurrences"].size() == report.periods[0].occurrences.size());
    CHECK(json["occurrences"][1]["result"] == "overdue");
}

TEST_CASE("a register cell a spreadsheet would run as a formula starts with an apostrophe") {
    const auto config = quarterly_titled("=HYPERLINK(\"https://evil.example\",\"Open\")");
    task_record first = task("control:review:2027-03-31", 42, "2027-04-02", "2027-03-30");
    first.evidence_links = {"-2+3", "@SUM(A1)", "https://ok.example"};
    const auto report =
        compute_status(config, compute_cycle(config.certification), {.tasks = {first}}, d("2027-04-10"));
    const std::string csv = evidence_register_csv(report.periods[0], config);
    CHECK(csv.find("review,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"Open\"\")\",A.5.18,") !=
          std::string::npos);
    CHECK(csv.find(",'-2+3 @SUM(A1) https://ok.example,") != std::string::npos);
    // JSON is data, not a formula: as typed.
    CHECK(evidence_register_json(report.periods[0], config)["occurrences"][0]["title"] ==
          "=HYPERLINK(\"https://evil.example\",\"Open\")");
}
