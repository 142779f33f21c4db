#include "upkeep/completion.hpp"

#include "upkeep/ticket_key.hpp"

#include <algorithm>

namespace upkeep {

diagnostics check_completion(const completion& c, day_point today, bool training,
                             bool close_without_evidence) {
    diagnostics out;
    if (c.done_on > today)
        out.push_back({severity::error, "/done_on", "give the date the work was done (today or earlier)"});
    if (c.without_evidence() && !close_without_evidence)
        out.push_back(
            {severity::error, "/files", "attach a file or a link, or choose to close without evidence"});
    if (c.valid_until && *c.valid_until <= c.done_on)
        out.push_back({severity::error, "/valid_until",
                       "give the last day the evidence is valid, after the day the work was done"});
    if (c.valid_until && c.without_evidence())
        out.push_back({severity::error, "/valid_until",
                       "a \"valid until\" date is the evidence's: attach the file or link it belongs to"});
    if (training && (!c.people_in_scope || !c.people_completed || *c.people_in_scope < 0 ||
                     *c.people_completed < 0 || *c.people_completed > *c.people_in_scope))
        out.push_back(
            {severity::error, "/people_completed",
             "give how many people were in scope and how many completed the training (no more than in "
             "scope)"});
    return out;
}

std::string completion_note(const completion& c) {
    std::vector<std::string> parts;
    parts.push_back(
        std::string(c.without_evidence() ? "Completed WITHOUT evidence." : "Completed with evidence.") +
        " Work done on " + format_iso_date(c.done_on) + ".");
    if (c.valid_until)
        parts.push_back("The evidence is valid until " + format_iso_date(*c.valid_until) + ".");
    if (c.people_in_scope && c.people_completed)
        parts.push_back("Training completed by " + std::to_string(*c.people_completed) + " of " +
                        std::to_string(*c.people_in_scope) + " people in scope.");
    if (!c.file_names.empty()) {
        std::string files = "Files: ";
        for (std::size_t i = 0; i < c.file_names.size(); ++i)
            files += (i ? ", " : "") + c.file_names[i];
        parts.push_back(files);
    }
    if (!c.links.empty()) {
        std::string links = "Links:";
        for (const std::string& link : c.links)
            links += "\n* " + link;
        parts.push_back(links);
    }
    if (!c.note.empty()) parts.push_back(c.note);
    std::string out;
    for (const std::string& part : parts)
        out += (out.empty() ? "" : "\n\n") + part;
    return out;
}

std::optional<occurrence_ref> find_occurrence(const isms_configuration& config, std::string_view key,
                                              bool renewal) {
    const ticket_key parsed = ticket_key::parse(key);
    if (parsed.kind != ticket_key_kind::control) return std::nullopt;
    for (const activity& a : config.activities)
        if (a.id == parsed.activity && (renewal || after(a.cadence.dates, parsed.due, true) == parsed.due))
            return occurrence_ref{&a, parsed.due, renewal};
    return std::nullopt;
}

bool is_training(const isms_configuration& config, const activity& a) {
    const auto& training = config.metrics.training_activities;
    return std::find(training.begin(), training.end(), a.id) != training.end();
}

} // namespace upkeep
