// The change prompt's Redmine session against the in-memory Redmine: which requests it makes, what it
// records, the follow-ups it creates and links (owners looked up only when needed), how two people answering
// at once end with one record, and why it stops. The starter configuration's questionnaire; change #500 goes
// live on 2027-03-30 and is assessed on 2027-03-01.

#include "memory_redmine.hpp"
#include "test_helpers.hpp"

#include <upkeep/redmine/change_session.hpp>

#include <algorithm>

using namespace upkeep;
using namespace upkeep::redmine;
using namespace upkeep::testing;
using json = nlohmann::json;

namespace {

constexpr long long change_id = 500;
const std::string change_path = "/issues/500.json";

// What the starter calls for when only "new supplier" is answered yes: a risk assessment and an SoA review
// (ciso), a supplier assessment (purchasing).
change_answers new_supplier_only() {
    change_answers answers;
    for (const char* q :
         {"new-service", "new-site", "architecture", "organisation", "roles", "incident", "requirements"})
        answers[q] = "no";
    answers["data"] = "none";
    answers["new-supplier"] = "yes";
    return answers;
}

// The state field of that record, written out by hand: answers in the order of their ids.
std::string new_supplier_record(int revision, const char* on, const char* by) {
    return "assessment=" + std::to_string(revision) + ";on=" + on + ";by=" + by +
           ";a=architecture:no,data:none,incident:no,new-service:no,new-site:no,new-supplier:yes,"
           "organisation:no,requirements:no,roles:no";
}

memory_redmine change_redmine(const std::string& recorded_state = "", long long tracker = ids::change) {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, starter_config());
    memory_redmine::issue change;
    change.id = change_id;
    change.project_id = ids::project;
    change.tracker_id = tracker;
    change.author_id = ids::itops;
    change.subject = "Move the payroll to a new provider";
    change.due_date = "2027-03-30";
    change.lock_version = 7;
    change.custom_fields = {{ids::impact, "Not assessed"}};
    if (!recorded_state.empty()) change.custom_fields[ids::state] = recorded_state;
    redmine.add_issue(change);
    return redmine;
}

change_session::options opts(std::optional<change_answers> answers = std::nullopt, bool apply = false,
                             std::optional<int> based_on = std::nullopt) {
    return {"isms", change_id, d("2027-03-01"), std::move(answers), based_on, apply};
}

json run_change(memory_redmine& redmine, change_session::options options) {
    driven<change_session> change(std::move(options));
    REQUIRE(pump(change.run, redmine).done);
    return change.session->result();
}

// A follow-up of change 500 as an earlier answer left it.
long long add_follow_up(memory_redmine& redmine, long long id, const std::string& rule, bool linked,
                        bool closed = false, bool withdrawn = false) {
    memory_redmine::issue f;
    f.id = id;
    f.project_id = ids::project;
    f.tracker_id = ids::follow_up;
    f.author_id = ids::ciso;
    f.subject = "Follow-up " + rule;
    f.status_id = closed ? ids::closed : ids::open;
    f.custom_fields = {{ids::key, "change:500:" + rule},
                       {ids::state, withdrawn ? "change=500;withdrawn=1" : "change=500"}};
    redmine.add_issue(f);
    if (linked) redmine.relate(change_id, id);
    return id;
}

std::size_t relations_of_change(const memory_redmine& redmine) {
    return static_cast<std::size_t>(std::count_if(
        redmine.relations.begin(), redmine.relations.end(), [](const memory_redmine::relation& r) {
            return r.issue_id == change_id || r.issue_to_id == change_id;
        }));
}

const std::string follow_ups_page_0 =
    "GET /issues.json?project_id=7&subproject_id=!*&status_id=*&tracker_id=4&cf_"
    "11=~change%3A500%3A&sort=id&limit=100&offset=0";

} // namespace

