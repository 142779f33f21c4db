// The core's one JSON parser (core/src/json_parse.hpp) answers as json::parse(text, nullptr, false) does,
// which it replaces to keep nlohmann's callback parser out of the WebAssembly module.

#include "test_helpers.hpp"

#include "upkeep/json_parse.hpp"

#include <utility>
#include <vector>

using json = nlohmann::json;

namespace {
// a == b as nlohmann's operator== answers, level by level: that operator (and dump) recurse once per
// nesting level, which the 10,000 levels below overflow in the sanitizer build's larger stack frames.
bool same_json(const json& a, const json& b) {
    std::vector<std::pair<const json*, const json*>> pending{{&a, &b}};
    while (!pending.empty()) {
        const auto [x, y] = pending.back();
        pending.pop_back();
        if (!x->is_structured() || !y->is_structured()) {
            if (*x != *y) return false;
            continue;
        }
        if (x->type() != y->type() || x->size() != y->size()) return false;
        for (auto i = x->begin(), j = y->begin(); i != x->end(); ++i, ++j) {
            if (x->is_object() && i.key() != j.key()) return false;
            pending.emplace_back(&*i, &*j);
        }
    }
    return true;
}
} // namespace

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
        if (!theirs.is_discarded()) CHECK(same_json(ours, theirs));
    }
}

TEST_CASE("parse_json gives a syntax error's text with its place") {
    json out;
    CHECK(upkeep::parse_json("{\"a\": 1}", out).empty());
    CHECK(out["a"] == 1);
    const std::string error = upkeep::parse_json("{\n  \"a\": 1,\n}", out);
    CHECK(error.find("parse error at line 3, column 1") != std::string::npos);
}
