#include "tracker_pump.hpp"

#include "io.hpp"

#include <upkeep/exchange.hpp>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace upkeep::cli {
namespace {

// SIGINT or SIGTERM: the run stops between two requests and gives back what it holds (the sync lease);
// a second one ends it at once (the handler resets itself).
volatile std::sig_atomic_t interrupted_by = 0;
extern "C" void on_interrupt(int signal) {
    interrupted_by = signal;
}

void stop_between_requests_on_interrupt() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// The API key, or what keeps the command from having one (said as a usage error).
struct api_key {
    std::string value;
    std::string problem;
};

api_key read_api_key(const parsed_arguments& args) {
    if (const auto file = args.get("api-key-file")) {
        std::ifstream in(*file);
        if (!in)
            return {"", "--api-key-file " + *file + ": cannot read that file (" + std::strerror(errno) +
                            "): it must be readable by the account the command runs as"};
        std::string key;
        std::getline(in, key);
        while (!key.empty() && (key.back() == '\r' || key.back() == ' '))
            key.pop_back();
        if (key.empty())
            return {"", "--api-key-file " + *file + ": its first line is empty: put the API key there"};
        return {key, ""};
    }
    if (const char* env = std::getenv("UPKEEP_API_KEY"); env && *env) return {env, ""};
    return {"", "no API key: set UPKEEP_API_KEY, or give --api-key-file FILE"};
}

// The core's retry policy; tests shorten it through the environment.
retry_policy policy_from_environment() {
    retry_policy policy;
    if (const char* base = std::getenv("UPKEEP_RETRY_BASE_MS")) policy.base_delay_ms = std::atol(base);
    if (const char* attempts = std::getenv("UPKEEP_RETRY_ATTEMPTS"))
        policy.max_attempts = std::max(1, std::atoi(attempts));
    return policy;
}

// The authority of an http(s) URL ("user@host:port"): between "://" and the path, query or fragment.
std::string url_authority(const std::string& url) {
    const std::size_t start = url.find("://");
    if (start == std::string::npos) return "";
    return url.substr(start + 3, url.find_first_of("/?#", start + 3) - (start + 3));
}

bool has_credentials(const std::string& url) {
    return url_authority(url).find('@') != std::string::npos;
}

// The host of an http(s) URL: its authority without a "user@" or a port.
std::string url_host(const std::string& url) {
    std::string host = url_authority(url);
    if (const std::size_t at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
    if (host.starts_with("[")) return host.substr(1, host.find(']') - 1);
    return host.substr(0, host.find(':'));
}

// `2026-12-01T17:05:00Z`.
std::string utc_instant(std::time_t t) {
    std::tm parts{};
    gmtime_r(&t, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

// localhost, 127.x.x.x or ::1: a key sent there over http stays on this machine.
bool is_loopback(const std::string& url) {
    const std::string host = url_host(url);
    return host == "localhost" || host.starts_with("127.") || host == "::1";
}

} // namespace

int exit_status(failure_kind kind) {
    switch (kind) {
    case failure_kind::bad_input:
        return exit_bad_input;
    case failure_kind::unreachable:
        return exit_unreachable;
    case failure_kind::refused:
        return exit_refused;
    case failure_kind::not_set_up:
        return exit_not_set_up;
    case failure_kind::feed_not_published:
        return exit_feed_not_published;
    case failure_kind::busy:
        break;
    }
    return exit_busy;
}

int run_tracker_session(const std::string& command, const parsed_arguments& args, std::string_view kind,
                        nlohmann::json request, tracker_run& out) {
    const auto url = args.get("url");
    const auto project = args.get("project");
    if (!url || !project) return usage_error(command, "give --url and --project");
    if (url->find("key=") != std::string::npos)
        return usage_error(command,
                           "--url must not carry an API key (URLs end up in logs): use UPKEEP_API_KEY");
    if (has_credentials(*url))
        return usage_error(command, "--url must not carry a user name or password (URLs end up in logs and "
                                    "messages): use UPKEEP_API_KEY");
    const api_key key = read_api_key(args);
    if (key.value.empty()) return usage_error(command, key.problem);
    const auto ca_file = args.get("ca-file");
    if (ca_file && !std::ifstream(*ca_file))
        return usage_error(command, "--ca-file " + *ca_file + ": cannot read that file");
    const std::string host_name = args.get("host").value_or("redmine");
    const registered_host* host = find_host(host_name);
    if (!host) return usage_error(command, "--host \"" + host_name + "\" is not a tracker Upkeep knows");
    const http_header credential =
        host->profile.credential_header ? host->profile.credential_header(key.value) : http_header{};
    out.http = std::make_unique<tracker_http>(*url, credential, ca_file.value_or(""));
    if (!out.http->valid_url())
        return usage_error(command, "--url \"" + *url + "\" is not an http:// or https:// address");
    if (url->starts_with("http://") && !is_loopback(*url))
        std::cerr << "upkeep " << command << ": warning: the API key goes to " << *url
                  << " over plain http, readable on the way; use https\n";
    if (const auto file = args.get("config")) {
        const auto text = read_input(*file);
        if (!text) return exit_failure;
        request["config"] = *text;
    }
    // The whole run has a deadline, not only each read: a tracker that answers, but ever so slowly, must
    // not keep a cron run going into the next one. Stopping between two requests is as safe as a kill.
    long deadline_s = 1800;
    if (const auto given = args.get("deadline")) {
        const auto [end, error] = std::from_chars(given->data(), given->data() + given->size(), deadline_s);
        if (error != std::errc{} || end != given->data() + given->size() || deadline_s < 1)
            return usage_error(command, "--deadline " + *given + ": give a whole number of seconds");
    }
    request["project"] = *project;
    // For messages and the tickets' addresses, which add their paths to it.
    std::string address = *url;
    while (address.ends_with('/'))
        address.pop_back();
    request["url"] = address;
    // Who runs, and when: a sync holds its lease in the tracker under this name. At the deadline (or at
    // SIGINT, SIGTERM) the run stops between two requests and has `grace_s` more to give back what it
    // holds; the lease outlasts that and one more request (10 s to connect, 60 to write, 60 to read), so no
    // request of this run reaches the tracker after its lease expired.
    constexpr long grace_s = 120, last_request_s = 180;
    char machine[256] = {};
    gethostname(machine, sizeof machine - 1);
    request["run"] = "upkeep " + command + " on " + machine + ", process " + std::to_string(getpid());
    const std::time_t now = std::time(nullptr);
    request["now"] = utc_instant(now);
    request["lease_until"] = utc_instant(now + deadline_s + grace_s + last_request_s);

    std::string error;
    out.session = host->open(kind, request, policy_from_environment(), error);
    if (!out.session) return usage_error(command, error);

    exchange& run = out.session->run();
    const auto started = std::chrono::steady_clock::now();
    const bool progress = isatty(STDERR_FILENO);
    stop_between_requests_on_interrupt();
    const std::string stopped = "stopped after " + std::to_string(deadline_s) + " s (--deadline)";
    const auto too_slow = [&](const char* released) {
        std::cerr << "upkeep " << command << ": " << stopped << ", " << out.http->requests()
                  << " requests in: the tracker answers too slowly" << released
                  << "; a rerun continues where this stopped\n";
        return exit_unreachable;
    };
    std::string signal; // "SIGINT" or "SIGTERM", once the session was told to stop for one
    bool told = false;  // the session was told to stop (a signal, or the deadline)
    for (bool shown = false;;) {
        const auto elapsed = std::chrono::steady_clock::now() - started;
        if (!told && (interrupted_by || elapsed > std::chrono::seconds(deadline_s))) {
            told = true;
            if (interrupted_by) signal = interrupted_by == SIGINT ? "SIGINT" : "SIGTERM";
            run.interrupt(signal.empty() ? stopped : "interrupted by " + signal);
        }
        if (elapsed > std::chrono::seconds(deadline_s + grace_s)) {
            if (shown) std::cerr << "\r\033[K";
            return too_slow("");
        }
        const exchange_step step = run.next();
        if (step.what == exchange_step::kind::done) {
            if (shown) std::cerr << "\r\033[K" << std::flush;
            break;
        }
        if (step.what == exchange_step::kind::wait) {
            std::cerr << (shown ? "\r\033[K" : "") << "upkeep " << command << ": " << step.label
                      << "; retrying in " << step.wait_ms << " ms\n";
            shown = false;
            std::this_thread::sleep_for(std::chrono::milliseconds(step.wait_ms));
            continue;
        }
        const nlohmann::json at = out.session->progress();
        if (progress && !step.label.empty() && at.contains("total")) {
            std::cerr << "\r  [" << at["done"].get<std::size_t>() + 1 << "/" << at["total"].get<std::size_t>()
                      << "] " << printable(step.label) << "\033[K" << std::flush;
            shown = true;
        }
        // Reads given together go one after the other here, on the one connection; after an answer that
        // ends the run (neither a success nor one to retry), or once the run must stop, the rest wait.
        std::vector<http_response> answers;
        for (const http_request& request : step.requests) {
            if (!answers.empty()) {
                const http_response& last = answers.back();
                const bool answered = (last.status >= 200 && last.status < 300) || last.status == 404;
                if ((!answered && !exchange::passing(last)) || interrupted_by ||
                    std::chrono::steady_clock::now() - started > std::chrono::seconds(deadline_s))
                    break;
            }
            answers.push_back(out.http->send(request));
        }
        run.answer(answers);
    }
    out.result = out.session->result();
    if (!told) return exit_ok; // a signal during the last request: the run is complete
    const char* released =
        out.result.value("lease", nlohmann::json()) == "released" ? "; the sync lease is released" : "";
    if (signal.empty()) return too_slow(released);
    std::cerr << "upkeep " << command << ": interrupted (" << signal << ") between two requests, "
              << out.http->requests() << " requests in" << released
              << ": every write is a whole ticket change, a rerun continues where this stopped\n";
    return 128 + interrupted_by;
}

int report_failure(const std::string& command, const nlohmann::json& failure,
                   const std::string& config_label) {
    const std::string kind = failure.value("kind", "");
    const std::string message = failure.value("message", "");
    const nlohmann::json& problems = failure["problems"];
    if (kind == "bad_input") {
        for (const auto& p : problems)
            std::cerr << config_label << ": "
                      << (p.value("pointer", "").empty() ? "" : p.value("pointer", "") + ": ")
                      << p.value("message", "") << "\n";
        std::cerr << "upkeep " << command << ": " << message << "\n";
        return exit_bad_input;
    }
    std::cerr << "upkeep " << command << ": " << printable(message) << (problems.empty() ? "" : ":");
    for (const auto& p : problems)
        std::cerr << "\n  - " << printable(p.value("message", ""));
    std::cerr << "\n";
    const failure_kind kinds[] = {failure_kind::unreachable, failure_kind::refused, failure_kind::not_set_up,
                                  failure_kind::feed_not_published, failure_kind::busy};
    for (const failure_kind k : kinds)
        if (to_string(k) == kind) return exit_status(k);
    return exit_failure;
}

void print_warnings(const nlohmann::json& warnings, const std::string& config_label) {
    for (const auto& w : warnings)
        std::cerr << config_label << ": "
                  << (w.value("pointer", "").empty() ? "" : w.value("pointer", "") + ": ")
                  << w.value("message", "") << "\n";
}

} // namespace upkeep::cli
