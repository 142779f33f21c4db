#include "commands.hpp"
#include "io.hpp"
#include "tracker_session.hpp"

#include <upkeep/audit_status.hpp>
#include <upkeep/metrics.hpp>
#include <upkeep/review_pack.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace upkeep::cli {

namespace {
constexpr const char* help = R"(Usage: upkeep status CONFIG --snapshot FILE [--today DATE] [--json]
       upkeep status --url URL --project ID [--config FILE] [--save-snapshot FILE] [--today DATE] [--json]

Closure against the audit dates: for each audit period that has started, every occurrence due in it
(done on time, late, overdue, or upcoming), on-time rates by activity and owner, cadence flags
(completions bunched before the audit, gaps the cadence does not allow), and the readiness for the
next audit with what lowers it, what to do first first.

The tickets come from Redmine (read only, with the key of UPKEEP_API_KEY or --api-key-file; the
configuration from the project's wiki page unless --config), or from a snapshot file, so a computation
can be reproduced exactly (the format is in docs/snapshot.md):
  {"tickets": [{"key": "control:access-review:2027-03-31", "closed": true,
                "closed_on": "2027-04-02", "done_on": "2027-03-30", "evidence": true}],
   "changes": [...], "follow_ups": [...], "findings": [...], "decisions": [...]}
"done_on" is the day the work was done (the evidence date); it counts, not the closing day.
Readiness also counts unassessed changes, overdue change follow-ups, review decisions and corrective
actions, open nonconformities and corrective actions due after the audit.

Options:
  --snapshot FILE        the tickets, as above ("-" for standard input)
  --url URL --project ID read them from Redmine instead (also --config FILE, --api-key-file FILE)
  --save-snapshot FILE   write the tickets read from Redmine as a snapshot file
  --today DATE           today's date, YYYY-MM-DD (default: the local date)
  --json                 the whole report as JSON
  --register csv|json    instead, the evidence register of one audit period for the auditor (activity,
                         title, references, owner, due, done, closed, evidence, result, and the
                         link to the ticket that holds the evidence)
  --audit NAME           that period: surveillance_1, surveillance_2 or recertification
                         (default: the period of the next audit)
  --review-pack          instead, the management review's input pack (ISO 27001 9.3.2)
  --format FORMAT        the pack's format: markdown (default), textile (for a Textile Redmine's
                         wiki) or html (a page to attach to the review ticket)
)";

void print_kpis(const std::vector<kpi>& kpis) {
    std::cout << "\nKPIs (this period; `--json` has every period, the definitions and the tickets):\n";
    for (const kpi& k : kpis) {
        if (k.periods.empty()) continue;
        // The detail holds severities as typed on the tickets.
        std::cout << "  " << k.title << ": " << printable(format_kpi_value(k, k.periods.back())) << "\n";
    }
}

void print_report(const status_report& report) {
    if (report.next_audit) {
        const readiness& r = *report.next_audit;
        std::cout << audit_title(r.audit) << " on " << format_iso_date(r.date) << ", in " << r.days_left
                  << " days. Readiness: " << r.percent << "%.\n";
        for (std::size_t i = 0; i < r.lowering.size(); ++i) {
            if (i == 20) {
                std::cout << "  ... and " << r.lowering.size() - 20 << " more (--json lists them all)\n";
                break;
            }
            std::cout << "  - " << printable(r.lowering[i].what) << "\n"; // holds ticket subjects
        }
    }
    for (const period_status& p : report.periods) {
        std::cout << "\n"
                  << audit_title(p.audit) << " period " << format_iso_date(p.from) << " to "
                  << format_iso_date(p.to) << ": " << p.overall.on_time << " of " << p.overall.due
                  << " due occurrences done on time\n";
        for (const auto& [id, r] : p.by_activity)
            std::cout << "  " << id << ": " << r.on_time << "/" << r.due << " on time\n";
        std::cout << "  by owner:";
        for (const auto& [owner, r] : p.by_owner)
            std::cout << " " << printable(owner) << " " << r.on_time << "/" << r.due << ";";
        std::cout << "\n";
        for (const cadence_flag& f : p.flags)
            std::cout << "  cadence: " << f.activity << ": " << f.message << "\n";
    }
}

} // namespace

