#pragma once
// One sync against one Jira Cloud project (sync_session.cpp has the design note): the reads of session.hpp,
// the core's plan, then one write at a time. Nothing is written before the plan exists.

#include "upkeep/jira/conventions.hpp"
#include "upkeep/jira/session.hpp"

#include <upkeep/certification_cycle.hpp>
#include <upkeep/sync_plan.hpp>

#include <map>
#include <set>
#include <vector>

namespace upkeep::jira {

class sync_session final : public session {
public:
    struct options {
        std::string project; // the project's key
        day_point today;
        std::optional<std::string> config_text;
        bool apply = true;               // false: plan only (a dry run)
        std::string issue_type = "Task"; // the issue type of what Upkeep makes but nonconformities
        /// The issue type of nonconformities, the ones people raise and those Upkeep proposes; a project
        /// without it keeps no nonconformities, and proposed ones wait with a notice.
        std::string nonconformity_type = nonconformity_issue_type;
        std::string address; // the site's, for messages
        /// Accounts whose issues with Upkeep's property are Upkeep's besides the sync's own and
        /// /sync/accounts: the ones the shell vouches for (the Forge app: its own, and the people it let
        /// sync as themselves).
        std::vector<std::string> accounts;
        /// The Upkeep keys of the issues earlier runs of the same sync made a moment ago (a Sync now that
        /// goes on in several runs): a plan that would make one again was read from a search that does
        /// not show it yet, and nothing is written.
        std::set<std::string> made_before;
    };
    explicit sync_session(options opts);

    bool applied(const http_response& check) const override;
    /// An edit's check reads the issue's property, which shows every write at once; a create's is Jira's
    /// search, which lags behind its writes.
    bool check_proves_absence() const override;

    /// Once done: {"plan", "written", "writing", "feed": null, "lease": null, "failure"}, as Redmine's;
    /// "made": the Upkeep keys of the issues it created, and "search_behind": how many issues of
    /// `made_before` Jira's search did not show (nothing was written).
    nlohmann::json result() const;
    /// {"done": actions written or skipped, "total": actions}.
    nlohmann::json progress() const;

private:
    // What the sync keeps of each of Upkeep's issues: the issue's key, its description as Jira holds it
    // and its property, which a write keeps what it does not change of.
    struct held {
        std::string key;
        nlohmann::json description;
        nlohmann::json property;
    };
    void take_issue(const nlohmann::json& issue) override;
    void all_read() override;
    void take_found(const nlohmann::json& issue) override;
    void all_found() override;
    void take(const nlohmann::json& body) override;
    void plan_and_write();
    void keep_what_the_project_takes();
    void next_write();
    nlohmann::json property_after(const sync_action& a) const;
    nlohmann::json fields_of(const sync_action& a) const;

    options opts_;
    certification_cycle cycle_;
    tracker_state tracker_;
    std::map<long long, held> held_; // by issue number
    std::string issue_type_id_;
    std::string nonconformity_type_id_; // "" when the project has no such issue type
    sync_plan plan_;
    bool planned_ = false;
    std::size_t action_ = 0; // the action under way
    int step_ = 0;           // a close: 0 its transitions read, 1 the transition
    std::string transition_; // a close: the transition to a done status
    std::size_t written_ = 0;
    bool writing_ = false;
    std::size_t search_behind_ = 0;
    std::vector<std::string> made_; // the Upkeep keys of the issues it created
};

} // namespace upkeep::jira
