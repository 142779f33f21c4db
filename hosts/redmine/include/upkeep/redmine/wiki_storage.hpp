#pragma once
// The configuration as stored in the tracker: a wiki page (versioned by the tracker) whose text shows
// the JSON as a code block, so people can read it there and every browser and the CLI read one truth.

#include <optional>
#include <string>
#include <string_view>

namespace upkeep {

enum class wiki_markup { textile, markdown };

/// The page text for a configuration: a heading, one sentence, and the JSON in a code block
/// (`<pre><code class="json">` for Textile, a ```json fence for Markdown).
std::string configuration_to_wiki_text(std::string_view config_json, wiki_markup markup);

/// The JSON held by a page written by configuration_to_wiki_text (either markup), or the whole text
/// when it has no code block; nullopt when a code block is opened but never closed.
std::optional<std::string> configuration_from_wiki_text(std::string_view wiki_text);

} // namespace upkeep
