#include "commands.hpp"
#include "io.hpp"
#include "tracker_pump.hpp"

#include <upkeep/audit_status.hpp>
#include <upkeep/evidence_register.hpp>
#include <upkeep/frameworks.hpp>
#include <upkeep/metrics.hpp>
#include <upkeep/review_pack.hpp>
#include <upkeep/soa.hpp>
#include <upkeep/status_json.hpp>
#include <upkeep/supplier_reviews.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace upkeep::cli {

namespace {
constexpr const char* status_help = R"(Usage: upkeep status --snapshot FILE [CONFIG] [--today DATE] [--json]
       upkeep status --url URL --project ID [--config FILE] [--save-snapshot FILE] [--today DATE] [--json]

Closure against the audit dates: for each audit period that has started, every occurrence due in it
(on time, late, overdue, missed or upcoming), on-time rates by activity and owner, cadence flags
(completions bunched before the audit, gaps longer than the cadence allows), and the readiness for the
next audit as "x of y": what to fix first (counted in readiness) and what to watch. Every figure is
defined in docs/figures.md.

The tickets come from Redmine (read only, with the key of UPKEEP_API_KEY or --api-key-file; the
configuration from the project's wiki page unless --config), from Jira Cloud with --host jira (the
account's EMAIL:TOKEN in UPKEEP_API_KEY or --api-key-file, the configuration from --config, --project the
project's key), or from a snapshot file that --save-snapshot wrote, which keeps the day it was read and
the configuration it was read with, so its figures reproduce exactly later (the format is in
docs/snapshot.md). With a snapshot, CONFIG replaces the configuration it carries, and --today its day.

Readiness counts, besides the control tasks due in the audit's period, control tasks of earlier periods
still open, unassessed changes, overdue change follow-ups, review decisions, corrective actions and
verifications of effectiveness, open nonconformities, and corrective actions and verifications due on
or after the audit day.

Options:
  --snapshot FILE        the tickets, as above ("-" for standard input)
  --url URL --project ID read them from the tracker instead (also --host redmine|jira,
                         --config FILE, --api-key-file FILE,
                         --ca-file FILE: the CA certificates to trust for https, PEM;
                         --deadline S: stop after S seconds in all, default 1800)
  --save-snapshot FILE   write what was read from the tracker as a snapshot file
  --today DATE           today's date, YYYY-MM-DD (default: the snapshot's day, else the local date)
  --json                 the whole report as JSON
  --register csv|json    instead, the evidence register of one audit period for the auditor (activity,
                         title, references, owner, due, done, closed, evidence, result, and the
                         link to the ticket that holds the evidence)
  --audit NAME           that period: surveillance_1, surveillance_2 or recertification
                         (default: the period of the next audit)
  --soa FORMAT           instead, the Statement of Applicability for the auditor, each control with
                         the activities that operate it and their last evidence in the period of
                         --audit: csv, markdown, textile or html
  --framework KEY        the status of the activities that reference that framework's requirements
                         (one of the configuration's /frameworks: soc2, nis2, dora, iso22301); the
                         register, the SoA's evidence and the review pack then hold them alone
  --coverage             with --framework, instead: each requirement of the framework with the
                         activities that address it, and those nothing addresses (--json too)
  --review-pack          instead, the management review's input pack (ISO 27001 9.3.2)
  --format FORMAT        the pack's format: markdown (default), textile (for a Textile Redmine's
                         wiki) or html (a page to attach to the review ticket)

With a Statement of Applicability in the configuration (/soa), the report adds its drift: applicable
controls whose activities are overdue or missed, planned controls past their date, and exclusions not
reviewed since the last change that revisited the scope.
)";

constexpr std::size_t list_limit = 20;

void print_kpis(const std::vector<kpi>& kpis) {
    std::cout << "\nKPIs (this period; `--json` has every period, the definitions and the tickets):\n";
    for (const kpi& k : kpis) {
        if (k.periods.empty()) continue;
        // The detail holds severities as typed on the tickets.
        std::cout << "  " << k.title << ": " << printable(format_kpi_value(k, k.periods.back())) << "\n";
    }
}

