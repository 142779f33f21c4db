// The Statement of Applicability: the Annex A catalogue, the starter SoA, the validation rules at their
// JSON pointers, drift on hand-built histories, and the exports (escaping included).

#include "test_helpers.hpp"

#include <upkeep/json_api.hpp>
#include <upkeep/soa.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <set>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::starter_config;
using upkeep::testing::task;
using json = nlohmann::json;

namespace {

// The starter configuration with its SoA changed by `edit` (the control list is /soa/controls).
std::string starter_with(const std::function<void(json&)>& edit) {
    json config = json::parse(starter_config());
    edit(config);
    return config.dump();
}

json& control(json& config, std::string_view id) {
    for (json& c : config["soa"]["controls"])
        if (c["id"] == id) return c;
    FAIL("no control " << id);
    throw;
}

// A control excluded because the organisation has no premises.
json excluded(std::string_view id, std::string_view title) {
    return {{"id", id},
            {"title", title},
            {"applicable", false},
            {"justification", "Fully remote: no premises."},
            {"owner", "ciso"}};
}

// The problem at `pointer` whose message contains `words`, as "level: message" ("" when there is none).
std::string problem_at(const diagnostics& problems, const std::string& pointer,
                       const std::string& words = "") {
    for (const diagnostic& p : problems)
        if (p.pointer == pointer && p.message.find(words) != std::string::npos)
            return std::string(p.level == severity::error ? "error: " : "warning: ") + p.message;
    return "";
}

} // namespace

TEST_CASE("the Annex A catalogue has the 93 controls of ISO/IEC 27001:2022, each once") {
    const std::vector<std::string> ids = annex_a_controls();
    CHECK(ids.size() == 93);
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 93);
    CHECK(ids.front() == "A.5.1");
    CHECK(ids.back() == "A.8.34");
    std::map<char, int> per_theme;
    for (const std::string& id : ids) {
        CHECK_MESSAGE(is_known_reference(id), id);
        ++per_theme[id[2]];
    }
    CHECK(per_theme == std::map<char, int>{{'5', 37}, {'6', 8}, {'7', 14}, {'8', 34}});
    CHECK_FALSE(is_known_reference("A.5.38"));
    CHECK_FALSE(is_known_reference("A.9.1"));
}

TEST_CASE("the starter SoA lists every control with a title, consistent with the starter's activities") {
    const std::string text = starter_config();
    const configuration_result checked = parse_configuration(text);
    CHECK(checked.problems.empty());
    REQUIRE(checked.config.soa);
    const statement_of_applicability& soa = *checked.config.soa;
    CHECK(soa.version == "0.1");
    REQUIRE(soa.controls.size() == 93);
    for (std::size_t i = 0; i < soa.controls.size(); ++i) {
        const soa_control& c = soa.controls[i];
        CHECK(c.id == annex_a_controls()[i]);
        CHECK_FALSE(c.title.empty());
        CHECK(c.applicable);
        // Implemented exactly where an activity operates it, and owned by that activity's owner.
        const std::vector<std::string> activities = operating_activities(checked.config, c.id);
        CHECK_MESSAGE((c.status == implementation_status::implemented) == !activities.empty(), c.id);
        if (!activities.empty()) {
            const auto a = std::find_if(checked.config.activities.begin(), checked.config.activities.end(),
                                        [&](const activity& x) { return x.id == activities.front(); });
            CHECK(c.owner == a->owner);
        }
    }
    CHECK(operating_activities(checked.config, "A.8.13") == std::vector<std::string>{"backup-restore-test"});
}

TEST_CASE("a configuration without /soa has no SoA and no SoA problem") {
    const std::string text = starter_with([](json& c) { c.erase("soa"); });
    const configuration_result checked = parse_configuration(text);
    CHECK(checked.problems.empty());
    CHECK_FALSE(checked.config.soa);
}

