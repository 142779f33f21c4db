// The Statement of Applicability: reading /soa, its drift, its exports.
//
// Design note. The SoA names no activities: a control's activities are those whose references name it
// (operating_activities), so adding a reference to an activity is all it takes to say what keeps a control
// alive, and the SoA cannot list an activity that does not exist. Drift is read off the status report that
// the panel and `upkeep status` already compute, so it uses the same states and the same period: an
// applicable control is behind when one of its activities has overdue or missed occurrences in the latest
// period. The "last scope change" is the latest assessment of a change whose follow-ups include one whose
// rule references the scope (4.3) or the SoA (6.1.3); an exclusion reviewed before that day is drift.

#include "upkeep/soa.hpp"

#include "csv.hpp"
#include "json_reader.hpp"
#include "soa_section.hpp"
#include "wording.hpp"

#include "upkeep/json_value.hpp"
#include "upkeep/ticket_key.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace upkeep {
namespace {

using json = nlohmann::json;
using detail::join;
using detail::object_reader;
using detail::type_name;

constexpr std::array<std::string_view, 4> reason_keys{"risk_treatment", "legal", "contractual",
                                                      "business_need"};
constexpr std::array<std::string_view, 4> status_keys{"implemented", "partly", "planned", "not_implemented"};

template <typename Enum, std::size_t N>
std::optional<Enum> from_key(const std::array<std::string_view, N>& keys, std::string_view key) {
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) return std::nullopt;
    return static_cast<Enum>(it - keys.begin());
}

template <std::size_t N> std::string key_list(const std::array<std::string_view, N>& keys) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i)
        out += (i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(keys[i]);
    return out;
}

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

soa_control read_control(const json& value, const std::string& pointer, diagnostics& problems) {
    soa_control c;
    object_reader reader(value, pointer, problems);
    if (auto s = reader.text("id", true, false)) c.id = *s;
    if (auto s = reader.text("title", true, false)) c.title = *s;
    const auto applicable = reader.boolean("applicable", true);
    if (applicable) c.applicable = *applicable;
    if (const json* reasons = reader.field("reasons", json::value_t::array, false,
                                           "a list of reasons: " + key_list(reason_keys))) {
        for (std::size_t i = 0; i < reasons->size(); ++i) {
            const json& r = (*reasons)[i];
            const auto reason =
                r.is_string() ? from_key<inclusion_reason>(reason_keys, r.get<std::string>()) : std::nullopt;
            if (reason)
                c.reasons.push_back(*reason);
            else
                reader.error(reader.at("reasons") + "/" + std::to_string(i),
                             "expected one of " + key_list(reason_keys) + ", found " + r.dump());
        }
    }
    if (auto s = reader.text("justification", false)) c.justification = *s;
    const auto status = reader.text("status", applicable.value_or(false));
    if (status) {
        if (const auto known = from_key<implementation_status>(status_keys, *status))
            c.status = *known;
        else
            reader.error(reader.at("status"),
                         "\"" + *status + "\" is not a status: use " + key_list(status_keys));
    }
    c.planned_for = reader.date("planned_for", false);
    if (auto owner = reader.text("owner", true)) {
        if (!is_owner(*owner))
            reader.error(reader.at("owner"), "\"" + *owner + "\" is not a tracker login or group");
        c.owner = *owner;
    }
    if (auto s = reader.text("operation", false)) c.operation = *s;
    c.reviewed_on = reader.date("reviewed_on", false);
    reader.finish();

    if (!applicable) return c; // what else it needs depends on it
    if (c.applicable) {
        if (c.reasons.empty() && !reader.has("reasons"))
            reader.error(pointer,
                         "an applicable control needs \"reasons\": at least one of " + key_list(reason_keys));
        else if (c.reasons.empty() && value["reasons"].is_array() && value["reasons"].empty())
            reader.error(reader.at("reasons"), "is empty: give at least one of " + key_list(reason_keys));
        if (status && *status == "planned" && !c.planned_for && !reader.has("planned_for"))
            reader.error(pointer, "a planned control needs \"planned_for\": the date it will be in place by");
        if (c.planned_for && status && *status != "planned")
            reader.error(reader.at("planned_for"),
                         "is for a planned control: its status is \"" + *status + "\"");
    } else {
        if (blank(c.justification))
            reader.error(reader.has("justification") ? reader.at("justification") : pointer,
                         "an excluded control needs a \"justification\": say why it does not apply");
        for (const char* key : {"reasons", "status", "planned_for"})
            if (reader.has(key))
                reader.error(reader.at(key), "is for an applicable control: this one is excluded "
                                             "(\"applicable\": false)");
    }
    return c;
}

