// `upkeep sync`: the host's sync session reads everything first (the account, the project, Upkeep's
// tickets, the configuration), validates, plans, then writes one whole ticket change at a time, so a run
// stopped anywhere is finished by the next run, without duplicates. This file carries it and reports.

#include "commands.hpp"
#include "io.hpp"
#include "tracker_pump.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace upkeep::cli {

namespace {

constexpr const char* sync_help =
    R"(Usage: upkeep sync --url URL --project ID [--config FILE] [--dry-run] [--json] [--today DATE]
                   [--break-lease]

Turns the ISMS maintenance calendar into Redmine tickets: for every occurrence whose ticket should be
open (due date minus lead time has arrived) since the start of the current audit period, a "Control
task" assigned to its owner, with the instructions, the ISO 27001 references, the evidence expected
and a stable Upkeep key; updates the tickets whose configuration changed (keeping what people wrote);
comments once on tickets that became overdue. Nonconformities (ISO 27001 10.2): proposes one for a
control still open 30 days after its due date, turns each line of a nonconformity's "Corrective
actions" field into a ticket, asks for a verification once they are closed, and closes the
nonconformities it raised once that is done. Management reviews: each line of a review ticket's
"Review decisions" field becomes a ticket. Tickets that share an Upkeep key (a copied ticket, a
restore): the one that counts is kept (closed with recorded work, closed, open with recorded work,
open; then the first made); each other open one on which no work is recorded is closed with a note
naming it; one with recorded work stays open, with a notice. Tickets Upkeep did not create are never touched.

Then it keeps the calendar feed: the maintenance calendar (iCalendar) attached to the wiki page
ISMS_configuration, which the Redmine plugin serves to calendar programs at
/projects/ID/isms/calendar.ics?key=ATOM_KEY (the ISMS tab shows each member their link). It is
attached again only when the calendar changed, and not with --config.

Everything is read and checked before the first write. A second run with nothing new writes nothing;
a run stopped at any point (crash, network) is finished by the next run, without duplicates.

One sync at a time: before it reads the tickets, a sync takes the sync lease (the wiki page
ISMS_sync_lease, which names the account, the machine and process, and when it expires: five minutes
after the --deadline, so a killed run blocks no one for longer) and releases it when it ends. A sync
that finds the lease held, by another `upkeep sync` or by "Sync now" in the ISMS tab, writes nothing
and exits with status 7. A dry run takes no lease. Interrupted (Ctrl-C, SIGTERM) or at its deadline, a
sync stops between two requests and releases the lease (exit 130, 143 or 3); a second interruption
ends it at once.

Jira Cloud (--host jira): the control tasks only so far, as issues of the type "Task" carrying Upkeep's
issue property, assigned by the configuration's /sync/owner_accounts; the account's EMAIL:TOKEN in
UPKEEP_API_KEY or --api-key-file; --config is required and there is no calendar feed or lease yet
(docs/jira-cloud.md).

Options:
  --url URL            the tracker's address, such as https://tracker.example.com
  --project ID         the project's identifier (Jira: its key)
  --host redmine|jira  the tracker (default: redmine)
  --config FILE        use this configuration instead of the project's wiki page ISMS_configuration
  --dry-run            print the plan; write nothing
  --json               print a JSON summary (creates, updates, comments, unchanged, requests,
                       calendar_feed)
  --today DATE         today's date, YYYY-MM-DD (default: the local date)
  --api-key-file FILE  read the API key from FILE (default: the UPKEEP_API_KEY environment variable)
  --ca-file FILE       trust the CA certificates in FILE (PEM) for https, instead of the system's
  --deadline S         stop after S seconds in all (default 1800); a rerun continues where it stopped
  --break-lease        take the sync lease even though a run holds it: only when that run is known to
                       be dead (killed, its machine gone), else two syncs run at once
  --host NAME          the tracker: redmine (the default)

The API key is never taken from the command line or put in a URL. Run sync as a dedicated account
(for example "upkeep-bot", a project member who can add and edit issues). A ticket carrying an Upkeep
key is Upkeep's only when this account, or one of the configuration's "sync" accounts, created it.

Exit status: 0 done, 2 bad input (arguments, configuration), 3 Redmine unreachable or failing (after
retries), 4 Redmine refused the key or a permission, 5 Redmine is not set up for Upkeep (tracker,
custom fields, owners who are not members: `rake upkeep:setup PROJECT=ID`), 6 the tickets are
synced but the calendar feed is not (the account needs the wiki rights "Edit wiki pages" and "Delete
attachments" of the wiki; the message says what failed), 7 another sync is running (the message says
whose, since when and until when at the latest), 1 anything else.
)";

} // namespace

