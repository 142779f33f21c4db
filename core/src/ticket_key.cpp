#include "upkeep/ticket_key.hpp"

#include <charconv>

namespace upkeep {
namespace {

bool is_activity_id(std::string_view id) {
    if (id.empty() || id.size() > 63 || id.front() == '-') return false;
    for (const char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

bool is_word(std::string_view text) {
    if (text.empty() || text.size() > 80) return false;
    for (const char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
    return true;
}

// "<activity>:<due>" into the key.
bool read_occurrence(std::string_view text, ticket_key& key) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || !is_activity_id(text.substr(0, colon))) return false;
    const auto due = parse_iso_date(text.substr(colon + 1));
    if (!due) return false;
    key.activity = std::string(text.substr(0, colon));
    key.due = *due;
    return true;
}

} // namespace

std::string ticket_key::format() const {
    const std::string n = std::to_string(number);
    switch (kind) {
    case ticket_key_kind::none:
        return "";
    case ticket_key_kind::control:
        return "control:" + activity + ":" + format_iso_date(due);
    case ticket_key_kind::missed_control:
        return "nc:missed:control:" + activity + ":" + format_iso_date(due);
    case ticket_key_kind::corrective_action:
        return "ca:" + n + ":" + tail;
    case ticket_key_kind::verification:
        return "verify:" + n;
    case ticket_key_kind::follow_up:
        return "change:" + n + ":" + tail + (generation > 1 ? ":" + std::to_string(generation) : "");
    case ticket_key_kind::decision:
        return "decision:" + n + ":" + tail;
    case ticket_key_kind::supplier:
        return "supplier:" + n + ":" + tail;
    }
    return "";
}

ticket_key ticket_key::parse(std::string_view text) {
    ticket_key key;
    const auto take = [&](std::string_view prefix) {
        if (!text.starts_with(prefix)) return false;
        text.remove_prefix(prefix.size());
        return true;
    };
    // "<number>:<rest>": the number into the key, the rest returned.
    const auto numbered = [&](std::string_view& rest) {
        const std::size_t colon = text.find(':');
        const auto n = ticket_number(text.substr(0, colon));
        if (!n) return false;
        key.number = *n;
        rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
        return colon != std::string_view::npos;
    };
    std::string_view rest;
    ticket_key_kind kind = ticket_key_kind::none;
    if (take("control:")) {
        if (read_occurrence(text, key)) kind = ticket_key_kind::control;
    } else if (take("nc:missed:control:")) {
        if (read_occurrence(text, key)) kind = ticket_key_kind::missed_control;
    } else if (take("verify:")) {
        if (const auto n = ticket_number(text)) {
            key.number = *n;
            kind = ticket_key_kind::verification;
        }
    } else if (take("ca:")) {
        if (numbered(rest) && is_word(rest)) kind = ticket_key_kind::corrective_action;
        key.tail = std::string(rest);
    } else if (take("decision:")) {
        if (numbered(rest) && is_word(rest)) kind = ticket_key_kind::decision;
        key.tail = std::string(rest);
    } else if (take("supplier:")) {
        if (numbered(rest) && is_word(rest)) kind = ticket_key_kind::supplier;
        key.tail = std::string(rest);
    } else if (take("change:")) {
        if (numbered(rest)) {
            const std::size_t colon = rest.find(':');
            key.tail = std::string(rest.substr(0, colon));
            std::optional<long long> generation = 1;
            if (colon != std::string_view::npos) generation = ticket_number(rest.substr(colon + 1));
            const bool numbered_generation = colon != std::string_view::npos;
            if (is_word(key.tail) && generation && (*generation >= 2) == numbered_generation &&
                *generation < 1000) {
                key.generation = static_cast<int>(*generation);
                kind = ticket_key_kind::follow_up;
            }
        }
    }
    if (kind == ticket_key_kind::none) return {};
    key.kind = kind;
    return key;
}

ticket_key ticket_key::control(std::string activity, day_point due) {
    ticket_key key;
    key.kind = ticket_key_kind::control;
    key.activity = std::move(activity);
    key.due = due;
    return key;
}

int duplicate_rank(bool closed, bool work_recorded, bool closed_as_duplicate) {
    return closed_as_duplicate ? 4 : (closed ? 0 : 2) + (work_recorded ? 0 : 1);
}

std::optional<long long> ticket_number(std::string_view text) {
    if (text.empty() || text.size() > 16 || text.front() == '0') return std::nullopt;
    long long n = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (error != std::errc{} || end != text.data() + text.size() || n < 1 || n >= (1LL << 53))
        return std::nullopt;
    return n;
}

} // namespace upkeep
