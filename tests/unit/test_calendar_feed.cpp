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
    json copy(long long id, const std::string& description,
              const std::string& name = calendar_feed_file) const {
        return {{"id", id}, {"filename", name}, {"description", description}};
    }
};

} // namespace

TEST_CASE("the first sync attaches the calendar; the page's text and version go back unchanged") {
    const fixture f;
    const auto feed = plan_calendar_feed(
        f.config, f.cycle, f.page(json::array({f.copy(9, "", "minutes.pdf")})), d("2026-11-22"));
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
    const std::string current =
        plan_calendar_feed(f.config, f.cycle, f.page(json::array()), d("2026-11-22")).description;
    const auto later = plan_calendar_feed(
        f.config, f.cycle, f.page(json::array({f.copy(5, "Upkeep calendar feed 0"), f.copy(7, current)})),
        d("2027-01-05"));
    CHECK(later.description == current); // the stamp is not hashed
    CHECK(!later.needed);
    CHECK(later.stale == std::vector<long long>{5});

    // A file people attached under the feed's name is theirs: neither the feed nor removed.
    const auto theirs = plan_calendar_feed(
        f.config, f.cycle, f.page(json::array({f.copy(7, current), f.copy(9, "our own calendar")})),
        d("2027-01-05"));
    CHECK(!theirs.needed);
    CHECK(theirs.stale.empty());
}

TEST_CASE("a changed calendar is attached again and every older copy goes once it is up") {
    fixture f;
    const std::string before =
        plan_calendar_feed(f.config, f.cycle, f.page(json::array()), d("2026-11-22")).description;
    f.config.activities.pop_back();
    const auto feed = plan_calendar_feed(
        f.config, f.cycle, f.page(json::array({f.copy(5, before), f.copy(3, "Upkeep calendar feed x")})),
        d("2026-11-22"));
    CHECK(feed.description != before);
    CHECK(feed.needed);
    CHECK(feed.stale == std::vector<long long>{5, 3});

    // The newest copy is what subscribers get: an older copy holding the current calendar does not count.
    const auto older = plan_calendar_feed(
        f.config, f.cycle, f.page(json::array({f.copy(5, feed.description), f.copy(8, before)})),
        d("2026-11-22"));
    CHECK(older.needed);
}
