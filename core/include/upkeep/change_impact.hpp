#pragma once
// "Does this change affect the ISMS?" (ISO 27001:2022 6.3, 8.1, 8.2): the answers to the configuration's
// questions make a decision, a rationale and the follow-ups the rules call for; the record on the change
// ticket; and the follow-up tickets to create, link or close so they match the latest record.
// Tracker-neutral; each host's change session maps it to its tracker.

#include "upkeep/diagnostics.hpp"
#include "upkeep/isms_config.hpp"
#include "upkeep/sync_plan.hpp"
#include "upkeep/ticket_reference.hpp"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

struct supplier_record;

/// Question id -> "yes" or "no" (yes/no questions) or a choice id.
using change_answers = std::map<std::string, std::string>;

/// What the assessment needs to know about the change ticket.
struct change_facts {
    long long id = 0;
    day_point assessed_on;
    std::optional<day_point> go_live; // the change ticket's due date
    ticket_references references;     // the host's way of naming a ticket in text
    std::string subject;              // the change ticket's, named in its follow-ups' subjects
    std::string soa_link; // where the tracker shows the SoA's drift, for the follow-ups on the scope and
                          // the SoA (rules referencing 4.3 or 6.1.3); "" when there is no SoA
};

/// A follow-up that the answers call for.
struct follow_up_need {
    const follow_up_rule* rule = nullptr;
    day_point due;
    std::vector<std::string> reasons; // "A new or changed supplier or cloud service? Yes"
    bool before_go_live = false;      // due before the change's go-live
    bool blocks_change = false;       // before go-live, and the policy has it hold the change open
};

struct change_assessment {
    bool affects = false;
    std::vector<std::string> affecting; // the answers that make it affect the ISMS, as reasons
    std::vector<follow_up_need> follow_ups;
    std::string rationale; // one sentence for people
};

/// Evaluates an answer set. Every question needs a valid answer; a problem names `/answers/<question>`.
/// The same policy, answers and facts always give the same assessment.
std::optional<change_assessment> assess_change(const change_policy& policy, const change_answers& answers,
                                               const change_facts& facts, diagnostics& problems);

/// What Upkeep writes in the change ticket's state field: who answered what, when, and which revision.
struct assessment_record {
    int revision = 0;
    day_point assessed_on;
    std::string by; // login
    change_answers answers;
};

/// `assessment=2;on=2026-11-22;by=alice;a=new-supplier:yes,data:personal`
std::string format_assessment_record(const assessment_record& record);
std::optional<assessment_record> parse_assessment_record(std::string_view state);

/// The journal note that records an assessment on the change ticket: the audit evidence, readable in
/// Textile and Markdown alike.
std::string assessment_note(const change_policy& policy, const assessment_record& record,
                            const change_assessment& assessment);

/// "change:<change id>:<follow-up id>", with ":<generation>" from the second ticket of a follow-up on
/// (one called for again after it was withdrawn).
std::string follow_up_key(long long change_id, std::string_view rule_id, int generation = 1);

/// "supplier:<change id>:<follow-up id>": the key of the supplier ticket the change prompt made for a
/// supplier follow-up (follow_up_rule::supplier), so that a lost answer is found, never made twice.
std::string supplier_key(long long change_id, std::string_view rule_id);

/// A follow-up ticket as the tracker holds it.
struct follow_up_ticket {
    long long id = 0;
    std::string key;
    bool withdrawn = false; // Upkeep closed it because an assessment no longer called for it
    bool closed = false;
    bool linked = false; // related to the change ticket
};

enum class follow_up_action_kind { create, link, close };
std::string_view to_string(follow_up_action_kind kind);

struct follow_up_action {
    follow_up_action_kind kind = follow_up_action_kind::create;
    std::string key;
    std::optional<long long> ticket_id;  // link, close
    std::optional<ticket_fields> fields; // create
    std::string note;                    // close
    std::string state;                   // create, close
    std::string reason;
    bool blocks_change = false; // create, link: the change cannot close before this ticket does
};

/// The writes that make the follow-up tickets match an assessment: create what is called for and
/// missing (or was withdrawn: a new ticket, the next generation), link what is not linked, close (as
/// withdrawn) what is no longer called for, and close all but the oldest of tickets sharing a key (two
/// people answering at once). Tickets that people closed stay closed. Planning again after applying
/// gives nothing.
std::vector<follow_up_action> plan_follow_ups(const change_assessment& assessment, const change_facts& facts,
                                              const std::vector<follow_up_ticket>& existing);

/// A change ticket as the status and `upkeep changes` need it.
struct change_record {
    long long id = 0;
    std::string subject; // attacker-controlled text: shown as text only
    std::string tracker;
    std::string assignee; // display name
    bool closed = false;
    std::optional<day_point> created_on;
    std::optional<day_point> closed_on;
    std::optional<day_point> go_live;
    std::optional<assessment_record> assessment; // none: not assessed
    bool affects = false;                        // the ISMS impact field says "Affects the ISMS"
};

/// A follow-up ticket of a change as the status needs it.
struct follow_up_record {
    long long id = 0;
    long long change_id = 0;
    std::string key;
    std::string subject;
    std::string assignee; // display name
    bool closed = false;
    bool withdrawn = false;
    std::optional<day_point> due;
};

/// The open changes not assessed, the assessed ones, and the open follow-ups, as JSON for people and
/// scripts (`upkeep changes --json`, the ISMS tab): `{"unassessed": [...], "assessed": [...],
/// "open_follow_ups": [...]}`, each change `{id, subject, tracker, assignee, created_on, go_live, closed,
/// assessment: {revision, on, by, affects} | null}`.
nlohmann::json changes_to_json(const std::vector<change_record>& changes,
                               const std::vector<follow_up_record>& follow_ups);

/// What a host's change session knows of one change, for the prompt's view.
struct change_prompt_parts {
    long long change = 0; // the change ticket's number
    bool is_change = true;
    std::optional<day_point> go_live;
    const std::optional<assessment_record>* record = nullptr;
    const std::optional<change_assessment>* assessment = nullptr;
    const std::vector<follow_up_ticket>* follow_ups = nullptr;
    const std::vector<follow_up_action>* requests = nullptr; // the writes not made yet
    const diagnostics* problems = nullptr;
    const std::vector<supplier_record>* register_ = nullptr; // the supplier register (none: not read)
    std::vector<long long> linked_suppliers;                 // the register's suppliers linked to the change
};

/// The change prompt's view, as every host answers it (web/features/change-prompt.js draws it):
/// {"is_change", "register": the open suppliers, "change", "go_live", "questions", "record": {revision, on,
/// by, answers} | null, "assessment": {affects, affecting, rationale, follow_ups: [{id, supplier, suppliers,
/// title, owner, due, references, reasons, ticket: the latest generation's | null, closed, before_go_live,
/// blocks_change}]} | null, "follow_ups": the tickets [{id, key, closed, linked, withdrawn}], "requests":
/// [{kind, key, reason}], "problems"}.
nlohmann::json change_prompt_view(const change_policy& policy, const change_prompt_parts& parts);

} // namespace upkeep
