// libFuzzer target: the RRULE parser and the expander. A rule that parses prints back to a text that
// parses to the same rule, and expands in ascending order, each date once (at most 64 dates a rule).

#include <upkeep/recurrence.hpp>
#include <upkeep/rrule.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const upkeep::rrule_parse_result parsed = upkeep::parse_rrule(text);
    if (!parsed.rule) return 0;
    const std::string printed = upkeep::to_string(*parsed.rule);
    const upkeep::rrule_parse_result again = upkeep::parse_rrule(printed);
    if (!again.rule || upkeep::to_string(*again.rule) != printed) std::abort();
    const upkeep::recurrence set{*upkeep::parse_iso_date("2027-01-31"), *parsed.rule, {}, {}};
    upkeep::occurrence_iterator dates(set);
    std::optional<upkeep::day_point> last;
    for (int i = 0; i < 64; ++i) {
        const auto next = dates.next();
        if (!next) break;
        if (last && *next <= *last) std::abort();
        last = next;
    }
    return 0;
}
