// The browser's module keeps no calendar feed: Sync now leaves it to `upkeep sync` (sync_feed.cpp), and the
// module stays within its size budget without that code.

#include "upkeep/redmine/sync_session.hpp"

namespace upkeep::redmine {

void sync_session::want_feed_authors() {}

void sync_session::take_feed(const nlohmann::json&) {}

bool sync_session::feed_refused(const http_response&) {
    return false;
}

void sync_session::start_feed() {
    finish();
}

void sync_session::next_stale_copy() {
    finish();
}

bool sync_session::went_through(int, const nlohmann::json&) const {
    return false;
}

} // namespace upkeep::redmine
