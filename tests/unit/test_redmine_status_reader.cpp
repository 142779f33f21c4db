// The status's reads against the in-memory Redmine: which reads go together (the opening's four, then the
// trust, then the lists side by side, then the authors), and that what they make is the same snapshot
// whatever the order of the pages.

#include "memory_redmine.hpp"
#include "test_helpers.hpp"

#include <upkeep/json_api.hpp>
#include <upkeep/redmine/status_reader.hpp>

using namespace upkeep;
using namespace upkeep::redmine;
using namespace upkeep::testing;

namespace {

// The steps of a run, each the paths it sent together (queries cut off).
std::vector<std::vector<std::string>> steps_of(exchange& run, memory_redmine& redmine) {
    std::vector<std::vector<std::string>> steps;
    for (int guard = 0; guard < 1000; ++guard) {
        const exchange_step step = run.next();
        if (step.what == exchange_step::kind::done) return steps;
        if (step.what == exchange_step::kind::wait) continue;
        std::vector<std::string> paths;
        std::vector<http_response> answers;
        for (const http_request& r : step.requests) {
            paths.push_back(r.method + " " + r.path.substr(0, r.path.find('?')));
            answers.push_back(redmine.handle(r));
        }
        steps.push_back(paths);
        run.answer(answers);
    }
    FAIL("the session does not end");
    return steps;
}

memory_redmine::issue keyed(long long author, const std::string& key) {
    memory_redmine::issue i;
    i.project_id = ids::project;
    i.tracker_id = ids::control;
    i.author_id = author;
    i.subject = "Review";
    i.custom_fields = {{ids::key, key}};
    return i;
}

} // namespace

TEST_CASE(
    "the status reads the opening together (the trust of the page's latest version too), the lists side by "
    "side, the authors together") {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, starter_config());
    // Two keyed tickets by authors who are not the reading account: each is read once, both at once.
    redmine.add_issue(keyed(ids::bot, "control:access-review:2027-03-31"));
    redmine.add_issue(keyed(ids::mallory, "control:access-review:2027-06-30"));
    driven<status_reader> status({"isms", std::nullopt, false});
    const auto steps = steps_of(status.run, redmine);
    REQUIRE(steps.size() == 3);
    CHECK(steps[0] == std::vector<std::string>{"GET /users/current.json", "GET /projects/isms.json",
                                               "GET /issue_statuses.json",
                                               "GET /projects/isms/wiki/ISMS_configuration.json",
                                               "GET /projects/isms/upkeep_configuration_trust.json"});
    // Upkeep's tickets, the nonconformities and the change tickets: one page each, together.
    CHECK(steps[1] == std::vector<std::string>{"GET /issues.json", "GET /issues.json", "GET /issues.json"});
    auto authors = steps[2];
    std::sort(authors.begin(), authors.end());
    CHECK(authors == std::vector<std::string>{"GET /users/2.json", "GET /users/3.json"});
    CHECK(status.session->failure() == std::nullopt);
    CHECK(status.session->snapshot().tasks.size() == 1); // the bot is a sync account; mallory is not
}

TEST_CASE("a configuration page saved again between the page's read and its trust's: the trust of the "
          "version read is asked for") {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, starter_config());
    redmine.saved_since = ids::itops; // who may not protect wiki pages
    driven<status_reader> status({"isms", std::nullopt, false});
    const auto steps = steps_of(status.run, redmine);
    REQUIRE(steps.size() >= 2);
    CHECK(steps[1] == std::vector<std::string>{"GET /projects/isms/upkeep_configuration_trust.json"});
    CHECK(redmine.lines()[5] == "GET /projects/isms/upkeep_configuration_trust.json?version=1");
    CHECK(status.session->failure() == std::nullopt); // the version read was saved by one who may
}

TEST_CASE("a plugin that answers the trust of another version than asked stops the session after one retry") {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, starter_config());
    redmine.saved_since = ids::ciso;
    redmine.trust_ignores_version = true;
    driven<status_reader> status({"isms", std::nullopt, false});
    steps_of(status.run, redmine);
    REQUIRE(status.session->failure());
    CHECK(status.session->failure()->message.starts_with(
        "GET /projects/isms/upkeep_configuration_trust.json?version=1: the plugin answered for another "
        "version"));
    CHECK(redmine.count("GET", "/projects/isms/upkeep_configuration_trust.json") == 2);
}

