#pragma once
// Closure against the audit dates: for each audit period, what happened to every occurrence due in it,
// on-time rates, cadence consistency, and the readiness for the next audit.

#include "upkeep/certification_cycle.hpp"
#include "upkeep/change_impact.hpp"
#include "upkeep/isms_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace upkeep {

/// A control task as the status needs it (tracker-neutral; the snapshot file has these fields).
struct task_record {
    long long id = 0; // the ticket (0 when unknown)
    std::string key;  // control:<activity>:<due date>
    bool closed = false;
    std::optional<day_point> closed_on;
    std::optional<day_point> done_on;        // the evidence date: when the work was actually done
    bool evidence = false;                   // files or links were attached when it was completed
    std::vector<std::string> evidence_links; // the files' URLs and the links given on completion
    std::optional<int> people_in_scope;      // training: how many people had to complete it
    std::optional<int> people_completed;     // training: how many did (recorded on completion)
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
    long long ticket_id = 0;
    std::vector<std::string> evidence_links; // the ticket's files and links
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

/// A nonconformity, corrective action or verification ticket as the status needs it.
struct finding_record {
    long long id = 0;
    std::string kind; // "nonconformity", "corrective_action" or "verification"
    std::string subject;
    bool closed = false;
    std::optional<day_point> due;
    std::optional<day_point> closed_on;
    std::string source;          // nonconformity: its "NC source" ("Management review", ...)
    long long nonconformity = 0; // corrective action or verification: the nonconformity it belongs to
};

/// A decision of a management review (9.3.3), as the ISMS follow-up Upkeep made of its line.
struct decision_record {
    long long id = 0;
    long long review = 0; // the control task the decision was recorded on
    std::string subject;
    std::string assignee; // display name
    bool closed = false;
    std::optional<day_point> due;
    std::optional<day_point> closed_on;
};

/// An incident ticket (the metrics' incident tracker) with the dates its fields hold.
struct incident_record {
    long long id = 0;
    std::string subject;
    std::string severity; // "" when not set
    bool closed = false;
    std::optional<day_point> occurred;
    std::optional<day_point> detected;
    std::optional<day_point> resolved;
};

/// Everything the status reads from the tracker; also the snapshot file's content.
struct tracker_snapshot {
    std::vector<task_record> tasks;
    std::vector<change_record> changes;
    std::vector<follow_up_record> follow_ups;
    std::vector<finding_record> findings;
    std::vector<decision_record> decisions;
    std::vector<incident_record> incidents;
    bool has_incidents = false; // the incident tracker exists (else incident KPIs say so)
};

/// What to do first comes first: the order of readiness items.
enum class readiness_rank {
    overdue_control,
    overdue_action, // corrective actions and change follow-ups past their due date
    unassessed_change,
    open_finding, // nonconformities, and corrective actions due after the audit
    missing_evidence,
    due_before_audit,
    cadence
};

struct readiness_item {
    std::string what; // "Overdue since 2026-12-01: access-review (itops)"
    day_point due;
    readiness_rank rank = readiness_rank::due_before_audit;
    long long ticket_id = 0; // the ticket to open, when there is one
};

struct readiness {
    audit_kind audit;
    day_point date;
    long days_left = 0;
    /// The occurrences due so far in the current period that are done (on time or late), out of those
    /// plus one for each open problem of the tracker: an unassessed change, an overdue change follow-up or
    /// corrective action, an open nonconformity, a corrective action due after the audit.
    int percent = 100;
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
/// Readiness for the next audit also counts the tracker's open problems: unassessed changes, open
/// change follow-ups, open nonconformities and corrective actions (see readiness::percent).
status_report compute_status(const isms_configuration& config, const certification_cycle& cycle,
                             const tracker_snapshot& tracker, day_point today);
status_report compute_status(const isms_configuration& config, const certification_cycle& cycle,
                             const std::vector<task_record>& tasks, day_point today);

/// The snapshot file (documented in docs/snapshot.md): `{"tickets": [...], "changes": [...],
/// "follow_ups": [...], "findings": [...]}`, only "tickets" required; problems name their JSON pointer.
tracker_snapshot snapshot_from_json(const nlohmann::json& snapshot, diagnostics& problems);

/// The snapshot as a file (the form snapshot_from_json reads).
nlohmann::json snapshot_to_json(const tracker_snapshot& snapshot);

struct status_json_options {
    std::size_t lowering_limit = static_cast<std::size_t>(-1); // at most this many readiness items
    bool next_period_only = false; // occurrences only of the next audit's period (the status panel's)
    // Instead of "occurrences", the status panel's compact "timeline": one entry per activity (by id)
    // with its owner and its occurrences as rows [due, state, done_on, evidence, ticket_id]. A sixth
    // of the JSON, which is most of the panel's computation for thousands of tickets.
    bool timeline = false;
};

/// The report as JSON (`upkeep status --json`); "lowering_total" counts every readiness item.
nlohmann::json status_to_json(const status_report& report, const status_json_options& options = {});

std::string_view to_string(occurrence_state state);

/// The evidence register of one audit period for the auditor, one row per occurrence: activity, title,
/// ISO 27001 references, owner, due date, done date, closed date, evidence attached, result, and the
/// link to the ticket that holds the evidence (`ticket_url` + its number, such as
/// "https://redmine.example/issues/" + "42"; empty without a ticket). As CSV (RFC 4180, a header row)
/// or as JSON rows.
std::string evidence_register_csv(const period_status& period, const isms_configuration& config,
                                  const std::string& ticket_url = "#");
nlohmann::json evidence_register_json(const period_status& period, const isms_configuration& config,
                                      const std::string& ticket_url = "#");

} // namespace upkeep