TEST_CASE("recording reads the account, project, statuses, page, lock and change, writes one PUT with the "
          "lock_version, then creates and links the follow-ups") {
    memory_redmine redmine = change_redmine();
    const json result = run_change(redmine, opts(new_supplier_only(), true));
    CHECK(result["failure"].is_null());
    CHECK(result["kind"] == "ready");
    CHECK(result["conflict"].is_null());
    // The record, then per follow-up its create and its link.
    CHECK(result["written"] == 7);

    const std::vector<std::string> lines = redmine.lines();
    REQUIRE(lines.size() >= 8);
    CHECK(std::vector<std::string>(lines.begin(), lines.begin() + 8) ==
          std::vector<std::string>{
              "GET /users/current.json", "GET /projects/isms.json?include=trackers,issue_custom_fields",
              "GET /issue_statuses.json", "GET /projects/isms/wiki/ISMS_configuration.json",
              "GET /projects/isms/upkeep_configuration_trust.json", "GET /issues/500/upkeep_lock.json",
              "GET /issues/500.json?include=relations", "PUT /issues/500.json"});
    const json put = json::parse(redmine.requests[7].body)["issue"];
    CHECK(put["lock_version"] == 7);
    CHECK(put["custom_fields"] ==
          json::array({{{"id", ids::impact}, {"value", "Affects the ISMS"}},
                       {{"id", ids::state}, {"value", new_supplier_record(1, "2027-03-01", "ciso")}}}));
    CHECK(put["notes"].get<std::string>().starts_with("ISMS impact assessment, revision 1"));

    const auto& change = redmine.issues.at(change_id);
    CHECK(change.field(ids::state) == new_supplier_record(1, "2027-03-01", "ciso"));
    CHECK(change.field(ids::impact) == "Affects the ISMS");
    CHECK(change.notes().size() == 1);

    // The follow-ups: the starter's rules for a new supplier, with their owners and due dates.
    // Those due before go-live block the change (Redmine keeps it open until they close); the SoA
    // review, due after the assessment, relates to it.
    struct expected {
        const char* key;
        long long assignee;
        const char* due;
        bool blocks;
    };
    for (const expected& e :
         {expected{"change:500:risk-assessment", ids::ciso, "2027-03-23", true}, // 7 before go-live
          expected{"change:500:soa-review", ids::ciso, "2027-03-31", false},     // 30 after
          expected{"change:500:supplier-assessment", 14, "2027-03-23", true}}) { // purchasing
        CAPTURE(e.key);
        const auto made = redmine.issues_with(ids::key, e.key);
        REQUIRE(made.size() == 1);
        CHECK(made[0]->tracker_id == ids::follow_up);
        CHECK(made[0]->assigned_to_id == e.assignee);
        CHECK(made[0]->due_date == e.due);
        CHECK(std::any_of(redmine.relations.begin(), redmine.relations.end(), [&](const auto& r) {
            return e.blocks ? r.issue_id == made[0]->id && r.issue_to_id == change_id && r.type == "blocks"
                            : r.issue_id == change_id && r.issue_to_id == made[0]->id && r.type == "relates";
        }));
    }
    CHECK(redmine.count("POST", "/issues.json") == 3);
    CHECK(redmine.count("POST", "/issues/500/relations.json") == 3);
    CHECK(relations_of_change(redmine) == 3);
    // The follow-ups' owners, looked up once: the memberships, then members until purchasing is known.
    CHECK(redmine.count("GET", "/projects/isms/memberships.json") == 1);
    for (const char* user : {"/users/1.json", "/users/2.json", "/users/10.json", "/users/11.json",
                             "/users/12.json", "/users/13.json", "/users/14.json"})
        CHECK(redmine.count("GET", user) == 1);
    CHECK(redmine.count("GET", "/users/15.json") == 0);
    // The last pass reads the change and its follow-ups again and finds nothing left.
    CHECK(std::vector<std::string>(lines.end() - 2, lines.end()) ==
          std::vector<std::string>{"GET /issues/500.json?include=relations", follow_ups_page_0});
    CHECK(result["view"]["requests"].empty());
}

TEST_CASE("a second assessment is the next revision; without the plugin's lock the PUT goes without one") {
    // Revision 3 said "no" to the supplier question; the new answers say "yes".
    std::string no_supplier = new_supplier_record(3, "2027-02-01", "itops");
    no_supplier.replace(no_supplier.find("new-supplier:yes"), 16, "new-supplier:no");
    memory_redmine redmine = change_redmine(no_supplier);
    SUBCASE("with the lock") {
        CHECK(run_change(redmine, opts(new_supplier_only(), false, 3))["failure"].is_null());
        const json put = json::parse(redmine.requests[7].body)["issue"];
        CHECK(put["lock_version"] == 7);
        CHECK(redmine.issues.at(change_id).field(ids::state) == new_supplier_record(4, "2027-03-01", "ciso"));
    }
    SUBCASE("without") {
        redmine.lock_plugin = false;
        CHECK(run_change(redmine, opts(new_supplier_only()))["failure"].is_null());
        REQUIRE(redmine.lines()[7] == "PUT /issues/500.json");
        CHECK(!json::parse(redmine.requests[7].body)["issue"].contains("lock_version"));
        CHECK(redmine.issues.at(change_id).field(ids::state) == new_supplier_record(4, "2027-03-01", "ciso"));
    }
    // Recording without apply writes the record only.
    CHECK(redmine.writes() == 1);
}

