// Evidence that expires: the renewals a "valid until" day calls for, their tickets in the sync plan, their
// place in the status and readiness, the evidence in force, and the completion that records the day. Every
// expected date is worked out by hand from the cadences below.

#include "test_helpers.hpp"

#include <upkeep/certification_cycle.hpp>
#include <upkeep/completion.hpp>
#include <upkeep/evidence_register.hpp>
#include <upkeep/evidence_renewal.hpp>
#include <upkeep/review_pack.hpp>
#include <upkeep/status_json.hpp>
#include <upkeep/sync_plan.hpp>
#include <upkeep/ticket_state.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::iso;
using upkeep::testing::task;

namespace {

// A yearly penetration test due on 31 March (a report valid for a set time) and a quarterly access review
// due on the last day of each quarter; certified on 2027-01-15, the first surveillance audit on 2028-01-15.
isms_configuration renewal_config() {
    const auto result = parse_configuration(R"({
      "version": 2, "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2027-01-15", "audits": {"surveillance_1": {"date": "2028-01-15"}}},
      "activities": [
        {"id": "pentest", "title": "Penetration test", "references": ["A.8.8"], "owner": "secops",
         "evidence": "The report.", "lead_time_days": 14, "renewal_lead_days": 30,
         "cadence": {"rrule": "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31", "start": "2027-03-01"}},
        {"id": "review", "title": "Access review", "references": ["A.5.18"], "owner": "itops",
         "evidence": "The list.", "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-03-01"}}]})");
    REQUIRE_MESSAGE(result.problems.empty(), result.problems[0].to_string());
    return result.config;
}

const activity& activity_named(const isms_configuration& c, std::string_view id) {
    return *std::find_if(c.activities.begin(), c.activities.end(),
                         [&](const activity& a) { return a.id == id; });
}

// The pentest of 2027-03-31, done on 2027-03-30, its report valid until the end of 2027.
task_record pentest_done(const char* valid_until = "2027-12-31") {
    task_record t = task("control:pentest:2027-03-31", 40, "2027-04-02", "2027-03-30");
    t.valid_until = d(valid_until);
    return t;
}

tracked_ticket tracked(const task_record& t) {
    return {.id = t.id,
            .key = t.key,
            .state = t.closed ? "evidence=1" : "",
            .description = "",
            .closed = t.closed,
            .work_recorded = t.closed,
            .decisions = "",
            .valid_until = t.valid_until};
}

const sync_action* action_for(const sync_plan& plan, std::string_view key) {
    for (const sync_action& a : plan.actions)
        if (a.key == key) return &a;
    return nullptr;
}

} // namespace

TEST_CASE("evidence valid past its activity's next due date needs no renewal; valid short of it, one on its "
          "last day") {
    const auto c = renewal_config();
    const activity& pentest = activity_named(c, "pentest");
    const activity& review = activity_named(c, "review");
    // The next pentest is due 2028-03-31: a report valid until 2027-12-31 expires before it.
    occurrence_schedule short_lived(c);
    short_lived.add("control:pentest:2027-03-31", d("2027-12-31"));
    CHECK(short_lived.is_renewal("pentest", d("2027-12-31")));
    CHECK(short_lived.is_due(pentest, d("2027-12-31")));
    CHECK(short_lived.is_due(pentest, d("2028-03-31")));
    CHECK(iso(short_lived.between(pentest, d("2027-01-01"), d("2028-12-31"))) ==
          std::vector<std::string>{"2027-03-31", "2027-12-31", "2028-03-31"});
    // Valid until the next due date or later: the cadence renews it.
    for (const char* until : {"2028-03-31", "2028-06-30"}) {
        occurrence_schedule renewed(c);
        renewed.add("control:pentest:2027-03-31", d(until));
        CHECK_FALSE(renewed.is_renewal("pentest", d(until)));
        CHECK_FALSE(renewed.is_due(pentest, d("2028-06-30")));
    }
    // A quarterly review whose list is valid until 2027-05-15 expires before the next due date (2027-06-30).
    occurrence_schedule review_short(c);
    review_short.add("control:review:2027-03-31", d("2027-05-15"));
    CHECK(iso(review_short.between(review, d("2027-03-01"), d("2027-06-30"))) ==
          std::vector<std::string>{"2027-03-31", "2027-05-15", "2027-06-30"});
    // Nothing from a day not after the due date, an unknown activity, or a key that is not a control task's.
    occurrence_schedule none(c);
    none.add("control:pentest:2027-03-31", d("2027-03-31"));
    none.add("control:gone:2027-03-31", d("2027-12-31"));
    none.add("verify:12", d("2027-12-31"));
    CHECK(iso(none.between(pentest, d("2027-01-01"), d("2028-12-31"))) ==
          std::vector<std::string>{"2027-03-31", "2028-03-31"});
}

