// Readiness for the next audit.
//
// Design note. Readiness is x of y: x the occurrences of the audit's period that are due (before today)
// and done, y those occurrences plus one for every other open problem an auditor would count against
// the ISMS (an occurrence of an earlier period still open, an overdue follow-up, decision, corrective
// action or verification, an unassessed change, an open nonconformity, a corrective action or
// verification not due before the audit). The percentage is rounded down, so 100% means nothing is
// outstanding. Items are split in two lists: "fix first", the ones counted in y and not in x, ordered
// by what an auditor asks about first (the key activities: internal audit, management review, risk
// assessment and treatment, the SoA) and then by age (the oldest first); and "to watch", what is not
// counted yet (due before the audit, closed without evidence, cadence, tickets the figures do not take
// as they are), by date.

#include "readiness.hpp"

#include "stable_sort_by.hpp"
#include "wording.hpp"

#include <algorithm>
#include <map>

namespace upkeep::detail {
namespace {

// The fix-first kinds of the audit period's own occurrences, already counted in y as occurrences.
bool is_occurrence_kind(readiness_kind kind) {
    return kind == readiness_kind::overdue_occurrence || kind == readiness_kind::expired_evidence;
}

struct item_builder {
    const status_report& report;
    readiness& r;
    const tracker_snapshot& tracker;
    const date_style& dates; // how the items' sentences write dates
    std::map<std::string_view, const activity*, std::less<>> activities;

    std::string day(day_point d) const { return format_date_as(d, dates); }

    // "Access review (due 2027-06-30)".
    std::string named(const occurrence_status& o) const {
        return (o.title.empty() ? o.activity : o.title) + " (due " + day(o.due) + ")";
    }

    readiness_item& add(readiness_kind kind, std::string what, day_point date) {
        readiness_item item;
        item.kind = kind;
        item.what = std::move(what);
        item.date = date;
        auto& list = lowers_readiness(kind) ? r.fix_first : r.to_watch;
        return list.emplace_back(std::move(item));
    }

    // "Change #12".
    std::string ref(const char* what, long long id) const {
        return std::string(what) + " " + tracker.references.of(id);
    }

    readiness_item& occurrence(readiness_kind kind, const occurrence_status& o, std::string what) {
        readiness_item& item = add(kind, std::move(what), o.due);
        item.activity = o.activity;
        item.activity_title = o.title;
        item.owner = o.owner;
        item.ticket_id = o.ticket_id;
        const auto a = activities.find(o.activity);
        item.key_activity = a != activities.end() && is_key_activity(*a->second);
        return item;
    }

    readiness_item& ticket(readiness_kind kind, std::string what, day_point date, long long id,
                           const std::string& assignee) {
        readiness_item& item = add(kind, std::move(what), date);
        item.ticket_id = id;
        item.owner = assignee;
        return item;
    }

    long late_by(day_point due) const { return std::max<long>(0, (report.today - due).count()); }

