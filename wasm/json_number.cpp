// The browser modules' strtod, in place of the C library's.
//
// Design note. nlohmann's JSON lexer turns every number with a fraction or an exponent into a double with
// strtod, and that alone brought musl's strtod into the module: a long double algorithm on soft-float
// 128-bit arithmetic (__divtf3, __multf3, fmodl, ...), about 7 KB of the 150 KB budget after compression.
// The core never reads a JSON number as a fraction (tracker answers carry some, such as hours, which the
// core passes over), so this is enough: the digits (at most 19 significant, the rest only moving the
// exponent) times or divided by a power of ten. For up to 15 significant digits and an exponent within
// ±22, one multiplication or division of two exact doubles, so the result is the correctly rounded double
// (Clinger's fast path); beyond that, within a few units in the last place. nlohmann has checked the
// syntax before it calls strtod, and this consumes the whole number it checked.

#include "json_number.hpp"

#include <cstdint>

namespace upkeep::wasm {

double parse_json_number(const char* text, char** end) {
    const char* p = text;
    const bool negative = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    std::uint64_t digits = 0;
    int significant = 0, exponent = 0;
    bool any = false;
    const auto digit = [&](bool fraction) {
        const int d = *p++ - '0';
        any = true;
        if (significant < 19) {
            digits = digits * 10 + static_cast<unsigned>(d);
            if (digits) ++significant;
            if (fraction) --exponent;
        } else if (!fraction) {
            ++exponent;
        }
    };
    while (*p >= '0' && *p <= '9')
        digit(false);
    if (*p == '.')
        for (++p; *p >= '0' && *p <= '9';)
            digit(true);
    if (!any) {
        if (end) *end = const_cast<char*>(text);
        return 0;
    }
    if (*p == 'e' || *p == 'E') {
        const char* q = p + 1;
        const bool down = *q == '-';
        if (*q == '-' || *q == '+') ++q;
        if (*q >= '0' && *q <= '9') {
            int e = 0;
            for (; *q >= '0' && *q <= '9'; ++q)
                if (e < 100000) e = e * 10 + (*q - '0');
            exponent += down ? -e : e;
            p = q;
        }
    }
    if (end) *end = const_cast<char*>(p);
    static constexpr double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double value = static_cast<double>(digits);
    for (; value != 0 && exponent > 22; exponent -= 22)
        value *= 1e22;
    for (; value != 0 && exponent < -22; exponent += 22)
        value /= 1e22;
    if (value != 0) value = exponent >= 0 ? value * powers[exponent] : value / powers[-exponent];
    return negative ? -value : value;
}

} // namespace upkeep::wasm

#ifdef __EMSCRIPTEN__
// The C library's strtod lives in one file with strtof and strtold: all three are replaced.
extern "C" {
double strtod(const char* text, char** end) {
    return upkeep::wasm::parse_json_number(text, end);
}
float strtof(const char* text, char** end) {
    return static_cast<float>(upkeep::wasm::parse_json_number(text, end));
}
long double strtold(const char* text, char** end) {
    return upkeep::wasm::parse_json_number(text, end);
}
}
#endif
