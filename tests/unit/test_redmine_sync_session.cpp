// The Redmine sync session against the in-memory Redmine: the reads it makes and in which order, which
// tickets it takes for Upkeep's, the owner lookup, and that every write survives a lost answer, a kill
// and a refusal: a rerun finishes the job without duplicates.
//
// The configuration is small and hand-made so every expectation can be worked out by hand: one activity
// "scan" owned by itops, monthly on the 1st with a lead time of 7 days, certified on 2027-01-15 (the
// first audit period starts then), nonconformities owned by ciso.

#include "memory_redmine.hpp"
#include "test_helpers.hpp"

#include <upkeep/redmine/sync_session.hpp>
#include <upkeep/redmine/wiki_storage.hpp>
#include <upkeep/sync_lease.hpp>
#include <upkeep/ticket_state.hpp>

#include <algorithm>

using namespace upkeep;
using namespace upkeep::redmine;
using namespace upkeep::testing;
using json = nlohmann::json;

namespace {

std::string config_with(const std::string& rrule, const std::string& owner = "itops",
                        const std::string& title = "Scan") {
    return R"({"version": 1, "organisation": {"name": "Acme"},
      "certification": {"decision_date": "2027-01-15"},
      "activities": [{"id": "scan", "title": ")" +
           title + R"(", "references": ["A.8.8"], "owner": ")" + owner + R"(",
        "lead_time_days": 7, "instructions": "Run it.", "evidence": "Report.",
        "cadence": {"rrule": ")" +
           rrule + R"(", "start": "2027-01-01"}}],
      "nonconformities": {"grace_days": 30, "owner": "ciso", "verification_days": 30},
      "sync": {"accounts": ["ciso", "upkeep-bot"]}})";
}

const std::string monthly = config_with("FREQ=MONTHLY;BYMONTHDAY=1");
// Nothing falls due before December: a plan with no control task, for the nonconformity and feed tests.
const std::string yearly = config_with("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1");

memory_redmine redmine_with(const std::string& config) {
    memory_redmine redmine = isms_redmine();
    set_configuration(redmine, config);
    return redmine;
}

struct sync_run {
    pumped pump;
    json result;
    std::size_t written = 0;
};

// When a run takes its lease, for half an hour: each run a day after the one before, so the lease of a
// killed run has expired by the next (the lease's own tests give their times).
std::pair<std::string, std::string> next_run_time() {
    static int runs = 0;
    const std::string day = format_iso_date(d("2027-03-06") + date::days{runs++});
    return {day + "T08:00:00Z", day + "T08:30:00Z"};
}

// One `upkeep sync` run as of `today`; `stop` kills it after a request.
sync_run run_sync(memory_redmine& redmine, const char* today, bool feed = false,
                  const std::function<bool(std::size_t, const http_request&)>& stop = {},
                  retry_policy policy = fast_retries()) {
    const auto [now, until] = next_run_time();
    driven<sync_session> sync({"isms", d(today), std::nullopt, true, feed, now, until, "test run"}, policy);
    sync_run out;
    out.pump = pump(sync.run, redmine, stop);
    out.result = sync.session->result();
    out.written = sync.session->written();
    return out;
}

// Stops a run right after the first request with this method and path.
std::function<bool(std::size_t, const http_request&)> after(std::string method, std::string path) {
    return
        [method, path](std::size_t, const http_request& r) { return r.method == method && r.path == path; };
}

std::string issue_path(long long id) {
    return "/issues/" + std::to_string(id) + ".json";
}

const std::string tickets_page_0 =
    "GET /issues.json?project_id=7&subproject_id=!*&status_id=*&cf_11=*&include="
    "attachments&sort=id&limit=100&offset=0";
const std::string lease_read = "GET /projects/isms/wiki/ISMS_sync_lease.json";
const std::string trust_read = "GET /projects/isms/upkeep_configuration_trust.json";
const std::string lease_write = "PUT /projects/isms/wiki/ISMS_sync_lease.json"; // taken, then released
const std::string nonconformities_page_0 =
    "GET /issues.json?project_id=7&subproject_id=!*&status_id=*&tracker_id=2&sort=id&limit=100&offset=0";

// A nonconformity Upkeep proposed (made by ciso, the account the runs use), with one corrective action.
long long add_upkeep_nonconformity(memory_redmine& redmine) {
    memory_redmine::issue nc;
    nc.project_id = ids::project;
    nc.tracker_id = ids::nonconformity;
    nc.author_id = ids::ciso;
    nc.subject = "Missed control: Scan (due 2027-02-01)";
    nc.custom_fields = {{ids::key, "nc:missed:control:scan:2027-02-01"},
                        {ids::actions, "itops: Put the scan in the ops calendar (due 2027-04-15)"}};
    return redmine.add_issue(nc).id;
}

void close_issue(memory_redmine& redmine, const memory_redmine::issue* issue) {
    REQUIRE(issue != nullptr);
    redmine.issues.at(issue->id).status_id = ids::closed;
}

// The issue whose key starts with `prefix` (exactly one).
const memory_redmine::issue* keyed(const memory_redmine& redmine, const std::string& prefix) {
    const memory_redmine::issue* found = nullptr;
    for (const auto& [id, i] : redmine.issues)
        if (i.field(ids::key).starts_with(prefix)) {
            REQUIRE_MESSAGE(found == nullptr, "two issues keyed " << prefix);
            found = &i;
        }
    return found;
}

// Brings the nonconformity to where Upkeep closes it: the sync makes its corrective action, people close
// it, the sync makes the verification, people close that.
void verified_nonconformity(memory_redmine& redmine, long long nc) {
    REQUIRE(run_sync(redmine, "2027-03-10").result["failure"].is_null());
    close_issue(redmine, keyed(redmine, "ca:" + std::to_string(nc) + ":"));
    REQUIRE(run_sync(redmine, "2027-03-11").result["failure"].is_null());
    close_issue(redmine, keyed(redmine, "verify:" + std::to_string(nc)));
}

const std::string closing_note = "Corrective actions done and verified effective";

std::size_t closing_notes(const memory_redmine::issue& nc) {
    const auto notes = nc.notes();
    return static_cast<std::size_t>(std::count_if(
        notes.begin(), notes.end(), [](const std::string& n) { return n.starts_with(closing_note); }));
}

} // namespace

