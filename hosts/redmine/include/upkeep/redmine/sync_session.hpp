#pragma once
// One sync against one Redmine project, reads and writes decided here: the CLI and the browser only
// carry the requests (exchange.hpp retries). Nothing is written before the plan exists, so every problem
// of the setup or the configuration stops the session before any write. A sync that writes holds the sync
// lease (sync_lease.hpp, on the wiki page ISMS_sync_lease) from before it reads the tickets until it ends.

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
        std::string now;          // when the lease is taken, YYYY-MM-DDTHH:MM:SSZ (sync_lease.hpp)
        std::string lease_until;  // when the lease expires, unless released before
        std::string run;          // which run holds the lease: "upkeep sync on HOST, process PID"
        bool break_lease = false; // take the lease even when held (its holder is known to be dead)
    };

    explicit sync_session(options opts);

    /// Once planned: the plan (notices and warnings included).
    const sync_plan& plan() const { return plan_; }
    bool planned() const { return planned_; }
    /// Writes of the plan that went through (a write looked up after a lost answer counts).
    std::size_t written() const { return written_; }
    /// The calendar feed: "unchanged", "published", ...; empty when it was not kept.
    const std::string& feed() const { return feed_; }
    /// Once done: {"plan": {...}, "written", "writing", "feed", "lease", "failure"}: "writing" once it got
    /// past the reads and checks; "lease" null, "released", or what became of it; the failure null when it
    /// finished.
    nlohmann::json result() const;
    /// {"done": actions written or skipped, "total": actions}.
    nlohmann::json progress() const;

private:
    enum class stage {
        lease_read,
        lease_create,
        lease_take,
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
    void take_own(nlohmann::json& body, const http_response& response) override;
    bool refused(const http_response& response) override;
    void stopping() override;
    // The sync lease (sync_lease.cpp).
    std::string lease_path() const;
    void read_lease();
    void take_lease(const nlohmann::json& page);
    void lease_taken(const nlohmann::json& body);
    // The calendar feed (sync_feed.cpp; the browser's module: sync_feed_browser.cpp).
    bool feed_refused(const http_response& response);
    bool went_through(int status, const nlohmann::json& page) const override;
    void read_tickets();
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
    long long lease_version_ = 0; // of the lease's page as read, then as written
    bool holding_ = false;        // the lease is taken and not yet released
    bool releasing_ = false;      // its release is the last operation
    int lease_tries_ = 0;         // the page made, or a take refused because another sync took it meanwhile
    std::string lease_;           // "released", or what became of the lease
};

} // namespace upkeep::redmine
