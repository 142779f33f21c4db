// KPIs pinned on hand-computed ticket histories. Certified 2027-01-15: surveillance 1's period runs
// [2027-01-15, 2028-01-15); today is 2027-11-01. A quarterly review is due on the last day of March,
// June, September and December; "awareness-training" is due yearly on 2027-06-30.

#include "test_helpers.hpp"

#include <upkeep/metrics.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::task;

namespace {

isms_configuration metrics_config() {
    const auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme <Ltd>"},
      "certification": {"decision_date": "2027-01-15"},
      "activities": [
        {"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops", "evidence": "List.",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-03-01"}},
        {"id": "awareness-training", "title": "Training", "references": ["A.6.3"], "owner": "hr", "evidence": "Records.",
         "cadence": {"rrule": "FREQ=YEARLY", "start": "2027-06-30"}}]})");
    REQUIRE(result.problems.empty());
    return result.config;
}

std::vector<kpi> kpis_of(const tracker_snapshot& tracker, const char* today = "2027-11-01") {
    const isms_configuration c = metrics_config();
    const auto report = compute_status(c, compute_cycle(c.certification), tracker, d(today));
    return compute_kpis(c, report, tracker, d(today));
}

const kpi_value& now(const std::vector<kpi>& kpis, const std::string& id) {
    for (const kpi& k : kpis)
        if (k.id == id) {
            REQUIRE(!k.periods.empty());
            return k.periods.back();
        }
    FAIL("no KPI " << id);
    throw;
}

} // namespace

TEST_CASE("every KPI has its definition and one value per started audit period") {
    const auto kpis = kpis_of({});
    CHECK(kpis.size() == 8);
    for (const kpi& k : kpis) {
        CAPTURE(k.id);
        CHECK(!k.definition.empty());
        CHECK(k.periods.size() == 1);
    }
}

TEST_CASE("an empty history gives no value and says why, never 0") {
    const auto kpis = kpis_of({}, "2027-02-01");
    CHECK(!now(kpis, "controls-on-time").value);
    CHECK(now(kpis, "controls-on-time").why == "no recurring control fell due in this period yet");
    CHECK(now(kpis, "findings-by-deadline").why ==
          "no nonconformity or corrective action had a deadline that passed in this period");
    CHECK(now(kpis, "changes-assessed").why == "no change ticket was closed in this period");
    CHECK(now(kpis, "training-completion").why == "no training occurrence fell due in this period yet");
    CHECK(now(kpis, "incidents").why == "the project has no ticket type \"Incident\"");
}

TEST_CASE("controls on time: the closure figures, with the misses' tickets") {
    // March on time, June late (work done 2027-07-04), September missed (open): 1 of 3.
    tracker_snapshot tracker;
    tracker.tasks = {task("control:review:2027-03-31", 11, "2027-03-30"),
                     task("control:review:2027-06-30", 12, "2027-07-05", "2027-07-04"),
                     task("control:review:2027-09-30", 13, nullptr)};
    const auto kpis = kpis_of(tracker);
    const kpi_value& v = now(kpis, "controls-on-time");
    REQUIRE(v.value);
    CHECK(*v.value == doctest::Approx(0.25));
    CHECK(v.numerator == 1);
    CHECK(v.denominator == 4); // the June training occurrence has no ticket: missed, with no ticket to list
    CHECK(v.tickets == std::vector<long long>{12, 13});
}

