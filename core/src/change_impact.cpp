// Change impact: answers to decision, follow-ups and record.
//
// Design note. The decision is a pure function of (policy, answers, change facts): a yes/no question
// answered yes, or a choice marked "affects", makes the change affect the ISMS; each follow-up rule
// lists answers ("question" for yes, "question=choice") any one of which calls for it. Its due date is
// `before_go_live` days before the change's due date when both exist (never before the assessment),
// else `after_assessment` days after the assessment.
//
// The change ticket's state field holds the latest record (answers, revision, date, login); the journal
// note is the readable evidence. Follow-ups are reconciled against the *recorded* answers, not the ones
// a browser just sent: two people answering at once both write a record, the later write stays, and each
// browser reconciles to what the ticket says, so both converge on one set of follow-ups. A create that
// raced another leaves two tickets with one key; the younger is closed as a duplicate. A follow-up no
// longer called for is closed as withdrawn and stays so; called for again, it gets a new ticket (the next
// generation of its key), since most roles' workflows cannot reopen a closed ticket.

#include "upkeep/change_impact.hpp"
#include "upkeep/host.hpp"
#include "upkeep/json_value.hpp"
#include "upkeep/ticket_key.hpp"
#include "upkeep/tracker_snapshot.hpp"

#include "stable_sort_by.hpp"
#include "wording.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>

namespace upkeep {
namespace {

using detail::join;

const change_question* find_question(const change_policy& policy, std::string_view id) {
    for (const change_question& q : policy.questions)
        if (q.id == id) return &q;
    return nullptr;
}

// How an answer reads for people: "Yes", "No" or the choice's label.
std::string answer_label(const change_question& q, const std::string& answer) {
    if (q.choices.empty()) return answer == "yes" ? "Yes" : "No";
    for (const change_choice& c : q.choices)
        if (c.id == answer) return c.label;
    return answer;
}

bool answer_affects(const change_question& q, const std::string& answer) {
    if (q.choices.empty()) return answer == "yes";
    for (const change_choice& c : q.choices)
        if (c.id == answer) return c.affects;
    return false;
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const std::size_t at = text.find(separator);
        out.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos) break;
        text.remove_prefix(at + 1);
    }
    return out;
}

std::string follow_up_state(long long change_id, bool withdrawn) {
    return "change=" + std::to_string(change_id) + (withdrawn ? ";withdrawn=1" : "");
}

ticket_fields fields_for(const follow_up_need& need, const change_facts& facts) {
    const follow_up_rule& rule = *need.rule;
    ticket_fields f;
    f.kind = ticket_kind::follow_up;
    // "Assess the supplier for change #123: Move payroll to PayCloud": the change named in lists of tickets.
    f.subject = facts.subject.empty() ? rule.title + " (change " + facts.references.of(facts.id) + ")"
                                      : rule.title + " for change " + facts.references.of(facts.id) + ": " +
                                            detail::short_text(facts.subject, 120);
    f.description = "Follow-up of the ISMS impact assessment of change " + facts.references.of(facts.id) +
                    " (ISO/IEC 27001:2022 6.3, 8.1, 8.2).\n\nWhy: " + join(need.reasons, "; ") + ".";
    if (!rule.instructions.empty()) f.description += "\n\n" + rule.instructions;
    const auto revisits = [&](const char* clause) {
        return std::find(rule.references.begin(), rule.references.end(), clause) != rule.references.end();
    };
    if (!facts.soa_link.empty() && (revisits("4.3") || revisits("6.1.3")))
        f.description +=
            "\n\nThe Statement of Applicability, with the exclusions to review after this change: " +
            facts.soa_link;
    f.assignee = rule.owner;
    f.references = join(rule.references, ", ");
    f.start_date = std::min(facts.assessed_on, need.due);
    f.due_date = need.due;
    return f;
}

} // namespace