    // The activity's title in today's configuration, else as issued.
    std::string activity_title(const occurrence_status& o) const {
        const auto a = activities.find(o.activity);
        return a != activities.end() ? a->second->title : o.title.empty() ? o.activity : o.title;
    }
};

void add_occurrences(item_builder& b, const period_status& current) {
    for (const occurrence_status& o : current.occurrences) {
        const std::string owner = " (" + (o.owner.empty() ? "unassigned" : o.owner) + ")";
        if (o.renewal && !is_done(o.state)) {
            // Evidence that expires: said as such, counted as the occurrence it is.
            const std::string evidence = "The evidence of " + b.activity_title(o);
            if (o.counted) {
                ++b.r.counted;
                b.occurrence(readiness_kind::expired_evidence, o,
                             evidence + " expired on " + b.day(o.due) + "; its renewal is overdue by " +
                                 days(b.late_by(o.due)) + owner + (o.has_ticket ? "" : ", no ticket"))
                    .days_late = b.late_by(o.due);
            } else {
                b.occurrence(readiness_kind::evidence_expiring, o,
                             evidence + " is valid until " + b.day(o.due) + ", before the audit: renew it" +
                                 owner);
            }
            continue;
        }
        if (o.counted) {
            ++b.r.counted;
            if (is_done(o.state))
                ++b.r.done;
            else
                b.occurrence(readiness_kind::overdue_occurrence, o,
                             b.named(o) +
                                 (o.state == occurrence_state::missed
                                      ? " was missed"
                                      : " is overdue by " + days(b.late_by(o.due))) +
                                 owner + (o.has_ticket ? "" : ", no ticket"))
                    .days_late = b.late_by(o.due);
        } else if (!is_done(o.state)) {
            b.occurrence(readiness_kind::due_before_audit, o,
                         b.named(o) + " falls due before the audit" + owner);
        }
        if (o.state == occurrence_state::done_undated)
            b.occurrence(readiness_kind::done_undated, o,
                         b.named(o) + " was closed with neither a work date nor a closing day" + owner);
        else if (is_done(o.state) && o.has_ticket && !o.evidence)
            b.occurrence(readiness_kind::closed_without_evidence, o,
                         b.named(o) + " was closed without evidence" + owner);
    }
    for (const cadence_flag& f : current.flags) {
        const auto it = std::find_if(current.occurrences.begin(), current.occurrences.end(),
                                     [&](const occurrence_status& o) { return o.activity == f.activity; });
        const std::string title =
            it == current.occurrences.end() || it->title.empty() ? f.activity : it->title;
        readiness_item& item = b.add(
            f.kind == cadence_flag_kind::burst ? readiness_kind::cadence_burst : readiness_kind::cadence_gap,
            "Cadence of " + title + ": " + f.message, f.kind == cadence_flag_kind::gap ? f.from : current.to);
        item.activity = f.activity;
        item.activity_title = title;
        if (it != current.occurrences.end()) item.owner = it->owner;
    }
}

void add_earlier_periods(item_builder& b, audit_kind next) {
    for (const period_status& p : b.report.periods) {
        if (p.audit == next || !p.ended) continue;
        for (const occurrence_status& o : p.occurrences)
            if (o.state == occurrence_state::missed && o.has_ticket)
                b.occurrence(readiness_kind::open_from_earlier_period, o,
                             b.named(o) + " was missed in the period of " +
                                 std::string(audit_title(p.audit)) + " and is still open (" +
                                 (o.owner.empty() ? "unassigned" : o.owner) + ")")
                    .days_late = b.late_by(o.due);
    }
}

void add_tracker_problems(item_builder& b, const tracker_snapshot& tracker) {
    const day_point today = b.report.today, audit = b.r.date;
    const auto overdue = [&](day_point due) {
        return " (due " + b.day(due) + ") is overdue by " + days(b.late_by(due));
    };
    // An open follow-up of a change or decision of a review: overdue (lowers readiness) or open (to watch).
    const auto open_action = [&](const std::string& which, std::optional<day_point> due,
                                 const std::string& subject, long long id, const std::string& assignee,
                                 readiness_kind overdue_kind, readiness_kind open_kind) {
        if (due && *due < today)
            b.ticket(overdue_kind, which + overdue(*due) + ": " + subject, *due, id, assignee).days_late =
                b.late_by(*due);
        else
            b.ticket(open_kind, which + " is open" + (due ? ", due " + b.day(*due) : "") + ": " + subject,
                     due.value_or(audit), id, assignee);
    };
    for (const change_record& c : tracker.changes)
        if (!c.closed && !c.assessment)
            b.ticket(readiness_kind::unassessed_change,
                     b.ref("Change", c.id) + " is not assessed for its ISMS impact" +
                         (c.created_on ? " (opened " + b.day(*c.created_on) + ")" : "") + ": " + c.subject,
                     c.created_on.value_or(today), c.id, c.assignee);
    for (const follow_up_record& f : tracker.follow_ups)
        if (!f.closed)
            open_action(b.ref("Follow-up", f.id) + " of change " + b.tracker.references.of(f.change_id),
                        f.due, f.subject, f.id, f.assignee, readiness_kind::overdue_follow_up,
                        readiness_kind::open_follow_up);
    for (const decision_record& d : tracker.decisions)
        if (!d.closed)
            open_action(b.ref("Decision", d.id) + " of review " + b.tracker.references.of(d.review), d.due,
                        d.subject, d.id, d.assignee, readiness_kind::overdue_decision,
                        readiness_kind::open_decision);
    for (const finding_record& f : tracker.findings) {
        if (f.closed) continue;
        const bool nonconformity = f.kind == "nonconformity", verification = f.kind == "verification";
        const char* what = nonconformity  ? "Nonconformity"
                           : verification ? "Verification"
                                          : "Corrective action";
        if (f.due && *f.due < today)
            b.ticket(nonconformity  ? readiness_kind::open_nonconformity
                     : verification ? readiness_kind::overdue_verification
                                    : readiness_kind::overdue_corrective_action,
                     b.ref(what, f.id) + overdue(*f.due) + ": " + f.subject, *f.due, f.id, f.assignee)
                .days_late = b.late_by(*f.due);
        else if (nonconformity)
            b.ticket(readiness_kind::open_nonconformity,
                     b.ref(what, f.id) + " is open" + (f.due ? ", due " + b.day(*f.due) : "") + ": " +
                         f.subject,
                     f.created_on.value_or(f.due.value_or(audit)), f.id, f.assignee);
        else if (!f.due || *f.due >= audit)
            // Due on the audit day is not done when the audit starts: it counts as after.
            b.ticket(readiness_kind::action_after_audit,
                     b.ref(what, f.id) +
                         (!f.due            ? " has no due date"
                          : *f.due == audit ? " is due on the audit day (" + b.day(audit) + ")"
                                            : " is due " + b.day(*f.due) + ", after the audit") +
                         ": " + f.subject,
                     f.due.value_or(audit), f.id, f.assignee);
        else
            b.ticket(readiness_kind::action_due_before_audit,
                     b.ref(what, f.id) + " is due " + b.day(*f.due) + ", before the audit: " + f.subject,
                     *f.due, f.id, f.assignee);
    }
}

void add_ticket_problems(item_builder& b) {
    for (const ticket_problem& p : b.report.ticket_problems) {
        if (p.kind == ticket_problem_kind::not_in_configuration && p.closed) continue; // counted as issued
        std::string what = p.message;
        if (!what.empty()) what[0] = 'T'; // "Ticket #..."
        b.ticket(p.kind == ticket_problem_kind::duplicate ? readiness_kind::duplicate_ticket
                                                          : readiness_kind::ticket_not_in_configuration,
                 what, b.report.today, p.ticket_id, "");
    }
}

// The work left (a burn-down): the series count the period's occurrences; one done with no date at all
// counts as done from today, the first day it is known done. Each occurrence is counted once on the day it
// stops being due (planned) or to do (left); a running sum gives what remains at the end of each day.
work_left work_left_of(const period_status& period, day_point audit, day_point today) {
    work_left w;
    w.from = period.from;
    w.total = period.occurrences.size();
    const long days = std::max<long>(0, (audit - period.from).count()) + 1;
    const long known = std::clamp<long>((std::min(today, audit) - period.from).count() + 1, 0, days);
    std::vector<std::size_t> due_on(static_cast<std::size_t>(days)), done_on(static_cast<std::size_t>(days));
    const auto day_of = [&](day_point d) { return std::clamp<long>((d - period.from).count(), 0, days - 1); };
    for (const occurrence_status& o : period.occurrences) {
        ++due_on[static_cast<std::size_t>(day_of(o.due))];
        if (is_done(o.state)) ++done_on[static_cast<std::size_t>(day_of(o.done_on.value_or(today)))];
    }
    std::size_t due = 0, done = 0;
    for (long d = 0; d < days; ++d) {
        due += due_on[static_cast<std::size_t>(d)];
        done += done_on[static_cast<std::size_t>(d)];
        w.planned.push_back(w.total - due);
        if (d < known) w.left.push_back(w.total - done);
    }
    return w;
}

} // namespace

std::optional<readiness> compute_readiness(const isms_configuration& config, const certification_cycle& cycle,
                                           const tracker_snapshot& tracker, const status_report& report,
                                           const date_style& dates) {
    const auto next = std::find_if(cycle.audits.begin(), cycle.audits.end(),
                                   [&](const cycle_audit& a) { return a.date >= report.today; });
    if (next == cycle.audits.end()) return std::nullopt;
    readiness r;
    r.audit = next->kind;
    r.date = next->date;
    r.days_left = (next->date - report.today).count();
    item_builder b{report, r, tracker, dates, {}};
    for (const activity& a : config.activities)
        b.activities.emplace(a.id, &a);
    const auto current = std::find_if(report.periods.begin(), report.periods.end(),
                                      [&](const period_status& p) { return p.audit == next->kind; });
    if (current != report.periods.end()) {
        add_occurrences(b, *current);
        r.work = work_left_of(*current, next->date, report.today);
    }
    add_earlier_periods(b, next->kind);
    add_tracker_problems(b, tracker);
    add_ticket_problems(b);
    for (const readiness_item& item : r.fix_first)
        if (!is_occurrence_kind(item.kind)) ++r.counted;

    stable_sort_by(r.fix_first, [](const readiness_item& a, const readiness_item& b) {
        return std::tuple(!a.key_activity, a.date, a.kind, a.ticket_id) <
               std::tuple(!b.key_activity, b.date, b.kind, b.ticket_id);
    });
    stable_sort_by(r.to_watch, [](const readiness_item& a, const readiness_item& b) {
        return std::tuple(a.date, a.kind, a.ticket_id) < std::tuple(b.date, b.kind, b.ticket_id);
    });
    for (auto* list : {&r.fix_first, &r.to_watch})
        for (std::size_t i = 0; i < list->size(); ++i)
            (*list)[i].rank = i + 1;
    return r;
}

} // namespace upkeep::detail

namespace upkeep {

std::optional<int> readiness::percent() const {
    if (counted == 0) return std::nullopt;
    return static_cast<int>(done * 100 / counted);
}

bool lowers_readiness(readiness_kind kind) {
    return kind <= readiness_kind::action_after_audit;
}

std::string_view to_string(readiness_kind kind) {
    static constexpr std::string_view names[] = {"overdue_occurrence",
                                                 "expired_evidence",
                                                 "open_from_earlier_period",
                                                 "overdue_follow_up",
                                                 "overdue_decision",
                                                 "overdue_corrective_action",
                                                 "overdue_verification",
                                                 "unassessed_change",
                                                 "open_nonconformity",
                                                 "action_after_audit",
                                                 "due_before_audit",
                                                 "evidence_expiring",
                                                 "open_follow_up",
                                                 "open_decision",
                                                 "action_due_before_audit",
                                                 "closed_without_evidence",
                                                 "done_undated",
                                                 "cadence_burst",
                                                 "cadence_gap",
                                                 "ticket_not_in_configuration",
                                                 "duplicate_ticket"};
    return names[static_cast<std::size_t>(kind)];
}

} // namespace upkeep
