#pragma once
// The status's reads from a Jira Cloud project (status_reader.cpp has the design note).

#include <upkeep/exchange.hpp>
#include <upkeep/host.hpp>
#include <upkeep/isms_config.hpp>
#include <upkeep/tracker_snapshot.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace upkeep::jira {

/// The name of the issue property that holds Upkeep's key and state on each of its issues.
inline constexpr const char* upkeep_property = "upkeep";

class status_reader final : public conversation {
public:
    /// `project`: the project's key ("ISMS"); `config_text`: the configuration (JSON text), which a Jira
    /// project keeps in the app's storage, so the caller gives it.
    status_reader(std::string project, std::optional<std::string> config_text, std::string address);

    std::optional<operation> next() override;
    std::optional<operation> next_alongside() override;
    bool wants_answers() const override { return !failure_; }
    void answer(const http_response& response) override;
    bool applied(const http_response&) const override { return false; }
    void interrupt(const std::string& why) override;

    const isms_configuration& config() const { return config_; }
    const std::string& config_text() const { return config_text_; }
    const tracker_snapshot& snapshot() const { return snapshot_; }
    const std::optional<session_failure>& failure() const { return failure_; }
    nlohmann::json result() const;

private:
    enum class stage { account, project, pages, done };
    operation search(const std::string& token) const;
    void take_page(const nlohmann::json& page);
    void fail(failure_kind kind, std::string message, diagnostics problems = {});
    session_failure classify(const http_response& response, const std::string& what) const;

    std::string project_;
    std::string config_text_;
    std::string address_;
    isms_configuration config_;
    diagnostics problems_;
    tracker_snapshot snapshot_;
    std::optional<session_failure> failure_;
    stage stage_ = stage::account;
    std::optional<std::string> next_token_; // the next page's; none before the first page
    int out_ = 0;                           // reads given and not answered
};

} // namespace upkeep::jira
