#include "test_helpers.hpp"

#include <upkeep/default_configuration.hpp>
#include <upkeep/isms_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace upkeep;
using upkeep::testing::d;

namespace {

using json = nlohmann::json;

json valid_config() {
    return json::parse(R"({
      "version": 1,
      "organisation": {"name": "Acme", "isms_scope": "All of Acme"},
      "certification": {"decision_date": "2026-03-15", "certification_body": "CB"},
      "activities": [{
        "id": "access-review", "title": "Access review", "references": ["A.5.18"], "owner": "itops",
        "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", "start": "2026-04-01"},
        "lead_time_days": 14, "instructions": "Review.", "evidence": "Signed list."
      }]
    })");
}

std::vector<std::string> problems_of(const json& config) {
    std::vector<std::string> out;
    for (const diagnostic& p : parse_configuration(config.dump()).problems)
        out.push_back(p.to_string());
    return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

TEST_CASE("a valid configuration parses into the model") {
    const auto result = parse_configuration(valid_config().dump());
    REQUIRE(result.problems.empty());
    const activity& a = result.config.activities.at(0);
    CHECK(a.id == "access-review");
    CHECK(a.cadence.dates.dtstart == d("2026-04-01"));
    CHECK(a.cadence.rrule_text == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1");
    CHECK(a.lead_time_days == 14);
    CHECK(result.config.certification.decision_date == d("2026-03-15"));
}

TEST_CASE("the embedded starter configuration is valid and complete") {
    const std::string text = make_starter_configuration({"Acme", d("2026-03-15")});
    const auto result = parse_configuration(text);
    for (const auto& p : result.problems)
        INFO(p.to_string());
    CHECK(result.problems.empty());
    std::vector<std::string> ids;
    for (const activity& a : result.config.activities)
        ids.push_back(a.id);
    for (const char* required : {"risk-assessment-review",
                                 "risk-treatment-plan-review",
                                 "soa-review",
                                 "policy-review",
                                 "access-review",
                                 "privileged-access-review",
                                 "vulnerability-management",
                                 "penetration-test",
                                 "backup-restore-test",
                                 "ict-continuity-test",
                                 "supplier-review",
                                 "awareness-training",
                                 "phishing-simulation",
                                 "log-review",
                                 "asset-inventory-review",
                                 "legal-register-review",
                                 "incident-response-exercise",
                                 "internal-audit",
                                 "management-review",
                                 "objectives-metrics-review"})
        CHECK_MESSAGE(std::find(ids.begin(), ids.end(), required) != ids.end(), required);
    for (const activity& a : result.config.activities) {
        CHECK_MESSAGE(!a.evidence.empty(), a.id);
        CHECK_MESSAGE(!a.instructions.empty(), a.id);
        CHECK_MESSAGE(!a.references.empty(), a.id);
    }
}

TEST_CASE("the starter calendar puts the internal audit and management review before surveillance 1") {
    const auto result = parse_configuration(make_starter_configuration({"Acme", d("2026-03-15")}));
    const auto first_due = [&](const std::string& id) {
        const auto it = std::find_if(result.config.activities.begin(), result.config.activities.end(),
                                     [&](const activity& a) { return a.id == id; });
        REQUIRE(it != result.config.activities.end());
        return *after(it->cadence.dates, d("2026-03-15"), true);
    };
    CHECK(first_due("risk-assessment-review") < first_due("soa-review"));
    CHECK(first_due("internal-audit") < first_due("management-review"));
    CHECK(first_due("management-review") < d("2027-03-15"));
}

TEST_CASE("the starter's context review asks whether climate change is a relevant issue (Amendment 1)") {
    const auto result = parse_configuration(make_starter_configuration({"Acme", d("2026-03-15")}));
    const auto review = std::find_if(result.config.activities.begin(), result.config.activities.end(),
                                     [](const activity& a) { return a.id == "isms-context-review"; });
    REQUIRE(review != result.config.activities.end());
    CHECK(review->references == std::vector<std::string>{"4.1", "4.2", "4.3"});
    CHECK(review->instructions.find("Decide whether climate change is a relevant issue") !=
          std::string::npos);
}

TEST_CASE("every problem is reported at once with its JSON pointer") {
    json config = valid_config();
    config["activities"][0]["cadence"]["rrule"] = "FREQ=MONTHLY;BYMONTHDAY=32";
    config["activities"][0]["owner"] = "two words";
    config["activities"][0]["references"] = {"A.5.38", "9.4", 7};
    config["activities"][0]["lead_time_days"] = 400;
    config["certification"]["decision_date"] = "2026-02-30";
    config["organisation"].erase("name");
    const auto problems = problems_of(config);
    CHECK(contains(problems, "/activities/0/cadence/rrule: BYMONTHDAY=32 is out of range 1..31 or -31..-1"));
    CHECK(contains(
        problems, "/activities/0/owner: \"two words\" is not a tracker login or group: write a login such as "
                  "\"alice\" or \"group:Security team\""));
    CHECK(contains(problems,
                   "/activities/0/references/0: \"A.5.38\" is not an ISO 27001:2022 clause (4.1 to 10.2) or "
                   "Annex A control (A.5.1 to A.8.34)"));
    CHECK(contains(problems,
                   "/activities/0/references/1: \"9.4\" is not an ISO 27001:2022 clause (4.1 to 10.2) or "
                   "Annex A control (A.5.1 to A.8.34)"));
    CHECK(contains(
        problems,
        "/activities/0/references/2: expected a string such as \"9.2\" or \"A.5.18\", found a number"));
    CHECK(contains(problems, "/activities/0/lead_time_days: 400 is out of range 0..366"));
    CHECK(contains(problems, "/certification/decision_date: \"2026-02-30\" is not a date: write YYYY-MM-DD"));
    CHECK(contains(problems, "/organisation/name: is missing: expected a string"));
    CHECK(problems.size() == 8);
}

TEST_CASE("unknown fields are reported, with a suggestion when one is close") {
    json config = valid_config();
    config["activities"][0]["owners"] = "itops";
    config["colour"] = "blue";
    config["activities"][0]["cadence"]["exdate"] = json::array();
    const auto problems = problems_of(config);
    CHECK(contains(problems, "/activities/0/owners: is not a known field: did you mean \"owner\"?"));
    CHECK(
        contains(problems, "/activities/0/cadence/exdate: is not a known field: did you mean \"exdates\"?"));
    CHECK(contains(problems, "/colour: is not a known field (known here: version organisation certification "
                             "frameworks activities nonconformities sync changes metrics suppliers soa)"));
}

TEST_CASE("wrong types, duplicate ids, bad ids and cadences that never fire are errors") {
    json config = valid_config();
    config["activities"].push_back(config["activities"][0]);
    config["activities"][1]["cadence"] = {{"rrule", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"},
                                          {"start", "2026-01-01"}};
    config["activities"].push_back(config["activities"][0]);
    config["activities"][2]["id"] = "Access Review";
    config["activities"][2]["title"] = "  ";
    config["activities"].push_back("not an object");
    config["version"] = 3;
    const auto problems = problems_of(config);
    CHECK(contains(
        problems,
        "/activities/1/id: \"access-review\" is already the id of /activities/0: ids must be unique"));
    CHECK(contains(problems,
                   "/activities/1/cadence: the cadence never produces a due date from 2026-01-01: check that "
                   "its BYxxx parts can match a real date (and UNTIL is after the start)"));
    CHECK(contains(
        problems, "/activities/2/id: \"Access Review\" is not a valid id: use 1-63 lowercase letters, digits "
                  "and dashes, such as \"access-review\""));
    CHECK(contains(problems, "/activities/2/title: is empty: write some text"));
    CHECK(contains(problems, "/activities/3: expected an activity object, found a string"));
    CHECK(contains(problems, "/version: 3 is out of range 1..2"));
}

TEST_CASE("JSON syntax errors say where") {
    const auto result = parse_configuration("{\n  \"version\": 1,\n  \"organisation\": }\n");
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].pointer.empty());
    CHECK(result.problems[0].message.find("not valid JSON: parse error at line 3, column 19") !=
          std::string::npos);
    CHECK(parse_configuration("[]").problems.at(0).message.find("found a list") != std::string::npos);
}

TEST_CASE("pointer tokens escape ~ and /") {
    json config = valid_config();
    config["a/b~c"] = 1;
    CHECK(
        contains(problems_of(config),
                 "/a~1b~0c: is not a known field (known here: version organisation "
                 "certification frameworks activities nonconformities sync changes metrics suppliers soa)"));
}

TEST_CASE("references accept clauses and Annex A controls of the 2022 edition only") {
    for (const char* ok : {"4.1", "6.1.2", "6.1.3", "7.5.3", "8.2", "9.2.2", "9.3.3", "10.2", "A.5.1",
                           "A.5.37", "A.6.8", "A.7.14", "A.8.34"})
        CHECK_MESSAGE(is_known_reference(ok), ok);
    for (const char* bad :
         {"A.5.38", "A.9.1", "A.8.0", "A.08.1", "11.1", "6.1.4", "A.5", "A.5.1.1", "", "A.", "5.18"})
        CHECK_MESSAGE(!is_known_reference(bad), bad);
}

TEST_CASE("audit dates and statuses are read from the certification") {
    json config = valid_config();
    config["certification"]["audits"] = {{"surveillance_1", {{"date", "2027-02-10"}, {"status", "held"}}},
                                         {"recertification", {{"date", "2029-01-10"}, {"status", "booked"}}}};
    const auto problems = problems_of(config);
    CHECK(contains(
        problems,
        "/certification/audits/recertification/status: \"booked\" is not a status: use planned or held"));
    config["certification"]["audits"]["recertification"]["status"] = "planned";
    const auto result = parse_configuration(config.dump());
    REQUIRE(result.problems.empty());
    CHECK(result.config.certification.surveillance_1->status == audit_status::held);
    CHECK(result.config.certification.recertification->date == d("2029-01-10"));
}

TEST_CASE("a format 1 configuration still reads, with the format 2 spelling of its tracker words named") {
    json config = json::parse(upkeep::testing::starter_config());
    CHECK(config["version"] == 2);
    config["version"] = 1;
    config["changes"].erase("ticket_types");
    config["changes"]["trackers"] = json::array({"Change request"});
    config["metrics"] = {{"incidents", {{"tracker", "Security event"}}}};
    const auto result = parse_configuration(config.dump());
    CHECK(!has_errors(result.problems));
    CHECK(result.config.changes.ticket_types == std::vector<std::string>{"Change request"});
    CHECK(result.config.metrics.incident_ticket_type == "Security event");
    std::vector<std::string> warnings;
    for (const diagnostic& p : result.problems)
        if (p.level == severity::warning) warnings.push_back(p.to_string());
    CHECK(contains(
        warnings,
        "warning: /changes/trackers: the format 1 spelling: write \"ticket_types\" (and \"version\": 2); "
        "`upkeep init` writes format 2"));
    CHECK(contains(warnings,
                   "warning: /metrics/incidents/tracker: the format 1 spelling: write \"ticket_type\" (and "
                   "\"version\": 2); `upkeep init` writes format 2"));
    // In format 2, the old words are errors that say the new ones.
    config["version"] = 2;
    const auto v2 = parse_configuration(config.dump()).problems;
    std::vector<std::string> errors;
    for (const diagnostic& p : v2)
        if (p.level == severity::error) errors.push_back(p.to_string());
    CHECK(errors ==
          std::vector<std::string>{
              "/changes/trackers: is the format 1 spelling: format 2 calls it \"ticket_types\"",
              "/metrics/incidents/tracker: is the format 1 spelling: format 2 calls it \"ticket_type\""});
}

TEST_CASE(
    "owners' account ids for a tracker that assigns by id: each an owner and a plain id, at its pointer") {
    json config = valid_config();
    config["sync"] = {
        {"owner_accounts", {{"itops", "5b10ac8d82e05b22cc7d4ef5"}, {"group:Security team", "5b10a0ef"}}}};
    const auto result = parse_configuration(config.dump());
    REQUIRE(result.problems.empty());
    CHECK(result.config.sync.owner_accounts.at("itops") == "5b10ac8d82e05b22cc7d4ef5");
    CHECK(result.config.sync.owner_accounts.at("group:Security team") == "5b10a0ef");

    config["sync"] = {
        {"owner_accounts", {{"it ops", "5b10"}, {"itops", ""}, {"secops", "5b10 ac8d"}, {"hr", 7}}}};
    const auto problems = problems_of(config);
    CHECK(contains(problems, "/sync/owner_accounts/it ops: \"it ops\" is not an owner: write it as the "
                             "activities do"));
    for (const char* owner : {"itops", "secops", "hr"})
        CHECK(contains(problems,
                       "/sync/owner_accounts/" + std::string(owner) +
                           ": expected the owner's account id, such as \"5b10ac8d82e05b22cc7d4ef5\""));
    config["sync"] = {{"owner_accounts", json::array()}};
    CHECK(!parse_configuration(config.dump()).problems.empty());
}

TEST_CASE("the accounts that act as Upkeep: Redmine's logins and Jira's account ids, at their pointer") {
    json config = valid_config();
    config["sync"] = {{"accounts", {"upkeep-bot", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"}}};
    const auto result = parse_configuration(config.dump());
    REQUIRE(result.problems.empty());
    CHECK(result.config.sync.accounts ==
          std::vector<std::string>{"upkeep-bot", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"});

    config["sync"] = {{"accounts", {"upkeep bot", "", "group:Security team", 7}}};
    const auto problems = problems_of(config);
    for (int i = 0; i < 4; ++i)
        CHECK(contains(problems, "/sync/accounts/" + std::to_string(i) +
                                     ": expected a tracker login such as \"upkeep-bot\" or an account id"));
}