TEST_CASE("the SoA's errors name their JSON pointer, and every one is reported at once") {
    const std::string text = starter_with([](json& c) {
        json& controls = c["soa"]["controls"];
        control(c, "A.5.3") = {
            {"id", "A.5.3"}, {"title", "Duties apart"}, {"applicable", false}, {"owner", "ciso"}};
        control(c, "A.5.4")["status"] = "planned";
        control(c, "A.5.5")["planned_for"] = "2027-01-01"; // status implemented
        control(c, "A.5.6")["reasons"] = json::array({"risk", "legal"});
        control(c, "A.5.7").erase("reasons");
        control(c, "A.5.8")["status"] = "done";
        control(c, "A.5.9")["owner"] = "not a login";
        control(c, "A.5.10")["applicable"] = false;
        control(c, "A.5.10")["justification"] = "We hold no assets.";
        controls.push_back(controls[0]);                             // A.5.1 twice
        controls.push_back({{"id", "A.9.1"}, {"title", "No such"}}); // not in Annex A
        controls.erase(controls.begin() + 12);                       // A.5.13 missing
    });
    const configuration_result checked = parse_configuration(text);
    CHECK(problem_at(checked.problems, "/soa/controls/2/justification").empty());
    CHECK(problem_at(checked.problems, "/soa/controls/2", "needs a \"justification\"").starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/3", "needs \"planned_for\"").starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/4/planned_for", "is for a planned control")
              .starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/5/reasons/0", "found \"risk\"").starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/5/reasons/1").empty()); // "legal" is a reason
    CHECK(problem_at(checked.problems, "/soa/controls/6", "needs \"reasons\"").starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/7/status", "\"done\" is not a status")
              .starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/8/owner", "not a tracker login").starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/9/reasons", "is for an applicable control")
              .starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/9/status", "is for an applicable control")
              .starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/92/id", "A.5.1 is already at /soa/controls/0")
              .starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/93/id", "is not an Annex A control")
              .starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/93/applicable", "is missing").starts_with("error"));
    CHECK(problem_at(checked.problems, "/soa/controls/93/status").empty()); // it depends on applicable
    CHECK(problem_at(checked.problems, "/soa/controls", "misses 1 Annex A control (A.5.13)")
              .starts_with("error"));
    CHECK(has_errors(checked.problems));
    CHECK_FALSE(checked.config.soa); // no SoA with errors
}

TEST_CASE("an implemented control that nothing keeps alive, and a reference to an exclusion, are warnings") {
    const std::string text = starter_with([](json& c) {
        control(c, "A.5.3")["status"] = "implemented"; // no activity references A.5.3
        control(c, "A.5.4")["status"] = "implemented";
        control(c, "A.5.4")["operation"] = "Part of every manager's onboarding checklist.";
        control(c, "A.7.1") = excluded("A.7.1", "Boundaries");
    });
    const configuration_result checked = parse_configuration(text);
    CHECK_FALSE(has_errors(checked.problems));
    CHECK(problem_at(checked.problems, "/soa/controls/2", "nothing keeps it alive").starts_with("warning"));
    CHECK(problem_at(checked.problems, "/soa/controls/3").empty()); // its operation says how
    // physical-security-walkthrough references A.7.1.
    const json config = json::parse(text);
    std::string pointer;
    for (std::size_t a = 0; a < config["activities"].size(); ++a)
        for (std::size_t r = 0; r < config["activities"][a]["references"].size(); ++r)
            if (config["activities"][a]["references"][r] == "A.7.1")
                pointer = "/activities/" + std::to_string(a) + "/references/" + std::to_string(r);
    REQUIRE_FALSE(pointer.empty());
    CHECK(problem_at(checked.problems, pointer, "A.7.1 is excluded in the SoA").starts_with("warning"));
    CHECK(checked.config.soa); // warnings keep the SoA
}

