// Closure against audit dates, pinned on hand-computed scenarios. The activity is quarterly, due on the
// last day of March, June, September and December; certified 2027-01-15, so surveillance 1 is due by
// 2028-01-15 and its period runs [2027-01-15, 2028-01-15).

#include "test_helpers.hpp"

#include <upkeep/audit_status.hpp>
#include <upkeep/redmine_mapping.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;

namespace {

isms_configuration quarterly(const std::string& audits = "{}") {
    const auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2027-01-15", "audits": )" +
                                            audits + R"(},
      "activities": [{"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops", "evidence": "List.",
        "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-03-01"}}]})");
    REQUIRE(result.problems.empty());
    return result.config;
}

task_record done(const char* due, const char* closed_on, const char* done_on = nullptr,
                 bool evidence = true) {
    task_record t;
    t.key = std::string("control:review:") + due;
    t.closed = true;
    t.closed_on = d(closed_on);
    if (done_on) t.done_on = d(done_on);
    t.evidence = evidence;
    return t;
}

status_report status(const isms_configuration& config, const std::vector<task_record>& tasks,
                     const char* today) {
    return compute_status(config, compute_cycle(config.certification), tasks, d(today));
}

std::vector<std::string> states(const period_status& p) {
    std::vector<std::string> out;
    for (const auto& o : p.occurrences)
        out.push_back(format_iso_date(o.due) + " " + std::string(to_string(o.state)));
    return out;
}

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

TEST_CASE("each occurrence of the period is on time, late, overdue or upcoming") {
    task_record open;
    open.key = "control:review:2027-09-30";
    const auto report =
        status(quarterly(), {done("2027-03-31", "2027-03-30"), done("2027-06-30", "2027-07-10"), open},
               "2027-11-01");
    REQUIRE(report.periods.size() == 1);
    const period_status& p = report.periods[0];
    CHECK(states(p) == std::vector<std::string>{"2027-03-31 on_time", "2027-06-30 late", "2027-09-30 overdue",
                                                "2027-12-31 upcoming"});
    CHECK(p.overall.on_time == 1);
    CHECK(p.overall.due == 3);
    CHECK(p.by_owner.at("itops").due == 3);
    CHECK(p.occurrences[2].has_ticket);
}

TEST_CASE("the evidence date counts, not the day the ticket was closed") {
    // Done on 2027-06-28 (before the due date), evidence uploaded and closed on 2027-07-05.
    const auto report = status(quarterly(), {done("2027-06-30", "2027-07-05", "2027-06-28")}, "2027-07-10");
    CHECK(states(report.periods[0])[1] == "2027-06-30 on_time");
}

TEST_CASE("a missed occurrence without a ticket is overdue and lowers readiness") {
    const auto report = status(quarterly(), {done("2027-03-31", "2027-03-30")}, "2027-07-10");
    CHECK(states(report.periods[0])[1] == "2027-06-30 overdue");
    REQUIRE(report.next_audit);
    CHECK(report.next_audit->audit == audit_kind::surveillance_1);
    CHECK(report.next_audit->days_left == 189);
    CHECK(report.next_audit->percent == 50);
    REQUIRE(report.next_audit->lowering.size() >= 3);
    CHECK(report.next_audit->lowering[0].what == "Overdue since 2027-07-01: review (itops), no ticket");
    CHECK(report.next_audit->lowering[1].what == "Due 2027-09-30 before the audit: review (itops)");
}

TEST_CASE("closing without evidence is listed as lowering readiness") {
    const auto report = status(quarterly(), {done("2027-03-31", "2027-03-30", nullptr, false)}, "2027-04-10");
    CHECK(report.next_audit->percent == 100);
    CHECK(report.next_audit->lowering[0].what == "Closed without evidence: review due 2027-03-31 (itops)");
}

TEST_CASE("completions bunched before the audit are flagged") {
    const auto config = quarterly(R"({"surveillance_1": {"date": "2028-01-15", "status": "planned"}})");
    const auto report = status(config,
                               {done("2027-03-31", "2027-12-20"), done("2027-06-30", "2027-12-21"),
                                done("2027-09-30", "2027-12-22"), done("2027-12-31", "2027-12-30")},
                               "2028-01-05");
    const auto& flags = report.periods[0].flags;
    REQUIRE(!flags.empty());
    CHECK(
        flags[0].message.starts_with("4 of 4 completions fell in the 30 days before the audit (2028-01-15)"));
    CHECK(report.periods[0].overall.on_time == 1);
}

