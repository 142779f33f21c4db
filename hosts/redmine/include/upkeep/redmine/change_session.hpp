#pragma once
// "Does this change affect the ISMS?" on one Redmine change ticket: the session reads the change and its
// follow-ups, shows the prompt's view, and, when asked, records the answers and brings the follow-ups in
// line with the record (create, link, close), every write decided here.

#include "upkeep/redmine/session.hpp"

#include <upkeep/change_impact.hpp>

#include <optional>
#include <string>
#include <vector>

namespace upkeep::redmine {

class change_session final : public project_session {
public:
    struct options {
        std::string project; // identifier of the project holding the ISMS configuration
        long long change_id = 0;
        day_point today;
        std::optional<change_answers> answers; // record these (then bring the follow-ups in line)
        std::optional<int> based_on; // the revision the form showed: answers over another are refused
        bool apply = false;          // without answers: bring the follow-ups in line with the record
        /// Then the supplier a supplier follow-up (`rule`) brings in: a ticket of the register, else a new
        /// supplier by `name`, which enters the register; either is linked to the change.
        struct supplier_choice {
            std::string rule;
            long long ticket = 0;
            std::string name;
        };
        std::optional<supplier_choice> supplier;
    };

    explicit change_session(options opts);

    /// The prompt's view: questions, record, assessment (with each follow-up's current ticket), the
    /// follow-up tickets, the writes still to make ("requests"), problems.
    nlohmann::json view() const;
    /// Once done: {"kind": "ready" | "not_a_change" | "bad_answers", "view", "written", "conflict",
    /// "unchanged", "failure"}; "conflict" says whose record stands when these answers were not recorded;
    /// "unchanged": they were the record's own, so no new revision or note was written.
    nlohmann::json result() const;

private:
    enum class stage {
        lock,
        change,
        follow_ups,
        suppliers,
        owners,
        record,
        create,
        link,
        close,
        closed,
        supplier_create,
        supplier_link
    };

    void opened() override;
    void take_own(nlohmann::json& body, const http_response& response) override;
    bool refused(const http_response& response) override;
    void read_change();
    void after_change();
    void superseded();
    void write_record();
    /// The change as an assessment made on `assessed_on` sees it (its id, go-live, subject).
    change_facts facts_on(day_point assessed_on) const;
    void plan_follow_ups_now();
    void next_owner_or_apply();
    void next_action();
    void link(long long ticket, bool blocks_change);
    /// Whether the assessment calls for a supplier follow-up and the project has the register.
    bool wants_register() const;
    void link_supplier();
    void supplier_linked();
    std::string path() const;

    options opts_;
    stage stage_ = stage::change;
    std::size_t offset_ = 0;
    nlohmann::json change_;
    std::optional<long long>
        lock_version_; // read before the change when recording (Upkeep's plugin serves it)
    std::optional<assessment_record> record_;
    std::optional<change_assessment> assessment_;
    std::vector<follow_up_ticket> follow_ups_;
    std::vector<follow_up_action> actions_;
    std::vector<supplier_record> register_;
    std::vector<std::string> register_keys_; // each supplier's Upkeep key: the change that brought it in
    bool register_read_ = false;
    owner_lookup owners_;
    diagnostics notes_; // the view's problems (stale answers, bad answers)
    std::string kind_ = "ready";
    std::string conflict_;
    bool unchanged_ = false;     // the answers were those of the record standing: nothing new was recorded
    int expected_revision_ = 0;  // the revision this session recorded (0: none)
    int attempted_revision_ = 0; // the revision of the last record PUT
    int record_attempts_ = 0;
    bool stale_ = false; // the last record PUT was refused as stale
    std::size_t action_ = 0;
    int pass_ = 0;
    std::string refused_link_;
    std::size_t written_ = 0;
};

} // namespace upkeep::redmine
