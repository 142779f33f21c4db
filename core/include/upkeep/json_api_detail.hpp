#pragma once
// Helpers of the JSON calls: the core's (json_api.cpp) and the hosts' sessions. Not an API for anything else.

#include "upkeep/change_impact.hpp"
#include "upkeep/completion.hpp"
#include "upkeep/dates.hpp"
#include "upkeep/diagnostics.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/json_value.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace upkeep::json_api::detail {

using json = nlohmann::json;

inline json error_json(const std::string& message) {
    return json_object({{"error", message}});
}

inline std::string error_line(const std::string& message) {
    return error_json(message).dump();
}

inline json problems_to_json(const diagnostics& list, severity level) {
    json out = json::array();
    for (const diagnostic& d : list)
        if (d.level == level) out.push_back({{"pointer", d.pointer}, {"message", d.message}});
    return out;
}

inline std::optional<day_point> date_field(const json& request, const char* key, std::string& error) {
    const auto it = request.find(key);
    if (it == request.end() || !it->is_string()) {
        error = std::string(key) + ": expected a date YYYY-MM-DD";
        return std::nullopt;
    }
    const auto day = parse_iso_date(it->get<std::string>());
    if (!day)
        error = std::string(key) + ": \"" + it->get<std::string>() + "\" is not a date: write YYYY-MM-DD";
    return day;
}

/// Options of a request read without type errors (wasm has no exceptions): a wrong type is the default.
inline bool flag(const json& request, const char* key) {
    const auto it = request.is_object() ? request.find(key) : request.end();
    return it != request.end() && it->is_boolean() && it->get<bool>();
}

inline std::string text(const json& request, const char* key, const char* fallback) {
    const auto it = request.is_object() ? request.find(key) : request.end();
    return it != request.end() && it->is_string() ? it->get<std::string>() : fallback;
}

/// A text option of a request; none when it is missing or not text.
inline std::optional<std::string> optional_text(const json& request, const char* key) {
    const auto it = request.find(key);
    return it != request.end() && it->is_string() ? std::optional(it->get<std::string>()) : std::nullopt;
}

/// A completion session's `"complete": {"done_on", "links"?, "note"?, "people_in_scope"?,
/// "people_completed"?, "valid_until"?}` with the names of its `"files": [{"name"}]`: none without "complete"
/// (the task is only read); false, with `error` set, for a date that is not one.
bool read_completion(const json& request, std::optional<completion>& out, std::string& error);

/// A change session's `"answers": {question id: answer}` and `"based_on"`: the revision the answers' form
/// showed; `answers` stays none without "answers"; false, with `error` set, when they are not an object.
bool read_answers(const json& request, std::optional<change_answers>& answers, std::optional<int>& based_on,
                  std::string& error);

/// A completion session's view of a control task, as every host answers it: {"issue", "task": its
/// occurrence's activity (null when the ticket is not one of Upkeep's control tasks, with "why"),
/// "why", "closed", "status", "done_on", "valid_until", "days_late": the work date against the due date, as
/// the figures judge it (0 when on time; null without a work date)}. Dates YYYY-MM-DD, or "" for none.
json completion_view(const isms_configuration& config, const std::optional<occurrence_ref>& occurrence,
                     long long issue, const std::string& why, bool closed, const std::string& status,
                     const std::string& done_on, const std::string& valid_until);

/// The configuration a request asks about: `config`, or with "framework": "nis2" the copy in `narrowed`
/// holding the activities that reference that framework (frameworks.hpp); null, with `error` set, when the
/// configuration does not follow it.
const isms_configuration* requested_configuration(const isms_configuration& config, const json& request,
                                                  isms_configuration& narrowed, std::string& error);

} // namespace upkeep::json_api::detail
