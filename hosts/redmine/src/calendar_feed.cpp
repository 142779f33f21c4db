#include "upkeep/redmine/calendar_feed.hpp"

#include <upkeep/json_value.hpp>

#include "upkeep/icalendar.hpp"
#include "upkeep/text_hash.hpp"

#include <nlohmann/json.hpp>

namespace upkeep::redmine {

bool is_feed_file(const nlohmann::json& attachment) {
    return json_value(attachment, "filename", std::string{}) == calendar_feed_file &&
           json_value(attachment, "description", std::string{}).starts_with(calendar_feed_description);
}

calendar_publication plan_calendar_feed(const isms_configuration& config, const certification_cycle& cycle,
                                        const nlohmann::json& wiki_page, day_point today,
                                        const std::set<long long>& upkeep_authors) {
    calendar_publication out;
    // Hashed with a fixed stamp (the certification decision), published with today's.
    out.description =
        std::string(calendar_feed_description) +
        hash_hex(to_icalendar(config, cycle, {config.certification.decision_date, std::nullopt}));
    out.text = to_icalendar(config, cycle, {today, std::nullopt});
    const nlohmann::json& page = json_object_at(wiki_page, "wiki_page");
    out.page_version = json_value(page, "version", 0LL);
    out.page_text = json_value(page, "text", std::string{});
    // The plugin serves the newest copy: it must hold this calendar; every other copy goes.
    const nlohmann::json& files = json_array_at(page, "attachments");
    const nlohmann::json* newest = nullptr;
    std::vector<long long> copies;
    for (const nlohmann::json& file : files) {
        // Upkeep's copies only: a file people attached under the same name, even with the feed's
        // description, is theirs, left alone.
        if (!is_feed_file(file) || !upkeep_authors.count(json_value(file, json_path{"/author/id"}, 0LL)))
            continue;
        copies.push_back(json_value(file, "id", 0LL));
        if (!newest || json_value(file, "id", 0LL) > newest->value("id", 0LL)) newest = &file;
    }
    out.needed = !newest || newest->value("description", std::string{}) != out.description;
    for (const long long id : copies)
        if (out.needed || id != newest->value("id", 0LL)) out.stale.push_back(id);
    return out;
}

} // namespace upkeep::redmine
