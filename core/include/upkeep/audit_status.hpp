#pragma once
// Closure against the audit dates: for each audit period, what happened to every occurrence due in it,
// on-time rates, cadence consistency, and the readiness for the next audit.

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace upkeep {

/// A control task as the status needs it (tracker-neutral; the snapshot file has these fields).
struct task_record {
    std::string key; // control:<activity>:<due date>
    bool closed = false;
    std::optional<day_point> closed_on;
    std::optional<day_point> done_on; // the evidence date: when the work was actually done
    bool evidence = false;            // files or links were attached when it was completed
};

enum class occurrence_state { on_time, late, overdue, upcoming };

struct occurrence_status {
    std::string activity;
    std::string owner;
    day_point due;
    occurrence_state state = occurrence_state::upcoming;
    std::optional<day_point> done_on; // evidence date, else closing date
    std::optional<day_point> closed_on;
    bool evidence = false;
    bool has_ticket = false;
};

struct on_time_rate {
    std::size_t on_time = 0;
    std::size_t due = 0; // occurrences due by today (or by the period's end, for a past period)
};

struct cadence_flag {
    std::string activity;
    std::string message; // "3 of 4 completions fell in the 30 days before the audit"
};

struct period_status {
    audit_kind audit;
    day_point from;                             // inclusive
    day_point to;                               // exclusive: the audit
    std::vector<occurrence_status> occurrences; // by due date
    on_time_rate overall;
    std::map<std::string, on_time_rate> by_activity;
    std::map<std::string, on_time_rate> by_owner;
    std::vector<cadence_flag> flags;
};

struct readiness_item {
    std::string what; // "Overdue since 2026-12-01: access-review (itops)"
    day_point due;
};

struct readiness {
    audit_kind audit;
    day_point date;
    long days_left = 0;
    int percent = 100; // share of the current period's due occurrences done (on time or late)
    std::vector<readiness_item> lowering; // what keeps it below 100, what to do first first
};

struct status_report {
    std::vector<period_status> periods; // the periods that have started, in order
    std::optional<readiness> next_audit;
};

/// Classifies every occurrence due in each started audit period: done on time (its evidence date, else
/// its closing date, on or before the due date), late, overdue (open, or no ticket, after the due date)
/// or upcoming. Flags activities whose completions bunch in the 30 days before the audit (at least
/// three due, more than half done there) or leave a gap longer than twice the cadence's longest interval.
status_report compute_status(const isms_configuration& config, const certification_cycle& cycle,
                             const std::vector<task_record>& tasks, day_point today);

/// The snapshot file's tasks: `{"tickets": [{"key", "closed", "closed_on", "done_on", "evidence"}]}`;
/// problems name their JSON pointer.
std::vector<task_record> tasks_from_snapshot(const nlohmann::json& snapshot, diagnostics& problems);

/// The tasks as a snapshot file (the form tasks_from_snapshot reads).
nlohmann::json snapshot_to_json(const std::vector<task_record>& tasks);

/// The report as JSON (`upkeep status --json`).
nlohmann::json status_to_json(const status_report& report);

std::string_view to_string(occurrence_state state);

/// The evidence register of one audit period for the auditor, one row per occurrence: activity, title,
/// ISO 27001 references, owner, due date, done date, closed date, evidence attached, result. As CSV
/// (RFC 4180, a header row) or as JSON rows.
std::string evidence_register_csv(const period_status& period, const isms_configuration& config);
nlohmann::json evidence_register_json(const period_status& period, const isms_configuration& config);

} // namespace upkeep
