// Redmine's issues as the status's records: the mapping of control tasks, decisions, findings and
// incidents from pages of GET /issues.json.

#include "test_helpers.hpp"

#include <upkeep/redmine/mapping.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;

namespace {

// Project 9, where user 7 is Upkeep; key field 1, state field 5; status 5 is closed.
redmine::context upkeep_context() {
    redmine::context ctx;
    ctx.project_id = 9;
    ctx.upkeep_user_ids = {7};
    ctx.key_field_id = 1;
    ctx.state_field_id = 5;
    ctx.closed_status_ids = {5};
    return ctx;
}

} // namespace

TEST_CASE("Redmine control tasks become task records: closing day, evidence date, evidence flag and links") {
    redmine::context ctx = upkeep_context();
    ctx.evidence_date_field_id = 4;
    ctx.evidence_links_field_id = 6;
    const auto page = nlohmann::json::parse(R"json({"issues": [
      {"id": 1, "project": {"id": 9}, "author": {"id": 7}, "status": {"id": 5}, "closed_on": "2027-04-02T08:00:00Z",
       "subject": "Quarterly review (due 2027-03-31)",
       "description": "Notes of people.\r\n\r\n-- ISMS task (maintained by Upkeep: write above this line) --\r\nDue: 2027-03-31\r\nOwner: alice\r\nISO/IEC 27001:2022: A.5.18",
       "custom_fields": [{"id": 1, "value": "control:review:2027-03-31"}, {"id": 4, "value": "2027-03-30"},
                         {"id": 5, "value": "h=1;evidence=1"},
                         {"id": 6, "value": " https://drive.example/q1 \r\n\nhttps://wiki.example/review\n"}],
       "attachments": [{"id": 80, "filename": "users.csv", "content_url": "https://redmine.example/attachments/download/80/users.csv"}]},
      {"id": 2, "project": {"id": 9}, "author": {"id": 8}, "status": {"id": 5},
       "custom_fields": [{"id": 1, "value": "control:review:2027-06-30"}]},
      {"id": 3, "project": {"id": 9}, "author": {"id": 7}, "status": {"id": 1},
       "custom_fields": [{"id": 1, "value": "nc:missed:control:review:2027-03-31"}]}]})json");
    const auto records = redmine::task_records_from_page(page, ctx);
    REQUIRE(records.size() == 1); // a look-alike by another author and a nonconformity are not control tasks
    CHECK(records[0].closed);
    CHECK(records[0].closed_on == d("2027-04-02"));
    CHECK(records[0].done_on == d("2027-03-30"));
    CHECK(records[0].evidence);
    CHECK(records[0].owner == "alice"); // as issued: Upkeep's block of the description
    CHECK(records[0].title == "Quarterly review");
    CHECK(records[0].evidence_links ==
          std::vector<std::string>{"https://redmine.example/attachments/download/80/users.csv",
                                   "https://drive.example/q1", "https://wiki.example/review"});
}

TEST_CASE("Redmine mapping: a review's decisions come from its control task; their tickets are records") {
    redmine::context ctx = upkeep_context();
    ctx.decisions_field_id = 8;
    const auto page = nlohmann::json::parse(R"({"issues": [
      {"id": 1, "project": {"id": 9}, "author": {"id": 7}, "status": {"id": 5},
       "custom_fields": [{"id": 1, "value": "control:mr:2027-05-31"}, {"id": 8, "value": "ceo: Budget a SIEM"}]},
      {"id": 2, "project": {"id": 9}, "author": {"id": 7}, "status": {"id": 5}, "subject": "Review decision (#1): Budget a SIEM",
       "assigned_to": {"id": 3, "name": "Carol CEO"}, "due_date": "2027-07-01", "closed_on": "2027-06-20T10:00:00Z",
       "custom_fields": [{"id": 1, "value": "decision:1:0a1b2c3d4e5f"}, {"id": 8, "value": "x: not a review"}]},
      {"id": 3, "project": {"id": 9}, "author": {"id": 8}, "status": {"id": 1},
       "custom_fields": [{"id": 1, "value": "decision:1:ffffffffffff"}]}]})");
    const auto tickets = redmine::tickets_from_page(page, ctx);
    REQUIRE(tickets.size() == 2);
    CHECK(tickets[0].decisions == "ceo: Budget a SIEM");
    CHECK(tickets[1].decisions.empty()); // only control tasks record decisions
    const auto decisions = redmine::decision_records_from_page(page, ctx);
    REQUIRE(decisions.size() == 1); // the look-alike by another author is not Upkeep's
    CHECK(decisions[0].id == 2);
    CHECK(decisions[0].review == 1);
    CHECK(decisions[0].subject == "Review decision (#1): Budget a SIEM");
    CHECK(decisions[0].assignee == "Carol CEO");
    CHECK(decisions[0].closed);
    CHECK(decisions[0].due == d("2027-07-01"));
    CHECK(decisions[0].closed_on == d("2027-06-20"));
}

TEST_CASE("Redmine mapping: the incidents' tracker and fields are the configuration's") {
    auto result = parse_configuration(R"({
      "version": 2, "organisation": {"name": "Acme"}, "certification": {"decision_date": "2027-01-15"},
      "activities": [{"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops",
        "evidence": "List.", "cadence": {"rrule": "FREQ=YEARLY", "start": "2027-03-01"}}],
      "metrics": {"incidents": {"ticket_type": "Security event", "severity_field": "Impact",
                                "occurred_field": "Started", "detected_field": "Noticed",
                                "resolved_field": "Fixed"}}})");
    REQUIRE(result.problems.empty());
    const auto project = nlohmann::json::parse(R"({"project": {"id": 9,
      "trackers": [{"id": 1, "name": "Incident"}, {"id": 4, "name": "Security event"}],
      "issue_custom_fields": [{"id": 20, "name": "Severity"}, {"id": 21, "name": "Impact"},
        {"id": 22, "name": "Started"}, {"id": 23, "name": "Noticed"}, {"id": 24, "name": "Fixed"}]}})");
    const redmine::incident_source source = redmine::find_incident_source(project, result.config.metrics);
    CHECK(source.tracker_id == 4);
    CHECK(source.severity_field_id == 21);
    CHECK(source.occurred_field_id == 22);
    CHECK(source.detected_field_id == 23);
    CHECK(source.resolved_field_id == 24);

    redmine::context ctx;
    ctx.project_id = 9;
    const auto page = nlohmann::json::parse(R"({"issues": [
      {"id": 5, "project": {"id": 9}, "tracker": {"id": 4}, "status": {"id": 1}, "subject": "Phishing",
       "custom_fields": [{"id": 21, "value": "High"}, {"id": 22, "value": "2027-03-01"},
                         {"id": 23, "value": "2027-03-03"}, {"id": 24, "value": ""}]},
      {"id": 6, "project": {"id": 9}, "tracker": {"id": 1}, "status": {"id": 1}, "subject": "Not this tracker"}]})");
    const auto incidents = redmine::incident_records_from_page(page, ctx, source);
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].severity == "High");
    CHECK(incidents[0].occurred == d("2027-03-01"));
    CHECK(incidents[0].detected == d("2027-03-03"));
    CHECK(!incidents[0].resolved);
}