std::optional<change_assessment> assess_change(const change_policy& policy, const change_answers& answers,
                                               const change_facts& facts, diagnostics& problems) {
    const std::size_t problems_before = problems.size();
    for (const auto& [id, answer] : answers)
        if (!find_question(policy, id))
            problems.push_back(
                {severity::error, "/answers/" + escape_pointer_token(id),
                 "\"" + id + "\" is not a question of the configuration (it may have changed)"});
    change_assessment out;
    for (const change_question& q : policy.questions) {
        const std::string pointer = "/answers/" + escape_pointer_token(q.id);
        const auto it = answers.find(q.id);
        if (it == answers.end()) {
            problems.push_back({severity::error, pointer, "is not answered: " + q.text});
            continue;
        }
        const bool valid = q.choices.empty()
                               ? (it->second == "yes" || it->second == "no")
                               : std::any_of(q.choices.begin(), q.choices.end(),
                                             [&](const change_choice& c) { return c.id == it->second; });
        if (!valid) {
            problems.push_back(
                {severity::error, pointer, "\"" + it->second + "\" is not an answer to: " + q.text});
            continue;
        }
        if (answer_affects(q, it->second))
            out.affecting.push_back(q.text + " " + answer_label(q, it->second));
    }
    if (problems.size() != problems_before) return std::nullopt;
    out.affects = !out.affecting.empty();

    for (const follow_up_rule& rule : policy.follow_ups) {
        follow_up_need need{&rule, facts.assessed_on, {}};
        for (const std::string& condition : rule.when) {
            const std::size_t eq = condition.find('=');
            const std::string qid = condition.substr(0, eq);
            const std::string wanted = eq == std::string::npos ? "yes" : condition.substr(eq + 1);
            const change_question* q = find_question(policy, qid);
            if (q && answers.at(qid) == wanted)
                need.reasons.push_back(q->text + " " + answer_label(*q, wanted));
        }
        if (need.reasons.empty()) continue;
        if (rule.due.before_go_live && facts.go_live) {
            need.due = std::max(facts.assessed_on, *facts.go_live - date::days{*rule.due.before_go_live});
            need.before_go_live = true;
            need.blocks_change = policy.follow_ups_block_closing;
        } else
            need.due = facts.assessed_on + date::days{rule.due.after_assessment};
        out.follow_ups.push_back(std::move(need));
    }

    if (!out.affects) {
        out.rationale = "No impact on the ISMS: none of the " + std::to_string(policy.questions.size()) +
                        " questions was answered in a way that touches its scope, risks or controls.";
    } else {
        std::vector<std::string> titles;
        for (const follow_up_need& need : out.follow_ups)
            titles.push_back(need.rule->title);
        out.rationale = "Affects the ISMS (" + join(out.affecting, "; ") + ")" +
                        (titles.empty() ? ", with no follow-up rule for these answers."
                                        : ": " + join(titles, ", ") + ".");
    }
    return out;
}

std::string format_assessment_record(const assessment_record& record) {
    std::string answers;
    for (const auto& [id, answer] : record.answers)
        answers += (answers.empty() ? "" : ",") + id + ":" + answer;
    return "assessment=" + std::to_string(record.revision) + ";on=" + format_iso_date(record.assessed_on) +
           ";by=" + record.by + ";a=" + answers;
}

std::optional<assessment_record> parse_assessment_record(std::string_view state) {
    assessment_record record;
    bool has_revision = false, has_date = false;
    for (const std::string& part : split(state, ';')) {
        const std::size_t eq = part.find('=');
        if (eq == std::string::npos) continue;
        const std::string_view name = std::string_view(part).substr(0, eq);
        const std::string value = part.substr(eq + 1);
        if (name == "assessment") {
            const auto [end, error] =
                std::from_chars(value.data(), value.data() + value.size(), record.revision);
            has_revision = error == std::errc{} && end == value.data() + value.size() && record.revision > 0;
        } else if (name == "on") {
            const auto day = parse_iso_date(value);
            has_date = day.has_value();
            if (day) record.assessed_on = *day;
        } else if (name == "by") {
            record.by = value;
        } else if (name == "a") {
            for (const std::string& pair : split(value, ',')) {
                const std::size_t colon = pair.find(':');
                if (colon != std::string::npos)
                    record.answers[pair.substr(0, colon)] = pair.substr(colon + 1);
            }
        }
    }
    if (!has_revision || !has_date) return std::nullopt;
    return record;
}

