// Redmine's sessions, opened from JSON requests (the WebAssembly boundary, the CLI):
//   "sync"               {"project", "today", "now", "lease_until", "run", "break_lease"?, "config"?,
//                        "apply"?, "publish_feed"?}: now and lease_until as YYYY-MM-DDTHH:MM:SSZ (UTC)
//   "status", "changes"  {"project", "config"?}: what the status needs (or the changes only); once done,
//                        its calls "status", "export_file" and "calendar" compute from what it read
//                        (json_api.hpp)
//   "change"             {"project", "change", "today", "answers"?, "based_on"?, "apply"?, "supplier"?:
//                        {"rule", "ticket"? | "name"?}}
//   "complete"           {"project", "issue", "today", "complete"?: {"done_on", "links", "note",
//                        "people_in_scope"?, "people_completed"?, "valid_until"?}, "files"?: [{"name",
//                        "content_type"}], "without_evidence"?}
//   "save_page"          {"project", "title", "text", "comment", "version"?}
//   "save_configuration" {"project", "config", "markup", "comment", "version"?}: validated first
//   "attach"             {"issue", "filename", "content_type", "text", "note"}
// A session in a project may be given "plugin_lists": true, to read its ticket lists from Upkeep's plugin.

#include "upkeep/redmine/host.hpp"

#include <upkeep/json_value.hpp>

#include "upkeep/redmine/change_session.hpp"
#include "upkeep/redmine/page_writes.hpp"
#include "upkeep/redmine/status_reader.hpp"
#include "upkeep/redmine/sync_session.hpp"
#include "upkeep/redmine/task_completion.hpp"
#include "upkeep/redmine/wiki_storage.hpp"

#include <upkeep/hosted_session.hpp>
#include <upkeep/json_api.hpp>
#include <upkeep/json_api_detail.hpp>
#include <upkeep/sync_lease.hpp>

#include <algorithm>

