// Closure against audit dates, pinned on hand-computed scenarios (docs/figures.md defines each figure).
// Unless a test says otherwise, the activity is quarterly, due on the last day of March, June,
// September and December from 2027; certified 2027-01-15, so surveillance 1 is due by 2028-01-15 and its
// period runs [2027-01-15, 2028-01-15).

#include "test_helpers.hpp"

#include <upkeep/audit_status.hpp>

using namespace upkeep;
using upkeep::testing::d;

namespace {

isms_configuration configuration(const std::string& activities, const std::string& audits = "{}") {
    const auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2027-01-15", "audits": )" +
                                            audits + R"(},
      "activities": )" + activities + "}");
    REQUIRE_MESSAGE(result.problems.empty(), result.problems[0].to_string());
    return result.config;
}

isms_configuration quarterly(const std::string& audits = "{}") {
    return configuration(R"([{"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops",
        "evidence": "List.", "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-03-01"}}])",
                         audits);
}

// Due on the last day of each month from February 2027.
isms_configuration monthly() {
    return configuration(
        R"([{"id": "log-review", "title": "Log review", "references": ["A.8.15"], "owner": "secops",
        "evidence": "Notes.", "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=-1", "start": "2027-02-01"}}])");
}

task_record done(const std::string& due, const char* closed_on, const char* done_on = nullptr,
                 bool evidence = true, const std::string& activity = "review") {
    task_record t;
    t.key = "control:" + activity + ":" + due;
    t.closed = true;
    if (closed_on) t.closed_on = d(closed_on);
    if (done_on) t.done_on = d(done_on);
    t.evidence = evidence;
    return t;
}

task_record open(const std::string& due, long long id = 0, const std::string& activity = "review") {
    task_record t;
    t.id = id;
    t.key = "control:" + activity + ":" + due;
    return t;
}

status_report status(const isms_configuration& config, const std::vector<task_record>& tasks,
                     const char* today) {
    return compute_status(config, compute_cycle(config.certification), tracker_snapshot{.tasks = tasks},
                          d(today));
}

std::vector<std::string> states(const period_status& p) {
    std::vector<std::string> out;
    for (const auto& o : p.occurrences)
        out.push_back(format_iso_date(o.due) + " " + std::string(to_string(o.state)) +
                      (o.counted ? "" : " (not counted)"));
    return out;
}

std::vector<std::string> kinds(const std::vector<readiness_item>& items) {
    std::vector<std::string> out;
    for (const auto& i : items)
        out.push_back(std::string(to_string(i.kind)) +
                      (i.ticket_id ? " #" + std::to_string(i.ticket_id) : ""));
    return out;
}

std::vector<std::string> whats(const std::vector<readiness_item>& items) {
    std::vector<std::string> out;
    for (const auto& i : items)
        out.push_back(i.what);
    return out;
}

} // namespace

TEST_CASE("each occurrence of the period is on time, late, overdue or upcoming") {
    const auto report = status(
        quarterly(), {done("2027-03-31", "2027-03-30"), done("2027-06-30", "2027-07-10"), open("2027-09-30")},
        "2027-11-01");
    REQUIRE(report.periods.size() == 1);
    const period_status& p = report.periods[0];
    CHECK(states(p) == std::vector<std::string>{"2027-03-31 on_time", "2027-06-30 late", "2027-09-30 overdue",
                                                "2027-12-31 upcoming (not counted)"});
    CHECK(p.overall.on_time == 1);
    CHECK(p.overall.due == 3);
    CHECK(format_rate(p.overall) == "33% (1 of 3)");
    CHECK(p.by_owner.at("itops").due == 3);
    // By the month each was due: March on time, June late, September overdue, December not due yet.
    CHECK(format_rate(p.by_month.at("2027-03")) == "100% (1 of 1)");
    CHECK(format_rate(p.by_month.at("2027-06")) == "0% (0 of 1)");
    CHECK(format_rate(p.by_month.at("2027-09")) == "0% (0 of 1)");
    CHECK(!p.by_month.at("2027-12").share());
    CHECK(p.by_month.size() == 4);
    CHECK(p.occurrences[2].has_ticket);
    CHECK(!p.ended);
}

