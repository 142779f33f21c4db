// The change prompt's Redmine session, driven against an in-memory Redmine (its REST answers as JSON):
// which GETs it makes, what it records, which follow-up writes it plans (with owners looked up only
// when needed, and pages of follow-ups read to the end), and why it stops. The starter configuration's
// questionnaire; change #500 goes live on 2027-03-30 and is assessed on 2027-03-01.

#include "test_helpers.hpp"

#include <upkeep/default_configuration.hpp>
#include <upkeep/redmine/change_session.hpp>
#include <upkeep/redmine/wiki_storage.hpp>

#include <algorithm>

using namespace upkeep;
using namespace upkeep::redmine;
using upkeep::testing::d;
using json = nlohmann::json;

namespace {

constexpr long long change_id = 500;
enum field : long long {
    key = 11,
    state = 12,
    reference = 13,
    grade = 14,
    source = 15,
    actions = 16,
    impact = 18
};
enum tracker : long long { control = 1, nc = 2, ca = 3, follow_up = 4, change_tracker = 5, bug = 6 };

// What the starter calls for when only "new supplier" is answered yes.
change_answers new_supplier_only() {
    change_answers answers;
    for (const char* q :
         {"new-service", "new-site", "architecture", "organisation", "roles", "incident", "requirements"})
        answers[q] = "no";
    answers["data"] = "none";
    answers["new-supplier"] = "yes";
    return answers;
}

json issue(long long id, long long tracker_id, json custom_fields, json extra = json::object()) {
    json out = {
        {"id", id},
        {"project", {{"id", 7}, {"name", "ISMS"}}},
        {"tracker", {{"id", tracker_id}, {"name", tracker_id == change_tracker ? "Change" : "Other"}}},
        {"status", {{"id", 1}, {"name", "New"}}},
        {"subject", "Ticket " + std::to_string(id)},
        {"custom_fields", std::move(custom_fields)}};
    out.update(extra);
    return out;
}

json field_value(long long id, std::string value) {
    return {{"id", id}, {"value", std::move(value)}};
}

// Redmine as the session sees it: each GET's answer by path, and the paths read, in order.
struct fake_redmine {
    std::string recorded_state; // the change's "Upkeep state"
    long long change_tracker_id = change_tracker;
    bool with_questionnaire = true;
    std::vector<json> follow_ups;              // ISMS follow-up tickets of the change
    std::vector<std::string> members = {};     // logins that are project members
    std::optional<long long> lock_version = 7; // what Upkeep's plugin serves; nullopt: a 404
    std::vector<std::string> read;

    json answer(const std::string& path) {
        read.push_back(path);
        if (path == "/users/current.json") return {{"user", {{"id", 1}, {"login", "ciso"}}}};
        if (path.starts_with("/projects/isms.json"))
            return {{"project",
                     {{"id", 7},
                      {"identifier", "isms"},
                      {"trackers",
                       {{{"id", control}, {"name", "Control task"}},
                        {{"id", nc}, {"name", "Nonconformity"}},
                        {{"id", ca}, {"name", "Corrective action"}},
                        {{"id", follow_up}, {"name", "ISMS follow-up"}},
                        {{"id", change_tracker}, {"name", "Change"}}}},
                      {"issue_custom_fields",
                       {{{"id", key}, {"name", "Upkeep key"}},
                        {{"id", state}, {"name", "Upkeep state"}},
                        {{"id", reference}, {"name", "ISMS reference"}},
                        {{"id", grade}, {"name", "NC grade"}},
                        {{"id", source}, {"name", "NC source"}},
                        {{"id", actions}, {"name", "Corrective actions"}},
                        {{"id", impact}, {"name", "ISMS impact"}}}}}}};
        if (path == "/issue_statuses.json")
            return {{"issue_statuses",
                     {{{"id", 1}, {"name", "New"}, {"is_closed", false}},
                      {{"id", 5}, {"name", "Closed"}, {"is_closed", true}}}}};
        if (path == "/projects/isms/wiki/ISMS_configuration.json") {
            json config = json::parse(make_starter_configuration({"Acme", d("2026-03-15")}));
            if (!with_questionnaire) config.erase("changes");
            return {
                {"wiki_page", {{"text", configuration_to_wiki_text(config.dump(), wiki_markup::markdown)}}}};
        }
        if (path == "/issues/500/upkeep_lock.json")
            return lock_version ? json{{"issue", {{"id", change_id}, {"lock_version", *lock_version}}}}
                                : json();
        if (path == "/issues/500.json?include=relations") {
            json related = json::array();
            for (const json& f : follow_ups)
                if (f.value("linked", false))
                    related.push_back(
                        {{"issue_id", change_id}, {"issue_to_id", f["id"]}, {"relation_type", "relates"}});
            return {{"issue", issue(change_id, change_tracker_id,
                                    {field_value(impact, "Not assessed"), field_value(state, recorded_state)},
                                    {{"due_date", "2027-03-30"}, {"relations", related}})}};
        }
        if (path.starts_with("/issues.json?project_id=7&tracker_id=4&")) {
            const std::size_t offset = std::stoul(path.substr(path.rfind("offset=") + 7));
            json page = json::array();
            for (std::size_t i = offset; i < follow_ups.size() && i < offset + 100; ++i) {
                json f = follow_ups[i];
                f.erase("linked");
                page.push_back(f);
            }
            return {{"issues", page}, {"total_count", follow_ups.size()}, {"offset", offset}, {"limit", 100}};
        }
        if (path.starts_with("/projects/isms/memberships.json")) {
            json list = json::array();
            for (std::size_t i = 0; i < members.size(); ++i)
                list.push_back({{"user", {{"id", 100 + i}, {"name", members[i]}}}});
            return {{"memberships", list}, {"total_count", members.size()}, {"offset", 0}, {"limit", 100}};
        }
        if (path.starts_with("/users/")) {
            const std::size_t index = std::stoul(path.substr(7)) - 100;
            return {{"user", {{"id", 100 + index}, {"login", members.at(index)}}}};
        }
        FAIL("unexpected GET " << path);
        return nullptr;
    }

