// `upkeep sync`: reads everything first (the account, the project, Upkeep's tickets, the configuration),
// validates, plans in the core, then applies the plan one write at a time. Every write is a whole
// ticket change, so a run stopped anywhere is finished by the next run, without duplicates.

#include "commands.hpp"
#include "io.hpp"
#include "tracker_session.hpp"

#include <upkeep/redmine_mapping.hpp>
#include <upkeep/redmine_sync.hpp>
#include <upkeep/sync_plan.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <unistd.h>

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
nonconformities it raised once that is done. Tickets Upkeep did not create are never touched.

Everything is read and checked before the first write. A second run with nothing new writes nothing;
a run stopped at any point (crash, network) is finished by the next run, without duplicates.

Options:
  --url URL            Redmine's address, such as https://tracker.example.com
  --project ID         the project's identifier
  --config FILE        use this configuration instead of the project's wiki page ISMS_configuration
  --dry-run            print the plan; write nothing
  --json               print a JSON summary (creates, updates, comments, unchanged, requests)
  --today DATE         today's date, YYYY-MM-DD (default: the local date)
  --api-key-file FILE  read the API key from FILE (default: the UPKEEP_API_KEY environment variable)

The API key is never taken from the command line or put in a URL. Run sync as a dedicated account
(for example "upkeep-bot", a project member who can add and edit issues). A ticket carrying an Upkeep
key is Upkeep's only when this account, or one of the configuration's "sync" accounts, created it.

Exit status: 0 done, 2 bad input (arguments, configuration), 3 Redmine unreachable or failing (after
retries), 4 Redmine refused the key or a permission, 5 Redmine is not set up for Upkeep (tracker,
custom fields, owners who are not members: `rake upkeep:setup PROJECT=ID`), 1 anything else.
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

    const std::size_t writes = dry_run ? 0 : done;
    if (args.has("json")) {
        nlohmann::ordered_json summary{{"project", project},
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
                                       {"complete", !stopped}};
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
