#include "test_helpers.hpp"

#include <upkeep/redmine/mapping.hpp>
#include <upkeep/sync_plan.hpp>
#include <upkeep/ticket_state.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;

namespace {

isms_configuration config_with(const std::string& rrule, int lead = 7, const std::string& owner = "itops") {
    const auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"}, "certification": {"decision_date": "2027-01-15"},
      "activities": [{"id": "scan", "title": "Scan", "references": ["A.8.8"], "owner": ")" +
                                            owner + R"(",
        "lead_time_days": )" + std::to_string(lead) +
                                            R"(, "instructions": "Run it.", "evidence": "Report.",
        "cadence": {"rrule": ")" + rrule + R"(", "start": "2027-01-01"}}]})");
    REQUIRE(result.problems.empty());
    isms_configuration config = result.config;
    config.nonconformities.grace_days = 366; // the nonconformity tests shorten it
    return config;
}

sync_plan plan(const isms_configuration& config, const std::vector<tracked_ticket>& tickets,
               const char* today, const std::vector<nonconformity_ticket>& ncs = {}) {
    return plan_sync(config, compute_cycle(config.certification), tracker_state{tickets, ncs}, d(today));
}

// What the tracker holds after applying a plan (ids from 100 on).
std::vector<tracked_ticket> applied(const sync_plan& p, std::vector<tracked_ticket> tickets) {
    long long next_id = 100 + static_cast<long long>(tickets.size());
    for (const sync_action& a : p.actions) {
        if (a.kind == sync_action_kind::create) {
            tickets.push_back({next_id++, a.key, a.state, a.fields->description, false});
            continue;
        }
        for (auto& t : tickets)
            if (t.id == *a.ticket_id) {
                t.state = a.state;
                if (a.fields) t.description = a.fields->description;
                if (a.kind == sync_action_kind::close) t.closed = true;
            }
    }
    return tickets;
}

std::vector<std::string> keys_of(const sync_plan& p, sync_action_kind kind) {
    std::vector<std::string> out;
    for (const auto& a : p.actions)
        if (a.kind == kind) out.push_back(a.key);
    return out;
}

} // namespace

TEST_CASE(
    "a ticket is created for every occurrence whose ticket should be open, from the audit period's start") {
    // Monthly on the 1st, lead 7 days, certified 2027-01-15: the period starts on the decision.
    const auto p = plan(config_with("FREQ=MONTHLY;BYMONTHDAY=1"), {}, "2027-03-25");
    CHECK(p.since == d("2027-01-15"));
    CHECK(keys_of(p, sync_action_kind::create) == std::vector<std::string>{"control:scan:2027-02-01",
                                                                           "control:scan:2027-03-01",
                                                                           "control:scan:2027-04-01"});
    const sync_action& first = p.actions[0];
    CHECK(first.fields->subject == "Scan (due 2027-02-01)");
    CHECK(first.fields->assignee == "itops");
    CHECK(first.fields->start_date == d("2027-01-25"));
    CHECK(first.fields->due_date == d("2027-02-01"));
    CHECK(first.state.ends_with(";overdue=1;backlog=1;since=2027-03-25"));
    CHECK(first.reason == "missed occurrence, overdue since 2027-02-02");
    CHECK(p.actions[2].state.find("overdue") == std::string::npos);
    CHECK(p.actions[2].fields->description.find("Evidence to attach before closing:\nReport.") !=
          std::string::npos);
}

TEST_CASE("applying a plan and planning again gives an empty plan") {
    const auto config = config_with("FREQ=WEEKLY;BYDAY=MO,TH");
    const auto first = plan(config, {}, "2027-03-10");
    REQUIRE(first.count(sync_action_kind::create) > 10);
    const auto tickets = applied(first, {});
    const auto second = plan(config, tickets, "2027-03-10");
    CHECK(second.actions.empty());
    CHECK(second.unchanged == tickets.size());
}

TEST_CASE("an occurrence that becomes overdue gets one comment; closed tickets are left alone") {
    const auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    auto tickets = applied(plan(config, {}, "2027-03-28"), {});
    tickets.front().closed = true; // 2027-02-01, done
    const auto later = plan(config, tickets, "2027-04-03");
    CHECK(keys_of(later, sync_action_kind::comment) == std::vector<std::string>{"control:scan:2027-04-01"});
    CHECK(keys_of(later, sync_action_kind::create) == std::vector<std::string>{});
    CHECK(later.actions[0].note.starts_with("Overdue: this ISMS task was due on 2027-04-01 (owner: itops)."));
    CHECK(plan(config, applied(later, tickets), "2027-04-03").actions.empty());
}