    void run(change_session& session) {
        for (int guard = 0; session.state() == change_state::read && guard < 50; ++guard)
            session.answer(answer(session.path()));
    }
};

change_session::options opts(std::optional<change_answers> answers = std::nullopt) {
    return {"isms", change_id, d("2027-03-01"), std::move(answers)};
}

std::string recorded(const change_answers& answers, int revision = 1) {
    return format_assessment_record({revision, d("2027-03-01"), "ciso", answers});
}

json follow_up_issue(long long id, const std::string& rule, bool linked, bool closed = false) {
    json t = issue(id, follow_up, {field_value(key, "change:500:" + rule), field_value(state, "change=1")});
    if (closed) t["status"] = {{"id", 5}, {"name", "Closed"}};
    t["linked"] = linked;
    return t;
}

std::vector<std::string> kinds_and_keys(const change_session& session) {
    std::vector<std::string> out;
    for (const change_request& r : session.requests())
        out.push_back(r.kind + " " + r.key);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE(
    "recording reads the account, project, statuses, configuration, lock and change, then writes one PUT") {
    fake_redmine redmine;
    change_session session(opts(new_supplier_only()));
    redmine.run(session);
    REQUIRE(session.state() == change_state::ready);
    CHECK(redmine.read ==
          std::vector<std::string>{"/users/current.json",
                                   "/projects/isms.json?include=trackers,issue_custom_fields",
                                   "/issue_statuses.json", "/projects/isms/wiki/ISMS_configuration.json",
                                   "/issues/500/upkeep_lock.json", "/issues/500.json?include=relations"});
    REQUIRE(session.requests().size() == 1);
    const change_request& put = session.requests()[0];
    CHECK(put.kind == "record");
    CHECK(put.method == "PUT");
    CHECK(put.path == "/issues/500.json");
    CHECK(put.reason == "revision 1");
    const json& fields = put.body["issue"]["custom_fields"];
    CHECK(fields[0] == json{{"id", impact}, {"value", "Affects the ISMS"}});
    CHECK(fields[1] == json{{"id", state}, {"value", recorded(new_supplier_only())}});
    CHECK(put.body["issue"]["notes"].get<std::string>().starts_with("ISMS impact assessment, revision 1"));
    // The lock_version read before the change goes back with the PUT: Redmine refuses it if someone wrote
    // the change meanwhile, so two answers never both become revision 1.
    CHECK(put.body["issue"]["lock_version"] == 7);

    // A second assessment is the next revision.
    redmine.recorded_state = recorded(new_supplier_only(), 3);
    change_session again(opts(new_supplier_only()));
    redmine.run(again);
    CHECK(again.requests().at(0).reason == "revision 4");

    // Without the plugin's lock (a 404), the PUT goes without it.
    redmine.lock_version.reset();
    change_session unlocked(opts(new_supplier_only()));
    redmine.run(unlocked);
    REQUIRE(unlocked.state() == change_state::ready);
    CHECK(!unlocked.requests().at(0).body["issue"].contains("lock_version"));
}

TEST_CASE("reconciling creates the follow-ups the record calls for, looking up owners among the members") {
    fake_redmine redmine;
    redmine.recorded_state = recorded(new_supplier_only());
    redmine.members = {"itops", "ciso", "purchasing"};
    change_session session(opts());
    redmine.run(session);
    REQUIRE(session.state() == change_state::ready);
    CHECK(kinds_and_keys(session) == std::vector<std::string>{"create change:500:risk-assessment",
                                                              "create change:500:soa-review",
                                                              "create change:500:supplier-assessment"});
    // Memberships once, then member accounts until every owner is known.
    CHECK(std::count_if(redmine.read.begin(), redmine.read.end(), [](const std::string& p) {
              return p.starts_with("/projects/isms/memberships.json");
          }) == 1);
    CHECK(std::find(redmine.read.begin(), redmine.read.end(), "/users/102.json") != redmine.read.end());
    for (const change_request& r : session.requests()) {
        CHECK(r.method == "POST");
        CHECK(r.path == "/issues.json");
        CHECK(r.link_path == "/issues/500/relations.json");
        const json& created = r.body["issue"];
        CHECK(created["tracker_id"] == follow_up);
        if (r.key.ends_with(":supplier-assessment")) {
            CHECK(created["assigned_to_id"] == 102);    // purchasing
            CHECK(created["due_date"] == "2027-03-23"); // 7 days before the go-live
        }
        if (r.key.ends_with(":soa-review")) CHECK(created["due_date"] == "2027-03-31"); // 30 days after
    }
}

TEST_CASE("reconciling links an unlinked follow-up, closes one no longer called for, and reads every page") {
    fake_redmine redmine;
    redmine.recorded_state = recorded(new_supplier_only());
    // 100 follow-ups of other rules' old generations fill the first page, closed and withdrawn.
    for (int i = 0; i < 100; ++i) {
        json old = follow_up_issue(1000 + i, "policy-review:" + std::to_string(i + 2), true, true);
        old["custom_fields"][1]["value"] = "change=1;withdrawn=1";
        redmine.follow_ups.push_back(old);
    }
    redmine.follow_ups.push_back(follow_up_issue(2001, "risk-assessment", false));
    redmine.follow_ups.push_back(follow_up_issue(2002, "soa-review", true));
    redmine.follow_ups.push_back(follow_up_issue(2003, "supplier-assessment", true));
    redmine.follow_ups.push_back(
        follow_up_issue(2004, "privacy-review", true)); // personal data: not any more
    change_session session(opts());
    redmine.run(session);
    REQUIRE(session.state() == change_state::ready);
    CHECK(std::count_if(redmine.read.begin(), redmine.read.end(), [](const std::string& p) {
              return p.starts_with("/issues.json?project_id=7&tracker_id=4&");
          }) == 2);
    CHECK(kinds_and_keys(session) ==
          std::vector<std::string>{"close change:500:privacy-review", "link change:500:risk-assessment"});
    for (const change_request& r : session.requests()) {
        if (r.kind == "link")
            CHECK(r.body == json{{"relation", {{"issue_to_id", 2001}, {"relation_type", "relates"}}}});
        if (r.kind == "close") {
            CHECK(r.path == "/issues/2004.json");
            CHECK(r.body["issue"]["status_id"] == 5);
        }
    }
    // No owner had to be looked up: nothing is created.
    CHECK(std::none_of(redmine.read.begin(), redmine.read.end(),
                       [](const std::string& p) { return p.find("memberships") != std::string::npos; }));
    CHECK(session.view()["follow_ups"].size() == 104);
}

TEST_CASE("the session says why it stops") {
    SUBCASE("a ticket of another tracker gets no prompt") {
        fake_redmine redmine;
        redmine.change_tracker_id = bug;
        change_session session(opts());
        redmine.run(session);
        CHECK(session.state() == change_state::not_a_change);
        CHECK(session.requests().empty());
    }
    SUBCASE("a configuration without a questionnaire") {
        fake_redmine redmine;
        redmine.with_questionnaire = false;
        change_session session(opts());
        redmine.run(session);
        CHECK(session.state() == change_state::bad_configuration);
        REQUIRE(!session.problems().empty());
        CHECK(session.problems()[0].message.find("add a \"changes\" section") != std::string::npos);
    }
    SUBCASE("owners who are not members of the project (each named once)") {
        fake_redmine redmine;
        redmine.recorded_state = recorded(new_supplier_only());
        redmine.members = {"itops"};
        change_session session(opts());
        redmine.run(session);
        CHECK(session.state() == change_state::not_set_up);
        REQUIRE(!session.problems().empty());
        CHECK(session.problems()[0].message == "these follow-up owners are not members of project isms: ciso "
                                               "purchasing. Add them as members, or "
                                               "change the owners in /changes/follow_ups.");
    }
    SUBCASE("answers that leave a question out") {
        fake_redmine redmine;
        change_answers answers = new_supplier_only();
        answers.erase("roles");
        change_session session(opts(answers));
        redmine.run(session);
        CHECK(session.state() == change_state::bad_answers);
        CHECK(session.requests().empty());
    }
}