std::string assessment_note(const change_policy& policy, const assessment_record& record,
                            const change_assessment& assessment) {
    std::string note = "ISMS impact assessment, revision " + std::to_string(record.revision) + ", " +
                       format_iso_date(record.assessed_on) + ", by " + record.by + ": " +
                       (assessment.affects ? "affects the ISMS." : "no impact on the ISMS.") + "\n\n";
    for (const change_question& q : policy.questions) {
        const auto it = record.answers.find(q.id);
        note += "* " + q.text + " " +
                (it == record.answers.end() ? "(not answered)" : answer_label(q, it->second)) + "\n";
    }
    note += "\n" + assessment.rationale;
    if (!assessment.follow_ups.empty()) {
        note += "\n\nFollow-ups:\n";
        for (const follow_up_need& need : assessment.follow_ups)
            note += "* " + need.rule->title + " (" + need.rule->owner + ", due " + format_iso_date(need.due) +
                    ")\n";
        note.pop_back();
    }
    return note + "\n\nRecorded by Upkeep (ISO/IEC 27001:2022 6.3, 8.1, 8.2).";
}

std::string follow_up_key(long long change_id, std::string_view rule_id, int generation) {
    return "change:" + std::to_string(change_id) + ":" + std::string(rule_id) +
           (generation > 1 ? ":" + std::to_string(generation) : "");
}

std::string supplier_key(long long change_id, std::string_view rule_id) {
    ticket_key key;
    key.kind = ticket_key_kind::supplier;
    key.number = change_id;
    key.tail = std::string(rule_id);
    return key.format();
}

std::string_view to_string(follow_up_action_kind kind) {
    switch (kind) {
    case follow_up_action_kind::create:
        return "create";
    case follow_up_action_kind::link:
        return "link";
    case follow_up_action_kind::close:
        break;
    }
    return "close";
}