TEST_CASE("findings by deadline, verifications, changes assessed before closing") {
    tracker_snapshot tracker;
    tracker.findings = {
        {21, "nonconformity", "NC closed in time", true, d("2027-05-01"), d("2027-04-20")},
        {22, "corrective_action", "CA closed late", true, d("2027-05-01"), d("2027-05-09")},
        {23, "corrective_action", "CA open past deadline", false, d("2027-08-01"), std::nullopt},
        {24, "corrective_action", "CA not due yet", false, d("2027-12-01"), std::nullopt}, // not judged yet
        {25, "nonconformity", "NC without deadline", true, std::nullopt,
         d("2027-06-01")}, // not counted, said so
        {26, "verification", "Verified", true, d("2027-06-01"), d("2027-05-30")},
        {27, "verification", "Not verified", false, d("2027-07-01"), std::nullopt}};
    change_record assessed_first{.id = 31, .closed = true, .closed_on = d("2027-05-10")};
    assessed_first.assessment = assessment_record{1, d("2027-05-01"), "itops", {}};
    change_record assessed_after{.id = 32, .closed = true, .closed_on = d("2027-05-10")};
    assessed_after.assessment = assessment_record{2, d("2027-05-12"), "itops", {}};
    change_record never{.id = 33, .closed = true, .closed_on = d("2027-06-10")};
    change_record open{.id = 34};
    tracker.changes = {assessed_first, assessed_after, never, open};
    const auto kpis = kpis_of(tracker);

    const kpi_value& findings = now(kpis, "findings-by-deadline");
    CHECK(findings.numerator == 1);
    CHECK(findings.denominator == 3);
    CHECK(findings.tickets == std::vector<long long>{21, 22, 23});
    CHECK(findings.detail == "1 finding closed in the period has no deadline and is not counted");
    const kpi_value& verified = now(kpis, "corrective-actions-effective");
    CHECK(verified.numerator == 1);
    CHECK(verified.denominator == 2);
    const kpi_value& changes = now(kpis, "changes-assessed");
    CHECK(changes.numerator == 1);
    CHECK(changes.denominator == 3);
    CHECK(changes.tickets == std::vector<long long>{32, 33});
}

TEST_CASE("training completion sums the recorded people; a ticket without the counts is missing data") {
    tracker_snapshot tracker;
    task_record training = task("control:awareness-training:2027-06-30", 41, "2027-06-28");
    tracker.tasks = {training};
    const auto without = kpis_of(tracker);
    const kpi_value& missing = now(without, "training-completion");
    CHECK(!missing.value);
    CHECK(missing.why == "no training occurrence of this period has figures");
    REQUIRE(missing.missing.size() == 1);
    CHECK(missing.missing[0].ticket_id == 41);
    CHECK(missing.tickets == std::vector<long long>{41});
    const kpi& training_kpi = *std::find_if(without.begin(), without.end(),
                                            [](const kpi& k) { return k.id == "training-completion"; });
    CHECK(format_kpi_value(training_kpi, missing) ==
          "n/a (no training occurrence of this period has figures); no figures for 1 occurrence: #41 due "
          "2027-06-30 "
          "completed without the number of people in scope and who completed it");
    tracker.tasks[0].people_in_scope = 40;
    tracker.tasks[0].people_completed = 37;
    const auto kpis = kpis_of(tracker);
    const kpi_value& v = now(kpis, "training-completion");
    REQUIRE(v.value);
    CHECK(*v.value == doctest::Approx(37.0 / 40));
    CHECK(v.tickets == std::vector<long long>{41});
    CHECK(v.detail == "2027-06-30: 37 of 40"); // each occurrence's own figure
}

