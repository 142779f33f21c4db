// The core's one JSON parser (core/src/json_parse.hpp) answers as json::parse(text, nullptr, false) does,
// which it replaces to keep nlohmann's callback parser out of the WebAssembly module.

#include "test_helpers.hpp"

#include "json_parse.hpp"

using json = nlohmann::json;

TEST_CASE("parse_json_or_discarded agrees with json::parse without exceptions") {
    const std::string deep = std::string(10000, '[') + std::string(10000, ']');
    for (const std::string& text :
         {std::string(""), std::string(" \n"), std::string("{}"), std::string("{} x"),
          std::string("{\"a\":1}{"), std::string("[1,2"), std::string("\"\xff\""), std::string("/* c */ {}"),
          std::string("{\"a\":1,\"a\":2}"), std::string("1"), std::string("null"), std::string("tru"),
          std::string("{\"a\":\"b\\u0000c\"}"), std::string("{\"x\": [1.5e3, -0, true]}"), deep}) {
        CAPTURE(text.substr(0, 40));
        const json ours = upkeep::parse_json_or_discarded(text);
        const json theirs = json::parse(text, nullptr, false);
        CHECK(ours.is_discarded() == theirs.is_discarded());
        if (!theirs.is_discarded()) CHECK(ours == theirs);
    }
}

TEST_CASE("parse_json gives a syntax error's text with its place") {
    json out;
    CHECK(upkeep::parse_json("{\"a\": 1}", out).empty());
    CHECK(out["a"] == 1);
    const std::string error = upkeep::parse_json("{\n  \"a\": 1,\n}", out);
    CHECK(error.find("parse error at line 3, column 1") != std::string::npos);
}
