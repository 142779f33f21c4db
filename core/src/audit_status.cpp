// Closure against the audit dates.
//
// Design note. Each audit's period runs from the previous audit (the certification decision for the
// first) to the audit. Every occurrence of every activity due in a started period is looked up by its
// key among the control tasks. What counts for an auditor is when the work was done: the evidence date
// recorded on completion, else the closing date; a date on or before the due date is on time. Only
// occurrences due by today (or by the period's end, once it is over) enter the rates. Cadence
// consistency looks at those completion dates: bunched before the audit, or gaps the cadence does not
// allow.

#include "upkeep/audit_status.hpp"

#include "stable_sort_by.hpp"

#include "upkeep/sync_plan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <span>

namespace upkeep {
namespace {

constexpr long bunching_window_days = 30;

double share(const on_time_rate& r) {
    return r.due == 0 ? 1.0 : static_cast<double>(r.on_time) / static_cast<double>(r.due);
}

void count(on_time_rate& rate, const occurrence_status& o) {
    if (o.state == occurrence_state::upcoming) return;
    ++rate.due;
    if (o.state == occurrence_state::on_time) ++rate.on_time;
}

// `occurrences`: the activity's occurrences in the period, by due date.
void flag_cadence(const activity& a, std::span<const occurrence_status> occurrences,
                  const period_status& period, day_point today, std::vector<cadence_flag>& flags) {
    std::vector<day_point> dues, done;
    for (const occurrence_status& o : occurrences) {
        dues.push_back(o.due);
        if (o.done_on) done.push_back(*o.done_on);
    }
    std::sort(done.begin(), done.end());
    const day_point window_start = period.to - date::days{bunching_window_days};
    const auto late_in_period = static_cast<std::size_t>(std::count_if(
        done.begin(), done.end(), [&](day_point d) { return d >= window_start && d < period.to; }));
    if (dues.size() >= 3 && done.size() >= 3 && late_in_period * 2 > done.size())
        flags.push_back({a.id, std::to_string(late_in_period) + " of " + std::to_string(done.size()) +
                                   " completions fell in the " + std::to_string(bunching_window_days) +
                                   " days before the audit (" + format_iso_date(period.to) +
                                   "): auditors look for a control that operated all through the period"});
    if (dues.size() < 2 || done.size() < 2) return;
    long longest_interval = 0;
    for (std::size_t i = 1; i < dues.size(); ++i)
        longest_interval = std::max<long>(longest_interval, (dues[i] - dues[i - 1]).count());
    const long allowed = 2 * longest_interval;
    for (std::size_t i = 1; i < done.size(); ++i) {
        const long gap = (done[i] - done[i - 1]).count();
        if (gap > allowed && done[i] <= today)
            flags.push_back({a.id, "a gap of " + std::to_string(gap) + " days between completions on " +
                                       format_iso_date(done[i - 1]) + " and " + format_iso_date(done[i]) +
                                       " (the cadence allows about " + std::to_string(allowed) + ")"});
    }
}

std::optional<day_point> date_at(const nlohmann::json& item, const char* key, const std::string& pointer,
                                 diagnostics& problems) {
    if (!item.contains(key) || item[key].is_null()) return std::nullopt;
    const auto day = item[key].is_string() ? parse_iso_date(item[key].get<std::string>()) : std::nullopt;
    if (!day) problems.push_back({severity::error, pointer + "/" + key, "expected a date YYYY-MM-DD"});
    return day;
}

// The tracker's open problems for the next audit; each also counts against the readiness figure.
void add_tracker_problems(const tracker_snapshot& tracker, day_point today, readiness& r, std::size_t& due) {
    const auto add = [&](std::string what, day_point when, readiness_rank rank, long long id) {
        r.lowering.push_back({std::move(what), when, rank, id});
        ++due;
    };
    const auto ref = [](const char* what, long long id) {
        return std::string(what) + " #" + std::to_string(id);
    };
    for (const change_record& c : tracker.changes)
        if (!c.closed && !c.assessment)
            add(ref("Change", c.id) + " not assessed for its ISMS impact: " + c.subject,
                c.created_on.value_or(today), readiness_rank::unassessed_change, c.id);
    for (const follow_up_record& f : tracker.follow_ups)
        if (!f.closed && f.due && *f.due < today)
            add(ref("Follow-up", f.id) + " of change #" + std::to_string(f.change_id) + " overdue since " +
                    format_iso_date(*f.due + date::days{1}) + ": " + f.subject,
                *f.due, readiness_rank::overdue_action, f.id);
    for (const decision_record& d : tracker.decisions)
        if (!d.closed && d.due && *d.due < today)
            add(ref("Decision", d.id) + " of review #" + std::to_string(d.review) + " overdue since " +
                    format_iso_date(*d.due + date::days{1}) + ": " + d.subject,
                *d.due, readiness_rank::overdue_action, d.id);
    for (const finding_record& f : tracker.findings) {
        if (f.closed) continue;
        const bool nonconformity = f.kind == "nonconformity";
        const char* what = nonconformity              ? "Nonconformity"
                           : f.kind == "verification" ? "Verification"
                                                      : "Corrective action";
        if (f.due && *f.due < today)
            add(ref(what, f.id) + " overdue since " + format_iso_date(*f.due + date::days{1}) + ": " +
                    f.subject,
                *f.due, readiness_rank::overdue_action, f.id);
        else if (nonconformity)
            add(ref(what, f.id) + " open: " + f.subject, f.due.value_or(r.date), readiness_rank::open_finding,
                f.id);
        else if (!f.due || *f.due >= r.date)
            add(ref(what, f.id) +
                    (f.due ? " due " + format_iso_date(*f.due) + ", after the audit: "
                           : " with no due date: ") +
                    f.subject,
                f.due.value_or(r.date), readiness_rank::open_finding, f.id);
        else
            r.lowering.push_back(
                {ref(what, f.id) + " due " + format_iso_date(*f.due) + " before the audit: " + f.subject,
                 *f.due, readiness_rank::due_before_audit, f.id});
    }
    for (const follow_up_record& f : tracker.follow_ups)
        if (!f.closed && (!f.due || *f.due >= today))
            r.lowering.push_back({ref("Follow-up", f.id) + " of change #" + std::to_string(f.change_id) +
                                      " open" + (f.due ? ", due " + format_iso_date(*f.due) : "") + ": " +
                                      f.subject,
                                  f.due.value_or(r.date), readiness_rank::due_before_audit, f.id});
}

} // namespace

std::string_view to_string(occurrence_state state) {
    switch (state) {
    case occurrence_state::on_time:
        return "on_time";
    case occurrence_state::late:
        return "late";
    case occurrence_state::overdue:
        return "overdue";
    case occurrence_state::upcoming:
        return "upcoming";
    }
    return "";
}

status_report compute_status(const isms_configuration& config, const certification_cycle& cycle,
                             const std::vector<task_record>& tasks, day_point today) {
    tracker_snapshot tracker;
    tracker.tasks = tasks;
    return compute_status(config, cycle, tracker, today);
}

status_report compute_status(const isms_configuration& config, const certification_cycle& cycle,
                             const tracker_snapshot& tracker, day_point today) {
    // The control tasks by activity, then by due date, from their keys (control:<activity>:<due>): each
    // occurrence is found by its date, with no key to build and compare (thousands of tickets). The first
    // ticket of a key counts.
    std::map<std::string_view, std::map<day_point, const task_record*>, std::less<>> tasks_by_activity;
    for (const task_record& t : tracker.tasks) {
        const std::string_view key = t.key, prefix = "control:";
        const std::size_t colon = key.rfind(':');
        if (!key.starts_with(prefix) || colon <= prefix.size()) continue;
        if (const auto due = parse_iso_date(key.substr(colon + 1)))
            tasks_by_activity[key.substr(prefix.size(), colon - prefix.size())].emplace(*due, &t);
    }
    status_report report;
    for (const cycle_audit& audit : cycle.audits) {
        if (audit.period_start > today) break;
        period_status period{audit.kind, audit.period_start, audit.date, {}, {}, {}, {}, {}};
        for (const activity& a : config.activities) {
            const auto found = tasks_by_activity.find(a.id);
            const std::size_t first = period.occurrences.size();
            for (const day_point due : between(a.cadence.dates, period.from, period.to, true)) {
                if (due == period.to) continue; // the period ends before the audit day
                occurrence_status o{
                    a.id,  a.owner, due, occurrence_state::upcoming, std::nullopt, std::nullopt,
                    false, false,   0};
                const task_record* t = nullptr;
                if (found != tasks_by_activity.end())
                    if (const auto it = found->second.find(due); it != found->second.end()) t = it->second;
                if (t) {
                    o.has_ticket = true;
                    o.ticket_id = t->id;
                    o.evidence = t->evidence;
                    o.evidence_links = t->evidence_links;
                    if (t->closed) o.done_on = t->done_on ? t->done_on : t->closed_on;
                    if (t->closed) o.closed_on = t->closed_on;
                }
                if (o.done_on)
                    o.state = *o.done_on <= due ? occurrence_state::on_time : occurrence_state::late;
                else if (t && t->closed)
                    o.state = occurrence_state::on_time; // closed with no date at all: trust it
                else if (due < today)
                    o.state = occurrence_state::overdue;
                period.occurrences.push_back(std::move(o));
            }
            // The activity's occurrences, by due date: counted, and checked for cadence, here.
            const std::span<const occurrence_status> own(period.occurrences.data() + first,
                                                         period.occurrences.size() - first);
            if (own.empty()) continue;
            on_time_rate& by_activity = period.by_activity[a.id];
            on_time_rate& by_owner = period.by_owner[a.owner];
            for (const occurrence_status& o : own) {
                count(period.overall, o);
                count(by_activity, o);
                count(by_owner, o);
            }
            flag_cadence(a, own, period, today, period.flags);
        }
        stable_sort_by(period.occurrences,
                       [](const occurrence_status& l, const occurrence_status& r) { return l.due < r.due; });
        report.periods.push_back(std::move(period));
    }

    const auto next = std::find_if(cycle.audits.begin(), cycle.audits.end(),
                                   [&](const cycle_audit& a) { return a.date >= today; });
    if (next == cycle.audits.end()) return report;
    readiness r{next->kind, next->date, (next->date - today).count(), 100, {}};
    const auto current = std::find_if(report.periods.begin(), report.periods.end(),
                                      [&](const period_status& p) { return p.audit == next->kind; });
    std::size_t due = 0, done = 0;
    if (current != report.periods.end()) {
        for (const occurrence_status& o : current->occurrences) {
            const std::string who = o.activity + " (" + o.owner + ")";
            if (o.state == occurrence_state::upcoming) {
                r.lowering.push_back({"Due " + format_iso_date(o.due) + " before the audit: " + who, o.due,
                                      readiness_rank::due_before_audit, o.ticket_id});
                continue;
            }
            ++due;
            if (o.state == occurrence_state::overdue)
                r.lowering.push_back({"Overdue since " + format_iso_date(o.due + date::days{1}) + ": " + who +
                                          (o.has_ticket ? "" : ", no ticket"),
                                      o.due, readiness_rank::overdue_control, o.ticket_id});
            else
                ++done;
            if (o.state != occurrence_state::overdue && !o.evidence && o.has_ticket)
                r.lowering.push_back({"Closed without evidence: " + o.activity + " due " +
                                          format_iso_date(o.due) + " (" + o.owner + ")",
                                      o.due, readiness_rank::missing_evidence, o.ticket_id});
        }
        for (const cadence_flag& f : current->flags)
            r.lowering.push_back(
                {"Cadence of " + f.activity + ": " + f.message, next->date, readiness_rank::cadence, 0});
    }
    add_tracker_problems(tracker, today, r, due);
    r.percent = due == 0 ? 100 : static_cast<int>(done * 100 / due);
    stable_sort_by(r.lowering, [](const readiness_item& a, const readiness_item& b) {
        return std::pair(a.rank, a.due) < std::pair(b.rank, b.due);
    });
    report.next_audit = std::move(r);
    return report;
}

namespace {

using json = nlohmann::json;

// Reads one list of the snapshot, item by item; a bad item is a problem at its pointer and is skipped.
template <typename Read>
void read_list(const json& snapshot, const char* name, bool required, diagnostics& problems, Read read) {
    const std::string pointer = std::string("/") + name;
    if (!snapshot.contains(name)) {
        if (required) problems.push_back({severity::error, pointer, "is missing: expected a list"});
        return;
    }
    if (!snapshot[name].is_array()) {
        problems.push_back({severity::error, pointer, "expected a list"});
        return;
    }
    const json& list = snapshot[name];
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = pointer + "/" + std::to_string(i);
        if (!list[i].is_object())
            problems.push_back({severity::error, at, "expected an object"});
        else
            read(list[i], at);
    }
}

long long id_at(const json& item, const char* key, const std::string& pointer, bool required,
                diagnostics& problems) {
    if (item.contains(key) && item[key].is_number_integer() && item[key].get<long long>() > 0)
        return item[key].get<long long>();
    if (required || (item.contains(key) && !item[key].is_null()))
        problems.push_back({severity::error, pointer + "/" + key, "expected a ticket number such as 42"});
    return 0;
}

std::string text_at(const json& item, const char* key) {
    return item.contains(key) && item[key].is_string() ? item[key].get<std::string>() : "";
}

json day_json(const std::optional<day_point>& d) {
    return d ? json(format_iso_date(*d)) : json();
}

} // namespace

