// Objectives with targets (/metrics/objectives): what the configuration accepts, and whether each is met,
// on the hand-computed histories of test_metrics.cpp. Certified 2027-01-15; today 2027-11-01.

#include "test_helpers.hpp"

#include <upkeep/kpi_catalog.hpp>
#include <upkeep/metrics.hpp>
#include <upkeep/review_pack.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;
using upkeep::testing::task;

namespace {

configuration_result parsed(const std::string& objectives) {
    return parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2027-01-15"},
      "activities": [
        {"id": "review", "title": "Review", "references": ["A.5.18"], "owner": "itops", "evidence": "List.",
         "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2027-03-01"}}],
      "metrics": {"objectives": )" +
                               objectives + "}}");
}

struct evaluated {
    isms_configuration config;
    std::vector<kpi> kpis;
    std::vector<objective_status> objectives;
};

// The config must outlive the statuses, which point into it.
std::unique_ptr<evaluated> evaluate(const std::string& objectives, const tracker_snapshot& tracker) {
    auto out = std::make_unique<evaluated>();
    const auto result = parsed(objectives);
    REQUIRE(result.problems.empty());
    out->config = result.config;
    const auto report =
        compute_status(out->config, compute_cycle(out->config.certification), tracker, d("2027-11-01"));
    out->kpis = compute_kpis(out->config, report, tracker, d("2027-11-01"));
    out->objectives = evaluate_objectives(out->config, out->kpis);
    return out;
}

tracker_snapshot one_of_three_on_time() {
    // March on time, June late, September missed: 1 of 3.
    tracker_snapshot tracker;
    tracker.tasks = {task("control:review:2027-03-31", 11, "2027-03-30"),
                     task("control:review:2027-06-30", 12, "2027-07-05", "2027-07-04"),
                     task("control:review:2027-09-30", 13, nullptr)};
    return tracker;
}

std::optional<bool> met_now(const objective_status& o) {
    REQUIRE(!o.met.empty());
    return o.met.back();
}

} // namespace

TEST_CASE("the KPI catalog names exactly the KPIs computed, with their units") {
    const auto result = parsed("[]");
    REQUIRE(result.problems.empty());
    const auto report =
        compute_status(result.config, compute_cycle(result.config.certification), {}, d("2027-11-01"));
    const auto kpis = compute_kpis(result.config, report, {}, d("2027-11-01"));
    REQUIRE(kpis.size() == std::size(kpi_catalog));
    for (std::size_t i = 0; i < kpis.size(); ++i) {
        CHECK(kpis[i].id == kpi_catalog[i].id);
        CHECK(kpis[i].unit == kpi_catalog[i].unit);
    }
}

TEST_CASE("a share meets its target exactly, by its counts: 1 of 3 is at least 33%, not at least 34%") {
    const auto e = evaluate(R"([
        {"objective": "Controls on schedule", "kpi": "controls-on-time", "at_least": 33},
        {"objective": "Stricter", "kpi": "controls-on-time", "at_least": 34},
        {"objective": "Ceiling", "kpi": "controls-on-time", "at_most": 33}])",
                            one_of_three_on_time());
    REQUIRE(e->objectives.size() == 3);
    CHECK(met_now(e->objectives[0]) == true);  // 100 x 1 >= 33 x 3
    CHECK(met_now(e->objectives[1]) == false); // 100 x 1 < 34 x 3
    CHECK(met_now(e->objectives[2]) == false); // 33.3% is over 33%
    CHECK(e->objectives[0].target == "at least 33%");
    CHECK(e->objectives[2].target == "at most 33%");
}

