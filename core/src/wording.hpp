#pragma once
// Counts and short texts in words, made in one place so that every view says "1 day" and "2 days" alike.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep::detail {

/// "1 ticket", "3 tickets": `n` and the word for one or for many.
inline std::string count_of(long long n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 || n == -1 ? one : many);
}

/// The items with `separator` between them: "A.5.15, A.5.18".
inline std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : std::string(separator)) + item;
    return out;
}

/// "1 day", "12 days".
inline std::string days(long long n) {
    return count_of(n, "day", "days");
}

/// At most `max` bytes (> 3), cut at a character boundary (ticket text is UTF-8) and marked "...".
inline std::string short_text(const std::string& text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut; // a continuation byte: the character starts before it
    return text.substr(0, cut) + "...";
}

/// "37% (3 of 8)": the share rounded down, so that 100% only ever means all of them; `whole` > 0.
inline std::string percent_of(std::size_t part, std::size_t whole) {
    return std::to_string(part * 100 / whole) + "% (" + std::to_string(part) + " of " +
           std::to_string(whole) + ")";
}

} // namespace upkeep::detail
