// Supplier reviews.
//
// Design note. A supplier S with criticality C (not set, or not one of the three: "normal") whose ticket
// started on day T (29 February: the 28th, so that yearly cadences come round every year) becomes
// the activity `supplier-<S's ticket id>`, with C's rule from DTSTART T, T itself excluded (the supplier
// was assessed when it came in), so a yearly cadence falls on T's anniversaries; with C's
// `before_contract_end_days` N and a contract end E after T + N, E - N is one more due date (an RDATE).
// A supplier that left the register (its ticket closed on day L) keeps its activity up to L (UNTIL L, and
// no RDATE after it): the reviews due while it was a supplier stay in the figures, done or not, and open
// reviews due after L are told that their occurrence left the calendar. A supplier without a start day, or
// closed without a closing day, or whose criticality has no cadence, has no activity. The activity's key
// holds the ticket id, never the name, so renaming a supplier renames its open reviews instead of making
// new ones.

#include "upkeep/supplier_reviews.hpp"

#include "upkeep/ticket_key.hpp"

#include <algorithm>

namespace upkeep {

namespace {
constexpr std::string_view supplier_prefix = "supplier-";
}

std::string supplier_activity_id(long long supplier_id) {
    return std::string(supplier_prefix) + std::to_string(supplier_id);
}

std::optional<long long> supplier_of_activity(std::string_view activity_id) {
    if (!activity_id.starts_with(supplier_prefix)) return std::nullopt;
    return ticket_number(activity_id.substr(supplier_prefix.size()));
}

void add_supplier_reviews(isms_configuration& config, const std::vector<supplier_record>& suppliers) {
    const supplier_policy& policy = config.suppliers;
    for (const supplier_record& s : suppliers) {
        const std::string criticality =
            s.criticality == "critical" || s.criticality == "high" ? s.criticality : "normal";
        const auto cadence =
            std::find_if(policy.reviews.begin(), policy.reviews.end(),
                         [&](const supplier_review_cadence& c) { return c.criticality == criticality; });
        if ((s.closed && !s.closed_on) || !s.since || cadence == policy.reviews.end()) continue;
        activity a;
        a.id = supplier_activity_id(s.id);
        a.title = "Supplier review: " + s.name;
        a.references = policy.references;
        a.owner = s.owner.empty() ? policy.owner : s.owner;
        a.cadence.rrule_text = cadence->rrule_text;
        // From 29 February, a yearly cadence would come round in leap years only: from the 28th.
        const day_point start = *s.since - date::days{format_iso_date(*s.since).ends_with("-02-29")};
        a.cadence.dates = {start, cadence->rule, {}, {start}};
        const day_point last = s.closed ? *s.closed_on : day_point::max();
        if (s.closed && (!cadence->rule.until || *cadence->rule.until > last))
            a.cadence.dates.rule.until = last;
        if (s.contract_end && cadence->before_contract_end_days >= 0) {
            const day_point renewal = *s.contract_end - date::days{cadence->before_contract_end_days};
            if (renewal > *s.since && renewal <= last) a.cadence.dates.rdates.push_back(renewal);
        }
        a.lead_time_days = policy.lead_time_days;
        a.instructions = "Criticality: " + criticality + ". " + policy.instructions;
        a.evidence = policy.evidence;
        config.activities.push_back(std::move(a));
    }
}

} // namespace upkeep
