#include "json_reader.hpp"

#include <algorithm>

namespace upkeep::detail {
namespace {

using json = nlohmann::json;

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

constexpr long long largest_ticket_number = (1LL << 53) - 1;

} // namespace

std::string_view type_name(const json& value) {
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        return "true/false";
    case json::value_t::string:
        return "a string";
    case json::value_t::array:
        return "a list";
    case json::value_t::object:
        return "an object";
    case json::value_t::binary:
        return "binary data";
    case json::value_t::discarded:
        return "nothing";
    default:
        return "a number";
    }
}

object_reader::object_reader(const json& object, std::string pointer, diagnostics& out,
                             bool null_means_absent)
    : object_(object), pointer_(std::move(pointer)), out_(out), null_means_absent_(null_means_absent) {}

std::string object_reader::at(std::string_view key) const {
    return pointer_ + "/" + escape_pointer_token(std::string(key));
}

void object_reader::error(const std::string& pointer, std::string message) {
    out_.push_back({severity::error, pointer, std::move(message)});
}

const json* object_reader::field(std::string_view key, json::value_t type, bool required,
                                 std::string_view expected) {
    known_.emplace_back(key);
    const auto it = object_.find(key);
    if (it == object_.end() || (null_means_absent_ && it->is_null())) {
        if (required) error(at(key), "is missing: expected " + std::string(expected));
        return nullptr;
    }
    const bool integer_ok = type == json::value_t::number_integer && it->is_number_integer();
    if (it->type() != type && !integer_ok) {
        error(at(key), "expected " + std::string(expected) + ", found " + std::string(type_name(*it)));
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> object_reader::text(std::string_view key, bool required, bool allow_empty) {
    const json* value = field(key, json::value_t::string, required, "a string");
    if (!value) return std::nullopt;
    auto s = value->get<std::string>();
    if (!allow_empty && s.find_first_not_of(" \t\r\n") == std::string::npos) {
        error(at(key), "is empty: write some text");
        return std::nullopt;
    }
    return s;
}

std::optional<int> object_reader::integer(std::string_view key, bool required, int min, int max) {
    const json* value = field(key, json::value_t::number_integer, required,
                              "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    if (!value) return std::nullopt;
    if (value->is_number_unsigned() && value->get<unsigned long long>() > static_cast<unsigned>(max)) {
        error(at(key),
              value->dump() + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
        return std::nullopt;
    }
    const auto n = value->get<long long>();
    if (n < min || n > max) {
        error(at(key),
              std::to_string(n) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
        return std::nullopt;
    }
    return static_cast<int>(n);
}

std::optional<bool> object_reader::boolean(std::string_view key, bool required) {
    const json* value = field(key, json::value_t::boolean, required, "true or false");
    return value ? std::optional(value->get<bool>()) : std::nullopt;
}

std::optional<long long> object_reader::ticket_number(std::string_view key, bool required) {
    const json* value = field(key, json::value_t::number_integer, required, "a ticket number such as 42");
    if (!value) return std::nullopt;
    // An unsigned value above 2^63 would not fit a long long: compare before converting.
    const bool in_range =
        value->is_number_unsigned()
            ? value->get<unsigned long long>() <= static_cast<unsigned long long>(largest_ticket_number)
            : value->get<long long>() >= 1 && value->get<long long>() <= largest_ticket_number;
    if (!in_range || value->get<long long>() < 1) {
        error(at(key), value->dump() + " is not a ticket number: expected a whole number from 1 to 2^53 - 1");
        return std::nullopt;
    }
    return value->get<long long>();
}

std::optional<day_point> object_reader::date(std::string_view key, bool required) {
    const json* value = field(key, json::value_t::string, required, "a date YYYY-MM-DD");
    return value ? read_date(*value, at(key)) : std::nullopt;
}

std::optional<day_point> object_reader::read_date(const json& value, const std::string& pointer) {
    if (!value.is_string()) {
        error(pointer, "expected a date YYYY-MM-DD, found " + std::string(type_name(value)));
        return std::nullopt;
    }
    const auto day = parse_iso_date(value.get<std::string>());
    if (!day) error(pointer, "\"" + value.get<std::string>() + "\" is not a date: write YYYY-MM-DD");
    return day;
}

std::vector<day_point> object_reader::dates(std::string_view key) {
    std::vector<day_point> out;
    if (const json* list = field(key, json::value_t::array, false, "a list of dates YYYY-MM-DD")) {
        for (std::size_t i = 0; i < list->size(); ++i)
            if (const auto day = read_date((*list)[i], at(key) + "/" + std::to_string(i)))
                out.push_back(*day);
    }
    return out;
}

std::vector<std::string> object_reader::texts(std::string_view key, std::string_view expected) {
    std::vector<std::string> out;
    if (const json* list = field(key, json::value_t::array, false, expected)) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& item = (*list)[i];
            if (item.is_string())
                out.push_back(item.get<std::string>());
            else
                error(at(key) + "/" + std::to_string(i),
                      "expected a string, found " + std::string(type_name(item)));
        }
    }
    return out;
}

const json* object_reader::object(std::string_view key, bool required) {
    return field(key, json::value_t::object, required, "an object");
}

void object_reader::finish() {
    for (const auto& item : object_.items()) {
        const std::string key = item.key();
        if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
        std::string message = "is not a known field";
        const auto close = std::min_element(known_.begin(), known_.end(), [&](const auto& a, const auto& b) {
            return edit_distance(key, a) < edit_distance(key, b);
        });
        if (close != known_.end() && edit_distance(key, *close) <= 2)
            message += ": did you mean \"" + *close + "\"?";
        else {
            message += " (known here:";
            for (const auto& k : known_)
                message += " " + k;
            message += ")";
        }
        error(at(key), message);
    }
}

} // namespace upkeep::detail
