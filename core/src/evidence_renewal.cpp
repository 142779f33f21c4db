// Evidence that expires.
//
// Design note. A renewal is an occurrence like the calendar's, with its own origin: the configuration
// gives the cadence, a completed ticket gives a renewal. For an activity A and a completed control task of
// A due D whose evidence is valid until V (V > D):
//   - if A's cadence has a due date in (D, V], that occurrence renews the evidence: nothing more;
//   - else A has a renewal occurrence due V, keyed `control:A:V` like any other (the key names a due date,
//     not where it came from), opened A's renewal lead time before V.
// Every completed task with a date is looked at, not only the latest: a renewal made from an older
// completion stays an occurrence once its ticket exists, so the status never loses a ticket the sync made.
// The renewal's own completion may carry a new date, which calls for the next renewal, and so on.

#include "upkeep/evidence_renewal.hpp"

#include "stable_sort_by.hpp"
#include "upkeep/ticket_key.hpp"
#include "wording.hpp"

#include <algorithm>

namespace upkeep {

void occurrence_schedule::add(std::string_view key_text, day_point valid_until) {
    const ticket_key key = ticket_key::parse(key_text);
    if (key.kind != ticket_key_kind::control || valid_until <= key.due) return;
    const auto a = std::find_if(config_.activities.begin(), config_.activities.end(),
                                [&](const activity& x) { return x.id == key.activity; });
    if (a == config_.activities.end()) return;
    const auto next = after(a->cadence.dates, key.due, false);
    if ((next && *next <= valid_until) || is_renewal(a->id, valid_until)) return;
    renewal_activities_.push_back(a->id);
    renewal_dates_.push_back(valid_until);
}

std::vector<day_point> occurrence_schedule::between(const activity& a, day_point from, day_point to) const {
    std::vector<day_point> dates = upkeep::between(a.cadence.dates, from, to, true);
    for (std::size_t i = 0; i < renewal_dates_.size(); ++i) {
        if (renewal_activities_[i] != a.id || renewal_dates_[i] < from || renewal_dates_[i] > to) continue;
        dates.push_back(renewal_dates_[i]); // never a date of the cadence
    }
    sort_days(dates);
    return dates;
}

bool occurrence_schedule::is_due(const activity& a, day_point day) const {
    return after(a.cadence.dates, day, true) == day || is_renewal(a.id, day);
}

bool occurrence_schedule::is_renewal(std::string_view activity_id, day_point day) const {
    for (std::size_t i = 0; i < renewal_dates_.size(); ++i)
        if (renewal_dates_[i] == day && renewal_activities_[i] == activity_id) return true;
    return false;
}

std::string renewal_title(const activity& a) {
    return "Renew the evidence: " + a.title;
}

std::vector<expiring_evidence> evidence_in_force(const isms_configuration& config,
                                                 const status_report& report, const date_style& dates) {
    std::vector<expiring_evidence> out;
    for (const activity& a : config.activities) {
        const occurrence_status* last = nullptr;
        for (const period_status& p : report.periods)
            for (const occurrence_status& o : p.occurrences)
                if (o.activity == a.id && o.has_ticket && is_done(o.state) && (!last || o.due > last->due))
                    last = &o;
        if (!last || !last->valid_until) continue;
        expiring_evidence& e = out.emplace_back();
        e.activity = a.id;
        e.title = a.title;
        e.owner = last->owner;
        e.ticket_id = last->ticket_id;
        e.valid_until = *last->valid_until;
        e.days_left = (e.valid_until - report.today).count();
        e.words = expiry_words(e, dates);
    }
    stable_sort_by(out, [](const expiring_evidence& l, const expiring_evidence& r) {
        return l.valid_until < r.valid_until;
    });
    return out;
}

std::string expiry_words(const expiring_evidence& e, const date_style& dates) {
    const std::string day = format_date_as(e.valid_until, dates);
    if (e.expired()) return "expired on " + day + " (" + detail::days(-e.days_left) + " ago)";
    return "valid until " + day +
           (e.days_left == 0 ? " (last day)" : " (" + detail::days(e.days_left) + " left)");
}

} // namespace upkeep
