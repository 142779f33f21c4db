#pragma once
// Reads what the status needs from one Redmine project, and nothing else, as any member may: Upkeep's
// control tasks, nonconformities, corrective actions and verifications, review decisions, the change
// tickets of the configuration's change trackers and their follow-ups, the incidents. `upkeep status`,
// `upkeep changes` (changes only) and the ISMS tab read through it; the figures are then computed from the
// snapshot it made, in the core.

#include "upkeep/redmine/session.hpp"

#include <upkeep/tracker_snapshot.hpp>

namespace upkeep::redmine {

class status_reader final : public project_session {
public:
    struct options {
        std::string project;
        std::optional<std::string> config_text; // else the project's wiki page
        bool changes_only = false;              // `upkeep changes`: the change tickets and their follow-ups
    };

    explicit status_reader(options opts);

    /// Once done: what was read.
    const tracker_snapshot& snapshot() const { return snapshot_; }
    /// {"read": {"tickets", "changes", "findings"}, "configuration": {"text", "source", "version",
    /// "warnings"}, "failure"}.
    nlohmann::json result() const;

private:
    enum class stage { tickets, changes, follow_ups, incidents, authors };

    void opened() override;
    void take_own(const nlohmann::json& body, const http_response& response) override;
    void read_changes_or_on();
    void read_incidents_or_on();
    void next_author_or_done();

    options opts_;
    stage stage_ = stage::tickets;
    std::size_t offset_ = 0;
    own_ticket_pages own_;
    std::vector<long long> change_trackers_;
    incident_source incidents_;
    tracker_snapshot snapshot_;
};

} // namespace upkeep::redmine
