#pragma once
// The Statement of Applicability (ISO 27001 6.1.3 d) as data: the configuration's /soa section, one entry
// per Annex A control of ISO/IEC 27001:2022 (applicable or not, why, how far implemented, who owns it).
// The activities that operate a control are those whose references name it, so the SoA and the calendar
// cannot disagree. Its drift (what the status shows) and its exports for the auditor are made here too.
// parse_configuration reads and checks it (isms_config.hpp); the rules are in docs/configuration.md.

#include "upkeep/audit_status.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/text_document.hpp"
#include "upkeep/tracker_snapshot.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

/// "risk_treatment", "legal", "contractual", "business_need": the reason's key in the configuration.
std::string_view to_string(inclusion_reason reason);

/// "implemented", "partly", "planned", "not_implemented".
std::string_view to_string(implementation_status status);

/// The ids of the activities whose references name the control, in the configuration's order.
std::vector<std::string> operating_activities(const isms_configuration& config, std::string_view control);

/// Whether completing the activity's occurrence reviews the SoA: it references 6.1.3 (the starter's SoA
/// review, and the risk treatment plan's review, which 6.1.3 ties to it).
bool reviews_soa(const activity& a);

/// The line a completed SoA review's journal note ends with, so that the ticket links the version it
/// approved: "Statement of Applicability in force: version 1.2, approved by ceo on 2026-04-01; the
/// configuration as of " + `where` + "." (`where` names the tracker's version of the configuration).
std::string soa_in_force(const statement_of_applicability& soa, const std::string& where);

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

/// What the status panel shows of the SoA: `{"version", "approved_by", "approved_on", "controls",
/// "applicable", "implemented", "partly", "planned", "not_implemented", "excluded", "drift": [...]}`.
nlohmann::json soa_summary_to_json(const statement_of_applicability& soa,
                                   const std::vector<soa_drift_item>& drift);

/// The SoA for the auditor, one row per control: id, title, applicable, reasons, justification, status,
/// planned_for, owner, activities, operation, last_evidence (the latest done occurrence of its activities
/// in `period`), evidence_ticket (its address, else its name: ticket_references::link) and tickets (every
/// ticket of its activities in the period). RFC 4180 with the evidence register's guard against formulas.
std::string soa_csv(const statement_of_applicability& soa, const isms_configuration& config,
                    const period_status* period, const ticket_references& tickets = {});

/// The same as a document (version, approval, the applicable controls with their activities and last
/// evidence, then the exclusions with their justification), to render as Markdown, Textile or HTML.
text_document soa_document(const statement_of_applicability& soa, const isms_configuration& config,
                           const period_status* period);

} // namespace upkeep
