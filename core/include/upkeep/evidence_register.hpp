#pragma once
// The evidence register of one audit period for the auditor: one row per occurrence.

#include "upkeep/audit_status.hpp"
#include "upkeep/ticket_reference.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace upkeep {

/// One row per occurrence of the period: activity, title, ISO 27001 references, owner, due date, done
/// date, closed date, evidence attached, the evidence links, the last day the evidence is valid (when
/// recorded), whether the occurrence renews expiring evidence, the result (the state in words: "on time",
/// "late", "missed", ...) and the ticket that holds the evidence (its address, such as
/// "https://tracker.example/issues/42", else its name, "#42"; empty without a ticket). As CSV (RFC 4180, a
/// header row; a cell a spreadsheet would take for a formula starts with an apostrophe) or as JSON rows.
std::string evidence_register_csv(const period_status& period, const isms_configuration& config,
                                  const ticket_references& tickets = {});
nlohmann::json evidence_register_json(const period_status& period, const isms_configuration& config,
                                      const ticket_references& tickets = {});

} // namespace upkeep
