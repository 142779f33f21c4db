// The JSON sessions of json_api.hpp (the sync and the change prompt), built for size in the wasm build:
// the browser calls them a few times a page, unlike the expansion calls.

#include "upkeep/json_api.hpp"

#include "json_api_shared.hpp"
#include "upkeep/redmine_change.hpp"
#include "upkeep/redmine_sync.hpp"

namespace upkeep::json_api {

using namespace detail;

redmine_sync::redmine_sync(std::string_view request_json) {
    const json request = json::parse(request_json, nullptr, false);
    std::string error;
    const auto today = request.is_object() ? date_field(request, "today", error) : std::nullopt;
    if (!today || !request.contains("project") || !request["project"].is_string()) {
        error_ = error.empty() ? "expected {\"project\", \"today\", \"config\"}" : error;
        return;
    }
    std::optional<std::string> config;
    if (request.contains("config") && request["config"].is_string())
        config = request["config"].get<std::string>();
    session_ = std::make_unique<redmine::sync_session>(
        redmine::sync_session::options{request["project"].get<std::string>(), *today, config});
}

redmine_sync::~redmine_sync() = default;

std::string redmine_sync::step() const {
    if (!session_) return error_line(error_);
    using redmine::session_state;
    switch (session_->state()) {
    case session_state::read:
        return json{{"read", session_->path()}}.dump();
    case session_state::not_set_up:
    case session_state::bad_configuration: {
        json out{
            {"kind", session_->state() == session_state::not_set_up ? "not_set_up" : "bad_configuration"},
            {"source", session_->config_source()}};
        out["problems"] = problems_to_json(session_->problems(), severity::error);
        return out.dump();
    }
    case session_state::planned:
        break;
    }
    const sync_plan& plan = session_->plan();
    const redmine::context& ctx = session_->ctx();
    json actions = json::array();
    for (const sync_action& a : plan.actions) {
        const redmine::request r = redmine::request_of(a, ctx);
        actions.push_back({{"kind", to_string(a.kind)},
                           {"key", a.key},
                           {"reason", a.reason},
                           {"method", r.method},
                           {"path", r.path},
                           {"body", redmine::payload(a, ctx)},
                           {"check", r.check}});
    }
    return json{{"plan",
                 {{"since", format_iso_date(plan.since)},
                  {"unchanged", plan.unchanged},
                  {"counts",
                   {{"create", plan.count(sync_action_kind::create)},
                    {"update", plan.count(sync_action_kind::update)},
                    {"comment", plan.count(sync_action_kind::comment)},
                    {"close", plan.count(sync_action_kind::close)}}},
                  {"notices", plan.notices},
                  {"warnings", problems_to_json(session_->problems(), severity::warning)},
                  {"actions", std::move(actions)}}}}
        .dump();
}

void redmine_sync::answer(std::string_view body_json) {
    if (!session_) return;
    const json body = json::parse(body_json, nullptr, false);
    session_->answer(body.is_discarded() ? json(nullptr) : body);
}

bool redmine_sync::already_applied(int index, std::string_view body_json) const {
    if (!session_ || session_->state() != redmine::session_state::planned || index < 0 ||
        static_cast<std::size_t>(index) >= session_->plan().actions.size())
        return false;
    const json body = json::parse(body_json, nullptr, false);
    if (body.is_discarded()) return false;
    return redmine::already_applied(session_->plan().actions[static_cast<std::size_t>(index)], body,
                                    session_->ctx());
}

change_prompt::change_prompt(std::string_view request_json) {
    const json request = json::parse(request_json, nullptr, false);
    std::string error;
    const auto today = request.is_object() ? date_field(request, "today", error) : std::nullopt;
    if (!today || !request["project"].is_string() || !request["change"].is_number_integer()) {
        error_ = error.empty() ? "expected {\"project\", \"change\", \"today\", \"answers\"}" : error;
        return;
    }
    redmine::change_session::options options{request["project"].get<std::string>(),
                                             request["change"].get<long long>(), *today, std::nullopt};
    if (const auto it = request.find("answers"); it != request.end()) {
        if (!it->is_object()) {
            error_ = "answers: expected an object of question id to answer";
            return;
        }
        change_answers answers;
        for (const auto& [id, value] : it->items())
            answers[id] = value.is_string() ? value.get<std::string>() : value.dump();
        options.answers = std::move(answers);
    }
    session_ = std::make_unique<redmine::change_session>(std::move(options));
}

change_prompt::~change_prompt() = default;

std::string change_prompt::step() const {
    if (!session_) return error_line(error_);
    using redmine::change_state;
    switch (session_->state()) {
    case change_state::read:
        return json{{"read", session_->path()}}.dump();
    case change_state::ready:
        return json{{"ready", session_->view()}}.dump();
    case change_state::not_a_change:
        return json{{"kind", "not_a_change"}, {"problems", json::array()}, {"view", session_->view()}}.dump();
    case change_state::not_set_up:
    case change_state::bad_configuration:
    case change_state::bad_answers:
        break;
    }
    const auto kind = session_->state() == change_state::not_set_up          ? "not_set_up"
                      : session_->state() == change_state::bad_configuration ? "bad_configuration"
                                                                             : "bad_answers";
    json out{{"kind", kind}, {"problems", problems_to_json(session_->problems(), severity::error)}};
    if (session_->state() == change_state::bad_answers) out["view"] = session_->view();
    return out.dump();
}

void change_prompt::answer(std::string_view body_json) {
    if (!session_) return;
    const json body = json::parse(body_json, nullptr, false);
    session_->answer(body.is_discarded() ? json(nullptr) : body);
}

void change_prompt::reread() {
    if (session_) session_->reread();
}

} // namespace upkeep::json_api
