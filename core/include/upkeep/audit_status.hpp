#pragma once
// Closure against the audit dates: for each audit period, what happened to every occurrence due in it,
// on-time rates, cadence consistency, and the readiness for the next audit. Every figure is defined in
// docs/figures.md, with a worked example.

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/tracker_snapshot.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

/// What happened to one occurrence, as of a day (docs/figures.md, "States").
enum class occurrence_state {
    on_time,      // done on or before its due date (the work date, else the closing day)
    late,         // done after its due date
    done_undated, // closed, but the ticket records neither a work date nor a closing day
    overdue,      // not done, its due date has passed, its audit period still runs
    missed,       // not done and its audit period has ended
    upcoming      // not done, due today or later
};

/// "on_time", "late", "done_undated", "overdue", "missed", "upcoming": the state's key in JSON.
std::string_view to_string(occurrence_state state);

/// "on time", "late", "done, date not recorded", "overdue", "missed", "upcoming": the state in words,
/// the same in the CLI, the panel, the evidence register and the review pack.
std::string_view label(occurrence_state state);

/// Whether the state is one of the done ones (on time, late, done without a date).
bool is_done(occurrence_state state);

struct occurrence_status {
    std::string activity; // the activity's id
    std::string title;    // as issued on the ticket, else the configuration's
    std::string owner;    // as issued on the ticket, else the configuration's
    day_point due;
    occurrence_state state = occurrence_state::upcoming;
    bool counted = false;             // its due date has passed (it is before today): it enters the rates
    std::optional<day_point> done_on; // the work date, else the closing day
    std::optional<day_point> closed_on;
    bool evidence = false;
    bool has_ticket = false;
    long long ticket_id = 0;
    std::vector<std::string> evidence_links; // the ticket's files and links
    std::optional<int> people_in_scope;      // training, as recorded on completion
    std::optional<int> people_completed;
    bool in_configuration = true; // false: a closed ticket whose date today's configuration does not schedule
    bool renewal = false;         // it renews evidence that expires on its due date (evidence_renewal.hpp)
    std::optional<day_point> valid_until; // done: the last day its evidence is valid, when recorded
};

/// Occurrences counted (due before today) and those of them done on time.
struct on_time_rate {
    std::size_t on_time = 0;
    std::size_t due = 0;
    /// on_time / due; none while nothing is due yet (never 100% for nothing).
    std::optional<double> share() const;
};

enum class cadence_flag_kind { burst, gap };

/// "burst" or "gap".
std::string_view to_string(cadence_flag_kind kind);

/// A sign that an activity did not operate evenly through the period (docs/figures.md, "Cadence").
struct cadence_flag {
    cadence_flag_kind kind = cadence_flag_kind::burst;
    std::string activity;
    std::string message;         // "4 of 5 completions fell in the 30 days before the audit (2028-01-15)"
    std::size_t completions = 0; // burst: the activity's completions in the period
    std::size_t in_window = 0;   // burst: those in the 30 days before the audit
    day_point from{}, to{};      // gap: where it starts and ends
    long days = 0;               // gap: its length
    long allowed = 0;            // gap: twice the cadence's interval
};

struct period_status {
    audit_kind audit;
    day_point from;                             // inclusive
    day_point to;                               // exclusive: the audit day belongs to the next period
    bool ended = false;                         // today is on or after the audit day
    std::vector<occurrence_status> occurrences; // by due date
    on_time_rate overall;
    std::map<std::string, on_time_rate> by_activity;
    std::map<std::string, on_time_rate> by_owner;
    std::map<std::string, on_time_rate> by_month; // by the month of the due date, "YYYY-MM"
    std::vector<cadence_flag> flags;
};

enum class ticket_problem_kind { not_in_configuration, duplicate };

/// A control task that the figures do not take as it is: reported, never silently re-dated or merged.
struct ticket_problem {
    ticket_problem_kind kind = ticket_problem_kind::not_in_configuration;
    long long ticket_id = 0;
    std::string key;
    bool closed = false;
    long long counted_ticket = 0; // duplicate: the ticket of the same key that counts
    std::string message;
};

/// "not_in_configuration" or "duplicate".
std::string_view to_string(ticket_problem_kind kind);

/// What lowers readiness, or is worth watching before the audit (docs/figures.md, "Readiness").
enum class readiness_kind {
    // Counted against readiness ("fix first").
    overdue_occurrence,
    expired_evidence, // a renewal past its due date: the evidence it renews has expired
    open_from_earlier_period,
    overdue_follow_up,
    overdue_decision,
    overdue_corrective_action,
    overdue_verification,
    unassessed_change,
    open_nonconformity,
    action_after_audit,
    // To watch.
    due_before_audit,
    evidence_expiring, // a renewal due before the audit: the evidence expires before it
    open_follow_up,
    open_decision,
    action_due_before_audit,
    closed_without_evidence,
    done_undated,
    cadence_burst,
    cadence_gap,
    ticket_not_in_configuration,
    duplicate_ticket
};

