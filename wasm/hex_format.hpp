#pragma once
// The browser modules' snprintf (hex_format.cpp says why, and which formats it takes).

#include <cstdarg>
#include <cstddef>

namespace upkeep::wasm {

/// snprintf for text and hexadecimal conversions only: `%x` and `%X` with an optional `0` flag, width
/// and precision, and `%%`. Writes at most `size - 1` characters and a terminating NUL (when `size` > 0);
/// returns how many characters the whole text has. Any other conversion aborts: nothing is written wrong.
int format_hex(char* out, std::size_t size, const char* format, std::va_list args);

} // namespace upkeep::wasm
