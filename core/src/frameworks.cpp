// The frameworks' catalogues: requirement ids as each framework numbers them, and short titles in
// Upkeep's own words (never the frameworks' text). Sources of the numbering: the AICPA's 2017 Trust
// Services Criteria (revised points of focus, 2022); Directive (EU) 2022/2555 (NIS2), Article 21(2) points
// (a) to (j); Regulation (EU) 2022/2554 (DORA), Chapter II, Articles 5 to 16; ISO 22301:2019, clauses 4 to
// 10.

#include "upkeep/frameworks.hpp"

#include "upkeep/json_value.hpp"
#include "upkeep/ticket_key.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace upkeep {
namespace {

constexpr std::array<framework_requirement, 61> soc2{{
    {"CC1.1", "Integrity and ethical values"},
    {"CC1.2", "Board independence and oversight"},
    {"CC1.3", "Structures, reporting lines and authority"},
    {"CC1.4", "Competent people attracted, developed and kept"},
    {"CC1.5", "People held accountable for internal control"},
    {"CC2.1", "Quality information for internal control"},
    {"CC2.2", "Internal communication about internal control"},
    {"CC2.3", "Communication with external parties"},
    {"CC3.1", "Objectives clear enough to identify risks"},
    {"CC3.2", "Risks identified and analysed"},
    {"CC3.3", "Fraud risk considered"},
    {"CC3.4", "Changes that affect internal control identified"},
    {"CC4.1", "Controls evaluated, ongoing or separately"},
    {"CC4.2", "Deficiencies communicated and corrected"},
    {"CC5.1", "Control activities chosen to reduce risks"},
    {"CC5.2", "General controls over technology"},
    {"CC5.3", "Controls deployed through policies and procedures"},
    {"CC6.1", "Logical access security"},
    {"CC6.2", "Users registered and authorised before access"},
    {"CC6.3", "Access granted, changed and removed by role"},
    {"CC6.4", "Physical access restricted"},
    {"CC6.5", "Data protected when assets are disposed of"},
    {"CC6.6", "Protection against threats from outside the boundary"},
    {"CC6.7", "Data in transit restricted and protected"},
    {"CC6.8", "Unauthorised or malicious software prevented or detected"},
    {"CC7.1", "Configuration changes and vulnerabilities detected"},
    {"CC7.2", "System components monitored for anomalies"},
    {"CC7.3", "Security events evaluated"},
    {"CC7.4", "Security incidents responded to"},
    {"CC7.5", "Recovery from security incidents"},
    {"CC8.1", "Changes authorised, tested and approved"},
    {"CC9.1", "Risks of business disruption mitigated"},
    {"CC9.2", "Vendor and business partner risk managed"},
    {"A1.1", "Capacity planned and watched"},
    {"A1.2", "Environmental protection, backups and recovery infrastructure"},
    {"A1.3", "Recovery plans tested"},
    {"C1.1", "Confidential information identified and kept"},
    {"C1.2", "Confidential information disposed of"},
    {"PI1.1", "Processing specifications defined and communicated"},
    {"PI1.2", "System inputs complete and accurate"},
    {"PI1.3", "Processing complete, accurate and timely"},
    {"PI1.4", "Outputs complete, accurate and delivered as intended"},
    {"PI1.5", "Stored data complete and accurate"},
    {"P1.1", "Privacy notice"},
    {"P2.1", "Choice and consent"},
    {"P3.1", "Personal information collected for the stated purposes"},
    {"P3.2", "Explicit consent where needed"},
    {"P4.1", "Use limited to the stated purposes"},
    {"P4.2", "Retention"},
    {"P4.3", "Secure disposal"},
    {"P5.1", "Data subjects' access"},
    {"P5.2", "Correction at data subjects' request"},
    {"P6.1", "Disclosure to third parties with consent"},
    {"P6.2", "Record of authorised disclosures"},
    {"P6.3", "Record of unauthorised disclosures"},
    {"P6.4", "Privacy commitments of third parties"},
    {"P6.5", "Third parties report unauthorised disclosures"},
    {"P6.6", "Breaches notified to those affected"},
    {"P6.7", "Account of disclosures given to data subjects"},
    {"P7.1", "Personal information accurate and complete"},
    {"P8.1", "Privacy inquiries, complaints and disputes handled"},
}};

constexpr std::array<framework_requirement, 10> nis2{{
    {"21(2)(a)", "Risk analysis and information system security policies"},
    {"21(2)(b)", "Incident handling"},
    {"21(2)(c)", "Business continuity: backups, disaster recovery, crisis management"},
    {"21(2)(d)", "Supply chain security"},
    {"21(2)(e)", "Security in acquiring, developing and maintaining systems, vulnerability handling"},
    {"21(2)(f)", "Assessing whether the risk-management measures work"},
    {"21(2)(g)", "Basic cyber hygiene and security training"},
    {"21(2)(h)", "Cryptography and encryption"},
    {"21(2)(i)", "People security, access control and asset management"},
    {"21(2)(j)", "Multi-factor authentication and secured communications"},
}};

constexpr std::array<framework_requirement, 12> dora{{
    {"Art.5", "Governance: the management body answers for ICT risk"},
    {"Art.6", "ICT risk management framework"},
    {"Art.7", "ICT systems, protocols and tools fit for purpose"},
    {"Art.8", "Identifying ICT functions, assets and risks"},
    {"Art.9", "Protection and prevention"},
    {"Art.10", "Detecting anomalous activity"},
    {"Art.11", "Response and recovery"},
    {"Art.12", "Backups, restoration and recovery"},
    {"Art.13", "Learning from incidents and tests"},
    {"Art.14", "Communication plans"},
    {"Art.15", "Harmonised ICT risk management tools (technical standards)"},
    {"Art.16", "Simplified ICT risk management framework"},
}};

constexpr std::array<framework_requirement, 26> iso22301{{
    {"4.1", "The organisation and its context"},
    {"4.2", "Interested parties, legal and regulatory requirements"},
    {"4.3", "Scope of the business continuity management system"},
    {"4.4", "The business continuity management system"},
    {"5.1", "Leadership and commitment"},
    {"5.2", "Business continuity policy"},
    {"5.3", "Roles, responsibilities and authorities"},
    {"6.1", "Actions on risks and opportunities"},
    {"6.2", "Business continuity objectives and plans to reach them"},
    {"6.3", "Planning changes to the system"},
    {"7.1", "Resources"},
    {"7.2", "Competence"},
    {"7.3", "Awareness"},
    {"7.4", "Communication"},
    {"7.5", "Documented information"},
    {"8.1", "Operational planning and control"},
    {"8.2", "Business impact analysis and risk assessment"},
    {"8.3", "Continuity strategies and solutions"},
    {"8.4", "Continuity plans and procedures"},
    {"8.5", "Exercise programme"},
    {"8.6", "Evaluating continuity documentation and capabilities"},
    {"9.1", "Monitoring, measurement, analysis and evaluation"},
    {"9.2", "Internal audit"},
    {"9.3", "Management review"},
    {"10.1", "Nonconformity and corrective action"},
    {"10.2", "Continual improvement"},
}};

constexpr std::array<framework, 4> catalogue{{
    {"soc2", "SOC 2 Trust Services Criteria", soc2},
    {"nis2", "NIS2 Article 21(2)", nis2},
    {"dora", "DORA ICT risk management (Articles 5 to 16)", dora},
    {"iso22301", "ISO 22301:2019", iso22301},
}};

// "soc2:CC6.1" names a requirement of `f`.
bool names(const framework& f, std::string_view reference) {
    return reference.size() > f.key.size() && reference.starts_with(f.key) && reference[f.key.size()] == ':';
}

} // namespace

