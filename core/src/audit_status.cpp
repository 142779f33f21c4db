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

#include "upkeep/sync_plan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

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

void flag_cadence(const activity& a, const period_status& period, day_point today,
                  std::vector<cadence_flag>& flags) {
    std::vector<day_point> dues, done;
    for (const occurrence_status& o : period.occurrences) {
        if (o.activity != a.id) continue;
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
    std::map<std::string, const task_record*> by_key;
    for (const task_record& t : tasks)
        by_key.emplace(t.key, &t);
    status_report report;
    for (const cycle_audit& audit : cycle.audits) {
        if (audit.period_start > today) break;
        period_status period{audit.kind, audit.period_start, audit.date, {}, {}, {}, {}, {}};
        for (const activity& a : config.activities) {
            for (const day_point due : between(a.cadence.dates, period.from, period.to, true)) {
                if (due == period.to) continue; // the period ends before the audit day
                occurrence_status o{a.id,         a.owner,      due,   occurrence_state::upcoming,
                                    std::nullopt, std::nullopt, false, false};
                const auto it = by_key.find(control_key(a, due));
                if (it != by_key.end()) {
                    const task_record& t = *it->second;
                    o.has_ticket = true;
                    o.evidence = t.evidence;
                    if (t.closed) o.done_on = t.done_on ? t.done_on : t.closed_on;
                    if (t.closed) o.closed_on = t.closed_on;
                }
                const bool closed = o.has_ticket && it->second->closed;
                if (o.done_on)
                    o.state = *o.done_on <= due ? occurrence_state::on_time : occurrence_state::late;
                else if (closed)
                    o.state = occurrence_state::on_time; // closed with no date at all: trust it
                else if (due < today)
                    o.state = occurrence_state::overdue;
                period.occurrences.push_back(std::move(o));
            }
        }
        std::stable_sort(
            period.occurrences.begin(), period.occurrences.end(),
            [](const occurrence_status& l, const occurrence_status& r) { return l.due < r.due; });
        for (const occurrence_status& o : period.occurrences) {
            count(period.overall, o);
            count(period.by_activity[o.activity], o);
            count(period.by_owner[o.owner], o);
        }
        for (const activity& a : config.activities)
            flag_cadence(a, period, today, period.flags);
        report.periods.push_back(std::move(period));
    }

    const auto next = std::find_if(cycle.audits.begin(), cycle.audits.end(),
                                   [&](const cycle_audit& a) { return a.date >= today; });
    if (next == cycle.audits.end()) return report;
    readiness r{next->kind, next->date, (next->date - today).count(), 100, {}};
    const auto current = std::find_if(report.periods.begin(), report.periods.end(),
                                      [&](const period_status& p) { return p.audit == next->kind; });
    if (current != report.periods.end()) {
        std::size_t due = 0, done = 0;
        for (const occurrence_status& o : current->occurrences) {
            if (o.state == occurrence_state::upcoming) {
                r.lowering.push_back({"Due " + format_iso_date(o.due) + " before the audit: " + o.activity +
                                          " (" + o.owner + ")",
                                      o.due});
                continue;
            }
            ++due;
            if (o.state == occurrence_state::overdue)
                r.lowering.push_back({"Overdue since " + format_iso_date(o.due + date::days{1}) + ": " +
                                          o.activity + " (" + o.owner + ")" +
                                          (o.has_ticket ? "" : ", no ticket"),
                                      o.due});
            else
                ++done;
            if (o.state != occurrence_state::overdue && !o.evidence && o.has_ticket)
                r.lowering.push_back({"Closed without evidence: " + o.activity + " due " +
                                          format_iso_date(o.due) + " (" + o.owner + ")",
                                      o.due});
        }
        r.percent = due == 0 ? 100 : static_cast<int>(done * 100 / due);
        // What to do first: overdue oldest first, then missing evidence, then what falls due before the
        // audit.
        const auto rank = [](const readiness_item& i) {
            return i.what.starts_with("Overdue") ? 0 : i.what.starts_with("Closed") ? 1 : 2;
        };
        std::stable_sort(r.lowering.begin(), r.lowering.end(),
                         [&](const readiness_item& a, const readiness_item& b) {
                             return std::pair(rank(a), a.due) < std::pair(rank(b), b.due);
                         });
        for (const cadence_flag& f : current->flags)
            r.lowering.push_back({"Cadence of " + f.activity + ": " + f.message, next->date});
    }
    report.next_audit = std::move(r);
    return report;
}

std::vector<task_record> tasks_from_snapshot(const nlohmann::json& snapshot, diagnostics& problems) {
    std::vector<task_record> out;
    if (!snapshot.is_object() || !snapshot.contains("tickets") || !snapshot["tickets"].is_array()) {
        problems.push_back({severity::error, "/tickets", "expected {\"tickets\": [...]}"});
        return out;
    }
    const nlohmann::json& list = snapshot["tickets"];
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string pointer = "/tickets/" + std::to_string(i);
        const nlohmann::json& item = list[i];
        if (!item.is_object() || !item.contains("key") || !item["key"].is_string()) {
            problems.push_back(
                {severity::error, pointer + "/key",
                 "expected the ticket's Upkeep key, such as \"control:access-review:2027-03-31\""});
            continue;
        }
        task_record t;
        t.key = item["key"].get<std::string>();
        t.closed = item.value("closed", false);
        t.closed_on = date_at(item, "closed_on", pointer, problems);
        t.done_on = date_at(item, "done_on", pointer, problems);
        t.evidence = item.value("evidence", false);
        out.push_back(std::move(t));
    }
    return out;
}

