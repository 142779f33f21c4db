#pragma once
// Jira Cloud's issues as Upkeep reads them (session.cpp has the property's members).

#include <upkeep/dates.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep::jira {

/// The issue's "upkeep" property as the search gave it (an empty object when it has none).
const nlohmann::json& upkeep_property_of(const nlohmann::json& issue);

/// The number of a key "ISMS-12" (0 when it has none).
long long number_of(std::string_view key);

/// The day a date or time member holds ("2027-03-01", "2027-03-01T16:00:00.000+0000").
std::optional<day_point> day_in(const nlohmann::json& object, const char* key);

/// Whether the issue's status is in Jira's category "done".
bool is_done(const nlohmann::json& issue);

/// The evidence on the issue: its attachments' addresses, then the links completing it recorded.
std::vector<std::string> evidence_links(const nlohmann::json& issue);

} // namespace upkeep::jira