std::vector<follow_up_action> plan_follow_ups(const change_assessment& assessment, const change_facts& facts,
                                              const std::vector<follow_up_ticket>& existing) {
    std::vector<follow_up_action> actions;
    const std::string prefix = follow_up_key(facts.id, "", 1);
    // The oldest ticket of each key counts; younger open ones are duplicates of a race. Per follow-up
    // rule, the ticket of the latest generation is the current one.
    struct current {
        const follow_up_ticket* ticket = nullptr;
        int generation = 0;
    };
    std::map<std::string, const follow_up_ticket*> by_key;
    std::map<std::string, current> by_rule;
    std::vector<const follow_up_ticket*> sorted;
    for (const follow_up_ticket& t : existing)
        if (t.key.starts_with(prefix)) sorted.push_back(&t);
    stable_sort_by(sorted, [](const auto* a, const auto* b) { return a->id < b->id; });
    for (const follow_up_ticket* t : sorted) {
        const auto [it, inserted] = by_key.emplace(t->key, t);
        if (!inserted) {
            // A younger ticket with the key: a race's duplicate when Upkeep linked it to the change, else
            // someone's copy of a follow-up (copies keep custom fields, so the key), which is theirs.
            if (!t->closed && t->linked)
                actions.push_back(
                    {follow_up_action_kind::close, t->key, t->id, std::nullopt,
                     "Duplicate of " + facts.references.of(it->second->id) + " (two assessments of change " +
                         facts.references.of(facts.id) + " ran at once): closed by Upkeep.",
                     follow_up_state(facts.id, true), "duplicate of " + facts.references.of(it->second->id)});
            continue;
        }
        // "rule" or "rule:N"
        const std::string rest = t->key.substr(prefix.size());
        const std::size_t colon = rest.find(':');
        int generation = 1;
        if (colon != std::string::npos) {
            const auto [end, error] =
                std::from_chars(rest.data() + colon + 1, rest.data() + rest.size(), generation);
            if (error != std::errc{} || end != rest.data() + rest.size() || generation < 2) continue;
        }
        current& c = by_rule[rest.substr(0, colon)];
        if (generation > c.generation) c = {t, generation};
    }

    const std::string when = "the assessment of change " + facts.references.of(facts.id) + " on " +
                             format_iso_date(facts.assessed_on);
    std::set<std::string> needed;
    for (const follow_up_need& need : assessment.follow_ups) {
        needed.insert(need.rule->id);
        const auto it = by_rule.find(need.rule->id);
        const follow_up_ticket* t = it == by_rule.end() ? nullptr : it->second.ticket;
        const bool withdrawn = t && t->closed && t->withdrawn;
        if (!t || withdrawn) {
            // Called for (again): a new ticket; the withdrawn one stays closed as the record of the
            // withdrawal (reopening would need a workflow transition most roles lack).
            const int generation = t ? it->second.generation + 1 : 1;
            actions.push_back(
                {follow_up_action_kind::create, follow_up_key(facts.id, need.rule->id, generation),
                 std::nullopt, fields_for(need, facts), "", follow_up_state(facts.id, false),
                 std::string(t ? "called for again by " : "called for by ") + join(need.reasons, "; "),
                 need.blocks_change});
        } else if (!t->linked) {
            actions.push_back({follow_up_action_kind::link, t->key, t->id, std::nullopt, "", "",
                               "not linked to the change", need.blocks_change});
        }
    }
    for (const auto& [rule_id, c] : by_rule) {
        // An open ticket Upkeep withdrew before was reopened by people on purpose: theirs to close; one
        // that is not linked to the change was not made by this change's assessment.
        if (needed.count(rule_id) || c.ticket->closed || !c.ticket->linked || c.ticket->withdrawn) continue;
        actions.push_back(
            {follow_up_action_kind::close, c.ticket->key, c.ticket->id, std::nullopt,
             "No longer needed: " + when + " no longer calls for it. Reopen it if the work is still useful.",
             follow_up_state(facts.id, true), "no longer called for"});
    }
    return actions;
}

nlohmann::json changes_to_json(const std::vector<change_record>& changes,
                               const std::vector<follow_up_record>& follow_ups) {
    using json = nlohmann::json;
    const auto day = [](const std::optional<day_point>& d) {
        return d ? json(format_iso_date(*d)) : json(nullptr);
    };
    json out = json_object(
        {{"unassessed", json::array()}, {"assessed", json::array()}, {"open_follow_ups", json::array()}});
    for (const change_record& c : changes) {
        json item = json_object({{"id", c.id},
                                 {"subject", c.subject},
                                 {"tracker", c.tracker},
                                 {"assignee", c.assignee},
                                 {"created_on", day(c.created_on)},
                                 {"go_live", day(c.go_live)},
                                 {"closed", c.closed},
                                 {"closed_on", day(c.closed_on)},
                                 {"assessment", nullptr}});
        if (c.assessment)
            item["assessment"] = json_object({{"revision", c.assessment->revision},
                                              {"on", format_iso_date(c.assessment->assessed_on)},
                                              {"by", c.assessment->by},
                                              {"affects", c.affects}});
        if (c.assessment)
            out["assessed"].push_back(std::move(item));
        else if (!c.closed)
            out["unassessed"].push_back(std::move(item));
    }
    for (const follow_up_record& f : follow_ups)
        if (!f.closed)
            out["open_follow_ups"].push_back(json_object({{"id", f.id},
                                                          {"change", f.change_id},
                                                          {"key", f.key},
                                                          {"subject", f.subject},
                                                          {"assignee", f.assignee},
                                                          {"due", day(f.due)}}));
    return out;
}

