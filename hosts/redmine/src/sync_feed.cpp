// The calendar feed, kept by `upkeep sync` once the tickets are done: the iCalendar file uploaded,
// attached to the configuration's page with the page's version (an edit made meanwhile is never
// overwritten: Redmine answers 409 and the next run publishes), read back (Redmine answers 204 even when
// an upload does not attach), and only then the older copies removed. The browser's module has none of
// this (sync_feed_browser.cpp): Sync now leaves the feed to `upkeep sync`.

#include "upkeep/redmine/calendar_feed.hpp"

#include "upkeep/redmine/sync_session.hpp"
#include <upkeep/json_value.hpp>

namespace upkeep::redmine {

using json = nlohmann::json;

// Whose copies of the feed are Upkeep's is known only once their authors are: they are read with the
// authors of the tickets.
void sync_session::want_feed_authors() {
    if (!opts_.publish_feed || wiki_page().is_null()) return;
    for (const json& file : json_array_at(json_object_at(wiki_page(), "wiki_page"), "attachments"))
        if (is_feed_file(file)) own_.authors.want(ctx_, json_value(file, json_path{"/author/id"}, 0LL));
}

calendar_publication sync_session::feed_plan(const json& wiki_page) const {
    return plan_calendar_feed(config(), cycle_, wiki_page, opts_.today, ctx_.upkeep_user_ids);
}

void sync_session::take_feed(const json& body) {
    switch (stage_) {
    case stage::feed_upload: {
        const std::string token = json_value(body, json_path{"/upload/token"}, std::string{});
        if (token.empty())
            return fail(failure_kind::feed_not_published, "POST /uploads.json: Redmine gave no upload token");
        const calendar_publication feed = feed_plan(wiki_page());
        const std::string page =
            "/projects/" + url_escape(project()) + "/wiki/" + configuration_page + ".json";
        stage_ = stage::feed_attach;
        const json put =
            json_object({{"wiki_page",
                          {{"text", feed.page_text},
                           {"version", feed.page_version},
                           {"uploads", json::array({json_object({{"token", token},
                                                                 {"filename", calendar_feed_file},
                                                                 {"description", feed.description},
                                                                 {"content_type", "text/calendar"}})})}}}});
        return write("PUT", page, put, page + "?include=attachments", {write_check::kind::own, "", 0},
                     "publish the calendar feed");
    }
    case stage::feed_attach:
        // Redmine answers 204 even when an upload does not attach: read it back.
        stage_ = stage::feed_read_back;
        return read("/projects/" + url_escape(project()) + "/wiki/" + configuration_page +
                    ".json?include=attachments");
    case stage::feed_read_back:
        if (feed_plan(body).needed)
            return fail(failure_kind::feed_not_published,
                        std::string("PUT the configuration page: Redmine did not attach ") +
                            calendar_feed_file +
                            " (is the file too large for its attachment limit?); the old copy stays");
        return next_stale_copy();
    case stage::feed_delete:
        return next_stale_copy();
    default:
        return;
    }
}

bool sync_session::feed_refused(const http_response& response) {
    const bool feed = stage_ == stage::feed_upload || stage_ == stage::feed_attach ||
                      stage_ == stage::feed_read_back || stage_ == stage::feed_delete;
    if (!feed) return false;
    if (stage_ == stage::feed_attach && response.status == 409) {
        feed_ = "not published: the configuration page was edited meanwhile; the next run publishes it";
        finish();
        return true;
    }
    if (stage_ == stage::feed_delete && response.status == 404) { // already gone
        next_stale_copy();
        return true;
    }
    // The tickets are done: the feed's trouble has its own status (the account may lack the wiki rights the
    // feed needs: edit and protect wiki pages, since the configuration page is protected; delete
    // attachments for the old copies).
    const session_failure why = classify(response);
    fail(failure_kind::feed_not_published,
         std::string(stage_ == stage::feed_delete && feed_needed_
                         ? "published, but an older copy was not removed: "
                         : "") +
             why.message +
             " (the account needs the wiki rights \"Edit wiki pages\", \"Protect wiki pages\" and \"Delete "
             "attachments\")");
    return true;
}

void sync_session::start_feed() {
    if (!opts_.publish_feed || wiki_page().is_null()) return finish();
    const calendar_publication feed = feed_plan(wiki_page());
    feed_needed_ = feed.needed;
    stale_copies_ = feed.stale;
    if (!feed.needed && feed.stale.empty()) {
        feed_ = "unchanged";
        return finish();
    }
    if (!feed.needed) return next_stale_copy();
    stage_ = stage::feed_upload;
    upload(calendar_feed_file, feed.text);
}

void sync_session::next_stale_copy() {
    if (stale_copies_.empty()) {
        feed_ = feed_needed_ ? "published" : "old copies removed";
        return finish();
    }
    const std::string path = "/attachments/" + std::to_string(stale_copies_.back()) + ".json";
    stale_copies_.pop_back();
    stage_ = stage::feed_delete;
    write("DELETE", path, nullptr, path, {write_check::kind::gone, "", 0},
          "remove an older copy of the calendar feed");
}

// The feed's attachment, once its answer was lost: attached when the page holds this calendar.
bool sync_session::went_through(int status, const json& page) const {
    return status == 200 && !feed_plan(page).needed;
}

} // namespace upkeep::redmine