TEST_CASE("a configuration change updates open tickets and keeps what people wrote above Upkeep's block") {
    auto tickets = applied(plan(config_with("FREQ=MONTHLY;BYMONTHDAY=1"), {}, "2027-03-28"), {});
    tickets[1].description = "Half done, see the spreadsheet.\r\n\r\n" + tickets[1].description;
    tickets[0].closed = true;
    const auto changed = plan(config_with("FREQ=MONTHLY;BYMONTHDAY=1", 7, "secops"), tickets, "2027-03-28");
    CHECK(keys_of(changed, sync_action_kind::update) ==
          std::vector<std::string>{"control:scan:2027-03-01", "control:scan:2027-04-01"});
    const sync_action& kept = changed.actions[0];
    CHECK(kept.fields->assignee == "secops");
    CHECK(kept.fields->description.starts_with("Half done, see the spreadsheet.\n\n-- ISMS task"));
    CHECK(kept.fields->description.find("Owner: secops") != std::string::npos);
    CHECK(plan(config_with("FREQ=MONTHLY;BYMONTHDAY=1", 7, "secops"), applied(changed, tickets), "2027-03-28")
              .actions.empty());
}

TEST_CASE("an open ticket whose occurrence left the calendar gets one comment and is not closed") {
    const auto tickets = applied(plan(config_with("FREQ=MONTHLY;BYMONTHDAY=1"), {}, "2027-03-28"), {});
    const auto moved = plan(config_with("FREQ=MONTHLY;BYMONTHDAY=15"), tickets, "2027-03-28");
    CHECK(keys_of(moved, sync_action_kind::comment).size() == 3);
    CHECK(moved.actions.back().note.starts_with(
        "This occurrence is no longer in the ISMS maintenance calendar"));
    CHECK(plan(config_with("FREQ=MONTHLY;BYMONTHDAY=15"), applied(moved, tickets), "2027-03-28")
              .count(sync_action_kind::comment) == 0);
}

TEST_CASE("two tickets with one key: no third is made, and the twin without recorded work is closed") {
    const auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    auto tickets = applied(plan(config, {}, "2027-02-20"), {}); // #100, the 2027-02-01 task
    REQUIRE(tickets.size() == 1);
    const tracked_ticket first = tickets[0];
    const auto twin = [&](long long id, bool closed, bool work) {
        tracked_ticket t = first;
        t.id = id;
        t.closed = closed;
        t.work_recorded = work;
        return t;
    };
    const auto closes = [&](const std::vector<tracked_ticket>& held) {
        std::vector<long long> out;
        for (const sync_action& a : plan(config, held, "2027-02-20").actions) {
            CHECK(a.kind == sync_action_kind::close); // nothing else: no third ticket, no comment
            out.push_back(*a.ticket_id);
        }
        return out;
    };
    // Both open, no work: the first made counts.
    const auto both_open = plan(config, {first, twin(5, false, false)}, "2027-02-20");
    REQUIRE(both_open.actions.size() == 1);
    const sync_action& close = both_open.actions[0];
    CHECK(close.kind == sync_action_kind::close);
    CHECK(*close.ticket_id == 100);
    CHECK(close.note ==
          "Duplicate: #100 has the same Upkeep key as #5 (control:scan:2027-02-01), which counts. "
          "No work is recorded here, so Upkeep closes this ticket; record the work on #5.");
    CHECK(close.reason == "duplicate of #5");
    CHECK(ticket_state::parse(close.state).closing);
    CHECK(ticket_state::parse(close.state).duplicate);
    CHECK(!close.note_written);
    // Recorded work wins over the number; a closed twin wins over an open one; a closed twin is never
    // touched.
    CHECK(closes({first, twin(5, false, false)}) == std::vector<long long>{100});
    CHECK(closes({twin(100, false, true), twin(5, false, false)}) == std::vector<long long>{5});
    CHECK(closes({twin(100, true, false), twin(5, false, false)}) == std::vector<long long>{5});
    CHECK(closes({twin(100, true, true), twin(5, true, false), twin(7, false, false)}) ==
          std::vector<long long>{7});
    // An open twin with recorded work is never closed, even when a closed one without counts.
    const auto kept = plan(config, {twin(100, true, false), twin(5, false, true)}, "2027-02-20");
    CHECK(kept.actions.empty());
    CHECK(kept.notices ==
          std::vector<std::string>{"#5 has the same Upkeep key as #100 (control:scan:2027-02-01), "
                                   "which counts; work is recorded on it, so it stays open: close "
                                   "one of them by hand"});
    // Work recorded on both open twins: nothing is closed, people are told.
    const auto worked = plan(config, {twin(100, false, true), twin(5, false, true)}, "2027-02-20");
    CHECK(worked.actions.empty());
    CHECK(worked.notices == std::vector<std::string>{
                                "#100 has the same Upkeep key as #5 (control:scan:2027-02-01), which counts; "
                                "work is recorded on it, so it stays open: close one of them by hand"});
    // Applied, the plan is empty: the twin is closed, and the one that counts carries on.
    const auto held = std::vector<tracked_ticket>{first, twin(5, false, false)};
    CHECK(plan(config, applied(both_open, held), "2027-02-20").actions.empty());
    // A closing note written by a run stopped before the status: only the status is left.
    tracked_ticket half = first;
    half.state = close.state;
    CHECK(plan(config, {half, twin(5, false, false)}, "2027-02-20").actions.at(0).note_written);
}

