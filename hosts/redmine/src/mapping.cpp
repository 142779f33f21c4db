#include "upkeep/redmine/mapping.hpp"

#include <upkeep/json_value.hpp>
#include <upkeep/ticket_state.hpp>

#include <algorithm>
#include <charconv>

namespace upkeep::redmine {
namespace {

using json = nlohmann::json;

long long id_named(const json& list, const std::string& name) {
    if (!list.is_array()) return 0;
    for (const json& item : list)
        if (json_value(item, "name", "") == name) return json_value(item, "id", 0LL);
    return 0;
}

} // namespace

std::string url_escape(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else
            out += {'%', hex[c >> 4], hex[c & 0xF]};
    }
    return out;
}

bool in_project(const json& issue, const context& ctx) {
    return json_value(issue, json_path{"/project/id"}, 0LL) == ctx.project_id;
}

bool is_closed(const json& issue, const context& ctx) {
    return ctx.closed_status_ids.count(json_value(issue, json_path{"/status/id"}, 0LL)) != 0;
}

bool more_pages(const json& page, const char* list, std::size_t& offset) {
    const std::size_t count = json_array_at(page, list).size();
    offset += count;
    return count > 0 && offset < json_value(page, "total_count", std::size_t{0});
}

bool has_custom_field(const json& issue, long long field_id) {
    for (const json& field : json_array_at(issue, "custom_fields"))
        if (json_value(field, "id", 0LL) == field_id) return true;
    return false;
}

std::string custom_value(const json& issue, long long field_id) {
    for (const json& field : json_array_at(issue, "custom_fields"))
        if (json_value(field, "id", 0LL) == field_id && field.contains("value") && field["value"].is_string())
            return field["value"].get<std::string>();
    return "";
}

context discover(const json& current_user, const json& project, const json& statuses, diagnostics& problems) {
    context ctx;
    const auto problem = [&problems](std::string message) {
        problems.push_back({severity::error, "", std::move(message)});
    };
    ctx.upkeep_user_id = json_value(current_user, json_path{"/user/id"}, 0LL);
    if (!ctx.upkeep_user_id) problem("GET /users/current.json gave no user: the API key is not valid");
    ctx.upkeep_user_ids.insert(ctx.upkeep_user_id);
    const json& p = json_object_at(project, "project");
    ctx.project_id = json_value(p, "id", 0LL);
    const std::string setup_hint =
        " Run `rake upkeep:setup PROJECT=" + json_value(p, "identifier", std::string("<project>")) +
        "` in Redmine (as an administrator) to create and enable it.";
    const json& trackers = json_array_at(p, "trackers");
    for (const auto& [name, slot] :
         {std::pair{control_tracker, &ctx.tracker_id}, std::pair{nonconformity_tracker, &ctx.nc_tracker_id},
          std::pair{corrective_tracker, &ctx.ca_tracker_id}}) {
        *slot = id_named(trackers, name);
        if (!*slot) problem(std::string("the project has no \"") + name + "\" tracker." + setup_hint);
    }
    const json& fields = json_array_at(p, "issue_custom_fields");
    for (const auto& [name, slot] :
         {std::pair{key_field, &ctx.key_field_id}, std::pair{state_field, &ctx.state_field_id},
          std::pair{reference_field, &ctx.reference_field_id}, std::pair{grade_field, &ctx.grade_field_id},
          std::pair{source_field, &ctx.source_field_id},
          std::pair{corrective_actions_field, &ctx.corrective_actions_field_id}}) {
        *slot = id_named(fields, name);
        if (!*slot) problem(std::string("the project has no custom field \"") + name + "\"." + setup_hint);
    }
    ctx.evidence_date_field_id = id_named(fields, evidence_date_field);
    ctx.evidence_links_field_id = id_named(fields, evidence_links_field);
    ctx.valid_until_field_id = id_named(fields, evidence_valid_until_field);
    ctx.decisions_field_id = id_named(fields, decisions_field);
    ctx.impact_field_id = id_named(fields, impact_field);
    ctx.people_in_scope_field_id = id_named(fields, people_in_scope_field);
    ctx.people_completed_field_id = id_named(fields, people_completed_field);
    ctx.follow_up_tracker_id = id_named(trackers, follow_up_tracker);
    ctx.supplier_tracker_id = id_named(trackers, supplier_tracker);
    ctx.criticality_field_id = id_named(fields, criticality_field);
    ctx.contract_end_field_id = id_named(fields, contract_end_field);
    for (const json& status : json_array_at(statuses, "issue_statuses")) {
        if (!json_value(status, "is_closed", false)) continue;
        const long long id = json_value(status, "id", 0LL);
        ctx.closed_status_ids.insert(id);
        if (!ctx.close_status_id || json_value(status, "name", "") == "Closed") ctx.close_status_id = id;
    }
    if (ctx.closed_status_ids.empty()) problem("GET /issue_statuses.json lists no closed status");
    return ctx;
}

