// Supplier reviews: the /suppliers section of the configuration, the activity each supplier of the register
// becomes (its cadence by criticality from the day it entered the register, the review before its contract
// ends, its owner), the sync's tickets for it and its place in the status. Every expected date is worked out
// by hand from the cadences below.

#include "test_helpers.hpp"

#include <upkeep/certification_cycle.hpp>
#include <upkeep/change_impact.hpp>
#include <upkeep/completion.hpp>
#include <upkeep/json_api.hpp>
#include <upkeep/supplier_reviews.hpp>
#include <upkeep/sync_plan.hpp>
#include <upkeep/ticket_key.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::iso;

namespace {

// Certified on 2026-01-15, the first surveillance audit on 2027-01-15. Critical suppliers yearly and 60 days
// before their contract ends; high ones every two years; normal ones have no cadence.
std::string configuration(std::string_view suppliers = R"({
      "owner": "purchasing", "lead_time_days": 30, "instructions": "Ask the questions.",
      "evidence": "The review's notes.",
      "reviews": {"critical": {"rrule": "FREQ=YEARLY", "before_contract_end_days": 60},
                  "high": {"rrule": "FREQ=YEARLY;INTERVAL=2"}}})") {
    return R"({
      "version": 2, "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2026-01-15", "audits": {"surveillance_1": {"date": "2027-01-15"}}},
      "activities": [
        {"id": "review", "title": "Access review", "references": ["A.5.18"], "owner": "itops",
         "evidence": "The list.", "cadence": {"rrule": "FREQ=YEARLY", "start": "2026-06-30"}}],
      "suppliers": )" +
           std::string(suppliers) + "}";
}

isms_configuration suppliers_config() {
    const auto result = parse_configuration(configuration());
    REQUIRE_MESSAGE(result.problems.empty(), result.problems[0].to_string());
    return result.config;
}

// PayCloud, critical, in the register since 2025-03-10, its contract ending on 2026-12-31, owned by Alice.
supplier_record paycloud() {
    return {.id = 41,
            .name = "PayCloud",
            .criticality = "critical",
            .owner = "Alice Example",
            .since = d("2025-03-10"),
            .contract_end = d("2026-12-31"),
            .closed = false};
}

const activity* activity_of(const isms_configuration& c, std::string_view id) {
    const auto a =
        std::find_if(c.activities.begin(), c.activities.end(), [&](const activity& x) { return x.id == id; });
    return a == c.activities.end() ? nullptr : &*a;
}

std::vector<std::string> due_dates(const activity& a, const char* from, const char* to) {
    return iso(between(a.cadence.dates, d(from), d(to), true));
}

} // namespace

TEST_CASE("a critical supplier is reviewed on its anniversaries and before its contract ends") {
    isms_configuration c = suppliers_config();
    add_supplier_reviews(c, {paycloud()});
    REQUIRE(c.activities.size() == 2);
    const activity* a = activity_of(c, "supplier-41");
    REQUIRE(a != nullptr);
    CHECK(a->title == "Supplier review: PayCloud");
    CHECK(a->owner == "Alice Example");
    CHECK(a->references == std::vector<std::string>{"A.5.22"});
    CHECK(a->lead_time_days == 30);
    CHECK(a->instructions == "Criticality: critical. Ask the questions.");
    CHECK(a->evidence == "The review's notes.");
    // 2025-03-10 itself is when it came in (assessed then); 2026-12-31 less 60 days is 2026-11-01.
    CHECK(due_dates(*a, "2025-01-01", "2027-12-31") ==
          std::vector<std::string>{"2026-03-10", "2026-11-01", "2027-03-10"});
}

