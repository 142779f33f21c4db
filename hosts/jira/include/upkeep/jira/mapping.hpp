#pragma once
// Jira Cloud's issues as Upkeep reads them (session.cpp has the property's members).

#include <upkeep/change_impact.hpp>
#include <upkeep/isms_config.hpp>
#include <upkeep/sync_plan.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace upkeep::jira {

/// The issue's "upkeep" property as the search gave it (an empty object when it has none).
const nlohmann::json& upkeep_property_of(const nlohmann::json& issue);

/// The assessment a change issue's change property records (none: not assessed).
std::optional<assessment_record> assessment_of(const nlohmann::json& issue);

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
/// `key`: the property's (Upkeep's own on its issues by default).
void add_property(nlohmann::json& body, const nlohmann::json& property, const char* key = "upkeep");
void add_comment(nlohmann::json& body, const std::string& text);

/// The fields that write a ticket's summary, description, due date and assignee (the owner's account of
/// /sync/owner_accounts; unassigned without one). `description`: the ADF document the issue gets.
nlohmann::json issue_fields(const ticket_fields& fields, const isms_configuration& config,
                            nlohmann::json description);

/// Upkeep's property on a new issue: {key, state, owner, title}, and a nonconformity's grade and source.
nlohmann::json new_issue_property(const std::string& key, const std::string& state,
                                  const ticket_fields& fields);

/// The create of a new issue of Upkeep's in `project`: its fields (labelled "upkeep") and Upkeep's
/// property (new_issue_property).
nlohmann::json new_issue(const std::string& project, const std::string& issue_type_id, const std::string& key,
                         const std::string& state, const ticket_fields& fields,
                         const isms_configuration& config);

} // namespace upkeep::jira
