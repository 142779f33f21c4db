// The native `upkeep` command: the same core as the browser, for people at a shell and for cron/CI.

#include "commands.hpp"
#include "io.hpp"

#include <upkeep/jira/host.hpp>
#include <upkeep/redmine/host.hpp>

#include <exception>
#include <iostream>
#include <string_view>

namespace {

constexpr std::string_view overview = R"(upkeep - keep an ISO/IEC 27001 ISMS alive between audits

Usage: upkeep COMMAND [OPTIONS]

Commands:
  init       write a starter ISO 27001:2022 configuration (maintenance calendar, owners, evidence)
  validate   check a configuration and report every problem with its JSON pointer
  calendar   print the maintenance calendar and audits (table, JSON or iCalendar)
  expand     expand an RFC 5545 RRULE into dates (one rule, or JSON lines on stdin)
  sync       turn the calendar into Redmine tickets (plan, then apply; safe to rerun)
  status     closure against the audit dates and readiness for the next audit
  changes    list the change tickets not yet assessed for their ISMS impact

Run 'upkeep COMMAND --help' for a command's options.

Exit status: 0 success, 2 bad input (configuration, arguments, rule), 1 anything else;
commands that read Redmine (sync, status, changes) add 3 tracker unreachable, 4 tracker refused,
5 tracker not set up; sync adds 6 tickets synced but the calendar feed not published, 7 another
sync running.
)";

} // namespace

int main(int argc, char** argv) {
    using namespace upkeep::cli;
    upkeep::redmine::register_host(); // every tracker the command knows (--host)
    upkeep::jira::register_host();
    const std::vector<std::string> all(argv + 1, argv + argc);
    if (all.empty() || all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
        std::cout << overview;
        return all.empty() ? exit_bad_input : exit_ok;
    }
    if (all[0] == "--version") {
        std::cout << "upkeep " UPKEEP_VERSION "\n";
        return exit_ok;
    }
    const std::string command = all[0];
    const arguments rest(all.begin() + 1, all.end());
    try {
        if (command == "init") return run_init(rest);
        if (command == "validate") return run_validate(rest);
        if (command == "calendar") return run_calendar(rest);
        if (command == "expand") return run_expand(rest);
        if (command == "sync") return run_sync(rest);
        if (command == "status") return run_status(rest);
        if (command == "changes") return run_changes(rest);
    } catch (const std::exception& e) {
        std::cerr << "upkeep " << command << ": internal error: " << e.what() << "\n";
        return exit_failure;
    }
    std::cerr << "upkeep: unknown command '" << command << "'\n\n" << overview;
    return exit_bad_input;
}
