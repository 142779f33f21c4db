#pragma once
// The management review's input pack (ISO 27001:2022 9.3.2 a to g), made from the tickets.

#include "upkeep/metrics.hpp"
#include "upkeep/text_document.hpp"

#include <optional>

namespace upkeep {

/// The pack: status of actions from previous reviews (a), changes in issues and interested parties from
/// the change assessments (b, c), performance: nonconformities and corrective actions, monitoring
/// results, audit results, objectives (d), feedback from interested parties to fill in (e), risk
/// assessment and treatment status (f), opportunities for improvement (g), and a place for decisions.
/// Activities are found by the clauses they reference (9.3 the review, 9.2 internal audit, 6.2 and 9.1
/// objectives, 6.1.2, 8.2 and 8.3 risk), so a configuration's own activity ids work too.
text_document review_pack(const isms_configuration& config, const status_report& report,
                          const std::vector<kpi>& kpis, const tracker_snapshot& tracker, day_point today);

/// The ticket of the management review occurrence the pack is for: the open one due first, if any.
std::optional<long long> review_ticket(const isms_configuration& config, const status_report& report);

} // namespace upkeep
