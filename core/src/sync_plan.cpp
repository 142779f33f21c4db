// The sync planner.
//
// Design note. The tracker is the state: there is no ledger beside it. Every ticket Upkeep writes
// carries a stable key (`control:<activity>:<due date>`) and a state field `h=<hash>;overdue=<0|1>`,
// where the hash covers everything Upkeep writes on that ticket. So the diff is:
//   expected = every (activity, occurrence) due in [since, ...] whose ticket should be open by today;
//   for each expected key with no ticket            -> create (with hash, overdue flag as of today);
//   for each open ticket of an expected key          -> update when the stored hash differs from the
//                                                     intended one; comment once when it became overdue;
//   for each open ticket whose key is no longer an occurrence of its activity -> comment once.
// A write sets the state field in the same request as its change, so a crash between writes leaves
// every ticket either untouched or fully written, and the next plan picks up exactly what is left.
// Comparing hashes (not text) keeps the plan stable when the tracker normalises line ends or markup.
//
// Nonconformities follow the same rule with keys derived from what caused them (see below): a control
// missed beyond the grace period, a corrective-action line on a nonconformity, all of a nonconformity's
// corrective actions closed. People's nonconformities are read, never written.

#include "upkeep/sync_plan.hpp"

#include "stable_sort_by.hpp"
#include "upkeep/evidence_renewal.hpp"
#include "upkeep/text_hash.hpp"
#include "wording.hpp"

#include "upkeep/ticket_key.hpp"
#include "upkeep/ticket_state.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <variant>

