// The management review's input pack.
//
// Design note. The pack is a text_document, so one text gives the wiki page in the tracker's markup and
// the HTML page attached to the review ticket. Every figure is as of `today` and names its tickets. The
// decisions of earlier reviews are the lines of their tickets' "Review decisions" field, which the sync
// makes tickets of, and the nonconformities (or opportunities for improvement) raised with the source
// "Management review" with their corrective actions; (a) lists both with their status.

#include "upkeep/review_pack.hpp"

#include "wording.hpp"

#include "upkeep/change_impact.hpp"
#include "upkeep/evidence_renewal.hpp"

#include <algorithm>

namespace upkeep {
namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
    return detail::count_of(static_cast<long long>(n), one, many);
}

// ": done 2027-01-10" or ": open, due 2027-02-01".
std::string progress(bool closed, const std::optional<day_point>& closed_on,
                     const std::optional<day_point>& due) {
    return closed ? ": done" + (closed_on ? " " + format_iso_date(*closed_on) : "")
                  : ": open" + (due ? ", due " + format_iso_date(*due) : "");
}

bool references_any(const activity& a, std::initializer_list<std::string_view> clauses) {
    return std::any_of(a.references.begin(), a.references.end(), [&](const std::string& r) {
        return std::find(clauses.begin(), clauses.end(), r) != clauses.end();
    });
}

class pack_writer {
public:
    pack_writer(const isms_configuration& config, const status_report& report)
        : config_(config), report_(report) {}

    // Every occurrence that has fallen due of the activities referencing one of `clauses`.
    void occurrences(std::initializer_list<std::string_view> clauses) {
        bool any_activity = false;
        for (const activity& a : config_.activities) {
            if (!references_any(a, clauses)) continue;
            any_activity = true;
            bool any = false;
            for (const period_status& p : report_.periods)
                for (const occurrence_status& o : p.occurrences) {
                    if (o.activity != a.id || (!o.counted && !is_done(o.state))) continue;
                    any = true;
                    // "done on time", "done late", "done, date not recorded", "overdue", "missed".
                    const bool dated =
                        o.state == occurrence_state::on_time || o.state == occurrence_state::late;
                    std::string result = (dated ? "done " : "") + std::string(label(o.state));
                    if (o.done_on) result += " on " + format_iso_date(*o.done_on);
                    doc.item(typed(a.title) + " due " + format_iso_date(o.due) + ": " + result +
                             (o.ticket_id ? " (" + ticket_ref(o.ticket_id) + ")" : ""));
                }
            if (!any) doc.item("No occurrence of " + typed(a.title) + " has fallen due yet.");
        }
        if (!any_activity) {
            std::string list;
            for (const std::string_view c : clauses)
                list += (list.empty() ? "" : ", ") + std::string(c);
            doc.item("No activity of the configuration references " + list + ".");
        }
    }

    text_document doc;

private:
    const isms_configuration& config_;
    const status_report& report_;
};

} // namespace

std::optional<long long> review_ticket(const isms_configuration& config, const status_report& report) {
    const occurrence_status* first = nullptr;
    for (const activity& a : config.activities) {
        if (!is_management_review(a)) continue;
        for (const period_status& p : report.periods)
            for (const occurrence_status& o : p.occurrences)
                if (o.activity == a.id && o.has_ticket && !is_done(o.state) && (!first || o.due < first->due))
                    first = &o;
    }
    return first ? std::optional(first->ticket_id) : std::nullopt;
}