TEST_CASE("a control missed beyond the grace period is proposed as a nonconformity, once") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.nonconformities = {30, "ciso", 30};
    auto tickets = applied(plan(config, {}, "2027-01-28"), {}); // the 2027-02-01 task, made before it was due
    tickets = applied(plan(config, tickets, "2027-02-25"), tickets); // the 03-01 task
    CHECK(keys_of(plan(config, tickets, "2027-03-03"), sync_action_kind::comment) ==
          std::vector<std::string>{"control:scan:2027-03-01"}); // overdue, and no nonconformity yet
    const auto late = plan(config, tickets, "2027-03-04");
    const auto nc = std::find_if(late.actions.begin(), late.actions.end(), [](const sync_action& a) {
        return a.key == "nc:missed:control:scan:2027-02-01";
    });
    REQUIRE(nc != late.actions.end());
    CHECK(nc->fields->kind == ticket_kind::nonconformity);
    CHECK(nc->fields->subject == "Missed control: Scan (due 2027-02-01)");
    CHECK(nc->fields->assignee == "ciso");
    CHECK(nc->fields->grade == "Minor");
    CHECK(nc->fields->source == "Missed control");
    const std::vector<nonconformity_ticket> ncs{{50, nc->key, false, ""}};
    const auto again = plan(config, applied(late, tickets), "2027-03-04", ncs);
    CHECK(std::none_of(again.actions.begin(), again.actions.end(),
                       [](const sync_action& a) { return a.key.starts_with("nc:"); }));
}

TEST_CASE("the backlog of a first sync (created after its due date) proposes no nonconformity") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.nonconformities = {30, "ciso", 30};
    const auto first = plan(config, {}, "2027-06-20");
    CHECK(first.count(sync_action_kind::create) == 5); // 02-01 .. 06-01, all late: the backlog
    CHECK(first.actions[0].state.ends_with(";overdue=1;backlog=1;since=2027-06-20"));
    auto tickets = applied(first, {});
    tickets = applied(plan(config, tickets, "2027-06-28"), tickets); // 07-01, made in time
    const auto later = plan(config, tickets, "2027-09-20");
    CHECK(std::none_of(later.actions.begin(), later.actions.end(),
                       [](const sync_action& a) { return a.key == "nc:missed:control:scan:2027-02-01"; }));
    CHECK(std::any_of(later.actions.begin(), later.actions.end(),
                      [](const sync_action& a) { return a.key == "nc:missed:control:scan:2027-07-01"; }));
}