TEST_CASE("incidents by severity, mean time to detect and to resolve; missing dates are said") {
    tracker_snapshot tracker;
    tracker.has_incidents = true;
    tracker.incidents = {
        {51, "Phishing", "High", true, d("2027-03-01"), d("2027-03-03"), d("2027-03-08")},   // 2 days, 5 days
        {52, "Lost laptop", "Low", true, d("2027-04-10"), d("2027-04-10"), d("2027-04-11")}, // 0 days, 1 day
        {53, "Malware", "High", false, std::nullopt, d("2027-09-01"), std::nullopt},  // counted by detection
        {54, "Old", "Low", true, d("2026-12-01"), d("2026-12-02"), d("2026-12-03")}}; // before the period
    const auto kpis = kpis_of(tracker);
    const kpi_value& count = now(kpis, "incidents");
    REQUIRE(count.value);
    CHECK(*count.value == 3);
    CHECK(count.detail == "High 2, Low 1");
    CHECK(*now(kpis, "time-to-detect").value == doctest::Approx(1.0));
    CHECK(now(kpis, "time-to-detect").numerator == 2);
    CHECK(*now(kpis, "time-to-resolve").value == doctest::Approx(3.0));

    tracker.incidents = {{55, "No dates", "", false, std::nullopt, d("2027-05-01"), std::nullopt}};
    const auto partial = kpis_of(tracker);
    CHECK(!now(partial, "time-to-detect").value);
    CHECK(now(partial, "time-to-detect").why ==
          "none of the 1 incident records both dates it occurred and was detected");
    CHECK(now(partial, "incidents").detail == "unset 1");

    // An incident with neither date belongs to no period: the latest period says so, with its ticket.
    tracker.incidents.push_back({56, "Undated", "Low", false, std::nullopt, std::nullopt, std::nullopt});
    const auto with_undated = kpis_of(tracker);
    const kpi_value& undated = now(with_undated, "incidents");
    CHECK(*undated.value == 1);
    CHECK(undated.detail == "unset 1; 1 incident records neither when it occurred nor when it was detected, "
                            "so no period counts it");
    CHECK(undated.tickets == std::vector<long long>{55, 56});
}

TEST_CASE("each KPI has one value per started audit period: the trend") {
    // On 2028-05-01 surveillance 1's period [2027-01-15, 2028-01-15) is over and surveillance 2's has
    // started. Period 1: the four reviews and the training done on time, 5 of 5. Period 2: the review due
    // 2028-03-31 missed, 0 of 1. The training: 40 of 40 in 2027; none due yet in 2028.
    tracker_snapshot tracker;
    tracker.tasks = {task("control:review:2027-03-31", 1, "2027-03-30", "2027-03-30"),
                     task("control:review:2027-06-30", 2, "2027-06-30", "2027-06-30"),
                     task("control:review:2027-09-30", 3, "2027-09-29", "2027-09-29"),
                     task("control:review:2027-12-31", 4, "2027-12-20", "2027-12-20"),
                     task("control:awareness-training:2027-06-30", 5, "2027-06-28", "2027-06-28")};
    tracker.tasks[4].people_in_scope = 40;
    tracker.tasks[4].people_completed = 40;
    const auto kpis = kpis_of(tracker, "2028-05-01");
    const auto periods = [&](const std::string& id) {
        return std::find_if(kpis.begin(), kpis.end(), [&](const kpi& k) { return k.id == id; })->periods;
    };
    const auto controls = periods("controls-on-time");
    REQUIRE(controls.size() == 2);
    CHECK(controls[0].audit == audit_kind::surveillance_1);
    CHECK(controls[0].numerator == 5);
    CHECK(controls[0].denominator == 5);
    CHECK(*controls[0].value == doctest::Approx(1.0));
    CHECK(controls[1].audit == audit_kind::surveillance_2);
    CHECK(controls[1].numerator == 0);
    CHECK(controls[1].denominator == 1);
    CHECK(*controls[1].value == doctest::Approx(0.0));
    const auto training = periods("training-completion");
    REQUIRE(training.size() == 2);
    CHECK(*training[0].value == doctest::Approx(1.0));
    CHECK(!training[1].value);
    CHECK(training[1].why == "no training occurrence fell due in this period yet");
}

TEST_CASE("a training never held is missing data, named, and the value says how much it covers") {
    // Training due yearly on 30 June: 2027's was held (40 of 50 completed); as of 2028-09-01 2028's was
    // never held.
    tracker_snapshot tracker;
    tracker.tasks = {task("control:awareness-training:2027-06-30", 5, "2027-06-28", "2027-06-28"),
                     task("control:awareness-training:2028-06-30", 6)};
    tracker.tasks[0].people_in_scope = 50;
    tracker.tasks[0].people_completed = 40;
    const auto kpis = kpis_of(tracker, "2028-09-01");
    const auto& training = std::find_if(kpis.begin(), kpis.end(), [](const kpi& k) {
                               return k.id == "training-completion";
                           })->periods;
    REQUIRE(training.size() == 2);
    CHECK(training[0].numerator == 40);
    CHECK(training[0].denominator == 50);
    CHECK(!training[1].value);
    REQUIRE(training[1].missing.size() == 1);
    CHECK(training[1].missing[0].why == "not held");
    CHECK(training[1].missing[0].ticket_id == 6);
}

