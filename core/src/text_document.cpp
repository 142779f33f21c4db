// A document written once, rendered as Markdown, Textile or HTML.
//
// Design note. A line is a string; typed text, ticket references and emphasis are runs opened by a
// control character (typed_mark, ticket_mark, emphasis_mark) and closed by end_mark. Typed text has its
// control characters replaced by spaces when it is marked, so it can neither close its run nor open
// another. Building lines is then plain string concatenation, which keeps the WebAssembly module small.
// Only typed text (what people wrote into tickets and the configuration) is escaped; Upkeep's
// own words are written as they are and must not contain markup. Markdown escapes with backslashes every
// ASCII punctuation character CommonMark could read as markup; Textile has no escape character, so the
// characters a Textile renderer (RedCloth) reads as markup become numeric character references (&#42;), shown
// as the characters; HTML escapes the five characters that matter in text and attributes. Line breaks in
// typed text become spaces, so a subject cannot start a heading or a list item.

#include "upkeep/text_document.hpp"

#include <algorithm>

namespace upkeep {
namespace {

constexpr char typed_mark = '\x01', ticket_mark = '\x02', emphasis_mark = '\x03', end_mark = '\x04';

std::string escape(std::string_view text, markup as) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (as == markup::markdown &&
            std::string_view("\\`*_{}[]()<>#+-.!|~&").find(c) != std::string_view::npos) {
            out += '\\';
            out += c;
        } else if ((as == markup::textile &&
                    std::string_view("*_-+^~@%|[]{}\"'!<>#=&()?:").find(c) != std::string_view::npos) ||
                   (as == markup::html && std::string_view("&<>\"'").find(c) != std::string_view::npos)) {
            out += "&#" + std::to_string(static_cast<int>(c)) + ";";
        } else {
            out += c;
        }
    }
    return out;
}

std::string render_line(std::string_view line, markup as, const ticket_references& tickets) {
    std::string out;
    std::size_t at = 0;
    while (at < line.size()) {
        const char mark = line[at];
        if (mark != typed_mark && mark != ticket_mark && mark != emphasis_mark) {
            const std::size_t next = std::min(line.find_first_of("\x01\x02\x03", at), line.size());
            out += as == markup::html ? escape(line.substr(at, next - at), as) : line.substr(at, next - at);
            at = next;
            continue;
        }
        const std::size_t end = std::min(line.find(end_mark, at), line.size());
        const std::string_view run = line.substr(at + 1, end - at - 1);
        at = end + 1;
        if (mark == typed_mark) {
            out += escape(run, as);
        } else if (mark == emphasis_mark) {
            out += as == markup::html ? "<em>" + escape(run, as) + "</em>" : "_" + std::string(run) + "_";
        } else if (as == markup::html && !tickets.url.empty()) {
            out += "<a href=\"" + escape(tickets.url, as) + std::string(run) + "\">" +
                   escape(tickets.prefix, as) + std::string(run) + "</a>";
        } else {
            out += (as == markup::html ? escape(tickets.prefix, as) : tickets.prefix) + std::string(run);
        }
    }
    return out;
}

// A line without its marks (the HTML page's title).
std::string plain_text(const text_line& line, const ticket_references& tickets) {
    std::string out;
    for (const char c : line)
        if (c == ticket_mark)
            out += tickets.prefix;
        else if (c != typed_mark && c != emphasis_mark && c != end_mark)
            out += c;
    return out;
}

std::string render_markup(const text_document& document, markup as, const ticket_references& tickets) {
    std::string out;
    const text_block* previous = nullptr;
    for (const text_block& b : document.blocks()) {
        // A list or a table ends with a blank line before whatever follows it.
        if (previous && previous->what != b.what &&
            (previous->what == text_block::kind::item || previous->what == text_block::kind::table))
            out += '\n';
        const std::string line = render_line(b.line, as, tickets);
        switch (b.what) {
        case text_block::kind::heading:
            out += (as == markup::markdown ? std::string(b.level, '#') + " "
                                           : "h" + std::to_string(b.level) + ". ") +
                   line + "\n\n";
            break;
        case text_block::kind::paragraph:
            out += line + "\n\n";
            break;
        case text_block::kind::item:
            out += (as == markup::markdown ? std::string(2 * (b.level - 1), ' ') + "- "
                                           : std::string(b.level, '*') + " ") +
                   line + "\n";
            break;
        case text_block::kind::table:
            for (std::size_t r = 0; r < b.rows.size(); ++r) {
                const bool header = r == 0;
                for (const text_line& cell : b.rows[r])
                    out += (as == markup::textile && header ? "|_. " : "| ") +
                           render_line(cell, as, tickets) + " ";
                out += "|\n";
                if (header && as == markup::markdown) {
                    for (std::size_t c = 0; c < b.rows[r].size(); ++c)
                        out += "|---";
                    out += "|\n";
                }
            }
            break;
        }
        previous = &b;
    }
    return out;
}