namespace {

struct history {
    isms_configuration config;
    statement_of_applicability soa;
    tracker_snapshot tracker;
};

history starter_history(const std::function<void(json&)>& edit) {
    const std::string text = starter_with(edit);
    history h;
    h.config = parse_configuration(text).config;
    REQUIRE(h.config.soa);
    h.soa = *h.config.soa;
    return h;
}

std::vector<soa_drift_item> drift_of(const history& h, const std::string& today) {
    const status_report report =
        compute_status(h.config, compute_cycle(h.config.certification), h.tracker, d(today));
    return soa_drift(h.soa, h.config, report, h.tracker);
}

const soa_drift_item* find(const std::vector<soa_drift_item>& drift, soa_drift_kind kind,
                           std::string_view control) {
    for (const soa_drift_item& item : drift)
        if (item.kind == kind && item.control == control) return &item;
    return nullptr;
}

} // namespace

TEST_CASE("drift: an applicable control whose activity is overdue in the period, until its task is done") {
    history h = starter_history([](json&) {});
    // The backup restore test (A.8.13) is quarterly; by 2026-12-01 two of its occurrences have fallen due.
    const status_report report =
        compute_status(h.config, compute_cycle(h.config.certification), h.tracker, d("2026-12-01"));
    std::vector<std::string> due;
    for (const occurrence_status& o : report.periods.back().occurrences)
        if (o.activity == "backup-restore-test" && o.state == occurrence_state::overdue)
            due.push_back(format_iso_date(o.due));
    REQUIRE(due.size() >= 1);
    h.tracker.tasks.push_back(task(("control:backup-restore-test:" + due[0]).c_str(), 41));
    const auto drift = drift_of(h, "2026-12-01");
    const soa_drift_item* item = find(drift, soa_drift_kind::activity_behind, "A.8.13");
    REQUIRE(item);
    CHECK(item->activity == "backup-restore-test");
    CHECK(item->overdue == due.size());
    CHECK(item->missed == 0);
    CHECK(item->ticket_id == 41); // the oldest overdue occurrence's ticket
    CHECK(item->what.starts_with("A.8.13 (Backups): \"Backup restore test\" has "));

    h.tracker.tasks.clear();
    for (std::size_t i = 0; i < due.size(); ++i)
        h.tracker.tasks.push_back(task(("control:backup-restore-test:" + due[i]).c_str(),
                                       50 + static_cast<long long>(i), due[i].c_str(), due[i].c_str()));
    CHECK_FALSE(find(drift_of(h, "2026-12-01"), soa_drift_kind::activity_behind, "A.8.13"));
    // A control excluded from the SoA is never behind, whatever its activities.
    CHECK_FALSE(find(drift, soa_drift_kind::activity_behind, "A.5.13")); // no activity references it
}

TEST_CASE("drift: a planned control past its date") {
    history h = starter_history([](json& c) {
        control(c, "A.8.11")["status"] = "planned";
        control(c, "A.8.11")["planned_for"] = "2026-11-20";
        control(c, "A.8.12")["status"] = "planned";
        control(c, "A.8.12")["planned_for"] = "2026-12-01";
    });
    const auto drift = drift_of(h, "2026-12-01");
    const soa_drift_item* item = find(drift, soa_drift_kind::planned_past_date, "A.8.11");
    REQUIRE(item);
    CHECK(item->what == "A.8.11 (Data masked) was planned to be in place by 2026-11-20 (11 days ago)");
    CHECK(item->date == d("2026-11-20"));
    CHECK_FALSE(find(drift, soa_drift_kind::planned_past_date, "A.8.12")); // due today: not past
}