TEST_CASE("a gap longer than the cadence allows is flagged") {
    const auto report = status(quarterly(),
                               {done("2027-03-31", "2027-03-30"), done("2027-06-30", "2027-12-30"),
                                done("2027-09-30", "2027-12-30"), done("2027-12-31", "2027-12-31")},
                               "2028-01-10");
    const auto& flags = report.periods[0].flags;
    REQUIRE(flags.size() == 2); // bunched, and the gap
    CHECK(
        flags[1].message ==
        "a gap of 275 days between completions on 2027-03-30 and 2027-12-30 (the cadence allows about 184)");
}

TEST_CASE("moving an audit moves the periods") {
    const auto config = quarterly(R"({"surveillance_1": {"date": "2027-08-01", "status": "held"}})");
    const auto report =
        status(config, {done("2027-03-31", "2027-03-30"), done("2027-06-30", "2027-06-29")}, "2027-10-05");
    REQUIRE(report.periods.size() == 2);
    CHECK(states(report.periods[0]) == std::vector<std::string>{"2027-03-31 on_time", "2027-06-30 on_time"});
    CHECK(report.periods[1].from == d("2027-08-01"));
    CHECK(states(report.periods[1]).front() == "2027-09-30 overdue");
    CHECK(report.next_audit->audit == audit_kind::surveillance_2);
}

TEST_CASE("snapshot files are read with pointers to their problems") {
    diagnostics problems;
    const auto tasks = snapshot_from_json(nlohmann::json::parse(R"({"tickets": [
        {"key": "control:review:2027-03-31", "closed": true, "closed_on": "2027-03-30", "done_on": "2027-03-29", "evidence": true},
        {"closed": true}, {"key": "control:review:2027-06-30", "closed_on": "2027-13-01"}]})"),
                                          problems)
                           .tasks;
    CHECK(tasks.size() == 2);
    CHECK(tasks[0].done_on == d("2027-03-29"));
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].to_string() ==
          "/tickets/1/key: expected the ticket's Upkeep key, such as \"control:access-review:2027-03-31\"");
    CHECK(problems[1].to_string() == "/tickets/2/closed_on: expected a date YYYY-MM-DD");
}

TEST_CASE("Redmine control tasks become task records: closing day, evidence date, evidence flag and links") {
    redmine::context ctx = upkeep_context();
    ctx.evidence_date_field_id = 4;
    ctx.evidence_links_field_id = 6;
    const auto page = nlohmann::json::parse(R"({"issues": [
      {"id": 1, "project": {"id": 9}, "author": {"id": 7}, "status": {"id": 5}, "closed_on": "2027-04-02T08:00:00Z",
       "custom_fields": [{"id": 1, "value": "control:review:2027-03-31"}, {"id": 4, "value": "2027-03-30"},
                         {"id": 5, "value": "h=1;evidence=1"},
                         {"id": 6, "value": " https://drive.example/q1 \r\n\nhttps://wiki.example/review\n"}],
       "attachments": [{"id": 80, "filename": "users.csv", "content_url": "https://redmine.example/attachments/download/80/users.csv"}]},
      {"id": 2, "project": {"id": 9}, "author": {"id": 8}, "status": {"id": 5},
       "custom_fields": [{"id": 1, "value": "control:review:2027-06-30"}]},
      {"id": 3, "project": {"id": 9}, "author": {"id": 7}, "status": {"id": 1},
       "custom_fields": [{"id": 1, "value": "nc:missed:control:review:2027-03-31"}]}]})");
    const auto records = redmine::task_records_from_page(page, ctx);
    REQUIRE(records.size() == 1); // a look-alike by another author and a nonconformity are not control tasks
    CHECK(records[0].closed);
    CHECK(records[0].closed_on == d("2027-04-02"));
    CHECK(records[0].done_on == d("2027-03-30"));
    CHECK(records[0].evidence);
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