TEST_CASE("work done before its due date is not counted until the due date has passed") {
    // February's ticket is overdue; March's was closed early, on 2027-03-05. As of 2027-03-10 one
    // occurrence is due (February) and none of it on time: 0 of 1, not "1 of 2".
    const auto report = status(
        monthly(),
        {open("2027-02-28", 7, "log-review"), done("2027-03-31", "2027-03-05", nullptr, true, "log-review")},
        "2027-03-10");
    const period_status& p = report.periods[0];
    CHECK(states(p)[0] == "2027-02-28 overdue");
    CHECK(states(p)[1] == "2027-03-31 on_time (not counted)");
    CHECK(p.overall.on_time == 0);
    CHECK(p.overall.due == 1);
    CHECK(p.overall.share() == doctest::Approx(0.0));
    CHECK(format_rate(p.by_activity.at("log-review")) == "0% (0 of 1)");
    REQUIRE(report.next_audit);
    CHECK(report.next_audit->done == 0);
    CHECK(report.next_audit->counted == 1);
    CHECK(report.next_audit->percent() == 0);
    REQUIRE(report.next_audit->fix_first.size() == 1);
    CHECK(report.next_audit->fix_first[0].what ==
          "Log review (due 2027-02-28) is overdue by 10 days (secops)");
    CHECK(report.next_audit->fix_first[0].days_late == 10);
}

TEST_CASE("an occurrence due today is upcoming, open or done, and counts from tomorrow") {
    auto report = status(quarterly(), {open("2027-03-31")}, "2027-03-31");
    CHECK(states(report.periods[0])[0] == "2027-03-31 upcoming (not counted)");
    CHECK(!report.periods[0].overall.share());
    CHECK(format_rate(report.periods[0].overall) == "nothing due yet");
    CHECK(!report.next_audit->percent());
    CHECK(format_readiness(*report.next_audit) == "nothing due yet");

    report = status(quarterly(), {done("2027-03-31", "2027-03-31")}, "2027-03-31");
    CHECK(states(report.periods[0])[0] == "2027-03-31 on_time (not counted)");
    report = status(quarterly(), {done("2027-03-31", "2027-03-31")}, "2027-04-01");
    CHECK(states(report.periods[0])[0] == "2027-03-31 on_time");
    CHECK(format_rate(report.periods[0].overall) == "100% (1 of 1)");
}

TEST_CASE("a closed ticket with no dates is done, but not on time: nobody can show when") {
    const auto report = status(quarterly(), {done("2027-03-31", nullptr)}, "2027-04-10");
    CHECK(states(report.periods[0])[0] == "2027-03-31 done_undated");
    CHECK(label(occurrence_state::done_undated) == "done, date not recorded");
    CHECK(format_rate(report.periods[0].overall) == "0% (0 of 1)");
    CHECK(format_readiness(*report.next_audit) == "100% (1 of 1)");
    CHECK(kinds(report.next_audit->to_watch) == std::vector<std::string>{"done_undated", "due_before_audit",
                                                                         "due_before_audit",
                                                                         "due_before_audit"});
}

TEST_CASE("a reopened ticket is open: the work date it kept does not count until it closes again") {
    task_record reopened = open("2027-03-31", 5);
    reopened.done_on = d("2027-03-30");
    reopened.closed_on = d("2027-03-30");
    const auto report = status(quarterly(), {reopened}, "2027-04-10");
    CHECK(states(report.periods[0])[0] == "2027-03-31 overdue");
    CHECK(!report.periods[0].occurrences[0].done_on);
}

