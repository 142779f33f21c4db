// The status's reads: the opening; then, side by side, every page of the project's tickets carrying an
// Upkeep key (control tasks, corrective actions, verifications, review decisions, change follow-ups), of
// its nonconformities, of the change tickets of the configuration's change trackers, of the incidents
// of its incident tracker and of the supplier register (when the configuration reviews suppliers); then
// the other authors of keyed tickets, once each and together, to know which tickets are Upkeep's (but for
// those whose login the list gave: the plugin's lists do). For `upkeep changes`, only the change tickets
// and the change follow-ups.

#include "upkeep/redmine/status_reader.hpp"

#include <upkeep/json_api_detail.hpp>
#include <upkeep/json_value.hpp>

namespace upkeep::redmine {

using json = nlohmann::json;

namespace {

template <typename List> void append(List& to, List from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

} // namespace

status_reader::status_reader(options opts)
    : project_session({opts.project, opts.config_text, false, false}), opts_(std::move(opts)) {}

std::string status_reader::query(stream which, std::size_t offset) const {
    switch (which) {
    case tickets:
        return issues_query(ctx_, offset);
    case nonconformities:
        return nonconformities_query(ctx_, offset);
    case changes:
        return changes_query(ctx_, change_trackers_, offset);
    case follow_ups:
        return follow_ups_query(ctx_, "change:", offset);
    case incidents:
        return changes_query(ctx_, {incidents_.tracker_id}, offset);
    case suppliers:
        return changes_query(ctx_, {ctx_.supplier_tracker_id}, offset);
    default:
        return "";
    }
}

void status_reader::opened() {
    change_trackers_ = tracker_ids(project_, config().changes.ticket_types);
    incidents_ = find_incident_source(project_, config().metrics);
    snapshot_.has_incidents = incidents_.tracker_id != 0;
    snapshot_.references = reference_style;
    if (!address().empty()) snapshot_.references.url = address() + "/issues/";
    std::vector<stream> lists;
    if (!opts_.changes_only) lists = {tickets, nonconformities};
    if (!change_trackers_.empty()) lists.push_back(changes);
    if (opts_.changes_only && ctx_.follow_up_tracker_id) lists.push_back(follow_ups);
    if (!opts_.changes_only && incidents_.tracker_id) lists.push_back(incidents);
    if (!opts_.changes_only && ctx_.supplier_tracker_id && !config().suppliers.reviews.empty())
        lists.push_back(suppliers);
    for (const stream which : lists) {
        ++lists_out_;
        read(query(which, 0), which);
    }
    if (lists.empty()) finish();
}

void status_reader::next_page(stream which, const json& page) {
    next_page(which, json_array_at(page, "issues").size(), json_value(page, "total_count", std::size_t{0}));
}

void status_reader::next_page(stream which, std::size_t size, std::size_t total) {
    if (!paged_[which]) {
        // The first page says how many there are: every other page at once, so that a tracker that
        // answers side by side does, and one that answers in turn works while the last answer is taken.
        paged_[which] = true;
        for (std::size_t offset = size; size > 0 && offset < total; offset += size) {
            ++pages_out_[which];
            read(query(which, offset), which);
        }
    } else {
        --pages_out_[which];
    }
    if (pages_out_[which] == 0) list_read();
}

void status_reader::take_own(json& body, const http_response&) {
    const auto which = static_cast<stream>(answering());
    switch (which) {
    case tickets:
    case nonconformities: {
        own_.authors.collect(ctx_, body, config().sync.accounts);
        const std::size_t size = json_array_at(body, "issues").size();
        const std::size_t total = json_value(body, "total_count", std::size_t{0});
        (which == tickets ? own_.tickets : own_.nonconformities)
            .push_back(std::move(body)); // kept, not copied
        return next_page(which, size, total);
    }
    case changes:
        append(snapshot_.changes, change_records_from_page(body, ctx_));
        return next_page(which, body);
    case follow_ups:
        append(snapshot_.follow_ups, follow_up_records_from_page(body, ctx_));
        return next_page(which, body);
    case incidents:
        append(snapshot_.incidents, incident_records_from_page(body, ctx_, incidents_));
        return next_page(which, body);
    case suppliers:
        append(snapshot_.suppliers, supplier_records_from_page(body, ctx_));
        return next_page(which, body);
    case authors:
        own_.authors.take(ctx_, body, config().sync.accounts);
        if (--authors_out_ == 0) snapshot_done();
        return;
    case streams:
        return;
    }
}

void status_reader::list_read() {
    if (--lists_out_ > 0) return;
    if (opts_.changes_only) return finish();
    // Every list in: the other authors of keyed tickets, together.
    while (const auto path = own_.authors.next()) {
        ++authors_out_;
        read(*path, authors);
    }
    if (authors_out_ == 0) snapshot_done();
}

void status_reader::snapshot_done() {
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
    add_suppliers(snapshot_.suppliers);
    finish();
}

json status_reader::result() const {
    // The configuration as read, also when it has errors: the ISMS tab shows them and offers its export.
    const json version = json_value(wiki_page(), json_path{"/wiki_page/version"}, json());
    json out = json_object(
        {{"read", json_object({{"tickets", snapshot_.tasks.size()},
                               {"changes", snapshot_.changes.size()},
                               {"findings", snapshot_.findings.size()}})},
         {"configuration",
          json_object({{"text", config_text()},
                       {"source", config_source()},
                       {"version", version},
                       {"missing", configuration_missing()},
                       {"warnings", json_api::detail::problems_to_json(problems(), severity::warning)}})},
         {"failure", failure_json(failure())}});
    return out;
}

} // namespace upkeep::redmine