TEST_CASE("a first sync reads the account, project, statuses, page, tickets, nonconformities and owners, "
          "then writes") {
    memory_redmine redmine = redmine_with(monthly);
    const sync_run run = run_sync(redmine, "2027-03-10", true);
    REQUIRE(run.pump.done);
    CHECK(run.result["failure"].is_null());
    // Since 2027-01-15, up to today + 7 days: the occurrences of 02-01 and 03-01, both already late.
    CHECK(redmine.lines() ==
          std::vector<std::string>{
              "GET /users/current.json", "GET /projects/isms.json?include=trackers,issue_custom_fields",
              "GET /issue_statuses.json",
              "GET /projects/isms/wiki/ISMS_configuration.json?include=attachments", trust_read, lease_read,
              lease_write, tickets_page_0, nonconformities_page_0,
              "GET /projects/isms/memberships.json?limit=100&offset=0", "GET /users/1.json",
              "GET /users/2.json",
              "GET /users/10.json", // itops, the only owner: found, the lookup stops
              "POST /issues.json", "POST /issues.json", "POST /uploads.json?filename=isms-calendar.ics",
              "PUT /projects/isms/wiki/ISMS_configuration.json",
              "GET /projects/isms/wiki/ISMS_configuration.json?include=attachments", lease_write});
    CHECK(run.written == 2);
    CHECK(run.result["written"] == 2);
    CHECK(run.result["writing"] == true);
    CHECK(run.result["feed"] == "published");
    CHECK(run.result["plan"]["counts"]["create"] == 2);

    const auto* first = redmine.issue_with(ids::key, "control:scan:2027-02-01");
    REQUIRE(first != nullptr);
    CHECK(first->subject == "Scan (due 2027-02-01)");
    CHECK(first->tracker_id == ids::control);
    CHECK(first->author_id == ids::ciso);
    CHECK(first->assigned_to_id == ids::itops);
    CHECK(first->start_date == "2027-01-25");
    CHECK(first->due_date == "2027-02-01");
    CHECK(first->field(ids::reference) == "A.8.8");
    const ticket_state state = ticket_state::parse(first->field(ids::state));
    CHECK(state.overdue);
    CHECK(state.backlog); // due before Upkeep's first sync here
    CHECK(state.since == d("2027-03-10"));
    CHECK(redmine.issue_with(ids::key, "control:scan:2027-03-01") != nullptr);
    CHECK(redmine.issues.size() == 2);
}

TEST_CASE("a second run with nothing new reads, writes nothing and looks up no owner") {
    memory_redmine redmine = redmine_with(monthly);
    REQUIRE(run_sync(redmine, "2027-03-10", true).result["failure"].is_null());
    const std::size_t before = redmine.requests.size();
    const sync_run again = run_sync(redmine, "2027-03-10", true);
    CHECK(again.result["failure"].is_null());
    CHECK(again.written == 0);
    CHECK(again.result["plan"]["unchanged"] == 2);
    CHECK(again.result["feed"] == "unchanged");
    const std::vector<std::string> all = redmine.lines();
    const std::vector<std::string> lines(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
    CHECK(lines == std::vector<std::string>{
                       "GET /users/current.json",
                       "GET /projects/isms.json?include=trackers,issue_custom_fields",
                       "GET /issue_statuses.json",
                       "GET /projects/isms/wiki/ISMS_configuration.json?include=attachments", trust_read,
                       lease_read, lease_write, tickets_page_0, nonconformities_page_0, lease_write});
}

TEST_CASE("a look-alike ticket made by someone who is not a sync account is never written") {
    memory_redmine redmine = redmine_with(monthly);
    memory_redmine::issue fake;
    fake.project_id = ids::project;
    fake.tracker_id = ids::control;
    fake.author_id = ids::mallory;
    fake.subject = "Scan (due 2027-02-01)";
    fake.custom_fields = {{ids::key, "control:scan:2027-02-01"}, {ids::state, "h=0"}};
    const long long fake_id = redmine.add_issue(fake).id;

    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"].is_null());
    CHECK(redmine.count("PUT", issue_path(fake_id)) == 0);
    CHECK(redmine.issues.at(fake_id).journals.empty());
    CHECK(redmine.issues.at(fake_id).field(ids::state) == "h=0");
    CHECK(redmine.count("GET", "/users/3.json") == 1); // mallory's login, read once
    // Upkeep makes its own ticket for that occurrence; the look-alike stays beside it.
    CHECK(redmine.issues_with(ids::key, "control:scan:2027-02-01").size() == 2);
    CHECK(run.result["plan"]["counts"]["create"] == 2);
}

TEST_CASE("a ticket made by a configured sync account counts as Upkeep's, its author read once") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.project_named("isms").member_users = {ids::itops, ids::ciso, ids::bot}; // itops found first
    for (const char* key : {"control:scan:2027-02-01", "control:scan:2027-03-01"}) {
        memory_redmine::issue made;
        made.project_id = ids::project;
        made.tracker_id = ids::control;
        made.author_id = ids::bot;
        made.subject = "An older text";
        made.custom_fields = {{ids::key, key}, {ids::state, "backlog=1;since=2027-03-01"}};
        redmine.add_issue(made);
    }
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"].is_null());
    CHECK(redmine.count("GET", "/users/2.json") == 1);
    CHECK(redmine.count("POST", "/issues.json") == 0);
    // Its fields are not Upkeep's current ones (no hash in the state): both are updated, and overdue.
    CHECK(run.result["plan"]["counts"]["update"] == 2);
    CHECK(redmine.count("PUT", "/issues/1.json") == 1);
    CHECK(redmine.count("PUT", "/issues/2.json") == 1);
    CHECK(redmine.issues.at(1).subject == "Scan (due 2027-02-01)");
    CHECK(redmine.issues.size() == 2);
}

TEST_CASE("an owner that is a group is found among the memberships: no account is read") {
    memory_redmine redmine = redmine_with(config_with("FREQ=MONTHLY;BYMONTHDAY=1", "group:Security team"));
    redmine.groups[40] = "Security team";
    redmine.project_named("isms").member_groups = {40};
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"].is_null());
    CHECK(redmine.count("GET", "/projects/isms/memberships.json") == 1);
    CHECK(redmine.count("GET", "/users/") - redmine.count("GET", "/users/current.json") == 0);
    for (const auto& [id, issue] : redmine.issues)
        CHECK(issue.assigned_to_id == 40);
    CHECK(redmine.issues.size() == 2);
}