nlohmann::json snapshot_to_json(const std::vector<task_record>& tasks) {
    const auto date = [](const std::optional<day_point>& d) {
        return d ? nlohmann::json(format_iso_date(*d)) : nlohmann::json();
    };
    nlohmann::json list = nlohmann::json::array();
    for (const task_record& t : tasks)
        list.push_back({{"key", t.key},
                        {"closed", t.closed},
                        {"closed_on", date(t.closed_on)},
                        {"done_on", date(t.done_on)},
                        {"evidence", t.evidence}});
    return {{"tickets", list}};
}

nlohmann::json status_to_json(const status_report& report) {
    using json = nlohmann::json;
    const auto rate_json = [](const on_time_rate& r) {
        return json{{"on_time", r.on_time}, {"due", r.due}, {"rate", share(r)}};
    };
    json periods = json::array();
    for (const period_status& p : report.periods) {
        json occurrences = json::array();
        for (const occurrence_status& o : p.occurrences)
            occurrences.push_back({{"activity", o.activity},
                                   {"owner", o.owner},
                                   {"due", format_iso_date(o.due)},
                                   {"state", to_string(o.state)},
                                   {"done_on", o.done_on ? json(format_iso_date(*o.done_on)) : json()},
                                   {"evidence", o.evidence},
                                   {"ticket", o.has_ticket}});
        json by_activity = json::object(), by_owner = json::object(), flags = json::array();
        for (const auto& [k, r] : p.by_activity)
            by_activity[k] = rate_json(r);
        for (const auto& [k, r] : p.by_owner)
            by_owner[k] = rate_json(r);
        for (const cadence_flag& f : p.flags)
            flags.push_back({{"activity", f.activity}, {"message", f.message}});
        periods.push_back({{"audit", audit_key(p.audit)},
                           {"from", format_iso_date(p.from)},
                           {"to", format_iso_date(p.to)},
                           {"overall", rate_json(p.overall)},
                           {"by_activity", by_activity},
                           {"by_owner", by_owner},
                           {"flags", flags},
                           {"occurrences", occurrences}});
    }
    json out{{"periods", periods}};
    if (report.next_audit) {
        const readiness& r = *report.next_audit;
        json lowering = json::array();
        for (const readiness_item& i : r.lowering)
            lowering.push_back(i.what);
        out["next_audit"] = {{"audit", audit_key(r.audit)},
                             {"date", format_iso_date(r.date)},
                             {"days_left", r.days_left},
                             {"readiness_percent", r.percent},
                             {"lowering", lowering}};
    }
    return out;
}

namespace {

struct register_row {
    std::vector<std::string> cells;
};

std::vector<register_row> register_rows(const period_status& period, const isms_configuration& config) {
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
        rows.push_back(
            {{o.activity, a ? a->title : "", references, o.owner, format_iso_date(o.due), date(o.done_on),
              date(o.closed_on), o.evidence ? "yes" : "no", std::string(to_string(o.state))}});
    }
    return rows;
}

constexpr std::array<const char*, 9> register_columns{"activity", "title",     "references", "owner", "due",
                                                      "done_on",  "closed_on", "evidence",   "result"};

std::string csv_cell(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (const char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

std::string evidence_register_csv(const period_status& period, const isms_configuration& config) {
    std::string out;
    for (std::size_t i = 0; i < register_columns.size(); ++i)
        out += (i ? "," : "") + std::string(register_columns[i]);
    out += "\r\n";
    for (const register_row& row : register_rows(period, config)) {
        for (std::size_t i = 0; i < row.cells.size(); ++i)
            out += (i ? "," : "") + csv_cell(row.cells[i]);
        out += "\r\n";
    }
    return out;
}

nlohmann::json evidence_register_json(const period_status& period, const isms_configuration& config) {
    nlohmann::json rows = nlohmann::json::array();
    for (const register_row& row : register_rows(period, config)) {
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