void print_objectives(const std::vector<objective_status>& objectives) {
    if (objectives.empty()) return;
    std::cout << "\nObjectives (this period):\n";
    for (const objective_status& o : objectives) {
        if (o.met.empty()) continue;
        // The objective is the configuration's text.
        std::cout << "  " << printable(o.goal->objective) << ": " << objective_word(o.met.back()) << " ("
                  << o.measure->title << " "
                  << printable(format_kpi_value(*o.measure, o.measure->periods.back())) << ", target "
                  << o.target << ")\n";
    }
}

void print_expiring_evidence(const std::vector<expiring_evidence>& list, const ticket_references& refs) {
    if (list.empty()) return;
    std::cout << "\nEvidence that expires (the last completion's):\n";
    for (const expiring_evidence& e : list)
        std::cout << "  " << printable(e.title) << ": " << e.words
                  << (e.ticket_id ? " (" + refs.of(e.ticket_id) + ")" : "") << "\n";
}

void print_items(const char* heading, const std::vector<readiness_item>& items, bool numbered) {
    if (items.empty()) return;
    std::cout << heading << " (" << items.size() << "):\n";
    for (const readiness_item& item : items) {
        if (item.rank > list_limit) {
            std::cout << "  ... and " << items.size() - list_limit << " more (--json lists them all)\n";
            break;
        }
        // The sentences hold ticket subjects.
        std::cout << "  " << (numbered ? std::to_string(item.rank) + "." : "-") << " " << printable(item.what)
                  << "\n";
    }
}

void print_report(const status_report& report, const isms_configuration& config) {
    if (report.next_audit) {
        const readiness& r = *report.next_audit;
        std::cout << audit_title(r.audit) << " on " << format_iso_date(r.date) << ", in " << r.days_left
                  << (r.days_left == 1 ? " day" : " days") << ". Readiness: " << format_readiness(r) << ".\n";
        if (r.fix_first.empty()) std::cout << "Nothing lowers it.\n";
        print_items("Fix first, counted in readiness", r.fix_first, true);
        print_items("To watch", r.to_watch, false);
    } else {
        std::cout << "No audit is ahead in this certification cycle.\n";
    }
    for (const period_status& p : report.periods) {
        std::cout << "\n"
                  << audit_title(p.audit) << " period " << format_iso_date(p.from) << " to "
                  << format_iso_date(p.to) << (p.ended ? " (ended)" : "") << ": on time "
                  << format_rate(p.overall) << "\n";
        for (const auto& [id, r] : p.by_activity) {
            const auto a = std::find_if(config.activities.begin(), config.activities.end(),
                                        [&](const activity& x) { return x.id == id; });
            std::cout << "  " << id << (a == config.activities.end() ? " (not in the configuration)" : "")
                      << ": " << format_rate(r) << "\n";
        }
        std::cout << "  by owner:";
        for (const auto& [owner, r] : p.by_owner)
            std::cout << " " << printable(owner) << " " << format_rate(r) << ";";
        std::cout << "\n";
        for (const cadence_flag& f : p.flags)
            std::cout << "  cadence (" << to_string(f.kind) << "): " << f.activity << ": " << f.message
                      << "\n";
    }
    if (!report.ticket_problems.empty()) {
        std::cout << "\nTickets the figures do not take as they are:\n";
        for (const ticket_problem& p : report.ticket_problems)
            std::cout << "  - " << printable(p.message) << "\n";
    }
}

void print_coverage(const framework& f, const std::vector<requirement_coverage>& rows,
                    const isms_configuration& config) {
    const auto addressed =
        std::count_if(rows.begin(), rows.end(), [](const auto& r) { return !r.activities.empty(); });
    std::cout << f.name << ": " << addressed << " of " << rows.size()
              << " requirements addressed by an activity\n";
    for (const requirement_coverage& r : rows) {
        std::string by;
        for (const std::string& id : r.activities)
            by +=
                (by.empty() ? "" : "; ") + printable(activity_title(config, id)); // the configuration's text
        std::cout << "  " << r.id << " " << r.title << ": " << (by.empty() ? "nothing addresses it" : by)
                  << "\n";
    }
}

