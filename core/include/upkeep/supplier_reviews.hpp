#pragma once
// Supplier reviews (ISO 27001:2022 A.5.19 to A.5.22): the supplier register lives in the tracker, one
// ticket per supplier with its criticality, owner and contract end; the configuration gives each
// criticality a review cadence (/suppliers). Each supplier of the register becomes an activity of its own,
// "Supplier review: <name>", so its reviews are occurrences like any other: the sync makes their control
// tasks, and the status, the calendar and the register count them.

#include "upkeep/isms_config.hpp"
#include "upkeep/tracker_snapshot.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

/// "supplier-<ticket id>": the id of a supplier's review activity.
std::string supplier_activity_id(long long supplier_id);

/// The supplier's ticket id of such an activity id; none for any other activity.
std::optional<long long> supplier_of_activity(std::string_view activity_id);

/// Appends one activity per supplier of the register to the configuration's activities (none without
/// /suppliers). A supplier is reviewed on its criticality's cadence from the day it entered the register,
/// that day excluded (its assessment then is the change's follow-up), plus, when the cadence says so, a
/// review before its contract ends, until the day it left the register. Its owner is the supplier's, else
/// /suppliers/owner.
void add_supplier_reviews(isms_configuration& config, const std::vector<supplier_record>& suppliers);

} // namespace upkeep