TEST_CASE("drift: an exclusion not reviewed since a change that revisited the scope") {
    history h = starter_history([](json& c) {
        for (const char* id : {"A.7.4", "A.7.6", "A.7.12"}) {
            control(c, id) = excluded(id, "Premises");
            control(c, id)["reviewed_on"] = "2026-09-01";
        }
        control(c, "A.7.12")["reviewed_on"] = "2026-10-20";
        control(c, "A.7.6").erase("reviewed_on");
    });
    CHECK_FALSE(
        find(drift_of(h, "2026-12-01"), soa_drift_kind::exclusion_unreviewed, "A.7.4")); // no change yet

    change_record change;
    change.id = 12;
    change.assessment = assessment_record{1, d("2026-10-15"), "alice"};
    h.tracker.changes.push_back(change);
    follow_up_record risk;
    risk.id = 13;
    risk.change_id = 12;
    risk.key = follow_up_key(12, "risk-assessment");
    h.tracker.follow_ups.push_back(risk);
    // A follow-up on the risk assessment alone does not revisit the scope.
    CHECK_FALSE(find(drift_of(h, "2026-12-01"), soa_drift_kind::exclusion_unreviewed, "A.7.4"));

    follow_up_record scope = risk;
    scope.id = 14;
    scope.key = follow_up_key(12, "scope-review");
    h.tracker.follow_ups.push_back(scope);
    const auto drift = drift_of(h, "2026-12-01");
    const soa_drift_item* item = find(drift, soa_drift_kind::exclusion_unreviewed, "A.7.4");
    REQUIRE(item);
    CHECK(
        item->what ==
        "A.7.4 (Premises) is excluded, and not reviewed since change #12 revisited the scope on 2026-10-15");
    CHECK(item->ticket_id == 12);
    CHECK(find(drift, soa_drift_kind::exclusion_unreviewed, "A.7.6"));        // never reviewed
    CHECK_FALSE(find(drift, soa_drift_kind::exclusion_unreviewed, "A.7.12")); // reviewed after the change

    h.tracker.follow_ups.back().withdrawn = true; // the assessment no longer calls for it
    CHECK_FALSE(find(drift_of(h, "2026-12-01"), soa_drift_kind::exclusion_unreviewed, "A.7.4"));
    CHECK(soa_drift_to_json(drift)[0].contains("kind"));
}

TEST_CASE(
    "the SoA exports: CSV with the last evidence and ticket links, a document that escapes typed text") {
    history h = starter_history([](json& c) {
        c["soa"]["approved_by"] = "ceo";
        c["soa"]["approved_on"] = "2026-04-01";
        control(c, "A.8.13")["title"] = "=Backups, \"tested\"";
        control(c, "A.8.13")["justification"] = "<b>Customers</b> ask";
        control(c, "A.7.1") = excluded("A.7.1", "Boundaries *of* sites");
    });
    const status_report before =
        compute_status(h.config, compute_cycle(h.config.certification), h.tracker, d("2026-12-01"));
    std::vector<std::string> due;
    for (const occurrence_status& o : before.periods.back().occurrences)
        if (o.activity == "backup-restore-test" && o.counted) due.push_back(format_iso_date(o.due));
    REQUIRE(due.size() >= 2);
    h.tracker.tasks.push_back(
        task(("control:backup-restore-test:" + due[0]).c_str(), 41, due[0].c_str(), due[0].c_str()));
    h.tracker.tasks.push_back(
        task(("control:backup-restore-test:" + due[1]).c_str(), 42, due[1].c_str(), due[1].c_str()));
    const status_report report =
        compute_status(h.config, compute_cycle(h.config.certification), h.tracker, d("2026-12-01"));
    const period_status& period = report.periods.back();

    const std::string csv = soa_csv(h.soa, h.config, &period, {"#", "https://redmine.example/issues/"});
    CHECK(csv.starts_with("id,title,applicable,reasons,justification,status,planned_for,owner,activities,"
                          "operation,last_evidence,evidence_ticket,tickets\r\n"
                          "A.5.1,"));
    CHECK(csv.find(
              "\r\nA.8.13,\"'=Backups, \"\"tested\"\"\",yes,risk_treatment,<b>Customers</b> ask,implemented,,"
              "itops,backup-restore-test,," +
              due[1] +
              ",https://redmine.example/issues/42,https://redmine.example/issues/41 "
              "https://redmine.example/issues/42") != std::string::npos);
    CHECK(csv.find("\r\nA.7.1,Boundaries *of* sites,no,,Fully remote: no premises.,,,ciso,"
                   "physical-security-walkthrough,,,,\r\n") != std::string::npos);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 94);

    const std::string html = render(soa_document(h.soa, h.config, &period), markup::html,
                                    {"#", "https://redmine.example/issues/"});
    CHECK(html.find("Version 0.1, approved by ceo on 2026-04-01.") != std::string::npos);
    CHECK(html.find("&#60;b&#62;Customers&#60;/b&#62; ask") != std::string::npos);
    CHECK(html.find("<b>Customers") == std::string::npos);
    CHECK(html.find(due[1] + " (<a href=\"https://redmine.example/issues/42\">#42</a>)") !=
          std::string::npos);
    CHECK(html.find("92 of 93 controls apply") != std::string::npos);
    const std::string markdown = render(soa_document(h.soa, h.config, &period), markup::markdown);
    CHECK(markdown.find("Boundaries \\*of\\* sites") != std::string::npos);
    CHECK(markdown.find("## Excluded controls") != std::string::npos);
}