/// The kind's key in JSON: "overdue_occurrence", ...
std::string_view to_string(readiness_kind kind);

/// Whether the kind counts against readiness (fix first) rather than being one to watch.
bool lowers_readiness(readiness_kind kind);

struct readiness_item {
    readiness_kind kind = readiness_kind::due_before_audit;
    std::string what;     // one sentence for people, made here so every view says the same
    day_point date;       // what it is ordered by: its due date, else the day it was opened
    long days_late = 0;   // days past its due date (0 when not past it)
    std::string activity; // the activity's id, "" when the item is not an occurrence's
    std::string activity_title;
    std::string owner;         // the occurrence's owner, or the ticket's assignee
    long long ticket_id = 0;   // the ticket to open, when there is one
    bool key_activity = false; // internal audit, management review, risk assessment and treatment, SoA
    std::size_t rank = 0;      // its place in its list, from 1
};

/// The work left before the audit, day by day over its period (docs/figures.md, "Work left"): of the
/// period's occurrences, how many were still to do at the end of each day, and how many would have been had
/// each been done on its due date.
struct work_left {
    day_point from;                   // the period's first day; the series run to the audit day
    std::size_t total = 0;            // the period's occurrences
    std::vector<std::size_t> planned; // per day from `from` to the audit day: due after that day
    std::vector<std::size_t> left;    // per day from `from` to today: not done by the end of that day
};

struct readiness {
    audit_kind audit;
    day_point date;
    long days_left = 0;
    std::size_t done = 0;    // x: the counted occurrences of the audit's period that are done
    std::size_t counted = 0; // y: those occurrences, plus one for each other item of fix_first
    /// floor(100 x / y), rounded down so that 100% means nothing is outstanding; none when y is 0.
    std::optional<int> percent() const;
    std::vector<readiness_item> fix_first; // counted against readiness, what an auditor asks first first
    std::vector<readiness_item> to_watch;  // not counted: due before the audit, evidence, cadence, tickets
    std::optional<work_left> work;         // none before the audit's period starts
};

/// An activity's evidence in force when it is valid until a day (docs/figures.md, "Evidence that expires"):
/// that of its last completion.
struct expiring_evidence {
    std::string activity;    // the activity's id
    std::string title;       // the activity's title in today's configuration
    std::string owner;       // the last completion's owner, as issued and named
    long long ticket_id = 0; // the completed control task that holds the evidence
    day_point valid_until;
    long days_left = 0; // from today to the last valid day; negative once expired
    std::string words;  // "valid until 2027-03-01 (20 days left)", "expired on ... (5 days ago)"
    bool expired() const { return days_left < 0; }
};

struct status_report {
    day_point today;
    std::vector<period_status> periods; // the periods that have started, in order
    std::optional<readiness> next_audit;
    std::vector<ticket_problem> ticket_problems;
    std::vector<expiring_evidence> expiring; // by the day each expires
};

/// Owners as the configuration names them ("itops", "group:Security team") to the names people know.
using people_names = std::map<std::string, std::string, std::less<>>;

/// Every occurrence due in each started audit period, with its state as of `today`: the tickets as issued
/// (due date from the key, owner and title from the ticket) and the configuration's due dates that have
/// no ticket; rates over the counted occurrences; cadence flags; and the readiness for the next audit
/// with what lowers it and what to watch. docs/figures.md defines each figure. Owners found in `people`
/// are named so throughout; the sentences for people (items, cadence, ticket problems) write dates in
/// `dates` (ISO by default), the figures and fields always in ISO.
status_report compute_status(const isms_configuration& config, const certification_cycle& cycle,
                             const tracker_snapshot& tracker, day_point today,
                             const people_names& people = {}, const date_style& dates = {});

/// "83% (5 of 6)", or "nothing due yet": a rate as people read it (rounded down).
std::string format_rate(const on_time_rate& rate);

/// "37% (3 of 8)", or "nothing due yet": readiness as people read it (rounded down).
std::string format_readiness(const readiness& r);

/// Whether an activity is one an auditor asks about first: it references 9.2 (internal audit), 9.3
/// (management review), 6.1.2, 6.1.3, 8.2 or 8.3 (risk assessment and treatment, the SoA).
bool is_key_activity(const activity& a);

} // namespace upkeep
