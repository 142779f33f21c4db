// Metrics of the ISMS.
//
// Design note. Every KPI is computed per started audit period, so each has a trend. A share counts only
// what could be judged by today: a deadline that has passed (before today), as for the on-time rates, so
// work done early is neither a success nor a miss until its day has come; when nothing could be judged,
// the value is empty and says why, so a quiet period never shows as 0% or 100%. Recurring controls are
// counted by calendar occurrence (the closure's occurrences), never by ticket, so a leftover or
// duplicate ticket never counts twice. Data a value needed and did not find (a training completed
// without its counts, or never held) is named with its ticket, never dropped. Incidents are counted by
// the day they occurred (else the day they were detected). Dates are calendar days: times to detect and
// to resolve are in days.

#include "upkeep/metrics.hpp"
#include "upkeep/json_value.hpp"

#include "wording.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace upkeep {
namespace {

bool in_period(const kpi_value& p, const std::optional<day_point>& day) {
    return day && *day >= p.from && *day < p.to;
}

void share(kpi_value& v, std::size_t met, std::size_t total, std::string why_none) {
    v.numerator = met;
    v.denominator = total;
    if (total == 0)
        v.why = std::move(why_none);
    else
        v.value = static_cast<double>(met) / static_cast<double>(total);
}

using detail::count_of;

} // namespace

std::string format_kpi_value(const kpi& k, const kpi_value& v) {
    std::string out;
    if (!v.value) {
        out = "n/a (" + v.why + ")";
    } else if (k.unit == "share") {
        out = detail::percent_of(v.numerator, v.denominator);
    } else if (k.unit == "days") {
        const long tenths = std::lround(std::abs(*v.value) * 10);
        out = (*v.value < 0 ? "-" : "") + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) +
              " days";
    } else {
        out = std::to_string(static_cast<long>(*v.value)) + (v.detail.empty() ? "" : " (" + v.detail + ")");
    }
    if (!v.missing.empty()) {
        out += "; no figures for " +
               count_of(static_cast<long long>(v.missing.size()), "occurrence", "occurrences") + ":";
        for (std::size_t i = 0; i < v.missing.size(); ++i)
            out += (i ? ";" : "") + std::string(" ") + v.missing[i].ticket + " due " +
                   format_iso_date(v.missing[i].due) + " " + v.missing[i].why;
    }
    return out;
}

