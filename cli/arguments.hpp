#pragma once
// A small command-line parser: `--name value`, `--name=value`, flags, and positional arguments.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace upkeep::cli {

struct option_spec {
    std::string name;            // without the dashes: "today"
    bool takes_value;            // --today 2026-11-22
    std::string short_name = {}; // "o" for -o
};

struct parsed_arguments {
    std::map<std::string, std::string> values; // flags map to ""
    std::vector<std::string> positional;
    std::string error; // non-empty when the command line is wrong

    bool has(const std::string& name) const { return values.count(name) != 0; }
    std::optional<std::string> get(const std::string& name) const;
};

/// Parses args against the specs; `--help`/`-h` is always known (as the flag "help").
parsed_arguments parse_arguments(const std::vector<std::string>& args, const std::vector<option_spec>& specs);

} // namespace upkeep::cli
