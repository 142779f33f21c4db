// The frameworks beside ISO 27001: the catalogues' completeness, references to their requirements
// checked at their JSON pointers, coverage, and a configuration narrowed to one framework.

#include "test_helpers.hpp"

#include <upkeep/frameworks.hpp>
#include <upkeep/json_api.hpp>

#include <nlohmann/json.hpp>

#include <set>

using namespace upkeep;
using upkeep::testing::starter_config;
using json = nlohmann::json;

namespace {

std::vector<std::string> ids_of(const framework& f) {
    std::vector<std::string> ids;
    for (const framework_requirement& r : f.requirements)
        ids.emplace_back(r.id);
    return ids;
}

json starter() {
    return json::parse(starter_config());
}

std::string message_at(const diagnostics& problems, const std::string& pointer) {
    for (const diagnostic& p : problems)
        if (p.pointer == pointer) return p.message;
    return "";
}

} // namespace

TEST_CASE("each catalogue lists its framework's requirements, each once, each with a title") {
    std::set<std::string_view> keys;
    for (const framework& f : frameworks()) {
        CHECK(keys.insert(f.key).second);
        const std::vector<std::string> ids = ids_of(f);
        CHECK_MESSAGE(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size(), f.key);
        for (const framework_requirement& r : f.requirements)
            CHECK_MESSAGE(!r.title.empty(), r.id);
    }
    CHECK(keys == std::set<std::string_view>{"soc2", "nis2", "dora", "iso22301"});

    // SOC 2: the common criteria CC1.1 to CC9.2 (5, 3, 4, 2, 3, 8, 5, 1, 2), A1, C1, PI1 and P1 to P8.
    const std::vector<std::string> soc2 = ids_of(*find_framework("soc2"));
    CHECK(soc2.size() == 61);
    std::map<std::string, int> per_series;
    for (const std::string& id : soc2)
        ++per_series[id.substr(0, id.find('.'))];
    CHECK(per_series == std::map<std::string, int>{{"A1", 3},  {"C1", 2},  {"CC1", 5}, {"CC2", 3},
                                                   {"CC3", 4}, {"CC4", 2}, {"CC5", 3}, {"CC6", 8},
                                                   {"CC7", 5}, {"CC8", 1}, {"CC9", 2}, {"P1", 1},
                                                   {"P2", 1},  {"P3", 2},  {"P4", 3},  {"P5", 2},
                                                   {"P6", 7},  {"P7", 1},  {"P8", 1},  {"PI1", 5}});
    // NIS2 Article 21(2), points (a) to (j).
    std::vector<std::string> nis2;
    for (char point = 'a'; point <= 'j'; ++point)
        nis2.push_back(std::string("21(2)(") + point + ")");
    CHECK(ids_of(*find_framework("nis2")) == nis2);
    // DORA Chapter II, Articles 5 to 16.
    std::vector<std::string> dora;
    for (int article = 5; article <= 16; ++article)
        dora.push_back("Art." + std::to_string(article));
    CHECK(ids_of(*find_framework("dora")) == dora);
    // ISO 22301:2019, clauses 4.1 to 10.2.
    const std::vector<std::string> iso22301 = ids_of(*find_framework("iso22301"));
    CHECK(iso22301.size() == 26);
    CHECK(iso22301.front() == "4.1");
    CHECK(iso22301.back() == "10.2");
    CHECK(find_framework("soc3") == nullptr);
}

TEST_CASE(
    "an activity references the frameworks the configuration follows; others are errors at their pointer") {
    json config = starter();
    config["frameworks"] = {"soc2", "nis2"};
    config["activities"][0]["references"].push_back("soc2:CC3.2");
    config["activities"][0]["references"].push_back("nis2:21(2)(a)");
    const configuration_result good = parse_configuration(config.dump());
    CHECK_FALSE(has_errors(good.problems));
    CHECK(good.config.frameworks == std::vector<std::string>{"soc2", "nis2"});
    CHECK(good.config.activities[0].references.back() == "nis2:21(2)(a)");

    config["activities"][1]["references"].push_back("dora:Art.9"); // not followed
    config["activities"][2]["references"].push_back("soc2:CC9.9"); // no such criterion
    config["activities"][3]["references"].push_back("soc3:CC1.1"); // no such framework
    config["changes"]["follow_ups"][0]["references"].push_back("nis2:21(2)(k)");
    config["suppliers"]["references"].push_back("dora:Art.28");
    const std::size_t r1 = config["activities"][1]["references"].size() - 1;
    const std::size_t r2 = config["activities"][2]["references"].size() - 1;
    const std::size_t r3 = config["activities"][3]["references"].size() - 1;
    const std::size_t f0 = config["changes"]["follow_ups"][0]["references"].size() - 1;
    const std::size_t s0 = config["suppliers"]["references"].size() - 1;
    const diagnostics problems = parse_configuration(config.dump()).problems;
    CHECK(message_at(problems, "/activities/1/references/" + std::to_string(r1)) ==
          "names DORA ICT risk management (Articles 5 to 16), which /frameworks does not list: add \"dora\" "
          "there");
    CHECK(message_at(problems, "/activities/2/references/" + std::to_string(r2)) ==
          "\"CC9.9\" is not a requirement of SOC 2 Trust Services Criteria (CC1.1 to P8.1)");
    CHECK(message_at(problems, "/activities/3/references/" + std::to_string(r3)) ==
          "\"soc3\" is not a framework Upkeep knows (soc2, nis2, dora, iso22301)");
    CHECK(message_at(problems, "/changes/follow_ups/0/references/" + std::to_string(f0)) ==
          "\"21(2)(k)\" is not a requirement of NIS2 Article 21(2) (21(2)(a) to 21(2)(j))");
    CHECK(message_at(problems, "/suppliers/references/" + std::to_string(s0)).starts_with("names DORA"));

    json listed = starter();
    listed["frameworks"] = {"soc2", "pci", "soc2"};
    const diagnostics bad_list = parse_configuration(listed.dump()).problems;
    CHECK(message_at(bad_list, "/frameworks/1") ==
          "\"pci\" is not a framework Upkeep knows: use soc2, nis2, dora, iso22301");
    CHECK(message_at(bad_list, "/frameworks/2") == "\"soc2\" is listed twice");
}

