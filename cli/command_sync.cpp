// `upkeep sync`: reads everything first (the account, the project, Upkeep's tickets, the configuration),
// validates, plans in the core, then applies the plan one write at a time. Every write is a whole
// ticket change, so a run stopped anywhere is finished by the next run, without duplicates.

#include "commands.hpp"
#include "io.hpp"
#include "tracker_session.hpp"

#include <upkeep/calendar_feed.hpp>
#include <upkeep/redmine_mapping.hpp>
#include <upkeep/redmine_sync.hpp>
#include <upkeep/sync_plan.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <unistd.h>
#include <variant>

namespace upkeep::cli {

namespace {

constexpr const char* help =
    R"(Usage: upkeep sync --url URL --project ID [--config FILE] [--dry-run] [--json] [--today DATE]

Turns the ISMS maintenance calendar into Redmine tickets: for every occurrence whose ticket should be
open (due date minus lead time has arrived) since the start of the current audit period, a "Control
task" assigned to its owner, with the instructions, the ISO 27001 references, the evidence expected
and a stable Upkeep key; updates the tickets whose configuration changed (keeping what people wrote);
comments once on tickets that became overdue. Nonconformities (ISO 27001 10.2): proposes one for a
control still open 30 days after its due date, turns each line of a nonconformity's "Corrective
actions" field into a ticket, asks for a verification once they are closed, and closes the
nonconformities it raised once that is done. Management reviews: each line of a review ticket's
"Review decisions" field becomes a ticket. Tickets Upkeep did not create are never touched.

Then it keeps the calendar feed: the maintenance calendar (iCalendar) attached to the wiki page
ISMS_configuration, which the Redmine plugin serves to calendar programs at
/projects/ID/isms/calendar.ics?key=ATOM_KEY (the ISMS tab shows each member their link). It is
attached again only when the calendar changed, and not with --config.

Everything is read and checked before the first write. A second run with nothing new writes nothing;
a run stopped at any point (crash, network) is finished by the next run, without duplicates.

Options:
  --url URL            Redmine's address, such as https://tracker.example.com
  --project ID         the project's identifier
  --config FILE        use this configuration instead of the project's wiki page ISMS_configuration
  --dry-run            print the plan; write nothing
  --json               print a JSON summary (creates, updates, comments, unchanged, requests,
                       calendar_feed)
  --today DATE         today's date, YYYY-MM-DD (default: the local date)
  --api-key-file FILE  read the API key from FILE (default: the UPKEEP_API_KEY environment variable)

The API key is never taken from the command line or put in a URL. Run sync as a dedicated account
(for example "upkeep-bot", a project member who can add and edit issues). A ticket carrying an Upkeep
key is Upkeep's only when this account, or one of the configuration's "sync" accounts, created it.

Exit status: 0 done, 2 bad input (arguments, configuration), 3 Redmine unreachable or failing (after
retries), 4 Redmine refused the key or a permission, 5 Redmine is not set up for Upkeep (tracker,
custom fields, owners who are not members: `rake upkeep:setup PROJECT=ID`), 6 the tickets are
synced but the calendar feed is not (the account needs the wiki rights "Edit wiki pages" and "Delete
attachments" of the wiki; the message says what failed), 1 anything else.
)";

// Applies one whole ticket change. Retries never repeat a change whose answer was lost: before each
// retry the tracker is asked (the core knows what to look for) whether it went through; when even that
// cannot be learnt, the run stops and the next one reconciles.
std::optional<failure> apply(tracker_http& http, const sync_action& action, const redmine::context& ctx) {
    const redmine::request request = redmine::request_of(action, ctx);
    const auto already_applied = [&]() -> std::optional<bool> {
        const http_answer now = http.get(request.check);
        if (!now.ok()) return std::nullopt;
        return redmine::already_applied(action, now.body, ctx);
    };
    nlohmann::json body = redmine::payload(action, ctx);
    if (action.kind == sync_action_kind::close) {
        // Redmine answers 204 and silently keeps the status when its workflow forbids the change: set the
        // status alone, read it back, and only then add the note, so a refusal never repeats a note.
        const nlohmann::json note = body["issue"]["notes"];
        body["issue"].erase("notes");
        const http_answer status = http.write_once(request.method, request.path, body, already_applied);
        if (!status.ok()) return classify(request.method, request.path, status, http.url());
        const auto closed = already_applied();
        if (!closed || !*closed)
            return failure{exit_refused,
                           "PUT " + request.path +
                               ": Redmine's workflow does not let this account close "
                               "nonconformities; give its role the transition to a closed status"};
        body = {{"issue", {{"notes", note}}}};
        const http_answer noted =
            http.write_once(request.method, request.path, body, [] { return std::optional<bool>(); });
        if (!noted.ok()) return classify(request.method, request.path, noted, http.url());
        return std::nullopt;
    }
    const http_answer answer = http.write_once(request.method, request.path, body, already_applied);
    if (!answer.ok()) return classify(request.method, request.path, answer, http.url());
    return std::nullopt;
}

// Keeps the calendar feed: the maintenance calendar attached to the configuration's wiki page, which
// the plugin serves to calendar programs at /projects/ID/isms/calendar.ics. The new copy is attached
// first (with the page's version, so an edit made meanwhile is never overwritten: Redmine answers 409
// and the next run publishes), read back (Redmine answers 204 even when an upload does not attach), and
// only then are the older copies removed. Returns what happened, for people, or why it failed.
std::variant<std::string, failure> publish_calendar(tracker_http& http, const redmine::sync_session& session,
                                                    const std::string& project, day_point today,
                                                    bool dry_run) {
    const calendar_publication feed =
        plan_calendar_feed(session.config(), session.cycle(), session.wiki_page(), today);
    if (!feed.needed && feed.stale.empty()) return std::string("unchanged");
    if (dry_run) return std::string(feed.needed ? "would be published" : "would drop old copies");
    const std::string page = "/projects/" + project + "/wiki/ISMS_configuration.json";
    const auto attached_now = [&]() -> std::optional<bool> {
        const http_answer now = http.get(page + "?include=attachments");
        if (!now.ok()) return std::nullopt;
        return !plan_calendar_feed(session.config(), session.cycle(), now.body, today).needed;
    };
    if (feed.needed) {
        const std::string upload_path = std::string("/uploads.json?filename=") + calendar_feed_file;
        const http_answer uploaded = http.upload(upload_path, feed.text);
        const std::string token = uploaded.body.value("/upload/token"_json_pointer, std::string{});
        if (!uploaded.ok() || token.empty()) return classify("POST", upload_path, uploaded, http.url());
        const nlohmann::json body{{"wiki_page",
                                   {{"text", feed.page_text},
                                    {"version", feed.page_version},
                                    {"uploads",
                                     {{{"token", token},
                                       {"filename", calendar_feed_file},
                                       {"description", feed.description},
                                       {"content_type", "text/calendar"}}}}}}};
        const http_answer attached = http.write_once("PUT", page, body, attached_now);
        if (attached.status == 409)
            return std::string("not published: the configuration page was edited meanwhile; the next run "
                               "publishes it");
        if (!attached.ok()) return classify("PUT", page, attached, http.url());
        const auto there = attached_now();
        if (!there || !*there)
            return failure{exit_feed_not_published,
                           "PUT " + page + ": Redmine did not attach " + calendar_feed_file +
                               " (is the file too large for its attachment limit?); the old copy stays"};
    }
    for (const long long id : feed.stale) {
        const std::string path = "/attachments/" + std::to_string(id) + ".json";
        const http_answer removed = http.write_once("DELETE", path, nullptr, [&]() -> std::optional<bool> {
            const http_answer now = http.get(path);
            if (now.status == 404) return true;
            return now.ok() ? std::optional(false) : std::nullopt;
        });
        if (!removed.ok() && removed.status != 404) {
            failure why = classify("DELETE", path, removed, http.url());
            why.message = std::string(feed.needed ? "published, but " : "") +
                          "an older copy was not removed: " + why.message;
            return why;
        }
    }
    return std::string(feed.needed ? "published" : "old copies removed");
}

} // namespace

int run_sync(const arguments& argv) {
    const auto args = parse_arguments(argv, {{"url", true},
                                             {"project", true},
                                             {"config", true},
                                             {"dry-run", false},
                                             {"json", false},
                                             {"today", true},
                                             {"api-key-file", true}});
    if (!args.error.empty()) return usage_error("sync", args.error);
    if (args.has("help")) return std::cout << help, exit_ok;
    if (!args.positional.empty()) return usage_error("sync", "unexpected argument " + args.positional[0]);
    const auto today = today_from(args, "sync");
    if (!today) return exit_bad_input;

    // 1. Read and check everything the core's session asks for; 2. plan (in the core).
    tracker_session tracker;
    if (const int status = open_tracker_session("sync", args, *today, false, tracker); status != exit_ok)
        return status;
    tracker_http& http = *tracker.http;
    const redmine::sync_session& session = *tracker.session;
    const std::string project = *args.get("project");
    const sync_plan& plan = session.plan();
    const redmine::context& ctx = session.ctx();
    for (const std::string& notice : plan.notices)
        std::cerr << "upkeep sync: skipped: " << notice << "\n";

    // 3. Apply, one whole ticket change at a time.
    const bool dry_run = args.has("dry-run");
    const bool progress = !dry_run && isatty(STDERR_FILENO) && !plan.actions.empty();
    std::size_t done = 0;
    std::optional<failure> stopped;
    for (const sync_action& action : plan.actions) {
        if (dry_run) break;
        if (progress)
            std::cerr << "\r  [" << done + 1 << "/" << plan.actions.size() << "] " << to_string(action.kind)
                      << " " << action.key << "\033[K" << std::flush;
        if ((stopped = apply(http, action, ctx))) break;
        ++done;
    }
    if (progress) std::cerr << "\r\033[K";

    // 4. The calendar feed, once the tickets are done (only when the configuration is the wiki page's).
    std::optional<std::string> calendar;
    if (!stopped && !session.wiki_page().is_null()) {
        auto published = publish_calendar(http, session, project, *today, dry_run);
        if (auto* done_feed = std::get_if<std::string>(&published))
            calendar = *done_feed;
        else
            stopped = std::get<failure>(published);
    }

    const std::size_t writes = dry_run ? 0 : done;
    if (args.has("json")) {
        nlohmann::ordered_json summary{
            {"project", project},
            {"today", format_iso_date(*today)},
            {"dry_run", dry_run},
            {"since", format_iso_date(plan.since)},
            {"creates", plan.count(sync_action_kind::create)},
            {"updates", plan.count(sync_action_kind::update)},
            {"comments", plan.count(sync_action_kind::comment)},
            {"closes", plan.count(sync_action_kind::close)},
            {"unchanged", plan.unchanged},
            {"writes", writes},
            {"requests", http.requests()},
            {"complete", !stopped},
            {"calendar_feed", calendar ? nlohmann::ordered_json(*calendar) : nlohmann::ordered_json()}};
        summary["notices"] = plan.notices;
        nlohmann::ordered_json actions = nlohmann::ordered_json::array();
        for (const auto& a : plan.actions) {
            nlohmann::ordered_json item{{"action", to_string(a.kind)}, {"key", a.key}, {"reason", a.reason}};
            if (a.ticket_id) item["ticket"] = *a.ticket_id;
            actions.push_back(std::move(item));
        }
        summary["actions"] = std::move(actions);
        std::cout << summary.dump(2) << "\n";
    } else {
        if (dry_run) {
            std::cout << "Plan for project " << project << " as of " << format_iso_date(*today)
                      << " (dry run, nothing written):\n";
            for (const auto& a : plan.actions)
                std::cout << "  " << to_string(a.kind) << "  " << a.key
                          << (a.ticket_id ? " #" + std::to_string(*a.ticket_id) : "") << "  (" << a.reason
                          << ")\n";
        }
        std::cout << (dry_run ? "Would write: "
                              : "Synced project " + project + " as of " + format_iso_date(*today) + ": ")
                  << plan.count(sync_action_kind::create) << " created, "
                  << plan.count(sync_action_kind::update) << " updated, "
                  << plan.count(sync_action_kind::comment) << " commented, "
                  << plan.count(sync_action_kind::close) << " closed, " << plan.unchanged << " unchanged; "
                  << http.requests() << " HTTP requests.\n";
        if (calendar) std::cout << "Calendar feed: " << *calendar << ".\n";
    }
    if (stopped && done == plan.actions.size() && !dry_run) {
        // The tickets are done: the feed's trouble gets its own status, and the account may lack the wiki
        // rights the feed needs (edit wiki pages; delete wiki attachments for the old copies).
        std::cerr << "upkeep sync: the tickets are synced; the calendar feed: " << stopped->message << "\n";
        return exit_feed_not_published;
    }
    if (stopped) {
        std::cerr << "upkeep sync: stopped after " << done << " of " << plan.actions.size()
                  << " writes: " << stopped->message
                  << "\n  Every write is a whole ticket change: rerun `upkeep sync` to finish, without "
                     "duplicates.\n";
        return stopped->status;
    }
    return exit_ok;
}

} // namespace upkeep::cli