TEST_CASE("an owner who is not a member of the project stops the session before any write") {
    memory_redmine redmine = redmine_with(config_with("FREQ=MONTHLY;BYMONTHDAY=1", "secops"));
    auto& members = redmine.project_named("isms").member_users;
    members.erase(std::find(members.begin(), members.end(), 11)); // secops
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.pump.done);
    CHECK(run.result["failure"]["kind"] == "not_set_up");
    CHECK(run.result["failure"]["message"].get<std::string>().starts_with(
        "these owners are not members of project isms, so tickets cannot be assigned to them: secops."));
    CHECK(run.result["writing"] == false);
    CHECK(redmine.writes() == 2); // the lease, taken and released: no ticket
    CHECK(redmine.count("PUT", "/projects/isms/wiki/ISMS_sync_lease.json") == 2);
    CHECK(
        sync_lease_from_text(redmine.project_named("isms").wiki.at("ISMS_sync_lease").text)->holder.empty());
    // Every one of the 7 members left was read to look for secops.
    CHECK(redmine.count("GET", "/users/") - redmine.count("GET", "/users/current.json") == 7);
}

TEST_CASE("a create whose answer was lost is looked up by its key and not made twice") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.fail_matching("POST", "/issues.json", 0, memory_redmine::timing::after);
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"].is_null());
    CHECK(run.written == 2);
    CHECK(redmine.count("POST", "/issues.json") == 2); // one each: the lost one was not sent again
    CHECK(redmine.count("GET", "/issues.json?project_id=7&subproject_id=!*&status_id=*&cf_11=control%3Ascan%"
                               "3A2027-02-01&sort=id&limit=100&offset=0") == 1);
    CHECK(redmine.issues_with(ids::key, "control:scan:2027-02-01").size() == 1);
    CHECK(redmine.issues.size() == 2);
    CHECK(run_sync(redmine, "2027-03-10").written == 0);
}

TEST_CASE("a create refused before it was made is sent again after its lookup") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.fail_matching("POST", "/issues.json", 503, memory_redmine::timing::before);
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"].is_null());
    CHECK(redmine.count("POST", "/issues.json") == 3);
    CHECK(redmine.issues_with(ids::key, "control:scan:2027-02-01").size() == 1);
    CHECK(redmine.issues.size() == 2);
}

TEST_CASE("an update whose answer was lost is looked up by the state it writes") {
    // 2027-01-28: the 02-01 task is made in time; 2027-02-03: it is overdue, one comment.
    memory_redmine redmine = redmine_with(monthly);
    REQUIRE(run_sync(redmine, "2027-01-28").written == 1);
    const auto* task = redmine.issue_with(ids::key, "control:scan:2027-02-01");
    REQUIRE(task != nullptr);
    const std::string path = issue_path(task->id);

    SUBCASE("it went through: not sent again") {
        redmine.fail_matching("PUT", path, 0, memory_redmine::timing::after);
        const sync_run run = run_sync(redmine, "2027-02-03");
        CHECK(run.result["failure"].is_null());
        CHECK(run.written == 1);
        CHECK(redmine.count("PUT", path) == 1);
        CHECK(redmine.count("GET", path) == 1); // the check
    }
    SUBCASE("it did not: sent again after the check") {
        redmine.fail_matching("PUT", path, 502, memory_redmine::timing::before);
        const sync_run run = run_sync(redmine, "2027-02-03");
        CHECK(run.result["failure"].is_null());
        CHECK(redmine.count("PUT", path) == 2);
    }
    const auto notes = redmine.issues.at(task->id).notes();
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].starts_with("Overdue: this ISMS task was due on 2027-02-01 (owner: itops)."));
    CHECK(ticket_state::parse(redmine.issues.at(task->id).field(ids::state)).overdue);
    CHECK(run_sync(redmine, "2027-02-03").written == 0);
}

