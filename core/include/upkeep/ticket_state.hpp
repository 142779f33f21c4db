#pragma once
// Upkeep's state field on a ticket it made: what Upkeep last wrote there, so that a rerun knows what is
// done without a ledger beside the tracker. One codec for every reader and writer (the sync, the status,
// completing a control task in the browser through wasm): `;`-separated parts, such as
// `h=0a1b2c3d4e5f6789;overdue=1;since=2026-04-01;evidence=1` on a control task, `change=530;withdrawn=1`
// on a change's follow-up. Unknown parts are ignored, so an older Upkeep reads a newer state.

#include "upkeep/dates.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace upkeep {

struct ticket_state {
    long long change = 0;           // change=N: a follow-up of change N
    std::string hash;               // h=...: a hash of everything Upkeep writes on the ticket
    bool overdue = false;           // overdue=1: the overdue comment is made
    bool obsolete = false;          // obsolete=1: its occurrence left the calendar (the comment is made)
    bool backlog = false;           // backlog=1: due before Upkeep's first sync here (no nonconformity)
    std::optional<day_point> since; // since=...: the day of Upkeep's first sync in the project
    std::optional<bool> evidence;   // evidence=1 or 0: completed with evidence, or closed without
    bool closing = false;           // closing=1: Upkeep's closing note is written; the status change follows
    bool withdrawn = false;         // withdrawn=1: a follow-up that no assessment calls for any more
    bool duplicate = false;         // duplicate=1: closed by Upkeep as a twin of the ticket that counts
    bool renewal = false;           // renewal=1: made to renew evidence that expires (evidence_renewal.hpp)

    /// Reads a state field's text; "" gives the empty state.
    static ticket_state parse(std::string_view text);
    /// The text, parts in the order above; parse(format()) gives the same state.
    std::string format() const;
};

} // namespace upkeep
