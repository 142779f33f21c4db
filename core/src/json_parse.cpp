#include "upkeep/json_parse.hpp"

namespace upkeep {
namespace {

// nlohmann's DOM builder, keeping the error's text instead of throwing it.
class error_keeping_parser : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
public:
    explicit error_keeping_parser(nlohmann::json& result) : json_sax_dom_parser(result, false) {}
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
        error = e.what();
        return false;
    }
    std::string error;
};

} // namespace

std::string parse_json(std::string_view text, nlohmann::json& out) {
    error_keeping_parser parser(out);
    nlohmann::json::sax_parse(text, &parser);
    return parser.error;
}

nlohmann::json parse_json_or_discarded(std::string_view text) {
    nlohmann::json out;
    if (!parse_json(text, out).empty()) return nlohmann::json(nlohmann::json::value_t::discarded);
    return out;
}

} // namespace upkeep
