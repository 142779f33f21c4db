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

#include "wording.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

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
            out += (i ? ";" : "") + std::string(" ") +
                   (v.missing[i].ticket_id ? "#" + std::to_string(v.missing[i].ticket_id) : "no ticket") +
                   " due " + format_iso_date(v.missing[i].due) + " " + v.missing[i].why;
    }
    return out;
}

std::vector<kpi> compute_kpis(const isms_configuration& config, const status_report& report,
                              const tracker_snapshot& tracker, day_point today) {
    std::vector<kpi> out{
        {"controls-on-time",
         "Recurring controls done on time",
         "share",
         "Occurrences of the maintenance calendar due in the period whose due date has passed (before "
         "today) and whose work was done on or before the due date (the recorded work date, else the closing "
         "day), out of all of them.",
         {}},
        {"findings-by-deadline",
         "Nonconformities and corrective actions closed by their deadline",
         "share",
         "Nonconformity and corrective-action tickets whose due date fell in the period and has passed "
         "(before today): closed on or before the due date, out of all of them.",
         {}},
        {"corrective-actions-effective",
         "Corrective actions verified effective",
         "share",
         "Verification-of-effectiveness tickets due in the period whose due date has passed (before today): "
         "closed (verified), out of all of them.",
         {}},
        {"changes-assessed",
         "Changes assessed before they were closed",
         "share",
         "Change tickets closed in the period whose ISMS impact assessment (the latest) is dated on or "
         "before "
         "the closing day, out of all changes closed in the period.",
         {}},
        {"training-completion",
         "Awareness training completion",
         "share",
         "For the training activities' occurrences due in the period whose due date has passed: the people "
         "who completed the training, out of the people in scope, as recorded when the training ticket was "
         "completed; then each occurrence's own figure. An occurrence completed without the counts, or not "
         "held, is named as missing data.",
         {}},
        {"incidents",
         "Incidents",
         "count",
         "Incident tickets whose occurrence date (else detection date) falls in the period, by severity; "
         "incidents with neither date are named in the latest period.",
         {}},
        {"time-to-detect",
         "Mean time to detect",
         "days",
         "Mean of (detected - occurred), in days, over the period's incidents that record both dates.",
         {}},
        {"time-to-resolve",
         "Mean time to resolve",
         "days",
         "Mean of (resolved - detected), in days, over the period's incidents that record both dates.",
         {}},
    };
    const std::set<std::string> training(config.metrics.training_activities.begin(),
                                         config.metrics.training_activities.end());
    for (const period_status& period : report.periods) {
        const kpi_value base{period.audit, period.from, period.to, std::nullopt, 0, 0, "", {}, ""};
        for (kpi& k : out)
            k.periods.push_back(base);
        const auto value = [&](std::size_t index) -> kpi_value& { return out[index].periods.back(); };

        // Controls on time: the closure figures.
        kpi_value& controls = value(0);
        for (const occurrence_status& o : period.occurrences)
            if (o.counted && o.state != occurrence_state::on_time && o.ticket_id)
                controls.tickets.push_back(o.ticket_id);
        share(controls, period.overall.on_time, period.overall.due,
              "no recurring control fell due in this period yet");

        // Findings by deadline, and verifications.
        std::size_t met = 0, judged = 0, no_deadline = 0, verified = 0, verifications = 0;
        for (const finding_record& f : tracker.findings) {
            const bool verification = f.kind == "verification";
            if (!f.due) {
                if (!verification && f.closed_on && in_period(value(1), f.closed_on)) ++no_deadline;
                continue;
            }
            if (!in_period(value(1), f.due) || *f.due >= today) continue;
            if (verification) {
                ++verifications;
                if (f.closed) ++verified;
                value(2).tickets.push_back(f.id);
                continue;
            }
            ++judged;
            const bool on_time = f.closed && f.closed_on && *f.closed_on <= *f.due;
            if (on_time) ++met;
            value(1).tickets.push_back(f.id);
        }
        share(value(1), met, judged,
              "no nonconformity or corrective action had a deadline that passed in this period");
        if (no_deadline)
            value(1).detail = count_of(static_cast<long long>(no_deadline),
                                       "finding closed in the period has no deadline and is",
                                       "findings closed in the period have no deadline and are") +
                              " not counted";
        share(value(2), verified, verifications, "no verification of effectiveness fell due in this period");

        // Changes assessed before closing.
        std::size_t assessed_first = 0, closed_changes = 0;
        for (const change_record& c : tracker.changes) {
            if (!c.closed || !in_period(value(3), c.closed_on)) continue;
            ++closed_changes;
            if (c.assessment && c.assessment->assessed_on <= *c.closed_on)
                ++assessed_first;
            else
                value(3).tickets.push_back(c.id);
        }
        share(value(3), assessed_first, closed_changes, "no change ticket was closed in this period");

        // Training completion, by occurrence.
        std::size_t completed = 0, in_scope = 0;
        kpi_value& training_value = value(4);
        for (const occurrence_status& o : period.occurrences) {
            if (!training.count(o.activity) || !o.counted) continue;
            if (!is_done(o.state)) {
                training_value.missing.push_back({o.ticket_id, o.due, "not held"});
                continue;
            }
            if (!o.people_in_scope || !o.people_completed) {
                training_value.missing.push_back(
                    {o.ticket_id, o.due,
                     "completed without the number of people in scope and who completed it"});
                continue;
            }
            const int scope = std::max(0, *o.people_in_scope);
            const int done = std::max(0, std::min(*o.people_completed, scope));
            in_scope += static_cast<std::size_t>(scope);
            completed += static_cast<std::size_t>(done);
            training_value.tickets.push_back(o.ticket_id);
            // Each occurrence's own figure: "2027-06-30: 37 of 40".
            training_value.detail += (training_value.detail.empty() ? "" : "; ") + format_iso_date(o.due) +
                                     ": " + std::to_string(done) + " of " + std::to_string(scope);
        }
        for (const kpi_gap& gap : training_value.missing)
            if (gap.ticket_id) training_value.tickets.push_back(gap.ticket_id);
        share(training_value, completed, in_scope,
              training_value.missing.empty() ? "no training occurrence fell due in this period yet"
                                             : "no training occurrence of this period has figures");

        // Incidents.
        if (!tracker.has_incidents) {
            for (const std::size_t i : {5, 6, 7})
                value(i).why =
                    "the project has no ticket type \"" + config.metrics.incident_ticket_type + "\"";
            continue;
        }
        std::map<std::string, std::size_t> by_severity;
        long detect_days = 0, resolve_days = 0;
        std::size_t detect_n = 0, resolve_n = 0, count = 0;
        std::size_t undated = 0;
        for (const incident_record& i : tracker.incidents) {
            if (!i.occurred && !i.detected && &period == &report.periods.back()) {
                // No period can count it: said (with the tickets) where people look, the latest period.
                ++undated;
                value(5).tickets.push_back(i.id);
            }
            if (!in_period(value(5), i.occurred ? i.occurred : i.detected)) continue;
            ++count;
            ++by_severity[i.severity.empty() ? "unset" : i.severity];
            value(5).tickets.push_back(i.id);
            if (i.occurred && i.detected) {
                detect_days += (*i.detected - *i.occurred).count();
                ++detect_n;
                value(6).tickets.push_back(i.id);
            }
            if (i.detected && i.resolved) {
                resolve_days += (*i.resolved - *i.detected).count();
                ++resolve_n;
                value(7).tickets.push_back(i.id);
            }
        }
        value(5).value = static_cast<double>(count);
        for (const auto& [severity, n] : by_severity)
            value(5).detail += (value(5).detail.empty() ? "" : ", ") + severity + " " + std::to_string(n);
        if (undated)
            value(5).detail +=
                (value(5).detail.empty() ? "" : "; ") +
                count_of(static_cast<long long>(undated), "incident records", "incidents record") +
                " neither when it occurred nor when it was detected, so no period counts it";
        const auto mean = [&](kpi_value& v, long total, std::size_t n, const char* fields) {
            if (n) {
                v.value = static_cast<double>(total) / static_cast<double>(n);
                v.numerator = n;
                v.denominator = count;
            } else {
                v.why = count ? "none of the " +
                                    count_of(static_cast<long long>(count), "incident", "incidents") +
                                    " records both " + fields
                              : "no incident in this period";
            }
        };
        mean(value(6), detect_days, detect_n, "dates it occurred and was detected");
        mean(value(7), resolve_days, resolve_n, "dates it was detected and resolved");
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
                missing.push_back({{"ticket_id", gap.ticket_id ? json(gap.ticket_id) : json()},
                                   {"due", format_iso_date(gap.due)},
                                   {"why", gap.why}});
            p["tickets_total"] = v.tickets.size();
            json& tickets = p["tickets"] = json::array();
            for (std::size_t i = 0; i < v.tickets.size() && i < tickets_limit; ++i)
                tickets.push_back(v.tickets[i]);
        }
    }
    return out;
}

} // namespace upkeep
