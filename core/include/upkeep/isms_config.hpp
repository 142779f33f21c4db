#pragma once
// The ISMS configuration: organisation and scope, certification, and the maintenance calendar.
// Its JSON form (format version 2; version 1 still reads) is documented in docs/configuration.md.

#include "upkeep/dates.hpp"
#include "upkeep/diagnostics.hpp"
#include "upkeep/recurrence.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

/// The format `upkeep init` writes. Format 1 spelt two settings in one tracker's words ("trackers",
/// "tracker"); it still reads, with a warning naming the new spelling.
inline constexpr int configuration_version = 2;

struct organisation_info {
    std::string name;
    std::string isms_scope;
};

enum class audit_kind { surveillance_1, surveillance_2, recertification };
enum class audit_status { planned, held };

/// An audit date that the organisation has agreed with its certification body (or already had).
struct audit_date {
    day_point date;
    audit_status status = audit_status::planned;
};

struct certification_info {
    std::string standard = "ISO/IEC 27001:2022";
    std::string certificate_id;
    std::string certification_body;
    day_point decision_date;
    std::optional<audit_date> surveillance_1;
    std::optional<audit_date> surveillance_2;
    std::optional<audit_date> recertification;
};

struct cadence {
    std::string rrule_text; // as written in the configuration
    recurrence dates;       // dtstart = the cadence's start date
};

/// One recurring obligation of the ISMS; each occurrence of its cadence is a due date.
struct activity {
    std::string id; // stable, kebab-case: part of every ticket key
    std::string title;
    std::vector<std::string> references; // clauses ("9.2"), Annex A controls ("A.5.18"), and requirements
                                         // of the frameworks followed ("soc2:CC6.1": frameworks.hpp)
    std::string owner;                   // a tracker login, or "group:NAME"
    upkeep::cadence cadence;
    int lead_time_days = 14;    // [0, 366]: the ticket appears this long before the due date
    int renewal_lead_days = 30; // [0, 366]: a renewal's ticket appears this long before evidence expires
    std::string instructions;
    std::string evidence;
};

/// How Upkeep handles nonconformities (ISO 27001 10.2).
struct nonconformity_policy {
    int grace_days =
        30;            // [1, 366]: a control task still open this long after its due date is a nonconformity
    std::string owner; // who gets the proposed nonconformities and the verifications ("" = unassigned)
    int verification_days = 30; // [1, 366]: time to verify the corrective actions' effectiveness
};

/// Who acts as Upkeep in the tracker.
struct sync_policy {
    /// Logins whose tickets carrying an Upkeep key are Upkeep's (besides the account running the sync):
    /// the account cron runs `upkeep sync` as, and the people who press "Sync now" in the tracker.
    std::vector<std::string> accounts;
    /// For a tracker that assigns tickets by an opaque account id rather than by login: each owner, as the
    /// configuration names it, and its account id.
    std::map<std::string, std::string> owner_accounts;
};

/// One answer a change-impact question offers (a question without choices is answered yes or no).
struct change_choice {
    std::string id; // kebab-case, unique within the question
    std::string label;
    bool affects = true; // choosing it means the change affects the ISMS
};

/// A question of the "does this change affect the ISMS?" prompt (ISO 27001 6.3, 8.1, 8.2).
struct change_question {
    std::string id; // kebab-case, unique: answers and rules refer to it
    std::string text;
    std::string help;
    std::vector<change_choice> choices; // empty: yes (affects) or no
};

/// When a follow-up is due, relative to the change.
struct follow_up_due {
    std::optional<int> before_go_live; // days before the change's due date, when it has one
    int after_assessment = 14;         // else days after the assessment
};

/// A follow-up ticket that certain answers call for: "question" (answered yes) or "question=choice".
struct follow_up_rule {
    std::string id; // kebab-case, unique: part of the follow-up's key
    std::string title;
    std::vector<std::string> references;
    std::string owner;
    std::vector<std::string> when; // any one of these answers calls for the follow-up
    follow_up_due due;
    std::string instructions;
    // It brings a supplier in: the change prompt asks which (one of the register, or a new one, which
    // enters the register) and links the supplier's ticket to the change.
    bool supplier = false;
};

/// The change prompt: which ticket types (trackers, issue types) are changes, the questions and the
/// follow-up rules.
struct change_policy {
    std::vector<std::string> ticket_types{"Change"};
    std::vector<change_question> questions;
    std::vector<follow_up_rule> follow_ups;
    // Follow-ups due before go-live hold the change ticket open until they are done (the tracker's
    // blocking link); without, the change's page warns while they are open.
    bool follow_ups_block_closing = true;
};