TEST_CASE("the sync opens a renewal's ticket its renewal lead time before the evidence expires, once") {
    const auto c = renewal_config();
    const auto cycle = compute_cycle(c.certification);
    tracker_state tracker;
    tracker.upkeep_tickets.push_back(tracked(pentest_done()));
    constexpr std::string_view key = "control:pentest:2027-12-31";
    // 2027-12-31 less 30 days is 2027-12-01.
    CHECK(action_for(plan_sync(c, cycle, tracker, d("2027-11-30")), key) == nullptr);
    const sync_plan plan = plan_sync(c, cycle, tracker, d("2027-12-01"));
    const sync_action* create = action_for(plan, key);
    REQUIRE(create);
    CHECK(create->kind == sync_action_kind::create);
    CHECK(create->fields->subject == "Renew the evidence: Penetration test (due 2027-12-31)");
    CHECK(format_iso_date(create->fields->start_date) == "2027-12-01");
    CHECK(create->fields->assignee == "secops");
    CHECK(create->fields->description.find("valid until 2027-12-31") != std::string::npos);
    CHECK(ticket_state::parse(create->state).renewal);
    CHECK(create->reason == "evidence valid until 2027-12-31 to renew");

    // Made: nothing more, and it has not left the calendar.
    tracked_ticket made{.id = 41,
                        .key = std::string(key),
                        .state = create->state,
                        .description = create->fields->description};
    tracker.upkeep_tickets.push_back(made);
    CHECK(action_for(plan_sync(c, cycle, tracker, d("2027-12-10")), key) == nullptr);
    // Past its day: one overdue comment, as any occurrence.
    const sync_plan late = plan_sync(c, cycle, tracker, d("2028-01-02"));
    const sync_action* comment = action_for(late, key);
    REQUIRE(comment);
    CHECK(comment->kind == sync_action_kind::comment);
    CHECK(comment->note.starts_with("Overdue"));
    CHECK(ticket_state::parse(comment->state).renewal);
}

TEST_CASE("expired evidence counts against readiness as its overdue renewal; a renewal done counts as done") {
    const auto c = renewal_config();
    const auto cycle = compute_cycle(c.certification);
    const task_record first = pentest_done();
    std::vector<task_record> reviews;
    for (const char* due : {"2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31"})
        reviews.push_back(task(("control:review:" + std::string(due)).c_str(), 50, due, due));
    tracker_snapshot tracker{.tasks = reviews};
    tracker.tasks.push_back(first);

    SUBCASE("before the day: to watch") {
        const status_report r = compute_status(c, cycle, tracker, d("2027-12-20"));
        REQUIRE(r.next_audit);
        const auto& watch = r.next_audit->to_watch;
        const auto item = std::find_if(watch.begin(), watch.end(), [](const readiness_item& i) {
            return i.kind == readiness_kind::evidence_expiring;
        });
        REQUIRE(item != watch.end());
        CHECK(item->what ==
              "The evidence of Penetration test is valid until 2027-12-31, before the audit: renew it "
              "(secops)");
        // Three reviews and the pentest due by then, all done: 4 of 4.
        CHECK(r.next_audit->done == 4);
        CHECK(r.next_audit->counted == 4);
    }
    SUBCASE("after the day, not renewed: fix first, counted once") {
        const status_report r = compute_status(c, cycle, tracker, d("2028-01-05"));
        REQUIRE(r.next_audit);
        const auto& fix = r.next_audit->fix_first;
        REQUIRE(fix.size() == 1);
        CHECK(fix[0].kind == readiness_kind::expired_evidence);
        CHECK(fix[0].what ==
              "The evidence of Penetration test expired on 2027-12-31; its renewal is overdue by "
              "5 days (secops), no ticket");
        CHECK(fix[0].days_late == 5);
        // Four reviews and the pentest done, the renewal not: 5 of 6.
        CHECK(r.next_audit->done == 5);
        CHECK(r.next_audit->counted == 6);
        const auto& occurrences = r.periods[0].occurrences;
        const auto renewal = std::find_if(occurrences.begin(), occurrences.end(),
                                          [](const occurrence_status& o) { return o.renewal; });
        REQUIRE(renewal != occurrences.end());
        CHECK(format_iso_date(renewal->due) == "2027-12-31");
        CHECK(renewal->state == occurrence_state::overdue);
        CHECK(r.ticket_problems.empty());
        const auto& in_force = r.expiring;
        REQUIRE(in_force.size() == 1);
        CHECK(in_force[0].ticket_id == 40);
        CHECK(in_force[0].days_left == -5);
        CHECK(in_force[0].words == "expired on 2027-12-31 (5 days ago)");
        CHECK(in_force[0].owner == "secops");
    }
    SUBCASE("renewed on time with a new day: done, and the new day is in force") {
        task_record renewal = task("control:pentest:2027-12-31", 41, "2027-12-20", "2027-12-18");
        renewal.valid_until = d("2028-12-31");
        renewal.title = "Renew the evidence: Penetration test";
        tracker.tasks.push_back(renewal);
        const status_report r = compute_status(c, cycle, tracker, d("2028-01-05"));
        REQUIRE(r.next_audit);
        CHECK(r.next_audit->fix_first.empty());
        CHECK(r.next_audit->done == 6);
        CHECK(r.next_audit->counted == 6);
        // Valid until 2028-12-31, past the next pentest (2028-03-31): the cadence renews it, no new renewal.
        CHECK(r.ticket_problems.empty());
        const auto& in_force = r.expiring;
        REQUIRE(in_force.size() == 1);
        CHECK(in_force[0].ticket_id == 41);
        CHECK(in_force[0].words == "valid until 2028-12-31 (361 days left)");
        // The register says which evidence expires and which occurrence renews.
        const std::string csv = evidence_register_csv(r.periods[0], c);
        CHECK(csv.find(
                  "pentest,Penetration test,A.8.8,secops,2027-03-31,2027-03-30,2027-04-02,yes,,2027-12-31,no,"
                  "on time,#40\r\n") != std::string::npos);
        CHECK(
            csv.find(
                "pentest,Renew the evidence: Penetration test,A.8.8,secops,2027-12-31,2027-12-18,2027-12-20,"
                "yes,,2028-12-31,yes,on time,#41\r\n") != std::string::npos);
    }
}