int run_status(const arguments& argv) {
    const auto args = parse_arguments(argv, {{"snapshot", true},
                                             {"today", true},
                                             {"json", false},
                                             {"url", true},
                                             {"project", true},
                                             {"config", true},
                                             {"api-key-file", true},
                                             {"save-snapshot", true},
                                             {"register", true},
                                             {"audit", true},
                                             {"review-pack", false},
                                             {"format", true}});
    if (!args.error.empty()) return usage_error("status", args.error);
    if (args.has("help")) return std::cout << help, exit_ok;
    const auto today = today_from(args, "status");
    if (!today) return exit_bad_input;

    isms_configuration config;
    tracker_snapshot tracker_facts;
    if (args.has("url")) {
        if (!args.positional.empty())
            return usage_error(
                "status", "with --url, give a configuration file as --config FILE (default: the wiki page)");
        tracker_session tracker;
        if (const int status = open_tracker_session("status", args, *today, true, tracker); status != exit_ok)
            return status;
        config = tracker.session->config();
        tracker_facts = tracker.session->snapshot();
        if (const auto out = args.get("save-snapshot")) {
            std::string error;
            if (!write_file_atomically(*out, snapshot_to_json(tracker_facts).dump(2) + "\n", error)) {
                std::cerr << "upkeep status: " << error << "\n";
                return exit_failure;
            }
        }
    } else {
        if (args.positional.size() != 1) return usage_error("status", "expected one configuration file");
        const auto snapshot_path = args.get("snapshot");
        if (!snapshot_path)
            return usage_error("status", "give --snapshot FILE, or read Redmine with --url and --project");
        const std::string& file = args.positional[0];
        const auto text = read_input(file);
        const auto snapshot_text = read_input(*snapshot_path);
        if (!text || !snapshot_text) return exit_failure;
        const configuration_result parsed = parse_configuration(*text);
        print_diagnostics(file, parsed.problems);
        if (has_errors(parsed.problems)) return exit_bad_input;
        config = parsed.config;
        const auto snapshot = nlohmann::json::parse(*snapshot_text, nullptr, false);
        diagnostics problems;
        if (snapshot.is_discarded())
            problems.push_back({severity::error, "", "the snapshot is not valid JSON"});
        else
            tracker_facts = snapshot_from_json(snapshot, problems);
        print_diagnostics(*snapshot_path, problems);
        if (has_errors(problems)) return exit_bad_input;
    }

    const status_report report =
        compute_status(config, compute_cycle(config.certification), tracker_facts, *today);
    // Links to the tickets, when they come from Redmine.
    std::string ticket_url;
    if (const auto url = args.get("url")) ticket_url = *url + (url->ends_with("/") ? "" : "/") + "issues/";
    if (const auto format = args.get("register")) {
        if (*format != "csv" && *format != "json")
            return usage_error("status", "--register takes csv or json");
        const std::string audit =
            args.get("audit").value_or(report.next_audit ? std::string(audit_key(report.next_audit->audit))
                                                         : std::string("recertification"));
        const auto period = std::find_if(report.periods.begin(), report.periods.end(),
                                         [&](const period_status& p) { return audit_key(p.audit) == audit; });
        if (period == report.periods.end())
            return usage_error("status", "--audit \"" + audit +
                                             "\" is not a period that has started (surveillance_1, "
                                             "surveillance_2, recertification)");
        if (*format == "csv")
            std::cout << evidence_register_csv(*period, config, ticket_url.empty() ? "#" : ticket_url);
        else
            std::cout
                << evidence_register_json(*period, config, ticket_url.empty() ? "#" : ticket_url).dump(2)
                << "\n";
        return exit_ok;
    }
    const std::vector<kpi> kpis = compute_kpis(config, report, tracker_facts, *today);
    if (args.has("review-pack")) {
        const auto format = parse_markup(args.get("format").value_or("markdown"));
        if (!format) return usage_error("status", "--format takes markdown, textile or html");
        std::cout << render(review_pack(config, report, kpis, tracker_facts, *today), *format, ticket_url);
        return exit_ok;
    }
    if (args.has("format")) return usage_error("status", "--format is the format of --review-pack");
    if (args.has("json")) {
        nlohmann::json out = status_to_json(report);
        out["kpis"] = kpis_to_json(kpis);
        std::cout << out.dump(2) << "\n";
    } else {
        print_report(report);
        print_kpis(kpis);
    }
    return exit_ok;
}

} // namespace upkeep::cli
