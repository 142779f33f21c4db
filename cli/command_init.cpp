#include "commands.hpp"
#include "io.hpp"

#include <upkeep/default_configuration.hpp>

#include <filesystem>
#include <iostream>

namespace upkeep::cli {

namespace {
constexpr const char* init_help =
    R"(Usage: upkeep init [--output FILE [--force]] [--organisation NAME] [--decision-date DATE] [--today DATE]

Writes a complete starter configuration for ISO/IEC 27001:2022: 28 recurring activities (risk
assessment, SoA review, access reviews, vulnerability management, backup restore tests, supplier
reviews, awareness training, internal audit, management review, ...), each mapped to its clauses and
Annex A controls, with an owner role, an RFC 5545 cadence, a lead time, instructions and the evidence
the auditor will ask for. Cadences start after the certification decision and are spread over the year
so that the internal audit and the management review come before the first surveillance audit. Its
Statement of Applicability lists the 93 Annex A controls: those the activities operate as implemented,
the others as not implemented yet, for you to decide (docs/configuration.md).

Options:
  -o, --output FILE       write to FILE instead of standard output (refuses to overwrite)
      --force             overwrite FILE if it exists
      --organisation NAME the organisation's name (default: Example Ltd)
      --decision-date D   the certification decision date, YYYY-MM-DD (default: today)
      --today D           today's date, YYYY-MM-DD (default: the local date)

Example:
  upkeep init -o isms.json --organisation "Acme GmbH" --decision-date 2026-03-15
)";
} // namespace

int run_init(const arguments& argv) {
    const auto args = parse_arguments(argv, {{"output", true, "o"},
                                             {"force", false},
                                             {"organisation", true},
                                             {"decision-date", true},
                                             {"today", true}});
    if (!args.error.empty()) return usage_error("init", args.error);
    if (args.has("help")) return std::cout << init_help, exit_ok;
    if (!args.positional.empty()) return usage_error("init", "unexpected argument " + args.positional[0]);
    const auto today = today_from(args, "init");
    const auto decision = date_option(args, "decision-date", "init");
    if (!today || !decision) return exit_bad_input;

    starter_options options;
    options.decision_date = decision->value_or(*today);
    if (const auto name = args.get("organisation")) {
        if (name->empty()) return usage_error("init", "--organisation is empty");
        options.organisation = *name;
    }
    const std::string text = make_starter_configuration(options);
    const auto output = args.get("output");
    if (!output) {
        std::cout << text;
        return exit_ok;
    }
    if (std::filesystem::exists(*output) && !args.has("force"))
        return usage_error("init",
                           *output + " already exists: choose another file or add --force to overwrite it");
    std::string error;
    if (!write_file_atomically(*output, text, error)) {
        std::cerr << "upkeep init: " << error << "\n";
        return exit_failure;
    }
    std::cerr << "Wrote " << *output << ". Next: edit the owners and dates, then run 'upkeep validate "
              << *output << "'.\n";
    return exit_ok;
}

} // namespace upkeep::cli