TEST_CASE("the evidence in force is the last completion's, and the review pack lists it") {
    const auto c = renewal_config();
    const auto cycle = compute_cycle(c.certification);
    tracker_snapshot tracker{.tasks = {pentest_done("2027-12-31")}};
    // A review without a day: reviews have nothing that expires. A twin of the pentest Upkeep closed as a
    // duplicate, with a later day, never counts.
    tracker.tasks.push_back(task("control:review:2027-03-31", 60, "2027-03-31", "2027-03-31"));
    task_record twin = pentest_done("2030-01-01");
    twin.id = 39;
    twin.closed_as_duplicate = true;
    tracker.tasks.push_back(twin);
    const status_report r = compute_status(c, cycle, tracker, d("2027-12-31"));
    const auto& in_force = r.expiring;
    REQUIRE(in_force.size() == 1);
    CHECK(in_force[0].activity == "pentest");
    CHECK(in_force[0].ticket_id == 40);
    CHECK_FALSE(in_force[0].expired());
    CHECK(in_force[0].words == "valid until 2027-12-31 (last day)");
    const auto json = status_to_json(r);
    CHECK(json["expiring_evidence"][0]["text"] == "valid until 2027-12-31 (last day)");
    CHECK(json["expiring_evidence"][0]["days_left"] == 0);
    // Dates in the reader's style, as the other sentences.
    const status_report styled =
        compute_status(c, cycle, tracker, d("2027-12-31"), {{"secops", "Sam Ops"}}, {.pattern = "%d.%m.%Y"});
    CHECK(styled.expiring[0].words == "valid until 31.12.2027 (last day)");
    CHECK(styled.expiring[0].owner == "Sam Ops");

    const std::string pack = render(review_pack(c, r, {}, tracker, d("2027-12-31")), markup::markdown);
    CHECK(pack.find("### Evidence that expires") != std::string::npos);
    CHECK(pack.find("| Penetration test | valid until 2027\\-12\\-31 \\(last day\\) | #40 |") !=
          std::string::npos);
}

TEST_CASE("a completion's valid-until day comes after the work and with evidence, and its note says it") {
    completion c;
    c.done_on = d("2027-03-30");
    c.links = {"https://reports.example/pentest"};
    c.valid_until = d("2027-03-30");
    auto problems = check_completion(c, d("2027-04-01"), false, false);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].pointer == "/valid_until");
    c.valid_until = d("2028-03-30");
    CHECK(check_completion(c, d("2027-04-01"), false, false).empty());
    CHECK(completion_note(c).find("\n\nThe evidence is valid until 2028-03-30.") != std::string::npos);
    c.links.clear();
    problems = check_completion(c, d("2027-04-01"), false, true);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].pointer == "/valid_until");

    // A renewal's ticket is its activity's on any date; without the mark, only on the cadence's dates.
    const auto config_ = renewal_config();
    CHECK_FALSE(find_occurrence(config_, "control:pentest:2027-12-31").has_value());
    const auto renewal = find_occurrence(config_, "control:pentest:2027-12-31", true);
    REQUIRE(renewal);
    CHECK(renewal->what->id == "pentest");
    CHECK(renewal->renewal);
    CHECK(ticket_state::parse("h=ab;renewal=1").format() == "h=ab;renewal=1");
}