namespace upkeep {
namespace {

using detail::join;

ticket_state parse_state(std::string_view text) {
    return ticket_state::parse(text);
}

std::string format_state(const ticket_state& state) {
    return state.format();
}

// A renewal (evidence_renewal.hpp) is an occurrence with its own title, lead time and reason.
std::string upkeep_block(const activity& a, day_point due, bool renewal) {
    std::string block;
    block += "Due: " + format_iso_date(due) + "\n";
    block += "Owner: " + a.owner + "\n";
    block += "ISO/IEC 27001:2022: " + join(a.references, ", ") + "\n\n";
    if (renewal)
        block +=
            "Why: the evidence of this activity's last completion is valid until " + format_iso_date(due) +
            ". Renew it and complete this task with the new evidence and the date it is valid until.\n\n";
    if (!a.instructions.empty()) block += "What to do:\n" + a.instructions + "\n\n";
    block += "Evidence to attach before closing:\n" + a.evidence + "\n\n";
    block +=
        "Upkeep key: " + control_key(a, due) +
        ". Upkeep rewrites this block when the ISMS calendar changes; notes and text above it stay yours.";
    return block;
}

ticket_fields fields_for(const activity& a, day_point due, bool renewal) {
    ticket_fields f;
    f.subject = (renewal ? renewal_title(a) : a.title) + " (due " + format_iso_date(due) + ")";
    f.description = merge_description("", upkeep_block(a, due, renewal));
    f.assignee = a.owner;
    f.references = join(a.references, ", ");
    f.start_date = due - date::days{renewal ? a.renewal_lead_days : a.lead_time_days};
    f.due_date = due;
    return f;
}

std::string fields_hash(const activity& a, day_point due, bool renewal) {
    const ticket_fields f = fields_for(a, due, renewal);
    return hash_hex(f.subject + '\x1f' + f.assignee + '\x1f' + f.references + '\x1f' +
                    format_iso_date(f.start_date) + '\x1f' + format_iso_date(f.due_date) + '\x1f' +
                    upkeep_block(a, due, renewal));
}

// The start of the audit period holding `today`: no tickets for occurrences before it.
day_point current_period_start(const certification_cycle& cycle, day_point today) {
    day_point since = std::min(cycle.decision, today);
    for (const cycle_audit& audit : cycle.audits)
        if (audit.date <= today) since = std::max(since, audit.date);
    return since;
}

struct parsed_key {
    std::string activity_id;
    day_point due;
};

std::optional<parsed_key> parse_control_key(std::string_view key) {
    if (!key.starts_with("control:")) return std::nullopt;
    const std::size_t last = key.rfind(':');
    if (last <= 8) return std::nullopt;
    const auto due = parse_iso_date(key.substr(last + 1));
    if (!due) return std::nullopt;
    return parsed_key{std::string(key.substr(8, last - 8)), *due};
}

// --- Nonconformities (ISO 27001 10.2) -----------------------------------------------------------------
//
// Keys: a proposed nonconformity is `nc:missed:<control key>`, a corrective action `ca:<nc id>:<hash of
// its line>`, a verification `verify:<nc id>`. Editing a corrective action's line makes a new ticket;
// the old one stays (people close it).

struct action_line {
    std::string owner;
    std::string text;
    std::optional<day_point> due;
};

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

// One line of an action list: "itops: Add restore tests to the ops calendar (due 2027-01-15)"; a
// problem's text when malformed.
std::variant<action_line, std::string> parse_action_line(std::string_view line) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return std::string("start with the owner's login, such as \"itops: ...\"");
    action_line out;
    out.owner = trim(line.substr(0, colon));
    out.text = trim(line.substr(colon + 1));
    if (out.owner.empty() || out.owner.find(' ') != std::string::npos)
        return std::string("start with the owner's login, such as \"itops: ...\"");
    constexpr std::string_view due_marker = "(due ";
    if (const std::size_t at = out.text.rfind(due_marker);
        at != std::string::npos && out.text.ends_with(")")) {
        const auto due = parse_iso_date(std::string_view(out.text).substr(at + due_marker.size(), 10));
        if (!due) return std::string("the deadline is not a date: write (due YYYY-MM-DD)");
        out.due = *due;
        out.text = trim(out.text.substr(0, at));
    }
    if (out.text.empty()) return std::string("say what to do after the owner");
    return out;
}

// The lines of an action list (a nonconformity's corrective actions, a review's decisions), each with its
// key: `key_prefix` and a hash of its owner and text (not its deadline, so moving a deadline on the line
// does not make a second ticket). A malformed or repeated line becomes a notice "<where> line N: ...";
// people type these lists, so at most `max_action_lines` become tickets.
constexpr std::size_t max_action_lines = 30;

std::vector<std::pair<std::string, action_line>> action_lines(const std::string& text,
                                                              const std::string& key_prefix,
                                                              const std::string& where, sync_plan& plan) {
    std::vector<std::pair<std::string, action_line>> out;
    std::vector<std::size_t> line_numbers;
    std::size_t line_number = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string line = trim(std::string_view(text).substr(pos, end - pos));
        pos = end + 1;
        ++line_number;
        if (line.empty()) continue;
        const std::string at = where + " line " + std::to_string(line_number) + ": ";
        auto parsed = parse_action_line(line);
        if (const auto* problem = std::get_if<std::string>(&parsed)) {
            plan.notices.push_back(at + *problem);
            continue;
        }
        action_line& action = std::get<action_line>(parsed);
        std::string key = key_prefix + hash_hex(action.owner + ':' + action.text).substr(0, 12);
        const auto same = std::find_if(out.begin(), out.end(), [&](const auto& o) { return o.first == key; });
        if (same != out.end()) {
            plan.notices.push_back(
                at + "the same as line " +
                std::to_string(line_numbers[static_cast<std::size_t>(same - out.begin())]) +
                ", so it makes no second ticket");
            continue;
        }
        if (out.size() == max_action_lines) {
            plan.notices.push_back(at + "only the first " + std::to_string(max_action_lines) +
                                   " lines become tickets; split the list");
            break;
        }
        out.emplace_back(std::move(key), std::move(action));
        line_numbers.push_back(line_number);
    }
    return out;
}

// The deadline of an action whose line gives none: the day before the next audit (at least a week away).
day_point default_action_due(const certification_cycle& cycle, day_point today) {
    std::optional<day_point> next_audit;
    for (const cycle_audit& audit : cycle.audits)
        if (audit.date > today && (!next_audit || audit.date < *next_audit)) next_audit = audit.date;
    return std::max(today + date::days{7}, next_audit ? *next_audit - date::days{1} : today + date::days{90});
}

ticket_fields simple_fields(ticket_kind kind, std::string subject, std::string block, std::string assignee,
                            day_point today, day_point due) {
    ticket_fields f;
    f.kind = kind;
    f.subject = std::move(subject);
    f.description = merge_description("", block);
    f.assignee = std::move(assignee);
    f.start_date = std::min(today, due);
    f.due_date = due;
    return f;
}

