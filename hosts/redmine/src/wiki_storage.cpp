#include "upkeep/redmine/wiki_storage.hpp"

#include <array>
#include <utility>

namespace upkeep {
namespace {

constexpr std::string_view intro =
    "This page holds the ISMS configuration that Upkeep reads: organisation, certification cycle and the "
    "maintenance calendar. Its history is the configuration's history. The ISMS tab validates it and shows "
    "every problem; keep the JSON below valid when editing here.";

// (opening line, closing line) of the code blocks the page may use.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> fences{{
    {"<pre><code class=\"json\">", "</code></pre>"},
    {"```json", "```"},
    {"<pre>", "</pre>"},
}};

std::string_view trim(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
        line.remove_prefix(1);
    return line;
}

} // namespace

std::string configuration_to_wiki_text(std::string_view config_json, wiki_markup markup) {
    const auto& [open, close] = fences[markup == wiki_markup::textile ? 0 : 1];
    std::string body(config_json);
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r'))
        body.pop_back();
    const std::string heading =
        markup == wiki_markup::textile ? "h1. ISMS configuration" : "# ISMS configuration";
    return heading + "\n\n" + std::string(intro) + "\n\n" + std::string(open) + "\n" + body + "\n" +
           std::string(close) + "\n";
}

std::optional<std::string> configuration_from_wiki_text(std::string_view wiki_text) {
    std::size_t pos = 0;
    while (pos <= wiki_text.size()) {
        const std::size_t end = std::min(wiki_text.find('\n', pos), wiki_text.size());
        const std::string_view line = trim(wiki_text.substr(pos, end - pos));
        for (const auto& [open, close] : fences) {
            if (line != open) continue;
            const std::size_t body_start = end + 1;
            std::size_t scan = body_start;
            while (scan < wiki_text.size()) {
                const std::size_t line_end = std::min(wiki_text.find('\n', scan), wiki_text.size());
                if (trim(wiki_text.substr(scan, line_end - scan)) == close)
                    return std::string(wiki_text.substr(body_start, scan - body_start));
                scan = line_end + 1;
            }
            return std::nullopt;
        }
        pos = end + 1;
    }
    return std::string(wiki_text);
}

} // namespace upkeep
