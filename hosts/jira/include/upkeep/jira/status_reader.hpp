#pragma once
// The status's reads from a Jira Cloud project: its account, the project and Upkeep's issues (session.hpp),
// then the project's change issues and nonconformities.

#include "upkeep/jira/conventions.hpp"
#include "upkeep/jira/session.hpp"

#include <upkeep/tracker_snapshot.hpp>

namespace upkeep::jira {

class status_reader final : public session {
public:
    /// `accounts`: those whose issues with Upkeep's property are Upkeep's besides the session's own and
    /// /sync/accounts (session.hpp made_by_upkeep); `nonconformity_type`: the issue type of
    /// nonconformities (the sync's, sync_session.hpp).
    status_reader(std::string project, std::optional<std::string> config_text, std::string address,
                  std::vector<std::string> accounts = {},
                  std::string nonconformity_type = nonconformity_issue_type);

    const tracker_snapshot& snapshot() const { return snapshot_; }
    /// {"read", "configuration", "lacks": {"nonconformity_type"?: the issue type the project lacks},
    /// "failure"}.
    nlohmann::json result() const;

private:
    void take_issue(const nlohmann::json& issue) override;
    void all_read() override;
    void take_found(const nlohmann::json& issue) override;
    void all_found() override { finish(); }
    finding_record finding_of(const nlohmann::json& issue) const;

    std::vector<std::string> accounts_;
    std::string nonconformity_type_;
    tracker_snapshot snapshot_;
};

} // namespace upkeep::jira
