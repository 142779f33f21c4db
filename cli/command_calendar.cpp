#include "commands.hpp"
#include "io.hpp"

#include <upkeep/icalendar.hpp>
#include <upkeep/maintenance_calendar.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace upkeep::cli {

namespace {
constexpr const char* calendar_help =
    R"(Usage: upkeep calendar FILE [--from DATE] [--to DATE] [--owner LOGIN] [--framework KEY] [--format table|json|ics] [--today DATE]

Prints the maintenance calendar of an ISMS configuration: every due date of every activity in the
window, with the day its ticket opens (due date minus lead time), and the audits of the certification
cycle.

Options:
  --from DATE      first day of the window, YYYY-MM-DD (default: today)
  --to DATE        last day of the window (default: 12 months after --from)
  --owner LOGIN    only this owner's activities (audits are always shown)
  --framework KEY  only the activities that reference that framework's requirements (one of the
                   configuration's /frameworks: soc2, nis2, dora, iso22301)
  --format F       table (default), json, or ics: an RFC 5545 calendar with one recurring event per
                   activity and one event per audit, for Outlook, Google Calendar or Thunderbird
                   (--from/--to do not apply: the events carry their whole recurrence)
  --today DATE     today's date, YYYY-MM-DD (default: the local date)

Examples:
  upkeep calendar isms.json
  upkeep calendar isms.json --owner itops --from 2027-01-01 --to 2027-03-31
  upkeep calendar isms.json --format ics > isms.ics
)";

void print_table(const isms_configuration& config, const std::vector<calendar_entry>& entries,
                 const calendar_window& window) {
    std::size_t owner_width = 5;
    std::size_t activities = 0;
    for (const auto& e : entries) {
        owner_width = std::max(owner_width, e.owner.size());
        activities += e.kind == entry_kind::activity;
    }
    std::cout << "ISMS maintenance calendar of " << config.organisation.name << ", "
              << format_iso_date(window.from) << " to " << format_iso_date(window.to);
    if (window.owner) std::cout << ", owner " << *window.owner;
    std::cout << ": " << activities << " due dates, " << entries.size() - activities << " audits\n\n";
    const auto pad = [](const std::string& s, std::size_t width) {
        return s + std::string(width - std::min(width, s.size()), ' ');
    };
    std::cout << "DUE         OPENS       " << pad("OWNER", owner_width) << "  ACTIVITY\n";
    for (const auto& e : entries) {
        if (e.kind == entry_kind::audit) {
            std::cout << format_iso_date(e.date) << "  " << pad("", 10) << "  " << pad("-", owner_width)
                      << "  AUDIT: " << e.title << " (" << to_string(*e.source) << ")\n";
            continue;
        }
        std::cout << format_iso_date(e.date) << "  " << format_iso_date(*e.opens) << "  "
                  << pad(e.owner, owner_width) << "  " << e.title << " [" << e.id << "]\n";
    }
}

} // namespace

int run_calendar(const arguments& argv) {
    const auto args = parse_arguments(argv, {{"from", true},
                                             {"to", true},
                                             {"owner", true},
                                             {"framework", true},
                                             {"format", true},
                                             {"today", true}});
    if (!args.error.empty()) return usage_error("calendar", args.error);
    if (args.has("help")) return std::cout << calendar_help, exit_ok;
    if (args.positional.size() != 1) return usage_error("calendar", "expected one configuration FILE");
    const std::string format = args.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "ics")
        return usage_error("calendar", "--format \"" + format + "\" is not one of table, json, ics");
    const auto today = today_from(args, "calendar");
    const auto from = date_option(args, "from", "calendar");
    const auto to = date_option(args, "to", "calendar");
    if (!today || !from || !to) return exit_bad_input;

    calendar_window window;
    window.from = from->value_or(*today);
    window.to = to->value_or(add_months_clamped(window.from, 12));
    window.owner = args.get("owner");
    if (window.to < window.from)
        return usage_error("calendar", "--to " + format_iso_date(window.to) + " is before --from " +
                                           format_iso_date(window.from));

    const std::string& file = args.positional[0];
    const auto text = read_input(file);
    if (!text) return exit_failure;
    configuration_result result = parse_configuration(*text);
    print_diagnostics(file, result.problems);
    if (has_errors(result.problems)) {
        std::cerr << file << ": fix the errors above, then run 'upkeep validate " << file << "'\n";
        return exit_bad_input;
    }
    const auto framework = framework_option(args, result.config, "calendar");
    if (!framework) return exit_bad_input;
    if (*framework) result.config = narrowed_to(result.config, **framework);
    const certification_cycle cycle = compute_cycle(result.config.certification);
    if (format == "ics") {
        std::cout << to_icalendar(result.config, cycle, {*today, window.owner});
        return exit_ok;
    }
    const auto entries = maintenance_calendar(result.config, cycle, window);
    if (format == "json")
        std::cout << calendar_to_json(entries, window).dump(2) << "\n";
    else
        print_table(result.config, entries, window);
    return exit_ok;
}

} // namespace upkeep::cli
