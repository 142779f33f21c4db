// The snapshot file (docs/snapshot.md). Format 2 keeps the reading's context (the day, the tracker and
// project, the configuration); format 1, an older Upkeep's, has the lists only and still reads.

#include "upkeep/tracker_snapshot.hpp"

#include "json_reader.hpp"
#include "upkeep/host.hpp"
#include "upkeep/json_parse.hpp"

#include <nlohmann/json.hpp>

namespace upkeep {
namespace {

using json = nlohmann::json;
using detail::object_reader;

// Reads one list of the snapshot, item by item; a bad item is a problem at its pointer and is skipped.
template <typename Read>
void read_list(object_reader& root, const char* name, bool required, diagnostics& problems, Read read) {
    const json* list = root.field(name, json::value_t::array, required, "a list");
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string at = root.at(name) + "/" + std::to_string(i);
        if (!(*list)[i].is_object()) {
            problems.push_back({severity::error, at,
                                "expected an object, found " + std::string(detail::type_name((*list)[i]))});
            continue;
        }
        object_reader item((*list)[i], at, problems, true);
        read(item);
    }
}

json day_json(const std::optional<day_point>& d) {
    return d ? json(format_iso_date(*d)) : json();
}

json id_json(long long id) {
    return id ? json(id) : json();
}

std::string finding_kind(object_reader& item) {
    std::string kind = item.text("kind", true).value_or("");
    if (kind != "nonconformity" && kind != "corrective_action" && kind != "verification") {
        item.error(item.at("kind"), "expected \"nonconformity\", \"corrective_action\" or \"verification\"");
        return "";
    }
    return kind;
}

void read_lists(object_reader& root, tracker_snapshot& out, diagnostics& problems) {
    read_list(root, "tickets", true, problems, [&](object_reader& item) {
        task_record t;
        const auto key = item.text("key", true);
        if (!key) return;
        t.key = *key;
        t.id = item.ticket_number("id", false).value_or(0);
        t.closed = item.boolean("closed", false).value_or(false);
        t.closed_on = item.date("closed_on", false);
        t.done_on = item.date("done_on", false);
        t.evidence = item.boolean("evidence", false).value_or(false);
        t.evidence_links = item.texts("evidence_links", "a list of links");
        t.valid_until = item.date("valid_until", false);
        t.people_in_scope = item.integer("people_in_scope", false, 0, 10'000'000);
        t.people_completed = item.integer("people_completed", false, 0, 10'000'000);
        t.owner = item.text("owner", false).value_or("");
        t.title = item.text("title", false).value_or("");
        t.closed_as_duplicate = item.boolean("duplicate", false).value_or(false);
        out.tasks.push_back(std::move(t));
    });
    read_list(root, "changes", false, problems, [&](object_reader& item) {
        change_record c;
        c.id = item.ticket_number("id", true).value_or(0);
        c.subject = item.text("subject", false).value_or("");
        c.tracker = item.text("tracker", false).value_or("");
        c.assignee = item.text("assignee", false).value_or("");
        c.closed = item.boolean("closed", false).value_or(false);
        c.created_on = item.date("created_on", false);
        c.closed_on = item.date("closed_on", false);
        c.go_live = item.date("go_live", false);
        if (const auto assessment = item.text("assessment", false)) {
            c.assessment = parse_assessment_record(*assessment);
            if (!c.assessment)
                item.error(
                    item.at("assessment"),
                    "expected an assessment record such as \"assessment=1;on=2027-02-03;by=itops;a=...\"");
        }
        c.affects = item.boolean("affects", false).value_or(false);
        if (c.id) out.changes.push_back(std::move(c));
    });
    read_list(root, "follow_ups", false, problems, [&](object_reader& item) {
        follow_up_record f;
        f.id = item.ticket_number("id", true).value_or(0);
        f.change_id = item.ticket_number("change", true).value_or(0);
        f.key = item.text("key", false).value_or("");
        f.subject = item.text("subject", false).value_or("");
        f.assignee = item.text("assignee", false).value_or("");
        f.closed = item.boolean("closed", false).value_or(false);
        f.withdrawn = item.boolean("withdrawn", false).value_or(false);
        f.due = item.date("due", false);
        if (f.id && f.change_id) out.follow_ups.push_back(std::move(f));
    });
    read_list(root, "findings", false, problems, [&](object_reader& item) {
        finding_record f;
        f.id = item.ticket_number("id", true).value_or(0);
        f.kind = finding_kind(item);
        f.subject = item.text("subject", false).value_or("");
        f.closed = item.boolean("closed", false).value_or(false);
        f.due = item.date("due", false);
        f.closed_on = item.date("closed_on", false);
        f.source = item.text("source", false).value_or("");
        f.nonconformity = item.ticket_number("nonconformity", false).value_or(0);
        f.created_on = item.date("created_on", false);
        f.assignee = item.text("assignee", false).value_or("");
        if (f.id && !f.kind.empty()) out.findings.push_back(std::move(f));
    });
    read_list(root, "decisions", false, problems, [&](object_reader& item) {
        decision_record d;
        d.id = item.ticket_number("id", true).value_or(0);
        d.review = item.ticket_number("review", true).value_or(0);
        d.subject = item.text("subject", false).value_or("");
        d.assignee = item.text("assignee", false).value_or("");
        d.closed = item.boolean("closed", false).value_or(false);
        d.due = item.date("due", false);
        d.closed_on = item.date("closed_on", false);
        if (d.id && d.review) out.decisions.push_back(std::move(d));
    });
    out.has_incidents = root.field("incidents", json::value_t::array, false, "a list") != nullptr;
    read_list(root, "incidents", false, problems, [&](object_reader& item) {
        incident_record i;
        i.id = item.ticket_number("id", true).value_or(0);
        i.subject = item.text("subject", false).value_or("");
        i.severity = item.text("severity", false).value_or("");
        i.closed = item.boolean("closed", false).value_or(false);
        i.occurred = item.date("occurred", false);
        i.detected = item.date("detected", false);
        i.resolved = item.date("resolved", false);
        if (i.id) out.incidents.push_back(std::move(i));
    });
    read_list(root, "suppliers", false, problems, [&](object_reader& item) {
        supplier_record s;
        s.id = item.ticket_number("id", true).value_or(0);
        s.name = item.text("name", false).value_or("");
        s.criticality = item.text("criticality", false).value_or("");
        s.owner = item.text("owner", false).value_or("");
        s.since = item.date("since", false);
        s.contract_end = item.date("contract_end", false);
        s.closed = item.boolean("closed", false).value_or(false);
        s.closed_on = item.date("closed_on", false);
        if (s.id) out.suppliers.push_back(std::move(s));
    });
}

} // namespace