/// An information-security objective (ISO 27001 6.2) measured by one of Upkeep's KPIs (9.1), with its
/// target: "at least 95% of the controls on time", "incidents resolved in at most 5 days on average".
struct kpi_objective {
    std::string objective; // in the organisation's words
    std::string kpi;       // a KPI id (kpi_catalog.hpp)
    bool at_least = true;  // the value must reach the target; else stay at or under it
    int target = 0;        // in percent for a share, else in the KPI's unit (days, a count)
};

/// Where the metrics find what is not Upkeep's own: the incidents' ticket type and its fields (the
/// defaults are what the host's setup creates), which activities are awareness training, and the
/// objectives the KPIs measure.
struct metrics_policy {
    std::string incident_ticket_type = "Incident";
    std::string severity_field = "Severity";
    std::string occurred_field = "Occurred on";
    std::string detected_field = "Detected on";
    std::string resolved_field = "Resolved on";
    std::vector<std::string> training_activities{"awareness-training"};
    std::vector<kpi_objective> objectives;
};

/// How often the suppliers of one criticality are reviewed (ISO 27001 A.5.19 to A.5.22).
struct supplier_review_cadence {
    std::string criticality; // "critical", "high" or "normal"
    std::string rrule_text;  // as written in the configuration
    rrule rule;
    int before_contract_end_days = -1; // >= 0: a review that many days before the contract ends, too
};

/// The supplier register's reviews: each supplier ticket of the tracker is reviewed on its
/// criticality's cadence, from the day it entered the register (supplier_reviews.hpp).
struct supplier_policy {
    std::vector<supplier_review_cadence> reviews; // empty: no supplier reviews (no /suppliers)
    std::string owner;                            // who reviews a supplier whose ticket names nobody
    int lead_time_days = 30;
    std::vector<std::string> references{"A.5.22"};
    std::string instructions; // the questions of the review
    std::string evidence;     // what a review keeps as evidence
};

/// Why an applicable control is included (ISO 27001 6.1.3 d).
enum class inclusion_reason { risk_treatment, legal, contractual, business_need };

enum class implementation_status { implemented, partly, planned, not_implemented };

/// One Annex A control in the Statement of Applicability.
struct soa_control {
    std::string id;    // "A.5.1"
    std::string title; // in the organisation's own words
    bool applicable = true;
    std::vector<inclusion_reason> reasons; // applicable: at least one
    std::string justification;             // excluded: why (required); applicable: more words
    implementation_status status = implementation_status::not_implemented; // applicable only
    std::optional<day_point> planned_for; // status planned: when it will be in place
    std::string owner;
    std::string operation;                // how it is operated when no activity references it
    std::optional<day_point> reviewed_on; // the entry's last review (an exclusion's, after a scope change)
};

/// The Statement of Applicability (ISO 27001 6.1.3 d): every Annex A control once (soa.hpp: its drift and
/// exports). A control's activities are those whose references name it.
struct statement_of_applicability {
    std::string version; // the SoA's own version, "1.3"
    std::string approved_by;
    std::optional<day_point> approved_on;
    std::vector<soa_control> controls; // in the configuration's order
};

struct isms_configuration {
    int version = configuration_version;
    organisation_info organisation;
    certification_info certification;
    std::vector<activity> activities;
    nonconformity_policy nonconformities;
    sync_policy sync;
    change_policy changes;
    metrics_policy metrics;
    supplier_policy suppliers;
    std::optional<statement_of_applicability> soa; // none without /soa
    std::vector<std::string> frameworks; // followed beside ISO 27001 ("soc2", "nis2": frameworks.hpp)
};

struct configuration_result {
    isms_configuration config; // complete only when diagnostics has no errors
    diagnostics problems;      // every problem found, errors and warnings, in document order
};

/// Parses and validates a configuration document, reporting every problem at once (JSON syntax,
/// unknown or missing fields, wrong types, bad dates and rules, duplicate ids, bad references, a Statement
/// of Applicability that misses a control or an exclusion's justification).
configuration_result parse_configuration(std::string_view json_text);

/// True for a tracker login ("alice") or a group ("group:Security team").
bool is_owner(std::string_view owner);

/// Every Annex A control id of ISO/IEC 27001:2022, in order: A.5.1 to A.8.34, 93 in all.
std::vector<std::string> annex_a_controls();

/// True for an ISO 27001:2022 clause ("6.1.2") or Annex A control ("A.8.13") that exists.
bool is_known_reference(std::string_view reference);

/// The title of the configuration's activity of that id; the id itself when it has none.
std::string activity_title(const isms_configuration& config, std::string_view id);

/// Whether the activity is the management review: it references clause 9.3 (its id is the
/// configuration's own). The sync turns its tickets' "Review decisions" into tickets; the review pack is
/// attached to its open occurrence.
bool is_management_review(const activity& a);

} // namespace upkeep
