#pragma once
// The embedded starter configuration for ISO/IEC 27001:2022 (core/data/iso27001-2022-template.json).

#include "upkeep/dates.hpp"

#include <string>

namespace upkeep {

struct starter_options {
    std::string organisation = "Example Ltd";
    day_point decision_date; // the certification decision; each cadence starts on the 1st of a month after it
};

/// A complete, valid configuration (JSON text, 2-space indented) with the recurring obligations of a
/// certified organisation, their owners, cadences, instructions and evidence, spread over the year that
/// follows the certification decision so the internal audit and management review precede surveillance 1.
std::string make_starter_configuration(const starter_options& options);

} // namespace upkeep