int run_sync(const arguments& argv) {
    const auto args = parse_arguments(argv, {{"url", true},
                                             {"project", true},
                                             {"config", true},
                                             {"dry-run", false},
                                             {"json", false},
                                             {"today", true},
                                             {"api-key-file", true},
                                             {"ca-file", true},
                                             {"deadline", true},
                                             {"break-lease", false},
                                             {"host", true}});
    if (!args.error.empty()) return usage_error("sync", args.error);
    if (args.has("help")) return std::cout << sync_help, exit_ok;
    if (!args.positional.empty()) return usage_error("sync", "unexpected argument " + args.positional[0]);
    const auto today = today_from(args, "sync");
    if (!today) return exit_bad_input;
    const bool dry_run = args.has("dry-run");

    // Read and check everything, plan, then write (all in the core's session; this only carries it).
    tracker_run run;
    if (const int status = run_tracker_session("sync", args, "sync",
                                               {{"today", format_iso_date(*today)},
                                                {"apply", !dry_run},
                                                {"publish_feed", true},
                                                {"break_lease", args.has("break-lease")}},
                                               run);
        status != exit_ok)
        return status;
    const nlohmann::json& result = run.result;
    const std::string config_label = args.get("config").value_or("the configuration");
    const nlohmann::json& plan = result["plan"];
    if (plan.is_null()) return report_failure("sync", result["failure"], config_label);
    print_warnings(plan["warnings"], config_label);
    for (const auto& notice : plan["notices"])
        std::cerr << "upkeep sync: skipped: " << printable(notice.get<std::string>()) << "\n";

    const std::string project = *args.get("project");
    const auto count = [&](const char* kind) { return plan["counts"][kind].get<std::size_t>(); };
    const std::size_t total = plan["actions"].size(), written = result["written"].get<std::size_t>();
    const nlohmann::json& failure = result["failure"];
    const nlohmann::json feed = result["feed"];
    if (args.has("json")) {
        nlohmann::ordered_json summary{{"project", project},
                                       {"today", format_iso_date(*today)},
                                       {"dry_run", dry_run},
                                       {"since", plan["since"]},
                                       {"creates", count("create")},
                                       {"updates", count("update")},
                                       {"comments", count("comment")},
                                       {"closes", count("close")},
                                       {"unchanged", plan["unchanged"]},
                                       {"writes", written},
                                       {"requests", run.http->requests()},
                                       {"complete", failure.is_null()},
                                       {"calendar_feed", feed},
                                       {"lease", result["lease"]}};
        summary["notices"] = plan["notices"];
        nlohmann::ordered_json actions = nlohmann::ordered_json::array();
        for (const auto& a : plan["actions"]) {
            nlohmann::ordered_json item{{"action", a["kind"]}, {"key", a["key"]}, {"reason", a["reason"]}};
            if (a.contains("ticket")) item["ticket"] = a["ticket"];
            actions.push_back(std::move(item));
        }
        summary["actions"] = std::move(actions);
        std::cout << summary.dump(2) << "\n";
    } else {
        if (dry_run) {
            std::cout << "Plan for project " << project << " as of " << format_iso_date(*today)
                      << " (dry run, nothing written):\n";
            for (const auto& a : plan["actions"])
                std::cout << "  " << a["kind"].get<std::string>() << "  " << a["key"].get<std::string>()
                          << (a.contains("reference") ? " " + a["reference"].get<std::string>() : "") << "  ("
                          << printable(a["reason"].get<std::string>()) << ")\n";
        }
        std::cout << (dry_run ? "Would write: "
                              : "Synced project " + project + " as of " + format_iso_date(*today) + ": ")
                  << count("create") << " created, " << count("update") << " updated, " << count("comment")
                  << " commented, " << count("close") << " closed, " << plan["unchanged"].get<std::size_t>()
                  << " unchanged; " << run.http->requests() << " HTTP requests.\n";
        if (feed.is_string()) std::cout << "Calendar feed: " << feed.get<std::string>() << ".\n";
    }
    if (result["lease"].is_string() && result["lease"] != "released")
        std::cerr << "upkeep sync: warning: the sync lease was " << result["lease"].get<std::string>()
                  << "\n";
    if (failure.is_null()) return exit_ok;
    if (!result["writing"].get<bool>())
        return report_failure("sync", failure, config_label); // nothing written
    if (failure["kind"] == "feed_not_published") {
        std::cerr << "upkeep sync: the tickets are synced; the calendar feed: "
                  << printable(failure["message"].get<std::string>()) << "\n";
        return exit_feed_not_published;
    }
    nlohmann::json stopped = failure;
    stopped["message"] =
        "stopped after " + std::to_string(written) + " of " + std::to_string(total) +
        " writes: " + failure["message"].get<std::string>() +
        "\n  Every write is a whole ticket change: rerun `upkeep sync` to finish, without duplicates.";
    return report_failure("sync", stopped, config_label);
}

} // namespace upkeep::cli
