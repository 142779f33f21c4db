#include "commands.hpp"
#include "io.hpp"

#include <upkeep/json_api.hpp>
#include <upkeep/recurrence.hpp>

#include <charconv>
#include <iostream>

namespace upkeep::cli {

namespace {
constexpr const char* expand_help = R"(Usage: upkeep expand --dtstart DATE --rrule RULE [--limit N]
       upkeep expand --jsonl < requests.jsonl

Expands an RFC 5545 recurrence rule for DATE values. DTSTART is an occurrence only when the rule
matches it; months without the day are skipped, not clamped (python-dateutil and rrule.js semantics).

First form: prints one ISO date per line, at most N (default 100).

--jsonl: reads JSON lines {"dtstart": "YYYY-MM-DD", "rrule": "FREQ=...", "limit": N} (limit optional,
default 100) from standard input and writes one line for each, in order: {"dates": [...]} or
{"error": "..."}. A bad line gets an error line; the others are still answered.

Both forms are a stable contract for scripts and other tools.

Options:
  --dtstart DATE  the first date of the recurrence, YYYY-MM-DD
  --rrule RULE    the rule, such as 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'
  --limit N       at most N dates (0 to 100000, default 100)
  --jsonl         read requests from standard input, one JSON object per line

Example:
  upkeep expand --dtstart 2027-01-01 --rrule 'FREQ=YEARLY;BYMONTH=2;BYDAY=-1MO' --limit 3
)";
} // namespace

int run_expand(const arguments& argv) {
    const auto args =
        parse_arguments(argv, {{"dtstart", true}, {"rrule", true}, {"limit", true}, {"jsonl", false}});
    if (!args.error.empty()) return usage_error("expand", args.error);
    if (args.has("help")) return std::cout << expand_help, exit_ok;
    if (!args.positional.empty()) return usage_error("expand", "unexpected argument " + args.positional[0]);

    if (args.has("jsonl")) {
        if (args.has("dtstart") || args.has("rrule") || args.has("limit"))
            return usage_error("expand", "--jsonl reads dtstart, rrule and limit from each input line");
        std::string line;
        while (std::getline(std::cin, line)) {
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            std::cout << json_api::expand(line) << '\n';
        }
        std::cout.flush();
        return exit_ok;
    }
    const auto dtstart_text = args.get("dtstart");
    const auto rule_text = args.get("rrule");
    if (!dtstart_text || !rule_text) return usage_error("expand", "give --dtstart and --rrule (or --jsonl)");
    const auto dtstart = parse_iso_date(*dtstart_text);
    if (!dtstart)
        return usage_error("expand", "--dtstart \"" + *dtstart_text + "\" is not a date: write YYYY-MM-DD");
    long long limit = json_api::default_expand_limit;
    if (const auto text = args.get("limit")) {
        const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
        if (ec != std::errc{} || end != text->data() + text->size() || limit < 0 ||
            limit > json_api::max_expand_limit)
            return usage_error("expand", "--limit \"" + *text + "\" is not a whole number from 0 to " +
                                             std::to_string(json_api::max_expand_limit));
    }
    const rrule_parse_result parsed = parse_rrule(*rule_text);
    if (!parsed.rule) {
        for (const rule_error& e : parsed.errors)
            std::cerr << "upkeep expand: --rrule: " << e.message << "\n";
        return exit_bad_input;
    }
    for (const day_point d : all(recurrence{*dtstart, *parsed.rule, {}, {}}, static_cast<std::size_t>(limit)))
        std::cout << format_iso_date(d) << '\n';
    return exit_ok;
}

} // namespace upkeep::cli