namespace {

// What every KPI's function reads for one period.
struct kpi_inputs {
    const isms_configuration& config;
    const period_status& period;
    const tracker_snapshot& tracker;
    day_point today;
    bool latest = false; // the latest started period (where undated incidents are named)
};

// "#42", or "no ticket".
std::string named(const kpi_inputs& in, long long ticket_id) {
    return ticket_id ? in.tracker.references.of(ticket_id) : "no ticket";
}

void controls_on_time(kpi_value& v, const kpi_inputs& in) {
    for (const occurrence_status& o : in.period.occurrences)
        if (o.counted && o.state != occurrence_state::on_time && o.ticket_id)
            v.tickets.push_back(o.ticket_id);
    share(v, in.period.overall.on_time, in.period.overall.due,
          "no recurring control fell due in this period yet");
}

// Whether a finding's deadline fell in the period and has passed.
bool judged(const kpi_value& v, const finding_record& f, day_point today) {
    return f.due && in_period(v, f.due) && *f.due < today;
}

void findings_by_deadline(kpi_value& v, const kpi_inputs& in) {
    std::size_t met = 0, counted = 0, no_deadline = 0;
    for (const finding_record& f : in.tracker.findings) {
        if (f.kind == "verification") continue;
        if (!f.due) {
            if (f.closed_on && in_period(v, f.closed_on)) ++no_deadline;
            continue;
        }
        if (!judged(v, f, in.today)) continue;
        ++counted;
        if (f.closed && f.closed_on && *f.closed_on <= *f.due) ++met;
        v.tickets.push_back(f.id);
    }
    share(v, met, counted, "no nonconformity or corrective action had a deadline that passed in this period");
    if (no_deadline)
        v.detail = count_of(static_cast<long long>(no_deadline),
                            "finding closed in the period has no deadline and is",
                            "findings closed in the period have no deadline and are") +
                   " not counted";
}

void corrective_actions_effective(kpi_value& v, const kpi_inputs& in) {
    std::size_t verified = 0, counted = 0;
    for (const finding_record& f : in.tracker.findings) {
        if (f.kind != "verification" || !judged(v, f, in.today)) continue;
        ++counted;
        if (f.closed) ++verified;
        v.tickets.push_back(f.id);
    }
    share(v, verified, counted, "no verification of effectiveness fell due in this period");
}

void changes_assessed(kpi_value& v, const kpi_inputs& in) {
    std::size_t assessed_first = 0, closed = 0;
    for (const change_record& c : in.tracker.changes) {
        if (!c.closed || !in_period(v, c.closed_on)) continue;
        ++closed;
        if (c.assessment && c.assessment->assessed_on <= *c.closed_on)
            ++assessed_first;
        else
            v.tickets.push_back(c.id);
    }
    share(v, assessed_first, closed, "no change ticket was closed in this period");
}

void training_completion(kpi_value& v, const kpi_inputs& in) {
    const auto& training = in.config.metrics.training_activities;
    std::size_t completed = 0, in_scope = 0;
    for (const occurrence_status& o : in.period.occurrences) {
        if (!o.counted || std::find(training.begin(), training.end(), o.activity) == training.end()) continue;
        if (!is_done(o.state)) {
            v.missing.push_back({o.ticket_id, o.due, "not held", named(in, o.ticket_id)});
            continue;
        }
        if (!o.people_in_scope || !o.people_completed) {
            v.missing.push_back({o.ticket_id, o.due,
                                 "completed without the number of people in scope and who completed it",
                                 named(in, o.ticket_id)});
            continue;
        }
        const int scope = std::max(0, *o.people_in_scope);
        const int done = std::max(0, std::min(*o.people_completed, scope));
        in_scope += static_cast<std::size_t>(scope);
        completed += static_cast<std::size_t>(done);
        v.tickets.push_back(o.ticket_id);
        // Each occurrence's own figure: "2027-06-30: 37 of 40".
        v.detail += (v.detail.empty() ? "" : "; ") + format_iso_date(o.due) + ": " + std::to_string(done) +
                    " of " + std::to_string(scope);
    }
    for (const kpi_gap& gap : v.missing)
        if (gap.ticket_id) v.tickets.push_back(gap.ticket_id);
    share(v, completed, in_scope,
          v.missing.empty() ? "no training occurrence fell due in this period yet"
                            : "no training occurrence of this period has figures");
}

// The period's incidents: those that occurred (else were detected) in it.
std::vector<const incident_record*> incidents_of(const kpi_value& v, const kpi_inputs& in) {
    std::vector<const incident_record*> out;
    for (const incident_record& i : in.tracker.incidents)
        if (in_period(v, i.occurred ? i.occurred : i.detected)) out.push_back(&i);
    return out;
}

std::string no_incident_tracker(const kpi_inputs& in) {
    return "the project has no ticket type \"" + in.config.metrics.incident_ticket_type + "\"";
}

void incidents(kpi_value& v, const kpi_inputs& in) {
    if (!in.tracker.has_incidents) {
        v.why = no_incident_tracker(in);
        return;
    }
    std::map<std::string, std::size_t> by_severity;
    for (const incident_record* i : incidents_of(v, in)) {
        ++by_severity[i->severity.empty() ? "unset" : i->severity];
        v.tickets.push_back(i->id);
    }
    v.value = static_cast<double>(v.tickets.size());
    for (const auto& [severity, n] : by_severity)
        v.detail += (v.detail.empty() ? "" : ", ") + severity + " " + std::to_string(n);
    if (!in.latest) return;
    // An incident with neither date: no period can count it; said (with its ticket) in the latest period.
    std::size_t undated = 0;
    for (const incident_record& i : in.tracker.incidents)
        if (!i.occurred && !i.detected) {
            ++undated;
            v.tickets.push_back(i.id);
        }
    if (undated)
        v.detail += (v.detail.empty() ? "" : "; ") +
                    count_of(static_cast<long long>(undated), "incident records", "incidents record") +
                    " neither when it occurred nor when it was detected, so no period counts it";
}

// The mean of to - from, in days, over the period's incidents that record both.
void mean_days(kpi_value& v, const kpi_inputs& in, std::optional<day_point> incident_record::*from,
               std::optional<day_point> incident_record::*to, const char* fields) {
    if (!in.tracker.has_incidents) {
        v.why = no_incident_tracker(in);
        return;
    }
    const auto period = incidents_of(v, in);
    long total = 0;
    for (const incident_record* i : period)
        if (i->*from && i->*to) {
            total += (*(i->*to) - *(i->*from)).count();
            v.tickets.push_back(i->id);
        }
    if (v.tickets.empty()) {
        v.why = period.empty()
                    ? "no incident in this period"
                    : "none of the " +
                          count_of(static_cast<long long>(period.size()), "incident", "incidents") +
                          " records both " + fields;
        return;
    }
    v.value = static_cast<double>(total) / static_cast<double>(v.tickets.size());
    v.numerator = v.tickets.size();
    v.denominator = period.size();
}

void time_to_detect(kpi_value& v, const kpi_inputs& in) {
    mean_days(v, in, &incident_record::occurred, &incident_record::detected,
              "dates it occurred and was detected");
}

void time_to_resolve(kpi_value& v, const kpi_inputs& in) {
    mean_days(v, in, &incident_record::detected, &incident_record::resolved,
              "dates it was detected and resolved");
}

// The KPIs: one row each, its definition and the function that computes one period's value.
struct kpi_row {
    const char* id;
    const char* title;
    const char* unit;
    const char* definition;
    void (*compute)(kpi_value&, const kpi_inputs&);
};

constexpr kpi_row kpi_table[] = {
    {"controls-on-time", "Recurring controls done on time", "share",
     "Occurrences of the maintenance calendar due in the period whose due date has passed (before today) and "
     "whose work was done on or before the due date (the recorded work date, else the closing day), out of "
     "all of "
     "them.",
     controls_on_time},
    {"findings-by-deadline", "Nonconformities and corrective actions closed by their deadline", "share",
     "Nonconformity and corrective-action tickets whose due date fell in the period and has passed (before "
     "today): closed on or before the due date, out of all of them.",
     findings_by_deadline},
    {"corrective-actions-effective", "Corrective actions verified effective", "share",
     "Verification-of-effectiveness tickets due in the period whose due date has passed (before today): "
     "closed "
     "(verified), out of all of them.",
     corrective_actions_effective},
    {"changes-assessed", "Changes assessed before they were closed", "share",
     "Change tickets closed in the period whose ISMS impact assessment (the latest) is dated on or before "
     "the "
     "closing day, out of all changes closed in the period.",
     changes_assessed},
    {"training-completion", "Awareness training completion", "share",
     "For the training activities' occurrences due in the period whose due date has passed: the people who "
     "completed the training, out of the people in scope, as recorded when the training ticket was "
     "completed; "
     "then each occurrence's own figure. An occurrence completed without the counts, or not held, is named "
     "as "
     "missing data.",
     training_completion},
    {"incidents", "Incidents", "count",
     "Incident tickets whose occurrence date (else detection date) falls in the period, by severity; "
     "incidents "
     "with neither date are named in the latest period.",
     incidents},
    {"time-to-detect", "Mean time to detect", "days",
     "Mean of (detected - occurred), in days, over the period's incidents that record both dates.",
     time_to_detect},
    {"time-to-resolve", "Mean time to resolve", "days",
     "Mean of (resolved - detected), in days, over the period's incidents that record both dates.",
     time_to_resolve},
};

} // namespace