TEST_CASE("days and counts against their targets; a period without a value is not measured") {
    tracker_snapshot tracker;
    tracker.has_incidents = true;
    tracker.incidents = {
        {51, "Phishing", "High", true, d("2027-03-01"), d("2027-03-03"),
         d("2027-03-08")}, // resolved in 5 days
        {52, "Lost laptop", "Low", true, d("2027-04-10"), d("2027-04-10"), d("2027-04-11")}}; // in 1 day
    const auto e = evaluate(R"([
        {"objective": "Resolve incidents within 3 days on average", "kpi": "time-to-resolve", "at_most": 3},
        {"objective": "Faster", "kpi": "time-to-resolve", "at_most": 2},
        {"objective": "Few incidents", "kpi": "incidents", "at_most": 1},
        {"objective": "Training", "kpi": "training-completion", "at_least": 90}])",
                            tracker);
    REQUIRE(e->objectives.size() == 4);
    CHECK(met_now(e->objectives[0]) == true); // mean 3.0 days
    CHECK(met_now(e->objectives[1]) == false);
    CHECK(met_now(e->objectives[2]) == false); // 2 incidents
    CHECK(met_now(e->objectives[3]) == std::nullopt);
    CHECK(e->objectives[0].target == "at most 3 days");
    CHECK(e->objectives[2].target == "at most 1");

    const nlohmann::json json = objectives_to_json(e->objectives);
    CHECK(json[0]["objective"] == "Resolve incidents within 3 days on average");
    CHECK(json[0]["kpi"] == "time-to-resolve");
    CHECK(json[0]["direction"] == "at_most");
    CHECK(json[0]["target"] == 3);
    CHECK(json[0]["periods"][0]["audit"] == "surveillance_1");
    CHECK(json[0]["periods"][0]["text"] == "3.0 days");
    CHECK(json[0]["periods"][0]["met"] == true);
    CHECK(json[0]["periods"][0]["result"] == "met");
    CHECK(json[3]["periods"][0]["met"].is_null());
    CHECK(json[3]["periods"][0]["result"] == "not measured");
}

TEST_CASE("the review pack's fulfilment of objectives lists each objective, its target and result") {
    const auto e =
        evaluate(R"([{"objective": "Controls <on> schedule", "kpi": "controls-on-time", "at_least": 95}])",
                 one_of_three_on_time());
    const auto report = compute_status(e->config, compute_cycle(e->config.certification),
                                       one_of_three_on_time(), d("2027-11-01"));
    const std::string pack = render(
        review_pack(e->config, report, e->kpis, one_of_three_on_time(), d("2027-11-01")), markup::html);
    const auto at = pack.find("Fulfilment of information security objectives");
    REQUIRE(at != std::string::npos);
    const std::string section = pack.substr(at, 2000);
    CHECK(section.find("<td>Controls &#60;on&#62; schedule</td>") != std::string::npos); // text, not markup
    CHECK(section.find("at least 95%") != std::string::npos);
    CHECK(section.find("33% (1 of 3)") != std::string::npos);
    CHECK(section.find("not met") != std::string::npos);
}

TEST_CASE("objectives that cannot be read are problems at their pointer") {
    const auto problem_at = [](const std::string& objectives, const std::string& pointer) {
        const auto result = parsed(objectives);
        CAPTURE(objectives);
        for (const diagnostic& p : result.problems)
            if (p.pointer == pointer && p.level == severity::error) return p.message;
        FAIL("no error at " << pointer);
        return std::string();
    };
    CHECK(problem_at(R"([{"objective": "X", "kpi": "uptime", "at_least": 99}])", "/metrics/objectives/0/kpi")
              .starts_with("expected one of Upkeep's KPIs: controls-on-time, "));
    CHECK(problem_at(R"([{"objective": "X", "kpi": "incidents", "at_least": 1, "at_most": 3}])",
                     "/metrics/objectives/0")
              .starts_with("expected one target"));
    CHECK(problem_at(R"([{"objective": "X", "kpi": "incidents"}])", "/metrics/objectives/0")
              .starts_with("expected one target"));
    problem_at(R"([{"objective": "X", "kpi": "controls-on-time", "at_least": 120}])",
               "/metrics/objectives/0/at_least");
    problem_at(R"([{"objective": "", "kpi": "incidents", "at_most": 3}])", "/metrics/objectives/0/objective");
    problem_at(R"(["controls-on-time"])", "/metrics/objectives/0");
    problem_at(R"({"kpi": "incidents"})", "/metrics/objectives");
    CHECK(parsed(R"([{"objective": "Few", "kpi": "incidents", "at_most": 500}])").problems.empty());
}