TEST_CASE("Redmine mapping: the incident tracker and fields are the configuration's") {
    auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"}, "certification": {"decision_date": "2027-01-15"},
      "activities": [{"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops",
        "evidence": "List.", "cadence": {"rrule": "FREQ=YEARLY", "start": "2027-03-01"}}],
      "metrics": {"incidents": {"tracker": "Security event", "severity_field": "Impact",
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

TEST_CASE("the evidence register lists every occurrence of a period, as CSV and JSON") {
    auto config = quarterly();
    config.activities[0].title = "Review, \"quarterly\"";
    task_record first = done("2027-03-31", "2027-04-02", "2027-03-30");
    first.id = 42;
    first.evidence_links = {"https://redmine.example/attachments/download/80/users.csv",
                            "https://drive.example/q1"};
    const auto report = status(config, {first}, "2027-07-10");
    const std::string csv =
        evidence_register_csv(report.periods[0], config, "https://redmine.example/issues/");
    CHECK(csv.starts_with(
        "activity,title,references,owner,due,done_on,closed_on,evidence,evidence_links,result,ticket\r\n"
        "review,\"Review, \"\"quarterly\"\"\",A.5.18,itops,2027-03-31,2027-03-30,2027-04-02,yes,"
        "https://redmine.example/attachments/download/80/users.csv https://drive.example/q1,on_time,"
        "https://redmine.example/issues/42\r\n"
        "review,\"Review, \"\"quarterly\"\"\",A.5.18,itops,2027-06-30,,,no,,overdue,\r\n"));
    const auto json = evidence_register_json(report.periods[0], config);
    CHECK(json["audit"] == "surveillance_1");
    CHECK(json["occurrences"].size() == report.periods[0].occurrences.size());
    CHECK(json["occurrences"][1]["result"] == "overdue");
}

TEST_CASE("a snapshot written from tasks reads back the same tasks") {
    std::vector<task_record> tasks{done("2027-03-31", "2027-04-02", "2027-03-30"),
                                   done("2027-06-30", "2027-07-01", nullptr, false)};
    tasks[0].evidence_links = {"https://drive.example/q1"};
    diagnostics problems;
    const auto back = snapshot_from_json(snapshot_to_json(tracker_snapshot{.tasks = tasks}), problems).tasks;
    CHECK(problems.empty());
    REQUIRE(back.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(back[i].key == tasks[i].key);
        CHECK(back[i].closed_on == tasks[i].closed_on);
        CHECK(back[i].done_on == tasks[i].done_on);
        CHECK(back[i].evidence_links == tasks[i].evidence_links);
        CHECK(back[i].evidence == tasks[i].evidence);
    }
}

TEST_CASE("unassessed changes, open follow-ups, nonconformities and corrective actions lower readiness") {
    // 2027-11-01: three occurrences due so far (March, June, September), all done on time; the audit is
    // on 2028-01-15. Five tracker problems count against readiness: 3 / (3 + 5) = 37.5%, shown as 37%.
    tracker_snapshot tracker;
    tracker.tasks = {done("2027-03-31", "2027-03-30"), done("2027-06-30", "2027-06-30"),
                     done("2027-09-30", "2027-09-29")};
    change_record unassessed{.id = 11, .subject = "New CRM", .created_on = d("2027-10-20")};
    change_record assessed{.id = 12, .subject = "Office move"};
    assessed.assessment = assessment_record{1, d("2027-10-01"), "ciso", {}};
    change_record closed_unassessed{.id = 13, .subject = "Old", .closed = true};
    tracker.changes = {unassessed, assessed, closed_unassessed};
    tracker.follow_ups = {
        {.id = 21,
         .change_id = 12,
         .subject = "Update the risk assessment",
         .due = d("2027-10-15")},                                                              // overdue
        {.id = 22, .change_id = 12, .subject = "Assess the supplier", .due = d("2027-12-01")}, // not yet due
        {.id = 23, .change_id = 12, .subject = "Done", .closed = true, .due = d("2027-10-01")}};
    tracker.findings = {
        {31, "nonconformity", "Backups not tested", false, std::nullopt},
        {32, "corrective_action", "Automate restore test", false, d("2028-02-01")}, // after audit
        {33, "corrective_action", "Document restore", false, d("2027-12-15")},      // before audit
        {34, "corrective_action", "Closed one", true, d("2027-10-01")}};
    // Decisions of a management review (#40): only the overdue one counts.
    tracker.decisions = {{.id = 41, .review = 40, .subject = "Budget a SIEM", .due = d("2027-10-20")},
                         {.id = 42, .review = 40, .subject = "MFA on the VPN", .due = d("2027-12-01")},
                         {.id = 43, .review = 40, .subject = "Done", .closed = true, .due = d("2027-09-01")}};
    const isms_configuration config = quarterly();
    const auto report = compute_status(config, compute_cycle(config.certification), tracker, d("2027-11-01"));
    REQUIRE(report.next_audit);
    CHECK(report.next_audit->percent == 37);
    std::vector<std::string> lowering;
    std::vector<long long> tickets;
    for (const readiness_item& i : report.next_audit->lowering) {
        lowering.push_back(i.what);
        tickets.push_back(i.ticket_id);
    }
    CHECK(lowering == std::vector<std::string>{
                          "Follow-up #21 of change #12 overdue since 2027-10-16: Update the risk assessment",
                          "Decision #41 of review #40 overdue since 2027-10-21: Budget a SIEM",
                          "Change #11 not assessed for its ISMS impact: New CRM",
                          "Nonconformity #31 open: Backups not tested",
                          "Corrective action #32 due 2028-02-01, after the audit: Automate restore test",
                          "Follow-up #22 of change #12 open, due 2027-12-01: Assess the supplier",
                          "Corrective action #33 due 2027-12-15 before the audit: Document restore",
                          "Due 2027-12-31 before the audit: review (itops)"});
    CHECK(tickets == std::vector<long long>{21, 41, 11, 31, 32, 22, 33, 0});

    // The snapshot file carries all of it.
    diagnostics problems;
    const tracker_snapshot back = snapshot_from_json(snapshot_to_json(tracker), problems);
    CHECK(problems.empty());
    const auto again = compute_status(config, compute_cycle(config.certification), back, d("2027-11-01"));
    CHECK(again.next_audit->percent == 37);
    REQUIRE(back.decisions.size() == 3);
    CHECK(back.decisions[2].closed);
    CHECK(back.decisions[0].review == 40);
    CHECK(back.decisions[1].due == d("2027-12-01"));
    CHECK(again.next_audit->lowering.size() == report.next_audit->lowering.size());
}

TEST_CASE("the panel's timeline lists each activity once with its occurrences as rows, by id") {
    // Two activities whose occurrences interleave by date; the second sorts first by id.
    const auto parsed = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"}, "certification": {"decision_date": "2027-01-15"},
      "activities": [
        {"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops", "evidence": "List.",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1", "start": "2027-03-01"}},
        {"id": "backup", "title": "Backup", "references": ["A.8.13"], "owner": "secops", "evidence": "Log.",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1", "start": "2027-04-01"}}]})");
    REQUIRE(parsed.problems.empty());
    task_record late = done("2027-03-31", "2027-04-03", nullptr, false);
    late.id = 41;
    task_record duplicate =
        done("2027-03-31", "2027-03-20"); // a second ticket with the key: the first counts
    duplicate.id = 42;
    const auto report = status(parsed.config, {late, duplicate}, "2027-11-01");
    const nlohmann::json out = status_to_json(report, {.timeline = true});
    const nlohmann::json& period = out["periods"][0];
    CHECK(!period.contains("occurrences"));
    CHECK(period["timeline"] == nlohmann::json::parse(R"([
      {"activity": "backup", "owner": "secops", "marks": [
        ["2027-04-01", "overdue", null, false, null], ["2027-10-01", "overdue", null, false, null]]},
      {"activity": "review", "owner": "itops", "marks": [
        ["2027-03-31", "late", "2027-04-03", false, 41], ["2027-09-30", "overdue", null, false, null]]}])"));
    CHECK(status_to_json(report)["periods"][0]["occurrences"].size() ==
          4); // the default form: one object each
}
