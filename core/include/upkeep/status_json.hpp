#pragma once
// The status as JSON: `upkeep status --json`, the status panel, scripts. Every item carries its kind,
// so no script has to parse the sentences; every figure has its numerator and denominator beside it.

#include "upkeep/audit_status.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>

namespace upkeep {

struct status_json_options {
    std::size_t list_limit =
        static_cast<std::size_t>(-1); // at most this many items of fix_first and to_watch
    bool next_period_only = false;    // occurrences only of the next audit's period (the status panel's)
    // Instead of "occurrences", the status panel's compact "timeline": one entry per activity (by id)
    // with its title, owner and its occurrences as rows [due, state, done_on, evidence, ticket_id]. A sixth
    // of the JSON, which is most of the panel's computation for thousands of tickets.
    bool timeline = false;
};

/// The report as JSON (documented in docs/figures.md): "as_of", "state_labels" (each state's words),
/// "periods" (rates with their counts, flags, occurrences), "next_audit" (readiness as done of counted
/// with its percentage, "fix_first" and "to_watch" with their totals), "ticket_problems".
nlohmann::json status_to_json(const status_report& report, const status_json_options& options = {});

} // namespace upkeep