// Closing a ticket is two writes: the note (with closing=1 in the state), then the status. A run stopped
// between them, or a workflow that refused the status, leaves closing=1: the next run writes the status
// only.
void add_close(sync_plan& plan, std::string key, long long id, ticket_state state, std::string note,
               std::string reason) {
    sync_action close;
    close.kind = sync_action_kind::close;
    close.key = std::move(key);
    close.ticket_id = id;
    close.note = std::move(note);
    close.reason = std::move(reason);
    close.note_written = state.closing;
    state.closing = true;
    close.state = state.format();
    plan.actions.push_back(std::move(close));
}

void add_create(sync_plan& plan, std::string key, ticket_fields fields, std::string reason) {
    sync_action action;
    action.kind = sync_action_kind::create;
    action.key = std::move(key);
    action.state = ticket_state{.hash = hash_hex(fields.subject + '\x1f' + fields.description)}.format();
    action.fields = std::move(fields);
    action.reason = std::move(reason);
    plan.actions.push_back(std::move(action));
}

void plan_nonconformities(const isms_configuration& config, const certification_cycle& cycle,
                          const tracker_state& tracker,
                          const std::map<std::string, const tracked_ticket*>& by_key, day_point today,
                          sync_plan& plan) {
    const nonconformity_policy& policy = config.nonconformities;
    std::set<std::string> nc_keys;
    for (const nonconformity_ticket& nc : tracker.nonconformities)
        if (!nc.key.empty()) nc_keys.insert(nc.key);

    // Controls missed beyond the grace period become proposed nonconformities: open control tasks that
    // were created in time (a backlog ticket, made when Upkeep started after its due date, stays visible as
    // late but proposes nothing: that work may have been done before the tracker knew of it). The text
    // names the control task by its key, so an interrupted run writes the same.
    std::set<std::string> open_controls;
    for (const auto& [key, ticket] : by_key)
        if (const ticket_state state = parse_state(ticket->state);
            !ticket->closed && !state.backlog && !state.obsolete)
            open_controls.insert(key);
    std::vector<std::pair<std::string, ticket_fields>> proposals;
    for (const std::string& key : open_controls) {
        const auto parsed = parse_control_key(key);
        if (!parsed || parsed->due + date::days{policy.grace_days} >= today) continue;
        const std::string nc_key = "nc:missed:" + key;
        if (nc_keys.count(nc_key)) continue;
        const auto it = std::find_if(config.activities.begin(), config.activities.end(),
                                     [&](const activity& a) { return a.id == parsed->activity_id; });
        const std::string title = it != config.activities.end() ? it->title : parsed->activity_id;
        std::string block =
            "A recurring ISMS control was not done within " + std::to_string(policy.grace_days) +
            " days of its due date (" + format_iso_date(parsed->due) +
            "): the control task with Upkeep key " + key + ".\n\n" +
            "ISO/IEC 27001:2022 10.2: react to the nonconformity, find its root cause, and list the "
            "corrective actions in \"Corrective actions\", one per line as "
            "\"owner: what to do (due YYYY-MM-DD)\". Upkeep turns each line into a ticket, then asks "
            "for a verification of their effectiveness; this nonconformity closes when that is done.";
        ticket_fields fields =
            simple_fields(ticket_kind::nonconformity,
                          "Missed control: " + title + " (due " + format_iso_date(parsed->due) + ")",
                          std::move(block), policy.owner, today, today + date::days{14});
        fields.grade = "Minor";
        fields.source = "Missed control";
        proposals.emplace_back(nc_key, std::move(fields));
    }
    for (auto& [nc_key, fields] : proposals)
        add_create(plan, nc_key, std::move(fields),
                   "control " + nc_key.substr(10) + " missed beyond the grace period");

    const day_point default_due = default_action_due(cycle, today);

    for (const nonconformity_ticket& nc : tracker.nonconformities) {
        if (nc.closed) continue;
        const std::string nc_ref = "nonconformity " + tracker.references.of(nc.id);
        std::vector<std::string> ca_keys;
        std::string first_owner;
        for (const auto& [key, ca] : action_lines(nc.corrective_actions, "ca:" + std::to_string(nc.id) + ":",
                                                  nc_ref + ", corrective actions", plan)) {
            if (first_owner.empty()) first_owner = ca.owner;
            ca_keys.push_back(key);
            if (by_key.count(key)) continue;
            std::string block = "Corrective action for " + nc_ref + " (ISO/IEC 27001:2022 10.2):\n" +
                                ca.text +
                                "\n\nClose this ticket when it is done; attach or link what shows it.";
            add_create(plan, key,
                       simple_fields(ticket_kind::corrective_action,
                                     "Corrective action (" + tracker.references.of(nc.id) +
                                         "): " + detail::short_text(ca.text, 90),
                                     std::move(block), ca.owner, today, ca.due.value_or(default_due)),
                       "corrective action listed on " + nc_ref);
        }
        if (ca_keys.empty()) continue;
        const bool all_closed = std::all_of(ca_keys.begin(), ca_keys.end(), [&](const std::string& k) {
            const auto it = by_key.find(k);
            return it != by_key.end() && it->second->closed;
        });
        if (!all_closed) continue;
        const std::string verify_key = "verify:" + std::to_string(nc.id);
        const auto verify = by_key.find(verify_key);
        if (verify == by_key.end()) {
            std::string block =
                "Every corrective action of " + nc_ref +
                " is closed. Check that they removed the cause (ISO/IEC 27001:2022 10.2 e): is the "
                "nonconformity gone, and has it not recurred? Record how you checked, then close this "
                "ticket.";
            add_create(plan, verify_key,
                       simple_fields(ticket_kind::verification,
                                     "Verify the corrective actions of nonconformity " +
                                         tracker.references.of(nc.id),
                                     std::move(block), policy.owner.empty() ? first_owner : policy.owner,
                                     today, today + date::days{policy.verification_days}),
                       "all corrective actions of " + nc_ref + " are closed");
        } else if (verify->second->closed && !nc.key.empty()) {
            const std::string verification = tracker.references.of(verify->second->id);
            add_close(plan, nc.key, nc.id, ticket_state::parse(nc.state),
                      "Corrective actions done and verified effective (" + verification +
                          "): Upkeep closes this nonconformity.",
                      "verification " + verification + " is closed");
        }
    }
}

