#include "upkeep/redmine/task_completion.hpp"

#include <upkeep/dates.hpp>
#include <upkeep/json_api_detail.hpp>
#include <upkeep/json_value.hpp>

#include <upkeep/soa.hpp>
#include <upkeep/supplier_reviews.hpp>
#include <upkeep/ticket_key.hpp>
#include <upkeep/ticket_state.hpp>

namespace upkeep::redmine {

using json = nlohmann::json;

task_completion::task_completion(options opts)
    : project_session({opts.project, std::nullopt, false, false}), opts_(std::move(opts)) {}

void task_completion::opened() {
    read("/issues/" + std::to_string(opts_.issue) + ".json?include=attachments");
}

void task_completion::take_own(json& body, const http_response&) {
    switch (stage_) {
    case stage::issue: {
        if (body.is_null())
            return fail(failure_kind::not_set_up, "#" + std::to_string(opts_.issue) +
                                                      " does not exist or is not visible to your account");
        issue_ = json_object_at(body, "issue");
        const std::string key = custom_value(issue_, ctx_.key_field_id);
        if (key.empty() || json_value(issue_, json_path{"/tracker/id"}, 0LL) != ctx_.tracker_id) {
            why_not_ = "This ticket is not one of Upkeep's control tasks.";
            return finish();
        }
        // A supplier's review: its activity is made of the supplier's ticket (supplier_reviews.hpp).
        const auto supplier = supplier_of_activity(ticket_key::parse(key).activity);
        if (supplier && ctx_.supplier_tracker_id) {
            stage_ = stage::supplier;
            return read("/issues/" + std::to_string(*supplier) + ".json");
        }
        return task_read();
    }
    case stage::supplier:
        if (const auto supplier = supplier_of(json_object_at(body, "issue"), ctx_))
            add_suppliers({*supplier});
        return task_read();
    case stage::upload:
        uploads_.push_back(
            json_object({{"token", json_value(body, json_path{"/upload/token"}, std::string{})},
                         {"filename", opts_.files[uploads_.size()].name},
                         {"content_type", opts_.files[uploads_.size()].content_type.empty()
                                              ? std::string("application/octet-stream")
                                              : opts_.files[uploads_.size()].content_type}}));
        return next_upload();
    case stage::complete:
        stage_ = stage::read_back;
        return read("/issues/" + std::to_string(opts_.issue) + ".json");
    case stage::read_back: {
        const json& now = json_object_at(body, "issue");
        if (!is_closed(now, ctx_))
            return fail(failure_kind::refused,
                        "The evidence was recorded, but Redmine's workflow does not let your role close this "
                        "ticket (" +
                            json_value(now, json_path{"/status/name"}, std::string("?")) +
                            "): ask the project manager.");
        completed_ = true;
        issue_ = now;
        return finish();
    }
    }
}

void task_completion::next_upload() {
    if (uploads_.size() < opts_.files.size())
        return upload(opts_.files[uploads_.size()].name, "", static_cast<int>(uploads_.size()));
    const completion& c = *opts_.complete;
    // Upkeep's state says whether evidence came with the completion; the status reads it.
    ticket_state state = ticket_state::parse(custom_value(issue_, ctx_.state_field_id));
    state.evidence = !c.without_evidence();
    const std::string state_text = state.format();
    json fields = json::array({json_object({{"id", ctx_.state_field_id}, {"value", state_text}})});
    if (ctx_.evidence_date_field_id)
        fields.push_back(
            json_object({{"id", ctx_.evidence_date_field_id}, {"value", format_iso_date(c.done_on)}}));
    if (c.valid_until)
        fields.push_back(
            json_object({{"id", ctx_.valid_until_field_id}, {"value", format_iso_date(*c.valid_until)}}));
    if (ctx_.evidence_links_field_id && !c.links.empty()) {
        std::string links;
        for (const std::string& link : c.links)
            links += (links.empty() ? "" : "\n") + link;
        fields.push_back(json_object({{"id", ctx_.evidence_links_field_id}, {"value", links}}));
    }
    if (c.people_in_scope && ctx_.people_in_scope_field_id)
        fields.push_back(json_object(
            {{"id", ctx_.people_in_scope_field_id}, {"value", std::to_string(*c.people_in_scope)}}));
    if (c.people_completed && ctx_.people_completed_field_id)
        fields.push_back(json_object(
            {{"id", ctx_.people_completed_field_id}, {"value", std::to_string(*c.people_completed)}}));
    std::string note = completion_note(c);
    // A review of the SoA links the version of the configuration page that holds the SoA it leaves in force.
    if (config().soa && reviews_soa(*occurrence_->what) && !wiki_page().is_null())
        note += "\n\n" + soa_in_force(*config().soa, configuration_version_url());
    json issue = json_object({{"status_id", ctx_.close_status_id},
                              {"notes", std::move(note)},
                              {"custom_fields", std::move(fields)}});
    if (!uploads_.empty()) issue["uploads"] = uploads_;
    stage_ = stage::complete;
    const std::string path = "/issues/" + std::to_string(opts_.issue) + ".json";
    write("PUT", path, json_object({{"issue", std::move(issue)}}), path,
          {write_check::kind::state_is, state_text, 0}, "complete #" + std::to_string(opts_.issue));
}

// The ticket is read: its occurrence, then the completion's checks and its uploads.
void task_completion::task_read() {
    const std::string key = custom_value(issue_, ctx_.key_field_id);
    occurrence_ = find_occurrence(config(), key,
                                  ticket_state::parse(custom_value(issue_, ctx_.state_field_id)).renewal);
    if (!occurrence_) {
        why_not_ = "\"" + key + "\" is not an occurrence in the ISMS configuration (it may have changed).";
        return finish();
    }
    if (!opts_.complete || is_closed(issue_, ctx_)) return finish();
    const diagnostics problems =
        check_completion(*opts_.complete, opts_.today, is_training(config(), *occurrence_->what),
                         opts_.close_without_evidence);
    if (!problems.empty()) return fail(failure_kind::bad_input, problems[0].message, problems);
    if (opts_.complete->valid_until && !ctx_.valid_until_field_id)
        return fail(failure_kind::not_set_up,
                    std::string("the project has no custom field \"") + evidence_valid_until_field +
                        "\" for the day the evidence is valid until: run rake upkeep:setup again");
    stage_ = stage::upload;
    next_upload();
}

json task_completion::result() const {
    json view = nullptr;
    if (!issue_.is_null() && !failure())
        view = json_api::detail::completion_view(
            config(), occurrence_, opts_.issue, why_not_, is_closed(issue_, ctx_),
            json_value(issue_, json_path{"/status/name"}, std::string{}),
            ctx_.evidence_date_field_id ? custom_value(issue_, ctx_.evidence_date_field_id) : "",
            ctx_.valid_until_field_id ? custom_value(issue_, ctx_.valid_until_field_id) : "");
    return json_object(
        {{"view", std::move(view)}, {"completed", completed_}, {"failure", failure_json(failure())}});
}

} // namespace upkeep::redmine
