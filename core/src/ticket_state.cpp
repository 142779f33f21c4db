#include "upkeep/ticket_state.hpp"

#include <charconv>

namespace upkeep {

ticket_state ticket_state::parse(std::string_view text) {
    ticket_state state;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t end = std::min(text.find(';', pos), text.size());
        const std::string_view part = text.substr(pos, end - pos);
        pos = end + 1;
        if (part.starts_with("h="))
            state.hash = std::string(part.substr(2));
        else if (part.starts_with("change=")) {
            const std::string_view n = part.substr(7);
            std::from_chars(n.data(), n.data() + n.size(), state.change);
        } else if (part.starts_with("since="))
            state.since = parse_iso_date(part.substr(6));
        else if (part == "evidence=1" || part == "evidence=0")
            state.evidence = part.back() == '1';
        else if (part == "overdue=1")
            state.overdue = true;
        else if (part == "obsolete=1")
            state.obsolete = true;
        else if (part == "backlog=1")
            state.backlog = true;
        else if (part == "closing=1")
            state.closing = true;
        else if (part == "withdrawn=1")
            state.withdrawn = true;
        else if (part == "duplicate=1")
            state.duplicate = true;
        else if (part == "renewal=1")
            state.renewal = true;
    }
    return state;
}

std::string ticket_state::format() const {
    std::string out;
    const auto add = [&out](const std::string& part) { out += (out.empty() ? "" : ";") + part; };
    if (change) add("change=" + std::to_string(change));
    if (!hash.empty()) add("h=" + hash);
    if (overdue) add("overdue=1");
    if (obsolete) add("obsolete=1");
    if (backlog) add("backlog=1");
    if (since) add("since=" + format_iso_date(*since));
    if (evidence) add(*evidence ? "evidence=1" : "evidence=0");
    if (closing) add("closing=1");
    if (withdrawn) add("withdrawn=1");
    if (duplicate) add("duplicate=1");
    if (renewal) add("renewal=1");
    return out;
}

} // namespace upkeep
