#pragma once
// What every session of a Jira Cloud project does first (session.cpp has the design note): read the account
// and the project, then Upkeep's issues, page after page; then, for a session that writes, one operation
// after another.

#include <upkeep/exchange.hpp>
#include <upkeep/host.hpp>
#include <upkeep/isms_config.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep::jira {

/// The name of the issue property that holds Upkeep's key and state on each of its issues.
inline constexpr const char* upkeep_property = "upkeep";

/// The issue property that holds a change's assessment record, indexed for JQL by Upkeep's app
/// (`issue.property[upkeep-change].impact = "affects"`): {"revision", "on", "by": the account id, "name",
/// "answers", "impact": "affects" | "none"}.
inline constexpr const char* change_property = "upkeep-change";

/// `text` as a JQL string: quoted, its quotes and backslashes escaped.
std::string jql_text(const std::string& text);

class session : public conversation {
public:
    std::optional<operation> next() override;
    std::optional<operation> next_alongside() override;
    bool wants_answers() const override { return !failure_; }
    void answer(const http_response& response) override;
    bool applied(const http_response&) const override { return false; }
    void interrupt(const std::string& why) override;

    /// Whether an issue the session's own account reported is Upkeep's (made_by_upkeep): yes for the
    /// command, which runs as Upkeep's account, and for the syncs; the Forge app's page and panels run as
    /// whoever opened them, who makes no issue Upkeep's by reporting it.
    void own_account_makes_upkeeps(bool yes) { own_account_counts_ = yes; }

    const isms_configuration& config() const { return config_; }
    const std::string& config_text() const { return config_text_; }
    const std::optional<session_failure>& failure() const { return failure_; }

protected:
    /// `project`: the project's key; `config_text`: the configuration (a Jira project keeps it in Upkeep's
    /// app, so the caller gives it); `fields`: the issue fields the session reads of Upkeep's issues (none:
    /// a session of one issue, which reads no pages).
    session(std::string project, std::optional<std::string> config_text, std::string address,
            std::vector<std::string> fields);

    /// Each issue that carries Upkeep's property, as the search gives it.
    virtual void take_issue(const nlohmann::json& issue) = 0;
    /// Every page is read.
    virtual void all_read() = 0;
    /// After the reads: the answer of the operation given with `then` (a success: 2xx, or a write's check
    /// that found it went through).
    virtual void take(const nlohmann::json&) {}

    /// The operation to give after the reads, once the last one is answered.
    void then(operation op) { then_ = std::move(op); }
    /// Called after the reads: a search of the project's issues, `clause` ANDed to the project's (JQL),
    /// page after page, each issue given to take_found, then all_found. `reconcile`: ids of issues the
    /// search must show as they are now (Jira's read after write; at most 50).
    void search_also(std::string clause, std::vector<std::string> fields, std::vector<std::string> properties,
                     std::vector<long long> reconcile = {});
    virtual void take_found(const nlohmann::json&) {}
    virtual void all_found() {}
    /// The session has finished.
    void finish();
    void fail(failure_kind kind, std::string message, diagnostics problems = {});

    const diagnostics& problems() const { return problems_; }
    const std::string& project() const { return project_; }
    /// How Jira's people name the project's tickets ("ISMS-12"), and where they are when the site's address
    /// is known ("https://acme.atlassian.net/browse/ISMS-12").
    ticket_references references() const {
        return {project_ + "-", address_.empty() ? "" : address_ + "/browse/" + project_ + "-"};
    }
    const nlohmann::json& project_json() const { return project_json_; }
    const std::string& account_id() const { return account_id_; }
    const std::string& account_name() const { return account_name_; }
    /// Whether Upkeep's account made the issue: its reporter is the session's account (unless
    /// own_account_makes_upkeeps(false)), one of /sync/accounts or one of `vouched` (the accounts the shell
    /// vouches for). Only such issues are Upkeep's to count and change: anyone who edits an issue may copy
    /// Upkeep's property onto it.
    bool made_by_upkeep(const nlohmann::json& issue, const std::vector<std::string>& vouched) const;
    /// The number of `key` when it names an issue of this project ("ISMS-12" is 12); 0 otherwise.
    long long number_in_project(const std::string& key) const;
    /// A session of one issue, after its reads: reads the issue `key` with `fields` (comma-separated) and
    /// the issue property `property`, its answer given to take; a key that is not one of this project's
    /// issues fails the session as bad input, before any request.
    void read_issue(const std::string& key, const std::string& fields, const char* property);
    /// The id of the project's issue type `name` ("" when the project has none).
    std::string issue_type_id(const std::string& name) const;
    /// `{"issues": [...]}` of one key: the request that looks an issue up by Upkeep's key.
    http_request search_by_key(const std::string& key) const;

private:
    enum class stage { account, project, pages, more_pages, after, done };
    struct search_spec {
        std::string clause;
        std::vector<std::string> fields;
        std::vector<std::string> properties;
        std::string what;
        std::vector<long long> reconcile;
    };
    operation search(const std::string& token) const;
    void take_page(const nlohmann::json& page);
    session_failure classify(const http_response& response, const std::string& what) const;

    std::string project_;
    std::string config_text_;
    std::string address_;
    std::vector<std::string> fields_;
    search_spec searching_; // the search under way: Upkeep's issues, then search_also's
    isms_configuration config_;
    diagnostics problems_;
    std::optional<session_failure> failure_;
    nlohmann::json project_json_;
    std::string account_id_;
    std::string account_name_;
    bool own_account_counts_ = true;
    stage stage_ = stage::account;
    std::optional<std::string> next_token_; // the next page's; none before the first page
    std::optional<operation> then_;
    std::string asked_; // the request under way, for messages
    int out_ = 0;       // operations given and not answered
};

} // namespace upkeep::jira