TEST_CASE("the audit day belongs to the next period") {
    // Surveillance 1 on 2027-12-31, the day the December occurrence is due.
    const auto config = quarterly(R"({"surveillance_1": {"date": "2027-12-31", "status": "held"}})");
    const auto report = status(config, {}, "2028-01-10");
    REQUIRE(report.periods.size() == 2);
    CHECK(report.periods[0].occurrences.size() == 3);
    CHECK(report.periods[0].occurrences.back().due == d("2027-09-30"));
    CHECK(report.periods[0].ended);
    CHECK(report.periods[1].from == d("2027-12-31"));
    CHECK(report.periods[1].occurrences.front().due == d("2027-12-31"));
    CHECK(to_string(report.periods[1].occurrences.front().state) == "overdue");
}

TEST_CASE("missed once the period has ended; a ticket still open stays in fix first until done") {
    // As of 2028-02-01 surveillance 1's period has ended: June has no ticket and September's is open.
    // December was done late, after the audit. Surveillance 2's period has nothing due yet, so readiness
    // is September's open ticket alone: 0 of 1.
    const auto report = status(quarterly(),
                               {done("2027-03-31", "2027-03-30"), open("2027-09-30", 13),
                                done("2027-12-31", "2028-01-20", "2028-01-20")},
                               "2028-02-01");
    REQUIRE(report.periods.size() == 2);
    CHECK(states(report.periods[0]) == std::vector<std::string>{"2027-03-31 on_time", "2027-06-30 missed",
                                                                "2027-09-30 missed", "2027-12-31 late"});
    CHECK(format_rate(report.periods[0].overall) == "25% (1 of 4)");
    REQUIRE(report.next_audit);
    CHECK(report.next_audit->audit == audit_kind::surveillance_2);
    CHECK(kinds(report.next_audit->fix_first) == std::vector<std::string>{"open_from_earlier_period #13"});
    CHECK(
        report.next_audit->fix_first[0].what ==
        "Review (due 2027-09-30) was missed in the period of Surveillance audit 1 and is still open (itops)");
    CHECK(format_readiness(*report.next_audit) == "0% (0 of 1)");
    // Done, it leaves the list and counts as late in its own period.
    const auto after = status(quarterly(),
                              {done("2027-03-31", "2027-03-30"), done("2027-09-30", "2028-02-03"),
                               done("2027-12-31", "2028-01-20", "2028-01-20")},
                              "2028-02-05");
    CHECK(after.next_audit->fix_first.empty());
    CHECK(states(after.periods[0])[2] == "2027-09-30 late");
}

TEST_CASE("closing without evidence is one to watch, not counted against readiness") {
    const auto report = status(quarterly(), {done("2027-03-31", "2027-03-30", nullptr, false)}, "2027-04-10");
    CHECK(report.next_audit->percent() == 100);
    CHECK(report.next_audit->to_watch[0].what ==
          "Review (due 2027-03-31) was closed without evidence (itops)");
    CHECK(to_string(report.next_audit->to_watch[0].kind) == "closed_without_evidence");
}

TEST_CASE("readiness is x of y over the period and the tracker's open problems, rounded down") {
    // 2027-11-01: three occurrences due so far (March, June, September), all done on time; December falls
    // due before the audit on 2028-01-15. Five open problems count against readiness: 3 / (3 + 5) = 37.5%,
    // shown as 37%.
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
        {32, "corrective_action", "Automate restore test", false, d("2028-02-01")}, // after the audit
        {33, "corrective_action", "Document restore", false, d("2027-12-15")},      // before it
        {34, "corrective_action", "Closed one", true, d("2027-10-01")}};
    // Decisions of a management review (#40): only the overdue one counts.
    tracker.decisions = {{.id = 41, .review = 40, .subject = "Budget a SIEM", .due = d("2027-10-20")},
                         {.id = 42, .review = 40, .subject = "MFA on the VPN", .due = d("2027-12-01")},
                         {.id = 43, .review = 40, .subject = "Done", .closed = true, .due = d("2027-09-01")}};
    const isms_configuration config = quarterly();
    const auto report = compute_status(config, compute_cycle(config.certification), tracker, d("2027-11-01"));
    REQUIRE(report.next_audit);
    const readiness& r = *report.next_audit;
    CHECK(r.done == 3);
    CHECK(r.counted == 8);
    CHECK(r.percent() == 37);
    CHECK(format_readiness(r) == "37% (3 of 8)");
    // Fix first by age (none is of a key activity): oldest first.
    CHECK(
        whats(r.fix_first) ==
        std::vector<std::string>{
            "Follow-up #21 of change #12 (due 2027-10-15) is overdue by 17 days: Update the risk assessment",
            "Decision #41 of review #40 (due 2027-10-20) is overdue by 12 days: Budget a SIEM",
            "Change #11 is not assessed for its ISMS impact (opened 2027-10-20): New CRM",
            "Nonconformity #31 is open: Backups not tested",
            "Corrective action #32 is due 2028-02-01, after the audit: Automate restore test"});
    CHECK(r.fix_first[2].rank == 3);
    CHECK(kinds(r.to_watch) == std::vector<std::string>{"open_follow_up #22", "open_decision #42",
                                                        "action_due_before_audit #33", "due_before_audit"});
    CHECK(r.to_watch[3].what == "Review (due 2027-12-31) falls due before the audit (itops)");
}