TEST_CASE("corrective actions name their nonconformity as the host names tickets") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.nonconformities = {366, "ciso", 30};
    tracker_state tracker{{}, {{50, "", false, "itops: Put the scan in the ops calendar\nno owner here"}}};
    tracker.references = {"ISMS-"};
    const auto first = plan_sync(config, compute_cycle(config.certification), tracker, d("2027-03-04"));
    const auto ca = std::find_if(first.actions.begin(), first.actions.end(),
                                 [](const sync_action& a) { return a.key.starts_with("ca:50:"); });
    REQUIRE(ca != first.actions.end());
    CHECK(ca->fields->subject == "Corrective action (ISMS-50): Put the scan in the ops calendar");
    CHECK(ca->fields->description.find("Corrective action for nonconformity ISMS-50 (") != std::string::npos);
    CHECK(first.notices == std::vector<std::string>{"nonconformity ISMS-50, corrective actions line 2: start "
                                                    "with the owner's login, such as \"itops: ...\""});
}

TEST_CASE("a nonconformity's corrective actions become tickets, then a verification, then it closes") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.nonconformities = {366, "ciso", 30};
    std::vector<nonconformity_ticket> ncs{
        {50, "nc:missed:control:scan:2027-02-01", false,
         "itops: Put the scan in the ops calendar (due 2027-04-15)\n\nsecops:  Alert when a scan is late\nno "
         "owner here\n"},
        {51, "", false, "hr: Train the new ops staff (due 2027-13-01)"}};
    const auto first = plan(config, {}, "2027-03-04", ncs);
    std::vector<const sync_action*> cas;
    for (const auto& a : first.actions)
        if (a.key.starts_with("ca:")) cas.push_back(&a);
    REQUIRE(cas.size() == 2);
    CHECK(cas[0]->fields->kind == ticket_kind::corrective_action);
    CHECK(cas[0]->fields->assignee == "itops");
    CHECK(cas[0]->fields->due_date == d("2027-04-15"));
    CHECK(cas[0]->fields->subject == "Corrective action (#50): Put the scan in the ops calendar");
    CHECK(cas[1]->fields->assignee == "secops");
    CHECK(cas[1]->fields->due_date == d("2028-01-14")); // the day before surveillance 1 (decision 2027-01-15)
    CHECK(first.notices == std::vector<std::string>{"nonconformity #50, corrective actions line 4: start "
                                                    "with the owner's login, such as \"itops: ...\"",
                                                    "nonconformity #51, corrective actions line 1: the "
                                                    "deadline is not a date: write (due YYYY-MM-DD)"});

    auto tickets = applied(first, {});
    CHECK(std::none_of(tickets.begin(), tickets.end(),
                       [](const tracked_ticket& t) { return t.key.starts_with("verify:"); }));
    for (auto& t : tickets)
        if (t.key.starts_with("ca:50:")) t.closed = true;
    const auto verify = plan(config, tickets, "2027-03-20", ncs);
    const auto v = std::find_if(verify.actions.begin(), verify.actions.end(),
                                [](const sync_action& a) { return a.key == "verify:50"; });
    REQUIRE(v != verify.actions.end());
    CHECK(v->fields->kind == ticket_kind::verification);
    CHECK(v->fields->assignee == "ciso");
    CHECK(v->fields->due_date == d("2027-04-19"));

    tickets = applied(verify, tickets);
    for (auto& t : tickets)
        if (t.key == "verify:50") t.closed = true;
    const auto close = plan(config, tickets, "2027-03-25", ncs);
    const auto c = std::find_if(close.actions.begin(), close.actions.end(),
                                [](const sync_action& a) { return a.kind == sync_action_kind::close; });
    REQUIRE(c != close.actions.end());
    CHECK(*c->ticket_id == 50);
    ncs[0].closed = true;
    CHECK(plan(config, tickets, "2027-03-25", ncs).count(sync_action_kind::close) == 0);
}

TEST_CASE(
    "people's nonconformities get corrective actions and a verification but are never closed by Upkeep") {
    const auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    const std::vector<nonconformity_ticket> ncs{{60, "", false, "hr: Brief the team"}};
    auto tickets = applied(plan(config, {}, "2027-02-20", ncs), {});
    for (auto& t : tickets)
        if (t.key.starts_with("ca:60:")) t.closed = true;
    tickets = applied(plan(config, tickets, "2027-02-21", ncs), tickets);
    for (auto& t : tickets)
        if (t.key == "verify:60") t.closed = true;
    const auto last = plan(config, tickets, "2027-02-22", ncs);
    CHECK(last.count(sync_action_kind::close) == 0);
    CHECK(std::none_of(last.actions.begin(), last.actions.end(),
                       [](const sync_action& a) { return a.ticket_id == 60; }));
}