TEST_CASE("closing Upkeep's nonconformity is a note, then the status, read back") {
    memory_redmine redmine = redmine_with(yearly);
    const long long nc = add_upkeep_nonconformity(redmine);
    verified_nonconformity(redmine, nc);
    const std::size_t before = redmine.requests.size();
    const sync_run run = run_sync(redmine, "2027-03-12");
    CHECK(run.result["failure"].is_null());
    CHECK(run.written == 1);
    const std::vector<std::string> all = redmine.lines();
    const std::vector<std::string> lines(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
    CHECK(std::vector<std::string>(lines.end() - 4, lines.end()) ==
          std::vector<std::string>{"PUT " + issue_path(nc), "PUT " + issue_path(nc), "GET " + issue_path(nc),
                                   lease_write});
    const json note = json::parse(redmine.requests[redmine.requests.size() - 4].body);
    CHECK(note["issue"]["custom_fields"] == json::array({{{"id", ids::state}, {"value", "closing=1"}}}));
    CHECK(!note["issue"].contains("status_id"));
    const json status = json::parse(redmine.requests[redmine.requests.size() - 3].body);
    CHECK(status == json{{"issue", {{"status_id", ids::closed}}}});
    CHECK(redmine.issues.at(nc).status_id == ids::closed);
    CHECK(closing_notes(redmine.issues.at(nc)) == 1);
}

TEST_CASE("a run killed between the closing note and the status is finished by the next: one note") {
    memory_redmine redmine = redmine_with(yearly);
    const long long nc = add_upkeep_nonconformity(redmine);
    verified_nonconformity(redmine, nc);
    const sync_run killed = run_sync(redmine, "2027-03-12", false, after("PUT", issue_path(nc)));
    CHECK(!killed.pump.done);
    CHECK(redmine.issues.at(nc).status_id == ids::open);
    CHECK(redmine.issues.at(nc).field(ids::state) == "closing=1");

    const std::size_t before = redmine.count("PUT", issue_path(nc));
    const sync_run rerun = run_sync(redmine, "2027-03-12");
    CHECK(rerun.result["failure"].is_null());
    CHECK(rerun.written == 1);
    CHECK(redmine.count("PUT", issue_path(nc)) == before + 1); // the status only
    CHECK(json::parse(redmine.requests[redmine.requests.size() - 3].body) ==
          json{{"issue", {{"status_id", ids::closed}}}});
    CHECK(redmine.issues.at(nc).status_id == ids::closed);
    CHECK(closing_notes(redmine.issues.at(nc)) == 1);
    CHECK(run_sync(redmine, "2027-03-12").written == 0);
}

TEST_CASE("a workflow that refuses the close: refused, the note once; allowed later, the status only") {
    memory_redmine redmine = redmine_with(yearly);
    const long long nc = add_upkeep_nonconformity(redmine);
    verified_nonconformity(redmine, nc);
    redmine.close_refused = {ids::nonconformity};
    const sync_run refused = run_sync(redmine, "2027-03-12");
    CHECK(refused.pump.done);
    CHECK(refused.result["failure"]["kind"] == "refused");
    CHECK(refused.result["failure"]["message"].get<std::string>().find("workflow") != std::string::npos);
    CHECK(redmine.issues.at(nc).status_id == ids::open);
    CHECK(closing_notes(redmine.issues.at(nc)) == 1);

    redmine.close_refused.clear();
    const std::size_t puts = redmine.count("PUT", issue_path(nc));
    const sync_run allowed = run_sync(redmine, "2027-03-12");
    CHECK(allowed.result["failure"].is_null());
    CHECK(redmine.count("PUT", issue_path(nc)) == puts + 1);
    CHECK(redmine.issues.at(nc).status_id == ids::closed);
    CHECK(closing_notes(redmine.issues.at(nc)) == 1);
}

TEST_CASE("a read-back that keeps failing after the close is unreachable, not refused") {
    memory_redmine redmine = redmine_with(yearly);
    const long long nc = add_upkeep_nonconformity(redmine);
    verified_nonconformity(redmine, nc);
    redmine.fail_matching("GET", issue_path(nc), 503, memory_redmine::timing::before, 3);
    const sync_run run = run_sync(redmine, "2027-03-12");
    CHECK(run.pump.done);
    CHECK(run.result["failure"]["kind"] == "unreachable");
    CHECK(redmine.count("GET", issue_path(nc)) == 3); // the policy's three attempts
    CHECK(redmine.issues.at(nc).status_id == ids::closed);
    // The next run finds it closed: nothing left to do.
    const sync_run rerun = run_sync(redmine, "2027-03-12");
    CHECK(rerun.result["failure"].is_null());
    CHECK(rerun.result["plan"]["counts"]["close"] == 0);
    CHECK(closing_notes(redmine.issues.at(nc)) == 1);
}

TEST_CASE("the calendar feed: uploaded, attached with the page's version, read back") {
    memory_redmine redmine = redmine_with(yearly);
    const sync_run run = run_sync(redmine, "2027-03-10", true);
    CHECK(run.result["failure"].is_null());
    CHECK(run.result["feed"] == "published");
    const http_request& upload = redmine.requests[redmine.requests.size() - 4];
    CHECK(upload.path == "/uploads.json?filename=isms-calendar.ics");
    CHECK(upload.content_type == "application/octet-stream");
    CHECK(upload.body.starts_with("BEGIN:VCALENDAR"));
    const json put = json::parse(redmine.requests[redmine.requests.size() - 3].body);
    CHECK(put["wiki_page"]["version"] == 1);
    CHECK(put["wiki_page"]["uploads"][0]["filename"] == "isms-calendar.ics");
    const auto& page = redmine.project_named("isms").wiki.at("ISMS_configuration");
    CHECK(page.version == 2);
    REQUIRE(page.attachments.size() == 1);
    CHECK(page.attachments[0].description.starts_with("Upkeep calendar feed "));
    CHECK(page.attachments[0].content == upload.body);
    // The page's text went back unchanged.
    CHECK(page.text == configuration_to_wiki_text(yearly, wiki_markup::markdown));
    CHECK(run_sync(redmine, "2027-03-20", true).result["feed"] == "unchanged");
}

TEST_CASE(
    "a look-alike of the feed someone else attached is not Upkeep's: neither kept as the feed nor removed") {
    memory_redmine redmine = redmine_with(yearly);
    REQUIRE(run_sync(redmine, "2027-03-10", true).result["feed"] == "published");
    auto& files = redmine.project_named("isms").wiki.at("ISMS_configuration").attachments;
    REQUIRE(files.size() == 1);
    // mallory may edit the page: a newer file with the feed's name and its current description.
    memory_redmine::attachment spoof = files[0];
    spoof.id = 900;
    spoof.content =
        "BEGIN:VCALENDAR\r\nSUMMARY:Renew your password at https://phish.example\r\nEND:VCALENDAR\r\n";
    spoof.author_id = ids::mallory;
    files.push_back(spoof);

    const std::size_t before = redmine.requests.size();
    CHECK(run_sync(redmine, "2027-03-20", true).result["feed"] == "unchanged");
    CHECK(std::count_if(redmine.requests.begin() + static_cast<long>(before), redmine.requests.end(),
                        [](const http_request& r) {
                            return r.path == "/users/" + std::to_string(ids::mallory) + ".json";
                        }) == 1); // whose file it is, read once
    REQUIRE(files.size() == 2);

    // Upkeep's copy gone: the sync attaches the calendar again and leaves mallory's file alone.
    files.erase(files.begin());
    CHECK(run_sync(redmine, "2027-03-21", true).result["feed"] == "published");
    REQUIRE(files.size() == 2);
    CHECK(files[0].id == 900);
    CHECK(files[1].author_id == redmine.current_user);
}

TEST_CASE("a page edited while the feed is attached (409) leaves it not published, with no failure") {
    memory_redmine redmine = redmine_with(yearly);
    driven<sync_session> sync({"isms", d("2027-03-10"), std::nullopt, true, true});
    REQUIRE(!pump(sync.run, redmine, after("POST", "/uploads.json?filename=isms-calendar.ics")).done);
    ++redmine.project_named("isms").wiki.at("ISMS_configuration").version; // someone saves the page now
    REQUIRE(pump(sync.run, redmine).done);
    const json result = sync.session->result();
    CHECK(result["failure"].is_null());
    CHECK(result["feed"].get<std::string>().starts_with("not published: the configuration page was edited"));
    CHECK(redmine.requests.back().method == "PUT"); // nothing after the refused attach
    CHECK(redmine.project_named("isms").wiki.at("ISMS_configuration").attachments.empty());
    CHECK(run_sync(redmine, "2027-03-10", true).result["feed"] == "published");
}

TEST_CASE("a run killed between attaching the new feed and removing the old copy is finished by the next") {
    memory_redmine redmine = redmine_with(yearly);
    REQUIRE(run_sync(redmine, "2027-03-10", true).result["feed"] == "published");
    const auto& page = redmine.project_named("isms").wiki.at("ISMS_configuration");
    REQUIRE(page.attachments.size() == 1);
    const long long old_copy = page.attachments[0].id;

    // Another title changes the calendar: a new copy is attached, then the old one goes.
    set_configuration(redmine,
                      config_with("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1", "itops", "Vulnerability scan"));
    const sync_run killed =
        run_sync(redmine, "2027-03-11", true, after("PUT", "/projects/isms/wiki/ISMS_configuration.json"));
    CHECK(!killed.pump.done);
    REQUIRE(page.attachments.size() == 2);
    const long long new_copy = page.attachments[1].id;
    CHECK(new_copy > old_copy);

    const std::size_t uploads = redmine.count("POST", "/uploads.json");
    const sync_run rerun = run_sync(redmine, "2027-03-11", true);
    CHECK(rerun.result["failure"].is_null());
    CHECK(rerun.result["feed"] == "old copies removed");
    CHECK(redmine.count("POST", "/uploads.json") == uploads); // the new copy is not sent again
    const http_request& removal = redmine.requests[redmine.requests.size() - 2]; // then the lease's release
    CHECK(removal.method == "DELETE");
    CHECK(removal.path == "/attachments/" + std::to_string(old_copy) + ".json");
    REQUIRE(page.attachments.size() == 1);
    CHECK(page.attachments[0].id == new_copy);
    CHECK(run_sync(redmine, "2027-03-11", true).result["feed"] == "unchanged");
}

TEST_CASE("an old copy whose removal answer was lost is looked up, not removed twice") {
    memory_redmine redmine = redmine_with(yearly);
    REQUIRE(run_sync(redmine, "2027-03-10", true).result["feed"] == "published");
    const long long old_copy = redmine.project_named("isms").wiki.at("ISMS_configuration").attachments[0].id;
    set_configuration(redmine,
                      config_with("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1", "itops", "Vulnerability scan"));
    const std::string path = "/attachments/" + std::to_string(old_copy) + ".json";
    redmine.fail_matching("DELETE", path, 0, memory_redmine::timing::after);
    const sync_run run = run_sync(redmine, "2027-03-11", true);
    CHECK(run.result["failure"].is_null());
    CHECK(run.result["feed"] == "published");
    CHECK(redmine.count("DELETE", path) == 1);
    CHECK(redmine.count("GET", path) == 1); // the check: 404, gone
    CHECK(redmine.project_named("isms").wiki.at("ISMS_configuration").attachments.size() == 1);
}

TEST_CASE("a feed that cannot be uploaded is its own failure: the tickets are synced") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.fail_matching("POST", "/uploads.json", 500, memory_redmine::timing::before, 3);
    const sync_run run = run_sync(redmine, "2027-03-10", true);
    CHECK(run.pump.done);
    CHECK(run.result["failure"]["kind"] == "feed_not_published");
    CHECK(run.written == 2);
    CHECK(redmine.issues.size() == 2);
    CHECK(redmine.count("POST", "/uploads.json") == 3);
}

