// Jira Cloud's sessions, opened from JSON requests (the CLI and the Forge app's backend):
//   "status", "changes"  {"project": the project's key, "config": the configuration's text, "accounts"?,
//              "own_account"?: false when the account reading is a person's, not Upkeep's}: what the
//              status needs (only Upkeep's issues: reported by Upkeep's accounts); once done, its calls
//              "status", "export_file" and "calendar" compute from what it read (json_api.hpp)
//   "sync"     {"project", "config", "today", "apply"?: false for the plan only, "issue_type"?: the issue
//              type of control tasks, "Task" by default, "accounts"?: the account ids whose issues are
//              Upkeep's besides the sync's own and /sync/accounts, as the shell vouches for them,
//              "made_before"?: the Upkeep keys earlier runs of the same sync made a moment ago}
//   "change"   {"project", "config", "issue": the change issue's key, "today", "answers"?: {question id:
//              answer}, "based_on"?: the revision the answers' form showed, "by"?, "by_name"?, "on"?: who
//              answered and when (the app publishing a record it claimed; the account's, today, by default),
//              "apply"?: bring the follow-ups in line, "check_only"?, "issue_type"?: the follow-ups'
//              ("Task"), "accounts"?}: the change prompt (change_session.hpp)
//   "complete" {"project", "config", "issue": the control task's key ("ISMS-12"), "today",
//              "complete"?: {"done_on", "links", "note", "people_in_scope"?, "people_completed"?,
//              "valid_until"?}, "files"?: [{"name"}] (attached already), "without_evidence"?, "accounts"?,
//              "own_account"?, "check_only"?: check the completion, write nothing}: without "complete"
//              only reads the task
// A command's requests carry the account's e-mail and API token (the credential "EMAIL:TOKEN") as HTTP
// Basic authentication, as Jira Cloud's REST API takes them.

#include "upkeep/jira/host.hpp"

#include "upkeep/jira/change_session.hpp"
#include "upkeep/jira/status_reader.hpp"
#include "upkeep/jira/sync_session.hpp"
#include "upkeep/jira/task_completion.hpp"

#include <upkeep/hosted_session.hpp>
#include <upkeep/json_api.hpp>
#include <upkeep/json_api_detail.hpp>
#include <upkeep/json_value.hpp>

#include <algorithm>