// --- Decisions of management reviews (ISO 27001 9.3.3) -------------------------------------------------
//
// People record a review's decisions on its control task (an activity referencing 9.3), one per line in
// the corrective-action form; each becomes an ISMS follow-up keyed `decision:<review ticket id>:<hash of
// its line>`, made also after the review ticket is closed (decisions are often written when it is). The
// next review's pack lists their status.

void plan_decisions(const isms_configuration& config, const certification_cycle& cycle,
                    const tracker_state& tracker, const std::map<std::string, const tracked_ticket*>& by_key,
                    day_point today, sync_plan& plan) {
    const day_point default_due = default_action_due(cycle, today);
    for (const tracked_ticket& review : tracker.upkeep_tickets) {
        if (review.decisions.empty()) continue;
        const std::string id = std::to_string(review.id), ref = tracker.references.of(review.id);
        const auto parsed = parse_control_key(review.key);
        const auto a = std::find_if(config.activities.begin(), config.activities.end(),
                                    [&](const activity& a) { return parsed && a.id == parsed->activity_id; });
        if (a == config.activities.end() || !is_management_review(*a)) {
            plan.notices.push_back(
                "control task " + ref +
                " is not a management review (its activity does not reference 9.3), so its "
                "review decisions make no tickets");
            continue;
        }
        for (const auto& [key, decision] :
             action_lines(review.decisions, "decision:" + id + ":", "review " + ref + ", decisions", plan)) {
            if (by_key.count(key)) continue;
            ticket_fields fields = simple_fields(
                ticket_kind::follow_up,
                "Review decision (" + ref + "): " + detail::short_text(decision.text, 90),
                "Decision of the management review " + ref + " (ISO/IEC 27001:2022 9.3.3):\n" +
                    decision.text +
                    "\n\nClose this ticket when it is done; the next review's input pack lists its status.",
                decision.owner, today, decision.due.value_or(default_due));
            fields.references = "9.3.3";
            add_create(plan, key, std::move(fields), "decision recorded on review " + ref);
        }
    }
}

} // namespace

bool completed_with_evidence(std::string_view state) {
    return parse_state(state).evidence.value_or(false);
}

std::string_view to_string(sync_action_kind kind) {
    switch (kind) {
    case sync_action_kind::create:
        return "create";
    case sync_action_kind::update:
        return "update";
    case sync_action_kind::comment:
        return "comment";
    case sync_action_kind::close:
        return "close";
    }
    return "";
}

