#pragma once
// One sync against one Redmine project, reads and writes decided here: the CLI and the browser only
// carry the requests (exchange.hpp retries). Nothing is written before the plan exists, so every problem
// of the setup or the configuration stops the session before any write.

#include "upkeep/redmine/calendar_feed.hpp"
#include "upkeep/redmine/session.hpp"

#include <upkeep/certification_cycle.hpp>
#include <upkeep/sync_plan.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep::redmine {

class sync_session final : public project_session {
public:
    struct options {
        std::string project; // identifier
        day_point today;
        std::optional<std::string> config_text; // else the project's wiki page
        bool apply = true;                      // false: plan only (a dry run, "Preview sync")
        bool publish_feed = true; // keep the calendar feed (only with the wiki page's configuration)
    };

    explicit sync_session(options opts);

    /// Once planned: the plan (notices and warnings included).
    const sync_plan& plan() const { return plan_; }
    bool planned() const { return planned_; }
    /// Writes of the plan that went through (a write looked up after a lost answer counts).
    std::size_t written() const { return written_; }
    /// The calendar feed: "unchanged", "published", ...; empty when it was not kept.
    const std::string& feed() const { return feed_; }
    /// Once done: {"plan": {...}, "written", "writing", "feed", "failure"}: "writing" once it got past the
    /// reads and checks; the failure null when it finished.
    nlohmann::json result() const;
    /// {"done": actions written or skipped, "total": actions}.
    nlohmann::json progress() const;

private:
    enum class stage {
        tickets,
        authors,
        owners,
        writes,
        feed_upload,
        feed_attach,
        feed_read_back,
        feed_delete
    };

    void opened() override;
    void take_own(const nlohmann::json& body, const http_response& response) override;
    bool refused(const http_response& response) override;
    bool went_through(int status, const nlohmann::json& page) const override;
    void next_author_or_plan();
    void make_plan();
    void next_owner_or_write();
    void skip_unknown_line_owners();
    void next_write();
    void take_write(const nlohmann::json& body, const http_response& response);
    void want_feed_authors(); // sync_feed.cpp
    calendar_publication feed_plan(const nlohmann::json& wiki_page) const;
    void start_feed();
    void take_feed(const nlohmann::json& body);
    void next_stale_copy();

    options opts_;
    stage stage_ = stage::tickets;
    own_ticket_pages own_;
    owner_lookup owners_;
    certification_cycle cycle_;
    sync_plan plan_;
    bool planned_ = false;
    std::size_t action_ = 0; // the plan's action being written
    int step_ = 0;           // its write: a close is the note, then the status, then the read-back
    std::size_t written_ = 0;
    std::string feed_;
    std::vector<long long> stale_copies_;
    bool feed_needed_ = false;
};

} // namespace upkeep::redmine