nlohmann::json change_prompt_view(const change_policy& policy, const change_prompt_parts& parts) {
    using json = nlohmann::json;
    static const std::optional<assessment_record> no_record;
    static const std::optional<change_assessment> no_assessment;
    static const std::vector<follow_up_ticket> no_tickets;
    static const std::vector<follow_up_action> no_requests;
    static const diagnostics no_problems;
    const auto& record = parts.record ? *parts.record : no_record;
    const auto& assessment = parts.assessment ? *parts.assessment : no_assessment;
    const auto& tickets = parts.follow_ups ? *parts.follow_ups : no_tickets;
    json questions = json::array();
    for (const change_question& q : policy.questions) {
        json choices = json::array();
        for (const change_choice& c : q.choices)
            choices.push_back(json_object({{"id", c.id}, {"label", c.label}, {"affects", c.affects}}));
        questions.push_back(
            json_object({{"id", q.id}, {"text", q.text}, {"help", q.help}, {"choices", std::move(choices)}}));
    }
    json ticket_list = json::array();
    for (const follow_up_ticket& t : tickets)
        ticket_list.push_back(json_object({{"id", t.id},
                                           {"key", t.key},
                                           {"closed", t.closed},
                                           {"linked", t.linked},
                                           {"withdrawn", t.withdrawn}}));
    json suppliers_linked = json::array(); // the register's suppliers linked to the change
    json register_open = json::array();    // the register, for a supplier follow-up to pick from
    if (parts.register_)
        for (const supplier_record& e : *parts.register_) {
            if (std::find(parts.linked_suppliers.begin(), parts.linked_suppliers.end(), e.id) !=
                parts.linked_suppliers.end())
                suppliers_linked.push_back(json_object({{"id", e.id}, {"name", e.name}}));
            if (!e.closed) register_open.push_back(json_object({{"id", e.id}, {"name", e.name}}));
        }
    json assessment_json = nullptr;
    if (assessment) {
        json follow_ups = json::array();
        for (const follow_up_need& need : assessment->follow_ups) {
            // Its current ticket: the latest generation of its key.
            const follow_up_ticket* current = nullptr;
            int generation = 0;
            for (const follow_up_ticket& t : tickets) {
                const ticket_key key = ticket_key::parse(t.key);
                if (key.kind == ticket_key_kind::follow_up && key.tail == need.rule->id &&
                    key.generation > generation) {
                    current = &t;
                    generation = key.generation;
                }
            }
            follow_ups.push_back(
                json_object({{"id", need.rule->id},
                             {"supplier", need.rule->supplier},
                             {"suppliers", need.rule->supplier ? suppliers_linked : json::array()},
                             {"title", need.rule->title},
                             {"owner", need.rule->owner},
                             {"due", format_iso_date(need.due)},
                             {"references", need.rule->references},
                             {"reasons", need.reasons},
                             {"ticket", current ? json(current->id) : json()},
                             {"closed", current && current->closed},
                             {"before_go_live", need.before_go_live},
                             {"blocks_change", need.blocks_change}}));
        }
        assessment_json = json_object({{"affects", assessment->affects},
                                       {"affecting", assessment->affecting},
                                       {"rationale", assessment->rationale},
                                       {"follow_ups", std::move(follow_ups)}});
    }
    json requests = json::array();
    for (const follow_up_action& a : parts.requests ? *parts.requests : no_requests)
        requests.push_back(json_object({{"kind", to_string(a.kind)}, {"key", a.key}, {"reason", a.reason}}));
    json record_json = nullptr;
    if (record)
        record_json = json_object({{"revision", record->revision},
                                   {"on", format_iso_date(record->assessed_on)},
                                   {"by", record->by},
                                   {"answers", record->answers}});
    return json_object({{"is_change", parts.is_change},
                        {"register", std::move(register_open)},
                        {"change", parts.change},
                        {"go_live", parts.go_live ? json(format_iso_date(*parts.go_live)) : json()},
                        {"questions", std::move(questions)},
                        {"record", std::move(record_json)},
                        {"assessment", std::move(assessment_json)},
                        {"follow_ups", std::move(ticket_list)},
                        {"requests", std::move(requests)},
                        {"problems", problems_json(parts.problems ? *parts.problems : no_problems)}});
}

} // namespace upkeep
