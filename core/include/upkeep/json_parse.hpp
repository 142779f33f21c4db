#pragma once
// JSON parsing for the whole core, without exceptions and with one parser.
//
// Design note. json::parse(text, nullptr, false) always instantiates nlohmann's callback parser next to
// the plain one, even with no callback: 4.8 KB of the compressed WebAssembly, on a 150 KB budget. Every
// parse of input in the core goes through sax_parse with the plain DOM builder instead; the WebAssembly
// build has no exceptions, so a syntax error comes back as text.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace upkeep {

/// Parses `text` into `out`; returns "" or the syntax error's text, such as
/// "[json.exception.parse_error.101] parse error at line 3, column 5: ...".
std::string parse_json(std::string_view text, nlohmann::json& out);

/// The document, or a discarded value when `text` is not JSON (as json::parse(text, nullptr, false)).
nlohmann::json parse_json_or_discarded(std::string_view text);

} // namespace upkeep
