#pragma once
// What the status reads from the tracker, tracker-neutral: Upkeep's control tasks, the change tickets and
// their follow-ups, nonconformities, corrective actions and verifications, review decisions, incidents.
// Also the snapshot file (docs/snapshot.md), which keeps one reading so its figures reproduce later.

#include "upkeep/change_impact.hpp"
#include "upkeep/dates.hpp"
#include "upkeep/diagnostics.hpp"
#include "upkeep/ticket_reference.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep {

/// A control task as the status needs it.
struct task_record {
    long long id = 0; // the ticket (0 when unknown)
    std::string key;  // control:<activity>:<due date>
    bool closed = false;
    std::optional<day_point> closed_on;
    std::optional<day_point> done_on;        // the evidence date: when the work was actually done
    bool evidence = false;                   // files or links were attached when it was completed
    std::optional<day_point> valid_until;    // the last day that evidence is valid (closed tasks)
    std::vector<std::string> evidence_links; // the files' URLs and the links given on completion
    std::optional<int> people_in_scope;      // training: how many people had to complete it
    std::optional<int> people_completed;     // training: how many did (recorded on completion)
    std::string owner; // the owner Upkeep issued it to ("" when the ticket does not say)
    std::string title; // the activity's title as issued, without the due date ("" when unknown)
    bool closed_as_duplicate = false; // Upkeep closed it as a twin of the ticket that counts (never counts)
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
    std::optional<day_point> created_on;
    std::string assignee; // display name ("" when unassigned)
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

/// A supplier of the register: one ticket of the host's supplier ticket type (supplier_reviews.hpp).
struct supplier_record {
    long long id = 0;
    std::string name;               // the ticket's subject
    std::string criticality;        // "critical", "high" or "normal" ("" when not set: reviewed as normal)
    std::string owner;              // whom the ticket is assigned to, as the host assigns ("" when nobody)
    std::optional<day_point> since; // the day it entered the register (the ticket's start)
    std::optional<day_point> contract_end; // "" when the register does not say
    bool closed = false;                   // no longer a supplier: no more reviews after it left
    std::optional<day_point> closed_on;    // the day it left the register
};

/// Everything the status reads from the tracker.
struct tracker_snapshot {
    std::vector<task_record> tasks;
    std::vector<change_record> changes;
    std::vector<follow_up_record> follow_ups;
    std::vector<finding_record> findings;
    std::vector<decision_record> decisions;
    std::vector<incident_record> incidents;
    std::vector<supplier_record> suppliers;
    bool has_incidents = false;   // the incident tracker exists (else incident KPIs say so)
    ticket_references references; // the host's way of naming a ticket in text
};

inline constexpr int snapshot_format = 2;

/// The snapshot file: one reading of the tracker with what it was read with, so that
/// `upkeep status --snapshot FILE` gives the same figures later and elsewhere.
struct snapshot_file {
    int format = snapshot_format; // 1: an older Upkeep's file (tickets only, no reading context)
    tracker_snapshot tracker;
    std::optional<day_point> as_of;           // the day it was read: the status's "today" by default
    std::string host;                         // the host's registered name
    std::string url;                          // the tracker's address
    std::string project;                      // the project's identifier
    std::optional<std::string> configuration; // the configuration it was read with (JSON text)
};

/// Reads a snapshot file (format 1 or 2); every problem names its JSON pointer, nothing throws.
snapshot_file snapshot_from_json(const nlohmann::json& document, diagnostics& problems);

/// The snapshot file (format 2) that snapshot_from_json reads back.
nlohmann::json snapshot_to_json(const snapshot_file& snapshot);

} // namespace upkeep