TEST_CASE("answering again as the record stands writes no new revision and no second note") {
    memory_redmine redmine = change_redmine();
    const json first = run_change(redmine, opts(new_supplier_only(), true, 0));
    REQUIRE(first["failure"].is_null());
    CHECK(first["unchanged"] == false);
    const std::string record = redmine.issues.at(change_id).field(ids::state);
    const std::size_t notes = redmine.issues.at(change_id).notes().size();
    const std::size_t puts = redmine.count("PUT", change_path);

    const json again = run_change(redmine, opts(new_supplier_only(), true, 1));
    CHECK(again["failure"].is_null());
    CHECK(again["unchanged"] == true);
    CHECK(again["conflict"].is_null());
    CHECK(again["written"] == 0);
    CHECK(again["view"]["record"]["revision"] == 1);
    CHECK(redmine.count("PUT", change_path) == puts);
    CHECK(redmine.issues.at(change_id).field(ids::state) == record);
    CHECK(redmine.issues.at(change_id).notes().size() == notes);
}

TEST_CASE("answers given on a form that showed an older revision write nothing and say whose record stands") {
    memory_redmine redmine = change_redmine(new_supplier_record(2, "2027-02-27", "itops"));
    const json result = run_change(redmine, opts(new_supplier_only(), true, 1));
    CHECK(result["failure"].is_null());
    CHECK(result["conflict"] ==
          "itops recorded an assessment of this change while you were answering (revision "
          "2, shown here). Yours was not recorded: answer again if it differs.");
    CHECK(result["view"]["record"]["revision"] == 2);
    CHECK(redmine.writes() == 0);
    CHECK(redmine.issues.at(change_id).field(ids::state) == new_supplier_record(2, "2027-02-27", "itops"));
}

TEST_CASE("a record refused as stale after someone commented is read again and recorded") {
    memory_redmine redmine = change_redmine();
    bool commented = false;
    redmine.meanwhile = [&](const http_request& r) {
        if (!commented && r.method == "PUT" && r.path == change_path) {
            commented = true;
            redmine.comment(change_id, ids::itops, "Go-live moved by a week?");
        }
    };
    const json result = run_change(redmine, opts(new_supplier_only()));
    CHECK(result["failure"].is_null());
    CHECK(result["conflict"].is_null());
    CHECK(redmine.count("PUT", change_path) == 2);
    CHECK(redmine.count("GET", "/issues/500/upkeep_lock.json") == 2);
    // The second PUT carries the lock_version read again: 7, then 8 after the comment.
    std::vector<long long> locks;
    for (const http_request& r : redmine.requests)
        if (r.method == "PUT" && r.path == change_path)
            locks.push_back(json::parse(r.body)["issue"]["lock_version"].get<long long>());
    CHECK(locks == std::vector<long long>{7, 8});
    const auto& change = redmine.issues.at(change_id);
    CHECK(change.field(ids::state) == new_supplier_record(1, "2027-03-01", "ciso"));
    CHECK(change.notes().size() == 2); // the comment and one assessment
    CHECK(result["written"] == 1);
}

TEST_CASE("a record refused as stale because someone recorded meanwhile leaves theirs standing") {
    memory_redmine redmine = change_redmine();
    redmine.meanwhile = [&](const http_request& r) {
        if (r.method == "PUT" && r.path == change_path &&
            redmine.issues.at(change_id).field(ids::state).empty()) {
            redmine.issues.at(change_id).custom_fields[ids::state] =
                new_supplier_record(1, "2027-03-01", "hr");
            redmine.comment(change_id, 12, "ISMS impact assessment, revision 1 (hr)");
        }
    };
    const json result = run_change(redmine, opts(new_supplier_only(), true));
    CHECK(result["failure"].is_null());
    CHECK(result["conflict"].get<std::string>().starts_with("hr recorded an assessment of this change"));
    CHECK(redmine.count("PUT", change_path) == 1);
    CHECK(redmine.issues.at(change_id).field(ids::state) == new_supplier_record(1, "2027-03-01", "hr"));
    CHECK(redmine.count("POST", "/issues.json") == 0);
}