TEST_CASE("tickets are named as the host names them: a tracker numbering per project") {
    tracker_snapshot tracker;
    tracker.references = {"ISMS-"};
    tracker.tasks = {done("2027-03-31", "2027-03-30"), done("2027-03-31", "2027-03-31")};
    tracker.tasks[0].id = 1;
    tracker.tasks[1].id = 2;
    tracker.changes = {{.id = 11, .subject = "New CRM", .created_on = d("2027-10-20")}};
    tracker.follow_ups = {
        {.id = 21, .change_id = 12, .subject = "Update the risk assessment", .due = d("2027-10-15")}};
    const isms_configuration config = quarterly();
    const auto report = compute_status(config, compute_cycle(config.certification), tracker, d("2027-11-01"));
    REQUIRE(report.next_audit);
    const std::vector<std::string> fix_first = whats(report.next_audit->fix_first);
    CHECK(std::count(
              fix_first.begin(), fix_first.end(),
              "Follow-up ISMS-21 of change ISMS-12 (due 2027-10-15) is overdue by 17 days: Update the risk "
              "assessment") == 1);
    CHECK(std::count(fix_first.begin(), fix_first.end(),
                     "Change ISMS-11 is not assessed for its ISMS impact (opened 2027-10-20): New CRM") == 1);
    REQUIRE(report.ticket_problems.size() == 1);
    CHECK(report.ticket_problems[0].message ==
          "ticket ISMS-2 has the same key as ISMS-1 (control:review:2027-03-31); ISMS-1 counts");
}

TEST_CASE("readiness rounds down: 2 of 3 is 66%, and 100% means nothing is outstanding") {
    readiness r;
    r.done = 2;
    r.counted = 3;
    CHECK(r.percent() == 66);
    r.done = 199;
    r.counted = 200;
    CHECK(r.percent() == 99);
    CHECK(format_readiness(r) == "99% (199 of 200)");
}

TEST_CASE("corrective actions and verifications due on the audit day count against readiness") {
    tracker_snapshot tracker;
    tracker.findings = {{51, "corrective_action", "Patch the VPN", false, d("2028-01-15")},
                        {52, "verification", "Verify the patch", false, d("2028-01-15")},
                        {53, "verification", "Verify the backups", false, d("2027-10-01")}};
    const isms_configuration config = quarterly();
    const auto report = compute_status(config, compute_cycle(config.certification), tracker, d("2027-11-01"));
    CHECK(kinds(report.next_audit->fix_first) ==
          std::vector<std::string>{"overdue_occurrence", "overdue_occurrence", "overdue_occurrence",
                                   "overdue_verification #53", "action_after_audit #51",
                                   "action_after_audit #52"});
    CHECK(report.next_audit->fix_first[4].what ==
          "Corrective action #51 is due on the audit day (2028-01-15): Patch the VPN");
    CHECK(report.next_audit->counted == 6);
}

