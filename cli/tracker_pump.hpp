#pragma once
// What `upkeep sync`, `status` and `changes` share: the client made from --url and the API key
// (UPKEEP_API_KEY or --api-key-file, never argv), a host's session carried request by request until it
// is done (waiting when the core says so), and its failure turned into an exit status and what to do.

#include "arguments.hpp"
#include "tracker_http.hpp"

#include <upkeep/host.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace upkeep::cli {

enum tracker_exit : int {
    exit_unreachable = 3,
    exit_refused = 4,
    exit_not_set_up = 5,
    exit_feed_not_published = 6, // sync: the tickets are done, the calendar feed is not
    exit_busy = 7,               // sync: another sync is running (it holds the sync lease)
};

/// The exit status of a session's failure kind.
int exit_status(failure_kind kind);

struct tracker_run {
    std::unique_ptr<tracker_http> http;
    std::unique_ptr<host_session> session;
    nlohmann::json result; // the session's result once done
};

/// Checks --url, --project (added to `request` with --config's text) and the key, opens the session
/// `kind` of the host (--host, default redmine) and carries it to the end, with a progress line on a
/// terminal. Returns 0 with `out.result`, or a usage error's status; a failure of the session itself is
/// in `out.result["failure"]` for the command to report (report_failure).
int run_tracker_session(const std::string& command, const parsed_arguments& args, std::string_view kind,
                        nlohmann::json request, tracker_run& out);

/// Prints a session's failure ("upkeep COMMAND: ..." and each problem) and returns its exit status.
int report_failure(const std::string& command, const nlohmann::json& failure,
                   const std::string& config_label);

/// Prints the configuration's warnings of a result ({"pointer", "message"} items) as FILE: /pointer: message.
void print_warnings(const nlohmann::json& warnings, const std::string& config_label);

} // namespace upkeep::cli