std::vector<kpi> compute_kpis(const isms_configuration& config, const status_report& report,
                              const tracker_snapshot& tracker, day_point today) {
    std::vector<kpi> out;
    for (const kpi_row& row : kpi_table) {
        kpi& k = out.emplace_back(kpi{row.id, row.title, row.unit, row.definition, {}});
        for (const period_status& period : report.periods) {
            kpi_value& v = k.periods.emplace_back();
            v.audit = period.audit;
            v.from = period.from;
            v.to = period.to;
            row.compute(v, {config, period, tracker, today, &period == &report.periods.back()});
        }
    }
    return out;
}

nlohmann::json kpis_to_json(const std::vector<kpi>& kpis, std::size_t tickets_limit) {
    using json = nlohmann::json;
    json out = json::array();
    for (const kpi& k : kpis) {
        json& item = out.emplace_back(json::object());
        item["id"] = k.id;
        item["title"] = k.title;
        item["unit"] = k.unit;
        item["definition"] = k.definition;
        json& periods = item["periods"] = json::array();
        for (const kpi_value& v : k.periods) {
            json& p = periods.emplace_back(json::object());
            p["audit"] = audit_key(v.audit);
            p["from"] = format_iso_date(v.from);
            p["to"] = format_iso_date(v.to);
            p["value"] = v.value ? json(*v.value) : json();
            p["numerator"] = v.numerator;
            p["denominator"] = v.denominator;
            p["why"] = v.why;
            p["detail"] = v.detail;
            p["text"] = format_kpi_value(k, v);
            json& missing = p["missing"] = json::array();
            for (const kpi_gap& gap : v.missing)
                missing.push_back(json_object({{"ticket_id", gap.ticket_id ? json(gap.ticket_id) : json()},
                                               {"due", format_iso_date(gap.due)},
                                               {"why", gap.why}}));
            p["tickets_total"] = v.tickets.size();
            json& tickets = p["tickets"] = json::array();
            for (std::size_t i = 0; i < v.tickets.size() && i < tickets_limit; ++i)
                tickets.push_back(v.tickets[i]);
        }
    }
    return out;
}