void print_soa_drift(const std::vector<soa_drift_item>& drift) {
    if (drift.empty()) return;
    std::cout << "\nStatement of Applicability drift (" << drift.size() << "):\n";
    for (const soa_drift_item& d : drift)
        std::cout << "  - " << printable(d.what) << "\n"; // titles are the configuration's text
}

// The configuration and tickets of a snapshot file (and CONFIG, when given, instead of its configuration).
int read_snapshot(const parsed_arguments& args, isms_configuration& config, snapshot_file& snapshot) {
    const std::string snapshot_path = *args.get("snapshot");
    const auto snapshot_text = read_input(snapshot_path);
    if (!snapshot_text) return exit_failure;
    const auto document = nlohmann::json::parse(*snapshot_text, nullptr, false);
    diagnostics problems;
    if (document.is_discarded())
        problems.push_back({severity::error, "", "the snapshot is not valid JSON"});
    else
        snapshot = snapshot_from_json(document, problems);
    print_diagnostics(snapshot_path, problems);
    if (has_errors(problems)) return exit_bad_input;

    std::string source = args.positional.empty() ? "" : args.positional[0];
    std::optional<std::string> text;
    if (!source.empty()) {
        text = read_input(source);
        if (!text) return exit_failure;
    } else if (snapshot.configuration) {
        text = snapshot.configuration;
        source = snapshot_path + " (its configuration)";
    } else {
        return usage_error("status",
                           "the snapshot carries no configuration (an older Upkeep wrote it): give the "
                           "configuration file too, as `upkeep status CONFIG --snapshot FILE`");
    }
    configuration_result parsed = parse_configuration(*text);
    // A snapshot's own configuration is reported at its place in the snapshot file.
    if (args.positional.empty())
        for (diagnostic& d : parsed.problems)
            d.pointer = "/configuration" + d.pointer;
    print_diagnostics(args.positional.empty() ? snapshot_path : source, parsed.problems);
    if (has_errors(parsed.problems)) return exit_bad_input;
    config = std::move(parsed.config);
    return exit_ok;
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
                                             {"ca-file", true},
                                             {"deadline", true},
                                             {"save-snapshot", true},
                                             {"register", true},
                                             {"audit", true},
                                             {"review-pack", false},
                                             {"soa", true},
                                             {"framework", true},
                                             {"coverage", false},
                                             {"format", true},
                                             {"host", true}});
    if (!args.error.empty()) return usage_error("status", args.error);
    if (args.has("help")) return std::cout << status_help, exit_ok;
    const auto given_today = date_option(args, "today", "status");
    if (!given_today) return exit_bad_input;

    isms_configuration config;
    snapshot_file snapshot;
    std::optional<day_point> today = *given_today;
    if (args.has("url")) {
        if (!args.positional.empty())
            return usage_error(
                "status", "with --url, give a configuration file as --config FILE (default: the wiki page)");
        if (!today) today = today_from(args, "status");
        if (!today) return exit_bad_input;
        tracker_run run;
        if (const int status =
                run_tracker_session("status", args, "status", {{"today", format_iso_date(*today)}}, run);
            status != exit_ok)
            return status;
        const std::string config_label = args.get("config").value_or("the configuration");
        if (!run.result["failure"].is_null())
            return report_failure("status", run.result["failure"], config_label);
        print_warnings(run.result["configuration"]["warnings"], config_label);
        // What was read, with its day, tracker and configuration: a snapshot file's content.
        snapshot = {snapshot_format,
                    *run.session->snapshot(),
                    today,
                    args.get("host").value_or("redmine"),
                    *args.get("url"),
                    *args.get("project"),
                    *run.session->configuration_text()};
        config = parse_configuration(*snapshot.configuration).config;
        if (const auto out = args.get("save-snapshot")) {
            std::string error;
            if (!write_file_atomically(*out, snapshot_to_json(snapshot).dump(2) + "\n", error)) {
                std::cerr << "upkeep status: " << error << "\n";
                return exit_failure;
            }
        }
    } else {
        if (args.positional.size() > 1)
            return usage_error("status", "expected at most one configuration file");
        if (!args.get("snapshot"))
            return usage_error("status", "give --snapshot FILE, or read Redmine with --url and --project");
        if (args.has("save-snapshot")) return usage_error("status", "--save-snapshot saves what --url reads");
        if (const int status = read_snapshot(args, config, snapshot); status != exit_ok) return status;
        if (!today) today = snapshot.as_of ? snapshot.as_of : today_from(args, "status");
        if (!today) return exit_bad_input;
    }
    add_supplier_reviews(config, snapshot.tracker.suppliers);
    const auto framework = framework_option(args, config, "status");
    if (!framework) return exit_bad_input;
    if (args.has("coverage")) {
        if (!*framework) return usage_error("status", "--coverage needs --framework KEY");
        const std::vector<requirement_coverage> rows = coverage(config, **framework);
        if (args.has("json"))
            return std::cout << coverage_to_json(**framework, rows).dump(2) << "\n", exit_ok;
        print_coverage(**framework, rows, config);
        return exit_ok;
    }
    if (*framework) {
        config = narrowed_to(config, **framework);
        snapshot.tracker = tasks_of(snapshot.tracker, config);
    }
    const tracker_snapshot& tickets = snapshot.tracker;

    const status_report report = compute_status(config, compute_cycle(config.certification), tickets, *today);
    // The period of --audit, else of the next audit (the register's and the SoA's evidence).
    const std::string audit =
        args.get("audit").value_or(report.next_audit ? std::string(audit_key(report.next_audit->audit))
                                                     : std::string("recertification"));
    const auto period = std::find_if(report.periods.begin(), report.periods.end(),
                                     [&](const period_status& p) { return audit_key(p.audit) == audit; });
    const auto period_error = [&] {
        return usage_error("status", "--audit \"" + audit +
                                         "\" is not a period that has started (surveillance_1, "
                                         "surveillance_2, recertification)");
    };
    if (const auto format = args.get("register")) {
        if (*format != "csv" && *format != "json")
            return usage_error("status", "--register takes csv or json");
        if (period == report.periods.end()) return period_error();
        if (*format == "csv")
            std::cout << evidence_register_csv(*period, config, tickets.references);
        else
            std::cout << evidence_register_json(*period, config, tickets.references).dump(2) << "\n";
        return exit_ok;
    }
    if (const auto format = args.get("soa")) {
        const auto markup = *format == "csv" ? std::optional<upkeep::markup>() : parse_markup(*format);
        if (*format != "csv" && !markup)
            return usage_error("status", "--soa takes csv, markdown, textile or html");
        if (!config.soa)
            return usage_error("status", "the configuration has no Statement of Applicability (/soa): "
                                         "`upkeep init` writes a starter one");
        if (args.has("audit") && period == report.periods.end()) return period_error();
        const period_status* in = period == report.periods.end() ? nullptr : &*period;
        if (markup)
            std::cout << render(soa_document(*config.soa, config, in), *markup, tickets.references);
        else
            std::cout << soa_csv(*config.soa, config, in, tickets.references);
        return exit_ok;
    }
    const std::vector<kpi> kpis = compute_kpis(config, report, tickets, *today);
    if (args.has("review-pack")) {
        const auto format = parse_markup(args.get("format").value_or("markdown"));
        if (!format) return usage_error("status", "--format takes markdown, textile or html");
        std::cout << render(review_pack(config, report, kpis, tickets, *today), *format, tickets.references);
        return exit_ok;
    }
    if (args.has("format")) return usage_error("status", "--format is the format of --review-pack");
    const std::vector<soa_drift_item> drift =
        config.soa ? soa_drift(*config.soa, config, report, tickets) : std::vector<soa_drift_item>();
    if (args.has("json")) {
        nlohmann::json out = status_to_json(report);
        out["kpis"] = kpis_to_json(kpis);
        out["objectives"] = objectives_to_json(evaluate_objectives(config, kpis));
        out["soa_drift"] = config.soa ? soa_drift_to_json(drift) : nlohmann::json();
        std::cout << out.dump(2) << "\n";
    } else {
        print_report(report, config);
        print_soa_drift(drift);
        print_expiring_evidence(report.expiring, tickets.references);
        print_kpis(kpis);
        print_objectives(evaluate_objectives(config, kpis));
    }
    return exit_ok;
}

} // namespace upkeep::cli
