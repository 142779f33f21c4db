#include "upkeep/jira/adf.hpp"

#include <upkeep/json_value.hpp>
#include <upkeep/sync_plan.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace upkeep::jira {

using json = nlohmann::json;

namespace {

json paragraph(std::string_view block) {
    json content = json::array();
    for (std::size_t at = 0; at <= block.size();) {
        const std::size_t end = std::min(block.find('\n', at), block.size());
        if (at > 0) content.push_back(json_object({{"type", "hardBreak"}}));
        if (end > at)
            content.push_back(
                json_object({{"type", "text"}, {"text", std::string(block.substr(at, end - at))}}));
        at = end + 1;
    }
    return json_object({{"type", "paragraph"}, {"content", std::move(content)}});
}

// A block's lines: a paragraph's or a heading's text (hard breaks apart lines), and the lines of each block
// a list, a list item or a quote holds, one after another.
std::string lines_of_block(const json& node) {
    const std::string type = json_value(node, "type", std::string{});
    if (type == "paragraph" || type == "heading" || type == "codeBlock") return text_of_adf(node);
    std::string out;
    for (const json& child : json_array_at(node, "content")) {
        const std::string lines = lines_of_block(child);
        if (!lines.empty()) out += (out.empty() ? "" : "\n") + lines;
    }
    return out;
}

// Whether `line` opens the section `heading`: the same words, letter case aside, alone (a colon after them or
// not) or followed by a colon and the section's first line ("NC source: Management review"), which it gives.
std::optional<std::string_view> opens_section(std::string_view line, std::string_view heading) {
    const auto trimmed = [](std::string_view text) {
        while (!text.empty() && (text.back() == ' ' || text.back() == '\r'))
            text.remove_suffix(1);
        while (!text.empty() && text.front() == ' ')
            text.remove_prefix(1);
        return text;
    };
    line = trimmed(line);
    if (line.size() < heading.size() ||
        !std::equal(heading.begin(), heading.end(), line.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
        return std::nullopt;
    std::string_view rest = trimmed(line.substr(heading.size()));
    if (rest.empty()) return rest;
    if (rest.front() != ':') return std::nullopt;
    return trimmed(rest.substr(1));
}

} // namespace

json adf_of_text(std::string_view text) {
    json content = json::array();
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find("\n\n", at);
        if (end == std::string_view::npos) end = text.size();
        std::string_view block = text.substr(at, end - at);
        while (!block.empty() && (block.back() == '\n' || block.back() == '\r'))
            block.remove_suffix(1);
        if (!block.empty()) content.push_back(paragraph(block));
        at = end;
        while (at < text.size() && text[at] == '\n')
            ++at;
    }
    return json_object({{"type", "doc"}, {"version", 1}, {"content", std::move(content)}});
}

std::string text_of_adf(const json& node) {
    if (!node.is_object()) return "";
    const std::string type = json_value(node, "type", std::string{});
    if (type == "text") return json_value(node, "text", std::string{});
    if (type == "hardBreak") return "\n";
    std::string out;
    for (const json& child : json_array_at(node, "content")) {
        if (!out.empty() && json_value(child, "type", std::string{}) == "paragraph") out += "\n\n";
        out += text_of_adf(child);
    }
    return out;
}

std::string section_of_adf(const json& doc, std::string_view heading) {
    std::string out;
    bool inside = false;
    for (const json& node : json_array_at(doc, "content")) {
        const std::string type = json_value(node, "type", std::string{});
        const std::string text = lines_of_block(node);
        if (!inside) {
            const std::size_t end = std::min(text.find('\n'), text.size());
            if (type != "heading" && type != "paragraph") continue;
            if (const auto first = opens_section(std::string_view(text).substr(0, end), heading)) {
                inside = true;
                out = std::string(*first);
                if (end < text.size()) out += (out.empty() ? "" : "\n") + text.substr(end + 1);
            }
            continue;
        }
        if (type == "heading" || type == "rule" || text.starts_with(upkeep_block_marker)) break;
        if (!text.empty()) out += (out.empty() ? "" : "\n") + text;
    }
    return out;
}

json merged_description(const json& current, std::string_view upkeep_text) {
    const std::string_view marker = upkeep_text.substr(0, upkeep_text.find('\n'));
    json content = json::array();
    for (const json& node : json_array_at(current, "content")) {
        if (text_of_adf(node).starts_with(marker)) break;
        content.push_back(node);
    }
    json upkeep = adf_of_text(upkeep_text);
    for (json& node : upkeep["content"])
        content.push_back(std::move(node));
    return json_object({{"type", "doc"}, {"version", 1}, {"content", std::move(content)}});
}

} // namespace upkeep::jira
