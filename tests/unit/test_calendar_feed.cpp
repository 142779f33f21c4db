// The calendar feed's upkeep: what a sync attaches to the configuration page and what it removes.

#include "test_helpers.hpp"

#include <upkeep/default_configuration.hpp>
#include <upkeep/redmine/calendar_feed.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using namespace upkeep::redmine;
using upkeep::testing::d;
using json = nlohmann::json;

namespace {

struct fixture {
    isms_configuration config =
        parse_configuration(make_starter_configuration({"Acme", d("2026-03-15")})).config;
    certification_cycle cycle = compute_cycle(config.certification);

    json page(json attachments) const {
        return {{"wiki_page",
                 {{"title", "ISMS_configuration"},
                  {"text", "the page"},
                  {"version", 4},
                  {"attachments", std::move(attachments)}}}};
    }
    std::set<long long> upkeep_authors{3, 8}; // the sync account, and a person named in sync.accounts

    json copy(long long id, const std::string& description, const std::string& name = calendar_feed_file,
              long long author = 3) const {
        return {{"id", id},
                {"filename", name},
                {"description", description},
                {"author", {{"id", author}, {"name", "Upkeep Bot"}}}};
    }
    calendar_publication plan(const json& attachments, const char* today = "2026-11-22") const {
        return plan_calendar_feed(config, cycle, page(attachments), d(today), upkeep_authors);
    }
};

} // namespace

TEST_CASE("the first sync attaches the calendar; the page's text and version go back unchanged") {
    const fixture f;
    const auto feed = f.plan(json::array({f.copy(9, "", "minutes.pdf")}), "2026-11-22");
    CHECK(feed.needed);
    CHECK(feed.stale.empty()); // other files of the page are not the feed's
    CHECK(feed.description.starts_with("Upkeep calendar feed "));
    CHECK(feed.text.starts_with("BEGIN:VCALENDAR\r\n"));
    CHECK(feed.text.find("DTSTAMP:20261122T000000Z") != std::string::npos);
    CHECK(feed.page_text == "the page");
    CHECK(feed.page_version == 4);
}

TEST_CASE("an unchanged calendar attaches nothing, whatever the day; older copies go") {
    const fixture f;
    const std::string current = f.plan(json::array(), "2026-11-22").description;
    const auto later =
        f.plan(json::array({f.copy(5, "Upkeep calendar feed 0"), f.copy(7, current)}), "2027-01-05");
    CHECK(later.description == current); // the stamp is not hashed
    CHECK(!later.needed);
    CHECK(later.stale == std::vector<long long>{5});

    // A file people attached under the feed's name is theirs: neither the feed nor removed.
    const auto theirs =
        f.plan(json::array({f.copy(7, current), f.copy(9, "our own calendar")}), "2027-01-05");
    CHECK(!theirs.needed);
    CHECK(theirs.stale.empty());
}

TEST_CASE("a changed calendar is attached again and every older copy goes once it is up") {
    fixture f;
    const std::string before = f.plan(json::array(), "2026-11-22").description;
    f.config.activities.pop_back();
    const auto feed =
        f.plan(json::array({f.copy(5, before), f.copy(3, "Upkeep calendar feed x")}), "2026-11-22");
    CHECK(feed.description != before);
    CHECK(feed.needed);
    CHECK(feed.stale == std::vector<long long>{5, 3});

    // The newest copy is what subscribers get: an older copy holding the current calendar does not count.
    const auto older = f.plan(json::array({f.copy(5, feed.description), f.copy(8, before)}), "2026-11-22");
    CHECK(older.needed);
}

TEST_CASE(
    "a copy someone else attached under the feed's name and description is neither served nor removed") {
    const fixture f;
    const std::string current = f.plan(json::array()).description;
    // A member who may edit the page copied the current description onto their own file, the newest.
    const auto spoofed =
        f.plan(json::array({f.copy(7, current), f.copy(9, current, calendar_feed_file, 42)}));
    CHECK(!spoofed.needed); // Upkeep's copy 7 still holds the calendar
    CHECK(spoofed.stale.empty());
    // Their copy alone: the feed is published again, and their file stays.
    const auto theirs = f.plan(json::array({f.copy(9, current, calendar_feed_file, 42)}));
    CHECK(theirs.needed);
    CHECK(theirs.stale.empty());
    // A person named in sync.accounts acts as Upkeep.
    CHECK(!f.plan(json::array({f.copy(9, current, calendar_feed_file, 8)})).needed);
    // An attachment without an author is nobody's.
    json anonymous = f.copy(10, current);
    anonymous.erase("author");
    CHECK(f.plan(json::array({anonymous})).needed);
}
