// Closure against the audit dates.
//
// Design note. Each audit's period runs from the previous audit (the certification decision for the
// first) up to the audit, the audit day itself excluded: it belongs to the next period. The occurrences
// of a period are the tickets as issued plus the configuration's due dates that have no ticket:
//   - a control task whose key's due date falls in the period is an occurrence with that due date and
//     the owner and title written on it (so editing the configuration never rewrites a past figure);
//   - a due date of the configuration in the period without a ticket is an occurrence of the
//     configuration's owner and title (done by nobody: overdue, missed or upcoming);
//   - the configuration's due dates are its cadences' and the renewals that evidence valid until a day
//     calls for (evidence_renewal.hpp): a renewal is an occurrence like any other, marked as one;
//   - a ticket whose date today's configuration does not schedule counts once it is closed (it is
//     history) and is reported; while open it is reported only (the configuration decides what is still
//     to do);
//   - tickets sharing a key count once: the one with recorded work (a work date or evidence), else a
//     closed one, else the first; the others are reported.
// What counts for an auditor is when the work was done: the work date recorded on completion, else the
// closing day; on or before the due date is on time. Only occurrences whose due date has passed (before
// today) enter the rates, so work done early is neither a success nor a miss until its day has come.
// Cadence looks at the completion dates of each activity against its own interval (see flag_cadence).

#include "upkeep/audit_status.hpp"

#include "readiness.hpp"
#include "stable_sort_by.hpp"
#include "wording.hpp"

#include "upkeep/evidence_renewal.hpp"
#include "upkeep/sync_plan.hpp"
#include "upkeep/ticket_key.hpp"

#include <algorithm>
#include <set>
#include <span>

