// The configuration in a Redmine wiki page: written in a code block of either markup, read back as typed.

#include "test_helpers.hpp"

#include <upkeep/redmine/wiki_storage.hpp>

#include <nlohmann/json.hpp>

using namespace upkeep;
using json = nlohmann::json;

TEST_CASE("a configuration survives the round trip through a wiki page, in either markup") {
    const std::string config = R"({"version": 1, "note": "</code></pre> <script>x</script>\n"})";
    for (const wiki_markup markup : {wiki_markup::textile, wiki_markup::markdown}) {
        const std::string page = configuration_to_wiki_text(config, markup);
        const auto back = configuration_from_wiki_text(page);
        REQUIRE(back);
        CHECK(json::parse(*back) == json::parse(config));
    }
    CHECK(configuration_from_wiki_text("{\"version\": 1}") == "{\"version\": 1}");
    CHECK(!configuration_from_wiki_text("h1. x\n\n<pre><code class=\"json\">\n{}\n"));
}