namespace upkeep::jira {
namespace {

using json = nlohmann::json;
using json_api::detail::optional_text;

// "own_account": false when the session runs as a person who is not Upkeep (the Forge app's page and panels).
bool own_account_counts(const json& request) {
    const auto it = request.find("own_account");
    return it == request.end() || !it->is_boolean() || it->get<bool>();
}

// The accounts a shell vouches for, whose issues with Upkeep's property are Upkeep's ("accounts").
std::vector<std::string> accounts_of(const json& request) {
    std::vector<std::string> accounts;
    if (const auto it = request.find("accounts"); it != request.end() && it->is_array())
        for (const json& account : *it)
            if (account.is_string()) accounts.push_back(account.get<std::string>());
    return accounts;
}

// The sessions of the project page (the status, its files) and those that write issues: each in its own
// wasm module (wasm/CMakeLists.txt), both in the command.
// (Functions, not globals: a module registers its host while statics are still being made.)
std::vector<std::string_view> panel_kinds() {
    return {"status", "changes"};
}
std::vector<std::string_view> ticket_kinds() {
    return {"sync", "complete", "change"};
}

// A project's key as Jira makes them: a capital letter, then capitals, digits and underscores; "" with
// `error` set for anything else.
std::string project_of(const json& request, std::string& error) {
    const std::string project = json_api::detail::text(request, "project", "");
    const bool key = project.size() >= 2 && project.size() <= 255 && project[0] >= 'A' && project[0] <= 'Z' &&
                     std::all_of(project.begin(), project.end(), [](char c) {
                         return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                     });
    if (key) return project;
    error = "project: expected the Jira project's key, such as ISMS (\"" + project + "\" is not one)";
    return {};
}

std::unique_ptr<host_session> open_panel_session(std::string_view, const json& request,
                                                 const retry_policy& policy, std::string& error) {
    const std::string project = project_of(request, error);
    if (project.empty()) return nullptr;
    auto reader =
        std::make_unique<status_reader>(project, optional_text(request, "config"),
                                        json_api::detail::text(request, "url", ""), accounts_of(request));
    reader->own_account_makes_upkeeps(own_account_counts(request));
    return std::make_unique<hosted_session<status_reader>>(std::move(reader), policy);
}

std::unique_ptr<host_session> open_ticket_session(std::string_view kind, const json& request,
                                                  const retry_policy& policy, std::string& error) {
    const std::string project = project_of(request, error);
    if (project.empty()) return nullptr;
    const std::string address = json_api::detail::text(request, "url", "");
    if (kind == "sync") {
        const auto today = json_api::detail::date_field(request, "today", error);
        if (!today) return nullptr;
        sync_session::options options{.project = project,
                                      .today = *today,
                                      .config_text = optional_text(request, "config"),
                                      .address = address};
        if (const auto it = request.find("apply"); it != request.end() && it->is_boolean())
            options.apply = it->get<bool>();
        if (const auto type = optional_text(request, "issue_type")) options.issue_type = *type;
        options.accounts = accounts_of(request);
        if (const auto it = request.find("made_before"); it != request.end() && it->is_array())
            for (const json& key : *it)
                if (key.is_string()) options.made_before.insert(key.get<std::string>());
        return std::make_unique<hosted_session<sync_session>>(
            std::make_unique<sync_session>(std::move(options)), policy);
    }
    if (kind == "complete") {
        const auto today = json_api::detail::date_field(request, "today", error);
        if (!today) return nullptr;
        task_completion::options options{project,      json_api::detail::text(request, "issue", ""),
                                         *today,       optional_text(request, "config"),
                                         std::nullopt, json_api::detail::flag(request, "without_evidence"),
                                         address,      accounts_of(request)};
        options.check_only = json_api::detail::flag(request, "check_only");
        if (!json_api::detail::read_completion(request, options.complete, error)) return nullptr;
        auto completion = std::make_unique<task_completion>(std::move(options));
        completion->own_account_makes_upkeeps(own_account_counts(request));
        return std::make_unique<hosted_session<task_completion>>(std::move(completion), policy);
    }
    if (kind == "change") {
        const auto today = json_api::detail::date_field(request, "today", error);
        if (!today) return nullptr;
        change_session::options options{project, json_api::detail::text(request, "issue", ""), *today,
                                        optional_text(request, "config")};
        if (!json_api::detail::read_answers(request, options.answers, options.based_on, error))
            return nullptr;
        options.by = json_api::detail::text(request, "by", "");
        options.by_name = json_api::detail::text(request, "by_name", "");
        if (request.contains("on")) {
            const auto on = json_api::detail::date_field(request, "on", error);
            if (!on) return nullptr;
            options.on = *on;
        }
        options.apply = json_api::detail::flag(request, "apply");
        options.check_only = json_api::detail::flag(request, "check_only");
        if (const auto type = optional_text(request, "issue_type")) options.issue_type = *type;
        options.address = address;
        options.accounts = accounts_of(request);
        return std::make_unique<hosted_session<change_session>>(
            std::make_unique<change_session>(std::move(options)), policy);
    }
    error = "no session \"" + std::string(kind) + "\" for Jira Cloud";
    return nullptr;
}

// RFC 4648 base64, for HTTP Basic authentication.
std::string base64(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        unsigned v = 0;
        for (std::size_t k = 0; k < 3; ++k)
            v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k)
            out.push_back(k <= n ? alphabet[(v >> (18 - 6 * k)) & 63] : '=');
    }
    return out;
}

void register_with(session_factory opener) {
    const auto basic = [](const std::string& credential) {
        return http_header{"Authorization", "Basic " + base64(credential)};
    };
    upkeep::register_host({"jira", host_profile{"Jira Cloud", {""}, markup::markdown, basic}, opener});
}

} // namespace

void register_host() {
    register_with(sessions_of("Jira Cloud",
                              {{panel_kinds(), open_panel_session}, {ticket_kinds(), open_ticket_session}}));
}

void register_panel_host() {
    register_with(sessions_of("Jira Cloud", {{panel_kinds(), open_panel_session}}, ticket_kinds()));
}

void register_tickets_host() {
    register_with(sessions_of("Jira Cloud", {{ticket_kinds(), open_ticket_session}}, panel_kinds()));
}

} // namespace upkeep::jira
