#pragma once
// Evidence that expires (ISO 27001 7.5.3, A.5.22 and wherever a certificate, a report or an approval is
// the evidence): a control task completed with a "valid until" date calls for a renewal occurrence of its
// activity on that day, unless the activity's cadence renews it first. The sync makes the renewal's
// control task, the status counts it as any other occurrence, and the views list the evidence that has
// expired or expires before the next audit.

#include "upkeep/audit_status.hpp"
#include "upkeep/dates.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

/// Each activity's due dates: its cadence's and its renewals'. A completed occurrence (due D) whose
/// evidence is valid until V, V after D, calls for a renewal due V unless the cadence has a due date in
/// (D, V]: the next regular occurrence renews it first. Renewals come from completed tickets, which
/// Upkeep never changes, so a renewal's date stays once its ticket exists.
class occurrence_schedule {
public:
    explicit occurrence_schedule(const isms_configuration& config) : config_(config) {}

    /// A completed control task (its key) whose evidence is valid until a day.
    void add(std::string_view key, day_point valid_until);

    /// The activity's due dates in [from, to] (cadence and renewals), ascending, each once.
    std::vector<day_point> between(const activity& a, day_point from, day_point to) const;
    /// Whether the activity has a due date on that day (its cadence's or a renewal's).
    bool is_due(const activity& a, day_point day) const;
    /// Whether that due date is a renewal's (a renewal never falls on a date of the cadence).
    bool is_renewal(std::string_view activity_id, day_point day) const;

private:
    const isms_configuration& config_;
    // The renewals, each once, as (activity, date) at one index of the two: a few per project, and vectors
    // the core has anyway cost the wasm module less than a map of sets.
    std::vector<std::string> renewal_activities_;
    std::vector<day_point> renewal_dates_;
};

/// The renewal control task's title: "Renew the evidence: Supplier certificate check".
std::string renewal_title(const activity& a);

/// The evidence in force of each activity of the configuration that is valid until a day, by that day, as
/// of the report's day: the last completion is the done occurrence with a ticket and the latest due date
/// in the report's periods (among twins, the ticket that counts). An activity whose last completion
/// recorded no such day has nothing that expires. Its words write dates in `dates`.
std::vector<expiring_evidence> evidence_in_force(const isms_configuration& config,
                                                 const status_report& report, const date_style& dates = {});

/// "valid until 2027-03-01 (20 days left)", "valid until 2027-03-01 (last day)", "expired on 2027-03-01 (5
/// days ago)": dates in `dates` (ISO by default).
std::string expiry_words(const expiring_evidence& e, const date_style& dates = {});

} // namespace upkeep