void check_controls(const statement_of_applicability& soa, const isms_configuration& config,
                    diagnostics& problems) {
    std::map<std::string, std::size_t, std::less<>> first;
    for (std::size_t i = 0; i < soa.controls.size(); ++i) {
        const soa_control& c = soa.controls[i];
        if (c.id.empty()) continue;
        const std::string at = "/soa/controls/" + std::to_string(i);
        if (!c.id.starts_with("A.") || !is_known_reference(c.id)) {
            problems.push_back({severity::error, at + "/id",
                                "\"" + c.id +
                                    "\" is not an Annex A control of ISO/IEC 27001:2022 (A.5.1 to "
                                    "A.8.34)"});
            continue;
        }
        if (const auto [it, inserted] = first.emplace(c.id, i); !inserted) {
            problems.push_back({severity::error, at + "/id",
                                c.id + " is already at /soa/controls/" + std::to_string(it->second) +
                                    ": each control appears once"});
            continue;
        }
        if (c.applicable && c.status == implementation_status::implemented && blank(c.operation) &&
            operating_activities(config, c.id).empty())
            problems.push_back({severity::warning, at,
                                c.id + " is applicable and implemented, but no activity references it and no "
                                       "\"operation\" says how it is operated: nothing keeps it alive"});
    }
    std::vector<std::string> missing;
    for (const std::string& id : annex_a_controls())
        if (!first.contains(id)) missing.push_back(id);
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < missing.size() && i < 10; ++i)
            list += (i ? ", " : "") + missing[i];
        if (missing.size() > 10) list += " and " + std::to_string(missing.size() - 10) + " more";
        problems.push_back({severity::error, "/soa/controls",
                            "misses " +
                                detail::count_of(static_cast<long long>(missing.size()), "Annex A control",
                                                 "Annex A controls") +
                                " (" + list + "): list each of the 93 once, applicable or not"});
    }
    for (std::size_t a = 0; a < config.activities.size(); ++a) {
        const std::vector<std::string>& refs = config.activities[a].references;
        for (std::size_t r = 0; r < refs.size(); ++r) {
            const auto it = first.find(refs[r]);
            if (it == first.end() || soa.controls[it->second].applicable) continue;
            problems.push_back(
                {severity::warning, "/activities/" + std::to_string(a) + "/references/" + std::to_string(r),
                 refs[r] + " is excluded in the SoA (/soa/controls/" + std::to_string(it->second) +
                     "): include it there, or drop the reference"});
        }
    }
}

// "A.8.13 (Backups)".
std::string control_name(const soa_control& c) {
    return c.id + " (" + c.title + ")";
}

struct scope_change {
    day_point on;
    long long change_id = 0;
};

// The latest assessment of a change that called for a follow-up on the scope (4.3) or the SoA (6.1.3).
std::optional<scope_change> last_scope_change(const isms_configuration& config,
                                              const tracker_snapshot& tracker) {
    std::set<std::string, std::less<>> rules;
    for (const follow_up_rule& rule : config.changes.follow_ups)
        for (const std::string& r : rule.references)
            if (r == "4.3" || r == "6.1.3") rules.insert(rule.id);
    std::optional<scope_change> latest;
    for (const follow_up_record& f : tracker.follow_ups) {
        const ticket_key key = ticket_key::parse(f.key);
        if (f.withdrawn || key.kind != ticket_key_kind::follow_up || !rules.contains(key.tail)) continue;
        for (const change_record& c : tracker.changes)
            if (c.id == f.change_id && c.assessment && (!latest || c.assessment->assessed_on > latest->on))
                latest = scope_change{c.assessment->assessed_on, c.id};
    }
    return latest;
}

