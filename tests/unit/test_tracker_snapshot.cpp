// The snapshot file: format 2 keeps the reading's context, format 1 still reads, and every problem names
// its JSON pointer (never an exception).

#include "test_helpers.hpp"

#include <upkeep/tracker_snapshot.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using upkeep::testing::d;

namespace {

snapshot_file read(const std::string& text, diagnostics& problems) {
    return snapshot_from_json(nlohmann::json::parse(text), problems);
}

std::vector<std::string> messages(const diagnostics& problems) {
    std::vector<std::string> out;
    for (const diagnostic& p : problems)
        out.push_back(p.to_string());
    return out;
}

} // namespace

TEST_CASE("a format 1 snapshot (tickets only) still reads") {
    diagnostics problems;
    const auto snapshot = read(R"({"tickets": [
        {"key": "control:review:2027-03-31", "closed": true, "closed_on": "2027-03-30", "done_on": "2027-03-29", "evidence": true},
        {"closed": true}, {"key": "control:review:2027-06-30", "closed_on": "2027-13-01"}]})",
                               problems);
    CHECK(snapshot.format == 1);
    CHECK(!snapshot.as_of);
    CHECK(!snapshot.configuration);
    REQUIRE(snapshot.tracker.tasks.size() == 2);
    CHECK(snapshot.tracker.tasks[0].done_on == d("2027-03-29"));
    CHECK(messages(problems) ==
          std::vector<std::string>{"/tickets/1/key: is missing: expected a string",
                                   "/tickets/2/closed_on: \"2027-13-01\" is not a date: write YYYY-MM-DD"});
}

TEST_CASE("wrong types and numbers out of range are problems at their pointer, not crashes") {
    diagnostics problems;
    read(
        R"({"format": 2, "tickets": [{"key": "control:review:2027-03-31", "closed": "yes", "id": 18446744073709551615},
              {"key": "control:review:2027-06-30", "evidence_links": ["https://a.example", 3], "people_in_scope": -1}],
            "findings": [{"id": 3, "kind": "nonconformity", "closed": 1}],
            "changes": [{"id": 9, "assessment": "not a record"}]})",
        problems);
    CHECK(messages(problems) ==
          std::vector<std::string>{"/tickets/0/id: 18446744073709551615 is not a ticket number: expected a "
                                   "whole number from 1 to 2^53 - 1",
                                   "/tickets/0/closed: expected true or false, found a string",
                                   "/tickets/1/evidence_links/1: expected a string, found a number",
                                   "/tickets/1/people_in_scope: -1 is out of range 0..10000000",
                                   "/changes/0/assessment: expected an assessment record such as "
                                   "\"assessment=1;on=2027-02-03;by=itops;a=...\"",
                                   "/findings/0/closed: expected true or false, found a number"});
}

TEST_CASE("a format 2 snapshot keeps the day, the tracker and the configuration it was read with") {
    snapshot_file snapshot;
    snapshot.as_of = d("2027-11-01");
    snapshot.host = "redmine";
    snapshot.url = "https://redmine.example";
    snapshot.project = "isms";
    snapshot.configuration = R"({"version": 1, "organisation": {"name": "Acme"}})";
    task_record t;
    t.id = 42;
    t.key = "control:review:2027-03-31";
    t.closed = true;
    t.closed_on = d("2027-04-02");
    t.done_on = d("2027-03-30");
    t.evidence = true;
    t.evidence_links = {"https://drive.example/q1"};
    t.owner = "alice";
    t.title = "Review";
    t.people_in_scope = 40;
    snapshot.tracker.tasks = {t};
    snapshot.tracker.findings = {
        {.id = 7, .kind = "nonconformity", .subject = "S", .created_on = d("2027-05-01"), .assignee = "Ivy"}};
    snapshot.tracker.has_incidents = true;

    const nlohmann::json file = snapshot_to_json(snapshot);
    CHECK(file["format"] == 2);
    CHECK(file["configuration"]["organisation"]["name"] == "Acme"); // an object people can read
    diagnostics problems;
    const snapshot_file back = snapshot_from_json(file, problems);
    CHECK(problems.empty());
    CHECK(back.format == 2);
    CHECK(back.as_of == d("2027-11-01"));
    CHECK(back.url == "https://redmine.example");
    CHECK(back.project == "isms");
    CHECK(nlohmann::json::parse(*back.configuration) == nlohmann::json::parse(*snapshot.configuration));
    REQUIRE(back.tracker.tasks.size() == 1);
    const task_record& r = back.tracker.tasks[0];
    CHECK(r.id == 42);
    CHECK(r.closed_on == t.closed_on);
    CHECK(r.done_on == t.done_on);
    CHECK(r.evidence_links == t.evidence_links);
    CHECK(r.owner == "alice");
    CHECK(r.title == "Review");
    CHECK(r.people_in_scope == 40);
    CHECK(!r.people_completed);
    REQUIRE(back.tracker.findings.size() == 1);
    CHECK(back.tracker.findings[0].created_on == d("2027-05-01"));
    CHECK(back.tracker.findings[0].assignee == "Ivy");
    CHECK(back.tracker.has_incidents);
    CHECK(snapshot_to_json(back) == file);
}