tracker_snapshot snapshot_from_json(const json& snapshot, diagnostics& problems) {
    tracker_snapshot out;
    if (!snapshot.is_object()) {
        problems.push_back({severity::error, "", "expected {\"tickets\": [...]}"});
        return out;
    }
    read_list(snapshot, "tickets", true, problems, [&](const json& item, const std::string& pointer) {
        if (!item.contains("key") || !item["key"].is_string()) {
            problems.push_back(
                {severity::error, pointer + "/key",
                 "expected the ticket's Upkeep key, such as \"control:access-review:2027-03-31\""});
            return;
        }
        task_record t;
        t.id = id_at(item, "id", pointer, false, problems);
        t.key = item["key"].get<std::string>();
        t.closed = item.value("closed", false);
        t.closed_on = date_at(item, "closed_on", pointer, problems);
        t.done_on = date_at(item, "done_on", pointer, problems);
        t.evidence = item.value("evidence", false);
        for (const json& link : item.value("evidence_links", json::array()))
            if (link.is_string()) t.evidence_links.push_back(link.get<std::string>());
        for (const auto& [key, slot] : {std::pair{"people_in_scope", &t.people_in_scope},
                                        std::pair{"people_completed", &t.people_completed}})
            if (item.contains(key) && item[key].is_number_integer()) *slot = item[key].get<int>();
        out.tasks.push_back(std::move(t));
    });
    read_list(snapshot, "changes", false, problems, [&](const json& item, const std::string& pointer) {
        change_record c;
        c.id = id_at(item, "id", pointer, true, problems);
        c.subject = text_at(item, "subject");
        c.tracker = text_at(item, "tracker");
        c.assignee = text_at(item, "assignee");
        c.closed = item.value("closed", false);
        c.created_on = date_at(item, "created_on", pointer, problems);
        c.closed_on = date_at(item, "closed_on", pointer, problems);
        c.go_live = date_at(item, "go_live", pointer, problems);
        c.assessment = parse_assessment_record(text_at(item, "assessment"));
        c.affects = item.value("affects", false);
        if (c.id) out.changes.push_back(std::move(c));
    });
    read_list(snapshot, "follow_ups", false, problems, [&](const json& item, const std::string& pointer) {
        follow_up_record f;
        f.id = id_at(item, "id", pointer, true, problems);
        f.change_id = id_at(item, "change", pointer, true, problems);
        f.key = text_at(item, "key");
        f.subject = text_at(item, "subject");
        f.assignee = text_at(item, "assignee");
        f.closed = item.value("closed", false);
        f.withdrawn = item.value("withdrawn", false);
        f.due = date_at(item, "due", pointer, problems);
        if (f.id) out.follow_ups.push_back(std::move(f));
    });
    read_list(snapshot, "findings", false, problems, [&](const json& item, const std::string& pointer) {
        finding_record f;
        f.id = id_at(item, "id", pointer, true, problems);
        f.kind = text_at(item, "kind");
        if (f.kind != "nonconformity" && f.kind != "corrective_action" && f.kind != "verification")
            problems.push_back({severity::error, pointer + "/kind",
                                "expected \"nonconformity\", \"corrective_action\" or \"verification\""});
        f.subject = text_at(item, "subject");
        f.closed = item.value("closed", false);
        f.due = date_at(item, "due", pointer, problems);
        f.closed_on = date_at(item, "closed_on", pointer, problems);
        f.source = text_at(item, "source");
        if (item.contains("nonconformity") && item["nonconformity"].is_number_integer())
            f.nonconformity = item["nonconformity"].get<long long>();
        if (f.id) out.findings.push_back(std::move(f));
    });
    read_list(snapshot, "decisions", false, problems, [&](const json& item, const std::string& pointer) {
        decision_record d;
        d.id = id_at(item, "id", pointer, true, problems);
        d.review = id_at(item, "review", pointer, true, problems);
        d.subject = text_at(item, "subject");
        d.assignee = text_at(item, "assignee");
        d.closed = item.value("closed", false);
        d.due = date_at(item, "due", pointer, problems);
        d.closed_on = date_at(item, "closed_on", pointer, problems);
        if (d.id) out.decisions.push_back(std::move(d));
    });
    out.has_incidents = snapshot.contains("incidents");
    read_list(snapshot, "incidents", false, problems, [&](const json& item, const std::string& pointer) {
        incident_record i;
        i.id = id_at(item, "id", pointer, true, problems);
        i.subject = text_at(item, "subject");
        i.severity = text_at(item, "severity");
        i.closed = item.value("closed", false);
        i.occurred = date_at(item, "occurred", pointer, problems);
        i.detected = date_at(item, "detected", pointer, problems);
        i.resolved = date_at(item, "resolved", pointer, problems);
        if (i.id) out.incidents.push_back(std::move(i));
    });
    return out;
}

