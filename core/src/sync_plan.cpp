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

#include "upkeep/sync_plan.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

namespace upkeep {
namespace {

constexpr std::string_view block_marker = "-- ISMS task (maintained by Upkeep: write above this line) --";

std::string hash_hex(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL; // FNV-1a 64
    for (const unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 0xF];
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
    return out;
}

struct ticket_state {
    std::string hash;
    bool overdue = false;
    bool obsolete = false;
};

ticket_state parse_state(std::string_view text) {
    ticket_state state;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find(';', pos), text.size());
        const std::string_view part = text.substr(pos, end - pos);
        if (part.starts_with("h=")) state.hash = std::string(part.substr(2));
        else if (part == "overdue=1") state.overdue = true;
        else if (part == "obsolete=1") state.obsolete = true;
        pos = end + 1;
    }
    return state;
}

std::string format_state(const ticket_state& state) {
    std::string out = "h=" + state.hash;
    if (state.overdue) out += ";overdue=1";
    if (state.obsolete) out += ";obsolete=1";
    return out;
}

std::string upkeep_block(const activity& a, day_point due) {
    std::string block;
    block += "Due: " + format_iso_date(due) + "\n";
    block += "Owner: " + a.owner + "\n";
    block += "ISO/IEC 27001:2022: " + join(a.references, ", ") + "\n\n";
    if (!a.instructions.empty()) block += "What to do:\n" + a.instructions + "\n\n";
    block += "Evidence to attach before closing:\n" + a.evidence + "\n\n";
    block += "Upkeep key: " + control_key(a, due) +
             ". Upkeep rewrites this block when the ISMS calendar changes; notes and text above it stay yours.";
    return block;
}

ticket_fields fields_for(const activity& a, day_point due) {
    ticket_fields f;
    f.subject = a.title + " (due " + format_iso_date(due) + ")";
    f.description = merge_description("", upkeep_block(a, due));
    f.assignee = a.owner;
    f.references = join(a.references, ", ");
    f.start_date = due - date::days{a.lead_time_days};
    f.due_date = due;
    return f;
}

std::string fields_hash(const activity& a, day_point due) {
    const ticket_fields f = fields_for(a, due);
    return hash_hex(f.subject + '\x1f' + f.assignee + '\x1f' + f.references + '\x1f' + format_iso_date(f.start_date) +
                    '\x1f' + format_iso_date(f.due_date) + '\x1f' + upkeep_block(a, due));
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

} // namespace

std::size_t sync_plan::count(sync_action_kind kind) const {
    return static_cast<std::size_t>(
        std::count_if(actions.begin(), actions.end(), [kind](const sync_action& a) { return a.kind == kind; }));
}

std::string control_key(const activity& a, day_point due) { return "control:" + a.id + ":" + format_iso_date(due); }

std::string merge_description(const std::string& current, const std::string& upkeep_block) {
    const std::size_t at = current.find(block_marker);
    std::string people = at == std::string::npos ? current : current.substr(0, at);
    while (!people.empty() && (people.back() == '\n' || people.back() == '\r' || people.back() == ' ')) people.pop_back();
    return (people.empty() ? "" : people + "\n\n") + std::string(block_marker) + "\n" + upkeep_block;
}

sync_plan plan_sync(const isms_configuration& config, const certification_cycle& cycle,
                    const std::vector<tracked_ticket>& existing, day_point today) {
    sync_plan plan;
    plan.since = current_period_start(cycle, today);
    std::map<std::string, const tracked_ticket*> by_key;
    for (const tracked_ticket& t : existing) {
        const auto [it, inserted] = by_key.emplace(t.key, &t);
        if (!inserted && t.id < it->second->id) it->second = &t; // two tickets, one key: the older one counts
    }
    std::map<std::string, const activity*> activities;
    for (const activity& a : config.activities) activities.emplace(a.id, &a);

    // Creates, in due-date order.
    std::vector<std::pair<day_point, const activity*>> due_now;
    for (const activity& a : config.activities) {
        const day_point horizon = today + date::days{a.lead_time_days}; // due dates whose ticket should be open
        for (const day_point due : between(a.cadence.dates, plan.since, horizon, true))
            if (!by_key.count(control_key(a, due))) due_now.emplace_back(due, &a);
    }
    std::stable_sort(due_now.begin(), due_now.end(),
                     [](const auto& l, const auto& r) { return std::tie(l.first, l.second->id) < std::tie(r.first, r.second->id); });
    for (const auto& [due, a] : due_now) {
        sync_action action;
        action.kind = sync_action_kind::create;
        action.key = control_key(*a, due);
        action.fields = fields_for(*a, due);
        action.state = format_state({fields_hash(*a, due), due < today, false});
        action.reason = due < today ? "missed occurrence, overdue since " + format_iso_date(due + date::days{1}) : "new occurrence";
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
        const bool still_due = it != activities.end() &&
                               after(it->second->cadence.dates, parsed->due, true) == parsed->due;
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
            action.note = "This occurrence is no longer in the ISMS maintenance calendar (the configuration changed). "
                          "Close this ticket if the work is not needed, or keep it as evidence if it was done.";
            reasons.push_back("occurrence left the calendar");
        } else {
            const activity& a = *it->second;
            const std::string hash = fields_hash(a, parsed->due);
            if (hash != state.hash) {
                ticket_fields fields = fields_for(a, parsed->due);
                fields.description = merge_description(ticket->description, upkeep_block(a, parsed->due));
                action.fields = std::move(fields);
                state.hash = hash;
                reasons.push_back("the ISMS configuration changed");
            }
            if (parsed->due < today && !state.overdue) {
                state.overdue = true;
                action.note = "Overdue: this ISMS task was due on " + format_iso_date(parsed->due) + " (owner: " + a.owner +
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
    return plan;
}

} // namespace upkeep
