#include "upkeep/status_json.hpp"
#include "upkeep/json_value.hpp"

#include <nlohmann/json.hpp>

namespace upkeep {
namespace {

using json = nlohmann::json;

json day_json(const std::optional<day_point>& d) {
    return d ? json(format_iso_date(*d)) : json();
}

void rate_json(json& out, const on_time_rate& r) {
    out["on_time"] = r.on_time;
    out["due"] = r.due;
    const auto share = r.share();
    out["rate"] = share ? json(*share) : json();
    out["text"] = format_rate(r);
}

void items_json(json& out, const char* name, const std::vector<readiness_item>& items, std::size_t limit) {
    json& list = out[name] = json::array();
    for (const readiness_item& i : items) {
        if (list.size() == limit) break;
        json& item = list.emplace_back(json::object());
        item["rank"] = i.rank;
        item["kind"] = to_string(i.kind);
        item["what"] = i.what;
        item["date"] = format_iso_date(i.date);
        item["days_late"] = i.days_late;
        item["activity"] = i.activity.empty() ? json() : json(i.activity);
        item["activity_title"] = i.activity.empty() ? json() : json(i.activity_title);
        item["owner"] = i.owner;
        item["ticket_id"] = i.ticket_id ? json(i.ticket_id) : json();
        item["key_activity"] = i.key_activity;
    }
    out[std::string(name) + "_total"] = items.size();
}

} // namespace

json status_to_json(const status_report& report, const status_json_options& options) {
    // Built in place, field by field: thousands of occurrences are never copied (and the wasm code stays
    // small).
    json out = json::object();
    out["as_of"] = format_iso_date(report.today);
    json& labels = out["state_labels"] = json::object();
    for (const auto state :
         {occurrence_state::on_time, occurrence_state::late, occurrence_state::done_undated,
          occurrence_state::overdue, occurrence_state::missed, occurrence_state::upcoming})
        labels[std::string(to_string(state))] = label(state);
    json& periods = out["periods"] = json::array();
    for (const period_status& p : report.periods) {
        json& period = periods.emplace_back(json::object());
        period["audit"] = audit_key(p.audit);
        period["title"] = audit_title(p.audit);
        period["from"] = format_iso_date(p.from);
        period["to"] = format_iso_date(p.to);
        period["ended"] = p.ended;
        rate_json(period["overall"], p.overall);
        json& by_activity = period["by_activity"] = json::object();
        for (const auto& [k, r] : p.by_activity)
            rate_json(by_activity[k], r);
        json& by_owner = period["by_owner"] = json::object();
        for (const auto& [k, r] : p.by_owner)
            rate_json(by_owner[k], r);
        json& by_month = period["by_month"] = json::object();
        for (const auto& [k, r] : p.by_month)
            rate_json(by_month[k], r);
        json& flags = period["flags"] = json::array();
        for (const cadence_flag& f : p.flags) {
            json& flag = flags.emplace_back(json::object());
            flag["kind"] = to_string(f.kind);
            flag["activity"] = f.activity;
            flag["message"] = f.message;
            if (f.kind == cadence_flag_kind::burst) {
                flag["completions"] = f.completions;
                flag["in_window"] = f.in_window;
            } else {
                flag["from"] = format_iso_date(f.from);
                flag["to"] = format_iso_date(f.to);
                flag["days"] = f.days;
                flag["allowed"] = f.allowed;
            }
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
                    row = json_object({{"activity", o.activity},
                                       {"title", o.title},
                                       {"owner", o.owner},
                                       {"marks", json::array()}});
                row["marks"].push_back({format_iso_date(o.due), to_string(o.state), day_json(o.done_on),
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
            item["title"] = o.title;
            item["owner"] = o.owner;
            item["due"] = format_iso_date(o.due);
            item["state"] = to_string(o.state);
            item["counted"] = o.counted;
            item["done_on"] = day_json(o.done_on);
            item["closed_on"] = day_json(o.closed_on);
            item["evidence"] = o.evidence;
            item["ticket"] = o.has_ticket;
            item["ticket_id"] = o.ticket_id ? json(o.ticket_id) : json();
            item["in_configuration"] = o.in_configuration;
            item["renewal"] = o.renewal;
            item["valid_until"] = day_json(o.valid_until);
        }
    }
    if (report.next_audit) {
        const readiness& r = *report.next_audit;
        json& next = out["next_audit"] = json::object();
        next["audit"] = audit_key(r.audit);
        next["title"] = audit_title(r.audit);
        next["date"] = format_iso_date(r.date);
        next["days_left"] = r.days_left;
        const auto percent = r.percent();
        next["readiness"] = json_object({{"done", r.done},
                                         {"counted", r.counted},
                                         {"percent", percent ? json(*percent) : json()},
                                         {"text", format_readiness(r)}});
        if (r.work)
            next["work_left"] = json_object({{"from", format_iso_date(r.work->from)},
                                             {"total", r.work->total},
                                             {"planned", r.work->planned},
                                             {"left", r.work->left}});
        else
            next["work_left"] = nullptr;
        items_json(next, "fix_first", r.fix_first, options.list_limit);
        items_json(next, "to_watch", r.to_watch, options.list_limit);
    }
    json& expiring = out["expiring_evidence"] = json::array();
    for (const expiring_evidence& e : report.expiring) {
        json& item = expiring.emplace_back(json::object());
        item["activity"] = e.activity;
        item["title"] = e.title;
        item["owner"] = e.owner;
        item["ticket_id"] = e.ticket_id ? json(e.ticket_id) : json();
        item["valid_until"] = format_iso_date(e.valid_until);
        item["days_left"] = e.days_left;
        item["expired"] = e.expired();
        item["text"] = e.words;
    }
    json& problems = out["ticket_problems"] = json::array();
    for (const ticket_problem& p : report.ticket_problems)
        problems.push_back(
            json_object({{"kind", to_string(p.kind)},
                         {"ticket_id", p.ticket_id ? json(p.ticket_id) : json()},
                         {"key", p.key},
                         {"closed", p.closed},
                         {"counted_ticket", p.counted_ticket ? json(p.counted_ticket) : json()},
                         {"message", p.message}}));
    return out;
}

} // namespace upkeep