TEST_CASE("a read answered 429 waits as Redmine asks and is sent again; a reset connection likewise") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.fail_matching("GET", "/issue_statuses.json", 429, memory_redmine::timing::before, 1, 2);
    redmine.fail_request(1, 0); // the very first request
    driven<sync_session> sync({"isms", d("2027-03-10"), std::nullopt, true, false},
                              {.max_attempts = 3, .base_delay_ms = 0});
    std::vector<long> waits;
    for (;;) {
        const exchange_step step = sync.run.next();
        if (step.what == exchange_step::kind::done) break;
        if (step.what == exchange_step::kind::wait) {
            waits.push_back(step.wait_ms);
            continue;
        }
        std::vector<http_response> answers;
        for (const http_request& request : step.requests)
            answers.push_back(redmine.handle(request));
        sync.run.answer(answers);
    }
    CHECK(waits == std::vector<long>{2000}); // Retry-After: 2; the reset is retried at once (no base delay)
    CHECK(redmine.count("GET", "/users/current.json") == 2);
    CHECK(redmine.count("GET", "/issue_statuses.json") == 2);
    CHECK(sync.session->result()["failure"].is_null());
    CHECK(sync.session->written() == 2);
}

TEST_CASE("a dry run plans and writes nothing") {
    memory_redmine redmine = redmine_with(monthly);
    driven<sync_session> sync({"isms", d("2027-03-10"), std::nullopt, false, true});
    REQUIRE(pump(sync.run, redmine).done);
    const json result = sync.session->result();
    CHECK(result["failure"].is_null());
    CHECK(result["plan"]["counts"]["create"] == 2);
    CHECK(result["written"] == 0);
    CHECK(result["feed"].is_null());
    CHECK(redmine.writes() == 0);
}

TEST_CASE("an account that is not one of the configuration's sync accounts reads no ticket") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.current_user = ids::itops;
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"]["kind"] == "not_set_up");
    CHECK(run.result["failure"]["message"].get<std::string>().starts_with(
        "the account \"itops\" is not one of the configuration's sync accounts"));
    CHECK(redmine.lines().back() == trust_read);
    CHECK(redmine.writes() == 0);
}

TEST_CASE("a configuration saved by someone who may not protect wiki pages is not trusted: nothing is read "
          "beyond it, nothing written") {
    // itops, who may edit the wiki but not protect its pages, adds mallory to the sync accounts: her own
    // look-alike tickets would become Upkeep's.
    memory_redmine redmine = redmine_with(monthly);
    std::string widened = monthly;
    const std::string accounts = R"(["ciso", "upkeep-bot"])";
    widened.replace(widened.find(accounts), accounts.size(), R"(["ciso", "upkeep-bot", "mallory"])");
    set_configuration(redmine, widened, ids::itops);
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"]["kind"] == "refused");
    CHECK(run.result["failure"]["message"] ==
          "the configuration (wiki page ISMS_configuration, version 2) was saved by Ita Ops, who may not "
          "protect "
          "wiki pages in project isms: Upkeep trusts a configuration only as saved by someone with Redmine's "
          "\"Protect wiki pages\" there (only they may edit the protected page). Have one of them review the "
          "page and save it; nothing was written");
    CHECK(redmine.lines().back() == trust_read);
    CHECK(redmine.writes() == 0);

    // Saved again by someone who may protect the page: trusted.
    set_configuration(redmine, widened, ids::ciso);
    CHECK(run_sync(redmine, "2027-03-10").result["failure"].is_null());
}

