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
    // What each read is for. The lists are independent: their first pages go together, and each list
    // reads all its other pages together once its first says how many; the authors are read together
    // once every list is in.
    enum stream : int {
        tickets,
        nonconformities,
        changes,
        follow_ups,
        incidents,
        suppliers,
        authors,
        streams
    };

    void opened() override;
    void take_own(nlohmann::json& body, const http_response& response) override;
    /// Takes a page of `which`: after its first, reads every other page; counts the list as read with
    /// its last.
    void next_page(stream which, const nlohmann::json& page);
    void next_page(stream which, std::size_t size, std::size_t total);
    std::string query(stream which, std::size_t offset) const;
    void list_read();
    void snapshot_done();

    options opts_;
    bool paged_[streams] = {};            // its first page is in
    std::size_t pages_out_[streams] = {}; // its other pages still being read
    int lists_out_ = 0;                   // lists still being read
    int authors_out_ = 0;                 // authors still being read
    own_ticket_pages own_;
    std::vector<long long> change_trackers_;
    incident_source incidents_;
    tracker_snapshot snapshot_;
};

} // namespace upkeep::redmine
