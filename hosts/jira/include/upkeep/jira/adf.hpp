#pragma once
// Text as Jira Cloud's REST API v3 takes it: the Atlassian Document Format (ADF), for descriptions and
// comments. Upkeep writes plain text: paragraphs apart by a blank line, lines within one by a hard break.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace upkeep::jira {

/// A document of `text`: one paragraph per block of lines, a hard break between its lines.
nlohmann::json adf_of_text(std::string_view text);

/// The plain text of a node and what it holds (paragraphs and hard breaks as lines).
std::string text_of_adf(const nlohmann::json& node);

/// The lines people wrote in a description under a heading, such as a nonconformity's "Corrective actions":
/// the first block (a heading or a paragraph) whose first line is `heading` (letter case aside, a colon
/// after it or not) starts the section; what follows a colon on that line ("NC source: Management review"),
/// its further lines, each line of the paragraphs and each item of the lists after it are the section's,
/// up to the next heading, a horizontal rule or Upkeep's block. One line each, as the core reads an action
/// list; "" when the description has no such heading.
std::string section_of_adf(const nlohmann::json& doc, std::string_view heading);

/// A description whose part from Upkeep's block on is `upkeep_text` (it starts with the block's marker
/// line), keeping every node people wrote above the block in `current` as they wrote it.
nlohmann::json merged_description(const nlohmann::json& current, std::string_view upkeep_text);

} // namespace upkeep::jira