TEST_CASE(
    "without Upkeep's plugin to say who may guard the configuration, nothing is written; a configuration "
    "file is the operator's own") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.trust_plugin = false;
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"]["kind"] == "not_set_up");
    CHECK(run.result["failure"]["message"] ==
          "GET /projects/isms/upkeep_configuration_trust.json: Upkeep's Redmine plugin does not "
          "answer "
          "it: install the plugin of this Upkeep version in the Redmine (docs/redmine.md)");
    CHECK(redmine.writes() == 0);

    driven<sync_session> from_file({"isms", d("2027-03-10"), monthly, false, false, "", "", ""},
                                   fast_retries());
    pump(from_file.run, redmine);
    CHECK(from_file.session->result()["failure"].is_null());
    CHECK(redmine.count("GET", "/projects/isms/upkeep_configuration_trust.json") == 1);
}

TEST_CASE("an attach whose answer was lost is looked up on the page: published, not attached twice") {
    memory_redmine redmine = redmine_with(yearly);
    const std::string page = "/projects/isms/wiki/ISMS_configuration.json";
    redmine.fail_matching("PUT", page, 0, memory_redmine::timing::after);
    const sync_run run = run_sync(redmine, "2027-03-10", true);
    CHECK(run.result["failure"].is_null());
    CHECK(run.result["feed"] == "published");
    CHECK(redmine.count("PUT", page) == 1);
    CHECK(redmine.count("GET", page + "?include=attachments") == 3); // the opening, the check, the read-back
    CHECK(redmine.project_named("isms").wiki.at("ISMS_configuration").attachments.size() == 1);
}

TEST_CASE("a corrective action whose owner is not a member is skipped with a notice; the rest is written") {
    memory_redmine redmine = redmine_with(yearly);
    const long long nc = add_upkeep_nonconformity(redmine);
    redmine.issues.at(nc).custom_fields[ids::actions] =
        "bob: Ask the vendor for a fix\nitops: Put the scan in the ops calendar (due 2027-04-15)";
    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"].is_null());
    CHECK(run.result["plan"]["notices"] ==
          json::array({"corrective action listed on nonconformity #" + std::to_string(nc) +
                       ": \"bob\" is not a member of the project, so it is skipped"}));
    CHECK(run.written == 1);
    CHECK(redmine.count("POST", "/issues.json") == 1);
    const auto* ca = keyed(redmine, "ca:" + std::to_string(nc) + ":");
    REQUIRE(ca != nullptr);
    CHECK(ca->assigned_to_id == ids::itops);
    CHECK(ca->due_date == "2027-04-15");
    CHECK(ca->subject == "Corrective action (#" + std::to_string(nc) + "): Put the scan in the ops calendar");
}

