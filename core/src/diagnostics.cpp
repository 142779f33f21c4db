#include "upkeep/diagnostics.hpp"

#include <algorithm>

namespace upkeep {

std::string diagnostic::to_string() const {
    const std::string place = pointer.empty() ? "(document)" : pointer;
    return (level == severity::warning ? "warning: " : "") + place + ": " + message;
}

bool has_errors(const diagnostics& list) {
    return std::any_of(list.begin(), list.end(),
                       [](const diagnostic& d) { return d.level == severity::error; });
}

std::string escape_pointer_token(const std::string& token) {
    std::string out;
    for (const char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

} // namespace upkeep
