// The management review's input pack, pinned on a hand-built history. Certified 2027-01-15: surveillance
// 1's period runs [2027-01-15, 2028-01-15); today is 2027-11-01. The management review ("mr", 9.3) is due
// on 2027-05-31 and 2027-11-30, the internal audit ("ia", 9.2) on 2027-09-30, the risk assessment
// ("risk", 6.1.2) on 2027-10-15, a quarterly access review at the end of March, June, September and
// December.

#include "test_helpers.hpp"

#include <upkeep/review_pack.hpp>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::task;

namespace {

isms_configuration review_config() {
    const auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme <Ltd>"},
      "certification": {"decision_date": "2027-01-15"},
      "changes": {"ticket_types": ["Change"], "follow_ups": [],
                  "questions": [{"id": "requirements", "text": "Does it change what <customers> require?"},
                                {"id": "new-site", "text": "Does it add a site?"}]},
      "activities": [
        {"id": "review", "title": "Access review", "references": ["A.5.18"], "owner": "itops", "evidence": "List.",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-03-01"}},
        {"id": "mr", "title": "Management review", "references": ["9.3"], "owner": "ceo", "evidence": "Minutes.",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1", "start": "2027-05-01"}},
        {"id": "ia", "title": "Internal audit", "references": ["9.2"], "owner": "ciso", "evidence": "Report.",
         "cadence": {"rrule": "FREQ=YEARLY", "start": "2027-09-30"}},
        {"id": "risk", "title": "Risk assessment", "references": ["6.1.2", "8.2"], "owner": "ciso",
         "evidence": "Register.", "cadence": {"rrule": "FREQ=YEARLY", "start": "2027-10-15"}}]})");
    REQUIRE(result.problems.empty());
    return result.config;
}

tracker_snapshot history() {
    tracker_snapshot tracker;
    tracker.tasks = {task("control:mr:2027-05-31", 80, "2027-06-02", "2027-05-30"),
                     task("control:mr:2027-11-30", 81),
                     task("control:ia:2027-09-30", 82, "2027-10-10", "2027-10-08")};
    // A decision of the last review, raised as a nonconformity from the management review, with its action.
    finding_record decision{70,    "nonconformity", "Improve supplier reviews",
                            false, std::nullopt,    std::nullopt};
    decision.source = "Management review";
    finding_record action{71,    "corrective_action", "Fix *all* the [things](javascript:alert(1))",
                          false, d("2027-12-01"),     std::nullopt};
    action.nonconformity = 70;
    tracker.findings = {decision, action};
    // Decisions written on the first review's ticket, as the sync made them tickets.
    tracker.decisions = {
        {.id = 90,
         .review = 80,
         .subject = "Review decision (#80): Budget a <SIEM>",
         .closed = true,
         .due = d("2027-09-30"),
         .closed_on = d("2027-09-12")},
        {.id = 91, .review = 80, .subject = "Review decision (#80): MFA on the VPN", .due = d("2027-12-15")}};
    change_record change{.id = 72, .subject = "New <b>vendor</b>", .affects = true};
    change.assessment =
        assessment_record{1, d("2027-05-01"), "itops", {{"requirements", "yes"}, {"new-site", "no"}}};
    tracker.changes = {change};
    return tracker;
}

std::string pack(const tracker_snapshot& tracker, markup as) {
    const isms_configuration c = review_config();
    const auto report = compute_status(c, compute_cycle(c.certification), tracker, d("2027-11-01"));
    return render(
        review_pack(c, report, compute_kpis(c, report, tracker, d("2027-11-01")), tracker, d("2027-11-01")),
        as);
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("the pack has every input of 9.3.2, found by the clauses the activities reference") {
    const std::string md = pack(history(), markup::markdown);
    for (const char* section :
         {"## a) Status of actions from previous management reviews\n\n", "## b) and c) Changes",
          "## d) Information security performance", "### Monitoring and measurement results",
          "### Audit results", "### Fulfilment of information security objectives",
          "## e) Feedback from interested parties", "## f) Results of risk assessment",
          "## g) Opportunities for continual improvement", "## Decisions and actions"})
        CHECK_MESSAGE(has(md, section), section);
    CHECK(md.starts_with("# Management review input: Acme \\<Ltd\\>\n\n"));
    CHECK(has(md,
              "## a) Status of actions from previous management reviews\n\n"
              "- Management review due 2027-05-31: done on time on 2027-05-30 (#80)\n\n"
              "Decisions recorded on reviews and their tickets:\n\n"
              "- Decisions of the review #80:\n"
              "  - #90 Review decision \\(\\#80\\): Budget a \\<SIEM\\>: done 2027-09-12\n"
              "  - #91 Review decision \\(\\#80\\): MFA on the VPN: open, due 2027-12-15\n\n"
              "Nonconformities and improvements raised by reviews, and their actions:\n\n"
              "- #70 Improve supplier reviews (open)\n"
              "  - #71 Fix \\*all\\* the \\[things\\]\\(javascript:alert\\(1\\)\\): open, due 2027-12-01\n"));
    CHECK(!has(md, "Hire a CISO"));
    CHECK(has(
        md,
        "### Nonconformities and corrective actions\n\n- Nonconformities: 1 open, 0 closed.\n"
        "- Corrective actions: 1 open, 0 closed.\n- Verifications of effectiveness: 0 open, 0 closed.\n"));
    CHECK(has(md,
              "- #72 New \\<b\\>vendor\\</b\\>: affects the ISMS (assessed 2027-05-01 by itops)\n"
              "  - Does it change what \\<customers\\> require? Yes\n\n")); // why, in the questions' words
    CHECK(has(md, "### Audit results\n\n- Internal audit due 2027-09-30: done late on 2027-10-08 (#82)\n"));
    CHECK(has(md, "### Fulfilment of information security objectives\n\n"
                  "_No objectives with targets in the configuration (/metrics/objectives)._\n\n"
                  "- No activity of the configuration references 6.2, 9.1.\n"));
    CHECK(has(md, "## f) Results of risk assessment and status of the risk treatment plan\n\n"
                  "- Risk assessment due 2027-10-15: overdue\n"));
    // Due by today: three access reviews (no tickets: missed), one review on time, the audit late, the
    // risk assessment missed.
    CHECK(has(md, "| KPI | this period | previous periods |\n|---|---|---|\n"
                  "| Recurring controls done on time | 16% \\(1 of 6\\) | none |\n"));
    // Readiness in the panel's words: the six counted occurrences (two done) and the open nonconformity,
    // 2 of 7, rounded down; the risk assessment first, as a key activity.
    CHECK(has(md,
              "## g) Opportunities for continual improvement\n\n"
              "- Readiness for the Surveillance audit 1 on 2028-01-15: 28% (2 of 7).\n"
              "- Risk assessment \\(due 2027\\-10\\-15\\) is overdue by 17 days \\(ciso\\), no ticket\n"));
}

TEST_CASE("an occurrence of an ended period that was never done is missed in the pack") {
    const isms_configuration c = review_config();
    const tracker_snapshot tracker = history();
    const auto report = compute_status(c, compute_cycle(c.certification), tracker, d("2028-02-01"));
    const std::string md = render(
        review_pack(c, report, compute_kpis(c, report, tracker, d("2028-02-01")), tracker, d("2028-02-01")),
        markup::markdown);
    CHECK(has(md, "- Risk assessment due 2027-10-15: missed\n"));
}

TEST_CASE("the pack in Textile escapes ticket text with character references") {
    const std::string textile = pack(history(), markup::textile);
    CHECK(textile.starts_with("h1. Management review input: Acme &#60;Ltd&#62;\n\n"));
    CHECK(has(textile,
              "** #71 Fix &#42;all&#42; the &#91;things&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;: "
              "open, due 2027-12-01\n"));
    CHECK(has(textile, "|_. KPI |_. this period |_. previous periods |\n"));
}

TEST_CASE("the review ticket is the open management review occurrence due first") {
    const isms_configuration c = review_config();
    const auto status = [&](const tracker_snapshot& tracker) {
        return compute_status(c, compute_cycle(c.certification), tracker, d("2027-11-01"));
    };
    CHECK(review_ticket(c, status(history())) == 81);
    tracker_snapshot closed = history();
    closed.tasks[1] = task("control:mr:2027-11-30", 81, "2027-10-31", "2027-10-31");
    CHECK(!review_ticket(c, status(closed)));
    tracker_snapshot overdue = history();
    overdue.tasks[0] = task("control:mr:2027-05-31", 80);
    CHECK(review_ticket(c, status(overdue)) == 80);
}

TEST_CASE("a pack with no decision recorded says where to write them") {
    tracker_snapshot tracker = history();
    tracker.decisions.clear();
    tracker.findings.clear();
    CHECK(has(pack(tracker, markup::markdown),
              "- No decision of an earlier review is recorded (write them on the review ticket under "
              "\"Review decisions\", one per line as \"owner: what to do (due YYYY-MM-DD)\").\n"));
}