TEST_CASE("fix first: what an auditor asks about first, then by age") {
    const auto config = configuration(R"([
      {"id": "log-review", "title": "Log review", "references": ["A.8.15"], "owner": "secops", "evidence": "Notes.",
       "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=-1", "start": "2027-08-01"}},
      {"id": "internal-audit", "title": "Internal audit", "references": ["9.2"], "owner": "ciso", "evidence": "Report.",
       "cadence": {"rrule": "FREQ=YEARLY", "start": "2027-09-30"}}])");
    const auto report = status(config, {}, "2027-11-01");
    const auto& fix = report.next_audit->fix_first;
    REQUIRE(fix.size() == 4);
    CHECK(fix[0].activity == "internal-audit");
    CHECK(fix[0].key_activity);
    CHECK(fix[0].rank == 1);
    // Then the log review's occurrences, the oldest first.
    CHECK(fix[1].date == d("2027-08-31"));
    CHECK(fix[1].activity_title == "Log review");
    CHECK(fix[1].owner == "secops");
    CHECK(fix[3].date == d("2027-10-31"));
    CHECK(fix[3].days_late == 1);
    CHECK(fix[3].what == "Log review (due 2027-10-31) is overdue by 1 day (secops), no ticket");
}

TEST_CASE("past occurrences keep the owner and title they were issued with") {
    task_record march = done("2027-03-31", "2027-03-30");
    march.owner = "alice";
    march.title = "Quarterly access review";
    const auto report = status(quarterly(), {march}, "2027-11-01");
    const period_status& p = report.periods[0];
    CHECK(p.occurrences[0].owner == "alice");
    CHECK(p.occurrences[0].title == "Quarterly access review");
    CHECK(p.occurrences[1].owner == "itops"); // no ticket: the configuration's
    CHECK(format_rate(p.by_owner.at("alice")) == "100% (1 of 1)");
    CHECK(format_rate(p.by_owner.at("itops")) == "0% (0 of 2)");
}

TEST_CASE(
    "tickets whose date the configuration does not schedule: closed count as issued, open ones do not") {
    // The rule moved March's occurrence from the 30th to the 31st after the ticket was done; an activity was
    // removed from the configuration; an open ticket is dated on no occurrence.
    task_record moved = done("2027-03-30", "2027-03-29");
    moved.id = 61;
    task_record removed = done("2027-05-31", "2027-05-30", nullptr, true, "old-activity");
    removed.id = 62;
    removed.owner = "bob";
    removed.title = "Old activity";
    const auto report = status(quarterly(), {moved, removed, open("2027-08-15", 63)}, "2027-11-01");
    const period_status& p = report.periods[0];
    CHECK(states(p) == std::vector<std::string>{"2027-03-30 on_time", "2027-03-31 overdue",
                                                "2027-05-31 on_time", "2027-06-30 overdue",
                                                "2027-09-30 overdue", "2027-12-31 upcoming (not counted)"});
    CHECK(!p.occurrences[0].in_configuration);
    CHECK(p.occurrences[2].activity == "old-activity");
    CHECK(p.occurrences[2].owner == "bob");
    CHECK(format_rate(p.overall) == "40% (2 of 5)");
    REQUIRE(report.ticket_problems.size() == 3);
    CHECK(report.ticket_problems[0].message ==
          "ticket #62 (control:old-activity:2027-05-31) is due 2027-05-31, which is of "
          "an activity (old-activity) the configuration no longer has: it counts as issued");
    CHECK(report.ticket_problems[1].message ==
          "ticket #61 (control:review:2027-03-30) is due 2027-03-30, which today's "
          "configuration does not schedule for review: it counts as issued");
    CHECK(report.ticket_problems[2].message == "ticket #63 (control:review:2027-08-15) is due 2027-08-15, "
                                               "which today's configuration does not schedule for "
                                               "review: it does not count while open; close or reject it");
    const auto watch = kinds(report.next_audit->to_watch);
    CHECK(std::count(watch.begin(), watch.end(), "ticket_not_in_configuration #63") == 1);
    CHECK(std::count(watch.begin(), watch.end(), "ticket_not_in_configuration #61") == 0);
}

