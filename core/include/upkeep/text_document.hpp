#pragma once
// A small document (headings, paragraphs, two-level lists, tables) written once and rendered as Markdown,
// Textile (the markups of trackers' wikis and tickets) or a standalone HTML page. Text people typed
// (ticket subjects, configuration titles) is escaped for each markup, so it always renders as text.

#include "upkeep/ticket_reference.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

enum class markup { markdown, textile, html };

/// "markdown" (also "common_mark"), "textile" or "html".
std::optional<markup> parse_markup(std::string_view name);

/// A line of inline text: Upkeep's own words as they are (no markup characters in them), with runs
/// marked by the functions below. The marks are control characters, which typed text cannot bring in.
using text_line = std::string;

/// What people typed (ticket subjects, configuration titles): escaped when rendered; line breaks and
/// other control characters become spaces.
text_line typed(std::string_view text);
/// A ticket reference, named as its tracker names it ("#12", "ISMS-12"): trackers link it in Markdown and
/// Textile; HTML links it to its address when the tracker's address is known.
text_line ticket_ref(long long id);
/// Upkeep's own words, in italics.
text_line emphasis(std::string_view text);

struct text_block {
    enum class kind { heading, paragraph, item, table };
    kind what = kind::paragraph;
    int level = 1;                            // heading 1 to 3; item 1 or 2
    text_line line;                           // heading, paragraph, item
    std::vector<std::vector<text_line>> rows; // table: the first row is the header
};

class text_document {
public:
    text_document& heading(int level, text_line line);
    text_document& paragraph(text_line line);
    text_document& item(text_line line, int level = 1);
    text_document& table(std::vector<std::vector<text_line>> rows);

    const std::vector<text_block>& blocks() const { return blocks_; }

private:
    std::vector<text_block> blocks_;
};

/// The document in a markup, its tickets named as `tickets` says ("#12", "ISMS-12"). For HTML, a whole
/// page titled by the first heading, whose ticket references link to the tickets when `tickets.url` is
/// known. Markdown and Textile leave the references to the tracker, which links them.
std::string render(const text_document& document, markup as, const ticket_references& tickets = {});

} // namespace upkeep
