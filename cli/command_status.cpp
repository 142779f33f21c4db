#include "commands.hpp"
#include "io.hpp"

#include <upkeep/audit_status.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace upkeep::cli {

namespace {
constexpr const char* help = R"(Usage: upkeep status CONFIG --snapshot FILE [--today DATE] [--json]

Closure against the audit dates: for each audit period that has started, every occurrence due in it
(done on time, late, overdue, or upcoming), on-time rates by activity and owner, cadence flags
(completions bunched before the audit, gaps the cadence does not allow), and the readiness for the
next audit with what lowers it, what to do first first.

The tickets come from a snapshot file, so a computation can be reproduced exactly:
  {"tickets": [{"key": "control:access-review:2027-03-31", "closed": true,
                "closed_on": "2027-04-02", "done_on": "2027-03-30", "evidence": true}]}
"done_on" is the day the work was done (the evidence date); it counts, not the closing day.

Options:
  --snapshot FILE  the tickets, as above ("-" for standard input)
  --today DATE     today's date, YYYY-MM-DD (default: the local date)
  --json           the whole report as JSON
)";
} // namespace

int run_status(const arguments& argv) {
    const auto args = parse_arguments(argv, {{"snapshot", true}, {"today", true}, {"json", false}});
    if (!args.error.empty()) return usage_error("status", args.error);
    if (args.has("help")) return std::cout << help, exit_ok;
    if (args.positional.size() != 1) return usage_error("status", "expected one configuration file");
    const auto snapshot_path = args.get("snapshot");
    if (!snapshot_path)
        return usage_error("status", "give --snapshot FILE (reading the tracker directly is not there yet)");
    const auto today = today_from(args, "status");
    if (!today) return exit_bad_input;

    const std::string& file = args.positional[0];
    const auto text = read_input(file);
    const auto snapshot_text = read_input(*snapshot_path);
    if (!text || !snapshot_text) return exit_failure;
    const configuration_result config = parse_configuration(*text);
    print_diagnostics(file, config.problems);
    if (has_errors(config.problems)) return exit_bad_input;
    const auto snapshot = nlohmann::json::parse(*snapshot_text, nullptr, false);
    diagnostics problems;
    const auto tasks =
        snapshot.is_discarded() ? std::vector<task_record>{} : tasks_from_snapshot(snapshot, problems);
    if (snapshot.is_discarded()) problems.push_back({severity::error, "", "the snapshot is not valid JSON"});
    print_diagnostics(*snapshot_path, problems);
    if (has_errors(problems)) return exit_bad_input;

    const status_report report =
        compute_status(config.config, compute_cycle(config.config.certification), tasks, *today);
    if (args.has("json")) {
        std::cout << status_to_json(report).dump(2) << "\n";
        return exit_ok;
    }
    if (report.next_audit) {
        const readiness& r = *report.next_audit;
        std::cout << audit_title(r.audit) << " on " << format_iso_date(r.date) << ", in " << r.days_left
                  << " days. Readiness: " << r.percent << "%.\n";
        std::size_t shown = 0;
        for (const readiness_item& item : r.lowering) {
            if (shown++ == 20) {
                std::cout << "  ... and " << r.lowering.size() - 20 << " more (--json lists them all)\n";
                break;
            }
            std::cout << "  - " << item.what << "\n";
        }
    }
    for (const period_status& p : report.periods) {
        std::cout << "\n"
                  << audit_title(p.audit) << " period " << format_iso_date(p.from) << " to "
                  << format_iso_date(p.to) << ": " << p.overall.on_time << " of " << p.overall.due
                  << " due occurrences done on time\n";
        for (const auto& [id, r] : p.by_activity)
            std::cout << "  " << id << ": " << r.on_time << "/" << r.due << " on time\n";
        for (const cadence_flag& f : p.flags)
            std::cout << "  cadence: " << f.activity << ": " << f.message << "\n";
    }
    return exit_ok;
}

} // namespace upkeep::cli
