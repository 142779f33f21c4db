#pragma once
// What `upkeep sync` and `upkeep status` share when they talk to Redmine: the client made from --url and
// the API key (UPKEEP_API_KEY or --api-key-file, never argv), the core's sync session driven read by read,
// and failures turned into exit statuses with what to do.

#include "arguments.hpp"
#include "tracker_http.hpp"

#include <upkeep/redmine_sync.hpp>

#include <memory>
#include <string>

namespace upkeep::cli {

enum tracker_exit : int {
    exit_unreachable = 3,
    exit_refused = 4,
    exit_not_set_up = 5,
    exit_feed_not_published = 6, // sync: the tickets are done, the calendar feed is not
};

struct failure {
    int status;
    std::string message;
};

/// An exit status and a message that says what to do, for an answer that is not a success.
failure classify(const std::string& method, const std::string& path, const http_answer& answer,
                 const std::string& url);

struct tracker_session {
    std::unique_ptr<tracker_http> http;
    std::unique_ptr<redmine::sync_session> session;
    std::string config_label; // where the configuration came from, for messages
};

/// Checks --url, --project and the key, then performs every read the session asks for. Returns 0 with
/// `out` ready (the session planned), or the exit status after printing why (as `upkeep COMMAND: ...`).
int open_tracker_session(const std::string& command, const parsed_arguments& args, day_point today,
                         bool read_only, tracker_session& out);

} // namespace upkeep::cli
