#include "upkeep/sync_lease.hpp"

namespace upkeep {
namespace {

// The value of the line "name: value", or nullopt.
std::optional<std::string_view> line_value(std::string_view text, std::string_view name) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (line.starts_with(name) && line.substr(name.size()).starts_with(": "))
            return line.substr(name.size() + 2);
        pos = end + 1;
    }
    return std::nullopt;
}

} // namespace

bool is_utc_instant(std::string_view text) {
    constexpr std::string_view shape = "0000-00-00T00:00:00Z";
    if (text.size() != shape.size()) return false;
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (shape[i] == '0' ? text[i] < '0' || text[i] > '9' : text[i] != shape[i]) return false;
    return true;
}

namespace {

// "2026-12-01 17:05 UTC"; an unreadable instant as it is.
std::string in_words(std::string_view instant) {
    if (!is_utc_instant(instant)) return std::string(instant);
    return std::string(instant.substr(0, 10)) + " " + std::string(instant.substr(11, 5)) + " UTC";
}

} // namespace

std::string sync_lease_text(const sync_lease& lease) {
    std::string text =
        "Upkeep's sync lease, held by one sync at a time. Upkeep writes this page.\n\nholder: " +
        (lease.holder.empty() ? std::string("nobody") : lease.holder) + "\n";
    if (lease.holder.empty()) return text;
    return text + "run: " + lease.run + "\ntaken: " + lease.taken + "\nexpires: " + lease.expires + "\n";
}

std::optional<sync_lease> sync_lease_from_text(std::string_view text) {
    const auto holder = line_value(text, "holder");
    if (!holder) return std::nullopt;
    sync_lease lease;
    if (*holder == "nobody") return lease;
    lease.holder = std::string(*holder);
    lease.run = std::string(line_value(text, "run").value_or(""));
    lease.taken = std::string(line_value(text, "taken").value_or(""));
    lease.expires = std::string(line_value(text, "expires").value_or(""));
    return lease;
}

bool sync_lease_held(const sync_lease& lease, std::string_view now) {
    return !lease.holder.empty() && is_utc_instant(lease.expires) && now < lease.expires;
}

std::string sync_lease_holder_words(const sync_lease& lease) {
    const std::string since = in_words(lease.taken);
    std::string until = in_words(lease.expires);
    if (since.compare(0, 10, until, 0, 10) == 0) until.erase(0, 11); // the same day
    return lease.holder + (lease.run.empty() ? "" : " (" + lease.run + ")") + " holds the sync lease since " +
           since + ", until " + until + " at the latest";
}

} // namespace upkeep