TEST_CASE("KPIs count calendar occurrences, not tickets: a duplicate never counts twice") {
    tracker_snapshot tracker;
    task_record first = task("control:awareness-training:2027-06-30", 5, "2027-06-28", "2027-06-28");
    first.people_in_scope = 40;
    first.people_completed = 30;
    task_record copy = first;
    copy.id = 6;
    tracker.tasks = {first, copy, task("control:review:2027-03-31", 7, "2027-03-30"),
                     task("control:review:2027-03-31", 8, "2027-03-30")};
    const auto kpis = kpis_of(tracker, "2027-07-10");
    CHECK(now(kpis, "training-completion").numerator == 30);
    CHECK(now(kpis, "training-completion").denominator == 40);
    CHECK(now(kpis, "controls-on-time").numerator == 2);   // March's review and the training
    CHECK(now(kpis, "controls-on-time").denominator == 3); // and June's review, missed
}

TEST_CASE("a finding closed before its deadline is not counted until the deadline has passed") {
    tracker_snapshot tracker;
    finding_record early{.id = 1,
                         .kind = "corrective_action",
                         .subject = "Early",
                         .closed = true,
                         .due = d("2027-12-01"),
                         .closed_on = d("2027-10-01")};
    finding_record late{.id = 2,
                        .kind = "corrective_action",
                        .subject = "Late",
                        .closed = true,
                        .due = d("2027-09-01"),
                        .closed_on = d("2027-09-15")};
    tracker.findings = {early, late};
    const auto kpis = kpis_of(tracker);
    const kpi_value& v = now(kpis, "findings-by-deadline");
    CHECK(v.numerator == 0);
    CHECK(v.denominator == 1);
    CHECK(v.tickets == std::vector<long long>{2});
}

TEST_CASE("a reopened ticket counts as open again") {
    // Closed on time, then reopened: Redmine keeps closed_on, but the ticket is open; the work is not done.
    tracker_snapshot tracker;
    task_record reopened = task("control:review:2027-03-31", 61, "2027-03-30");
    reopened.closed = false;
    tracker.tasks = {reopened};
    const auto kpis = kpis_of(tracker, "2027-04-15");
    const kpi_value& v = now(kpis, "controls-on-time");
    CHECK(v.numerator == 0);
    CHECK(v.denominator == 1);
}

TEST_CASE("an incident and a finding on the audit day belong to the next period") {
    // Surveillance 1 is due 2028-01-15 (computed): its period ends the day before.
    tracker_snapshot tracker;
    tracker.has_incidents = true;
    tracker.incidents = {
        {61, "On the audit day", "High", true, d("2028-01-15"), d("2028-01-15"), d("2028-01-16")},
        {62, "The day before", "Low", true, d("2028-01-14"), d("2028-01-14"), d("2028-01-14")}};
    tracker.findings = {{.id = 63,
                         .kind = "corrective_action",
                         .subject = "Due on the audit day",
                         .closed = true,
                         .due = d("2028-01-15"),
                         .closed_on = d("2028-01-10")}};
    const auto kpis = kpis_of(tracker, "2028-02-01");
    const auto periods = [&](const std::string& id) {
        return std::find_if(kpis.begin(), kpis.end(), [&](const kpi& k) { return k.id == id; })->periods;
    };
    const auto incidents = periods("incidents");
    REQUIRE(incidents.size() == 2);
    CHECK(incidents[0].tickets == std::vector<long long>{62});
    CHECK(incidents[1].tickets == std::vector<long long>{61});
    const auto findings = periods("findings-by-deadline");
    CHECK(findings[0].denominator == 0);
    CHECK(findings[1].denominator == 1);
    CHECK(findings[1].numerator == 1);
}
