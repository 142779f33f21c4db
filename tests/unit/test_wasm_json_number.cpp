// The browser modules' strtod (wasm/json_number.cpp) against the C library's, which rounds correctly:
// equal to the last bit within Clinger's fast path, within a few units in the last place beyond it.

#include "json_number.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>

using upkeep::wasm::parse_json_number;

namespace {

double ours(const std::string& text, std::size_t* used = nullptr) {
    char* end = nullptr;
    const double value = parse_json_number(text.c_str(), &end);
    if (used) *used = static_cast<std::size_t>(end - text.c_str());
    return value;
}

double libc(const std::string& text) {
    return std::strtod(text.c_str(), nullptr);
}

} // namespace

TEST_CASE("numbers as trackers and configurations write them parse to the correctly rounded double") {
    for (const char* text : {"0", "-0", "0.0", "1.5", "12.25", "-3.75e2", "0.1", "0.3", "2.675", "1e-7",
                             "123456789012345", "0.000123", "9007199254740992", "1E22", "5e-22", "1e23"}) {
        std::size_t used = 0;
        CHECK_MESSAGE(ours(text, &used) == libc(text), text);
        CHECK_MESSAGE(used == std::string(text).size(), text);
        CHECK_MESSAGE(std::signbit(ours(text)) == std::signbit(libc(text)), text);
    }
}

TEST_CASE("up to 15 significant digits and exponents within 22: equal to the last bit") {
    std::mt19937_64 random(20261201);
    for (int i = 0; i < 20000; ++i) {
        const auto digits = std::to_string(random() % 1000000000000000ULL);
        const int exponent = static_cast<int>(random() % 45) - 22;
        const std::string text = (i % 2 ? "-" : "") + digits + "e" + std::to_string(exponent);
        REQUIRE_MESSAGE(ours(text) == libc(text), text);
        // The same value written with a decimal point: "123.45" rather than "12345e-2".
        if (exponent < 0 && static_cast<std::size_t>(-exponent) < digits.size()) {
            std::string pointed = digits;
            pointed.insert(pointed.size() - static_cast<std::size_t>(-exponent), ".");
            REQUIRE_MESSAGE(ours(pointed) == libc(pointed), pointed);
        }
    }
}

TEST_CASE("beyond the fast path: close, and overflow and underflow as the C library has them") {
    for (const char* text :
         {"3.14159265358979323846264338327950288", "123456789012345678901234567890", "1.7976931348623157e308",
          "2.2250738585072014e-308", "6.02214076e23", "1e-300"}) {
        const double expected = libc(text);
        CHECK_MESSAGE(std::abs(ours(text) - expected) <= 4 * std::abs(expected) * 2.220446049250313e-16,
                      text);
    }
    CHECK(std::isinf(ours("1e400")));
    CHECK(ours("-1e400") < 0);
    CHECK(ours("1e-400") == 0);
    CHECK(ours("0e999999999") == 0);
    std::size_t used = 99;
    CHECK(ours("x", &used) == 0);
    CHECK(used == 0);
    CHECK(ours("7e", &used) == 7); // an exponent without digits is not part of the number
    CHECK(used == 1);
}
