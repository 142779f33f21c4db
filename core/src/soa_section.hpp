#pragma once
// parse_configuration's reader of the /soa section (soa.cpp), beside the checks it needs from the rest of
// the configuration (the activities' references).

#include "upkeep/diagnostics.hpp"
#include "upkeep/isms_config.hpp"

#include <nlohmann/json.hpp>

namespace upkeep::detail {

/// Reads /soa (an object) into `config.soa` when it has no errors: every Annex A control exactly once, a
/// justification for each exclusion, a reason for each inclusion, a date for each planned control (errors);
/// an applicable, implemented control that no activity references and no `operation` describes, and an
/// activity's reference to an excluded control (warnings). `config`'s activities are read already.
void read_soa_section(const nlohmann::json& object, isms_configuration& config, diagnostics& problems);

} // namespace upkeep::detail