snapshot_file snapshot_from_json(const json& document, diagnostics& problems) {
    snapshot_file out;
    if (!document.is_object()) {
        problems.push_back({severity::error, "",
                            "expected {\"format\": 2, \"tickets\": [...], ...}, found " +
                                std::string(detail::type_name(document))});
        return out;
    }
    object_reader root(document, "", problems, true);
    out.format = root.integer("format", false, 1, snapshot_format).value_or(1);
    out.as_of = root.date("as_of", false);
    if (const json* tracker = root.object("tracker", false)) {
        object_reader reader(*tracker, root.at("tracker"), problems, true);
        out.host = reader.text("host", false).value_or("");
        out.url = reader.text("url", false).value_or("");
        out.project = reader.text("project", false).value_or("");
        // Tickets are named in the figures' words as the tracker that was read names them: its prefix
        // as read (a tracker that numbers tickets per project: "ISMS-"), else its host's.
        if (const auto prefix = reader.text("ticket_prefix", false))
            out.tracker.references.prefix = *prefix;
        else if (const registered_host* host = find_host(out.host))
            out.tracker.references = host->profile.references;
        out.tracker.references.url = reader.text("ticket_url", false).value_or("");
    }
    if (const json* configuration = root.object("configuration", false))
        out.configuration = configuration->dump();
    read_lists(root, out.tracker, problems);
    return out;
}

