#pragma once
// The Statement of Applicability (ISO 27001 6.1.3 d) as data: the configuration's /soa section, one entry
// per Annex A control of ISO/IEC 27001:2022 (applicable or not, why, how far implemented, who owns it).
// The activities that operate a control are those whose references name it, so the SoA and the calendar
// cannot disagree. Its drift (what the status shows) and its exports for the auditor are made here too.
// The sync does not need the SoA: parse_configuration leaves /soa to read_soa.

#include "upkeep/audit_status.hpp"
#include "upkeep/diagnostics.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/text_document.hpp"
#include "upkeep/tracker_snapshot.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

/// Why an applicable control is included (ISO 27001 6.1.3 d).
enum class inclusion_reason { risk_treatment, legal, contractual, business_need };

/// "risk_treatment", "legal", "contractual", "business_need": the reason's key in the configuration.
std::string_view to_string(inclusion_reason reason);

enum class implementation_status { implemented, partly, planned, not_implemented };

/// "implemented", "partly", "planned", "not_implemented".
std::string_view to_string(implementation_status status);

/// One Annex A control in the SoA.
struct soa_control {
    std::string id;    // "A.5.1"
    std::string title; // in the organisation's own words
    bool applicable = true;
    std::vector<inclusion_reason> reasons; // applicable: at least one
    std::string justification;             // excluded: why (required); applicable: more words
    implementation_status status = implementation_status::not_implemented; // applicable only
    std::optional<day_point> planned_for; // status planned: when it will be implemented
    std::string owner;
    std::string operation;                // how it is operated when no activity references it
    std::optional<day_point> reviewed_on; // the entry's last review (an exclusion's, after a scope change)
};

struct statement_of_applicability {
    std::string version; // the SoA's own version, "1.3"
    std::string approved_by;
    std::optional<day_point> approved_on;
    std::vector<soa_control> controls; // in the configuration's order
};

struct soa_result {
    std::optional<statement_of_applicability> soa; // none without /soa, or with errors
    diagnostics problems;                          // at their JSON pointers in the configuration
};

/// Reads and checks the /soa section of a configuration document that parse_configuration accepted as
/// `config`: every Annex A control exactly once, a justification for each exclusion, a reason for each
/// inclusion, a date for each planned control (errors); an applicable, implemented control that no
/// activity references and no `operation` describes, and an activity's reference to an excluded control
/// (warnings).
soa_result read_soa(std::string_view configuration_text, const isms_configuration& config);

/// Everything `upkeep validate` checks: parse_configuration, then read_soa when it found no errors.
configuration_result check_configuration(std::string_view configuration_text);

/// The ids of the activities whose references name the control, in the configuration's order.
std::vector<std::string> operating_activities(const isms_configuration& config, std::string_view control);

enum class soa_drift_kind {
    activity_behind,     // an applicable control's activity has overdue or missed occurrences
    planned_past_date,   // a planned control whose date has passed
    exclusion_unreviewed // an exclusion not reviewed since the last change that revisited the scope
};

/// "activity_behind", "planned_past_date", "exclusion_unreviewed".
std::string_view to_string(soa_drift_kind kind);

/// Where the SoA no longer describes what happens (docs/configuration.md, "Statement of Applicability").
struct soa_drift_item {
    soa_drift_kind kind = soa_drift_kind::activity_behind;
    std::string control;                 // "A.8.13"
    std::string title;                   // the control's title in the SoA
    std::string what;                    // one sentence for people, the same in every view
    std::string activity;                // activity_behind: the activity's id
    std::size_t overdue = 0, missed = 0; // activity_behind: its occurrences in the period
    long long ticket_id = 0;       // the ticket to open: the oldest overdue occurrence's, or the change's
    std::optional<day_point> date; // planned: the planned date; exclusion: the scope change's day
};

/// The drift as of the report's day: the activities behind in the report's latest period, planned
/// dates passed, and exclusions older than the last assessment of a change that called for a follow-up
/// referencing the scope (4.3) or the SoA (6.1.3).
std::vector<soa_drift_item> soa_drift(const statement_of_applicability& soa, const isms_configuration& config,
                                      const status_report& report, const tracker_snapshot& tracker);

nlohmann::json soa_drift_to_json(const std::vector<soa_drift_item>& drift);

/// The SoA for the auditor, one row per control: id, title, applicable, reasons, justification, status,
/// planned_for, owner, activities, operation, last_evidence (the latest done occurrence of its activities
/// in `period`), evidence_ticket (its link: `ticket_url` + number) and tickets (every ticket of its
/// activities in the period). RFC 4180 with the evidence register's guard against formulas.
std::string soa_csv(const statement_of_applicability& soa, const isms_configuration& config,
                    const period_status* period, const std::string& ticket_url = "#");

/// The same as a document (version, approval, the applicable controls with their activities and last
/// evidence, then the exclusions with their justification), to render as Markdown, Textile or HTML.
text_document soa_document(const statement_of_applicability& soa, const isms_configuration& config,
                           const period_status* period);

} // namespace upkeep