namespace upkeep::redmine {
namespace {

using json = nlohmann::json;
using json_api::detail::date_field;
using json_api::detail::flag;
using json_api::detail::optional_text;
using json_api::detail::read_completion;
using json_api::detail::text;

// A session of the request (whose "url", the tracker's address, is for messages).
template <typename Session, typename Options>
std::unique_ptr<host_session> open(Options options, const json& request, const retry_policy& policy) {
    auto session = std::make_unique<Session>(std::move(options));
    session->set_address(text(request, "url", ""));
    if constexpr (std::is_base_of_v<project_session, Session>)
        if (flag(request, "plugin_lists")) session->read_lists_from_plugin();
    return std::make_unique<hosted_session<Session>>(std::move(session), policy);
}

std::optional<long long> number(const json& request, const char* key) {
    const auto it = request.find(key);
    return it != request.end() && it->is_number_integer() ? std::optional(it->get<long long>())
                                                          : std::nullopt;
}

// The sessions of the status panel and of the configuration (the ISMS tab's module).
// (Functions, not globals: a module registers its host while statics are still being made.)
std::vector<std::string_view> panel_kinds() {
    return {"status", "changes", "save_page", "attach", "save_configuration"};
}
// The sessions that write control tasks, change follow-ups and completions (the ticket pages' module).
std::vector<std::string_view> ticket_kinds() {
    return {"sync", "change", "complete"};
}

// The request's project; "" with `error` set when it names none.
std::string project_of(const json& request, std::string& error) {
    std::string project = text(request, "project", "");
    if (project.empty()) error = "project: expected the project's identifier";
    return project;
}

std::unique_ptr<host_session> open_panel_session(std::string_view kind, const json& request,
                                                 const retry_policy& policy, std::string& error) {
    const std::string project = kind == "attach" ? std::string() : project_of(request, error);
    if (!error.empty()) return nullptr;
    if (kind == "status" || kind == "changes") {
        return open<status_reader>(
            status_reader::options{project, optional_text(request, "config"), kind == "changes"}, request,
            policy);
    }
    if (kind == "save_page") {
        return open<wiki_page_write>(
            wiki_page_write::options{project, text(request, "title", configuration_page),
                                     text(request, "text", ""), text(request, "comment", ""),
                                     number(request, "version")},
            request, policy);
    }
    if (kind == "save_configuration") {
        const std::string config = text(request, "config", "");
        const configuration_result parsed = parse_configuration(config);
        if (has_errors(parsed.problems)) {
            error = "the configuration has errors: validate it first; nothing was written";
            return nullptr;
        }
        const wiki_markup markup =
            text(request, "markup", "markdown") == "textile" ? wiki_markup::textile : wiki_markup::markdown;
        return open<wiki_page_write>(
            wiki_page_write::options{project, configuration_page, configuration_to_wiki_text(config, markup),
                                     text(request, "comment", "ISMS configuration (Upkeep)"),
                                     number(request, "version")},
            request, policy);
    }
    if (kind == "attach") {
        const auto issue = number(request, "issue");
        if (!issue) {
            error = "issue: expected a ticket number";
            return nullptr;
        }
        return open<ticket_attachment>(
            ticket_attachment::options{*issue, text(request, "filename", "file"),
                                       text(request, "content_type", "application/octet-stream"),
                                       text(request, "text", ""), text(request, "note", "")},
            request, policy);
    }
    return nullptr;
}

std::unique_ptr<host_session> open_ticket_session(std::string_view kind, const json& request,
                                                  const retry_policy& policy, std::string& error) {
    const std::string project = project_of(request, error);
    if (!error.empty()) return nullptr;
    const auto today = date_field(request, "today", error);
    if (!today) return nullptr;
    if (kind == "sync") {
        const auto apply = request.find("apply");
        const auto feed = request.find("publish_feed");
        const std::string now = text(request, "now", ""), until = text(request, "lease_until", "");
        if (!is_utc_instant(now) || !is_utc_instant(until)) {
            error = "now, lease_until: expected UTC times, YYYY-MM-DDTHH:MM:SSZ";
            return nullptr;
        }
        return open<sync_session>(
            sync_session::options{project, *today, optional_text(request, "config"),
                                  apply == request.end() || !apply->is_boolean() || apply->get<bool>(),
                                  feed == request.end() || !feed->is_boolean() || feed->get<bool>(), now,
                                  until, text(request, "run", "a sync"), flag(request, "break_lease")},
            request, policy);
    }
    if (kind == "change") {
        const auto change = number(request, "change");
        if (!change) {
            error = "change: expected the change ticket's number";
            return nullptr;
        }
        change_session::options options{project,      *change,      *today,
                                        std::nullopt, std::nullopt, flag(request, "apply")};
        if (!json_api::detail::read_answers(request, options.answers, options.based_on, error))
            return nullptr;
        if (const auto it = request.find("supplier"); it != request.end() && it->is_object())
            options.supplier = {text(*it, "rule", ""), number(*it, "ticket").value_or(0),
                                text(*it, "name", "")};
        return open<change_session>(std::move(options), request, policy);
    }
    if (kind == "complete") {
        const auto issue = number(request, "issue");
        if (!issue) {
            error = "issue: expected the control task's number";
            return nullptr;
        }
        task_completion::options options{project,      *issue, *today,
                                         std::nullopt, {},     flag(request, "without_evidence")};
        if (!read_completion(request, options.complete, error)) return nullptr;
        if (options.complete)
            for (const json& file : json_array_at(request, "files"))
                options.files.push_back({text(file, "name", "file"), text(file, "content_type", "")});
        return open<task_completion>(std::move(options), request, policy);
    }
    return nullptr;
}

void register_with(session_factory opener) {
    // A command's requests carry the account's API key in Redmine's header.
    const auto api_key = [](const std::string& key) { return http_header{"X-Redmine-API-Key", key}; };
    upkeep::register_host(
        {"redmine", host_profile{"Redmine", reference_style, markup::textile, api_key}, opener});
}

} // namespace

void register_host() {
    register_with(
        sessions_of("Redmine", {{panel_kinds(), open_panel_session}, {ticket_kinds(), open_ticket_session}}));
}

void register_panel_host() {
    register_with(sessions_of("Redmine", {{panel_kinds(), open_panel_session}}, ticket_kinds()));
}

void register_tickets_host() {
    register_with(sessions_of("Redmine", {{ticket_kinds(), open_ticket_session}}, panel_kinds()));
}

} // namespace upkeep::redmine
