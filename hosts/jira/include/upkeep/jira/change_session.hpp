#pragma once
// "Does this change affect the ISMS?" on a Jira Cloud change issue (change_session.cpp has the design
// note): the prompt's view, the record of an assessment (Upkeep's change property and a comment), and the
// follow-up issues brought in line with the record (created, linked, closed as withdrawn).

#include "upkeep/jira/session.hpp"

#include <upkeep/change_impact.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep::jira {

class change_session final : public session {
public:
    struct options {
        std::string project; // the project's key
        std::string issue;   // the change issue's key, "ISMS-7"
        day_point today;
        std::optional<std::string> config_text;
        std::optional<change_answers> answers; // record these; none: only read (and with apply, bring the
                                               // follow-ups in line with the record)
        std::optional<int> based_on;           // the revision the answers' form showed
        std::string by;                        // who answered (an account id): "" for the session's account
        std::string by_name;                   // their name, for the comment: "" for the session's account's
        std::optional<day_point> on;           // the day they answered: today when none
        bool apply = false;
        bool check_only = false;         // assess the answers against the record, write nothing
        std::string issue_type = "Task"; // the follow-ups' issue type
        std::string address;
        std::vector<std::string> accounts; // accounts whose issues are Upkeep's (sync_session's)
    };

    explicit change_session(options opts);

    bool applied(const http_response& check) const override;
    /// A create's check is Jira's search, which lags behind its writes.
    bool check_proves_absence() const override;

    /// {"kind": "ready" | "not_a_change" | "bad_answers", "view" (change_prompt_view), "written",
    /// "conflict": whose record stands when the answers came over another revision, "unchanged", "account":
    /// {"id", "name"} of the session, "failure"}.
    nlohmann::json result() const;

private:
    enum class stage { change, follow_ups, record, create, link, transitions, close };

    void take_issue(const nlohmann::json&) override {}
    void take_found(const nlohmann::json& issue) override;
    void all_found() override { change_read(); }
    void all_read() override;
    void take(const nlohmann::json& body) override;
    void change_read();
    void write_record();
    void superseded();
    void assess_record();
    void plan_and_apply();
    void next_action();
    void link(long long follow_up, bool blocks_change);
    change_facts facts_on(day_point assessed_on) const;
    std::string by() const { return opts_.by.empty() ? account_id() : opts_.by; }

    options opts_;
    long long change_ = 0; // the change issue's number
    stage stage_ = stage::change;
    nlohmann::json change_json_;
    std::string kind_ = "ready";
    std::optional<assessment_record> record_;
    std::optional<change_assessment> assessment_;
    std::vector<follow_up_ticket> follow_ups_; // id: the issue's number
    std::vector<nlohmann::json> held_;         // each follow-up's Upkeep property, by follow_ups_'s order
    std::vector<follow_up_action> actions_;
    std::size_t action_ = 0;
    int pass_ = 0;
    std::string transition_;
    diagnostics notes_;
    std::string conflict_;
    bool unchanged_ = false;
    int written_ = 0;
    int recorded_revision_ = 0; // the revision this session writes
};

} // namespace upkeep::jira