TEST_CASE("a record whose answer was lost is looked up by its state and not sent again") {
    memory_redmine redmine = change_redmine();
    redmine.fail_matching("PUT", change_path, 0, memory_redmine::timing::after);
    const json result = run_change(redmine, opts(new_supplier_only()));
    CHECK(result["failure"].is_null());
    CHECK(result["conflict"].is_null());
    CHECK(result["written"] == 1);
    CHECK(redmine.count("PUT", change_path) == 1);
    const auto lines = redmine.lines();
    CHECK(std::count(lines.begin(), lines.end(), "GET " + change_path) == 1); // the check
    CHECK(redmine.issues.at(change_id).field(ids::state) == new_supplier_record(1, "2027-03-01", "ciso"));
    CHECK(redmine.issues.at(change_id).notes().size() == 1);
}

TEST_CASE("a record Redmine drops (the role may not edit its fields) is refused, not taken as recorded") {
    memory_redmine redmine = change_redmine();
    redmine.read_only_fields = {ids::impact, ids::state};
    const json result = run_change(redmine, opts(new_supplier_only(), true));
    CHECK(result["failure"]["kind"] == "refused");
    CHECK(
        result["failure"]["message"].get<std::string>().starts_with("Redmine did not store the assessment"));
    CHECK(redmine.count("PUT", change_path) == 1);
    CHECK(redmine.count("POST", "/issues.json") == 0); // no follow-up of an assessment that is not there
}

TEST_CASE("a relation Redmine refuses is checked by the next pass") {
    memory_redmine redmine = change_redmine(new_supplier_record(1, "2027-03-01", "ciso"));
    SUBCASE("someone linked the same follow-up first: nothing is linked twice") {
        redmine.meanwhile = [&](const http_request& r) {
            if (r.method == "POST" && r.path == "/issues/500/relations.json" && redmine.relations.empty()) {
                const long long to = json::parse(r.body)["relation"]["issue_to_id"].get<long long>();
                redmine.relate(change_id, to);
            }
        };
        const json result = run_change(redmine, opts(std::nullopt, true));
        CHECK(result["failure"].is_null());
        CHECK(redmine.count("POST", "/issues/500/relations.json") == 3);
        CHECK(result["written"] == 5); // three creates, two links of its own
    }
    SUBCASE("refused for another reason: linked again by the next pass") {
        redmine.fail_matching("POST", "/issues/500/relations.json", 422);
        const json result = run_change(redmine, opts(std::nullopt, true));
        CHECK(result["failure"].is_null());
        CHECK(redmine.count("POST", "/issues/500/relations.json") == 4);
        CHECK(result["written"] == 6);
    }
    CHECK(redmine.count("POST", "/issues.json") == 3);
    CHECK(relations_of_change(redmine) == 3);
    CHECK(redmine.count("GET", "/projects/isms/memberships.json") == 1);
}

TEST_CASE("a follow-up whose create answer was lost is looked up by its key, then linked") {
    memory_redmine redmine = change_redmine(new_supplier_record(1, "2027-03-01", "ciso"));
    redmine.fail_matching("POST", "/issues.json", 0, memory_redmine::timing::after);
    const json result = run_change(redmine, opts(std::nullopt, true));
    CHECK(result["failure"].is_null());
    CHECK(redmine.count("POST", "/issues.json") == 3);
    CHECK(redmine.issues.size() == 4); // the change and three follow-ups
    CHECK(relations_of_change(redmine) == 3);
}