TEST_CASE("more than a page of Upkeep's tickets: every page read once, nothing made twice") {
    // Daily from 2027-01-15 up to 2027-06-30 + 7 days: 174 occurrences, two pages of tickets.
    memory_redmine redmine = redmine_with(config_with("FREQ=DAILY"));
    const sync_run first = run_sync(redmine, "2027-06-30");
    REQUIRE(first.result["failure"].is_null());
    CHECK(first.written == 174);
    CHECK(redmine.issues.size() == 174);

    const std::size_t before = redmine.requests.size();
    const sync_run again = run_sync(redmine, "2027-06-30");
    CHECK(again.result["failure"].is_null());
    CHECK(again.written == 0);
    CHECK(again.result["plan"]["unchanged"] == 174);
    const std::vector<std::string> all = redmine.lines();
    const std::vector<std::string> lines(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
    std::string page_1 = tickets_page_0;
    page_1.replace(page_1.rfind("offset=0"), 8, "offset=100");
    CHECK(std::count(lines.begin(), lines.end(), tickets_page_0) == 1);
    CHECK(std::count(lines.begin(), lines.end(), page_1) == 1);
    // account, project, statuses, page, its trust, the lease, two pages of tickets, nonconformities, the
    // release
    CHECK(lines.size() == 11);
    CHECK(redmine.issues.size() == 174);
}

// --- The sync lease -------------------------------------------------------------------------------------

namespace {

const std::string lease_path = "/projects/isms/wiki/ISMS_sync_lease.json";

// A sync on 2027-03-06 at `now`, whose lease expires at `until` (HH:MM, UTC).
sync_session::options sync_at(const std::string& now, const std::string& until, std::string run,
                              bool break_lease = false) {
    return {"isms",
            d("2027-03-10"),
            std::nullopt,
            true,
            false,
            "2027-03-06T" + now + ":00Z",
            "2027-03-06T" + until + ":00Z",
            std::move(run),
            break_lease};
}

memory_redmine::wiki_page& lease_page(memory_redmine& redmine) {
    return redmine.project_named("isms").wiki.at("ISMS_sync_lease");
}

sync_lease lease_on_page(memory_redmine& redmine) {
    const auto lease = sync_lease_from_text(lease_page(redmine).text);
    REQUIRE(lease);
    return *lease;
}

// How many tickets carry each key; every count 1 when nothing was made twice.
std::map<std::string, int> tickets_per_key(const memory_redmine& redmine) {
    std::map<std::string, int> out;
    for (const auto& [id, i] : redmine.issues)
        ++out[i.field(ids::key)];
    return out;
}

} // namespace

TEST_CASE("a sync that finds the lease held writes nothing and says who holds it; an expired one is taken") {
    memory_redmine redmine = redmine_with(monthly);
    lease_page(redmine) = {sync_lease_text({"upkeep-bot", "upkeep sync on cron1, process 4821",
                                            "2027-03-06T08:00:00Z", "2027-03-06T08:30:00Z"}),
                           5,
                           {}};
    driven<sync_session> second(sync_at("08:10", "08:40", "upkeep sync on laptop, process 77"));
    REQUIRE(pump(second.run, redmine).done);
    const json result = second.session->result();
    CHECK(result["failure"]["kind"] == "busy");
    CHECK(
        result["failure"]["message"] ==
        "another sync is running: upkeep-bot (upkeep sync on cron1, process 4821) holds the sync lease since "
        "2027-03-06 08:00 UTC, until 08:30 UTC at the latest. Nothing was written; run again once it has "
        "ended");
    CHECK(result["writing"] == false);
    CHECK(result["lease"].is_null());
    CHECK(redmine.writes() == 0);
    CHECK(redmine.count("GET", "/issues.json") == 0); // it stopped before reading a ticket
    CHECK(lease_on_page(redmine).holder == "upkeep-bot");

    SUBCASE("at its expiry, the lease is free") {
        driven<sync_session> later(sync_at("08:30", "09:00", "upkeep sync on laptop, process 78"));
        REQUIRE(pump(later.run, redmine).done);
        CHECK(later.session->result()["failure"].is_null());
        CHECK(later.session->result()["lease"] == "released");
    }
    SUBCASE("told to break it, a sync takes it whoever holds it") {
        driven<sync_session> breaking(sync_at("08:10", "08:40", "upkeep sync on laptop, process 79", true));
        REQUIRE(pump(breaking.run, redmine).done);
        CHECK(breaking.session->result()["failure"].is_null());
    }
    CHECK(redmine.issues.size() == 2);
    // Taken with the version read, then released with the version written: 5, 6, 7.
    CHECK(lease_page(redmine).version == 7);
    CHECK(lease_on_page(redmine).holder.empty());
    const auto puts =
        std::count_if(redmine.requests.begin(), redmine.requests.end(),
                      [](const http_request& r) { return r.method == "PUT" && r.path == lease_path; });
    CHECK(puts == 2);
    CHECK(json::parse(redmine.requests.back().body)["wiki_page"]["version"] == 6);
}

TEST_CASE("of two syncs that read the lease free, one takes it; the other learns who and writes nothing") {
    memory_redmine redmine = redmine_with(monthly);
    driven<sync_session> a(sync_at("08:00", "08:30", "run A"));
    driven<sync_session> b(sync_at("08:01", "08:31", "run B"));
    const auto after_lease = [](const char* method) {
        return [method](std::size_t, const http_request& r) {
            return r.method == method && r.path == lease_path;
        };
    };
    pump(a.run, redmine, after_lease("GET")); // both read it free
    pump(b.run, redmine, after_lease("GET"));
    pump(a.run, redmine, after_lease("PUT")); // A takes it
    CHECK(lease_on_page(redmine).run == "run A");
    REQUIRE(pump(b.run, redmine).done); // B's take: 409, read again: held
    const json refused = b.session->result();
    CHECK(refused["failure"]["kind"] == "busy");
    CHECK(refused["failure"]["message"].get<std::string>().starts_with(
        "another sync is running: ciso (run A) holds the sync lease since 2027-03-06 08:00 UTC"));
    CHECK(redmine.issues.empty());
    REQUIRE(pump(a.run, redmine).done);
    CHECK(a.session->result()["failure"].is_null());
    CHECK(tickets_per_key(redmine) ==
          std::map<std::string, int>{{"control:scan:2027-02-01", 1}, {"control:scan:2027-03-01", 1}});
    CHECK(lease_on_page(redmine).holder.empty());
}

TEST_CASE("a sync whose lease expired and was taken by another does not release the other's") {
    memory_redmine redmine = redmine_with(monthly);
    driven<sync_session> slow(sync_at("08:00", "08:30", "slow run"));
    pump(slow.run, redmine, [](std::size_t, const http_request& r) { return r.method == "PUT"; });
    // Half an hour later, another sync finds the lease expired and takes it.
    auto& page = lease_page(redmine);
    page.text = sync_lease_text({"upkeep-bot", "cron run", "2027-03-06T08:32:00Z", "2027-03-06T09:02:00Z"});
    ++page.version;
    REQUIRE(pump(slow.run, redmine).done);
    const json result = slow.session->result();
    CHECK(result["failure"].is_null());
    CHECK(result["lease"] ==
          "changed by someone else before this sync released it (it expired and another "
          "sync took it, or it was broken): two syncs may have run at once; `upkeep status` "
          "reports any duplicate ticket");
    CHECK(lease_on_page(redmine).run == "cron run");
}

TEST_CASE("the lease's take whose answer is lost is looked up; a refused take says what the account needs") {
    memory_redmine redmine = redmine_with(monthly);
    SUBCASE("lost") {
        redmine.fail_matching("PUT", lease_path, 0, memory_redmine::timing::after);
        driven<sync_session> sync(sync_at("08:00", "08:30", "run"));
        REQUIRE(pump(sync.run, redmine).done);
        CHECK(sync.session->result()["failure"].is_null());
        CHECK(redmine.issues.size() == 2);
        CHECK(redmine.count("PUT", lease_path) == 2); // taken once (looked up), released once
        CHECK(lease_on_page(redmine).holder.empty());
    }
    SUBCASE("refused") {
        redmine.fail_matching("PUT", lease_path, 403);
        driven<sync_session> sync(sync_at("08:00", "08:30", "run"));
        REQUIRE(pump(sync.run, redmine).done);
        const json failure = sync.session->result()["failure"];
        CHECK(failure["kind"] == "refused");
        CHECK(failure["message"].get<std::string>().ends_with(
            ". A sync holds its lease on the wiki page ISMS_sync_lease: the project needs its Wiki module "
            "and "
            "the account \"Edit wiki pages\" (`rake upkeep:setup`)"));
        CHECK(redmine.issues.empty());
    }
}

TEST_CASE("a deleted lease page is made free, then taken; a dry run takes no lease") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.project_named("isms").wiki.erase("ISMS_sync_lease");
    sync_session::options dry = sync_at("08:00", "08:30", "preview");
    dry.apply = false;
    driven<sync_session> preview(dry);
    REQUIRE(pump(preview.run, redmine).done);
    CHECK(redmine.count("GET", lease_path) == 0);
    CHECK(redmine.writes() == 0);

    driven<sync_session> sync(sync_at("08:00", "08:30", "run"));
    REQUIRE(pump(sync.run, redmine).done);
    CHECK(sync.session->result()["failure"].is_null());
    const std::vector<std::string> all = redmine.lines();
    const auto first = std::find(all.begin(), all.end(), lease_read);
    REQUIRE(first != all.end());
    CHECK(std::vector<std::string>(first, first + 5) ==
          std::vector<std::string>{lease_read, lease_write, lease_read, lease_write, tickets_page_0});
    CHECK(lease_page(redmine).version == 2); // made at 0, taken, released
    CHECK(lease_on_page(redmine).holder.empty());
}

