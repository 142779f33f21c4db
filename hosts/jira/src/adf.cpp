#include "upkeep/jira/adf.hpp"

#include <upkeep/json_value.hpp>

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