TEST_CASE("bringing the follow-ups in line links an unlinked one and closes one no longer called for") {
    memory_redmine redmine = change_redmine(new_supplier_record(1, "2027-03-01", "ciso"));
    // Closed, withdrawn generations of another rule stay as they are.
    for (int i = 0; i < 3; ++i)
        add_follow_up(redmine, 1000 + i, "policy-review:" + std::to_string(i + 2), true, true, true);
    add_follow_up(redmine, 2001, "risk-assessment", false);
    add_follow_up(redmine, 2002, "soa-review", true);
    add_follow_up(redmine, 2003, "supplier-assessment", true);
    add_follow_up(redmine, 2004, "privacy-review", true); // personal data: not any more

    SUBCASE("shown") {
        const json result = run_change(redmine, opts());
        CHECK(result["failure"].is_null());
        std::vector<std::string> requests;
        for (const json& r : result["view"]["requests"])
            requests.push_back(r["kind"].get<std::string>() + " " + r["key"].get<std::string>());
        std::sort(requests.begin(), requests.end());
        CHECK(requests ==
              std::vector<std::string>{"close change:500:privacy-review", "link change:500:risk-assessment"});
        CHECK(result["view"]["follow_ups"].size() == 7);
        CHECK(redmine.writes() == 0);
    }
    SUBCASE("applied") {
        const json result = run_change(redmine, opts(std::nullopt, true));
        CHECK(result["failure"].is_null());
        CHECK(result["written"] == 2);
        CHECK(redmine.count("POST", "/issues/500/relations.json") == 1);
        const auto& privacy = redmine.issues.at(2004);
        CHECK(privacy.status_id == ids::closed);
        CHECK(privacy.field(ids::state) == "change=500;withdrawn=1");
        CHECK(redmine.count("PUT", "/issues/2004.json") == 1);
        CHECK(relations_of_change(redmine) == 7); // every follow-up linked, 2001 now too
        // The follow-ups read, then again for the pass that finds nothing left.
        CHECK(redmine.count("GET", "/issues.json?project_id=7&subproject_id=!*&status_id=*&tracker_id=4&") ==
              2);
    }
    // Nothing is created: no owner to look up.
    CHECK(redmine.count("GET", "/projects/isms/memberships.json") == 0);
}

TEST_CASE("the change session says why it stops") {
    SUBCASE("a ticket of another tracker gets no prompt") {
        memory_redmine redmine = change_redmine("", ids::bug);
        const json result = run_change(redmine, opts(new_supplier_only(), true));
        CHECK(result["kind"] == "not_a_change");
        CHECK(result["failure"].is_null());
        CHECK(redmine.writes() == 0);
    }
    SUBCASE("a change that does not exist") {
        memory_redmine redmine = change_redmine();
        redmine.issues.erase(change_id);
        const json result = run_change(redmine, opts());
        CHECK(result["failure"]["kind"] == "not_set_up");
        CHECK(result["failure"]["message"] == "change #500 does not exist or is not visible to your account");
    }
    SUBCASE("a configuration without a questionnaire") {
        memory_redmine redmine = change_redmine();
        json config = json::parse(starter_config());
        config.erase("changes");
        set_configuration(redmine, config.dump());
        const json result = run_change(redmine, opts());
        CHECK(result["failure"]["kind"] == "bad_input");
        CHECK(result["failure"]["message"].get<std::string>().find("add a \"changes\" section") !=
              std::string::npos);
    }
    SUBCASE("a project without the ISMS follow-up tracker") {
        memory_redmine redmine = change_redmine();
        auto& trackers = redmine.project_named("isms").trackers;
        trackers.erase(std::find(trackers.begin(), trackers.end(), ids::follow_up));
        const json result = run_change(redmine, opts(new_supplier_only()));
        CHECK(result["failure"]["kind"] == "not_set_up");
        REQUIRE(result["failure"]["problems"].size() == 1);
        CHECK(result["failure"]["problems"][0]["message"].get<std::string>().starts_with(
            "the project has no \"ISMS follow-up\" tracker."));
        CHECK(redmine.writes() == 0);
    }
    SUBCASE("follow-up owners who are not members of the project (each named once)") {
        memory_redmine redmine = change_redmine(new_supplier_record(1, "2027-03-01", "ciso"));
        redmine.project_named("isms").member_users = {ids::itops};
        const json result = run_change(redmine, opts(std::nullopt, true));
        CHECK(result["failure"]["kind"] == "not_set_up");
        CHECK(result["failure"]["message"] == "these follow-up owners are not members of project isms: ciso "
                                              "purchasing. Add them as members, or "
                                              "change the owners in /changes/follow_ups.");
        CHECK(redmine.writes() == 0);
    }
    SUBCASE("answers that leave a question out") {
        memory_redmine redmine = change_redmine();
        change_answers answers = new_supplier_only();
        answers.erase("roles");
        const json result = run_change(redmine, opts(answers, true));
        CHECK(result["kind"] == "bad_answers");
        CHECK(result["failure"].is_null());
        CHECK(redmine.writes() == 0);
        REQUIRE(!result["view"]["problems"].empty());
        CHECK(result["view"]["problems"][0]["pointer"] == "/answers/roles");
    }
}