std::size_t sync_plan::count(sync_action_kind kind) const {
    return static_cast<std::size_t>(std::count_if(actions.begin(), actions.end(),
                                                  [kind](const sync_action& a) { return a.kind == kind; }));
}

std::string issued_owner(std::string_view description) {
    const std::size_t block = description.find(upkeep_block_marker);
    if (block == std::string_view::npos) return "";
    constexpr std::string_view label = "\nOwner: ";
    const std::size_t at = description.find(label, block);
    if (at == std::string_view::npos) return "";
    const std::size_t start = at + label.size();
    std::string owner(description.substr(start, description.find('\n', start) - start));
    while (!owner.empty() && (owner.back() == '\r' || owner.back() == ' '))
        owner.pop_back();
    return owner;
}

std::string issued_title(std::string_view subject) {
    constexpr std::string_view due = " (due YYYY-MM-DD)";
    if (subject.size() > due.size() && subject.ends_with(")") &&
        subject.substr(subject.size() - due.size(), 6) == " (due " &&
        parse_iso_date(subject.substr(subject.size() - 11, 10)))
        subject.remove_suffix(due.size());
    return std::string(subject);
}

std::string control_key(const activity& a, day_point due) {
    return "control:" + a.id + ":" + format_iso_date(due);
}

std::string merge_description(const std::string& current, const std::string& upkeep_block) {
    const std::size_t at = current.find(upkeep_block_marker);
    std::string people = at == std::string::npos ? current : current.substr(0, at);
    while (!people.empty() && (people.back() == '\n' || people.back() == '\r' || people.back() == ' '))
        people.pop_back();
    return (people.empty() ? "" : people + "\n\n") + std::string(upkeep_block_marker) + "\n" + upkeep_block;
}

namespace {

// A ticket that shares its key with the one that counts (a copy, a restore, two syncs that ran at once):
// closed when it is open and nobody recorded work on it, with a note that names the one that counts;
// left open, with a notice, when work is recorded on it (nothing recorded is ever taken away).
void plan_duplicates(const std::vector<tracked_ticket>& existing,
                     const std::map<std::string, const tracked_ticket*>& by_key,
                     const ticket_references& refs, sync_plan& plan) {
    for (const tracked_ticket& t : existing) {
        const tracked_ticket& counted = *by_key.at(t.key);
        if (&t == &counted || t.closed) continue;
        const std::string twin = refs.of(t.id) + " has the same Upkeep key as " + refs.of(counted.id) + " (" +
                                 t.key + "), which counts";
        if (t.work_recorded) {
            plan.notices.push_back(twin +
                                   "; work is recorded on it, so it stays open: close one of them by hand");
            continue;
        }
        ticket_state state = ticket_state::parse(t.state);
        state.duplicate = true; // so that it never counts, closed
        add_close(plan, t.key, t.id, state,
                  "Duplicate: " + twin +
                      ". No work is recorded here, so Upkeep closes this ticket; record the "
                      "work on " +
                      refs.of(counted.id) + ".",
                  "duplicate of " + refs.of(counted.id));
    }
}

} // namespace

