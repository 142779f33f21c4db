#pragma once
// Jira Cloud's issues as Upkeep reads them (session.cpp has the property's members).

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace upkeep::jira {

/// The issue's "upkeep" property as the search gave it (an empty object when it has none).
const nlohmann::json& upkeep_property_of(const nlohmann::json& issue);

/// The number of a key "ISMS-12" (0 when it has none).
long long number_of(std::string_view key);

/// Whether the issue's status is in Jira's category "done".
bool is_done(const nlohmann::json& issue);

/// The evidence on the issue: its attachments' addresses, then the links completing it recorded.
std::vector<std::string> evidence_links(const nlohmann::json& issue);

/// The id of the first transition to a status of the category "done" that an issue's transitions
/// (`{"transitions": [...]}`, as Jira offers them to the account) hold; "" when none does.
std::string done_transition(const nlohmann::json& transitions);

/// An edit's or a transition's parts that write Upkeep's property (`"properties"`) and add a comment
/// (`"update"`, none for an empty text) to the body `body`.
void add_property(nlohmann::json& body, const nlohmann::json& property);
void add_comment(nlohmann::json& body, const std::string& text);

} // namespace upkeep::jira
