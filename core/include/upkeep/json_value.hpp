#pragma once
// Reading a tracker's answers, which are other people's JSON: every field has a fallback used when it is
// missing or of another type, and nothing throws (the WebAssembly build has no exceptions: a throw there
// would abort the module). A number outside what the field holds (an id above 2^63) reads as missing.

#include "upkeep/dates.hpp"

#include <nlohmann/json.hpp>

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace upkeep {

namespace detail {

template <typename T> T json_as(const nlohmann::json& value, const T& fallback) {
    if constexpr (std::is_same_v<T, bool>) {
        return value.is_boolean() ? value.get<bool>() : fallback;
    } else if constexpr (std::is_integral_v<T>) {
        // Compared in the type the value has, so that no cast turns a limit into something else.
        if (value.is_number_unsigned()) {
            const unsigned long long n = value.get<unsigned long long>();
            return n <= static_cast<unsigned long long>(std::numeric_limits<T>::max()) ? static_cast<T>(n)
                                                                                       : fallback;
        }
        if (value.is_number_integer()) {
            const long long n = value.get<long long>();
            if constexpr (std::is_unsigned_v<T>)
                return n >= 0 && static_cast<unsigned long long>(n) <= std::numeric_limits<T>::max()
                           ? static_cast<T>(n)
                           : fallback;
            else
                return n >= std::numeric_limits<T>::min() && n <= std::numeric_limits<T>::max()
                           ? static_cast<T>(n)
                           : fallback;
        }
        return fallback;
    } else if constexpr (std::is_same_v<T, std::string>) {
        return value.is_string() ? value.get<std::string>() : fallback;
    } else {
        static_assert(std::is_same_v<T, nlohmann::json>,
                      "json_value reads booleans, integers, strings and JSON");
        return value;
    }
}

} // namespace detail

/// `object[key]` as a T, or `fallback`.
template <typename T> T json_value(const nlohmann::json& object, std::string_view key, const T& fallback) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(key);
    return it == object.end() ? fallback : detail::json_as(*it, fallback);
}

/// The day `object[key]` holds as a date or at the start of a time ("2027-03-01",
/// "2027-03-01T16:00:00Z"); none when it is missing, not text or not a date.
std::optional<day_point> json_day(const nlohmann::json& object, std::string_view key);

/// `object[key]` when it is an array, else an empty one: the member itself, not a copy (a page of a
/// thousand tickets is read this way several times).
const nlohmann::json& json_array_at(const nlohmann::json& object, std::string_view key);

/// `object[key]` when it is an object, else an empty one: the member itself, not a copy.
const nlohmann::json& json_object_at(const nlohmann::json& object, std::string_view key);

/// One field of json_object.
struct json_field {
    std::string_view key;
    nlohmann::json value;
};

/// A JSON object of its fields: `json_object({{"id", 12}, {"closed", true}})`. nlohmann's own braces,
/// `json{{"id", 12}, ...}`, check at run time whether they make an object or an array, and each call site
/// of them costs the wasm module about twice the code.
nlohmann::json json_object(std::initializer_list<json_field> fields);

/// A path of object keys, such as json_path("/user/id"): what a JSON pointer of keys says, walked without
/// parsing it into a pointer first (each pointer built at a call site costs the wasm module code).
struct json_path {
    std::string_view keys;
};

/// The value at a path of object keys, or null when one is missing (or not an object on the way).
const nlohmann::json* json_find(const nlohmann::json& document, json_path path);

/// The value at a path of object keys as a T, or `fallback`.
template <typename T> T json_value(const nlohmann::json& document, json_path path, const T& fallback) {
    const nlohmann::json* value = json_find(document, path);
    return value ? detail::json_as(*value, fallback) : fallback;
}

inline std::string json_value(const nlohmann::json& object, std::string_view key, const char* fallback) {
    return json_value(object, key, std::string(fallback));
}

inline std::string json_value(const nlohmann::json& document, json_path path, const char* fallback) {
    return json_value(document, path, std::string(fallback));
}

} // namespace upkeep
