#pragma once
// The seam between the core and a tracker ("host"). A host describes itself (how a ticket is referenced,
// its markup) and opens sessions: sans-IO conversations that decide every request of a job (sync, the
// status read, the change prompt, completing a control task, ...), driven by an exchange (exchange.hpp)
// and carried by a pump (the CLI, the browser). The core knows hosts only by the name they register; it
// never names one. A new tracker is a folder under hosts/ and one call of register_host.

#include "upkeep/diagnostics.hpp"
#include "upkeep/exchange.hpp"
#include "upkeep/text_document.hpp"
#include "upkeep/ticket_reference.hpp"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace upkeep {

struct tracker_snapshot;

/// An HTTP header: its name and value.
using http_header = std::pair<std::string, std::string>;

/// How a tracker presents tickets to people, and how a command's requests say who sends them.
struct host_profile {
    std::string name;                      // the tracker's name, for messages
    ticket_references references;          // how its people name a ticket in text: "#12"
    markup text_markup = markup::markdown; // of its tickets and pages, unless the deployment says otherwise
    /// The header that carries the account's credential on every request of a command, made from the
    /// credential as the command was given it (UPKEEP_API_KEY, --api-key-file).
    std::function<http_header(const std::string& credential)> credential_header;
};

/// How a session ended, for people and for exit statuses.
enum class failure_kind {
    bad_input,          // the configuration or the request (exit 2)
    unreachable,        // no answer, or the tracker keeps failing (exit 3)
    refused,            // the key or a permission, a workflow (exit 4)
    not_set_up,         // the project lacks what Upkeep needs (exit 5)
    feed_not_published, // the tickets are synced, the calendar feed is not (exit 6)
    busy,               // another sync holds the sync lease (exit 7)
};

/// "bad_input", "unreachable", "refused", "not_set_up", "feed_not_published", "busy".
std::string_view to_string(failure_kind kind);

struct session_failure {
    failure_kind kind = failure_kind::unreachable;
    std::string message;  // what went wrong and what to do
    diagnostics problems; // bad input, not set up: each problem at its place
};

/// Problems as a session's result gives them: [{"pointer", "message", "warning"}].
nlohmann::json problems_json(const diagnostics& problems);

/// A session's failure as its result gives it: {"kind", "message", "problems": problems_json}; null for
/// none.
nlohmann::json failure_json(const std::optional<session_failure>& failure);

/// A session of a host, as the JSON boundary and the pumps drive it.
class host_session {
public:
    virtual ~host_session() = default;
    /// The exchange that runs the session's conversation (exchange::next() and answer()).
    virtual exchange& run() = 0;
    /// Once done: the session's result (what it read, planned, wrote; or its failure) as JSON.
    virtual nlohmann::json result() const = 0;
    /// While running: how far it is, such as {"done": 3, "total": 40} (empty when it cannot say).
    virtual nlohmann::json progress() const;
    /// Once done, a computation over what it read (the status reader's "status" and "export_file");
    /// {"error": ...} for any other.
    virtual nlohmann::json call(std::string_view method, const nlohmann::json& request) const;
    /// Once done, what a reading session read, with the configuration's text; null for other sessions.
    virtual const tracker_snapshot* snapshot() const;
    virtual const std::string* configuration_text() const;
};

/// Opens a session of one kind ("sync", "status", "change", ...) with its request; null and `error`
/// set when the kind is unknown or the request is not what it needs.
using session_factory = std::function<std::unique_ptr<host_session>(
    std::string_view kind, const nlohmann::json& request, const retry_policy& policy, std::string& error)>;

/// Some of a host's session kinds and what opens them.
struct session_part {
    std::vector<std::string_view> kinds;
    session_factory open;
};

/// The opener of the sessions of `parts` (a host's, or one wasm module's share of them when a host's
/// sessions do not fit in one module's budget); a kind of `elsewhere` (the other module's) is refused
/// naming that module, any other kind as unknown. `host`: its name in messages.
session_factory sessions_of(std::string host, std::vector<session_part> parts,
                            std::vector<std::string_view> elsewhere = {});

struct registered_host {
    std::string name; // the key of --host and of JSON requests, in lowercase
    host_profile profile;
    session_factory open;
};

/// Adds a host (once per name; a second registration of the same name replaces the first).
void register_host(registered_host host);

/// The host of that name; null when none is registered so.
const registered_host* find_host(std::string_view name);

/// Every registered host, in the order they were registered.
const std::vector<registered_host>& hosts();

} // namespace upkeep
