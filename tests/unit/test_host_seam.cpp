// The seam between the core and a tracker (host.hpp): a host registered by name, opened and driven only
// through json_api::session, its reading computed on by the core. A toy host written here shows that a
// tracker the core has never heard of plugs in with one class and one register_host call; the Redmine
// host is checked to be registered the same way.

#include "memory_redmine.hpp"
#include "test_helpers.hpp"

#include <upkeep/host.hpp>
#include <upkeep/json_api.hpp>
#include <upkeep/redmine/host.hpp>
#include <upkeep/tracker_snapshot.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;
using json = nlohmann::json;

namespace {

// The toy tracker's one endpoint: GET /api/tickets.json answers {"tickets": [{"number", "key", "done"}]},
// "done" the day the work was done (null while open).
class toy_reading final : public conversation {
public:
    std::optional<operation> next() override {
        if (asked_ || finished_) return std::nullopt;
        asked_ = true;
        return operation{{"GET", "/api/tickets.json", "", "", -1}, false, std::nullopt, "read the tickets"};
    }
    void interrupt(const std::string&) override { finished_ = true; }
    void answer(const http_response& response) override {
        finished_ = true;
        if (response.status != 200) {
            error_ = "GET /api/tickets.json: HTTP " + std::to_string(response.status);
            return;
        }
        const json body = json::parse(response.body, nullptr, false);
        for (const json& t : body.value("tickets", json::array())) {
            task_record task;
            task.id = t.value("number", 0LL);
            task.key = t.value("key", "");
            if (t.contains("done") && t["done"].is_string()) {
                task.closed = true;
                task.done_on = parse_iso_date(t["done"].get<std::string>());
                task.closed_on = task.done_on;
                task.evidence = true;
            }
            snapshot_.tasks.push_back(std::move(task));
        }
    }
    bool applied(const http_response&) const override { return false; }

    const tracker_snapshot& snapshot() const { return snapshot_; }
    const std::string& error() const { return error_; }

private:
    bool asked_ = false, finished_ = false;
    tracker_snapshot snapshot_;
    std::string error_;
};

class toy_session final : public host_session {
public:
    toy_session(std::string config_text, const retry_policy& policy)
        : config_text_(std::move(config_text)), config_(parse_configuration(config_text_).config),
          reading_(new toy_reading), run_(std::unique_ptr<conversation>(reading_), policy) {}

    exchange& run() override { return run_; }
    json result() const override {
        return {{"tickets", reading_->snapshot().tasks.size()},
                {"error", reading_->error().empty() ? json() : json(reading_->error())}};
    }
    json call(std::string_view method, const json& request) const override {
        if (method == "status") return json_api::status_of(config_, reading_->snapshot(), request);
        return host_session::call(method, request);
    }
    const tracker_snapshot* snapshot() const override { return &reading_->snapshot(); }
    const std::string* configuration_text() const override { return &config_text_; }

private:
    std::string config_text_;
    isms_configuration config_;
    toy_reading* reading_; // owned by run_
    exchange run_;
};

std::unique_ptr<host_session> open_toy(std::string_view kind, const json& request, const retry_policy& policy,
                                       std::string& error) {
    if (kind != "status") {
        error = "the toy tracker has no session \"" + std::string(kind) + "\"";
        return nullptr;
    }
    const auto config = request.find("config");
    if (config == request.end() || !config->is_string()) {
        error = "config: expected the configuration's text";
        return nullptr;
    }
    return std::make_unique<toy_session>(config->get<std::string>(), policy);
}

void register_toy() {
    register_host({"toy", host_profile{"Toy tracker", {"T-"}, markup::markdown}, open_toy});
}

// Monthly on the 1st, certified on 2027-01-15.
const std::string config_text = R"({"version": 1, "organisation": {"name": "Acme"},
  "certification": {"decision_date": "2027-01-15"},
  "activities": [{"id": "scan", "title": "Scan", "references": ["A.8.8"], "owner": "itops",
    "lead_time_days": 7, "instructions": "Run it.", "evidence": "Report.",
    "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1", "start": "2027-01-01"}}]})";

// The 02-01 scan done on 01-30; the 03-01 scan still open.
const std::string toy_tickets = R"({"tickets": [
  {"number": 1, "key": "control:scan:2027-02-01", "done": "2027-01-30"},
  {"number": 2, "key": "control:scan:2027-03-01", "done": null}]})";

// Runs a JSON session, answering each send with `reply`; returns the "done" document.
json drive(json_api::session& session, const std::function<json(const json& send)>& reply) {
    for (int guard = 0; guard < 1000; ++guard) {
        const json step = json::parse(session.next());
        if (step.contains("done")) return step["done"];
        if (step.contains("wait")) continue;
        REQUIRE_MESSAGE(step.contains("send"), step.dump());
        json answers = json::array();
        for (const json& request : step["send"])
            answers.push_back(reply(request));
        session.answer(answers.dump());
    }
    FAIL("the session does not end");
    return nullptr;
}

} // namespace

