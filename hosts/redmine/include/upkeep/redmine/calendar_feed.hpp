#pragma once
// The maintenance calendar as a feed calendar programs subscribe to: `upkeep sync` keeps the iCalendar
// file attached to the configuration's wiki page, and Upkeep's Redmine plugin serves the newest one at
// /projects/ID/isms/calendar.ics (with the subscriber's Atom key, as Redmine's own feeds).

#include "upkeep/redmine/conventions.hpp"

#include "upkeep/certification_cycle.hpp"
#include "upkeep/isms_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <set>
#include <string>
#include <vector>

namespace upkeep::redmine {

/// Whether an attachment (as Redmine's API shows it) has the feed's name and description, whoever attached
/// it.
bool is_feed_file(const nlohmann::json& attachment);

/// What publishing the calendar takes, given the wiki page as GET ...?include=attachments answers it.
struct calendar_publication {
    bool needed = false;          // no attachment holds this calendar yet
    std::string text;             // the iCalendar file, stamped `today`
    std::string description;      // calendar_feed_description and the hash: how the next run recognises it
    std::vector<long long> stale; // the feed file's other attachments, removed once the new one is up
    long long page_version = 0;   // the page's version, sent back so an edit meanwhile is not overwritten
    std::string page_text;        // the page's text, sent back unchanged (Redmine's API requires it)
};

/// The hash covers the calendar itself, not its DTSTAMP, so an unchanged configuration publishes nothing.
/// Only copies attached by `upkeep_authors` (the accounts that act as Upkeep, context::upkeep_user_ids) are
/// the feed's: a file anyone else attaches under its name and description is neither served nor removed.
calendar_publication plan_calendar_feed(const isms_configuration& config, const certification_cycle& cycle,
                                        const nlohmann::json& wiki_page, day_point today,
                                        const std::set<long long>& upkeep_authors);

} // namespace upkeep::redmine
