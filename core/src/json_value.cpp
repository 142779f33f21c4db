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

} // namespace upkeep
