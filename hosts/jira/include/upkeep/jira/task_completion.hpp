#pragma once
// A control task's issue panel: the evidence the auditor expects, and "Complete with evidence": one
// transition to a done status records the work date, the links, the people counts (training), how long the
// evidence is valid and Upkeep's state with whether evidence came, in Upkeep's property, with the
// completion's comment (the audit trail). The files are attached to the issue before, as the person who
// completes it (the Forge app's panel does that): the completion names them.

#include "upkeep/jira/session.hpp"

#include <upkeep/completion.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep::jira {

class task_completion final : public session {
public:
    struct options {
        std::string project; // the project's key
        std::string issue;   // the control task's key, "ISMS-12"
        day_point today;     // the person's, which a work date may not be after
        std::optional<std::string> config_text;
        std::optional<completion> complete; // complete the task so; none: only read it
        bool close_without_evidence = false;
        std::string address;               // the site's, for messages
        std::vector<std::string> accounts; // accounts whose issues are Upkeep's (sync_session's)
        bool check_only = false;           // check the completion, write nothing (before files are attached)
    };

    explicit task_completion(options opts);

    bool applied(const http_response& check) const override;
    bool check_proves_absence() const override { return true; }

    /// {"view": {"issue", "task", "why", "closed", "status", "done_on", "valid_until", "days_late"} or
    /// null, "completed", "failure"}, as Redmine's: "task" is null when the issue is not one of Upkeep's
    /// control tasks (with "why"); "days_late" is 0 for work done by the due date, null without a work date.
    nlohmann::json result() const;

private:
    enum class stage { issue, transitions, complete };

    void take_issue(const nlohmann::json&) override {}
    void all_read() override;
    void take(const nlohmann::json& body) override;
    void task_read();
    nlohmann::json property_after() const;

    options opts_;
    stage stage_ = stage::issue;
    nlohmann::json issue_;
    std::optional<occurrence_ref> occurrence_;
    std::string why_not_;
    std::string state_; // Upkeep's state as the completion leaves it
    bool completed_ = false;
};

} // namespace upkeep::jira
