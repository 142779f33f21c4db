#pragma once
// Coarse JSON-in, JSON-out calls over the core: what the CLI's machine-readable modes and the
// WebAssembly boundary both expose, so the two can never disagree.

#include <memory>
#include <string>
#include <string_view>

namespace upkeep::redmine {
class sync_session;
class change_session;
} // namespace upkeep::redmine

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
std::string calendar(std::string_view config_json, std::string_view request_json);

/// The activity behind a control task's Upkeep key (`control:<id>:<due date>`): `{"id", "title", "due",
/// "owner", "references", "instructions", "evidence", "training"}` ("training": a training activity of
/// /metrics/training_activities, whose completion records the people), or `{"error": ...}` when the key is
/// not one of the configuration's occurrences.
std::string control_task(std::string_view config_json, std::string_view key);

/// `{"config": "<JSON text>"}` from a wiki page's text, or `{"error": ...}`.
std::string configuration_from_wiki(std::string_view wiki_text);

/// `{"markup": "textile"|"markdown", "config": "<JSON text>"}` in, `{"text": "<page text>"}` out (the JSON
/// as written), or `{"error": ...}` when the configuration is not JSON.
std::string configuration_to_wiki(std::string_view request_json);

/// A Redmine sync for the browser, JSON in and out (see redmine_sync.hpp for what the session reads).
class redmine_sync {
public:
    /// `{"project": "isms", "today": "2026-11-22", "config": "<JSON text>"}` ("config" optional); with
    /// `"read_only": true` it only reads what the status needs and ends in `{"read_done": {counts}}`,
    /// after which status() and export_file() compute from what it read.
    explicit redmine_sync(std::string_view request_json);
    ~redmine_sync();

    /// `{"read": "/path"}` (GET it and answer), `{"plan": {...}}`, or `{"problems": [...], "kind":
    /// "not_set_up" | "bad_configuration"}`. The plan lists its actions with the HTTP request of each:
    /// `{"kind", "key", "reason", "method", "path", "body", "check"}`; "check" is what to GET to learn
    /// whether a write whose answer was lost went through (see already_applied).
    std::string step() const;

    /// The body of the GET asked for, as JSON text ("null" when Redmine answered 404).
    void answer(std::string_view body_json);

    /// Whether action `index` of the plan is already in the tracker, given the body of GET its "check".
    bool already_applied(int index, std::string_view body_json) const;

    /// Read only, once read, the status panel's figures from the tickets read:
    /// `{"today", "list_limit"?, "next_period_only"?, "timeline"?}` (the options trim the report to what a
    /// panel shows; the limit applies to the KPIs' ticket lists too) in; `{"report": <upkeep status --json>,
    /// "changes": <upkeep changes --json>, "findings": [open nonconformities and corrective actions], "kpis":
    /// [...]}` out, or `{"error": ...}`.
    std::string status(std::string_view request_json) const;

    /// Read only, once read, a file for the auditor: `{"kind": "register_csv" | "register_json", "today",
    /// "audit"?, "ticket_url"?}` the evidence register of an audit period (default: the next audit's;
    /// ticket links are `ticket_url` + the ticket number); `{"kind": "ics", "today", "owner"?}` the
    /// maintenance calendar as iCalendar; `{"kind": "review_pack", "today"}` the management review's
    /// input pack as Markdown. Out: `{"text", "filename"}` or `{"error"}`.
    std::string export_file(std::string_view request_json) const;

private:
    std::unique_ptr<redmine::sync_session> session_;
    std::string error_; // a request that could not be read
};

/// The change prompt on one Redmine change ticket, JSON in and out (see redmine_change.hpp).
class change_prompt {
public:
    /// `{"project": "isms", "change": 123, "today": "2026-11-22", "answers": {"new-supplier": "yes", ...}}`;
    /// with answers it records them, without it reconciles the follow-ups with the recorded assessment.
    explicit change_prompt(std::string_view request_json);
    ~change_prompt();

    /// `{"read": "/path"}`, `{"ready": view}` (the view lists the writes to make as "requests"), or
    /// `{"kind": "not_a_change" | "not_set_up" | "bad_configuration" | "bad_answers", "problems": [...],
    /// "view": ...}`.
    std::string step() const;
    /// The body of the GET asked for, as JSON text ("null" for a 404).
    void answer(std::string_view body_json);
    /// After the writes: read the change and its follow-ups again, and plan what is left.
    void reread();

private:
    std::unique_ptr<redmine::change_session> session_;
    std::string error_;
};

} // namespace upkeep::json_api