// The occurrences of the control's activities in the period, by due date.
std::vector<const occurrence_status*> occurrences_of(const std::vector<std::string>& activities,
                                                     const period_status* period) {
    std::vector<const occurrence_status*> out;
    if (!period) return out;
    for (const occurrence_status& o : period->occurrences)
        if (std::find(activities.begin(), activities.end(), o.activity) != activities.end())
            out.push_back(&o);
    return out;
}

// The latest done occurrence with evidence (none when nothing was done with evidence).
const occurrence_status* last_evidence(const std::vector<const occurrence_status*>& occurrences) {
    const occurrence_status* last = nullptr;
    for (const occurrence_status* o : occurrences)
        if (is_done(o->state) && o->evidence &&
            (!last || o->done_on.value_or(o->due) >= last->done_on.value_or(last->due)))
            last = o;
    return last;
}

std::vector<std::string> reason_words(const soa_control& c) {
    std::vector<std::string> out;
    for (const inclusion_reason r : c.reasons)
        out.emplace_back(to_string(r));
    return out;
}

// A key in words: "not_implemented" is "not implemented".
std::string words_of(std::string_view key) {
    std::string words(key);
    std::replace(words.begin(), words.end(), '_', ' ');
    return words;
}

// The applicable controls, and how many of them have each implementation status.
std::pair<std::size_t, std::array<std::size_t, 4>> count_controls(const statement_of_applicability& soa) {
    std::array<std::size_t, 4> by_status{};
    std::size_t applicable = 0;
    for (const soa_control& c : soa.controls)
        if (c.applicable) ++applicable, ++by_status[static_cast<std::size_t>(c.status)];
    return {applicable, by_status};
}

} // namespace

std::string_view to_string(inclusion_reason reason) {
    return reason_keys[static_cast<std::size_t>(reason)];
}

std::string_view to_string(implementation_status status) {
    return status_keys[static_cast<std::size_t>(status)];
}

std::string_view to_string(soa_drift_kind kind) {
    constexpr std::array<std::string_view, 3> keys{"activity_behind", "planned_past_date",
                                                   "exclusion_unreviewed"};
    return keys[static_cast<std::size_t>(kind)];
}

std::vector<std::string> operating_activities(const isms_configuration& config, std::string_view control) {
    std::vector<std::string> ids;
    for (const activity& a : config.activities)
        if (std::find(a.references.begin(), a.references.end(), control) != a.references.end())
            ids.push_back(a.id);
    return ids;
}

namespace detail {

void read_soa_section(const json& object, isms_configuration& config, diagnostics& problems) {
    diagnostics found; // the SoA's own, to know whether it has errors
    statement_of_applicability soa;
    object_reader reader(object, "/soa", found);
    if (auto s = reader.text("version", true, false)) soa.version = *s;
    if (auto s = reader.text("approved_by", false)) soa.approved_by = *s;
    soa.approved_on = reader.date("approved_on", false);
    if (const json* controls =
            reader.field("controls", json::value_t::array, true,
                         "a list of the 93 Annex A controls {id, title, applicable, ...}")) {
        for (std::size_t i = 0; i < controls->size(); ++i) {
            const std::string pointer = "/soa/controls/" + std::to_string(i);
            if ((*controls)[i].is_object())
                soa.controls.push_back(read_control((*controls)[i], pointer, found));
            else
                found.push_back({severity::error, pointer,
                                 "expected a control {id, title, applicable, ...}, found " +
                                     std::string(type_name((*controls)[i]))});
        }
    }
    reader.finish();
    check_controls(soa, config, found);
    if (!has_errors(found)) config.soa = std::move(soa);
    problems.insert(problems.end(), found.begin(), found.end());
}

} // namespace detail

bool reviews_soa(const activity& a) {
    return std::find(a.references.begin(), a.references.end(), "6.1.3") != a.references.end();
}

std::string soa_in_force(const statement_of_applicability& soa, const std::string& where) {
    return "Statement of Applicability in force: version " + soa.version +
           (soa.approved_by.empty() ? "" : ", approved by " + soa.approved_by) +
           (soa.approved_on ? " on " + format_iso_date(*soa.approved_on) : "") +
           "; the configuration as of " + where + ".";
}