json snapshot_to_json(const tracker_snapshot& snapshot) {
    json tickets = json::array(), changes = json::array(), follow_ups = json::array(),
         findings = json::array(), decisions = json::array();
    for (const task_record& t : snapshot.tasks)
        tickets.push_back({{"id", t.id ? json(t.id) : json()},
                           {"key", t.key},
                           {"closed", t.closed},
                           {"closed_on", day_json(t.closed_on)},
                           {"done_on", day_json(t.done_on)},
                           {"evidence", t.evidence},
                           {"evidence_links", t.evidence_links},
                           {"people_in_scope", t.people_in_scope ? json(*t.people_in_scope) : json()},
                           {"people_completed", t.people_completed ? json(*t.people_completed) : json()}});
    for (const change_record& c : snapshot.changes)
        changes.push_back(
            {{"id", c.id},
             {"subject", c.subject},
             {"tracker", c.tracker},
             {"assignee", c.assignee},
             {"closed", c.closed},
             {"created_on", day_json(c.created_on)},
             {"closed_on", day_json(c.closed_on)},
             {"go_live", day_json(c.go_live)},
             {"assessment", c.assessment ? json(format_assessment_record(*c.assessment)) : json()},
             {"affects", c.affects}});
    for (const follow_up_record& f : snapshot.follow_ups)
        follow_ups.push_back({{"id", f.id},
                              {"change", f.change_id},
                              {"key", f.key},
                              {"subject", f.subject},
                              {"assignee", f.assignee},
                              {"closed", f.closed},
                              {"withdrawn", f.withdrawn},
                              {"due", day_json(f.due)}});
    for (const finding_record& f : snapshot.findings)
        findings.push_back({{"id", f.id},
                            {"kind", f.kind},
                            {"subject", f.subject},
                            {"closed", f.closed},
                            {"due", day_json(f.due)},
                            {"closed_on", day_json(f.closed_on)},
                            {"source", f.source},
                            {"nonconformity", f.nonconformity ? json(f.nonconformity) : json()}});
    for (const decision_record& d : snapshot.decisions)
        decisions.push_back({{"id", d.id},
                             {"review", d.review},
                             {"subject", d.subject},
                             {"assignee", d.assignee},
                             {"closed", d.closed},
                             {"due", day_json(d.due)},
                             {"closed_on", day_json(d.closed_on)}});
    json out{{"tickets", tickets},
             {"changes", changes},
             {"follow_ups", follow_ups},
             {"findings", findings},
             {"decisions", decisions}};
    if (snapshot.has_incidents) {
        json& incidents = out["incidents"] = json::array();
        for (const incident_record& i : snapshot.incidents)
            incidents.push_back({{"id", i.id},
                                 {"subject", i.subject},
                                 {"severity", i.severity},
                                 {"closed", i.closed},
                                 {"occurred", day_json(i.occurred)},
                                 {"detected", day_json(i.detected)},
                                 {"resolved", day_json(i.resolved)}});
    }
    return out;
}