TEST_CASE("criticality picks the cadence; none set is normal; the owner falls back to the configuration's") {
    isms_configuration c = suppliers_config();
    supplier_record high{.id = 7, .name = "PrintCo", .criticality = "high", .since = d("2024-05-02")};
    supplier_record unrated{.id = 8, .name = "Snacks Ltd", .since = d("2024-05-02")};
    supplier_record gone = paycloud(); // closed, but the tracker says not when
    gone.id = 9;
    gone.closed = true;
    supplier_record undated{.id = 10, .name = "Undated", .criticality = "critical"};
    add_supplier_reviews(c, {high, unrated, gone, undated});
    const activity* a = activity_of(c, "supplier-7");
    REQUIRE(a != nullptr);
    CHECK(a->owner == "purchasing");
    CHECK(due_dates(*a, "2024-01-01", "2028-12-31") == std::vector<std::string>{"2026-05-02", "2028-05-02"});
    CHECK(activity_of(c, "supplier-8") == nullptr);  // normal: no cadence configured
    CHECK(activity_of(c, "supplier-9") == nullptr);  // no longer a supplier, since when unknown
    CHECK(activity_of(c, "supplier-10") == nullptr); // no day it came in
    CHECK(c.activities.size() == 2);
}

TEST_CASE("a supplier that left the register keeps the reviews due until it left, and no later ones") {
    isms_configuration c = suppliers_config();
    supplier_record left = paycloud();
    left.closed = true;
    left.closed_on = d("2026-10-31"); // before its contract review (2026-11-01) and its next anniversary
    add_supplier_reviews(c, {left});
    const activity* a = activity_of(c, "supplier-41");
    REQUIRE(a != nullptr);
    CHECK(due_dates(*a, "2025-01-01", "2028-12-31") == std::vector<std::string>{"2026-03-10"});

    isms_configuration on_the_day = suppliers_config();
    left.closed_on = d("2026-11-01");
    add_supplier_reviews(on_the_day, {left});
    CHECK(due_dates(*activity_of(on_the_day, "supplier-41"), "2025-01-01", "2028-12-31") ==
          std::vector<std::string>{"2026-03-10", "2026-11-01"});

    // Its open review due after it left is told that its occurrence left the calendar; none is made.
    const certification_cycle cycle = compute_cycle(c.certification);
    tracker_state tracker;
    tracker.upkeep_tickets.push_back({.id = 70, .key = "control:supplier-41:2026-11-01", .description = "x"});
    const sync_plan plan = plan_sync(c, cycle, tracker, d("2026-11-05"));
    const auto on_70 = std::find_if(plan.actions.begin(), plan.actions.end(),
                                    [](const sync_action& x) { return x.ticket_id == 70; });
    REQUIRE(on_70 != plan.actions.end());
    CHECK(on_70->kind == sync_action_kind::comment);
    CHECK(on_70->reason == "occurrence left the calendar");
    CHECK(std::none_of(plan.actions.begin(), plan.actions.end(), [](const sync_action& x) {
        return x.kind == sync_action_kind::create && x.key.starts_with("control:supplier-41:") &&
               x.key != "control:supplier-41:2026-03-10"; // due while it was a supplier
    }));
}

TEST_CASE(
    "a contract ending before a review's lead is no extra review; without /suppliers nothing is added") {
    isms_configuration c = suppliers_config();
    supplier_record young = paycloud();
    young.since = d("2026-12-01"); // 2026-12-31 less 60 days is before it came in
    add_supplier_reviews(c, {young});
    CHECK(due_dates(*activity_of(c, "supplier-41"), "2026-01-01", "2028-12-31") ==
          std::vector<std::string>{"2027-12-01", "2028-12-01"});

    const auto plain = parse_configuration(R"({"version": 2, "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2026-01-15"}, "activities": []})");
    isms_configuration none = plain.config;
    add_supplier_reviews(none, {paycloud()});
    CHECK(none.activities.empty());
}

