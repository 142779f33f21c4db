#pragma once
// The readiness for the next audit, from the closure of its period and the tracker's open problems.

#include "upkeep/audit_status.hpp"

#include <optional>

namespace upkeep::detail {

/// The readiness for the first audit on or after `report.today`; none once no audit is ahead. The items'
/// sentences write dates in `dates`.
std::optional<readiness> compute_readiness(const isms_configuration& config, const certification_cycle& cycle,
                                           const tracker_snapshot& tracker, const status_report& report,
                                           const date_style& dates);

} // namespace upkeep::detail