json snapshot_to_json(const snapshot_file& snapshot) {
    const tracker_snapshot& in = snapshot.tracker;
    json out = json::object();
    out["format"] = snapshot_format;
    out["as_of"] = day_json(snapshot.as_of);
    out["tracker"] = {{"host", snapshot.host},
                      {"url", snapshot.url},
                      {"project", snapshot.project},
                      {"ticket_prefix", in.references.prefix},
                      {"ticket_url", in.references.url}};
    if (snapshot.configuration) {
        // Kept as the object it is, so people read it; parse errors cannot happen in a configuration that
        // was used, but a text that is not JSON is kept as text rather than lost.
        json configuration = parse_json_or_discarded(*snapshot.configuration);
        out["configuration"] = configuration.is_discarded() ? json(*snapshot.configuration) : configuration;
    }
    json& tickets = out["tickets"] = json::array();
    for (const task_record& t : in.tasks)
        tickets.push_back({{"id", id_json(t.id)},
                           {"key", t.key},
                           {"title", t.title},
                           {"owner", t.owner},
                           {"closed", t.closed},
                           {"closed_on", day_json(t.closed_on)},
                           {"done_on", day_json(t.done_on)},
                           {"evidence", t.evidence},
                           {"evidence_links", t.evidence_links},
                           {"valid_until", day_json(t.valid_until)},
                           {"people_in_scope", t.people_in_scope ? json(*t.people_in_scope) : json()},
                           {"people_completed", t.people_completed ? json(*t.people_completed) : json()},
                           {"duplicate", t.closed_as_duplicate}});
    json& changes = out["changes"] = json::array();
    for (const change_record& c : in.changes)
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
    json& follow_ups = out["follow_ups"] = json::array();
    for (const follow_up_record& f : in.follow_ups)
        follow_ups.push_back({{"id", f.id},
                              {"change", f.change_id},
                              {"key", f.key},
                              {"subject", f.subject},
                              {"assignee", f.assignee},
                              {"closed", f.closed},
                              {"withdrawn", f.withdrawn},
                              {"due", day_json(f.due)}});
    json& findings = out["findings"] = json::array();
    for (const finding_record& f : in.findings)
        findings.push_back({{"id", f.id},
                            {"kind", f.kind},
                            {"subject", f.subject},
                            {"assignee", f.assignee},
                            {"closed", f.closed},
                            {"created_on", day_json(f.created_on)},
                            {"due", day_json(f.due)},
                            {"closed_on", day_json(f.closed_on)},
                            {"source", f.source},
                            {"nonconformity", id_json(f.nonconformity)}});
    json& decisions = out["decisions"] = json::array();
    for (const decision_record& d : in.decisions)
        decisions.push_back({{"id", d.id},
                             {"review", d.review},
                             {"subject", d.subject},
                             {"assignee", d.assignee},
                             {"closed", d.closed},
                             {"due", day_json(d.due)},
                             {"closed_on", day_json(d.closed_on)}});
    if (in.has_incidents) {
        json& incidents = out["incidents"] = json::array();
        for (const incident_record& i : in.incidents)
            incidents.push_back({{"id", i.id},
                                 {"subject", i.subject},
                                 {"severity", i.severity},
                                 {"closed", i.closed},
                                 {"occurred", day_json(i.occurred)},
                                 {"detected", day_json(i.detected)},
                                 {"resolved", day_json(i.resolved)}});
    }
    json& suppliers = out["suppliers"] = json::array();
    for (const supplier_record& s : in.suppliers)
        suppliers.push_back({{"id", s.id},
                             {"name", s.name},
                             {"criticality", s.criticality},
                             {"owner", s.owner},
                             {"since", day_json(s.since)},
                             {"contract_end", day_json(s.contract_end)},
                             {"closed", s.closed},
                             {"closed_on", day_json(s.closed_on)}});
    return out;
}

} // namespace upkeep