TEST_CASE("the sync opens each review its lead time before it, assigned to the supplier's owner, once") {
    isms_configuration c = suppliers_config();
    add_supplier_reviews(c, {paycloud()});
    const certification_cycle cycle = compute_cycle(c.certification);
    // 2026-03-10 less 30 days is 2026-02-08.
    CHECK(plan_sync(c, cycle, {}, d("2026-02-07")).count(sync_action_kind::create) == 0);
    const sync_plan plan = plan_sync(c, cycle, {}, d("2026-02-08"));
    REQUIRE(plan.count(sync_action_kind::create) == 1);
    const sync_action& create = plan.actions[0];
    CHECK(create.key == "control:supplier-41:2026-03-10");
    REQUIRE(create.fields);
    CHECK(create.fields->subject == "Supplier review: PayCloud (due 2026-03-10)");
    CHECK(create.fields->assignee == "Alice Example");
    CHECK(format_iso_date(create.fields->start_date) == "2026-02-08");
    CHECK(create.fields->description.find("Criticality: critical. Ask the questions.") != std::string::npos);

    tracker_state tracker;
    tracker.upkeep_tickets.push_back(
        {.id = 90, .key = create.key, .state = create.state, .description = create.fields->description});
    CHECK(plan_sync(c, cycle, tracker, d("2026-02-09")).actions.size() == 0);

    // Renamed in the register: the open review is renamed, not made again.
    isms_configuration renamed = suppliers_config();
    supplier_record s = paycloud();
    s.name = "PayCloud Europe";
    add_supplier_reviews(renamed, {s});
    const sync_plan after = plan_sync(renamed, cycle, tracker, d("2026-02-09"));
    REQUIRE(after.actions.size() == 1);
    CHECK(after.actions[0].kind == sync_action_kind::update);
    CHECK(after.actions[0].fields->subject == "Supplier review: PayCloud Europe (due 2026-03-10)");
}

TEST_CASE("a supplier review is a control task like any other: it can be completed") {
    isms_configuration c = suppliers_config();
    add_supplier_reviews(c, {paycloud()});
    const auto found = find_occurrence(c, "control:supplier-41:2026-11-01", false);
    REQUIRE(found);
    CHECK(found->what->title == "Supplier review: PayCloud");
    CHECK_FALSE(find_occurrence(c, "control:supplier-41:2026-11-02", false));
    CHECK(supplier_activity_id(41) == "supplier-41");
}

TEST_CASE("/suppliers is checked: cadences by criticality, owner, lead time, references, evidence") {
    const auto problems_of = [](std::string_view suppliers) {
        return parse_configuration(configuration(suppliers)).problems;
    };
    CHECK(problems_of(R"({"owner": "purchasing", "evidence": "E", "reviews": {}})").empty());
    const auto bad = problems_of(R"({"owner": "not a login!", "lead_time_days": 400, "references": ["A.9.1"],
      "reviews": {"critcal": {"rrule": "FREQ=YEARLY"}, "high": {"rrule": "FREQ=SOMETIMES"},
                  "normal": {"rrule": "FREQ=YEARLY", "before_contract_end_days": -1}}})");
    const auto has = [&](std::string_view pointer, std::string_view part) {
        return std::any_of(bad.begin(), bad.end(), [&](const diagnostic& p) {
            return p.pointer == pointer && p.message.find(part) != std::string::npos;
        });
    };
    CHECK(has("/suppliers/owner", "is not a tracker login or group"));
    CHECK(has("/suppliers/lead_time_days", "out of range 0..366"));
    CHECK(has("/suppliers/references/0", "is not an ISO 27001:2022 clause"));
    CHECK(has("/suppliers/evidence", ""));
    CHECK(has("/suppliers/reviews/critcal", "did you mean \"critical\""));
    CHECK(has("/suppliers/reviews/high/rrule", ""));
    CHECK(has("/suppliers/reviews/normal/before_contract_end_days", "out of range 0..366"));
    CHECK(problems_of(R"({"owner": "purchasing", "evidence": "E"})")[0].pointer == "/suppliers/reviews");
}

TEST_CASE("the snapshot file keeps the register, so its figures reproduce") {
    snapshot_file file;
    file.tracker.suppliers = {paycloud(),
                              {.id = 7, .name = "PrintCo", .closed = true, .closed_on = d("2026-05-04")}};
    const nlohmann::json written = snapshot_to_json(file);
    CHECK(written["suppliers"][0] == nlohmann::json::parse(R"({"id": 41, "name": "PayCloud",
      "criticality": "critical", "owner": "Alice Example", "since": "2025-03-10", "contract_end": "2026-12-31",
      "closed": false, "closed_on": null})"));
    diagnostics problems;
    const snapshot_file read = snapshot_from_json(written, problems);
    CHECK(problems.empty());
    REQUIRE(read.tracker.suppliers.size() == 2);
    CHECK(read.tracker.suppliers[0].contract_end == d("2026-12-31"));
    CHECK(read.tracker.suppliers[0].owner == "Alice Example");
    CHECK_FALSE(read.tracker.suppliers[1].since);
    CHECK(read.tracker.suppliers[1].closed);
    CHECK(read.tracker.suppliers[1].closed_on == d("2026-05-04"));
}

