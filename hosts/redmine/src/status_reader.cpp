// The status's reads: the opening; every page of the project's tickets carrying an Upkeep key (control
// tasks, corrective actions, verifications, review decisions, change follow-ups); every page of its
// nonconformities; the change tickets of the configuration's change trackers; the incidents of its
// incident tracker; then the other authors of keyed tickets, once each, to know which tickets are Upkeep's.
// For `upkeep changes`, only the change tickets and the change follow-ups.

#include "upkeep/redmine/status_reader.hpp"

#include <upkeep/json_value.hpp>

namespace upkeep::redmine {

using json = nlohmann::json;

namespace {

template <typename List> void append(List& to, List from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

std::string follow_ups_query(const context& ctx, std::size_t offset) {
    return "/issues.json?project_id=" + std::to_string(ctx.project_id) +
           "&tracker_id=" + std::to_string(ctx.follow_up_tracker_id) + "&subproject_id=!*&status_id=*&cf_" +
           std::to_string(ctx.key_field_id) + "=" + url_escape("~change:") +
           "&sort=id&limit=100&offset=" + std::to_string(offset);
}

} // namespace

status_reader::status_reader(options opts)
    : project_session({opts.project, opts.config_text, false, false}), opts_(std::move(opts)) {}

void status_reader::opened() {
    change_trackers_ = tracker_ids(project_, config().changes.ticket_types);
    incidents_ = find_incident_source(project_, config().metrics);
    snapshot_.has_incidents = incidents_.tracker_id != 0;
    snapshot_.references = reference_style;
    if (opts_.changes_only) return read_changes_or_on();
    stage_ = stage::tickets;
    read(own_ticket_pages::first(ctx_));
}

void status_reader::take_own(const json& body, const http_response&) {
    switch (stage_) {
    case stage::tickets:
        if (const auto next = own_.take(ctx_, body)) return read(*next);
        return read_changes_or_on();
    case stage::changes:
        append(snapshot_.changes, change_records_from_page(body, ctx_));
        if (more_pages(body, "issues", offset_)) return read(changes_query(ctx_, change_trackers_, offset_));
        offset_ = 0;
        if (opts_.changes_only && ctx_.follow_up_tracker_id) {
            stage_ = stage::follow_ups;
            return read(follow_ups_query(ctx_, 0));
        }
        return read_incidents_or_on();
    case stage::follow_ups:
        append(snapshot_.follow_ups, follow_up_records_from_page(body, ctx_));
        if (more_pages(body, "issues", offset_)) return read(follow_ups_query(ctx_, offset_));
        return finish();
    case stage::incidents:
        append(snapshot_.incidents, incident_records_from_page(body, ctx_, incidents_));
        if (more_pages(body, "issues", offset_))
            return read(changes_query(ctx_, {incidents_.tracker_id}, offset_));
        stage_ = stage::authors;
        return next_author_or_done();
    case stage::authors:
        own_.authors.take(ctx_, body, config().sync.accounts);
        return next_author_or_done();
    }
}

void status_reader::read_changes_or_on() {
    if (!change_trackers_.empty()) {
        stage_ = stage::changes;
        return read(changes_query(ctx_, change_trackers_, 0));
    }
    if (opts_.changes_only) return finish();
    read_incidents_or_on();
}

void status_reader::read_incidents_or_on() {
    if (opts_.changes_only) return finish();
    if (incidents_.tracker_id) {
        stage_ = stage::incidents;
        return read(changes_query(ctx_, {incidents_.tracker_id}, 0));
    }
    stage_ = stage::authors;
    next_author_or_done();
}

void status_reader::next_author_or_done() {
    if (const auto path = own_.authors.next()) return read(*path);
    // Every author known: the tickets are Upkeep's or not.
    for (const json& page : own_.tickets) {
        append(snapshot_.tasks, task_records_from_page(page, ctx_));
        append(snapshot_.follow_ups, follow_up_records_from_page(page, ctx_));
        append(snapshot_.decisions, decision_records_from_page(page, ctx_));
        for (finding_record& f : finding_records_from_page(page, ctx_))
            if (f.kind != "nonconformity")
                snapshot_.findings.push_back(std::move(f)); // those come from below
    }
    for (const json& page : own_.nonconformities)
        append(snapshot_.findings, finding_records_from_page(page, ctx_));
    own_.clear();
    finish();
}

json status_reader::result() const {
    json warnings = json::array();
    for (const diagnostic& d : problems())
        if (d.level == severity::warning)
            warnings.push_back({{"pointer", d.pointer}, {"message", d.message}});
    // The configuration as read, also when it has errors: the ISMS tab shows them and offers its export.
    const json version = json_value(wiki_page(), "/wiki_page/version"_json_pointer, json());
    json out{{"read",
              {{"tickets", snapshot_.tasks.size()},
               {"changes", snapshot_.changes.size()},
               {"findings", snapshot_.findings.size()}}},
             {"configuration",
              {{"text", config_text()},
               {"source", config_source()},
               {"version", version},
               {"missing", configuration_missing()},
               {"warnings", warnings}}},
             {"failure", failure_json(failure())}};
    return out;
}

} // namespace upkeep::redmine