TEST_CASE("a review's decision lines become ISMS follow-ups, once each, also after the review closed") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.activities[0].references = {"9.3"}; // the management review
    tracked_ticket review{90, "control:scan:2027-02-01", "", "", true};
    review.decisions = "ceo: Budget a SIEM (due 2027-06-30)\n\nsecops: Add MFA to the VPN\nno owner here\n"
                       "ceo:  Budget a SIEM (due 2027-07-31)\n";
    tracked_ticket not_a_review{91, "ca:50:0a1b2c3d4e5f", "", "", false};
    not_a_review.decisions = "x: a control task's field only";
    const auto first = plan(config, {review, not_a_review}, "2027-03-04");
    std::vector<const sync_action*> decisions;
    for (const auto& a : first.actions)
        if (a.key.starts_with("decision:")) decisions.push_back(&a);
    REQUIRE(decisions.size() == 2);
    CHECK(decisions[0]->key.starts_with("decision:90:"));
    CHECK(decisions[0]->fields->kind == ticket_kind::follow_up);
    CHECK(decisions[0]->fields->subject == "Review decision (#90): Budget a SIEM");
    CHECK(decisions[0]->fields->assignee == "ceo");
    CHECK(decisions[0]->fields->due_date == d("2027-06-30"));
    CHECK(decisions[0]->fields->references == "9.3.3");
    CHECK(decisions[0]->reason == "decision recorded on review #90");
    CHECK(decisions[1]->fields->assignee == "secops");
    CHECK(decisions[1]->fields->due_date == d("2028-01-14")); // the day before surveillance 1
    CHECK(first.notices ==
          std::vector<std::string>{
              "review #90, decisions line 4: start with the owner's login, such as \"itops: ...\"",
              "review #90, decisions line 5: the same as line 1, so it makes no second ticket",
              "control task #91 is not a management review (its activity does not reference 9.3), so its "
              "review decisions make no tickets"});

    // Applied, the same decisions plan nothing; an edited line is a new decision, the old ticket stays.
    auto tickets = applied(first, {review});
    CHECK(keys_of(plan(config, tickets, "2027-03-05"), sync_action_kind::create).empty());
    tickets[0].decisions = "ceo: Budget a SIEM and a SOC (due 2027-06-30)\nsecops: Add MFA to the VPN";
    const auto edited = plan(config, tickets, "2027-03-05");
    REQUIRE(edited.actions.size() == 1);
    CHECK(edited.actions[0].fields->subject == "Review decision (#90): Budget a SIEM and a SOC");

    // A decision on a control task of another activity makes nothing.
    config.activities[0].references = {"A.8.8"};
    CHECK(keys_of(plan(config, {review}, "2027-03-04"), sync_action_kind::create) ==
          std::vector<std::string>{"control:scan:2027-03-01"});
}

TEST_CASE("typed action lists: a long line's subject is cut at a character, and at most 30 lines count") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.activities[0].references = {"9.3"};
    tracked_ticket review{90, "control:scan:2027-02-01", "", "", false};
    // 86 ASCII characters, then two-byte characters: the cut at 87 bytes would split the first of them.
    review.decisions = "ceo: " + std::string(86, 'a') + "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
    const auto one = plan(config, {review}, "2027-03-04");
    const auto decision = std::find_if(one.actions.begin(), one.actions.end(),
                                       [](const sync_action& a) { return a.key.starts_with("decision:"); });
    REQUIRE(decision != one.actions.end());
    CHECK(decision->fields->subject == "Review decision (#90): " + std::string(86, 'a') + "...");
    redmine::context ctx;
    CHECK_NOTHROW((void)redmine::payload(*decision, ctx).dump()); // valid UTF-8

    review.decisions.clear();
    for (int i = 1; i <= 32; ++i)
        review.decisions += "ceo: Decision " + std::to_string(i) + "\n";
    const auto many = plan(config, {review}, "2027-03-04");
    CHECK(std::count_if(many.actions.begin(), many.actions.end(),
                        [](const sync_action& a) { return a.key.starts_with("decision:"); }) == 30);
    CHECK(many.notices == std::vector<std::string>{"review #90, decisions line 31: only the first 30 lines "
                                                   "become tickets; split the list"});
}