nlohmann::json status_to_json(const status_report& report, const status_json_options& options) {
    // Built in place, field by field: thousands of occurrences are never copied (and the wasm code stays
    // small).
    using json = nlohmann::json;
    const auto rate_json = [](json& out, const on_time_rate& r) {
        out["on_time"] = r.on_time;
        out["due"] = r.due;
        out["rate"] = share(r);
    };
    const auto day = [](const std::optional<day_point>& d) { return d ? json(format_iso_date(*d)) : json(); };
    json out = json::object();
    json& periods = out["periods"] = json::array();
    for (const period_status& p : report.periods) {
        json& period = periods.emplace_back(json::object());
        period["audit"] = audit_key(p.audit);
        period["from"] = format_iso_date(p.from);
        period["to"] = format_iso_date(p.to);
        rate_json(period["overall"], p.overall);
        json& by_activity = period["by_activity"] = json::object();
        for (const auto& [k, r] : p.by_activity)
            rate_json(by_activity[k], r);
        json& by_owner = period["by_owner"] = json::object();
        for (const auto& [k, r] : p.by_owner)
            rate_json(by_owner[k], r);
        json& flags = period["flags"] = json::array();
        for (const cadence_flag& f : p.flags) {
            json& flag = flags.emplace_back(json::object());
            flag["activity"] = f.activity;
            flag["message"] = f.message;
        }
        // The next audit's period, or the last one once no audit is ahead.
        const bool listed =
            !options.next_period_only ||
            (report.next_audit ? report.next_audit->audit == p.audit : &p == &report.periods.back());
        if (options.timeline) {
            json rows = json::object(); // by activity id (a JSON object is ordered by key)
            for (const occurrence_status& o : p.occurrences) {
                if (!listed) break;
                json& row = rows[o.activity];
                if (row.is_null())
                    row = {{"activity", o.activity}, {"owner", o.owner}, {"marks", json::array()}};
                row["marks"].push_back({format_iso_date(o.due), to_string(o.state), day(o.done_on),
                                        o.evidence, o.ticket_id ? json(o.ticket_id) : json()});
            }
            json& timeline = period["timeline"] = json::array();
            for (json& row : rows)
                timeline.push_back(std::move(row));
            continue;
        }
        json& occurrences = period["occurrences"] = json::array();
        if (listed) occurrences.get_ref<json::array_t&>().reserve(p.occurrences.size());
        for (const occurrence_status& o : p.occurrences) {
            if (!listed) break;
            json& item = occurrences.emplace_back(json::object());
            item["activity"] = o.activity;
            item["owner"] = o.owner;
            item["due"] = format_iso_date(o.due);
            item["state"] = to_string(o.state);
            item["done_on"] = day(o.done_on);
            item["evidence"] = o.evidence;
            item["ticket"] = o.has_ticket;
            item["ticket_id"] = o.ticket_id ? json(o.ticket_id) : json();
        }
    }
    if (report.next_audit) {
        const readiness& r = *report.next_audit;
        json& next = out["next_audit"] = json::object();
        next["audit"] = audit_key(r.audit);
        next["date"] = format_iso_date(r.date);
        next["days_left"] = r.days_left;
        next["readiness_percent"] = r.percent;
        next["lowering_total"] = r.lowering.size();
        json& lowering = next["lowering"] = json::array();
        for (const readiness_item& i : r.lowering) {
            if (lowering.size() == options.lowering_limit) break;
            json& item = lowering.emplace_back(json::object());
            item["what"] = i.what;
            item["due"] = format_iso_date(i.due);
            item["ticket_id"] = i.ticket_id ? json(i.ticket_id) : json();
        }
    }
    return out;
}