TEST_CASE("two syncs that both find no lease page: the later page-making cannot free the other's lease") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.project_named("isms").wiki.erase("ISMS_sync_lease");
    driven<sync_session> a(sync_at("08:00", "08:30", "run A"));
    driven<sync_session> b(sync_at("08:00", "08:30", "run B"));
    std::size_t lease_requests = 0;
    const auto lease_request = [&](std::size_t n) {
        lease_requests = 0;
        return [&, n](std::size_t, const http_request& r) {
            return r.path == lease_path && ++lease_requests == n;
        };
    };
    pump(a.run, redmine, lease_request(1)); // A finds no page
    pump(b.run, redmine, lease_request(1)); // B finds no page
    pump(a.run, redmine, lease_request(3)); // A makes it, reads it, takes it
    CHECK(lease_on_page(redmine).run == "run A");
    REQUIRE(pump(b.run, redmine).done); // B's making the page: 409; read again: held by A
    CHECK(b.session->result()["failure"]["kind"] == "busy");
    CHECK(lease_on_page(redmine).run == "run A");
    REQUIRE(pump(a.run, redmine).done);
    CHECK(a.session->result()["failure"].is_null());
    CHECK(redmine.issues.size() == 2);
}

TEST_CASE("a lease page made by another process at the same moment (422) is read again, not taken for a "
          "missing setup") {
    memory_redmine redmine = redmine_with(monthly);
    redmine.project_named("isms").wiki.erase("ISMS_sync_lease");
    driven<sync_session> a(sync_at("08:00", "08:30", "run A"));
    pump(a.run, redmine, [](std::size_t, const http_request& r) { return r.path == lease_path; }); // no page
    // Meanwhile run B, through another Redmine process, made the page and took the lease: A's making of
    // the page is refused as a second page of that title.
    redmine.project_named("isms").wiki["ISMS_sync_lease"] = {
        sync_lease_text({"upkeep-bot", "run B", "2027-03-06T08:00:00Z", "2027-03-06T08:30:00Z"}), 1, {}};
    redmine.fail_matching("PUT", lease_path, 422);
    REQUIRE(pump(a.run, redmine).done);
    const json refused = a.session->result();
    CHECK(refused["failure"]["kind"] == "busy");
    CHECK(refused["failure"]["message"].get<std::string>().starts_with(
        "another sync is running: upkeep-bot (run B) holds the sync lease since 2027-03-06 08:00 UTC"));
    CHECK(redmine.issues.empty());
    CHECK(lease_on_page(redmine).run == "run B");
}

TEST_CASE("a lease taken by another process at the same moment (422) is read again: who holds it") {
    memory_redmine redmine = redmine_with(monthly);
    driven<sync_session> a(sync_at("08:00", "08:30", "run A"));
    pump(a.run, redmine, [](std::size_t, const http_request& r) {
        return r.method == "GET" && r.path == lease_path; // read it free
    });
    // Run B, through another Redmine process, saved the same version at the same moment: A's is refused.
    redmine.project_named("isms").wiki["ISMS_sync_lease"].text =
        sync_lease_text({"upkeep-bot", "run B", "2027-03-06T08:00:00Z", "2027-03-06T08:30:00Z"});
    redmine.fail_matching("PUT", lease_path, 422);
    REQUIRE(pump(a.run, redmine).done);
    const json refused = a.session->result();
    CHECK(refused["failure"]["kind"] == "busy");
    CHECK(refused["failure"]["message"].get<std::string>().starts_with(
        "another sync is running: upkeep-bot (run B) holds the sync lease"));
    CHECK(redmine.issues.empty());
}

TEST_CASE("an interrupted sync stops between two requests and releases its lease") {
    memory_redmine redmine = redmine_with(monthly);
    driven<sync_session> sync(sync_at("08:00", "08:30", "run"));
    pump(sync.run, redmine, [](std::size_t, const http_request& r) { return r.method == "POST"; });
    CHECK(redmine.issues.size() == 1);
    sync.run.interrupt("interrupted by SIGINT");
    REQUIRE(pump(sync.run, redmine).done);
    CHECK(redmine.lines().back() == lease_write); // the one request after the interruption
    CHECK(redmine.issues.size() == 1);
    const json result = sync.session->result();
    CHECK(result["failure"]["message"] == "interrupted by SIGINT");
    CHECK(result["written"] == 1);
    CHECK(result["lease"] == "released");
    CHECK(lease_on_page(redmine).holder.empty());
    // The next run finishes the job, with no lease to wait for.
    driven<sync_session> rerun(sync_at("08:01", "08:31", "rerun"));
    REQUIRE(pump(rerun.run, redmine).done);
    CHECK(rerun.session->result()["failure"].is_null());
    CHECK(tickets_per_key(redmine) ==
          std::map<std::string, int>{{"control:scan:2027-02-01", 1}, {"control:scan:2027-03-01", 1}});
}

TEST_CASE("tickets that share a key: the twin without recorded work is closed with a note, once") {
    memory_redmine redmine = redmine_with(monthly);
    REQUIRE(run_sync(redmine, "2027-03-10").result["failure"].is_null());
    const auto* february = redmine.issue_with(ids::key, "control:scan:2027-02-01");
    const auto* march = redmine.issue_with(ids::key, "control:scan:2027-03-01");
    REQUIRE((february && march));
    const long long feb_id = february->id, march_id = march->id;
    // A copy of February's ticket (both open, no work: the first made counts), and one of March's on which
    // someone recorded the work (it counts: March's own ticket, with nothing recorded, is the twin).
    memory_redmine::issue copy = *february;
    copy.id = 0;
    copy.journals.clear();
    const long long feb_copy = redmine.add_issue(copy).id;
    memory_redmine::issue worked = *march;
    worked.id = 0;
    worked.journals.clear();
    worked.custom_fields[ids::state] += ";evidence=1";
    const long long march_worked = redmine.add_issue(worked).id;

    const sync_run run = run_sync(redmine, "2027-03-10");
    CHECK(run.result["failure"].is_null());
    CHECK(run.result["plan"]["counts"]["close"] == 2);
    for (const auto& [closed, counted] : {std::pair{feb_copy, feb_id}, std::pair{march_id, march_worked}}) {
        const memory_redmine::issue& twin = redmine.issues.at(closed);
        CHECK(twin.status_id == ids::closed);
        REQUIRE(twin.notes().size() == 1);
        CHECK(twin.notes()[0].starts_with("Duplicate: #" + std::to_string(closed) +
                                          " has the same Upkeep key as #" + std::to_string(counted)));
        const ticket_state state = ticket_state::parse(twin.field(ids::state));
        CHECK((state.closing && state.duplicate));
        CHECK(redmine.issues.at(counted).status_id == ids::open);
        CHECK(redmine.count("PUT", issue_path(counted)) == 0);
    }
    const sync_run again = run_sync(redmine, "2027-03-10");
    CHECK(again.result["failure"].is_null());
    CHECK(again.written == 0);
    CHECK(redmine.issues.size() == 4);
}
