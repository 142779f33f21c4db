#pragma once
// Completing a control task: what the person gives (the work date, files, links, a note, for training the
// people counts), checked before anything is written, and the journal note that records it.

#include "upkeep/dates.hpp"
#include "upkeep/diagnostics.hpp"
#include "upkeep/isms_config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace upkeep {

struct completion {
    day_point done_on;                    // the day the work was done: it decides the audit period
    std::vector<std::string> file_names;  // the files attached with it
    std::vector<std::string> links;       // links to the evidence
    std::string note;                     // what was done
    std::optional<int> people_in_scope;   // training: how many had to complete it
    std::optional<int> people_completed;  // training: how many did
    std::optional<day_point> valid_until; // the last day the evidence is valid (a certificate, a report)
    bool without_evidence() const { return file_names.empty() && links.empty(); }
};

/// Problems with a completion, each at its field ("/done_on", "/people_completed", ...): a work date after
/// today, no evidence unless closing without it was chosen, training counts missing or inconsistent, a
/// "valid until" date not after the work date or given without evidence.
diagnostics check_completion(const completion& c, day_point today, bool training,
                             bool close_without_evidence);

/// The journal note that records the completion, the audit trail: "Completed with evidence. Work done on
/// 2027-03-30." then how long the evidence is valid, the people, the files, the links and the note.
std::string completion_note(const completion& c);

/// An occurrence found by its control task's key: its activity and due date; none when the key is not an
/// occurrence of the configuration (it may have changed). A renewal's ticket (its state says renewal=1)
/// is one of its activity on any date: the status and the sync tell renewals from the tickets.
struct occurrence_ref {
    const activity* what = nullptr;
    day_point due;
    bool renewal = false;
};
std::optional<occurrence_ref> find_occurrence(const isms_configuration& config, std::string_view key,
                                              bool renewal = false);

/// Whether the activity is one of the configuration's training activities (/metrics/training_activities).
bool is_training(const isms_configuration& config, const activity& a);

} // namespace upkeep
