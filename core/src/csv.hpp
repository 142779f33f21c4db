#pragma once
// CSV for auditors' spreadsheets (RFC 4180), shared by the evidence register and the SoA export.

#include <string>
#include <string_view>
#include <vector>

namespace upkeep::detail {

/// One cell: RFC 4180 quoting; and a cell that a spreadsheet would read as a formula (=, +, -, @, tab,
/// carriage return first) starts with an apostrophe, which spreadsheets show as text and hide (OWASP's
/// advice).
inline std::string csv_cell(const std::string& text) {
    std::string cell = text;
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos)
        cell.insert(cell.begin(), '\'');
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string out = "\"";
    for (const char c : cell)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

/// One record, ended by CRLF; `quote` false for the header row, which is Upkeep's own words.
template <typename Cells> std::string csv_record(const Cells& cells, bool quote = true) {
    std::string out;
    bool first = true;
    for (const auto& cell : cells) {
        out += (first ? "" : ",") + (quote ? csv_cell(std::string(cell)) : std::string(cell));
        first = false;
    }
    return out + "\r\n";
}

} // namespace upkeep::detail