TEST_CASE("a host registered by name is opened and driven through the JSON session, and the core computes "
          "its status") {
    register_toy();
    const registered_host* toy = find_host("toy");
    REQUIRE(toy != nullptr);
    CHECK(toy->profile.references.of(2) == "T-2");

    json_api::session session("status", json{{"host", "toy"}, {"config", config_text}}.dump());
    CHECK(json::parse(session.call("status", R"({"today": "2027-03-10"})")) ==
          json{{"error", "the session has not finished reading yet"}});
    std::vector<std::string> sent;
    const json done = drive(session, [&](const json& send) {
        sent.push_back(send["method"].get<std::string>() + " " + send["path"].get<std::string>());
        return json{{"status", 200}, {"body", toy_tickets}};
    });
    CHECK(sent == std::vector<std::string>{"GET /api/tickets.json"});
    CHECK(done == json{{"tickets", 2}, {"error", nullptr}});
    REQUIRE(session.get() != nullptr);
    REQUIRE(session.get()->snapshot() != nullptr);
    CHECK(session.get()->snapshot()->tasks.size() == 2);

    const json status = json::parse(session.call("status", R"({"today": "2027-03-10"})"));
    REQUIRE(!status.contains("error"));
    const json& occurrences = status["report"]["periods"][0]["occurrences"];
    REQUIRE(occurrences.size() >= 2);
    CHECK(occurrences[0]["due"] == "2027-02-01");
    CHECK(occurrences[0]["state"] == "on_time"); // done 01-30, before its due date
    CHECK(occurrences[0]["ticket_id"] == 1);
    CHECK(occurrences[1]["due"] == "2027-03-01");
    CHECK(occurrences[1]["state"] == "overdue"); // open, due nine days ago, the period still runs
    CHECK(occurrences[1]["ticket_id"] == 2);
    REQUIRE(status["overdue"].size() == 1);
    CHECK(status["overdue"][0]["ticket_id"] == 2);
    CHECK(status["overdue"][0]["days_late"] == 9);
    CHECK(status["overdue"][0]["owner"] == "itops");
    // Owners as the host names them to people, in every sentence; the session's own reading stays as read.
    const json named =
        json::parse(session.call("status", R"({"today": "2027-03-10", "people": {"itops": "Ivan Ops"}})"));
    CHECK(named["overdue"][0]["owner"] == "Ivan Ops");
    CHECK(named["report"]["next_audit"]["fix_first"][0]["what"].get<std::string>().ends_with("(Ivan Ops)"));
    CHECK(named["report"]["periods"][0]["by_owner"].contains("Ivan Ops"));
    CHECK(json::parse(session.call("status", R"({"today": "2027-03-10"})"))["overdue"][0]["owner"] ==
          "itops");
    // Dates in the sentences as the reader's tracker writes them; the fields stay ISO.
    const json dated = json::parse(session.call(
        "status", R"({"today": "2027-03-10", "dates": {"pattern": "%d %b %Y", "short_months": ["Jan", "Feb",
        "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]}})"));
    const std::string what = dated["report"]["next_audit"]["fix_first"][0]["what"];
    CHECK(what.find("(due 01 Mar 2027) is overdue by 9 days") != std::string::npos);
    CHECK(what.find("2027-03-01") == std::string::npos);
    CHECK(dated["report"]["periods"][0]["occurrences"][1]["due"] == "2027-03-01");
    CHECK(json::parse(session.call("export_file", "{}")).contains("error")); // the toy offers no such call
}

TEST_CASE("a host's failing answer reaches its session through the exchange's retries") {
    register_toy();
    retry_policy policy{.max_attempts = 2, .base_delay_ms = 0};
    json_api::session session("status", json{{"host", "toy"}, {"config", config_text}}.dump(), policy);
    int sends = 0;
    const json done = drive(session, [&](const json&) {
        ++sends;
        return json{{"status", 503}, {"body", ""}};
    });
    CHECK(sends == 2);
    CHECK(done["error"] == "GET /api/tickets.json: HTTP 503");
}

