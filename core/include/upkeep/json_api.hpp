#pragma once
// Coarse JSON-in, JSON-out calls over the core: what the CLI's machine-readable modes and the
// WebAssembly boundary both expose, so the two can never disagree.

#include "upkeep/diagnostics.hpp"
#include "upkeep/ticket_reference.hpp"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {
class host_session;
struct isms_configuration;
struct tracker_snapshot;
struct retry_policy;
struct sync_plan;
} // namespace upkeep

namespace upkeep::json_api {

inline constexpr int default_expand_limit = 100;
inline constexpr int max_expand_limit = 100000;

/// One request of `upkeep expand --jsonl`: `{"dtstart": "2027-01-31", "rrule": "FREQ=...", "limit": 100}`
/// (limit optional) gives `{"dates": ["2027-01-31", ...]}` or `{"error": "..."}`, as one line of JSON.
/// This form is a public contract.
std::string expand(std::string_view request_json);

/// `{"ok": bool, "errors": [{"pointer", "message"}], "warnings": [...], "activities": N}` for a
/// configuration.
std::string validate(std::string_view config_json);

/// The maintenance calendar of a configuration: `{"from", "to", "owner"?}` in, the JSON of
/// `upkeep calendar --format json` out, or `{"error": ..., "errors": [...]}` for a bad configuration.
/// `{"format": "ics", "today", "owner"?}` asks for it as an iCalendar file instead (`upkeep calendar
/// --format ics`, stamped `today`): `{"text", "filename"}`.
std::string calendar(std::string_view config_json, std::string_view request_json);

/// The same of a configuration as parsed (a session's, with the activities the tracker adds: its
/// supplier reviews); `{"error"}` for a bad request.
nlohmann::json calendar_of(const isms_configuration& config, const nlohmann::json& request);

/// A session of a registered host (host.hpp), driven over JSON: the WebAssembly boundary and the CLI's
/// pumps use it. `kind` is the session ("sync", "status", "change", ...); the request names the host
/// (`"host"`: a registered host's name; the only registered one by default) and what the session needs.
class session {
public:
    session(std::string_view kind, std::string_view request_json);
    session(std::string_view kind, std::string_view request_json, const retry_policy& policy);
    ~session();

    /// `{"send": [{"method", "path", "body", "content_type", "file"?}, ...], "label", "progress"}`: send
    /// them (several are reads that may go at once) and answer;
    /// `{"wait": ms}`: wait, then ask again; `{"done": <the session's result>}`; or `{"error": ...}` when the
    /// session could not open (an unknown host or kind, a request it cannot read).
    std::string next();
    /// The answers to the last send, in its order: `[{"status": 200, "body": "<text>", "retry_after"?:
    /// seconds, "error"?}, ...]` (status 0 when no answer came); a single object answers a single request.
    /// An answer without "body" takes the body staged for its place (stage_body), if any.
    void answer(std::string_view responses_json);
    /// The body of the next answer, as the tracker sent it, kept for answer(): a body given this way is
    /// neither escaped into the answers' JSON by the caller nor unescaped out of it here (the ISMS tab's
    /// pages of a thousand tickets are a megabyte each).
    void stage_body(std::string body);
    /// Between two steps: the shell stops the run (its time is up); the session ends as soon as it can,
    /// giving back what it holds, and its result says why (exchange::interrupt).
    void interrupt(const std::string& why);
    /// Once done, a computation over what the session read, such as the status reader's "status" and
    /// "export_file"; `{"error": ...}` otherwise.
    std::string call(std::string_view method, std::string_view request_json) const;

    host_session* get() { return session_.get(); }

private:
    std::unique_ptr<host_session> session_;
    std::vector<std::string> staged_bodies_;
    std::string error_;
    bool done_ = false;
};

/// The status panel's figures from a configuration and what was read: `{"today", "list_limit"?,
/// "next_period_only"?, "timeline"?, "people"?}` in (the options trim the report to what a panel shows; the
/// limit applies to the KPIs' ticket lists too; "people" maps owners, as the configuration names them, to
/// the names the host shows people); `{"report": <upkeep status --json>, "changes": <upkeep changes
/// --json>, "findings": [open nonconformities and corrective actions], "kpis": [...], "review_ticket",
/// "overdue": [every occurrence overdue or missed and still open: {"ticket_id", "activity", "title", "owner",
/// "due", "days_late"}]}` out; with "soa" when the configuration has a Statement of Applicability (soa.hpp),
/// "frameworks" (those followed) when it follows any. A request's "framework": "nis2" narrows the figures
/// to the activities that reference that framework and adds its "coverage" (frameworks.hpp); the same key
/// narrows export_of's files and calendar_of's calendar.
nlohmann::json status_of(const isms_configuration& config, const tracker_snapshot& snapshot,
                         const nlohmann::json& request);

/// A file for the auditor from a configuration and what was read: `{"kind": "register_csv" | "register_json",
/// "today", "audit"?, "ticket_url"?}` the evidence register of an audit period (default: the next audit's;
/// a ticket's link is `ticket_url` + its number, else the address the session read it from, else its name
/// as its tracker names it, "#12"); `{"kind": "ics", "today", "owner"?}` the maintenance
/// calendar as iCalendar; `{"kind": "review_pack", "today", "markup"?, "ticket_url"?}` the management
/// review's input pack; `{"kind": "soa_csv" | "soa_html", "today", "audit"?, "ticket_url"?}` the Statement
/// of Applicability with its evidence in that period. Out: `{"text", "filename"}` or `{"error"}`.
nlohmann::json export_of(const isms_configuration& config, const tracker_snapshot& snapshot,
                         const nlohmann::json& request);

/// A sync's plan as its session's result gives it: {"since", "unchanged", "counts": {"create", "update",
/// "comment", "close"}, "notices", "warnings" (the configuration's, at their pointers), "actions":
/// [{"kind", "key", "reason", "ticket"?, "reference"?: the ticket as the tracker names it}]}.
nlohmann::json plan_json(const sync_plan& plan, const diagnostics& problems,
                         const ticket_references& references);

/// The calls of a session that read the tracker, once it is done, over what it read: "status" (status_of),
/// "export_file" (export_of), "calendar" (calendar_of); `{"error"}` for another.
nlohmann::json reading_call(const isms_configuration& config, const tracker_snapshot& snapshot,
                            std::string_view method, const nlohmann::json& request);

} // namespace upkeep::json_api
