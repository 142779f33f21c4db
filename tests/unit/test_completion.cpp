// Completing a control task: the occurrence behind a key, the checks before writing, the journal note.

#include "test_helpers.hpp"

#include <upkeep/completion.hpp>

using namespace upkeep;
using upkeep::testing::d;

TEST_CASE("a control task's key leads back to its activity and due date, only when the configuration "
          "schedules it") {
    const configuration_result parsed = parse_configuration(upkeep::testing::starter_config());
    REQUIRE(!has_errors(parsed.problems));
    const auto found = find_occurrence(parsed.config, "control:access-review:2026-04-30");
    REQUIRE(found);
    CHECK(found->what->title == "User access rights review");
    CHECK(found->due == d("2026-04-30"));
    CHECK(!find_occurrence(parsed.config, "control:access-review:2026-05-01")); // not a due date of its rule
    CHECK(!find_occurrence(parsed.config, "control:nope:2026-04-30"));
    CHECK(!find_occurrence(parsed.config, "garbage"));
    CHECK(is_training(parsed.config,
                      *find_occurrence(parsed.config, "control:awareness-training:2026-06-30")->what));
}

TEST_CASE("a completion is checked before anything is written") {
    completion c;
    c.done_on = d("2027-03-31");
    CHECK(check_completion(c, d("2027-03-30"), false, true)[0].pointer == "/done_on");
    c.done_on = d("2027-03-29");
    CHECK(check_completion(c, d("2027-03-30"), false, false)[0].pointer ==
          "/files"); // no evidence, not chosen
    CHECK(check_completion(c, d("2027-03-30"), false, true).empty());
    c.links = {"https://drive.example/q1"};
    c.people_in_scope = 10;
    c.people_completed = 11;
    CHECK(check_completion(c, d("2027-03-30"), true, false)[0].pointer == "/people_completed");
    c.people_completed = 9;
    CHECK(check_completion(c, d("2027-03-30"), true, false).empty());
}

TEST_CASE("the journal note records the completion, with or without evidence") {
    completion c;
    c.done_on = d("2027-03-29");
    c.file_names = {"users.csv", "sign-off.pdf"};
    c.links = {"https://drive.example/q1"};
    c.note = "Reviewed with the team leads.";
    c.people_in_scope = 40;
    c.people_completed = 37;
    CHECK(completion_note(c) == "Completed with evidence. Work done on 2027-03-29.\n\n"
                                "Training completed by 37 of 40 people in scope.\n\n"
                                "Files: users.csv, sign-off.pdf\n\n"
                                "Links:\n* https://drive.example/q1\n\n"
                                "Reviewed with the team leads.");
    CHECK(completion_note(completion{.done_on = d("2027-03-29")}) ==
          "Completed WITHOUT evidence. Work done on 2027-03-29.");
}
