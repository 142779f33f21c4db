#pragma once
// Problems that users cause are values: each names the place (a JSON pointer) and says what is wrong.

#include <string>
#include <vector>

namespace upkeep {

enum class severity { error, warning };

struct diagnostic {
    severity level = severity::error;
    std::string pointer; // RFC 6901 JSON pointer into the configuration, "" for the whole document
    std::string message;

    /// `/activities/3/cadence/rrule: BYMONTHDAY=32 is out of range 1..31 or -31..-1`
    std::string to_string() const;
};

using diagnostics = std::vector<diagnostic>;

bool has_errors(const diagnostics& list);

/// Escapes one reference token for a JSON pointer (`~` becomes `~0`, `/` becomes `~1`).
std::string escape_pointer_token(const std::string& token);

} // namespace upkeep
