#pragma once
// The three-year certification cycle: when each audit is due, which date holds, and its audit period.

#include "upkeep/isms_config.hpp"

#include <array>
#include <string_view>

namespace upkeep {

enum class date_source { computed, planned, held };

struct cycle_audit {
    audit_kind kind;
    day_point date;   // the date that holds: held, else planned, else the latest date the rules allow
    day_point latest; // the latest date the certification rules allow
    date_source source;
    day_point period_start; // the audit period runs from period_start (inclusive) to date (exclusive)
};

struct certification_cycle {
    day_point decision;
    day_point expiry; // three years after the decision
    std::array<cycle_audit, 3> audits;
    diagnostics warnings; // planned dates that break the rules, each naming the rule
};

/// Surveillance 1 no later than 12 months after the certification decision, surveillance 2 no later
/// than 24 months after it (and after surveillance 1), recertification before the certificate expires
/// at 36 months. Planned or held dates override the computed ones; a date that breaks a rule stays,
/// with a warning.
certification_cycle compute_cycle(const certification_info& certification);

/// "surveillance_1", the key used in the configuration and in every export.
std::string_view audit_key(audit_kind kind);

/// "computed", "planned" or "held".
std::string_view to_string(date_source source);

/// "Surveillance audit 1".
std::string_view audit_title(audit_kind kind);

} // namespace upkeep