TEST_CASE("coverage: each requirement with the activities that address it, and those nothing addresses") {
    json config = starter();
    config["frameworks"] = {"nis2"};
    config["activities"][0]["references"].push_back("nis2:21(2)(a)");
    config["activities"][1]["references"].push_back("nis2:21(2)(a)");
    config["activities"][2]["references"].push_back("nis2:21(2)(d)");
    const isms_configuration parsed = parse_configuration(config.dump()).config;
    const framework& nis2 = *find_framework("nis2");
    const std::vector<requirement_coverage> rows = coverage(parsed, nis2);
    REQUIRE(rows.size() == 10);
    CHECK(rows[0].id == "21(2)(a)");
    CHECK(rows[0].activities == std::vector<std::string>{parsed.activities[0].id, parsed.activities[1].id});
    CHECK(rows[3].activities == std::vector<std::string>{parsed.activities[2].id});
    CHECK(rows[1].activities.empty());
    const json out = coverage_to_json(nis2, rows);
    CHECK(out["addressed"] == 2);
    CHECK(out["total"] == 10);
    CHECK(out["requirements"][3]["title"] == "Supply chain security");

    // Narrowed to the framework: only the activities that address it, for its status, register and calendar.
    const isms_configuration narrowed = narrowed_to(parsed, nis2);
    REQUIRE(narrowed.activities.size() == 3);
    CHECK(narrowed.activities[2].id == parsed.activities[2].id);
    CHECK(narrowed_to(parsed, *find_framework("soc2")).activities.empty());
}

TEST_CASE("the status panel's figures, files and calendar narrow to a framework the configuration follows") {
    json document = starter();
    document["frameworks"] = {"nis2"};
    document["activities"][0]["references"].push_back("nis2:21(2)(a)");
    const isms_configuration config = parse_configuration(document.dump()).config;
    const std::string only = config.activities[0].id;

    const json all = json_api::status_of(config, {}, {{"today", "2026-11-22"}});
    CHECK(all["frameworks"].size() == 1);
    CHECK(all["frameworks"][0]["key"] == "nis2");
    CHECK(all["frameworks"][0]["name"] == "NIS2 Article 21(2)");
    CHECK_FALSE(all.contains("coverage"));
    const json narrowed = json_api::status_of(config, {}, {{"today", "2026-11-22"}, {"framework", "nis2"}});
    REQUIRE(narrowed.contains("report"));
    for (const json& o : narrowed["report"]["periods"][0]["occurrences"])
        CHECK(o["activity"] == only);
    CHECK(narrowed["coverage"]["addressed"] == 1);
    CHECK(json_api::status_of(config, {}, {{"today", "2026-11-22"}, {"framework", "soc2"}})["error"] ==
          "framework: \"soc2\" is not a framework the configuration follows");

    // Another activity's closed ticket is left out of the framework's figures, not counted as a ticket the
    // configuration no longer schedules.
    const std::string other = config.activities[1].id;
    const json with_other = json_api::status_of(config, {}, {{"today", "2026-11-22"}});
    std::string due;
    for (const json& o : with_other["report"]["periods"][0]["occurrences"])
        if (o["activity"] == other && due.empty()) due = o["due"];
    REQUIRE_FALSE(due.empty());
    tracker_snapshot tracker;
    tracker.tasks.push_back(
        upkeep::testing::task(("control:" + other + ":" + due).c_str(), 7, due.c_str(), due.c_str()));
    const json narrowed_with_ticket =
        json_api::status_of(config, tracker, {{"today", "2026-11-22"}, {"framework", "nis2"}});
    CHECK(narrowed_with_ticket["report"]["periods"][0]["occurrences"] ==
          narrowed["report"]["periods"][0]["occurrences"]);
    CHECK(narrowed_with_ticket["report"]["ticket_problems"].empty());
    CHECK(tasks_of(tracker, narrowed_to(config, *find_framework("nis2"))).tasks.empty());

    const json reg = json_api::export_of(
        config, {}, {{"kind", "register_json"}, {"today", "2026-11-22"}, {"framework", "nis2"}});
    for (const json& row : json::parse(reg["text"].get<std::string>())["occurrences"])
        CHECK(row["activity"] == only);
    const json calendar =
        json_api::calendar_of(config, {{"from", "2026-11-22"}, {"to", "2027-11-22"}, {"framework", "nis2"}});
    for (const json& e : calendar["entries"])
        CHECK((e["kind"] == "audit" || e["id"] == only));
}
