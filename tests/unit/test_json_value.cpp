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
    CHECK(json_value(issue, "/project/id"_json_pointer, 0LL) == 9);
    CHECK(json_value(issue, "/project/name"_json_pointer, "?") == "?");
    CHECK(json_value(json::array({1, 2}), "id", 0LL) == 0);
    CHECK(json_value(json(), "/user/id"_json_pointer, 0LL) == 0);
}
