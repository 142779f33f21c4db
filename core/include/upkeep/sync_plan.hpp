#pragma once
// Sync is plan, then apply: from (configuration, today, the tickets Upkeep created) the core computes
// every write a tracker needs (create, update, comment) and a thin adapter applies it.

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace upkeep {

/// A ticket that Upkeep created, as the tracker holds it now (tracker-neutral).
struct tracked_ticket {
    long long id = 0;
    std::string key;         // "control:access-review:2027-03-31"
    std::string state;       // what Upkeep last wrote in its state field: "h=<hash>;overdue=1"
    std::string description; // the whole description: people may have written above Upkeep's block
    bool closed = false;
};

/// What Upkeep writes on a control task.
struct ticket_fields {
    std::string subject;
    std::string description;
    std::string assignee; // the activity's owner: a login or "group:NAME"
    std::string references;
    day_point start_date; // the day the ticket opens: due date minus lead time
    day_point due_date;
};

enum class sync_action_kind { create, update, comment };

struct sync_action {
    sync_action_kind kind = sync_action_kind::create;
    std::string key;
    std::optional<long long> ticket_id; // update and comment
    std::optional<ticket_fields> fields; // create, and update when Upkeep's fields changed
    std::string note;                    // a journal note (comment; update may carry one too)
    std::string state;                   // the state field's new value: written in the same request
    std::string reason;                  // why, for people: "new occurrence", "owner changed", ...
};

struct sync_plan {
    std::vector<sync_action> actions; // creates in due-date order, then updates and comments
    std::size_t unchanged = 0;        // tickets Upkeep created that need nothing
    day_point since;                  // occurrences due before this day get no ticket (the audit period's start)

    std::size_t count(sync_action_kind kind) const;
};

/// The plan for a tracker holding `existing` (only tickets Upkeep created: a ticket is Upkeep's when the
/// adapter found it by Upkeep's key field *and* it was created by the account Upkeep runs as).
/// - every occurrence due from the start of the current audit period whose ticket should be open
///   (due date minus lead time has arrived) and that has no ticket: create one;
/// - an open ticket whose Upkeep-written fields differ from the configuration: update them, keeping
///   whatever people wrote above Upkeep's block in the description;
/// - an open ticket past its due date: one comment saying it is overdue (late work is closed late,
///   never rescheduled);
/// - an open ticket whose occurrence left the calendar: one comment saying so.
/// Closed tickets are evidence and are never changed. Planning twice gives the same plan; applying a
/// plan and planning again gives an empty one.
sync_plan plan_sync(const isms_configuration& config, const certification_cycle& cycle,
                    const std::vector<tracked_ticket>& existing, day_point today);

/// "control:<activity id>:<due date>".
std::string control_key(const activity& a, day_point due);

/// Upkeep's block of a description, the text above it kept: `people_text + marker + block`.
std::string merge_description(const std::string& current, const std::string& upkeep_block);

} // namespace upkeep
