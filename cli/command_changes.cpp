#include "commands.hpp"
#include "io.hpp"
#include "tracker_pump.hpp"

#include <upkeep/tracker_snapshot.hpp>

#include <upkeep/change_impact.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace upkeep::cli {

namespace {
constexpr const char* changes_help =
    R"(Usage: upkeep changes --url URL --project ID [--all] [--json] [--config FILE] [--today DATE]
       upkeep changes --host jira --url https://SITE.atlassian.net --project KEY --config FILE [...]

The change tickets that nobody has asked "does this change affect the ISMS?" yet (ISO/IEC 27001:2022
6.3, 8.1, 8.2): open tickets of the ticket types the configuration names in /changes/ticket_types whose
assessment is not recorded. An assessment answered "no impact" is a recorded assessment. Answer the
questions on the ticket: in Redmine on the change ticket, in Jira Cloud in its panel "ISMS impact".

Reads only, with the key of UPKEEP_API_KEY or --api-key-file (Jira Cloud: EMAIL:TOKEN); the
configuration comes from the project's wiki page unless --config (Jira Cloud: always --config).

Options:
  --host NAME      the tracker: redmine (default) or jira
  --all            also list the assessed changes and the open follow-ups of changes
  --json           {"unassessed": [...], "assessed": [...], "open_follow_ups": [...]}
  --config FILE    the configuration (default: the project's wiki page ISMS_configuration)
  --api-key-file F read the API key from F instead of UPKEEP_API_KEY
  --ca-file FILE   trust the CA certificates in FILE (PEM) for https, instead of the system's
  --deadline S     stop after S seconds in all (default 1800)
  --today DATE     today's date, YYYY-MM-DD (default: the local date)

Exit status: 0 (also when changes are unassessed), 2 bad arguments, 3 the tracker unreachable,
4 refused, 5 not set up.
)";

// A change as its tracker's people name it ("#12", "ISMS-12"), with what the list says of it.
std::string change_line(const nlohmann::json& c, const ticket_references& refs) {
    std::string line = "  " + refs.of(c["id"].get<long long>()) + "  " +
                       printable(c["subject"].get<std::string>()) + "  (" +
                       printable(c["tracker"].get<std::string>());
    if (c["created_on"].is_string()) line += ", opened " + c["created_on"].get<std::string>();
    if (c["go_live"].is_string()) line += ", due " + c["go_live"].get<std::string>();
    if (!c["assignee"].get<std::string>().empty()) line += ", " + printable(c["assignee"].get<std::string>());
    return line + ")";
}

} // namespace

int run_changes(const arguments& argv) {
    const auto args = parse_arguments(argv, {{"url", true},
                                             {"project", true},
                                             {"config", true},
                                             {"api-key-file", true},
                                             {"ca-file", true},
                                             {"deadline", true},
                                             {"today", true},
                                             {"all", false},
                                             {"json", false},
                                             {"host", true}});
    if (!args.error.empty()) return usage_error("changes", args.error);
    if (args.has("help")) return std::cout << changes_help, exit_ok;
    if (!args.positional.empty())
        return usage_error("changes", "unexpected argument \"" + args.positional[0] + "\"");
    const auto today = today_from(args, "changes");
    if (!today) return exit_bad_input;
    tracker_run run;
    if (const int status =
            run_tracker_session("changes", args, "changes", {{"today", format_iso_date(*today)}}, run);
        status != exit_ok)
        return status;
    const std::string config_label = args.get("config").value_or("the configuration");
    if (!run.result["failure"].is_null())
        return report_failure("changes", run.result["failure"], config_label);
    const tracker_snapshot& read = *run.session->snapshot();
    const nlohmann::json report = changes_to_json(read.changes, read.follow_ups);
    if (args.has("json")) {
        std::cout << report.dump(2) << "\n";
        return exit_ok;
    }
    const auto& unassessed = report["unassessed"];
    if (unassessed.empty())
        std::cout << "Every open change has an ISMS impact assessment.\n";
    else
        std::cout << unassessed.size() << " open change(s) not assessed for their ISMS impact:\n";
    for (const auto& c : unassessed)
        std::cout << change_line(c, read.references) << "\n";
    if (!args.has("all")) return exit_ok;
    std::cout << "\n" << report["assessed"].size() << " assessed change(s):\n";
    for (const auto& c : report["assessed"]) {
        const auto& a = c["assessment"];
        std::cout << change_line(c, read.references) << ": "
                  << (a["affects"].get<bool>() ? "affects the ISMS" : "no impact") << " (revision "
                  << a["revision"] << ", " << a["on"].get<std::string>() << ", by "
                  << printable(a["by"].get<std::string>()) << ")\n";
    }
    std::cout << "\n" << report["open_follow_ups"].size() << " open follow-up(s) of changes:\n";
    for (const auto& f : report["open_follow_ups"])
        std::cout << "  " << read.references.of(f["id"].get<long long>()) << "  "
                  << printable(f["subject"].get<std::string>())
                  << (f["due"].is_string() ? "  (due " + f["due"].get<std::string>() + ")" : "") << "\n";
    return exit_ok;
}

} // namespace upkeep::cli