std::span<const framework> frameworks() {
    return catalogue;
}

const framework* find_framework(std::string_view key) {
    const auto it =
        std::find_if(catalogue.begin(), catalogue.end(), [&](const framework& f) { return f.key == key; });
    return it == catalogue.end() ? nullptr : &*it;
}

bool references_framework(const activity& a, const framework& f) {
    return std::any_of(a.references.begin(), a.references.end(),
                       [&](const std::string& r) { return names(f, r); });
}

isms_configuration narrowed_to(const isms_configuration& config, const framework& f) {
    isms_configuration narrowed = config;
    std::erase_if(narrowed.activities, [&](const activity& a) { return !references_framework(a, f); });
    return narrowed;
}

tracker_snapshot tasks_of(const tracker_snapshot& tracker, const isms_configuration& narrowed) {
    tracker_snapshot kept = tracker;
    std::erase_if(kept.tasks, [&](const task_record& t) {
        const std::string activity = ticket_key::parse(t.key).activity;
        return std::none_of(narrowed.activities.begin(), narrowed.activities.end(),
                            [&](const upkeep::activity& a) { return a.id == activity; });
    });
    return kept;
}

std::vector<requirement_coverage> coverage(const isms_configuration& config, const framework& f) {
    std::vector<requirement_coverage> rows;
    for (const framework_requirement& r : f.requirements) {
        requirement_coverage row{std::string(r.id), std::string(r.title), {}};
        const std::string reference = std::string(f.key) + ":" + std::string(r.id);
        for (const activity& a : config.activities)
            if (std::find(a.references.begin(), a.references.end(), reference) != a.references.end())
                row.activities.push_back(a.id);
        rows.push_back(std::move(row));
    }
    return rows;
}

nlohmann::json coverage_to_json(const framework& f, const std::vector<requirement_coverage>& rows) {
    nlohmann::json requirements = nlohmann::json::array();
    std::size_t addressed = 0;
    for (const requirement_coverage& row : rows) {
        addressed += !row.activities.empty();
        requirements.push_back(
            json_object({{"id", row.id}, {"title", row.title}, {"activities", row.activities}}));
    }
    return json_object({{"framework", f.key},
                        {"name", f.name},
                        {"requirements", std::move(requirements)},
                        {"addressed", addressed},
                        {"total", rows.size()}});
}

} // namespace upkeep