TEST_CASE("an answer's body staged apart stands for the body the answer leaves out, once") {
    register_toy();
    json_api::session session("status", json{{"host", "toy"}, {"config", config_text}}.dump());
    REQUIRE(json::parse(session.next()).contains("send"));
    session.stage_body(toy_tickets);
    session.answer(R"([{"status": 200}])");
    CHECK(json::parse(session.next())["done"] == json{{"tickets", 2}, {"error", nullptr}});

    // A body in the answer wins over a staged one; what was staged goes with that answer.
    json_api::session given("status", json{{"host", "toy"}, {"config", config_text}}.dump());
    REQUIRE(json::parse(given.next()).contains("send"));
    given.stage_body(R"({"tickets": []})");
    given.answer(json::array({json{{"status", 200}, {"body", toy_tickets}}}).dump());
    CHECK(json::parse(given.next())["done"] == json{{"tickets", 2}, {"error", nullptr}});
}

TEST_CASE("a host opens only the kinds it knows; an unknown host is an error") {
    register_toy();
    json_api::session sync("sync", json{{"host", "toy"}, {"config", config_text}}.dump());
    CHECK(json::parse(sync.next()) == json{{"error", "the toy tracker has no session \"sync\""}});
    json_api::session nowhere("status", R"({"host": "jira-of-the-future"})");
    CHECK(json::parse(nowhere.next()) ==
          json{{"error", "host: expected the name of a tracker Upkeep knows"}});
}

TEST_CASE("the Redmine host is registered under its name and opens its kinds by name") {
    redmine::register_host();
    const registered_host* host = find_host("redmine");
    REQUIRE(host != nullptr);
    CHECK(host->profile.name == "Redmine");
    CHECK(host->profile.references.of(42) == "#42");
    const std::string config = upkeep::testing::starter_config();
    const std::vector<std::pair<std::string, json>> kinds{
        {"sync",
         {{"project", "isms"},
          {"today", "2027-03-10"},
          {"now", "2027-03-06T08:00:00Z"},
          {"lease_until", "2027-03-06T08:30:00Z"}}},
        {"status", {{"project", "isms"}}},
        {"changes", {{"project", "isms"}}},
        {"change", {{"project", "isms"}, {"change", 500}, {"today", "2027-03-10"}}},
        {"complete", {{"project", "isms"}, {"issue", 1}, {"today", "2027-03-10"}}},
        {"save_page", {{"project", "isms"}, {"title", "Notes"}, {"text", "Hello"}}},
        {"save_configuration", {{"project", "isms"}, {"config", config}}},
        {"attach", {{"issue", 1}, {"filename", "pack.html"}, {"text", "<p>pack</p>"}}}};
    for (const auto& entry : kinds) {
        const std::string& kind = entry.first; // not a structured binding: CAPTURE takes it in a lambda
        const json& request = entry.second;
        CAPTURE(kind);
        std::string error;
        const auto session = host->open(kind, request, retry_policy{}, error);
        CHECK(session != nullptr);
        CHECK(error.empty());
    }
    std::string error;
    CHECK(host->open("sink", json{{"project", "isms"}}, retry_policy{}, error) == nullptr);
    CHECK(error == "no session \"sink\" for Redmine");
    error.clear();
    CHECK(host->open("change", json{{"project", "isms"}, {"today", "2027-03-10"}}, retry_policy{}, error) ==
          nullptr);
    CHECK(error == "change: expected the change ticket's number");
    error.clear();
    CHECK(host->open("sync", json{{"project", "isms"}, {"today", "2027-03-10"}}, retry_policy{}, error) ==
          nullptr);
    CHECK(error == "now, lease_until: expected UTC times, YYYY-MM-DDTHH:MM:SSZ");
}

TEST_CASE("a Redmine sync driven through the JSON session against the in-memory Redmine") {
    redmine::register_host();
    upkeep::testing::memory_redmine redmine = upkeep::testing::isms_redmine();
    upkeep::testing::set_configuration(redmine, R"({"version": 1, "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2027-01-15"},
      "activities": [{"id": "scan", "title": "Scan", "references": ["A.8.8"], "owner": "itops",
        "lead_time_days": 7, "instructions": "Run it.", "evidence": "Report.",
        "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1", "start": "2027-01-01"}}]})");
    json_api::session session("sync", json{{"host", "redmine"},
                                           {"project", "isms"},
                                           {"today", "2027-03-10"},
                                           {"now", "2027-03-06T08:00:00Z"},
                                           {"lease_until", "2027-03-06T08:30:00Z"},
                                           {"publish_feed", false}}
                                          .dump());
    const json done = drive(session, [&](const json& send) {
        const http_response r =
            redmine.handle({send["method"], send["path"], send["body"], send["content_type"], -1});
        return json{{"status", r.status}, {"body", r.body}};
    });
    CHECK(done["failure"].is_null());
    CHECK(done["written"] == 2); // the scans of 02-01 and 03-01
    CHECK(redmine.issues.size() == 2);
    CHECK(redmine.requests.front().path == "/users/current.json");
}
