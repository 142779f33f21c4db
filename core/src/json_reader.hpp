#pragma once
// Reading JSON documents that people or other programs write (the configuration, snapshot files):
// every wrong type, missing field and unknown field becomes a problem at its JSON pointer, never an
// exception or a crash.

#include "upkeep/dates.hpp"
#include "upkeep/diagnostics.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep::detail {

/// "a string", "a list", "true/false", ...: a JSON value's type as people read it.
std::string_view type_name(const nlohmann::json& value);

/// Reads one JSON object field by field, reporting wrong types and missing fields at their pointer;
/// finish() reports every field that no getter asked for, with a "did you mean" for a near miss.
class object_reader {
public:
    /// `null_means_absent`: a field whose value is null reads as a field not given (snapshot files
    /// write null for "none"); otherwise null is a wrong type (the configuration).
    object_reader(const nlohmann::json& object, std::string pointer, diagnostics& out,
                  bool null_means_absent = false);

    /// Whether the object has the field (whatever its value).
    bool has(std::string_view key) const { return object_.contains(key); }
    /// Counts the field as read, for finish(): its problem is reported elsewhere.
    void known(std::string_view key) { known_.emplace_back(key); }

    /// The pointer of one of the object's fields.
    std::string at(std::string_view key) const;

    void error(const std::string& pointer, std::string message);

    /// The field's value when present with the expected type; reports a missing required field.
    const nlohmann::json* field(std::string_view key, nlohmann::json::value_t type, bool required,
                                std::string_view expected);

    std::optional<std::string> text(std::string_view key, bool required, bool allow_empty = true);
    std::optional<int> integer(std::string_view key, bool required, int min, int max);
    std::optional<bool> boolean(std::string_view key, bool required);
    /// A ticket number: a whole number from 1 to 2^53 - 1 (what every JSON reader keeps exactly).
    std::optional<long long> ticket_number(std::string_view key, bool required);
    std::optional<day_point> date(std::string_view key, bool required);
    std::optional<day_point> read_date(const nlohmann::json& value, const std::string& pointer);
    std::vector<day_point> dates(std::string_view key);
    /// A list of strings; items of another type are problems at their pointer.
    std::vector<std::string> texts(std::string_view key, std::string_view expected);
    const nlohmann::json* object(std::string_view key, bool required);

    void finish();

private:
    const nlohmann::json& object_;
    std::string pointer_;
    diagnostics& out_;
    bool null_means_absent_;
    std::vector<std::string> known_;
};

} // namespace upkeep::detail
