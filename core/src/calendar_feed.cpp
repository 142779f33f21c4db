#include "upkeep/calendar_feed.hpp"

#include "text_hash.hpp"
#include "upkeep/icalendar.hpp"

#include <nlohmann/json.hpp>

namespace upkeep {

calendar_publication plan_calendar_feed(const isms_configuration& config, const certification_cycle& cycle,
                                        const nlohmann::json& wiki_page, day_point today) {
    calendar_publication out;
    // Hashed with a fixed stamp (the certification decision), published with today's.
    out.description =
        std::string(calendar_feed_description) +
        hash_hex(to_icalendar(config, cycle, {config.certification.decision_date, std::nullopt}));
    out.text = to_icalendar(config, cycle, {today, std::nullopt});
    const nlohmann::json page = wiki_page.value("wiki_page", nlohmann::json::object());
    out.page_version = page.value("version", 0LL);
    out.page_text = page.value("text", std::string{});
    // The plugin serves the newest copy: it must hold this calendar; every other copy goes.
    const nlohmann::json files = page.value("attachments", nlohmann::json::array());
    const nlohmann::json* newest = nullptr;
    std::vector<long long> copies;
    for (const nlohmann::json& file : files) {
        // Upkeep's copies only: a file people attached under the same name is theirs, left alone.
        if (file.value("filename", std::string{}) != calendar_feed_file ||
            !file.value("description", std::string{}).starts_with(calendar_feed_description))
            continue;
        copies.push_back(file.value("id", 0LL));
        if (!newest || file.value("id", 0LL) > newest->value("id", 0LL)) newest = &file;
    }
    out.needed = !newest || newest->value("description", std::string{}) != out.description;
    for (const long long id : copies)
        if (out.needed || id != newest->value("id", 0LL)) out.stale.push_back(id);
    return out;
}

} // namespace upkeep