TEST_CASE("merge_description replaces only Upkeep's block") {
    const std::string first = merge_description("", "block one");
    CHECK(first == "-- ISMS task (maintained by Upkeep: write above this line) --\nblock one");
    CHECK(merge_description("Mine.\n\n" + first, "block two") ==
          "Mine.\n\n-- ISMS task (maintained by Upkeep: write above this line) --\nblock two");
    CHECK(merge_description("Only mine.", "b") ==
          "Only mine.\n\n-- ISMS task (maintained by Upkeep: write above this line) --\nb");
}

TEST_CASE("Redmine mapping: only the Upkeep account's tickets with a key are Upkeep's") {
    redmine::context ctx;
    ctx.upkeep_user_id = 7;
    ctx.upkeep_user_ids = {7};
    ctx.key_field_id = 1;
    ctx.state_field_id = 5;
    ctx.closed_status_ids = {5, 6};
    const auto page = nlohmann::json::parse(R"({"issues": [
      {"id": 1, "author": {"id": 7}, "status": {"id": 5}, "description": "d",
       "custom_fields": [{"id": 1, "value": "control:a:2027-01-01"}, {"id": 5, "value": "h=1"}]},
      {"id": 2, "author": {"id": 8}, "status": {"id": 1},
       "custom_fields": [{"id": 1, "value": "control:a:2027-02-01"}]},
      {"id": 3, "author": {"id": 7}, "status": {"id": 1}, "custom_fields": [{"id": 1, "value": ""}]}
    ], "total_count": 3})");
    const auto tickets = redmine::tickets_from_page(page, ctx);
    REQUIRE(tickets.size() == 1);
    CHECK(tickets[0].id == 1);
    CHECK(tickets[0].closed);
    CHECK(tickets[0].state == "h=1");
}

TEST_CASE("Redmine mapping: discovery names every missing piece and how to fix it") {
    diagnostics problems;
    const auto ctx = redmine::discover(
        nlohmann::json::parse(R"({"user": {"id": 3}})"),
        nlohmann::json::parse(R"({"project": {"id": 9, "identifier": "isms",
                                         "trackers": [{"id": 4, "name": "Control task"}],
                                         "issue_custom_fields": [{"id": 1, "name": "Upkeep key"}]}})"),
        nlohmann::json::parse(R"({"issue_statuses": [{"id": 5, "is_closed": true}]})"), problems);
    CHECK(ctx.tracker_id == 4);
    CHECK(ctx.key_field_id == 1);
    std::vector<std::string> messages;
    for (const auto& p : problems)
        messages.push_back(p.message);
    CHECK(messages.size() == 7); // two trackers and five custom fields are missing
    CHECK(
        std::find(messages.begin(), messages.end(),
                  "the project has no custom field \"Upkeep state\". Run `rake upkeep:setup PROJECT=isms` in "
                  "Redmine (as an administrator) to create and enable it.") != messages.end());
    CHECK(std::find(messages.begin(), messages.end(),
                    "the project has no \"Nonconformity\" tracker. Run `rake upkeep:setup PROJECT=isms` in "
                    "Redmine (as an administrator) to create and enable it.") != messages.end());
}

TEST_CASE("Redmine mapping: payloads carry the key on create and the state on every write") {
    redmine::context ctx;
    ctx.project_id = 9;
    ctx.tracker_id = 4;
    ctx.key_field_id = 1;
    ctx.state_field_id = 5;
    ctx.reference_field_id = 2;
    ctx.principals["itops"] = 12;
    const auto p = plan(config_with("FREQ=MONTHLY;BYMONTHDAY=1"), {}, "2027-02-20");
    const auto body = redmine::payload(p.actions.at(0), ctx);
    CHECK(body["issue"]["project_id"] == 9);
    CHECK(body["issue"]["tracker_id"] == 4);
    CHECK(body["issue"]["assigned_to_id"] == 12);
    CHECK(body["issue"]["due_date"] == "2027-02-01");
    CHECK(body["issue"]["custom_fields"].size() == 3);
    sync_action comment;
    comment.kind = sync_action_kind::comment;
    comment.ticket_id = 1;
    comment.note = "n";
    comment.state = "h=1;overdue=1";
    CHECK(redmine::payload(comment, ctx).dump() ==
          R"({"issue":{"custom_fields":[{"id":5,"value":"h=1;overdue=1"}],"notes":"n"}})");
    CHECK(
        redmine::issues_query(ctx, 200) ==
        "/issues.json?project_id=9&subproject_id=!*&status_id=*&cf_1=*&include=attachments&sort=id&limit=100&"
        "offset=200");
    CHECK(redmine::issue_by_key_query(ctx, "control:a b")
              .ends_with("cf_1=control%3Aa%20b&sort=id&limit=100&offset=0"));
}

