// The document renderers, pinned on one small document in each markup; typed text is escaped in each.

#include "test_helpers.hpp"

#include <upkeep/text_document.hpp>

using namespace upkeep;

namespace {

text_document sample() {
    text_document doc;
    doc.heading(1, "Pack: " + typed("Acme <Ltd> & *Co*"))
        .paragraph("As of today.")
        .item(ticket_ref(7) + " " + typed("Fix [it](javascript:x)\nh1. now\x04\x01"))
        .item(ticket_ref(8) + " done", 2)
        .item("Last")
        .table({{"KPI", "value"}, {typed("a|b"), typed("50% (1 of 2)")}})
        .heading(2, "e) Feedback")
        .paragraph(emphasis("To fill in."));
    return doc;
}

} // namespace

TEST_CASE("markup names") {
    CHECK(parse_markup("markdown") == markup::markdown);
    CHECK(parse_markup("common_mark") == markup::markdown);
    CHECK(parse_markup("textile") == markup::textile);
    CHECK(parse_markup("html") == markup::html);
    CHECK(!parse_markup("rst"));
}

TEST_CASE("Markdown: backslash escapes, nested items, a table with its rule, blank lines after blocks") {
    CHECK(render(sample(), markup::markdown) == "# Pack: Acme \\<Ltd\\> \\& \\*Co\\*\n\n"
                                                "As of today.\n\n"
                                                "- #7 Fix \\[it\\]\\(javascript:x\\) h1\\. now  \n"
                                                "  - #8 done\n"
                                                "- Last\n"
                                                "\n"
                                                "| KPI | value |\n"
                                                "|---|---|\n"
                                                "| a\\|b | 50% \\(1 of 2\\) |\n"
                                                "\n"
                                                "## e) Feedback\n\n"
                                                "_To fill in._\n\n");
}

TEST_CASE("Textile: character references for markup characters, header cells, starred levels") {
    CHECK(render(sample(), markup::textile) == "h1. Pack: Acme &#60;Ltd&#62; &#38; &#42;Co&#42;\n\n"
                                               "As of today.\n\n"
                                               "* #7 Fix &#91;it&#93;&#40;javascript&#58;x&#41; h1. now  \n"
                                               "** #8 done\n"
                                               "* Last\n"
                                               "\n"
                                               "|_. KPI |_. value |\n"
                                               "| a&#124;b | 50&#37; &#40;1 of 2&#41; |\n"
                                               "\n"
                                               "h2. e) Feedback\n\n"
                                               "_To fill in._\n\n");
}

TEST_CASE("HTML: a whole page, escaped text, nested lists closed, ticket links when a URL is given") {
    const std::string page = render(sample(), markup::html, {"#", "https://redmine.example/issues/"});
    CHECK(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                           "<title>Pack: Acme &#60;Ltd&#62; &#38; *Co*</title>"));
    CHECK(page.find(
              "<h1>Pack: Acme &#60;Ltd&#62; &#38; *Co*</h1>\n<p>As of today.</p>\n"
              "<ul><li><a href=\"https://redmine.example/issues/7\">#7</a> Fix [it](javascript:x) h1. now  "
              "<ul><li><a href=\"https://redmine.example/issues/8\">#8</a> done</li></ul>\n"
              "</li><li>Last</li></ul>\n"
              "<table>\n<tr><th>KPI</th><th>value</th></tr>\n<tr><td>a|b</td><td>50% (1 of 2)</td></tr>\n"
              "</table>\n<h2>e) Feedback</h2>\n<p><em>To fill in.</em></p>\n</body>\n</html>\n") !=
          std::string::npos);
    CHECK(render(sample(), markup::html).find("<li>#7 Fix") != std::string::npos);
    CHECK(render(sample(), markup::html).find("<a ") == std::string::npos);
}

TEST_CASE("tickets are named as their tracker names them, in every markup") {
    const upkeep::ticket_references jira{"ISMS-", "https://acme.atlassian.net/browse/ISMS-"};
    CHECK(render(sample(), markup::markdown, jira).find("- ISMS-7 Fix") != std::string::npos);
    CHECK(render(sample(), markup::textile, jira).find("* ISMS-7 Fix") != std::string::npos);
    CHECK(render(sample(), markup::html, jira)
              .find("<li><a href=\"https://acme.atlassian.net/browse/ISMS-7\">ISMS-7</a> Fix") !=
          std::string::npos);
    CHECK(render(sample(), markup::html, {"ISMS-", ""}).find("<li>ISMS-7 Fix") != std::string::npos);
    CHECK(render(sample(), markup::markdown).find("#7") != std::string::npos);
    CHECK(render(sample(), markup::markdown).find("ISMS-") == std::string::npos);
}