TEST_CASE("tickets sharing a key count once: the one with recorded work wins, the others are reported") {
    task_record leftover = open("2027-03-31", 20);
    task_record worked = done("2027-03-31", "2027-04-02", "2027-03-30");
    worked.id = 21;
    const auto report = status(quarterly(), {leftover, worked}, "2027-04-10");
    CHECK(states(report.periods[0])[0] == "2027-03-31 on_time");
    CHECK(report.periods[0].occurrences[0].ticket_id == 21);
    CHECK(format_rate(report.periods[0].overall) == "100% (1 of 1)");
    REQUIRE(report.ticket_problems.size() == 1);
    CHECK(report.ticket_problems[0].kind == ticket_problem_kind::duplicate);
    CHECK(report.ticket_problems[0].ticket_id == 20);
    CHECK(report.ticket_problems[0].counted_ticket == 21);
    CHECK(kinds(report.next_audit->to_watch)[0] == "duplicate_ticket #20");
}

TEST_CASE("a twin Upkeep closed as a duplicate never counts, even over an open ticket") {
    task_record twin = open("2027-03-31", 20);
    twin.closed = true;
    twin.closed_on = d("2027-04-05");
    twin.closed_as_duplicate = true;
    const task_record kept = open("2027-03-31", 21);
    const auto report = status(quarterly(), {twin, kept}, "2027-04-10");
    CHECK(report.periods[0].occurrences[0].ticket_id == 21);
    CHECK(states(report.periods[0])[0] == "2027-03-31 overdue");
    REQUIRE(report.ticket_problems.size() == 1);
    CHECK(report.ticket_problems[0].ticket_id == 20);
    CHECK(report.ticket_problems[0].counted_ticket == 21);
    // Without the mark, the closed one would count (a closed ticket ranks before an open one).
    twin.closed_as_duplicate = false;
    CHECK(status(quarterly(), {twin, kept}, "2027-04-10").periods[0].occurrences[0].ticket_id == 20);
}

TEST_CASE("completions bunched before the audit are flagged") {
    const auto config = quarterly(R"({"surveillance_1": {"date": "2028-01-15", "status": "planned"}})");
    const auto report = status(config,
                               {done("2027-03-31", "2027-12-20"), done("2027-06-30", "2027-12-21"),
                                done("2027-09-30", "2027-12-22"), done("2027-12-31", "2027-12-30")},
                               "2028-01-05");
    const auto& flags = report.periods[0].flags;
    REQUIRE(!flags.empty());
    CHECK(flags[0].kind == cadence_flag_kind::burst);
    CHECK(flags[0].completions == 4);
    CHECK(flags[0].in_window == 4);
    CHECK(
        flags[0].message.starts_with("4 of 4 completions fell in the 30 days before the audit (2028-01-15)"));
    CHECK(report.periods[0].overall.on_time == 1);
}

TEST_CASE("a gap is measured against the cadence's own interval") {
    // Quarterly: its longest interval between due dates is 92 days, so a stretch of more than 184 days
    // without a completion is a gap.
    const auto report = status(quarterly(),
                               {done("2027-03-31", "2027-03-30"), done("2027-06-30", "2027-12-30"),
                                done("2027-09-30", "2027-12-30"), done("2027-12-31", "2027-12-31")},
                               "2028-01-10");
    const auto& flags = report.periods[0].flags;
    REQUIRE(flags.size() == 2); // bunched, and the gap
    CHECK(flags[1].kind == cadence_flag_kind::gap);
    CHECK(flags[1].message ==
          "no completion for 275 days, from the completion on 2027-03-30 to the completion on "
          "2027-12-30 (its cadence allows 184: twice its interval of 92 days)");
    CHECK(flags[1].allowed == 184);
}