sync_plan plan_sync(const isms_configuration& config, const certification_cycle& cycle,
                    const tracker_state& tracker, day_point today) {
    const std::vector<tracked_ticket>& existing = tracker.upkeep_tickets;
    sync_plan plan;
    plan.since = current_period_start(cycle, today);
    // Two tickets, one key: the one that counts (duplicate_rank) is planned for; the others are resolved.
    std::map<std::string, const tracked_ticket*> by_key;
    const auto rank = [](const tracked_ticket* t) {
        return std::pair(duplicate_rank(t->closed, t->work_recorded, ticket_state::parse(t->state).duplicate),
                         t->id);
    };
    for (const tracked_ticket& t : existing) {
        const auto [it, inserted] = by_key.emplace(t.key, &t);
        if (!inserted && rank(&t) < rank(it->second)) it->second = &t;
    }
    plan_duplicates(existing, by_key, tracker.references, plan);
    std::map<std::string, const activity*> activities;
    for (const activity& a : config.activities)
        activities.emplace(a.id, &a);

    // The backlog is what fell due before Upkeep's first sync in the project. That day is recorded on every
    // control task, so a first sync that was interrupted and rerun, or a later run, agrees on it, and a
    // task made late because cron was down is not backlog.
    day_point started = today;
    for (const tracked_ticket& t : existing)
        if (const auto s = parse_state(t.state).since; s && *s < started) started = *s;

    // Evidence that expires calls for renewals (evidence_renewal.hpp): that of the tickets that count, as
    // the status reads it.
    occurrence_schedule schedule(config);
    for (const auto& [key, t] : by_key)
        if (t->closed && t->valid_until) schedule.add(key, *t->valid_until);

    // Creates, in due-date order.
    std::vector<std::pair<day_point, const activity*>> due_now;
    for (const activity& a : config.activities) {
        // Due dates whose ticket should be open: within the lead time, a renewal's own.
        const day_point horizon = today + date::days{std::max(a.lead_time_days, a.renewal_lead_days)};
        for (const day_point due : schedule.between(a, plan.since, horizon)) {
            const int lead = schedule.is_renewal(a.id, due) ? a.renewal_lead_days : a.lead_time_days;
            if (due <= today + date::days{lead} && !by_key.count(control_key(a, due)))
                due_now.emplace_back(due, &a);
        }
    }
    stable_sort_by(due_now, [](const auto& l, const auto& r) {
        return std::tie(l.first, l.second->id) < std::tie(r.first, r.second->id);
    });
    for (const auto& [due, a] : due_now) {
        const bool renewal = schedule.is_renewal(a->id, due);
        sync_action action;
        action.kind = sync_action_kind::create;
        action.key = control_key(*a, due);
        action.fields = fields_for(*a, due, renewal);
        action.state = ticket_state{.hash = fields_hash(*a, due, renewal),
                                    .overdue = due < today,
                                    .backlog = due < started,
                                    .since = started,
                                    .renewal = renewal}
                           .format();
        action.reason = due < today
                            ? "missed occurrence, overdue since " + format_iso_date(due + date::days{1})
                        : renewal ? "evidence valid until " + format_iso_date(due) + " to renew"
                                  : "new occurrence";
        plan.actions.push_back(std::move(action));
    }

    // Updates and comments on the open tickets Upkeep created, in key order.
    for (const auto& [key, ticket] : by_key) {
        if (ticket->closed) {
            ++plan.unchanged;
            continue;
        }
        ticket_state state = parse_state(ticket->state);
        const auto parsed = parse_control_key(key);
        const auto it = parsed ? activities.find(parsed->activity_id) : activities.end();
        const bool still_due = it != activities.end() && schedule.is_due(*it->second, parsed->due);
        sync_action action;
        action.key = key;
        action.ticket_id = ticket->id;
        std::vector<std::string> reasons;
        if (!still_due) {
            if (state.obsolete || !parsed) {
                ++plan.unchanged;
                continue;
            }
            state.obsolete = true;
            action.kind = sync_action_kind::comment;
            action.note =
                "This occurrence is no longer in the ISMS maintenance calendar (the configuration changed). "
                "Close this ticket if the work is not needed, or keep it as evidence if it was done.";
            reasons.push_back("occurrence left the calendar");
        } else {
            const activity& a = *it->second;
            const bool renewal = schedule.is_renewal(a.id, parsed->due);
            const std::string hash = fields_hash(a, parsed->due, renewal);
            if (hash != state.hash) {
                ticket_fields fields = fields_for(a, parsed->due, renewal);
                fields.description =
                    merge_description(ticket->description, upkeep_block(a, parsed->due, renewal));
                action.fields = std::move(fields);
                state.hash = hash;
                reasons.push_back("the ISMS configuration changed");
            }
            if (parsed->due < today && !state.overdue) {
                state.overdue = true;
                action.note =
                    "Overdue: this ISMS task was due on " + format_iso_date(parsed->due) +
                    " (owner: " + a.owner +
                    "). Auditors test that controls operate on schedule: do it now, attach the evidence and "
                    "record the date the work was done; it stays on the record as late.";
                reasons.push_back("overdue since " + format_iso_date(parsed->due + date::days{1}));
            }
            if (reasons.empty()) {
                ++plan.unchanged;
                continue;
            }
            action.kind = action.fields ? sync_action_kind::update : sync_action_kind::comment;
        }
        action.state = format_state(state);
        action.reason = join(reasons, "; ");
        plan.actions.push_back(std::move(action));
    }
    plan_nonconformities(config, cycle, tracker, by_key, today, plan);
    plan_decisions(config, cycle, tracker, by_key, today, plan);
    return plan;
}

} // namespace upkeep