namespace {

struct register_row {
    std::vector<std::string> cells;
};

std::vector<register_row> register_rows(const period_status& period, const isms_configuration& config,
                                        const std::string& ticket_url) {
    std::map<std::string, const activity*> activities;
    for (const activity& a : config.activities)
        activities.emplace(a.id, &a);
    const auto date = [](const std::optional<day_point>& d) {
        return d ? format_iso_date(*d) : std::string();
    };
    std::vector<register_row> rows;
    for (const occurrence_status& o : period.occurrences) {
        const activity* a = activities.count(o.activity) ? activities.at(o.activity) : nullptr;
        std::string references;
        if (a)
            for (const auto& r : a->references)
                references += (references.empty() ? "" : " ") + r;
        std::string links; // URLs hold no spaces
        for (const std::string& link : o.evidence_links)
            links += (links.empty() ? "" : " ") + link;
        rows.push_back(
            {{o.activity, a ? a->title : "", references, o.owner, format_iso_date(o.due), date(o.done_on),
              date(o.closed_on), o.evidence ? "yes" : "no", links, std::string(to_string(o.state)),
              o.ticket_id ? ticket_url + std::to_string(o.ticket_id) : std::string()}});
    }
    return rows;
}

constexpr std::array<const char*, 11> register_columns{
    "activity",  "title",    "references",     "owner",  "due",   "done_on",
    "closed_on", "evidence", "evidence_links", "result", "ticket"};

std::string csv_cell(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (const char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

std::string evidence_register_csv(const period_status& period, const isms_configuration& config,
                                  const std::string& ticket_url) {
    std::string out;
    for (std::size_t i = 0; i < register_columns.size(); ++i)
        out += (i ? "," : "") + std::string(register_columns[i]);
    out += "\r\n";
    for (const register_row& row : register_rows(period, config, ticket_url)) {
        for (std::size_t i = 0; i < row.cells.size(); ++i)
            out += (i ? "," : "") + csv_cell(row.cells[i]);
        out += "\r\n";
    }
    return out;
}

nlohmann::json evidence_register_json(const period_status& period, const isms_configuration& config,
                                      const std::string& ticket_url) {
    nlohmann::json rows = nlohmann::json::array();
    for (const register_row& row : register_rows(period, config, ticket_url)) {
        nlohmann::json item = nlohmann::json::object();
        for (std::size_t i = 0; i < row.cells.size(); ++i)
            item[register_columns[i]] = row.cells[i];
        rows.push_back(std::move(item));
    }
    return {{"audit", audit_key(period.audit)},
            {"from", format_iso_date(period.from)},
            {"to", format_iso_date(period.to)},
            {"occurrences", rows}};
}

} // namespace upkeep
