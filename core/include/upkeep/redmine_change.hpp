#pragma once
// The change prompt against one Redmine change ticket, driven by the core like the sync session: it
// says which GET to perform next, the adapter performs it and hands the answer back, until the session
// has the prompt's view and the writes to make, or a reason why not.

#include "upkeep/change_impact.hpp"
#include "upkeep/redmine_mapping.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep::redmine {

enum class change_state { read, ready, not_a_change, not_set_up, bad_configuration, bad_answers };

/// A write of the change prompt: record the assessment on the change, or a follow-up's create, link,
/// or close. A create's `link_path` is where to POST the relation once the new ticket's id is
/// known: `{"relation": {"issue_to_id": <new id>, "relation_type": "relates"}}`.
struct change_request {
    std::string kind; // "record", "create", "link", "close"
    std::string key;
    std::string reason;
    std::string method;
    std::string path;
    nlohmann::json body;
    std::string link_path;
};

class change_session {
public:
    struct options {
        std::string project; // identifier of the project holding the ISMS configuration
        long long change_id = 0;
        day_point today;
        std::optional<change_answers> answers; // record these; without them, reconcile the follow-ups
    };

    explicit change_session(options opts);

    change_state state() const { return state_; }
    const std::string& path() const { return path_; }
    /// The body of GET path(); null when Redmine answered 404.
    void answer(const nlohmann::json& body);

    /// Once ready: the writes to make (empty when the tickets already match the record).
    const std::vector<change_request>& requests() const { return requests_; }
    /// Once ready (or not_a_change): what the prompt shows, as JSON (questions, record, assessment,
    /// follow-ups).
    nlohmann::json view() const;
    /// Why the session stopped, or (ready) why the record cannot be reconciled any more.
    const diagnostics& problems() const { return problems_; }

    /// Reads the change and its follow-ups again (after writing), keeping what does not change.
    void reread();

private:
    enum class stage { account, project, statuses, wiki, lock, change, follow_ups, memberships, members };

    void take(const nlohmann::json& body);
    void read(std::string path);
    void stop(change_state why, std::string message);
    void after_change();
    void plan();
    void finish_owners();
    std::string follow_ups_query() const;

    options opts_;
    change_state state_ = change_state::read;
    stage stage_ = stage::account;
    std::string path_;
    std::size_t offset_ = 0;
    nlohmann::json current_user_, project_;
    context ctx_;
    isms_configuration config_;
    nlohmann::json change_;
    std::optional<long long> lock_version_; // read before the change when recording (Upkeep's plugin)
    std::optional<assessment_record> record_;
    std::optional<change_assessment> assessment_;
    std::vector<follow_up_ticket> follow_ups_;
    std::vector<follow_up_action> actions_;
    std::vector<long long> members_to_check_;
    bool memberships_read_ = false;
    std::vector<change_request> requests_;
    diagnostics problems_;
};

} // namespace upkeep::redmine