std::vector<long long> add_memberships(context& ctx, const json& page) {
    std::vector<long long> users;
    for (const json& membership : json_array_at(page, "memberships")) {
        if (membership.contains("group"))
            ctx.principals["group:" + json_value(membership["group"], "name", std::string{})] =
                json_value(membership["group"], "id", 0LL);
        else if (membership.contains("user")) {
            users.push_back(json_value(membership["user"], "id", 0LL));
            // A supplier's owner is named as Redmine shows the member (never in place of a login).
            ctx.principals.emplace(json_value(membership["user"], "name", std::string{}), users.back());
        }
    }
    return users;
}

void add_user(context& ctx, const json& user) {
    const json& u = user.contains("user") ? user["user"] : user;
    if (u.contains("login") && u["login"].is_string())
        ctx.principals[u["login"].get<std::string>()] = json_value(u, "id", 0LL);
}

std::vector<std::string> unknown_owners(const sync_plan& plan, const context& ctx) {
    std::vector<std::string> out;
    for (const sync_action& action : plan.actions) {
        if (!action.fields) continue;
        const std::string& owner = action.fields->assignee;
        if (owner.empty()) continue; // unassigned on purpose
        if (!ctx.principals.count(owner) && std::find(out.begin(), out.end(), owner) == out.end())
            out.push_back(owner);
    }
    return out;
}

namespace {

// The number after a key's prefix: 42 in "change:42:risk-assessment", "ca:42:<hash>" and "verify:42".
long long key_number(const std::string& key) {
    const std::size_t start = key.find(':') + 1, end = key.find(':', start);
    return std::atoll(key.substr(start, end == std::string::npos ? end : end - start).c_str());
}

std::string text_of(const json& issue, json_path path) {
    return json_value(issue, path, std::string{});
}

} // namespace

namespace {

// The issue as Upkeep's ticket: in the project itself (never a subproject), created by an account that
// acts as Upkeep, carrying Upkeep's key; nullopt for any other issue.
std::optional<tracked_ticket> upkeep_ticket(const json& issue, const context& ctx) {
    if (!in_project(issue, ctx)) return std::nullopt;
    if (!ctx.upkeep_user_ids.count(json_value(issue, json_path{"/author/id"}, 0LL))) return std::nullopt;
    tracked_ticket t;
    t.id = json_value(issue, "id", 0LL);
    t.key = custom_value(issue, ctx.key_field_id);
    if (t.key.empty() || !t.id) return std::nullopt;
    t.state = custom_value(issue, ctx.state_field_id);
    if (issue.contains("description") && issue["description"].is_string())
        t.description = issue["description"].get<std::string>();
    t.closed = is_closed(issue, ctx);
    // Work recorded, as the status reads it: a work date, evidence links or files, or Upkeep's "completed
    // with evidence" mark.
    const auto has = [&](long long field) { return field && !custom_value(issue, field).empty(); };
    t.work_recorded = has(ctx.evidence_date_field_id) || has(ctx.evidence_links_field_id) ||
                      !json_array_at(issue, "attachments").empty() || completed_with_evidence(t.state);
    if (ctx.decisions_field_id && t.key.starts_with("control:"))
        t.decisions = custom_value(issue, ctx.decisions_field_id);
    if (ctx.valid_until_field_id && t.closed)
        t.valid_until = parse_iso_date(custom_value(issue, ctx.valid_until_field_id));
    return t;
}

} // namespace

