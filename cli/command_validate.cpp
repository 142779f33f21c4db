#include "commands.hpp"
#include "io.hpp"

#include <upkeep/isms_config.hpp>
#include <upkeep/json_api.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace upkeep::cli {

namespace {
constexpr const char* validate_help = R"(Usage: upkeep validate FILE [--json]

Checks an ISMS configuration (FILE, or - for standard input) and reports every problem at once, each
with the JSON pointer of its place: JSON syntax, unknown or missing fields, wrong types, dates, RFC 5545
rules, duplicate ids, clause and control references, the Statement of Applicability (every Annex A
control once, justified exclusions; controls nothing keeps alive are warnings), and audit dates that
break the certification cycle (those are warnings).

Options:
  --json   print {"ok", "errors": [{"pointer", "message"}], "warnings": [...], "activities"} on stdout

Exit status: 0 valid (warnings allowed), 2 errors found, 1 the file cannot be read.
)";
} // namespace

int run_validate(const arguments& argv) {
    const auto args = parse_arguments(argv, {{"json", false}});
    if (!args.error.empty()) return usage_error("validate", args.error);
    if (args.has("help")) return std::cout << validate_help, exit_ok;
    if (args.positional.size() != 1) return usage_error("validate", "expected one configuration FILE");
    const std::string& file = args.positional[0];
    const auto text = read_input(file);
    if (!text) return exit_failure;
    if (args.has("json")) {
        const std::string report = json_api::validate(*text);
        std::cout << report << "\n";
        return nlohmann::json::parse(report).at("ok").get<bool>() ? exit_ok : exit_bad_input;
    }
    const configuration_result result = parse_configuration(*text);
    print_diagnostics(file, result.problems);
    if (has_errors(result.problems)) {
        std::size_t errors = 0;
        for (const auto& d : result.problems)
            errors += d.level == severity::error;
        std::cerr << file << ": " << errors << (errors == 1 ? " error" : " errors")
                  << "; nothing was changed\n";
        return exit_bad_input;
    }
    std::cout << file << ": ok (" << result.config.activities.size() << " activities)\n";
    return exit_ok;
}

} // namespace upkeep::cli
