// `expand` of json_api.hpp, apart from the other calls: the one a page may call in loops.

#include "upkeep/json_api.hpp"
#include "upkeep/json_value.hpp"

#include "upkeep/json_api_detail.hpp"
#include "upkeep/json_parse.hpp"
#include "upkeep/recurrence.hpp"

namespace upkeep::json_api {

using namespace detail;

std::string expand(std::string_view request_json) {
    const json request = parse_json_or_discarded(request_json);
    if (request.is_discarded() || !request.is_object())
        return error_line("the request is not a JSON object such as {\"dtstart\": \"2027-01-31\", \"rrule\": "
                          "\"FREQ=MONTHLY\"}");
    std::string error;
    const auto dtstart = date_field(request, "dtstart", error);
    if (!dtstart) return error_line(error);
    const auto rule_it = request.find("rrule");
    if (rule_it == request.end() || !rule_it->is_string())
        return error_line("rrule: expected a string such as \"FREQ=MONTHLY\"");
    long long limit = default_expand_limit;
    if (const auto it = request.find("limit"); it != request.end()) {
        if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > max_expand_limit)
            return error_line("limit: expected a whole number from 0 to " + std::to_string(max_expand_limit));
        limit = it->get<long long>();
    }
    const rrule_parse_result parsed = parse_rrule(rule_it->get<std::string>());
    if (!parsed.rule) {
        std::string message;
        for (const rule_error& e : parsed.errors)
            message += (message.empty() ? "" : "; ") + e.message;
        return error_line(message);
    }
    // Written as text, not built as a JSON value: a date needs no escaping, and building the value takes
    // a third of the call's time.
    const std::vector<day_point> days =
        all(recurrence{*dtstart, *parsed.rule, {}, {}}, static_cast<std::size_t>(limit));
    std::string answer = R"({"dates":[)";
    for (std::size_t i = 0; i < days.size(); ++i)
        answer.append(i == 0 ? "\"" : ",\"").append(format_iso_date(days[i])).push_back('"');
    return answer.append("]}");
}

} // namespace upkeep::json_api