std::vector<tracked_ticket> tickets_from_page(const json& page, const context& ctx) {
    std::vector<tracked_ticket> out;
    for (const json& issue : json_array_at(page, "issues"))
        if (auto t = upkeep_ticket(issue, ctx)) out.push_back(std::move(*t));
    return out;
}

std::vector<task_record> task_records_from_page(const json& page, const context& ctx) {
    std::vector<task_record> out;
    for (const json& issue : json_array_at(page, "issues")) {
        const auto t = upkeep_ticket(issue, ctx);
        if (!t || !t->key.starts_with("control:")) continue;
        task_record r;
        r.id = t->id;
        r.key = t->key;
        r.closed = t->closed;
        r.closed_on = json_day(issue, "closed_on");
        if (ctx.evidence_date_field_id)
            r.done_on = parse_iso_date(custom_value(issue, ctx.evidence_date_field_id));
        r.evidence = completed_with_evidence(t->state);
        r.valid_until = t->valid_until;
        r.closed_as_duplicate = ticket_state::parse(t->state).duplicate;
        // As issued: the owner written in Upkeep's block of the description, the subject without its date.
        r.owner = issued_owner(t->description);
        r.title = issued_title(text_of(issue, json_path{"/subject"}));
        // The evidence itself: the files attached (read with include=attachments) and the links given
        // on completion, one per line of the "Evidence links" field.
        for (const json& file : json_array_at(issue, "attachments"))
            if (file.contains("content_url") && file["content_url"].is_string())
                r.evidence_links.push_back(file["content_url"].get<std::string>());
        const std::string links =
            ctx.evidence_links_field_id ? custom_value(issue, ctx.evidence_links_field_id) : "";
        for (std::size_t at = 0; at < links.size();) {
            const std::size_t end = std::min(links.find('\n', at), links.size());
            std::string_view link = std::string_view(links).substr(at, end - at);
            while (!link.empty() && std::isspace(static_cast<unsigned char>(link.back())))
                link.remove_suffix(1);
            while (!link.empty() && std::isspace(static_cast<unsigned char>(link.front())))
                link.remove_prefix(1);
            if (!link.empty()) r.evidence_links.emplace_back(link);
            at = end + 1;
        }
        for (const auto& [field_id, slot] : {std::pair{ctx.people_in_scope_field_id, &r.people_in_scope},
                                             std::pair{ctx.people_completed_field_id, &r.people_completed}}) {
            const std::string value = field_id ? custom_value(issue, field_id) : "";
            int n = 0;
            const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (!value.empty() && error == std::errc{} && end == value.data() + value.size()) *slot = n;
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<nonconformity_ticket> nonconformities_from_page(const json& page, const context& ctx) {
    std::vector<nonconformity_ticket> out;
    for (const json& issue : json_array_at(page, "issues")) {
        nonconformity_ticket nc;
        nc.id = json_value(issue, "id", 0LL);
        if (!nc.id || !in_project(issue, ctx)) continue;
        if (ctx.upkeep_user_ids.count(json_value(issue, json_path{"/author/id"}, 0LL))) {
            nc.key = custom_value(issue, ctx.key_field_id);
            nc.state = custom_value(issue, ctx.state_field_id);
        }
        nc.closed = is_closed(issue, ctx);
        nc.corrective_actions = custom_value(issue, ctx.corrective_actions_field_id);
        out.push_back(std::move(nc));
    }
    return out;
}

std::vector<change_record> change_records_from_page(const json& page, const context& ctx) {
    std::vector<change_record> out;
    for (const json& issue : json_array_at(page, "issues")) {
        change_record c;
        c.id = json_value(issue, "id", 0LL);
        if (!c.id || !in_project(issue, ctx)) continue;
        c.subject = text_of(issue, json_path{"/subject"});
        c.tracker = text_of(issue, json_path{"/tracker/name"});
        c.assignee = text_of(issue, json_path{"/assigned_to/name"});
        c.closed = is_closed(issue, ctx);
        c.created_on = json_day(issue, "created_on");
        c.closed_on = json_day(issue, "closed_on");
        c.go_live = json_day(issue, "due_date");
        c.assessment = parse_assessment_record(custom_value(issue, ctx.state_field_id));
        c.affects = custom_value(issue, ctx.impact_field_id) == impact_affects;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<finding_record> finding_records_from_page(const json& page, const context& ctx) {
    std::vector<finding_record> out;
    for (const json& issue : json_array_at(page, "issues")) {
        finding_record f;
        f.id = json_value(issue, "id", 0LL);
        const long long tracker = json_value(issue, json_path{"/tracker/id"}, 0LL);
        if (!f.id || !in_project(issue, ctx)) continue;
        if (tracker == ctx.nc_tracker_id) {
            f.kind = "nonconformity";
            f.source = custom_value(issue, ctx.source_field_id);
        } else if (tracker == ctx.ca_tracker_id) {
            const std::string key = custom_value(issue, ctx.key_field_id);
            if (key.starts_with("verify:"))
                f.kind = "verification";
            else if (key.starts_with("ca:"))
                f.kind = "corrective_action";
            else
                continue;
            f.nonconformity = key_number(key);
        } else {
            continue;
        }
        f.subject = text_of(issue, json_path{"/subject"});
        f.closed = is_closed(issue, ctx);
        f.due = json_day(issue, "due_date");
        f.closed_on = f.closed ? json_day(issue, "closed_on") : std::nullopt;
        f.created_on = json_day(issue, "created_on");
        f.assignee = text_of(issue, json_path{"/assigned_to/name"});
        out.push_back(std::move(f));
    }
    return out;
}

incident_source find_incident_source(const json& project, const metrics_policy& metrics) {
    const json& p = project.contains("project") ? project["project"] : project;
    const json& fields = json_array_at(p, "issue_custom_fields");
    return {id_named(json_array_at(p, "trackers"), metrics.incident_ticket_type),
            id_named(fields, metrics.severity_field), id_named(fields, metrics.occurred_field),
            id_named(fields, metrics.detected_field), id_named(fields, metrics.resolved_field)};
}

std::vector<incident_record> incident_records_from_page(const json& page, const context& ctx,
                                                        const incident_source& source) {
    std::vector<incident_record> out;
    const auto date_field = [](const json& issue, long long id) {
        return id ? parse_iso_date(custom_value(issue, id)) : std::nullopt;
    };
    for (const json& issue : json_array_at(page, "issues")) {
        incident_record i;
        i.id = json_value(issue, "id", 0LL);
        if (!i.id || !in_project(issue, ctx) ||
            json_value(issue, json_path{"/tracker/id"}, 0LL) != source.tracker_id)
            continue;
        i.subject = text_of(issue, json_path{"/subject"});
        i.severity = source.severity_field_id ? custom_value(issue, source.severity_field_id) : "";
        i.closed = is_closed(issue, ctx);
        i.occurred = date_field(issue, source.occurred_field_id);
        i.detected = date_field(issue, source.detected_field_id);
        i.resolved = date_field(issue, source.resolved_field_id);
        out.push_back(std::move(i));
    }
    return out;
}

std::optional<supplier_record> supplier_of(const json& issue, const context& ctx) {
    supplier_record s;
    s.id = json_value(issue, "id", 0LL);
    if (!s.id || !in_project(issue, ctx) ||
        json_value(issue, json_path{"/tracker/id"}, 0LL) != ctx.supplier_tracker_id)
        return std::nullopt;
    s.name = text_of(issue, json_path{"/subject"});
    s.criticality = ctx.criticality_field_id ? custom_value(issue, ctx.criticality_field_id) : "";
    for (char& c : s.criticality)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    s.owner = text_of(issue, json_path{"/assigned_to/name"}); // as Redmine names members (add_memberships)
    s.since = parse_iso_date(text_of(issue, json_path{"/start_date"}));
    if (!s.since) s.since = json_day(issue, "created_on");
    if (ctx.contract_end_field_id)
        s.contract_end = parse_iso_date(custom_value(issue, ctx.contract_end_field_id));
    s.closed = is_closed(issue, ctx);
    if (s.closed) s.closed_on = json_day(issue, "closed_on");
    return s;
}

std::vector<supplier_record> supplier_records_from_page(const json& page, const context& ctx) {
    std::vector<supplier_record> out;
    for (const json& issue : json_array_at(page, "issues"))
        if (auto s = supplier_of(issue, ctx)) out.push_back(std::move(*s));
    return out;
}

std::vector<follow_up_record> follow_up_records_from_page(const json& page, const context& ctx) {
    std::vector<follow_up_record> out;
    for (const json& issue : json_array_at(page, "issues")) {
        follow_up_record f;
        f.id = json_value(issue, "id", 0LL);
        f.key = custom_value(issue, ctx.key_field_id);
        if (!f.id || !f.key.starts_with("change:") || !ctx.follow_up_tracker_id ||
            json_value(issue, json_path{"/tracker/id"}, 0LL) != ctx.follow_up_tracker_id ||
            !in_project(issue, ctx))
            continue;
        f.change_id = key_number(f.key);
        f.subject = text_of(issue, json_path{"/subject"});
        f.assignee = text_of(issue, json_path{"/assigned_to/name"});
        f.closed = is_closed(issue, ctx);
        f.withdrawn = custom_value(issue, ctx.state_field_id).find("withdrawn=1") != std::string::npos;
        f.due = json_day(issue, "due_date");
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<decision_record> decision_records_from_page(const json& page, const context& ctx) {
    std::vector<decision_record> out;
    for (const json& issue : json_array_at(page, "issues")) {
        const auto t = upkeep_ticket(issue, ctx);
        if (!t || !t->key.starts_with("decision:")) continue;
        decision_record d;
        d.id = t->id;
        d.review = key_number(t->key);
        d.subject = text_of(issue, json_path{"/subject"});
        d.assignee = text_of(issue, json_path{"/assigned_to/name"});
        d.closed = t->closed;
        d.due = json_day(issue, "due_date");
        d.closed_on = d.closed ? json_day(issue, "closed_on") : std::nullopt;
        out.push_back(std::move(d));
    }
    return out;
}

std::string ticket_list_query(const context& ctx, const std::string& filters, std::size_t offset) {
    const std::string project = std::to_string(ctx.project_id);
    return (ctx.plugin_lists ? "/projects/" + project + "/upkeep_issues.json?"
                             : "/issues.json?project_id=" + project + "&") +
           "subproject_id=!*&status_id=*&" + filters +
           "&sort=id&limit=" + (ctx.plugin_lists ? "1000" : "100") + "&offset=" + std::to_string(offset);
}

std::string follow_ups_query(const context& ctx, const std::string& key_part, std::size_t offset) {
    return ticket_list_query(ctx,
                             "tracker_id=" + std::to_string(ctx.follow_up_tracker_id) + "&cf_" +
                                 std::to_string(ctx.key_field_id) + "=" + url_escape("~" + key_part),
                             offset);
}

std::string changes_query(const context& ctx, const std::vector<long long>& tracker_ids, std::size_t offset) {
    std::string trackers;
    for (const long long id : tracker_ids)
        trackers += (trackers.empty() ? "" : "|") + std::to_string(id);
    return ticket_list_query(ctx, "tracker_id=" + url_escape(trackers), offset);
}

std::vector<long long> tracker_ids(const json& project, const std::vector<std::string>& names) {
    std::vector<long long> out;
    const json& p = project.contains("project") ? project["project"] : project;
    for (const std::string& name : names)
        if (const long long id = id_named(json_array_at(p, "trackers"), name)) out.push_back(id);
    return out;
}

std::string nonconformities_query(const context& ctx, std::size_t offset) {
    return ticket_list_query(ctx, "tracker_id=" + std::to_string(ctx.nc_tracker_id), offset);
}

std::string issues_query(const context& ctx, std::size_t offset) {
    return ticket_list_query(ctx, "cf_" + std::to_string(ctx.key_field_id) + "=*&include=attachments",
                             offset);
}

std::string issue_by_key_query(const context& ctx, const std::string& key) {
    return ticket_list_query(ctx, "cf_" + std::to_string(ctx.key_field_id) + "=" + url_escape(key), 0);
}

request request_of(const sync_action& action, const context& ctx) {
    if (action.kind == sync_action_kind::create)
        return {"POST", "/issues.json", issue_by_key_query(ctx, action.key)};
    const std::string path = "/issues/" + std::to_string(*action.ticket_id) + ".json";
    return {"PUT", path, path};
}

bool already_applied(const sync_action& action, const json& issue_doc, const context& ctx) {
    if (action.kind == sync_action_kind::create) {
        // The key is compared too: Redmine silently ignores a filter on a field that is not filterable.
        const auto tickets = tickets_from_page(issue_doc, ctx);
        return std::any_of(tickets.begin(), tickets.end(),
                           [&](const tracked_ticket& t) { return t.key == action.key; });
    }
    const json& issue = issue_doc.contains("issue") ? issue_doc["issue"] : issue_doc;
    if (action.kind == sync_action_kind::close) return is_closed(issue, ctx);
    return custom_value(issue, ctx.state_field_id) == action.state;
}

json payload(const sync_action& action, const context& ctx) {
    json issue = json::object();
    if (action.kind == sync_action_kind::close)
        return json_object(
            {{"issue", json_object({{"status_id", ctx.close_status_id}, {"notes", action.note}})}});
    json custom = json::array({json_object({{"id", ctx.state_field_id}, {"value", action.state}})});
    if (action.fields) {
        const ticket_fields& f = *action.fields;
        issue["subject"] = f.subject;
        issue["description"] = f.description;
        const auto assignee = ctx.principals.find(f.assignee);
        if (assignee != ctx.principals.end()) issue["assigned_to_id"] = assignee->second;
        issue["start_date"] = format_iso_date(f.start_date);
        issue["due_date"] = format_iso_date(f.due_date);
        if (f.kind == ticket_kind::control_task || f.kind == ticket_kind::follow_up)
            custom.push_back(json_object({{"id", ctx.reference_field_id}, {"value", f.references}}));
    }
    if (action.kind == sync_action_kind::create) {
        const ticket_kind kind = action.fields ? action.fields->kind : ticket_kind::control_task;
        issue["project_id"] = ctx.project_id;
        issue["tracker_id"] = kind == ticket_kind::control_task    ? ctx.tracker_id
                              : kind == ticket_kind::nonconformity ? ctx.nc_tracker_id
                              : kind == ticket_kind::follow_up     ? ctx.follow_up_tracker_id
                                                                   : ctx.ca_tracker_id;
        custom.push_back(json_object({{"id", ctx.key_field_id}, {"value", action.key}}));
        if (kind == ticket_kind::nonconformity) {
            custom.push_back(json_object({{"id", ctx.grade_field_id}, {"value", action.fields->grade}}));
            custom.push_back(json_object({{"id", ctx.source_field_id}, {"value", action.fields->source}}));
        }
    }
    if (!action.note.empty()) issue["notes"] = action.note;
    issue["custom_fields"] = std::move(custom);
    return json_object({{"issue", std::move(issue)}});
}

} // namespace upkeep::redmine
