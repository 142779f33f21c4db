#pragma once
// One sync against one Redmine project, driven by the core: the session says which GET to perform next,
// the adapter (the CLI with cpp-httplib, the browser with fetch) performs it and hands the answer back,
// until the session has a plan or a reason why not. Both adapters so read the same things in the same
// order and plan the same way; they only differ in how they move bytes and retry.

#include "upkeep/audit_status.hpp"
#include "upkeep/redmine_mapping.hpp"
#include "upkeep/sync_plan.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace upkeep::redmine {

enum class session_state { read, planned, not_set_up, bad_configuration };

class sync_session {
public:
    struct options {
        std::string project; // identifier
        day_point today;
        std::optional<std::string> config_text; // else read from the project's wiki page
        bool read_only = false; // only read (for status): no plan, no owners, any account may read
    };

    explicit sync_session(options opts);

    /// Where the session is: `read` (perform GET path()), `planned` (plan() is ready), or why it stopped.
    session_state state() const { return state_; }
    bool read_only() const { return opts_.read_only; }
    const std::string& path() const { return path_; }

    /// The body of GET path(); null when Redmine answered 404 (the session decides what that means).
    void answer(const nlohmann::json& body);

    const sync_plan& plan() const { return plan_; }
    /// With read_only, once planned: what the status needs (Upkeep's control tasks, the change tickets of
    /// the configuration's change trackers and their follow-ups, nonconformities and corrective actions).
    const tracker_snapshot& snapshot() const { return snapshot_; }
    const isms_configuration& config() const { return config_.config; }
    /// The configuration's JSON text as read (from the file, or out of the wiki page).
    const std::string& config_text() const { return config_text_; }
    const certification_cycle& cycle() const { return cycle_; }
    /// The configuration's wiki page with its attachments, as read; null when the configuration came
    /// from a file (options::config_text).
    const nlohmann::json& wiki_page() const { return wiki_page_; }
    const context& ctx() const { return ctx_; }
    /// Why the session stopped: setup problems (not_set_up) or configuration errors and warnings.
    const diagnostics& problems() const { return problems_; }
    /// What the configuration's source is called in messages: a file or "wiki page ISMS_configuration".
    std::string config_source() const;

private:
    enum class stage {
        account,
        project,
        statuses,
        wiki,
        tickets,
        nonconformities,
        changes,
        incidents,
        authors,
        memberships,
        members,
        done
    };

    void take(const nlohmann::json& body);
    void advance();
    void skip_unknown_line_owners();
    void read(std::string path);
    void stop(session_state why, std::string message);
    bool load_configuration(const std::string& text);
    void classify_authors();
    void read_incidents();
    void make_plan();
    bool owners_known() const;

    options opts_;
    session_state state_ = session_state::read;
    stage stage_ = stage::account;
    std::string path_;
    std::size_t offset_ = 0;
    nlohmann::json current_user_, project_, statuses_, wiki_page_;
    std::vector<nlohmann::json> ticket_pages_, nc_pages_;
    std::vector<long long> authors_to_check_, members_to_check_;
    std::string config_text_;
    configuration_result config_;
    certification_cycle cycle_;
    context ctx_;
    sync_plan plan_;
    tracker_snapshot snapshot_;
    std::vector<long long> change_tracker_ids_;
    incident_source incidents_;
    diagnostics problems_;
};

} // namespace upkeep::redmine