TEST_CASE("a supplier the change prompt added carries its key, which the sync leaves alone") {
    CHECK(supplier_key(12, "supplier-assessment") == "supplier:12:supplier-assessment");
    CHECK(ticket_key::parse(supplier_key(12, "supplier-assessment")).kind == ticket_key_kind::supplier);
    CHECK(supplier_of_activity(supplier_activity_id(41)) == 41);
    for (const char* other : {"supplier-", "supplier-041", "supplier-4x", "review", "suppliers-41"})
        CHECK(supplier_of_activity(other) == std::nullopt);
    const isms_configuration c = suppliers_config();
    tracker_state tracker;
    tracker.upkeep_tickets.push_back(
        {.id = 5, .key = supplier_key(12, "supplier-assessment"), .description = "x"});
    const sync_plan plan = plan_sync(c, compute_cycle(c.certification), tracker, d("2026-06-01"));
    CHECK(std::none_of(plan.actions.begin(), plan.actions.end(),
                       [](const sync_action& a) { return a.ticket_id == 5; }));
}

TEST_CASE("a follow-up rule may bring a supplier in") {
    const auto parsed = parse_configuration(upkeep::testing::starter_config());
    REQUIRE_FALSE(has_errors(parsed.problems));
    for (const follow_up_rule& rule : parsed.config.changes.follow_ups)
        CHECK(rule.supplier == (rule.id == "supplier-assessment"));
    CHECK(parsed.config.suppliers.reviews.size() == 3);
}

TEST_CASE("a supplier that came in on 29 February is reviewed every year; an unknown criticality is normal") {
    const auto parsed = parse_configuration(configuration(R"({"owner": "purchasing", "evidence": "E",
      "reviews": {"critical": {"rrule": "FREQ=YEARLY"}, "normal": {"rrule": "FREQ=YEARLY;INTERVAL=3"}}})"));
    REQUIRE(parsed.problems.empty());
    isms_configuration c = parsed.config;
    add_supplier_reviews(c, {{.id = 1, .name = "Leap", .criticality = "critical", .since = d("2024-02-29")},
                             {.id = 2, .name = "Odd", .criticality = "medium", .since = d("2024-02-10")}});
    CHECK(due_dates(*activity_of(c, "supplier-1"), "2024-01-01", "2027-12-31") ==
          std::vector<std::string>{"2025-02-28", "2026-02-28", "2027-02-28"});
    const activity* odd = activity_of(c, "supplier-2");
    REQUIRE(odd != nullptr);
    CHECK(odd->instructions.starts_with("Criticality: normal."));
    CHECK(due_dates(*odd, "2024-01-01", "2027-12-31") == std::vector<std::string>{"2027-02-10"});
}

TEST_CASE("the calendar of a configuration with its register lists the reviews among the other activities") {
    isms_configuration c = suppliers_config();
    add_supplier_reviews(c, {paycloud()});
    const nlohmann::json calendar =
        json_api::calendar_of(c, nlohmann::json{{"from", "2026-06-01"}, {"to", "2026-12-31"}});
    std::vector<std::string> entries;
    for (const auto& e : calendar["entries"])
        if (e["kind"] == "activity")
            entries.push_back(e["date"].get<std::string>() + " " + e["id"].get<std::string>());
    // The access review on 2026-06-30; PayCloud's before its contract ends (2026-12-31 less 60 days) and on
    // the anniversary of its entry (2026-03-10 is before the window).
    CHECK(entries == std::vector<std::string>{"2026-06-30 review", "2026-11-01 supplier-41"});
    CHECK(json_api::calendar_of(c, nlohmann::json{{"from", "June"}})["error"].is_string());
}
