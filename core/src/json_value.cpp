#include "upkeep/json_value.hpp"

namespace upkeep {

nlohmann::json json_object(std::initializer_list<json_field> fields) {
    nlohmann::json out = nlohmann::json::object();
    for (const json_field& f : fields)
        out[std::string(f.key)] = f.value;
    return out;
}

const nlohmann::json* json_find(const nlohmann::json& document, json_path path) {
    const nlohmann::json* at = &document;
    std::string_view rest = path.keys;
    while (!rest.empty()) {
        rest.remove_prefix(1); // the '/'
        const std::string_view key = rest.substr(0, rest.find('/'));
        rest.remove_prefix(key.size());
        if (!at->is_object()) return nullptr;
        const auto it = at->find(key);
        if (it == at->end()) return nullptr;
        at = &*it;
    }
    return at;
}

namespace {

const nlohmann::json& member_of_kind(const nlohmann::json& object, std::string_view key,
                                     nlohmann::json::value_t kind) {
    static const nlohmann::json empty_array = nlohmann::json::array(),
                                empty_object = nlohmann::json::object();
    if (object.is_object()) {
        const auto it = object.find(key);
        if (it != object.end() && it->type() == kind) return *it;
    }
    return kind == nlohmann::json::value_t::array ? empty_array : empty_object;
}

} // namespace

std::optional<day_point> json_day(const nlohmann::json& object, std::string_view key) {
    const std::string text = json_value(object, key, std::string{});
    return text.size() >= 10 ? parse_iso_date(std::string_view(text).substr(0, 10)) : std::nullopt;
}

const nlohmann::json& json_array_at(const nlohmann::json& object, std::string_view key) {
    return member_of_kind(object, key, nlohmann::json::value_t::array);
}

const nlohmann::json& json_object_at(const nlohmann::json& object, std::string_view key) {
    return member_of_kind(object, key, nlohmann::json::value_t::object);
}

} // namespace upkeep
