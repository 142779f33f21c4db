#pragma once
// Coarse JSON-in, JSON-out calls over the core: what the CLI's machine-readable modes and the
// WebAssembly boundary both expose, so the two can never disagree.

#include <string>
#include <string_view>

namespace upkeep::json_api {

inline constexpr int default_expand_limit = 100;
inline constexpr int max_expand_limit = 100000;

/// One request of `upkeep expand --jsonl`: `{"dtstart": "2027-01-31", "rrule": "FREQ=...", "limit": 100}`
/// (limit optional) gives `{"dates": ["2027-01-31", ...]}` or `{"error": "..."}`, as one line of JSON.
/// This form is a public contract.
std::string expand(std::string_view request_json);

/// `{"ok": bool, "errors": [{"pointer", "message"}], "warnings": [...], "activities": N}` for a configuration.
std::string validate(std::string_view config_json);

/// The maintenance calendar of a configuration: `{"from", "to", "owner"?}` in, the JSON of
/// `upkeep calendar --format json` out, or `{"error": ..., "errors": [...]}` for a bad configuration.
std::string calendar(std::string_view config_json, std::string_view request_json);

/// The activity behind a control task's Upkeep key (`control:<id>:<due date>`): `{"id", "title", "due",
/// "owner", "references", "instructions", "evidence"}`, or `{"error": ...}` when the key is not one of
/// the configuration's occurrences.
std::string control_task(std::string_view config_json, std::string_view key);

/// `{"config": "<JSON text>"}` from a wiki page's text, or `{"error": ...}`.
std::string configuration_from_wiki(std::string_view wiki_text);

/// `{"markup": "textile"|"markdown", "config": "<JSON text>"}` in, `{"text": "<page text>"}` out (the JSON
/// pretty-printed), or `{"error": ...}` when the configuration is not JSON.
std::string configuration_to_wiki(std::string_view request_json);

} // namespace upkeep::json_api
