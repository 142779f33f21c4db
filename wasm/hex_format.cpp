// The browser modules' snprintf, in place of the C library's.
//
// Design note. Two places in nlohmann's JSON code call snprintf, both with one hexadecimal number: the
// serializer writes a control character as "\u%04x" (two of them, "\u%04x\u%04x", for a surrogate pair)
// and the lexer names an unexpected character as "<U+%.4X>" in a parse error. That alone brought musl's
// printf into the module, with its floating-point formatting (about 8 KB before compression). This takes
// just what those formats need: text, `%%`, and `%x`/`%X` with a `0` flag, a width and a precision, each
// taking an unsigned int (a uint16_t or unsigned char argument arrives promoted to int). Any other
// conversion aborts the module, which the JavaScript facade reports: a new caller with another format is
// found by its first use, not by wrong text.

#include "hex_format.hpp"

#include <cstdlib>

namespace upkeep::wasm {

int format_hex(char* out, std::size_t size, const char* format, std::va_list args) {
    std::size_t length = 0;
    const auto put = [&](char c) {
        if (length + 1 < size) out[length] = c;
        ++length;
    };
    for (const char* p = format; *p; ++p) {
        if (*p != '%') {
            put(*p);
            continue;
        }
        if (*++p == '%') {
            put('%');
            continue;
        }
        const bool zero = *p == '0';
        if (zero) ++p;
        int width = 0, precision = -1;
        for (; *p >= '0' && *p <= '9'; ++p)
            width = width * 10 + (*p - '0');
        if (*p == '.')
            for (precision = 0, ++p; *p >= '0' && *p <= '9'; ++p)
                precision = precision * 10 + (*p - '0');
        if (*p != 'x' && *p != 'X') std::abort();
        const char* digits = *p == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
        unsigned value = va_arg(args, unsigned);
        char reversed[8];
        int count = 0;
        do {
            reversed[count++] = digits[value % 16];
            value /= 16;
        } while (value);
        if (precision == 0 && count == 1 && reversed[0] == '0') count = 0; // "%.0x" of 0 writes no digit
        const int shown = precision > count ? precision : count;
        for (int i = shown; i < width; ++i)
            put(zero && precision < 0 ? '0' : ' ');
        for (int i = count; i < shown; ++i)
            put('0');
        while (count)
            put(reversed[--count]);
    }
    if (size) out[length < size ? length : size - 1] = '\0';
    return static_cast<int>(length);
}

} // namespace upkeep::wasm

#ifdef __EMSCRIPTEN__
extern "C" int snprintf(char* out, std::size_t size, const char* format, ...) {
    std::va_list args;
    va_start(args, format);
    const int length = upkeep::wasm::format_hex(out, size, format, args);
    va_end(args);
    return length;
}
#endif
