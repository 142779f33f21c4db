#pragma once
// A control task's page: the evidence the auditor expects, and "Complete with evidence": the files are
// uploaded, then one PUT records the work date, the links, the people counts (training), Upkeep's state
// with whether evidence came, the journal note, and closes the ticket; then it is read back (Redmine
// answers 204 and keeps the status when its workflow forbids the change).

#include "upkeep/redmine/session.hpp"

#include <upkeep/completion.hpp>

#include <optional>

namespace upkeep::redmine {

class task_completion final : public project_session {
public:
    struct upload_file {
        std::string name;
        std::string content_type;
    };
    struct options {
        std::string project;
        long long issue = 0;
        day_point today;
        std::optional<completion> complete; // complete the task so; none: only read it
        std::vector<upload_file> files;     // the caller's files, uploaded in this order (file numbers)
        bool close_without_evidence = false;
    };

    explicit task_completion(options opts);

    /// {"view": {"task", "closed", "status", "done_on", "days_late", "issue"} or null, "completed",
    /// "failure"}; "task" is null when the ticket is not one of Upkeep's control tasks (with "why");
    /// "days_late" is 0 for work done by the due date, null without a work date.
    nlohmann::json result() const;

private:
    enum class stage { issue, supplier, upload, complete, read_back };

    void opened() override;
    void take_own(nlohmann::json& body, const http_response& response) override;
    void task_read();
    void next_upload();

    options opts_;
    stage stage_ = stage::issue;
    nlohmann::json issue_;
    std::optional<occurrence_ref> occurrence_;
    std::string why_not_;
    std::vector<nlohmann::json> uploads_;
    bool completed_ = false;
};

} // namespace upkeep::redmine