text_document review_pack(const isms_configuration& config, const status_report& report,
                          const std::vector<kpi>& kpis, const tracker_snapshot& tracker, day_point today) {
    const period_status* period = nullptr;
    for (const period_status& p : report.periods)
        if (!report.next_audit || p.audit == report.next_audit->audit) period = &p;
    pack_writer w(config, report);
    text_document& doc = w.doc;

    doc.heading(1, "Management review input: " + typed(config.organisation.name));
    std::string intro = "ISO/IEC 27001:2022 9.3.2. Made by Upkeep from the tracker on " +
                        format_iso_date(today) + "; every figure is as of that day and names its tickets.";
    if (period)
        intro +=
            " Audit period " + format_iso_date(period->from) + " to " + format_iso_date(period->to) + ".";
    doc.paragraph(intro);

    doc.heading(2, "a) Status of actions from previous management reviews");
    w.occurrences({"9.3"});
    // Decisions written on earlier review tickets (the sync made a ticket of each line), by review; those of
    // the review this pack is for are its outputs, not its inputs.
    const std::optional<long long> this_review = review_ticket(config, report);
    std::vector<long long> reviews;
    for (const decision_record& d : tracker.decisions)
        if (const auto at = std::lower_bound(reviews.begin(), reviews.end(), d.review);
            d.review != this_review && (at == reviews.end() || *at != d.review))
            reviews.insert(at, d.review);
    if (!reviews.empty()) doc.paragraph("Decisions recorded on reviews and their tickets:");
    for (const long long review : reviews) {
        doc.item("Decisions of the review " + ticket_ref(review) + ":");
        for (const decision_record& d : tracker.decisions)
            if (d.review == review)
                doc.item(ticket_ref(d.id) + " " + typed(d.subject) + progress(d.closed, d.closed_on, d.due),
                         2);
    }
    bool any_finding = false;
    for (const finding_record& nc : tracker.findings) {
        if (nc.kind != "nonconformity" || nc.source != "Management review") continue;
        if (!any_finding)
            doc.paragraph("Nonconformities and improvements raised by reviews, and their actions:");
        any_finding = true;
        doc.item(ticket_ref(nc.id) + " " + typed(nc.subject) + (nc.closed ? " (closed)" : " (open)"));
        for (const finding_record& action : tracker.findings)
            if (action.nonconformity == nc.id)
                doc.item(ticket_ref(action.id) + " " + typed(action.subject) +
                             progress(action.closed, action.closed_on, action.due),
                         2);
    }
    if (reviews.empty() && !any_finding)
        doc.item("No decision of an earlier review is recorded (write them on the review ticket under "
                 "\"Review decisions\", one per line as \"owner: what to do (due YYYY-MM-DD)\").");

    doc.heading(2, "b) and c) Changes in external and internal issues, and in interested parties' needs");
    bool any_change = false;
    std::size_t unassessed = 0;
    for (const change_record& c : tracker.changes) {
        if (!c.closed && !c.assessment) ++unassessed;
        if (!c.assessment || !c.affects || (period && c.assessment->assessed_on < period->from)) continue;
        any_change = true;
        doc.item(ticket_ref(c.id) + " " + typed(c.subject) + ": affects the ISMS (assessed " +
                 format_iso_date(c.assessment->assessed_on) + " by " + typed(c.assessment->by) + ")");
        // Why, in the questionnaire's words: the issues and the interested parties' needs that changed.
        diagnostics ignored;
        if (const auto why = assess_change(config.changes, c.assessment->answers,
                                           {c.id, c.assessment->assessed_on, c.go_live}, ignored))
            for (const std::string& reason : why->affecting)
                doc.item(typed(reason), 2);
    }
    if (!any_change) doc.item("No change assessed in this period affects the ISMS.");
    if (unassessed) doc.item(plural(unassessed, "open change is", "open changes are") + " not assessed yet.");

    doc.heading(2, "d) Information security performance");
    doc.heading(3, "Nonconformities and corrective actions");
    // Open and closed, by kind: nonconformities, their corrective actions, the verifications of those.
    for (const auto& [kind, title] :
         {std::pair{"nonconformity", "Nonconformities"}, std::pair{"corrective_action", "Corrective actions"},
          std::pair{"verification", "Verifications of effectiveness"}}) {
        std::size_t open = 0, closed = 0;
        for (const finding_record& f : tracker.findings)
            if (f.kind == kind) (f.closed ? closed : open) += 1;
        doc.item(std::string(title) + ": " + std::to_string(open) + " open, " + std::to_string(closed) +
                 " closed.");
    }
    doc.heading(3, "Monitoring and measurement results");
    std::vector<std::vector<text_line>> rows{{"KPI", "this period", "previous periods"}};
    for (const kpi& k : kpis) {
        if (k.periods.empty()) continue;
        std::string previous;
        for (std::size_t i = 0; i + 1 < k.periods.size(); ++i)
            previous += (previous.empty() ? "" : "; ") + std::string(audit_key(k.periods[i].audit)) + ": " +
                        format_kpi_value(k, k.periods[i]);
        rows.push_back({typed(k.title), typed(format_kpi_value(k, k.periods.back())),
                        typed(previous.empty() ? "none" : previous)});
    }
    doc.table(std::move(rows));
    doc.heading(3, "Evidence that expires");
    const std::vector<expiring_evidence>& expiring = report.expiring;
    if (expiring.empty()) {
        doc.paragraph(emphasis("No completion recorded a day its evidence is valid until."));
    } else {
        std::vector<std::vector<text_line>> dated{{"activity", "evidence", "ticket"}};
        for (const expiring_evidence& e : expiring)
            dated.push_back(
                {typed(e.title), typed(expiry_words(e)), e.ticket_id ? ticket_ref(e.ticket_id) : typed("")});
        doc.table(std::move(dated));
    }
    doc.heading(3, "Audit results");
    w.occurrences({"9.2"});
    for (const auto& [kind, audit] :
         {std::pair{audit_kind::surveillance_1, &config.certification.surveillance_1},
          std::pair{audit_kind::surveillance_2, &config.certification.surveillance_2},
          std::pair{audit_kind::recertification, &config.certification.recertification}})
        if (*audit && (*audit)->status == audit_status::held)
            doc.item(std::string(audit_title(kind)) + " held on " + format_iso_date((*audit)->date));
    doc.heading(3, "Fulfilment of information security objectives");
    const std::vector<objective_status> objectives = evaluate_objectives(config, kpis);
    if (objectives.empty()) {
        doc.paragraph(emphasis("No objectives with targets in the configuration (/metrics/objectives)."));
    } else {
        std::vector<std::vector<text_line>> goals{
            {"objective", "measured by", "target", "this period", "result", "previous periods"}};
        for (const objective_status& o : objectives) {
            if (o.met.empty()) continue;
            std::string previous;
            for (std::size_t i = 0; i + 1 < o.met.size(); ++i)
                previous += (previous.empty() ? "" : "; ") +
                            std::string(audit_key(o.measure->periods[i].audit)) + ": " +
                            std::string(objective_word(o.met[i]));
            goals.push_back({typed(o.goal->objective), typed(o.measure->title), typed(o.target),
                             typed(format_kpi_value(*o.measure, o.measure->periods.back())),
                             typed(std::string(objective_word(o.met.back()))),
                             typed(previous.empty() ? "none" : previous)});
        }
        doc.table(std::move(goals));
    }
    w.occurrences({"6.2", "9.1"});

    doc.heading(2, "e) Feedback from interested parties");
    doc.paragraph(emphasis(
        "To fill in: complaints, customer questionnaires, regulator and certification body feedback."));

    doc.heading(2, "f) Results of risk assessment and status of the risk treatment plan");
    w.occurrences({"6.1.2", "8.2", "8.3"});
    std::size_t risk_follow_ups = 0;
    for (const follow_up_record& f : tracker.follow_ups)
        if (!f.closed && f.key.find(":risk-assessment") != std::string::npos) ++risk_follow_ups;
    if (risk_follow_ups)
        doc.item(plural(risk_follow_ups, "risk assessment update", "risk assessment updates") +
                 " called for by changes still open.");

    doc.heading(2, "g) Opportunities for continual improvement");
    std::size_t improvements = 0;
    if (report.next_audit) {
        // Readiness for the next audit, then what to fix first (the first ten), in the order to act on them.
        const readiness& r = *report.next_audit;
        doc.item("Readiness for the " + std::string(audit_title(r.audit)) + " on " + format_iso_date(r.date) +
                 ": " + format_readiness(r) + ".");
        const auto& fix_first = r.fix_first;
        for (std::size_t i = 0; i < fix_first.size() && i < 10; ++i, ++improvements)
            doc.item(typed(fix_first[i].what) +
                     (fix_first[i].ticket_id ? " (" + ticket_ref(fix_first[i].ticket_id) + ")" : ""));
        if (fix_first.size() > 10)
            doc.item(plural(fix_first.size() - 10, "more item lowers", "more items lower") + " it.");
    }
    if (period)
        for (const cadence_flag& f : period->flags) {
            ++improvements;
            doc.item("Cadence of " + typed(activity_title(config, f.activity)) + ": " + typed(f.message));
        }
    if (!improvements) doc.item("Nothing stands out in the tracker.");

    doc.heading(2, "Decisions and actions");
    doc.paragraph(
        emphasis("Write each decision on the review ticket, in the field \"Review decisions\", one per line "
                 "as \"owner: what to do (due YYYY-MM-DD)\": Upkeep's sync makes a ticket of each, and "
                 "the next pack lists their status."));
    return std::move(w.doc);
}

} // namespace upkeep
