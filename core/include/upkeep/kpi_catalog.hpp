#pragma once
// The KPIs Upkeep computes (metrics.hpp), by id and unit: what a configuration's objectives may measure
// themselves by. A unit test checks that compute_kpis gives exactly these.

#include <string_view>

namespace upkeep {

struct kpi_kind {
    std::string_view id;
    std::string_view unit; // "share" (targets in percent), "days" or "count"
};

inline constexpr kpi_kind kpi_catalog[] = {
    {"controls-on-time", "share"},
    {"findings-by-deadline", "share"},
    {"corrective-actions-effective", "share"},
    {"changes-assessed", "share"},
    {"training-completion", "share"},
    {"incidents", "count"},
    {"time-to-detect", "days"},
    {"time-to-resolve", "days"},
};

} // namespace upkeep
