// The sync lease's text and times: what people read on the page, what a sync reads back, and when it is
// held. Times are UTC instants as text, compared as text.

#include <upkeep/sync_lease.hpp>

#include <doctest/doctest.h>

using namespace upkeep;

TEST_CASE("UTC instants are YYYY-MM-DDTHH:MM:SSZ, and compare as text in time order") {
    CHECK(is_utc_instant("2027-03-06T08:00:00Z"));
    for (const char* bad : {"2027-03-06 08:00:00Z", "2027-03-06T08:00:00", "2027-03-06T08:00:00.123Z",
                            "2027-03-06T08:0a:00Z", "27-03-06T08:00:00Z", ""})
        CHECK_MESSAGE(!is_utc_instant(bad), bad);
    CHECK(std::string("2027-03-06T08:00:00Z") < std::string("2027-03-06T08:00:01Z"));
    CHECK(std::string("2027-03-06T23:59:59Z") < std::string("2027-03-07T00:00:00Z"));
}

TEST_CASE("a lease's text names the holder, the run and its times, and reads back the same") {
    const sync_lease lease{"upkeep-bot", "upkeep sync on cron1, process 4821", "2027-03-06T08:00:00Z",
                           "2027-03-06T08:31:00Z"};
    const std::string text = sync_lease_text(lease);
    CHECK(text.find("\n\nholder: upkeep-bot\nrun: upkeep sync on cron1, process 4821\n"
                    "taken: 2027-03-06T08:00:00Z\nexpires: 2027-03-06T08:31:00Z\n") != std::string::npos);
    const auto read = sync_lease_from_text(text);
    REQUIRE(read);
    CHECK(read->holder == "upkeep-bot");
    CHECK(read->run == "upkeep sync on cron1, process 4821");
    CHECK(read->taken == "2027-03-06T08:00:00Z");
    CHECK(read->expires == "2027-03-06T08:31:00Z");

    // Redmine stores line ends as \r\n.
    std::string crlf;
    for (const char c : text)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const auto from_crlf = sync_lease_from_text(crlf);
    REQUIRE(from_crlf);
    CHECK(from_crlf->holder == "upkeep-bot");
    CHECK(from_crlf->expires == "2027-03-06T08:31:00Z");
}

TEST_CASE("a released lease, or a page without a holder line, is held by nobody") {
    const auto released = sync_lease_from_text(sync_lease_text({}));
    REQUIRE(released);
    CHECK(released->holder.empty());
    CHECK(!sync_lease_held(*released, "1970-01-01T00:00:00Z"));
    CHECK(sync_lease_text({}).ends_with("holder: nobody\n"));
    CHECK(!sync_lease_from_text("Someone rewrote this page.\n"));
    CHECK(!sync_lease_from_text("placeholder: x\n"));
    CHECK(!sync_lease_from_text(""));
}

TEST_CASE("a lease is held until it expires, not from its expiry on; an unreadable expiry holds nothing") {
    const sync_lease lease{"ciso", "Sync now in a browser, 9f3a0c1d", "2027-03-06T08:00:00Z",
                           "2027-03-06T08:30:00Z"};
    CHECK(sync_lease_held(lease, "2027-03-06T08:00:00Z"));
    CHECK(sync_lease_held(lease, "2027-03-06T08:29:59Z"));
    CHECK(!sync_lease_held(lease, "2027-03-06T08:30:00Z"));
    CHECK(!sync_lease_held(lease, "2027-03-07T00:00:00Z"));
    // A damaged page blocks no one: "soon" would sort after every time.
    const auto damaged = sync_lease_from_text("holder: ciso\nexpires: soon\n");
    REQUIRE(damaged);
    CHECK(damaged->holder == "ciso");
    CHECK(!sync_lease_held(*damaged, "2027-03-06T08:00:00Z"));
}

TEST_CASE("a second sync is told who holds the lease, since when and until when") {
    CHECK(sync_lease_holder_words({"upkeep-bot", "upkeep sync on cron1, process 4821", "2027-03-06T08:00:00Z",
                                   "2027-03-06T08:31:00Z"}) ==
          "upkeep-bot (upkeep sync on cron1, process 4821) holds the sync lease since 2027-03-06 08:00 UTC, "
          "until 08:31 UTC at the latest");
    // Over midnight, the expiry's date is said too.
    CHECK(sync_lease_holder_words({"ciso", "", "2027-03-06T23:50:00Z", "2027-03-07T00:20:00Z"}) ==
          "ciso holds the sync lease since 2027-03-06 23:50 UTC, until 2027-03-07 00:20 UTC at the latest");
}