std::optional<bool> objective_met(const kpi_objective& goal, const kpi& measure, const kpi_value& value) {
    if (!value.value) return std::nullopt;
    if (measure.unit == "share") {
        // numerator / denominator against target / 100, in whole numbers.
        const unsigned long long reached = 100ULL * value.numerator;
        const unsigned long long needed = static_cast<unsigned long long>(goal.target) * value.denominator;
        return goal.at_least ? reached >= needed : reached <= needed;
    }
    return goal.at_least ? *value.value >= goal.target : *value.value <= goal.target;
}

std::string_view objective_word(const std::optional<bool>& met) {
    return !met ? "not measured" : *met ? "met" : "not met";
}

std::vector<objective_status> evaluate_objectives(const isms_configuration& config,
                                                  const std::vector<kpi>& kpis) {
    std::vector<objective_status> out;
    for (const kpi_objective& goal : config.metrics.objectives) {
        const auto measure =
            std::find_if(kpis.begin(), kpis.end(), [&](const kpi& k) { return k.id == goal.kpi; });
        if (measure == kpis.end()) continue; // validated against the catalog, which the KPIs follow
        objective_status& o = out.emplace_back();
        o.goal = &goal;
        o.measure = &*measure;
        o.target = std::string(goal.at_least ? "at least " : "at most ") +
                   (measure->unit == "share"  ? std::to_string(goal.target) + "%"
                    : measure->unit == "days" ? detail::days(goal.target)
                                              : std::to_string(goal.target));
        for (const kpi_value& v : measure->periods)
            o.met.push_back(objective_met(goal, *measure, v));
    }
    return out;
}

nlohmann::json objectives_to_json(const std::vector<objective_status>& objectives) {
    using json = nlohmann::json;
    json out = json::array();
    for (const objective_status& o : objectives) {
        json& item = out.emplace_back(json::object());
        item["objective"] = o.goal->objective;
        item["kpi"] = o.measure->id;
        item["kpi_title"] = o.measure->title;
        item["direction"] = o.goal->at_least ? "at_least" : "at_most";
        item["target"] = o.goal->target;
        item["target_text"] = o.target;
        json& periods = item["periods"] = json::array();
        for (std::size_t i = 0; i < o.met.size(); ++i) {
            const kpi_value& v = o.measure->periods[i];
            periods.push_back(json_object({{"audit", audit_key(v.audit)},
                                           {"value", v.value ? json(*v.value) : json()},
                                           {"text", format_kpi_value(*o.measure, v)},
                                           {"met", o.met[i] ? json(*o.met[i]) : json()},
                                           {"result", objective_word(o.met[i])}}));
        }
    }
    return out;
}

} // namespace upkeep
