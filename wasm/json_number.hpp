#pragma once
// The browser modules' number parsing for JSON (json_number.cpp says why and how exact).

namespace upkeep::wasm {

/// Parses a decimal number (a JSON number's syntax) at `text`; `end` (when given) is set past it, or to
/// `text` when no digit is found.
double parse_json_number(const char* text, char** end);

} // namespace upkeep::wasm