TEST_CASE("an unassigned ticket (no nonconformity owner configured) needs no owner lookup") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.nonconformities = {30, "", 30};
    const auto p = plan(config, applied(plan(config, {}, "2027-01-28"), {}), "2027-04-20");
    redmine::context ctx;
    ctx.principals["itops"] = 3;
    REQUIRE(std::any_of(p.actions.begin(), p.actions.end(),
                        [](const sync_action& a) { return a.key.starts_with("nc:"); }));
    CHECK(redmine::unknown_owners(p, ctx).empty());
}

TEST_CASE(
    "a late create after the first sync is not backlog: a missed control still becomes a nonconformity") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.nonconformities = {30, "ciso", 30};
    auto tickets = applied(plan(config, {}, "2027-01-28"), {}); // the first sync, in time for 02-01
    const auto late = plan(config, tickets, "2027-03-20");      // cron was down: 03-01 is created late
    const auto created = std::find_if(late.actions.begin(), late.actions.end(), [](const sync_action& a) {
        return a.key == "control:scan:2027-03-01";
    });
    REQUIRE(created != late.actions.end());
    CHECK(created->state.find("backlog") == std::string::npos);
    tickets = applied(late, tickets);
    const auto after = plan(config, tickets, "2027-04-20");
    CHECK(std::any_of(after.actions.begin(), after.actions.end(),
                      [](const sync_action& a) { return a.key == "nc:missed:control:scan:2027-03-01"; }));
}

TEST_CASE("an occurrence that left the calendar proposes no nonconformity") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    config.nonconformities = {30, "ciso", 30};
    auto tickets = applied(plan(config, {}, "2027-01-28"), {});
    auto moved = config_with("FREQ=MONTHLY;BYMONTHDAY=15");
    moved.nonconformities = config.nonconformities;
    tickets =
        applied(plan(moved, tickets, "2027-02-05"), tickets); // the 02-01 ticket is commented as obsolete
    const auto later = plan(moved, tickets, "2027-04-20");
    CHECK(std::none_of(later.actions.begin(), later.actions.end(),
                       [](const sync_action& a) { return a.key == "nc:missed:control:scan:2027-02-01"; }));
}

TEST_CASE("Redmine mapping: a lost create counts as applied only when its key is really there") {
    redmine::context ctx;
    ctx.upkeep_user_ids = {7};
    ctx.key_field_id = 1;
    sync_action create;
    create.kind = sync_action_kind::create;
    create.key = "control:a:2027-01-01";
    const auto other =
        nlohmann::json::parse(R"({"issues": [{"id": 1, "author": {"id": 7}, "status": {"id": 1},
        "custom_fields": [{"id": 1, "value": "control:b:2027-01-01"}]}]})");
    CHECK(!redmine::already_applied(create, other,
                                    ctx)); // the key filter was ignored: another ticket came back
    auto same = other;
    same["issues"][0]["custom_fields"][0]["value"] = create.key;
    CHECK(redmine::already_applied(create, same, ctx));
    same["issues"][0]["project"] = {{"id", 99}}; // a subproject's
    CHECK(!redmine::already_applied(create, same, ctx));
}

TEST_CASE("an interrupted first sync and its rerun agree on the backlog") {
    auto config = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
    const auto clean = plan(config, {}, "2027-06-20");
    auto partial = clean;
    partial.actions.resize(2); // killed after two writes
    const auto rest = plan(config, applied(partial, {}), "2027-06-20");
    REQUIRE(rest.count(sync_action_kind::create) == clean.count(sync_action_kind::create) - 2);
    for (std::size_t i = 0; i < rest.actions.size(); ++i)
        CHECK(rest.actions[i].state == clean.actions[i + 2].state);
}
