#pragma once
// The frameworks beside ISO/IEC 27001 that a configuration may follow (its "frameworks"), each a catalogue
// of requirement ids with short titles in Upkeep's own words: SOC 2's Trust Services Criteria, NIS2's
// Article 21(2), DORA's ICT risk management articles and ISO 22301's clauses. An activity references a
// requirement as "<framework>:<id>" ("soc2:CC6.1", "nis2:21(2)(d)", "dora:Art.12", "iso22301:8.4");
// coverage shows each requirement with the activities that address it, and a configuration narrowed to
// one framework gives that framework's status, register and calendar.

#include "upkeep/isms_config.hpp"
#include "upkeep/tracker_snapshot.hpp"

#include <nlohmann/json_fwd.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace upkeep {

struct framework_requirement {
    std::string_view id;    // as the framework numbers it: "CC6.1", "21(2)(d)", "Art.12", "8.4"
    std::string_view title; // in Upkeep's own words
};

struct framework {
    std::string_view key;  // "soc2", "nis2", "dora", "iso22301": the prefix of its references
    std::string_view name; // "SOC 2 Trust Services Criteria"
    std::span<const framework_requirement> requirements;
};

/// Every framework Upkeep knows, in a fixed order.
std::span<const framework> frameworks();

/// The framework of that key; null when Upkeep knows none so.
const framework* find_framework(std::string_view key);

/// The activities that reference one of the framework's requirements.
bool references_framework(const activity& a, const framework& f);

/// The configuration narrowed to the activities that reference the framework (the status, the evidence
/// register and the calendar of that framework).
isms_configuration narrowed_to(const isms_configuration& config, const framework& f);

/// The tracker's reading with the control tasks of the narrowed configuration's activities alone, so that
/// the other activities' tickets are left out of a framework's figures rather than counted as tickets the
/// configuration no longer schedules. Changes, findings and the rest are the project's, and stay.
tracker_snapshot tasks_of(const tracker_snapshot& tracker, const isms_configuration& narrowed);

/// One requirement of a framework with the activities whose references name it (none: nothing addresses it).
struct requirement_coverage {
    std::string id;
    std::string title;
    std::vector<std::string> activities; // ids, in the configuration's order
};

/// The framework's requirements, each with the activities that address it.
std::vector<requirement_coverage> coverage(const isms_configuration& config, const framework& f);

/// `{"framework", "name", "requirements": [{"id", "title", "activities"}], "addressed", "total"}`.
nlohmann::json coverage_to_json(const framework& f, const std::vector<requirement_coverage>& rows);

} // namespace upkeep
