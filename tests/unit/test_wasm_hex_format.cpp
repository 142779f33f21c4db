// The browser modules' snprintf (wasm/hex_format.cpp) against the C library's, on the formats nlohmann's
// JSON code uses and the rest of what it takes, for every buffer size from none to enough.

#include "hex_format.hpp"

#include <doctest/doctest.h>

#include <cstdarg>
#include <cstdio>
#include <string>

using upkeep::wasm::format_hex;

namespace {

struct written {
    int length;
    std::string text;
    bool operator==(const written&) const = default;
};

written ours(std::size_t size, const char* format, ...) {
    std::string buffer(size + 1, '#');
    std::va_list args;
    va_start(args, format);
    const int length = format_hex(buffer.data(), size, format, args);
    va_end(args);
    return {length, buffer};
}

written libc(std::size_t size, const char* format, ...) {
    std::string buffer(size + 1, '#');
    std::va_list args;
    va_start(args, format);
    const int length = std::vsnprintf(buffer.data(), size, format, args);
    va_end(args);
    return {length, buffer};
}

} // namespace

TEST_CASE("nlohmann's formats come out as the C library writes them, cut where it cuts them") {
    for (const unsigned value : {0u, 1u, 0x1fu, 0x7fu, 0xabcu, 0xd83du, 0xffffu}) {
        for (std::size_t size = 0; size <= 16; ++size) {
            CAPTURE(value);
            CAPTURE(size);
            CHECK(ours(size, "\\u%04x", value) == libc(size, "\\u%04x", value));
            CHECK(ours(size, "\\u%04x\\u%04x", value, 0xde00u) ==
                  libc(size, "\\u%04x\\u%04x", value, 0xde00u));
            CHECK(ours(size, "<U+%.4X>", value) == libc(size, "<U+%.4X>", value));
        }
    }
}

TEST_CASE("widths, precisions, the 0 flag and %% as the C library has them") {
    for (const char* format : {"%x", "%X", "%5x", "%05X", "%.2x", "%6.3x", "%.0x", "100%% %x", "%x%x"}) {
        for (const unsigned value : {0u, 7u, 0xbeefu, 0x12345678u}) {
            CAPTURE(format);
            CAPTURE(value);
            CHECK(ours(32, format, value, value) == libc(32, format, value, value));
        }
    }
}
