// The JSON calls shared by the CLI and the WebAssembly module, checked against the fixtures that the
// wasm build runs too (tests/fixtures/json_api_cases.json), so the two builds cannot disagree.

#include "test_helpers.hpp"

#include <upkeep/json_api.hpp>

#include <upkeep/certification_cycle.hpp>
#include <upkeep/icalendar.hpp>
#include <upkeep/isms_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

using json = nlohmann::json;

TEST_CASE("shared JSON API fixtures give the expected answers") {
    std::ifstream in(UPKEEP_FIXTURES_DIR "/json_api_cases.json");
    REQUIRE(in);
    const json cases = json::parse(in);
    REQUIRE(cases.size() >= 10);
    for (const json& c : cases) {
        const std::string name = c.at("name").get<std::string>();
        const std::string call = c.at("call").get<std::string>();
        const auto config = [&] {
            return c.at("config").is_string() ? c.at("config").get<std::string>() : c.at("config").dump();
        };
        std::string answer;
        if (call == "expand")
            answer = upkeep::json_api::expand(c.at("request").dump());
        else if (call == "validate")
            answer = upkeep::json_api::validate(config());
        else if (call == "calendar")
            answer = upkeep::json_api::calendar(config(), c.at("request").dump());
        else
            FAIL("unknown call " << call);
        CHECK_MESSAGE(json::parse(answer) == c.at("expected"), name << ": " << answer);
    }
}

TEST_CASE("expand answers a line that is not JSON with an error line") {
    CHECK(json::parse(upkeep::json_api::expand("not json")).contains("error"));
    CHECK(json::parse(upkeep::json_api::expand("[1]")).contains("error"));
}

TEST_CASE("the calendar call makes the iCalendar file of `upkeep calendar --format ics`, stamped today") {
    std::ifstream in(UPKEEP_FIXTURES_DIR "/json_api_cases.json");
    const json cases = json::parse(in);
    const auto window = std::find_if(cases.begin(), cases.end(),
                                     [](const json& c) { return c.at("name") == "calendar window"; });
    REQUIRE(window != cases.end());
    const std::string text = window->at("config").dump();
    const json answer =
        json::parse(upkeep::json_api::calendar(text, R"({"format": "ics", "today": "2027-03-10"})"));
    const auto parsed = upkeep::parse_configuration(text);
    REQUIRE(!upkeep::has_errors(parsed.problems));
    CHECK(answer.at("filename") == "isms-calendar.ics");
    CHECK(answer.at("text") ==
          upkeep::to_icalendar(parsed.config, upkeep::compute_cycle(parsed.config.certification),
                               {upkeep::parse_iso_date("2027-03-10").value(), std::nullopt}));
    CHECK(json::parse(upkeep::json_api::calendar(text, R"({"format": "ics"})")).contains("error"));
}
