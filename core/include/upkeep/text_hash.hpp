#pragma once
// A stable 64-bit FNV-1a hash as 16 hex digits: how Upkeep recognises text it wrote (ticket fields,
// action lines, the published calendar). Not cryptographic; nothing relies on it for security.

#include <cstdint>
#include <string>
#include <string_view>

namespace upkeep {

inline std::string hash_hex(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const unsigned char c : text)
        h = (h ^ c) * 1099511628211ULL;
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4)
        out[static_cast<std::size_t>(i)] = digits[h & 0xF];
    return out;
}

} // namespace upkeep