TEST_CASE("the plugin's lists give the authors' logins: no author is read") {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, starter_config());
    redmine.add_issue(keyed(ids::bot, "control:access-review:2027-03-31"));
    redmine.add_issue(keyed(ids::mallory, "control:access-review:2027-06-30"));
    driven<status_reader> status({"isms", std::nullopt, false});
    status.session->read_lists_from_plugin();
    const auto steps = steps_of(status.run, redmine);
    CHECK(steps.size() == 2);
    CHECK(redmine.count("GET", "/users/2.json") + redmine.count("GET", "/users/3.json") == 0);
    CHECK(status.session->failure() == std::nullopt);
    CHECK(status.session->snapshot().tasks.size() == 1); // the bot is a sync account; mallory is not
}

TEST_CASE("a failure in the opening's first answer stops the session: the other answers are not taken") {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, starter_config());
    driven<status_reader> status({"nowhere", std::nullopt, false});
    const auto steps = steps_of(status.run, redmine);
    REQUIRE(steps.size() == 1);
    REQUIRE(status.session->failure());
    CHECK(status.session->failure()->message.starts_with("project \"nowhere\" does not exist"));
}

TEST_CASE("with the plugin's lists the status reads 1,000 tickets a page and makes the same snapshot") {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, starter_config());
    for (int k = 0; k < 1500; ++k) {
        // 1,500 of Upkeep's tickets: two pages of the plugin's list, fifteen of Redmine's.
        const std::string due = "2027-" + std::string(k % 12 < 9 ? "0" : "") + std::to_string(k % 12 + 1) +
                                "-" + std::to_string(10 + k % 18);
        redmine.add_issue(keyed(ids::bot, "control:review-" + std::to_string(k / 12) + ":" + due));
    }
    driven<status_reader> rest({"isms", std::nullopt, false});
    const auto rest_steps = steps_of(rest.run, redmine);
    driven<status_reader> plugin({"isms", std::nullopt, false});
    plugin.session->read_lists_from_plugin();
    const auto plugin_steps = steps_of(plugin.run, redmine);

    const auto reads_of = [](const std::vector<std::vector<std::string>>& steps, const std::string& path) {
        std::size_t n = 0;
        for (const auto& step : steps)
            n += static_cast<std::size_t>(std::count(step.begin(), step.end(), "GET " + path));
        return n;
    };
    CHECK(reads_of(rest_steps, "/issues.json") == 15 + 2); // and the first page of two more lists
    CHECK(reads_of(plugin_steps, "/issues.json") == 0);
    CHECK(reads_of(plugin_steps, "/projects/" + std::to_string(ids::project) + "/upkeep_issues.json") ==
          2 + 2);
    REQUIRE(rest.session->failure() == std::nullopt);
    REQUIRE(plugin.session->failure() == std::nullopt);
    CHECK(plugin.session->snapshot().tasks.size() == 1500);
    CHECK(json_api::status_of(plugin.session->config(), plugin.session->snapshot(),
                              {{"today", "2027-01-15"}}) ==
          json_api::status_of(rest.session->config(), rest.session->snapshot(), {{"today", "2027-01-15"}}));
}

TEST_CASE("a list's first page says how many there are: its other pages are read together") {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, starter_config());
    for (int k = 0; k < 350; ++k)
        redmine.add_issue(keyed(ids::bot, "control:review-" + std::to_string(k) + ":2027-03-31"));
    driven<status_reader> status({"isms", std::nullopt, false});
    const auto steps = steps_of(status.run, redmine);
    REQUIRE(steps.size() >= 3);
    CHECK(steps[1] == std::vector<std::string>{"GET /issues.json", "GET /issues.json", "GET /issues.json"});
    CHECK(steps[2] == std::vector<std::string>{"GET /issues.json", "GET /issues.json", "GET /issues.json"});
    REQUIRE(status.session->failure() == std::nullopt);
    CHECK(status.session->snapshot().tasks.size() == 350);
}
