#include "tracker_session.hpp"

#include "io.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace upkeep::cli {
namespace {

std::optional<std::string> read_api_key(const parsed_arguments& args) {
    if (const auto file = args.get("api-key-file")) {
        std::ifstream in(*file);
        std::string key;
        if (!in || !std::getline(in, key)) return std::nullopt;
        while (!key.empty() && (key.back() == '\r' || key.back() == ' '))
            key.pop_back();
        return key.empty() ? std::nullopt : std::optional<std::string>(key);
    }
    if (const char* env = std::getenv("UPKEEP_API_KEY"); env && *env) return std::string(env);
    return std::nullopt;
}

retry_policy policy_from_environment() {
    retry_policy policy;
    if (const char* base = std::getenv("UPKEEP_RETRY_BASE_MS"))
        policy.base_delay = std::chrono::milliseconds(std::atoi(base));
    if (const char* attempts = std::getenv("UPKEEP_RETRY_ATTEMPTS"))
        policy.max_attempts = std::max(1, std::atoi(attempts));
    return policy;
}

} // namespace

failure classify(const std::string& method, const std::string& path, const http_answer& answer,
                 const std::string& url) {
    const std::string what = describe(method, path, answer);
    if (answer.status == 0)
        return {exit_unreachable,
                what + ": cannot reach Redmine at " + url + "; check the address and that it runs"};
    if (answer.status == 401)
        return {exit_refused,
                what + ": the API key was refused; check it (My account > API access key) and that "
                       "the REST API is enabled (Administration > Settings > API)"};
    if (answer.status == 403)
        return {exit_refused,
                what + ": the account lacks a permission; make it a project member with a role that "
                       "can view, add and edit issues and view the wiki"};
    if (answer.status == 404)
        return {exit_not_set_up,
                what + ": not found or not visible to this account; check --project and membership"};
    if (answer.status == 422)
        return {exit_not_set_up,
                what + ": Redmine refused the data (an owner who cannot be assigned issues, a field "
                       "not enabled for the tracker?); fix that, or run `rake upkeep:setup`"};
    return {exit_unreachable,
            what + ": Redmine keeps failing; try again later (a rerun continues where this stopped)"};
}

int open_tracker_session(const std::string& command, const parsed_arguments& args, day_point today,
                         bool read_only, tracker_session& out) {
    const auto url = args.get("url");
    const auto project = args.get("project");
    if (!url || !project) return usage_error(command, "give --url and --project");
    if (url->find("key=") != std::string::npos)
        return usage_error(command,
                           "--url must not carry an API key (URLs end up in logs): use UPKEEP_API_KEY");
    const auto key = read_api_key(args);
    if (!key) return usage_error(command, "no API key: set UPKEEP_API_KEY, or give --api-key-file FILE");
    out.http = std::make_unique<tracker_http>(*url, *key, policy_from_environment());
    if (!out.http->valid_url())
        return usage_error(command, "--url \"" + *url + "\" is not an http:// or https:// address");

    std::optional<std::string> config_text;
    if (const auto file = args.get("config")) {
        config_text = read_input(*file);
        if (!config_text) return exit_failure;
    }
    out.session = std::make_unique<redmine::sync_session>(
        redmine::sync_session::options{*project, today, config_text, read_only});
    redmine::sync_session& session = *out.session;
    while (session.state() == redmine::session_state::read) {
        const http_answer answer = out.http->get(session.path());
        if (answer.status == 404) {
            session.answer(nullptr);
        } else if (answer.ok()) {
            session.answer(answer.body);
        } else {
            const failure f = classify("GET", session.path(), answer, out.http->url());
            std::cerr << "upkeep " << command << ": " << f.message << "\n";
            return f.status;
        }
    }
    out.config_label = args.get("config").value_or(session.config_source());
    if (session.state() == redmine::session_state::bad_configuration) {
        print_diagnostics(out.config_label, session.problems());
        std::cerr << "upkeep " << command << ": the configuration has errors; nothing was written\n";
        return exit_bad_input;
    }
    if (session.state() == redmine::session_state::not_set_up) {
        std::cerr << "upkeep " << command << ": Redmine project " << *project
                  << " is not ready for Upkeep; nothing was written:";
        for (const auto& p : session.problems())
            std::cerr << "\n  - " << p.message;
        std::cerr << "\n";
        return exit_not_set_up;
    }
    print_diagnostics(out.config_label, session.problems()); // warnings
    return exit_ok;
}

} // namespace upkeep::cli
