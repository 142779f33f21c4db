#pragma once
// The status's reads from a Jira Cloud project: its account, the project and Upkeep's issues (session.hpp),
// then the project's change issues.

#include "upkeep/jira/session.hpp"

#include <upkeep/tracker_snapshot.hpp>

namespace upkeep::jira {

class status_reader final : public session {
public:
    status_reader(std::string project, std::optional<std::string> config_text, std::string address);

    const tracker_snapshot& snapshot() const { return snapshot_; }
    nlohmann::json result() const;

private:
    void take_issue(const nlohmann::json& issue) override;
    void all_read() override;
    void take_found(const nlohmann::json& issue) override;
    void all_found() override { finish(); }

    tracker_snapshot snapshot_;
};

} // namespace upkeep::jira