TEST_CASE("many misses and a catch-up just before the audit are flagged, not passed silently") {
    // Monthly from February 2027 (interval 31 days): nothing done for ten months, then November and
    // December done in January. Two completions are too few for a burst; the gap from the first due date
    // is what shows.
    auto catch_up = [](const char* due, const char* on) { return done(due, on, on, true, "log-review"); };
    auto report =
        status(monthly(), {catch_up("2027-11-30", "2028-01-05"), catch_up("2027-12-31", "2028-01-06")},
               "2028-01-10");
    auto flags = report.periods[0].flags;
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].kind == cadence_flag_kind::gap);
    CHECK(flags[0].message ==
          "no completion for 311 days, from the first due date 2027-02-28 to the completion on "
          "2028-01-05 (its cadence allows 62: twice its interval of 31 days)");
    // Three catch-ups: a burst as well.
    report = status(monthly(),
                    {catch_up("2027-10-31", "2028-01-04"), catch_up("2027-11-30", "2028-01-05"),
                     catch_up("2027-12-31", "2028-01-06")},
                    "2028-01-10");
    flags = report.periods[0].flags;
    REQUIRE(flags.size() == 2);
    CHECK(flags[0].message.starts_with("3 of 3 completions fell in the 30 days before the audit"));
    CHECK(flags[1].kind == cadence_flag_kind::gap);
    // Nothing done at all: the running gap up to today.
    report = status(monthly(), {}, "2027-06-15");
    flags = report.periods[0].flags;
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].message ==
          "no completion for 107 days, from the first due date 2027-02-28 to today (2027-06-15) "
          "(its cadence allows 62: twice its interval of 31 days)");
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

TEST_CASE("an activity or owner with nothing due yet has no rate, never 100%") {
    const auto config = configuration(R"([
      {"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops", "evidence": "List.",
       "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-03-01"}},
      {"id": "pentest", "title": "Penetration test", "references": ["A.8.8"], "owner": "secops", "evidence": "Report.",
       "cadence": {"rrule": "FREQ=YEARLY", "start": "2027-12-01"}}])");
    const auto report = status(config, {done("2027-03-31", "2027-03-30")}, "2027-04-10");
    const period_status& p = report.periods[0];
    CHECK(!p.by_activity.at("pentest").share());
    CHECK(format_rate(p.by_activity.at("pentest")) == "nothing due yet");
    CHECK(!p.by_owner.at("secops").share());
    CHECK(p.by_activity.at("review").share() == doctest::Approx(1.0));
}

TEST_CASE("work left before the audit: still to do at the end of each day, against done on the due date") {
    // Surveillance 1's period, [2027-01-15, 2028-01-15): four quarterly occurrences. As of 2027-07-10, March
    // was done on its due date, June on 2027-07-05 (late); September and December are upcoming. Day 0 is
    // 2027-01-15, 2027-03-31 is day 75, 2027-07-05 day 171, 2027-07-10 (today) day 176, the audit day 365.
    const auto report = status(
        quarterly(), {done("2027-03-31", "2027-04-02", "2027-03-31"), done("2027-06-30", "2027-07-05")},
        "2027-07-10");
    REQUIRE(report.next_audit->work);
    const work_left& w = *report.next_audit->work;
    CHECK(w.from == d("2027-01-15"));
    CHECK(w.total == 4);
    REQUIRE(w.planned.size() == 366); // to the audit day
    CHECK(w.planned[0] == 4);
    CHECK(w.planned[74] == 4);
    CHECK(w.planned[75] == 3); // March is due that day: done on time, it is no longer to do
    CHECK(w.planned[365] == 0);
    REQUIRE(w.left.size() == 177); // to today
    CHECK(w.left[0] == 4);
    CHECK(w.left[74] == 4);
    CHECK(w.left[75] == 3);
    CHECK(w.left[170] == 3); // June, due on day 166, still to do
    CHECK(w.left[171] == 2);
    CHECK(w.left[176] == 2);

    // Closed with no date at all: known done from today only.
    const auto undated = status(quarterly(), {done("2027-03-31", nullptr)}, "2027-04-10");
    const work_left& u = *undated.next_audit->work;
    REQUIRE(u.left.size() == 86);
    CHECK(u.left[84] == 4);
    CHECK(u.left[85] == 3);
}
