// The Upkeep key: every form parses and formats back to itself; anything else is not ok().

#include "test_helpers.hpp"

#include <upkeep/ticket_key.hpp>

using namespace upkeep;
using upkeep::testing::d;

TEST_CASE("every form of key parses and formats back to itself") {
    for (const char* text : {"control:access-review:2027-03-31", "nc:missed:control:access-review:2027-03-31",
                             "ca:42:0a1b2c3d4e5f6789", "verify:42", "change:530:supplier-assessment",
                             "change:530:supplier-assessment:2", "decision:17:0a1b2c3d4e5f",
                             "supplier:530:supplier-assessment"}) {
        CAPTURE(text);
        const ticket_key key = ticket_key::parse(text);
        CHECK(key.ok());
        CHECK(key.format() == text);
    }
    const ticket_key control = ticket_key::parse("control:access-review:2027-03-31");
    CHECK(control.kind == ticket_key_kind::control);
    CHECK(control.activity == "access-review");
    CHECK(control.due == d("2027-03-31"));
    CHECK(ticket_key::control("access-review", d("2027-03-31")).format() ==
          "control:access-review:2027-03-31");
    const ticket_key follow_up = ticket_key::parse("change:530:supplier-assessment:2");
    CHECK(follow_up.number == 530);
    CHECK(follow_up.tail == "supplier-assessment");
    CHECK(follow_up.generation == 2);
}

TEST_CASE("malformed keys are not ok and format to nothing") {
    for (const char* text :
         {"", "control:", "control:Access:2027-03-31", "control:x:2027-02-30", "control:x", "verify:0",
          "verify:042", "verify:9007199254740992", "ca:42:", "ca:42:Ab!", "change:530:x:1", "change:530:x:y",
          "decision:x:0a", "supplier:530", "supplier:x:y", "something:else"}) {
        CAPTURE(text);
        CHECK(!ticket_key::parse(text).ok());
        CHECK(ticket_key::parse(text).format().empty());
    }
}
