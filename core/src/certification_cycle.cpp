#include "upkeep/certification_cycle.hpp"

namespace upkeep {
namespace {

std::string pointer_of(audit_kind kind) {
    return "/certification/audits/" + std::string(audit_key(kind)) + "/date";
}

} // namespace

std::string_view audit_key(audit_kind kind) {
    switch (kind) {
    case audit_kind::surveillance_1:
        return "surveillance_1";
    case audit_kind::surveillance_2:
        return "surveillance_2";
    case audit_kind::recertification:
        return "recertification";
    }
    return "";
}

std::string_view to_string(date_source source) {
    switch (source) {
    case date_source::computed:
        return "computed";
    case date_source::planned:
        return "planned";
    case date_source::held:
        return "held";
    }
    return "";
}

std::string_view audit_title(audit_kind kind) {
    switch (kind) {
    case audit_kind::surveillance_1:
        return "Surveillance audit 1";
    case audit_kind::surveillance_2:
        return "Surveillance audit 2";
    case audit_kind::recertification:
        return "Recertification audit";
    }
    return "";
}

certification_cycle compute_cycle(const certification_info& certification) {
    certification_cycle cycle;
    cycle.decision = certification.decision_date;
    cycle.expiry = add_months_clamped(cycle.decision, 36);

    struct rule {
        audit_kind kind;
        const std::optional<audit_date>& given;
        day_point latest;
        const char* rule_text;
    };
    const std::array<rule, 3> rules{{
        {audit_kind::surveillance_1, certification.surveillance_1, add_months_clamped(cycle.decision, 12),
         "the first surveillance audit is due no later than 12 months after the certification decision"},
        {audit_kind::surveillance_2, certification.surveillance_2, add_months_clamped(cycle.decision, 24),
         "the second surveillance audit is due no later than 24 months after the certification decision"},
        {audit_kind::recertification, certification.recertification, cycle.expiry - date::days{1},
         "the recertification audit must be completed before the certificate expires"},
    }};

    day_point previous = cycle.decision;
    std::string_view previous_name = "the certification decision";
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const rule& r = rules[i];
        cycle_audit audit{r.kind, r.latest, r.latest, date_source::computed, previous};
        if (r.given) {
            audit.date = r.given->date;
            audit.source = r.given->status == audit_status::held ? date_source::held : date_source::planned;
            if (audit.date > r.latest) {
                cycle.warnings.push_back({severity::warning, pointer_of(r.kind),
                                          format_iso_date(audit.date) + " is later than the rule allows: " +
                                              r.rule_text + " (by " + format_iso_date(r.latest) + ")"});
            }
            if (audit.date <= previous) {
                cycle.warnings.push_back({severity::warning, pointer_of(r.kind),
                                          format_iso_date(audit.date) + " is not after " +
                                              std::string(previous_name) + " (" + format_iso_date(previous) +
                                              "): audits follow each other in the cycle"});
            }
        }
        cycle.audits[i] = audit;
        previous = audit.date;
        previous_name = audit_title(r.kind);
    }
    return cycle;
}

} // namespace upkeep