std::vector<soa_drift_item> soa_drift(const statement_of_applicability& soa, const isms_configuration& config,
                                      const status_report& report, const tracker_snapshot& tracker) {
    std::vector<soa_drift_item> drift;
    const period_status* period = report.periods.empty() ? nullptr : &report.periods.back();
    const std::optional<scope_change> scope = last_scope_change(config, tracker);
    for (const soa_control& c : soa.controls) {
        if (!c.applicable) {
            if (scope && (!c.reviewed_on || *c.reviewed_on < scope->on))
                drift.push_back({soa_drift_kind::exclusion_unreviewed, c.id, c.title,
                                 control_name(c) + " is excluded, and not reviewed since change " +
                                     tracker.references.of(scope->change_id) + " revisited the scope on " +
                                     format_iso_date(scope->on),
                                 "", 0, 0, scope->change_id, scope->on});
            continue;
        }
        if (c.status == implementation_status::planned && c.planned_for && *c.planned_for < report.today)
            drift.push_back({soa_drift_kind::planned_past_date, c.id, c.title,
                             control_name(c) + " was planned to be in place by " +
                                 format_iso_date(*c.planned_for) + " (" +
                                 detail::days((report.today - *c.planned_for).count()) + " ago)",
                             "", 0, 0, 0, c.planned_for});
        for (const std::string& id : operating_activities(config, c.id)) {
            soa_drift_item item{soa_drift_kind::activity_behind, c.id, c.title, "", id};
            for (const occurrence_status* o : occurrences_of({id}, period)) {
                const bool behind =
                    o->state == occurrence_state::overdue || o->state == occurrence_state::missed;
                if (behind && !item.ticket_id) item.ticket_id = o->ticket_id;
                item.overdue += o->state == occurrence_state::overdue;
                item.missed += o->state == occurrence_state::missed;
            }
            if (!item.overdue && !item.missed) continue;
            std::string counts;
            if (item.overdue) counts = std::to_string(item.overdue) + " overdue";
            if (item.missed)
                counts += (counts.empty() ? "" : " and ") + std::to_string(item.missed) + " missed";
            item.what = control_name(c) + ": \"" + activity_title(config, id) + "\" has " + counts +
                        (item.overdue + item.missed == 1 ? " occurrence" : " occurrences") +
                        " in this period";
            drift.push_back(std::move(item));
        }
    }
    return drift;
}

json soa_drift_to_json(const std::vector<soa_drift_item>& drift) {
    json out = json::array();
    for (const soa_drift_item& d : drift)
        out.push_back(json_object({{"kind", to_string(d.kind)},
                                   {"control", d.control},
                                   {"title", d.title},
                                   {"what", d.what},
                                   {"activity", d.activity.empty() ? json() : json(d.activity)},
                                   {"overdue", d.overdue},
                                   {"missed", d.missed},
                                   {"ticket", d.ticket_id ? json(d.ticket_id) : json()},
                                   {"date", d.date ? json(format_iso_date(*d.date)) : json()}}));
    return out;
}

json soa_summary_to_json(const statement_of_applicability& soa, const std::vector<soa_drift_item>& drift) {
    const auto [applicable, by_status] = count_controls(soa);
    return json_object({{"version", soa.version},
                        {"approved_by", soa.approved_by},
                        {"approved_on", soa.approved_on ? json(format_iso_date(*soa.approved_on)) : json()},
                        {"controls", soa.controls.size()},
                        {"applicable", applicable},
                        {"implemented", by_status[0]},
                        {"partly", by_status[1]},
                        {"planned", by_status[2]},
                        {"not_implemented", by_status[3]},
                        {"excluded", soa.controls.size() - applicable},
                        {"drift", soa_drift_to_json(drift)}});
}

