// Reading other people's JSON: a fallback for what is missing or of another type, numbers kept only
// when the field can hold them.

#include "test_helpers.hpp"

#include <upkeep/json_value.hpp>

using namespace upkeep;
using json = nlohmann::json;

TEST_CASE("numbers are read when the field holds them, else the fallback") {
    const json page = json::parse(
        R"({"total_count": 158, "id": 18446744073709551615, "neg": -3, "big": 9007199254740993})");
    CHECK(json_value(page, "total_count", std::size_t{0}) == 158); // stored unsigned by the parser
    CHECK(json_value(page, "total_count", 0LL) == 158);
    CHECK(json_value(page, "id", 0LL) == 0);             // above 2^63: not a ticket number
    CHECK(json_value(page, "neg", std::size_t{7}) == 7); // negative: not a count
    CHECK(json_value(page, "neg", 0) == -3);
    CHECK(json_value(page, "big", 0) == 0); // does not fit an int
    CHECK(json_value(page, "big", 0LL) == 9007199254740993LL);
}

TEST_CASE("a missing field, a field of another type, or a document that is not an object give the fallback") {
    const json issue = json::parse(R"({"subject": 42, "closed": "yes", "project": {"id": 9}})");
    CHECK(json_value(issue, "subject", "none") == "none");
    CHECK(json_value(issue, "closed", false) == false);
    CHECK(json_value(issue, "absent", 5) == 5);
    CHECK(json_value(issue, json_path{"/project/id"}, 0LL) == 9);
    CHECK(json_value(issue, json_path{"/project/name"}, "?") == "?");
    CHECK(json_value(json::array({1, 2}), "id", 0LL) == 0);
    CHECK(json_value(json(), json_path{"/user/id"}, 0LL) == 0);
}

TEST_CASE("a path walks object keys only, and the empty path is the document") {
    const json issue =
        json::parse(R"({"assigned_to": {"id": 7, "name": "Alice"}, "tags": [1], "subject": "x"})");
    CHECK(json_value(issue, json_path{"/assigned_to/name"}, "") == "Alice");
    CHECK(json_value(issue, json_path{"/subject/name"}, "?") == "?"); // through a string
    CHECK(json_value(issue, json_path{"/tags/0"}, 0) == 0);           // not into arrays
    CHECK(json_find(issue, json_path{""}) == &issue);
    CHECK(json_find(issue, json_path{"/assigned_to/login"}) == nullptr);
}

TEST_CASE("json_object makes the object nlohmann's braces make") {
    const json made =
        json_object({{"id", 12}, {"closed", true}, {"issue", {{"notes", "n"}}}, {"ids", {1, 2}}});
    CHECK(made == json{{"id", 12}, {"closed", true}, {"issue", {{"notes", "n"}}}, {"ids", {1, 2}}});
    CHECK(made.dump() == R"({"closed":true,"id":12,"ids":[1,2],"issue":{"notes":"n"}})");
    CHECK(json_object({}) == json::object());
}