TEST_CASE("the status panel's figures carry the SoA and its drift; its exports are files for the auditor") {
    history h = starter_history([](json& c) {
        control(c, "A.8.11")["status"] = "planned";
        control(c, "A.8.11")["planned_for"] = "2026-11-20";
    });
    const json status = json_api::status_of(h.config, h.tracker, {{"today", "2026-12-01"}});
    REQUIRE(status.contains("soa"));
    CHECK(status["soa"]["controls"] == 93);
    CHECK(status["soa"]["applicable"] == 93);
    CHECK(status["soa"]["planned"] == 1);
    CHECK(status["soa"]["implemented"].get<int>() + status["soa"]["not_implemented"].get<int>() == 92);
    const json& drift = status["soa"]["drift"];
    CHECK(std::any_of(drift.begin(), drift.end(), [](const json& d) {
        return d["kind"] == "planned_past_date" && d["control"] == "A.8.11" && d["date"] == "2026-11-20";
    }));

    const json csv = json_api::export_of(
        h.config, h.tracker, {{"kind", "soa_csv"}, {"today", "2026-12-01"}, {"ticket_url", "/issues/"}});
    CHECK(csv["filename"] == "statement-of-applicability-0.1.csv");
    CHECK(csv["text"].get<std::string>().starts_with("id,title,applicable,"));
    const json html =
        json_api::export_of(h.config, h.tracker, {{"kind", "soa_html"}, {"today", "2026-12-01"}});
    CHECK(html["filename"] == "statement-of-applicability-0.1.html");
    CHECK(html["text"].get<std::string>().find("<h1>Statement of Applicability: Acme</h1>") !=
          std::string::npos);

    h.config.soa.reset();
    CHECK_FALSE(json_api::status_of(h.config, h.tracker, {{"today", "2026-12-01"}}).contains("soa"));
    CHECK(json_api::export_of(h.config, h.tracker, {{"kind", "soa_csv"}, {"today", "2026-12-01"}})["error"] ==
          "the configuration has no Statement of Applicability (/soa)");
}

TEST_CASE("a review of the SoA names the version it leaves in force") {
    const history h = starter_history([](json& c) {
        c["soa"]["version"] = "1.2";
        c["soa"]["approved_by"] = "ceo";
        c["soa"]["approved_on"] = "2026-04-01";
    });
    std::vector<std::string> reviewing;
    for (const activity& a : h.config.activities)
        if (reviews_soa(a)) reviewing.push_back(a.id);
    CHECK(reviewing == std::vector<std::string>{"soa-review", "risk-treatment-plan-review"});
    CHECK(soa_in_force(h.soa, "wiki page ISMS_configuration, version 17") ==
          "Statement of Applicability in force: version 1.2, approved by ceo on 2026-04-01; the "
          "configuration as "
          "of wiki page ISMS_configuration, version 17.");
    statement_of_applicability draft = h.soa;
    draft.approved_by.clear();
    draft.approved_on.reset();
    CHECK(
        soa_in_force(draft, "the file").starts_with("Statement of Applicability in force: version 1.2; the"));
}