std::string soa_csv(const statement_of_applicability& soa, const isms_configuration& config,
                    const period_status* period, const ticket_references& tickets) {
    constexpr std::array<std::string_view, 13> columns{
        "id",    "title",      "applicable", "reasons",       "justification",   "status", "planned_for",
        "owner", "activities", "operation",  "last_evidence", "evidence_ticket", "tickets"};
    std::string out = detail::csv_record(columns, false);
    for (const soa_control& c : soa.controls) {
        const std::vector<std::string> activities = operating_activities(config, c.id);
        const auto occurrences = occurrences_of(activities, period);
        const occurrence_status* last = c.applicable ? last_evidence(occurrences) : nullptr;
        std::vector<std::string> ticket_links;
        for (const occurrence_status* o : occurrences)
            if (o->ticket_id) ticket_links.push_back(tickets.link(o->ticket_id));
        out += detail::csv_record(std::array<std::string, 13>{
            c.id, c.title, c.applicable ? "yes" : "no", join(reason_words(c), " "), c.justification,
            c.applicable ? std::string(to_string(c.status)) : "",
            c.planned_for ? format_iso_date(*c.planned_for) : "", c.owner, join(activities, " "), c.operation,
            last ? format_iso_date(last->done_on.value_or(last->due)) : "",
            last && last->ticket_id ? tickets.link(last->ticket_id) : "", join(ticket_links, " ")});
    }
    return out;
}

text_document soa_document(const statement_of_applicability& soa, const isms_configuration& config,
                           const period_status* period) {
    text_document doc;
    doc.heading(1, "Statement of Applicability: " + typed(config.organisation.name));
    doc.paragraph("ISO/IEC 27001:2022 Annex A. Version " + typed(soa.version) +
                  (soa.approved_on || !soa.approved_by.empty()
                       ? ", approved" + (soa.approved_by.empty() ? "" : " by " + typed(soa.approved_by)) +
                             (soa.approved_on ? " on " + format_iso_date(*soa.approved_on) : "")
                       : ", not approved yet") +
                  ".");
    const auto [applicable, by_status] = count_controls(soa);
    doc.paragraph(
        std::to_string(applicable) + " of " + std::to_string(soa.controls.size()) + " controls apply: " +
        std::to_string(by_status[0]) + " implemented, " + std::to_string(by_status[1]) + " partly, " +
        std::to_string(by_status[2]) + " planned, " + std::to_string(by_status[3]) + " not implemented." +
        (period ? " Evidence from the period " + format_iso_date(period->from) + " to " +
                      format_iso_date(period->to) + " (" + std::string(audit_title(period->audit)) + ")."
                : ""));

    doc.heading(2, "Applicable controls");
    std::vector<std::vector<text_line>> rows{
        {"Control", "Title", "Why", "Status", "Owner", "Operated by", "Last evidence"}};
    for (const soa_control& c : soa.controls) {
        if (!c.applicable) continue;
        const std::vector<std::string> activities = operating_activities(config, c.id);
        std::string operated;
        for (const std::string& id : activities)
            operated += (operated.empty() ? "" : "; ") + typed(activity_title(config, id));
        if (operated.empty())
            operated = blank(c.operation) ? emphasis("nothing recorded") : typed(c.operation);
        const occurrence_status* last = last_evidence(occurrences_of(activities, period));
        std::string status = words_of(to_string(c.status));
        if (c.planned_for) status += " by " + format_iso_date(*c.planned_for);
        std::string why;
        for (const inclusion_reason r : c.reasons)
            why += (why.empty() ? "" : ", ") + words_of(to_string(r));
        if (!blank(c.justification)) why += ": " + typed(c.justification);
        rows.push_back({c.id, typed(c.title), why, status, typed(c.owner), operated,
                        last ? format_iso_date(last->done_on.value_or(last->due)) +
                                   (last->ticket_id ? " (" + ticket_ref(last->ticket_id) + ")" : "")
                             : emphasis("none in the period")});
    }
    doc.table(std::move(rows));

    doc.heading(2, "Excluded controls");
    std::vector<std::vector<text_line>> excluded{{"Control", "Title", "Justification", "Owner", "Reviewed"}};
    for (const soa_control& c : soa.controls)
        if (!c.applicable)
            excluded.push_back({c.id, typed(c.title), typed(c.justification), typed(c.owner),
                                c.reviewed_on ? format_iso_date(*c.reviewed_on) : emphasis("not recorded")});
    if (excluded.size() == 1)
        doc.paragraph("None: every Annex A control applies.");
    else
        doc.table(std::move(excluded));
    return doc;
}

} // namespace upkeep