std::string render_html(const text_document& document, const ticket_references& tickets) {
    std::string title;
    for (const text_block& b : document.blocks())
        if (b.what == text_block::kind::heading) {
            title = plain_text(b.line, tickets);
            break;
        }
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
        escape(title, markup::html) +
        "</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.2em .5em;text-align:"
        "left;vertical-align:top}</style>\n</head>\n<body>\n";
    int open_lists = 0; // nested <ul> left open by the items so far
    const auto close_lists = [&](int down_to) {
        for (; open_lists > down_to; --open_lists)
            out += "</li></ul>\n";
    };
    for (const text_block& b : document.blocks()) {
        const std::string line = render_line(b.line, markup::html, tickets);
        if (b.what == text_block::kind::item) {
            if (b.level > open_lists) {
                for (; open_lists < b.level; ++open_lists)
                    out += "<ul><li>";
            } else {
                close_lists(b.level);
                out += "</li><li>";
            }
            out += line;
            continue;
        }
        close_lists(0);
        switch (b.what) {
        case text_block::kind::heading: {
            const std::string tag = "h" + std::to_string(b.level);
            out += "<" + tag + ">" + line + "</" + tag + ">\n";
            break;
        }
        case text_block::kind::paragraph:
            out += "<p>" + line + "</p>\n";
            break;
        case text_block::kind::table:
            out += "<table>\n";
            for (std::size_t r = 0; r < b.rows.size(); ++r) {
                const std::string cell_tag = r == 0 ? "th" : "td";
                out += "<tr>";
                for (const text_line& cell : b.rows[r])
                    out += "<" + cell_tag + ">" + render_line(cell, markup::html, tickets) + "</" + cell_tag +
                           ">";
                out += "</tr>\n";
            }
            out += "</table>\n";
            break;
        case text_block::kind::item:
            break;
        }
    }
    close_lists(0);
    return out + "</body>\n</html>\n";
}

} // namespace

std::optional<markup> parse_markup(std::string_view name) {
    if (name == "markdown" || name == "common_mark") return markup::markdown;
    if (name == "textile") return markup::textile;
    if (name == "html") return markup::html;
    return std::nullopt;
}

text_line typed(std::string_view text) {
    text_line out(1, typed_mark);
    for (const char c : text)
        out += static_cast<unsigned char>(c) < 0x20 || c == '\x7f' ? ' ' : c;
    return out + end_mark;
}
text_line ticket_ref(long long id) {
    return ticket_mark + std::to_string(id) + end_mark;
}
text_line emphasis(std::string_view text) {
    return emphasis_mark + std::string(text) + end_mark;
}

text_document& text_document::heading(int level, text_line line) {
    blocks_.push_back({text_block::kind::heading, level, std::move(line), {}});
    return *this;
}
text_document& text_document::paragraph(text_line line) {
    blocks_.push_back({text_block::kind::paragraph, 1, std::move(line), {}});
    return *this;
}
text_document& text_document::item(text_line line, int level) {
    blocks_.push_back({text_block::kind::item, level, std::move(line), {}});
    return *this;
}
text_document& text_document::table(std::vector<std::vector<text_line>> rows) {
    blocks_.push_back({text_block::kind::table, 1, {}, std::move(rows)});
    return *this;
}

std::string render(const text_document& document, markup as, const ticket_references& tickets) {
    return as == markup::html ? render_html(document, tickets) : render_markup(document, as, tickets);
}

} // namespace upkeep
