#pragma once
// Metrics of the ISMS (ISO 27001 9.1) computed from the tickets, per audit period, each with its
// definition written out (auditors ask how a number was computed) and the tickets behind it.

#include "upkeep/audit_status.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/tracker_snapshot.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep {

/// Data a KPI's value needed and did not find, such as a training completed without its counts.
struct kpi_gap {
    long long ticket_id = 0; // 0: the occurrence has no ticket
    day_point due;           // the occurrence's due date
    std::string why;         // "completed without the number of people in scope and who completed it"
    std::string ticket;      // the ticket as the tracker names it ("#42"); "no ticket" without one
};

/// One KPI's value in one audit period. A value that cannot be computed is empty and says why, never 0.
struct kpi_value {
    audit_kind audit;
    day_point from; // the period, as in period_status
    day_point to;
    std::optional<double> value;    // a share from 0 to 1, or a number of days, or a count
    std::size_t numerator = 0;      // for shares: what met the definition
    std::size_t denominator = 0;    // for shares: what it was measured on
    std::string why;                // when there is no value
    std::vector<long long> tickets; // the tickets behind it (the misses first, for shares)
    std::string detail;             // more, such as incidents by severity: "high 2, low 1"
    std::vector<kpi_gap> missing;   // data the value could not use, each naming its ticket
};

struct kpi {
    std::string id;                 // "controls-on-time"
    std::string title;              // "Recurring controls done on time"
    std::string unit;               // "share", "days" or "count"
    std::string definition;         // how it is computed, in a sentence or two
    std::vector<kpi_value> periods; // one per started audit period, oldest first: the trend
};

/// The KPIs of every started audit period: recurring controls done on time, nonconformities and
/// corrective actions closed by their deadline, corrective actions verified effective, changes assessed
/// before they were closed, awareness training completion, incidents by severity, mean time to detect
/// and mean time to resolve.
std::vector<kpi> compute_kpis(const isms_configuration& config, const status_report& report,
                              const tracker_snapshot& tracker, day_point today);

/// The KPIs as JSON (`upkeep status --json`): each period has its value in words ("text", as
/// format_kpi_value), lists at most `tickets_limit` tickets, and "tickets_total" counts them all.
nlohmann::json kpis_to_json(const std::vector<kpi>& kpis,
                            std::size_t tickets_limit = static_cast<std::size_t>(-1));

/// A value as people read it: "83% (5 of 6)" (rounded down), "2.5 days", "3 (high 2, low 1)" or
/// "n/a (why)"; missing data is named after the value ("...; no figures for 1 occurrence: ...").
std::string format_kpi_value(const kpi& k, const kpi_value& v);

/// An objective (the configuration's /metrics/objectives) in each started audit period: whether its KPI's
/// value met the target. A share is compared exactly (its counts, not a rounded percentage); a period
/// without a value is neither met nor missed.
struct objective_status {
    const kpi_objective* goal = nullptr;
    const kpi* measure = nullptr;         // the KPI that measures it
    std::string target;                   // "at least 95%", "at most 5 days"
    std::vector<std::optional<bool>> met; // per period of measure->periods
};

std::vector<objective_status> evaluate_objectives(const isms_configuration& config,
                                                  const std::vector<kpi>& kpis);

/// Whether one value meets the objective's target (nullopt: no value).
std::optional<bool> objective_met(const kpi_objective& goal, const kpi& measure, const kpi_value& value);

/// "met", "not met" or "not measured".
std::string_view objective_word(const std::optional<bool>& met);

/// The objectives as JSON: each with its objective, KPI, target, and per period the KPI's value in words
/// and whether it was met (true, false, null).
nlohmann::json objectives_to_json(const std::vector<objective_status>& objectives);

} // namespace upkeep
