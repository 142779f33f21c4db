#pragma once
// Sync is plan, then apply: from (configuration, today, the tickets Upkeep created) the core computes
// every write a tracker needs (create, update, comment) and a thin adapter applies it.

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/ticket_reference.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

/// A ticket that Upkeep created, as the tracker holds it now (tracker-neutral).
struct tracked_ticket {
    long long id = 0;
    std::string key;         // "control:access-review:2027-03-31"
    std::string state;       // what Upkeep last wrote in its state field: "h=<hash>;overdue=1"
    std::string description; // the whole description: people may have written above Upkeep's block
    bool closed = false;
    bool work_recorded = false; // a work date, evidence links or files: someone worked on it
    std::string decisions;      // a control task's "Review decisions": one per line, as corrective actions
    std::optional<day_point> valid_until; // a completed control task: the day its evidence expires
};

/// A ticket of the nonconformity tracker (ISO 27001 10.2), whoever raised it: people raise them by
/// hand (audit findings, incidents), Upkeep proposes them for controls missed beyond a grace period.
struct nonconformity_ticket {
    long long id = 0;
    std::string key; // "nc:missed:control:..." when Upkeep created it; empty when people did
    bool closed = false;
    std::string corrective_actions; // one per line: "owner: what to do" with an optional " (due YYYY-MM-DD)"
    std::string state;              // Upkeep's state field, when Upkeep created it
};

/// What the tracker holds that a sync plans from.
struct tracker_state {
    std::vector<tracked_ticket> upkeep_tickets;        // every ticket Upkeep created (any tracker)
    std::vector<nonconformity_ticket> nonconformities; // every nonconformity, Upkeep's or not
    ticket_references references;                      // the host's way of naming a ticket in text
};

enum class ticket_kind { control_task, nonconformity, corrective_action, verification, follow_up };

/// What Upkeep writes on a ticket it creates or maintains.
struct ticket_fields {
    ticket_kind kind = ticket_kind::control_task;
    std::string subject;
    std::string description;
    std::string assignee; // the activity's owner: a login or "group:NAME"
    std::string references;
    day_point start_date; // the day the ticket opens: due date minus lead time
    day_point due_date;
    std::string grade;  // nonconformity: "Major", "Minor" or "Opportunity for improvement"
    std::string source; // nonconformity: "Missed control", ...
};

enum class sync_action_kind { create, update, comment, close };

/// "create", "update", "comment" or "close".
std::string_view to_string(sync_action_kind kind);

struct sync_action {
    sync_action_kind kind = sync_action_kind::create;
    std::string key;
    std::optional<long long> ticket_id;  // update, comment and close
    std::optional<ticket_fields> fields; // create, and update when Upkeep's fields changed
    std::string note;                    // a journal note (comment; update may carry one too)
    std::string state; // the state field's new value, written in the same request (close: with the note)
    bool note_written = false; // close: the closing note is on the ticket already; only the status is left
    std::string reason;        // why, for people: "new occurrence", "owner changed", ...
};

struct sync_plan {
    std::vector<sync_action> actions; // creates in due-date order, then updates and comments
    std::size_t unchanged = 0;        // tickets Upkeep created that need nothing
    day_point since; // occurrences due before this day get no ticket (the audit period's start)
    std::vector<std::string> notices; // what people should fix that Upkeep skipped, such as a corrective
                                      // action line without an owner

    std::size_t count(sync_action_kind kind) const;
};

/// The plan for a tracker holding `existing` (only tickets Upkeep created: a ticket is Upkeep's when the
/// adapter found it by Upkeep's key field *and* it was created by the account Upkeep runs as).
/// - every occurrence due from the start of the current audit period whose ticket should be open
///   (due date minus lead time has arrived) and that has no ticket: create one; occurrences are the
///   cadence's and the renewals of evidence that expires (evidence_renewal.hpp), opened their own lead
///   time before;
/// - an open ticket whose Upkeep-written fields differ from the configuration: update them, keeping
///   whatever people wrote above Upkeep's block in the description;
/// - an open ticket past its due date: one comment saying it is overdue (late work is closed late,
///   never rescheduled);
/// - an open ticket whose occurrence left the calendar: one comment saying so;
/// - a control task still open `grace_days` after its due date: a proposed nonconformity (10.2), unless
///   it is backlog (created late by the first sync, for occurrences from before Upkeep started) or its
///   occurrence left the calendar;
/// - each line of an open nonconformity's corrective actions: a corrective-action ticket with its owner
///   and deadline (by default the day before the next audit);
/// - when every corrective action of a nonconformity is closed: a verification-of-effectiveness ticket;
/// - when that is closed: Upkeep closes the nonconformity if Upkeep raised it (people close their own), in
///   two writes: its note with closing=1 in the state, then the status (a rerun writes what is left);
/// - each line of a control task's review decisions (9.3.3), open or closed: an ISMS follow-up with its
///   owner and deadline (by default the day before the next audit);
/// - tickets that share a key: the one that counts (duplicate_rank) is the one planned for; each other open
///   one is closed with a note naming it (two writes, as a nonconformity), unless work is recorded on it,
///   which leaves it open with a notice.
/// Closed tickets are evidence and are never changed. Planning twice gives the same plan; applying a
/// plan and planning again gives an empty one.
sync_plan plan_sync(const isms_configuration& config, const certification_cycle& cycle,
                    const tracker_state& tracker, day_point today);

/// Whether a control task's state field says it was completed with evidence attached.
bool completed_with_evidence(std::string_view state);

/// "control:<activity id>:<due date>".
std::string control_key(const activity& a, day_point due);

/// The owner a control task was issued to, from the "Owner:" line of Upkeep's block in its description;
/// "" when the description has no such block.
std::string issued_owner(std::string_view description);

/// The activity's title a control task was issued with: its subject without " (due YYYY-MM-DD)".
std::string issued_title(std::string_view subject);

/// The line that starts Upkeep's block in a ticket's description: people write above it.
inline constexpr std::string_view upkeep_block_marker =
    "-- ISMS task (maintained by Upkeep: write above this line) --";

/// Upkeep's block of a description, the text above it kept: `people_text + marker + block`.
std::string merge_description(const std::string& current, const std::string& upkeep_block);

} // namespace upkeep