namespace upkeep {
namespace {

constexpr long burst_window_days = 30;
constexpr std::size_t burst_min_completions = 3;

void count(on_time_rate& rate, const occurrence_status& o) {
    if (!o.counted) return;
    ++rate.due;
    if (o.state == occurrence_state::on_time) ++rate.on_time;
}

// The cadence's interval: the longest interval between two consecutive due dates of the activity, over
// its due dates in the period and the last one before it and the first one after it. 0 with fewer than
// two such dates.
long cadence_interval(const activity& a, std::span<const day_point> dues, const period_status& period) {
    std::vector<day_point> dates(dues.begin(), dues.end());
    if (const auto previous = before(a.cadence.dates, period.from, false))
        dates.insert(dates.begin(), *previous);
    if (const auto next = after(a.cadence.dates, period.to, true)) dates.push_back(*next);
    long longest = 0;
    for (std::size_t i = 1; i < dates.size(); ++i)
        longest = std::max<long>(longest, (dates[i] - dates[i - 1]).count());
    return longest;
}

// Cadence flags of one activity in one period (docs/figures.md, "Cadence"):
// - burst: at least 3 of its occurrences due in the period are done, and more than half of those
//   completions fell in the 30 days before the audit;
// - gap: between the first due date in the period (or an earlier completion), the completions, and the
//   end (today, or the audit day once passed), a stretch longer than twice the cadence's interval with
//   no completion.
void flag_cadence(const activity& a, std::span<const occurrence_status> occurrences,
                  const period_status& period, day_point today, const date_style& style,
                  std::vector<cadence_flag>& flags) {
    const auto day = [&](day_point d) { return format_date_as(d, style); };
    std::vector<day_point> dues, done;
    for (const occurrence_status& o : occurrences) {
        if (o.in_configuration) dues.push_back(o.due);
        if (o.done_on && is_done(o.state)) done.push_back(*o.done_on);
    }
    sort_days(dues);
    sort_days(done);
    const day_point window_start = period.to - date::days{burst_window_days};
    const auto in_window = static_cast<std::size_t>(std::count_if(
        done.begin(), done.end(), [&](day_point d) { return d >= window_start && d < period.to; }));
    if (done.size() >= burst_min_completions && in_window * 2 > done.size()) {
        cadence_flag f;
        f.kind = cadence_flag_kind::burst;
        f.activity = a.id;
        f.completions = done.size();
        f.in_window = in_window;
        f.message = std::to_string(in_window) + " of " + std::to_string(done.size()) +
                    " completions fell in the " + std::to_string(burst_window_days) +
                    " days before the audit (" + day(period.to) +
                    "): auditors look for a control that operated all through the period";
        flags.push_back(std::move(f));
    }
    if (dues.empty()) return;
    const long interval = cadence_interval(a, dues, period);
    const day_point end = std::min(today, period.to);
    if (interval == 0 || end <= dues.front()) return;
    const long allowed = 2 * interval;
    // The points between which a gap is measured, with what each is called in the message.
    std::vector<std::pair<day_point, std::string>> points;
    points.emplace_back(dues.front(), "the first due date " + day(dues.front()));
    for (const day_point d : done)
        if (d <= end) {
            if (d < points.front().first)
                points.front() = {d, "the completion on " + day(d)};
            else
                points.emplace_back(d, "the completion on " + day(d));
        }
    points.emplace_back(end, end == today && today < period.to ? "today (" + day(end) + ")"
                                                               : "the audit (" + day(end) + ")");
    stable_sort_by(points, [](const auto& l, const auto& r) { return l.first < r.first; });
    for (std::size_t i = 1; i < points.size(); ++i) {
        const long gap = (points[i].first - points[i - 1].first).count();
        if (gap <= allowed) continue;
        cadence_flag f;
        f.kind = cadence_flag_kind::gap;
        f.activity = a.id;
        f.from = points[i - 1].first;
        f.to = points[i].first;
        f.days = gap;
        f.allowed = allowed;
        f.message = "no completion for " + detail::days(gap) + ", from " + points[i - 1].second + " to " +
                    points[i].second + " (its cadence allows " + std::to_string(allowed) +
                    ": twice its interval of " + detail::days(interval) + ")";
        flags.push_back(std::move(f));
    }
}

// The ticket that counts among tickets sharing a key (duplicate_rank).
bool counts_before(const task_record& l, const task_record& r) {
    const auto rank = [](const task_record& t) {
        return duplicate_rank(t.closed, t.done_on || t.evidence || !t.evidence_links.empty(),
                              t.closed_as_duplicate);
    };
    return std::pair(rank(l), l.id) < std::pair(rank(r), r.id);
}

struct ticket_index {
    // activity -> due date -> the ticket that counts
    std::map<std::string, std::map<day_point, const task_record*>, std::less<>> by_activity;
    std::vector<ticket_problem> duplicates;
};

ticket_index index_tickets(const std::vector<task_record>& tasks, const ticket_references& references) {
    ticket_index index;
    std::map<std::string, std::vector<const task_record*>, std::less<>> by_key;
    for (const task_record& t : tasks) {
        const ticket_key key = ticket_key::parse(t.key);
        if (key.kind != ticket_key_kind::control) continue;
        auto& slot = index.by_activity[key.activity][key.due];
        if (!slot || counts_before(t, *slot)) slot = &t;
        by_key[t.key].push_back(&t);
    }
    for (const auto& [key, tickets] : by_key) {
        if (tickets.size() < 2) continue;
        const ticket_key parsed = ticket_key::parse(key);
        const task_record* counted = index.by_activity[parsed.activity][parsed.due];
        for (const task_record* t : tickets) {
            if (t == counted) continue;
            index.duplicates.push_back({ticket_problem_kind::duplicate, t->id, key, t->closed, counted->id,
                                        "ticket " + references.of(t->id) + " has the same key as " +
                                            references.of(counted->id) + " (" + key + "); " +
                                            references.of(counted->id) + " counts"});
        }
    }
    return index;
}

occurrence_status occurrence_of(const activity* a, const std::string& activity_id, day_point due,
                                const task_record* t, const period_status& period, day_point today,
                                const people_names& people) {
    occurrence_status o;
    o.activity = activity_id;
    o.title = a ? a->title : "";
    o.owner = a ? a->owner : "";
    o.due = due;
    o.counted = due < today;
    if (t) {
        o.has_ticket = true;
        o.ticket_id = t->id;
        o.evidence = t->evidence;
        o.evidence_links = t->evidence_links;
        if (!t->owner.empty()) o.owner = t->owner;
        if (!t->title.empty()) o.title = t->title;
        o.people_in_scope = t->people_in_scope;
        o.people_completed = t->people_completed;
        if (t->closed) {
            o.closed_on = t->closed_on;
            o.done_on = t->done_on ? t->done_on : t->closed_on;
            o.valid_until = t->valid_until;
        }
    }
    if (const auto name = people.find(o.owner); name != people.end() && !name->second.empty())
        o.owner = name->second;
    if (t && t->closed)
        o.state = !o.done_on          ? occurrence_state::done_undated
                  : *o.done_on <= due ? occurrence_state::on_time
                                      : occurrence_state::late;
    else if (period.ended)
        o.state = occurrence_state::missed;
    else if (due < today)
        o.state = occurrence_state::overdue;
    else
        o.state = occurrence_state::upcoming;
    return o;
}

} // namespace

std::string_view to_string(occurrence_state state) {
    switch (state) {
    case occurrence_state::on_time:
        return "on_time";
    case occurrence_state::late:
        return "late";
    case occurrence_state::done_undated:
        return "done_undated";
    case occurrence_state::overdue:
        return "overdue";
    case occurrence_state::missed:
        return "missed";
    case occurrence_state::upcoming:
        break;
    }
    return "upcoming";
}

std::string_view label(occurrence_state state) {
    switch (state) {
    case occurrence_state::on_time:
        return "on time";
    case occurrence_state::done_undated:
        return "done, date not recorded";
    case occurrence_state::upcoming:
        return "upcoming";
    default:
        return to_string(state); // "late", "overdue", "missed"
    }
}

bool is_done(occurrence_state state) {
    return state == occurrence_state::on_time || state == occurrence_state::late ||
           state == occurrence_state::done_undated;
}

std::optional<double> on_time_rate::share() const {
    if (due == 0) return std::nullopt;
    return static_cast<double>(on_time) / static_cast<double>(due);
}

std::string format_rate(const on_time_rate& r) {
    return r.due == 0 ? "nothing due yet" : detail::percent_of(r.on_time, r.due);
}

std::string format_readiness(const readiness& r) {
    return r.counted == 0 ? "nothing due yet" : detail::percent_of(r.done, r.counted);
}

std::string_view to_string(cadence_flag_kind kind) {
    return kind == cadence_flag_kind::burst ? "burst" : "gap";
}

std::string_view to_string(ticket_problem_kind kind) {
    return kind == ticket_problem_kind::duplicate ? "duplicate" : "not_in_configuration";
}

bool is_key_activity(const activity& a) {
    static constexpr std::string_view key_clauses[] = {"9.2", "9.3", "6.1.2", "6.1.3", "8.2", "8.3"};
    return std::any_of(a.references.begin(), a.references.end(), [](const std::string& r) {
        return std::find(std::begin(key_clauses), std::end(key_clauses), r) != std::end(key_clauses);
    });
}

status_report compute_status(const isms_configuration& config, const certification_cycle& cycle,
                             const tracker_snapshot& tracker, day_point today, const people_names& people,
                             const date_style& dates) {
    ticket_index index = index_tickets(tracker.tasks, tracker.references);
    status_report report;
    report.today = today;
    report.ticket_problems = std::move(index.duplicates);
    std::map<std::string_view, const activity*, std::less<>> activities;
    for (const activity& a : config.activities)
        activities.emplace(a.id, &a);
    std::set<const task_record*> scheduled; // tickets whose due date the configuration schedules
    occurrence_schedule schedule(config);   // evidence that expires calls for renewals
    for (const auto& [activity_id, by_due] : index.by_activity)
        for (const auto& [due, t] : by_due)
            if (t->closed && t->valid_until) schedule.add(t->key, *t->valid_until);

    for (const cycle_audit& audit : cycle.audits) {
        if (audit.period_start > today) break;
        period_status period{audit.kind, audit.period_start, audit.date, audit.date <= today, {}, {}, {}, {},
                             {}};
        const auto ticket_at = [&](std::string_view activity_id, day_point due) -> const task_record* {
            const auto found = index.by_activity.find(activity_id);
            if (found == index.by_activity.end()) return nullptr;
            const auto it = found->second.find(due);
            return it == found->second.end() ? nullptr : it->second;
        };
        // The configuration's due dates, each with its ticket if it has one.
        std::vector<std::pair<std::size_t, std::size_t>> ranges; // each activity's occurrences
        for (const activity& a : config.activities) {
            const std::size_t first = period.occurrences.size();
            for (const day_point due : schedule.between(a, period.from, period.to)) {
                if (due == period.to) continue; // the audit day belongs to the next period
                const task_record* t = ticket_at(a.id, due);
                if (t) scheduled.insert(t);
                period.occurrences.push_back(occurrence_of(&a, a.id, due, t, period, today, people));
                occurrence_status& o = period.occurrences.back();
                o.renewal = schedule.is_renewal(a.id, due);
                if (o.renewal && (!t || t->title.empty())) o.title = renewal_title(a);
            }
            ranges.emplace_back(first, period.occurrences.size());
        }
        // Closed tickets of the period that the configuration does not schedule: history, as issued.
        for (const auto& [activity_id, by_due] : index.by_activity)
            for (auto it = by_due.lower_bound(period.from); it != by_due.end() && it->first < period.to;
                 ++it) {
                const task_record* t = it->second;
                if (scheduled.count(t) || !t->closed) continue;
                const auto a = activities.find(activity_id);
                occurrence_status o = occurrence_of(a == activities.end() ? nullptr : a->second, activity_id,
                                                    it->first, t, period, today, people);
                o.in_configuration = false;
                period.occurrences.push_back(std::move(o));
            }
        for (const occurrence_status& o : period.occurrences) {
            count(period.overall, o);
            count(period.by_activity[o.activity], o);
            count(period.by_owner[o.owner], o);
            count(period.by_month[format_iso_date(o.due).substr(0, 7)], o);
        }
        // Cadence per activity of the configuration, over its occurrences in the period.
        for (std::size_t i = 0; i < config.activities.size(); ++i) {
            const activity& a = config.activities[i];
            std::vector<occurrence_status> own(
                period.occurrences.begin() + static_cast<long>(ranges[i].first),
                period.occurrences.begin() + static_cast<long>(ranges[i].second));
            for (std::size_t j = ranges.back().second; j < period.occurrences.size(); ++j)
                if (period.occurrences[j].activity == a.id) own.push_back(period.occurrences[j]);
            if (!own.empty()) flag_cadence(a, own, period, today, dates, period.flags);
        }
        stable_sort_by(period.occurrences,
                       [](const occurrence_status& l, const occurrence_status& r) { return l.due < r.due; });
        report.periods.push_back(std::move(period));
    }

    // Tickets the configuration does not schedule, in any period or none: reported.
    for (const auto& [activity_id, by_due] : index.by_activity)
        for (const auto& [due, t] : by_due) {
            const auto a = activities.find(activity_id);
            const bool known = a != activities.end();
            if (scheduled.count(t) || (known && schedule.is_due(*a->second, due))) continue;
            report.ticket_problems.push_back(
                {ticket_problem_kind::not_in_configuration, t->id, t->key, t->closed, 0,
                 "ticket " + tracker.references.of(t->id) + " (" + t->key + ") is due " +
                     format_date_as(due, dates) + ", which " +
                     (known ? "today's configuration does not schedule for " + activity_id
                            : "is of an activity (" + activity_id + ") the configuration no longer has") +
                     (t->closed ? ": it counts as issued"
                                : ": it does not count while open; close or reject it")});
        }
    report.next_audit = detail::compute_readiness(config, cycle, tracker, report, dates);
    report.expiring = evidence_in_force(config, report, dates);
    return report;
}

} // namespace upkeep
