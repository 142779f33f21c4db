// The status as JSON: figures with their counts, items with their kinds, the panel's compact timeline.

#include "test_helpers.hpp"

#include <upkeep/status_json.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::task;

namespace {

isms_configuration two_activities() {
    // Two activities whose occurrences interleave by date; the second sorts first by id.
    const auto parsed = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"}, "certification": {"decision_date": "2027-01-15"},
      "activities": [
        {"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops", "evidence": "List.",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1", "start": "2027-03-01"}},
        {"id": "backup", "title": "Backup", "references": ["A.8.13"], "owner": "secops", "evidence": "Log.",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1", "start": "2027-04-01"}}]})");
    REQUIRE(parsed.problems.empty());
    return parsed.config;
}

status_report status(const std::vector<task_record>& tasks, const char* today) {
    const auto config = two_activities();
    return compute_status(config, compute_cycle(config.certification), {.tasks = tasks}, d(today));
}

} // namespace

TEST_CASE("the panel's timeline lists each activity once with its occurrences as rows, by id") {
    task_record late = task("control:review:2027-03-31", 41, "2027-04-03");
    late.evidence = false;
    const auto report = status({late}, "2027-11-01");
    const nlohmann::json out = status_to_json(report, {.timeline = true});
    const nlohmann::json& period = out["periods"][0];
    CHECK(!period.contains("occurrences"));
    CHECK(period["timeline"] == nlohmann::json::parse(R"([
      {"activity": "backup", "title": "Backup", "owner": "secops", "marks": [
        ["2027-04-01", "overdue", null, false, null], ["2027-10-01", "overdue", null, false, null]]},
      {"activity": "review", "title": "Review", "owner": "itops", "marks": [
        ["2027-03-31", "late", "2027-04-03", false, 41], ["2027-09-30", "overdue", null, false, null]]}])"));
    CHECK(status_to_json(report)["periods"][0]["occurrences"].size() ==
          4); // the default form: one object each
}

TEST_CASE("status JSON: the day, the states' words, rates with counts, readiness as done of counted") {
    const auto report = status({task("control:review:2027-03-31", 41, "2027-03-30")}, "2027-04-10");
    const nlohmann::json out = status_to_json(report);
    CHECK(out["as_of"] == "2027-04-10");
    CHECK(out["state_labels"]["overdue"] == "overdue");
    CHECK(out["state_labels"]["on_time"] == "on time");
    CHECK(out["state_labels"]["missed"] == "missed");
    const nlohmann::json& period = out["periods"][0];
    CHECK(period["title"] == "Surveillance audit 1");
    CHECK(period["overall"] ==
          nlohmann::json::parse(R"json({"on_time": 1, "due": 2, "rate": 0.5, "text": "50% (1 of 2)"})json"));
    // backup's first occurrence (2027-04-01) has passed; review's next one not yet.
    CHECK(period["by_activity"]["backup"]["rate"] == 0.0);
    CHECK(period["by_owner"]["secops"]["text"] == "0% (0 of 1)");
    CHECK(period["by_month"].size() >= 1);
    for (const auto& [month, rate] : period["by_month"].items())
        CHECK(month.size() == 7);
    CHECK(period["occurrences"][0]["counted"] == true);
    CHECK(period["occurrences"][0]["title"] == "Review");
    const nlohmann::json& next = out["next_audit"];
    CHECK(
        next["readiness"] ==
        nlohmann::json::parse(R"json({"done": 1, "counted": 2, "percent": 50, "text": "50% (1 of 2)"})json"));
    CHECK(next["fix_first_total"] == 1);
    CHECK(next["fix_first"][0] == nlohmann::json::parse(R"json({"rank": 1, "kind": "overdue_occurrence",
      "what": "Backup (due 2027-04-01) is overdue by 9 days (secops), no ticket", "date": "2027-04-01", "days_late": 9,
      "activity": "backup", "activity_title": "Backup", "owner": "secops", "ticket_id": null, "key_activity": false})json"));
    CHECK(next["to_watch"][0]["kind"] == "due_before_audit");
    CHECK(out["ticket_problems"] == nlohmann::json::array());
}

TEST_CASE("nothing due yet is null in JSON and said in words") {
    const auto out = status_to_json(status({}, "2027-02-01"));
    CHECK(out["periods"][0]["overall"]["rate"].is_null());
    CHECK(out["periods"][0]["overall"]["text"] == "nothing due yet");
    CHECK(out["next_audit"]["readiness"]["percent"].is_null());
    CHECK(out["next_audit"]["readiness"]["text"] == "nothing due yet");
}

TEST_CASE("the list limit trims fix first and to watch, and their totals count them all") {
    // 2027-06-01: review's March and backup's April occurrences are overdue, September's and October's
    // fall due before the audit.
    const auto out = status_to_json(status({}, "2027-06-01"), {.list_limit = 1});
    CHECK(out["next_audit"]["fix_first"].size() == 1);
    CHECK(out["next_audit"]["fix_first_total"] == 2);
    CHECK(out["next_audit"]["to_watch"].size() == 1);
    CHECK(out["next_audit"]["to_watch_total"] == 2);
}
