// Jira's descriptions (the Atlassian Document Format): the lines people write under a heading, which the
// sync reads as a nonconformity's corrective actions and a review's decisions, and the text Upkeep writes.

#include <upkeep/jira/adf.hpp>
#include <upkeep/sync_plan.hpp>

#include <doctest/doctest.h>

using nlohmann::json;
using upkeep::jira::adf_of_text;
using upkeep::jira::section_of_adf;

namespace {

json text(const std::string& t) {
    return {{"type", "text"}, {"text", t}};
}

json paragraph(std::initializer_list<std::string> lines) {
    json content = json::array();
    for (const std::string& line : lines) {
        if (!content.empty()) content.push_back({{"type", "hardBreak"}});
        content.push_back(text(line));
    }
    return {{"type", "paragraph"}, {"content", content}};
}

json heading(const std::string& t) {
    return {{"type", "heading"}, {"attrs", {{"level", 3}}}, {"content", json::array({text(t)})}};
}

json list(const char* type, std::initializer_list<json> items) {
    json content = json::array();
    for (const json& item : items) {
        json parts = item.is_array() ? item : json::array();
        if (!item.is_array()) parts.push_back(item);
        content.push_back({{"type", "listItem"}, {"content", parts}});
    }
    return {{"type", type}, {"content", content}};
}

json doc(std::initializer_list<json> content) {
    json out = {{"type", "doc"}, {"version", 1}, {"content", json::array()}};
    for (const json& node : content)
        out["content"].push_back(node);
    return out;
}

} // namespace

TEST_CASE("a section is the lines under its heading, up to the next heading") {
    const json d = doc({paragraph({"Found in the audit."}), heading("Corrective actions"),
                        list("bulletList", {paragraph({"itops: Test restores (due 2027-03-01)"}),
                                            paragraph({"hr: Brief the starters"})}),
                        paragraph({"secops: one more", "dev: and another"}), heading("Notes"),
                        paragraph({"ciso: not an action"})});
    CHECK(
        section_of_adf(d, "Corrective actions") ==
        "itops: Test restores (due 2027-03-01)\nhr: Brief the starters\nsecops: one more\ndev: and another");
    CHECK(section_of_adf(d, "Notes") == "ciso: not an action");
    CHECK(section_of_adf(d, "Review decisions").empty());
}

TEST_CASE("a section's heading may be a paragraph's first line, in any letter case, with a colon") {
    CHECK(section_of_adf(doc({paragraph({"CORRECTIVE ACTIONS:", "itops: a", "hr: b"})}),
                         "Corrective actions") == "itops: a\nhr: b");
    CHECK(section_of_adf(doc({paragraph({"  Corrective actions :  "}), paragraph({"itops: a"})}),
                         "Corrective actions") == "itops: a");
    // Words around the heading's name make no heading.
    CHECK(section_of_adf(doc({paragraph({"Corrective actions taken so far"}), paragraph({"itops: a"})}),
                         "Corrective actions")
              .empty());
}

TEST_CASE("what follows the heading's colon on its line is the section's first line") {
    CHECK(section_of_adf(
              doc({paragraph({"Summary of the finding"}), paragraph({"NC source: Management review"})}),
              "NC source") == "Management review");
    CHECK(section_of_adf(doc({paragraph({"corrective actions:  itops: a ", "hr: b"}), paragraph({"dev: c"})}),
                         "Corrective actions") == "itops: a\nhr: b\ndev: c");
    // A heading's name that runs on into other words is no heading; a heading with nothing after it, an
    // empty section.
    CHECK(section_of_adf(doc({paragraph({"NC sources: audit"})}), "NC source").empty());
    CHECK(section_of_adf(doc({heading("NC source:")}), "NC source").empty());
}

TEST_CASE("a section ends at a rule and at Upkeep's block; nested and ordered lists give a line an item") {
    const json upkeep_block =
        adf_of_text(std::string(upkeep::upkeep_block_marker) + "\nOwner: itops\n\nKey: x");
    json content = json::array(
        {paragraph({"Review decisions"}),
         list("orderedList",
              {json::array({paragraph({"itops: a"}), list("bulletList", {paragraph({"hr: b"})})})})});
    for (const json& node : upkeep_block["content"])
        content.push_back(node);
    const json d = {{"type", "doc"}, {"version", 1}, {"content", content}};
    CHECK(section_of_adf(d, "Review decisions") == "itops: a\nhr: b");
    CHECK(section_of_adf(doc({heading("Review decisions"),
                              paragraph({"itops: a"}),
                              {{"type", "rule"}},
                              paragraph({"hr: after the rule"})}),
                         "Review decisions") == "itops: a");
}

TEST_CASE("what is not a document has no section") {
    CHECK(section_of_adf(json(), "Corrective actions").empty());
    CHECK(section_of_adf(json("Corrective actions\nitops: a"), "Corrective actions").empty());
    CHECK(section_of_adf(json{{"type", "doc"}, {"content", 7}}, "Corrective actions").empty());
}
