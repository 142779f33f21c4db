#include "arguments.hpp"

#include <algorithm>

namespace upkeep::cli {

std::optional<std::string> parsed_arguments::get(const std::string& name) const {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

parsed_arguments parse_arguments(const std::vector<std::string>& args,
                                 const std::vector<option_spec>& specs) {
    parsed_arguments out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            out.values["help"] = "";
            continue;
        }
        if (arg == "-" || !arg.starts_with("-")) {
            out.positional.push_back(arg);
            continue;
        }
        const bool long_form = arg.starts_with("--");
        std::string name = arg.substr(long_form ? 2 : 1);
        std::optional<std::string> inline_value;
        if (const auto eq = name.find('='); long_form && eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const auto spec = std::find_if(specs.begin(), specs.end(), [&](const option_spec& s) {
            return long_form ? s.name == name : (!s.short_name.empty() && s.short_name == name);
        });
        if (spec == specs.end()) {
            out.error = "unknown option " + arg;
            return out;
        }
        if (!spec->takes_value) {
            if (inline_value) {
                out.error = "--" + spec->name + " takes no value";
                return out;
            }
            out.values[spec->name] = "";
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) {
                out.error = "--" + spec->name + " needs a value";
                return out;
            }
            inline_value = args[++i];
        }
        out.values[spec->name] = *inline_value;
    }
    return out;
}

} // namespace upkeep::cli
