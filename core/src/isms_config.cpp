#include "upkeep/isms_config.hpp"

#include "json_reader.hpp"
#include "soa_section.hpp"
#include "upkeep/json_parse.hpp"

#include "upkeep/certification_cycle.hpp"
#include "upkeep/frameworks.hpp"
#include "upkeep/kpi_catalog.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

namespace upkeep {
namespace {

using json = nlohmann::json;
using detail::object_reader;
using detail::type_name;

bool is_activity_id(std::string_view id) {
    if (id.empty() || id.size() > 63) return false;
    const auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; };
    return std::all_of(id.begin(), id.end(), ok) && id.front() != '-';
}

void read_audits(object_reader& certification, certification_info& out, diagnostics& problems) {
    const json* audits = certification.object("audits", false);
    if (!audits) return;
    object_reader reader(*audits, certification.at("audits"), problems);
    const std::array<std::pair<audit_kind, std::optional<audit_date>*>, 3> slots{{
        {audit_kind::surveillance_1, &out.surveillance_1},
        {audit_kind::surveillance_2, &out.surveillance_2},
        {audit_kind::recertification, &out.recertification},
    }};
    for (const auto& [kind, slot] : slots) {
        const std::string key(audit_key(kind));
        const json* audit = reader.object(key, false);
        if (!audit) continue;
        object_reader fields(*audit, reader.at(key), problems);
        const auto day = fields.date("date", true);
        audit_status status = audit_status::planned;
        if (const auto s = fields.text("status", false)) {
            if (*s == "held")
                status = audit_status::held;
            else if (*s != "planned")
                fields.error(fields.at("status"), "\"" + *s + "\" is not a status: use planned or held");
        }
        fields.finish();
        if (day) *slot = audit_date{*day, status};
    }
    reader.finish();
}

void read_certification(object_reader& root, certification_info& out, diagnostics& problems) {
    const json* object = root.object("certification", true);
    if (!object) return;
    object_reader reader(*object, "/certification", problems);
    if (auto s = reader.text("standard", false)) out.standard = *s;
    if (auto s = reader.text("certificate_id", false)) out.certificate_id = *s;
    if (auto s = reader.text("certification_body", false)) out.certification_body = *s;
    if (auto d = reader.date("decision_date", true)) out.decision_date = *d;
    read_audits(reader, out, problems);
    reader.finish();
}

void read_cadence(object_reader& activity_reader, activity& out, diagnostics& problems) {
    const json* object = activity_reader.object("cadence", true);
    if (!object) return;
    const std::string pointer = activity_reader.at("cadence");
    object_reader reader(*object, pointer, problems);
    const auto rule_text = reader.text("rrule", true);
    const auto start = reader.date("start", true);
    out.cadence.dates.exdates = reader.dates("exdates");
    out.cadence.dates.rdates = reader.dates("rdates");
    reader.finish();
    if (!rule_text) return;
    out.cadence.rrule_text = *rule_text;
    const rrule_parse_result parsed = parse_rrule(*rule_text);
    for (const rule_error& e : parsed.errors)
        problems.push_back({severity::error, pointer + "/rrule", e.message});
    if (!parsed.rule || !start) return;
    out.cadence.dates.rule = *parsed.rule;
    out.cadence.dates.dtstart = *start;
    if (all(out.cadence.dates, 1).empty())
        problems.push_back(
            {severity::error, pointer,
             "the cadence never produces a due date from " + format_iso_date(*start) +
                 ": check that its BYxxx parts can match a real date (and UNTIL is after the start)"});
}

// "soc2, nis2, dora, iso22301": the frameworks Upkeep knows.
std::string framework_keys() {
    std::string keys;
    for (const framework& f : frameworks())
        keys += (keys.empty() ? "" : ", ") + std::string(f.key);
    return keys;
}

// A requirement of another framework, "soc2:CC6.1": "" when it names one of the frameworks `followed`
// lists, else what is wrong.
std::string framework_reference_problem(const std::string& reference,
                                        const std::vector<std::string>& followed) {
    const std::size_t colon = reference.find(':');
    const std::string key = reference.substr(0, colon);
    const framework* f = find_framework(key);
    if (!f) return "\"" + key + "\" is not a framework Upkeep knows (" + framework_keys() + ")";
    if (std::find(followed.begin(), followed.end(), key) == followed.end())
        return "names " + std::string(f->name) + ", which /frameworks does not list: add \"" + key +
               "\" there";
    const std::string_view id = std::string_view(reference).substr(colon + 1);
    if (std::none_of(f->requirements.begin(), f->requirements.end(),
                     [&](const framework_requirement& r) { return r.id == id; }))
        return "\"" + std::string(id) + "\" is not a requirement of " + std::string(f->name) + " (" +
               std::string(f->requirements.front().id) + " to " + std::string(f->requirements.back().id) +
               ")";
    return "";
}

void read_references(object_reader& reader, std::vector<std::string>& out,
                     const std::vector<std::string>& followed, bool required = true) {
    const json* refs =
        reader.field("references", json::value_t::array, required,
                     "a list of ISO 27001:2022 clauses and Annex A controls, such as [\"A.5.18\"], "
                     "and requirements of the frameworks followed, such as \"soc2:CC6.1\"");
    if (!refs) return;
    out.clear();
    for (std::size_t i = 0; i < refs->size(); ++i) {
        const json& ref = (*refs)[i];
        const std::string at = reader.at("references") + "/" + std::to_string(i);
        if (!ref.is_string()) {
            reader.error(at, "expected a string such as \"9.2\" or \"A.5.18\", found " +
                                 std::string(type_name(ref)));
        } else if (ref.get<std::string>().find(':') != std::string::npos) {
            if (const std::string problem = framework_reference_problem(ref.get<std::string>(), followed);
                !problem.empty())
                reader.error(at, problem);
            else
                out.push_back(ref.get<std::string>());
        } else if (!is_known_reference(ref.get<std::string>())) {
            reader.error(at,
                         "\"" + ref.get<std::string>() +
                             "\" is not an ISO 27001:2022 clause (4.1 to 10.2) or Annex A control (A.5.1 to "
                             "A.8.34)");
        } else {
            out.push_back(ref.get<std::string>());
        }
    }
}

// /frameworks: the frameworks beside ISO 27001 the configuration follows (frameworks.hpp).
void read_frameworks(object_reader& root, std::vector<std::string>& out) {
    const json* list = root.field("frameworks", json::value_t::array, false,
                                  "a list of frameworks, such as [\"soc2\", \"nis2\"]");
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& key = (*list)[i];
        const std::string at = root.at("frameworks") + "/" + std::to_string(i);
        if (!key.is_string() || !find_framework(key.get<std::string>())) {
            root.error(at, key.dump() + " is not a framework Upkeep knows: use " + framework_keys());
        } else if (std::find(out.begin(), out.end(), key.get<std::string>()) != out.end()) {
            root.error(at, key.dump() + " is listed twice");
        } else {
            out.push_back(key.get<std::string>());
        }
    }
}

void read_owner(object_reader& reader, std::string& out) {
    const auto owner = reader.text("owner", true);
    if (!owner) return;
    if (!is_owner(*owner))
        reader.error(reader.at("owner"), "\"" + *owner +
                                             "\" is not a tracker login or group: write a login such as "
                                             "\"alice\" or \"group:Security team\"");
    out = *owner;
}

std::optional<std::string> read_id(object_reader& reader, std::string_view example) {
    auto id = reader.text("id", true);
    if (id && !is_activity_id(*id))
        reader.error(reader.at("id"), "\"" + *id +
                                          "\" is not a valid id: use 1-63 lowercase letters, digits and "
                                          "dashes, such as \"" +
                                          std::string(example) + "\"");
    return id;
}

// A ticket subject: 1-200 characters.
void read_title(object_reader& reader, std::string& out) {
    const auto s = reader.text("title", true, false);
    if (!s) return;
    const auto characters = static_cast<std::size_t>(std::count_if(s->begin(), s->end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    })); // UTF-8
    if (characters > 200)
        reader.error(reader.at("title"),
                     "is " + std::to_string(characters) +
                         " characters long: keep it within 200 (ticket subjects are limited)");
    out = *s;
}

// Reads a list of objects with unique ids, one read_item(value, pointer) per object.
template <typename Item, typename ReadItem>
std::vector<Item> read_id_list(object_reader& parent, std::string_view key, bool required,
                               std::string_view list_of, std::string_view item, diagnostics& problems,
                               ReadItem read_item) {
    std::vector<Item> out;
    const json* list = parent.field(key, json::value_t::array, required, "a list of " + std::string(list_of));
    if (!list) return out;
    std::map<std::string, std::size_t> first_use;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string pointer = parent.at(key) + "/" + std::to_string(i);
        const json& value = (*list)[i];
        if (!value.is_object()) {
            problems.push_back(
                {severity::error, pointer,
                 "expected " + std::string(item) + ", found " + std::string(type_name(value))});
            continue;
        }
        Item item = read_item(value, pointer);
        if (!item.id.empty()) {
            const auto [it, inserted] = first_use.emplace(item.id, i);
            if (!inserted)
                problems.push_back({severity::error, pointer + "/id",
                                    "\"" + item.id + "\" is already the id of " + parent.at(key) + "/" +
                                        std::to_string(it->second) + ": ids must be unique"});
        }
        out.push_back(std::move(item));
    }
    return out;
}

change_question read_question(const json& value, const std::string& pointer, diagnostics& problems) {
    change_question q;
    object_reader reader(value, pointer, problems);
    if (auto id = read_id(reader, "new-supplier")) q.id = *id;
    if (auto s = reader.text("text", true, false)) q.text = *s;
    if (auto s = reader.text("help", false)) q.help = *s;
    q.choices = read_id_list<change_choice>(
        reader, "choices", false, "answers {id, label, affects}", "an answer object", problems,
        [&](const json& item, const std::string& at) {
            change_choice c;
            object_reader choice(item, at, problems);
            if (auto id = read_id(choice, "personal-data")) c.id = *id;
            if (auto s = choice.text("label", true, false)) c.label = *s;
            if (const json* affects = choice.field("affects", json::value_t::boolean, false, "true or false"))
                c.affects = affects->get<bool>();
            choice.finish();
            return c;
        });
    if (value.contains("choices") && value["choices"].is_array() && value["choices"].size() < 2)
        reader.error(reader.at("choices"),
                     "offers fewer than 2 answers: leave choices out for a yes/no question");
    reader.finish();
    return q;
}

follow_up_rule read_follow_up(const json& value, const std::string& pointer,
                              const std::vector<std::string>& followed, diagnostics& problems) {
    follow_up_rule rule;
    object_reader reader(value, pointer, problems);
    if (auto id = read_id(reader, "risk-assessment")) rule.id = *id;
    read_title(reader, rule.title);
    read_references(reader, rule.references, followed);
    read_owner(reader, rule.owner);
    if (const json* when = reader.field("when", json::value_t::array, true,
                                        "a list of answers such as [\"new-supplier\", \"data=personal\"]")) {
        for (std::size_t i = 0; i < when->size(); ++i) {
            if ((*when)[i].is_string())
                rule.when.push_back((*when)[i].get<std::string>());
            else
                reader.error(reader.at("when") + "/" + std::to_string(i),
                             "expected \"question\" or \"question=choice\", found " +
                                 std::string(type_name((*when)[i])));
        }
        if (when->empty())
            reader.error(reader.at("when"), "is empty: name the answers that call for this follow-up");
    }
    if (const json* due = reader.object("due", false)) {
        object_reader due_reader(*due, reader.at("due"), problems);
        rule.due.before_go_live = due_reader.integer("before_go_live", false, 0, 366);
        if (auto n = due_reader.integer("after_assessment", false, 0, 366)) rule.due.after_assessment = *n;
        due_reader.finish();
    }
    if (auto s = reader.text("instructions", false)) rule.instructions = *s;
    rule.supplier = reader.boolean("supplier", false).value_or(false);
    reader.finish();
    return rule;
}

// Every rule's answers must be answers the questions offer.
void check_rules(const change_policy& policy, diagnostics& problems) {
    std::map<std::string, const change_question*> questions;
    for (const change_question& q : policy.questions)
        questions.emplace(q.id, &q);
    std::set<std::string> called_for;
    for (std::size_t r = 0; r < policy.follow_ups.size(); ++r) {
        const auto& when = policy.follow_ups[r].when;
        for (std::size_t i = 0; i < when.size(); ++i) {
            const std::string pointer =
                "/changes/follow_ups/" + std::to_string(r) + "/when/" + std::to_string(i);
            const std::size_t eq = when[i].find('=');
            const std::string qid = when[i].substr(0, eq);
            const std::string answer = eq == std::string::npos ? "yes" : when[i].substr(eq + 1);
            const auto q = questions.find(qid);
            if (q == questions.end()) {
                problems.push_back({severity::error, pointer,
                                    "\"" + qid + "\" is not the id of a question in /changes/questions"});
                continue;
            }
            const auto& choices = q->second->choices;
            if (choices.empty() ? answer != "yes"
                                : std::none_of(choices.begin(), choices.end(),
                                               [&](const change_choice& c) { return c.id == answer; })) {
                std::string offered = choices.empty() ? " yes" : "";
                for (const change_choice& c : choices)
                    offered += " " + c.id;
                problems.push_back({severity::error, pointer,
                                    "question \"" + qid + "\" has no answer \"" + answer +
                                        "\" (it offers:" + offered + ")" +
                                        (choices.empty() ? ": write \"" + qid + "\" for yes" : "")});
                continue;
            }
            called_for.insert(qid + "=" + answer);
        }
    }
    for (std::size_t i = 0; i < policy.questions.size(); ++i) {
        const change_question& q = policy.questions[i];
        const bool any = q.choices.empty()
                             ? called_for.count(q.id + "=yes") != 0
                             : std::any_of(q.choices.begin(), q.choices.end(), [&](const change_choice& c) {
                                   return called_for.count(q.id + "=" + c.id) != 0;
                               });
        if (!any && !policy.follow_ups.empty())
            problems.push_back({severity::warning, "/changes/questions/" + std::to_string(i),
                                "no follow-up rule uses question \"" + q.id +
                                    "\": its answer is recorded but asks for no follow-up"});
    }
}

// A setting format 2 spells in the core's words: read under its format 1 name in a format 1 file (with a
// warning naming the new spelling), refused under it in a format 2 file.
std::string_view setting(object_reader& reader, int version, std::string_view name,
                         std::string_view format_1_name, diagnostics& problems) {
    if (!reader.has(format_1_name)) return name;
    if (version >= 2) {
        reader.known(format_1_name);
        reader.error(reader.at(format_1_name),
                     "is the format 1 spelling: format 2 calls it \"" + std::string(name) + "\"");
        return name;
    }
    problems.push_back({severity::warning, reader.at(format_1_name),
                        "the format 1 spelling: write \"" + std::string(name) +
                            "\" (and \"version\": 2); `upkeep init` writes format 2"});
    return format_1_name;
}

void read_changes(object_reader& root, int version, const std::vector<std::string>& followed,
                  change_policy& out, diagnostics& problems) {
    const json* changes = root.object("changes", false);
    if (!changes) return;
    object_reader reader(*changes, "/changes", problems);
    const std::string_view key = setting(reader, version, "ticket_types", "trackers", problems);
    if (const json* types = reader.field(key, json::value_t::array, false, "a list of ticket types")) {
        out.ticket_types.clear();
        for (std::size_t i = 0; i < types->size(); ++i) {
            const json& name = (*types)[i];
            if (name.is_string() && !name.get<std::string>().empty())
                out.ticket_types.push_back(name.get<std::string>());
            else
                reader.error(
                    reader.at(key) + "/" + std::to_string(i),
                    "expected the name of a ticket type (a tracker, an issue type) such as \"Change\"");
        }
        if (types->empty())
            reader.error(reader.at(key), "is empty: name the ticket types whose tickets are changes");
    }
    out.questions = read_id_list<change_question>(
        reader, "questions", true, "questions {id, text, help, choices}", "a question object", problems,
        [&](const json& v, const std::string& at) { return read_question(v, at, problems); });
    out.follow_ups = read_id_list<follow_up_rule>(
        reader, "follow_ups", false, "follow-ups {id, title, references, owner, when, due}",
        "a follow-up object", problems,
        [&](const json& v, const std::string& at) { return read_follow_up(v, at, followed, problems); });
    if (const json* block =
            reader.field("follow_ups_block_closing", json::value_t::boolean, false, "true or false"))
        out.follow_ups_block_closing = block->get<bool>();
    reader.finish();
    if (!has_errors(problems)) check_rules(out, problems);
}

// One of /metrics/objectives: the objective, the KPI that measures it, and one target (at_least or at_most).
void read_objective(const json& value, const std::string& pointer, metrics_policy& out,
                    diagnostics& problems) {
    if (!value.is_object()) {
        problems.push_back({severity::error, pointer,
                            "expected an objective: {\"objective\", \"kpi\", \"at_least\" or \"at_most\"}"});
        return;
    }
    object_reader reader(value, pointer, problems);
    kpi_objective goal;
    if (auto text = reader.text("objective", true, false)) goal.objective = *text;
    const kpi_kind* kind = nullptr;
    if (auto id = reader.text("kpi", true, false)) {
        for (const kpi_kind& k : kpi_catalog)
            if (k.id == *id) kind = &k;
        if (kind) {
            goal.kpi = *id;
        } else {
            std::string ids;
            for (const kpi_kind& k : kpi_catalog)
                ids += (ids.empty() ? "" : ", ") + std::string(k.id);
            reader.error(reader.at("kpi"), "expected one of Upkeep's KPIs: " + ids);
        }
    }
    const int most = kind && kind->unit == "share" ? 100 : 100000;
    const auto at_least = reader.integer("at_least", false, 0, most);
    const auto at_most = reader.integer("at_most", false, 0, most);
    if (reader.has("at_least") == reader.has("at_most"))
        reader.error(pointer,
                     "expected one target: \"at_least\" or \"at_most\" (in percent for a share, else "
                     "in the KPI's unit)");
    goal.at_least = !reader.has("at_most");
    goal.target = at_least.value_or(at_most.value_or(0));
    reader.finish();
    out.objectives.push_back(std::move(goal));
}

void read_metrics(object_reader& root, isms_configuration& config, diagnostics& problems) {
    const json* metrics = root.object("metrics", false);
    if (!metrics) return;
    object_reader reader(*metrics, "/metrics", problems);
    metrics_policy& out = config.metrics;
    if (const json* incidents = reader.object("incidents", false)) {
        object_reader fields(*incidents, reader.at("incidents"), problems);
        const std::string_view type = setting(fields, config.version, "ticket_type", "tracker", problems);
        for (const auto& [key, slot] : {std::pair{type, &out.incident_ticket_type},
                                        std::pair{std::string_view("severity_field"), &out.severity_field},
                                        std::pair{std::string_view("occurred_field"), &out.occurred_field},
                                        std::pair{std::string_view("detected_field"), &out.detected_field},
                                        std::pair{std::string_view("resolved_field"), &out.resolved_field}})
            if (auto name = fields.text(key, false, false)) *slot = *name;
        fields.finish();
    }
    if (const json* list = reader.field("training_activities", json::value_t::array, false,
                                        "a list of activity ids, such as [\"awareness-training\"]")) {
        out.training_activities.clear();
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& id = (*list)[i];
            const bool known = id.is_string() &&
                               std::any_of(config.activities.begin(), config.activities.end(),
                                           [&](const activity& a) { return a.id == id.get<std::string>(); });
            if (known)
                out.training_activities.push_back(id.get<std::string>());
            else
                reader.error(reader.at("training_activities") + "/" + std::to_string(i),
                             "expected the id of one of /activities");
        }
    }
    if (const json* list =
            reader.field("objectives", json::value_t::array, false,
                         "a list of objectives, such as [{\"objective\": \"Operate every control "
                         "on schedule\", \"kpi\": \"controls-on-time\", \"at_least\": 95}]"))
        for (std::size_t i = 0; i < list->size(); ++i)
            read_objective((*list)[i], reader.at("objectives") + "/" + std::to_string(i), out, problems);
    reader.finish();
}

// /suppliers: the reviews' cadence per criticality and what every review asks and keeps.
void read_suppliers(object_reader& root, const std::vector<std::string>& followed, supplier_policy& out,
                    diagnostics& problems) {
    const json* suppliers = root.object("suppliers", false);
    if (!suppliers) return;
    object_reader reader(*suppliers, "/suppliers", problems);
    read_owner(reader, out.owner);
    if (auto lead = reader.integer("lead_time_days", false, 0, 366)) out.lead_time_days = *lead;
    read_references(reader, out.references, followed, false);
    if (auto text = reader.text("instructions", false)) out.instructions = *text;
    if (auto text = reader.text("evidence", true, false)) out.evidence = *text;
    if (const json* reviews = reader.object("reviews", true)) {
        object_reader by_criticality(*reviews, reader.at("reviews"), problems);
        for (const char* criticality : {"critical", "high", "normal"}) {
            const json* cadence = by_criticality.object(criticality, false);
            if (!cadence) continue;
            object_reader fields(*cadence, by_criticality.at(criticality), problems);
            supplier_review_cadence c{criticality};
            if (auto text = fields.text("rrule", true)) {
                const rrule_parse_result parsed = parse_rrule(*text);
                for (const rule_error& e : parsed.errors)
                    problems.push_back({severity::error, fields.at("rrule"), e.message});
                if (parsed.rule) c.rule = *parsed.rule, c.rrule_text = *text;
            }
            c.before_contract_end_days =
                fields.integer("before_contract_end_days", false, 0, 366).value_or(-1);
            fields.finish();
            if (!c.rrule_text.empty()) out.reviews.push_back(std::move(c));
        }
        by_criticality.finish();
    }
    reader.finish();
}

void read_activity(const json& value, const std::string& pointer, const std::vector<std::string>& followed,
                   activity& out, diagnostics& problems) {
    object_reader reader(value, pointer, problems);
    if (auto id = read_id(reader, "access-review")) out.id = *id;
    read_title(reader, out.title);
    read_references(reader, out.references, followed);
    read_owner(reader, out.owner);
    read_cadence(reader, out, problems);
    if (auto lead = reader.integer("lead_time_days", false, 0, 366)) out.lead_time_days = *lead;
    if (auto lead = reader.integer("renewal_lead_days", false, 0, 366)) out.renewal_lead_days = *lead;
    if (auto s = reader.text("instructions", false)) out.instructions = *s;
    if (auto s = reader.text("evidence", true, false)) out.evidence = *s;
    reader.finish();
}

void read_activities(object_reader& root, isms_configuration& config, diagnostics& problems) {
    config.activities =
        read_id_list<activity>(root, "activities", true, "activities", "an activity object", problems,
                               [&](const json& value, const std::string& pointer) {
                                   activity a;
                                   read_activity(value, pointer, config.frameworks, a, problems);
                                   return a;
                               });
}

std::string describe_parse_error(const std::string& what) {
    // nlohmann's text is "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    const std::size_t start = what.find("] ");
    return "the file is not valid JSON: " + (start == std::string::npos ? what : what.substr(start + 2));
}

// Annex A of ISO/IEC 27001:2022: themes 5 to 8 with 37, 8, 14 and 34 controls.
constexpr std::array<int, 4> controls_per_theme{37, 8, 14, 34};

bool is_number_path(std::string_view text, std::size_t min_parts, std::size_t max_parts) {
    std::size_t parts = 0;
    while (true) {
        const std::size_t dot = text.find('.');
        const std::string_view part = text.substr(0, dot);
        if (part.empty() || part.size() > 2 ||
            part.find_first_not_of("0123456789") != std::string_view::npos || part.front() == '0')
            return false;
        ++parts;
        if (dot == std::string_view::npos) break;
        text.remove_prefix(dot + 1);
    }
    return parts >= min_parts && parts <= max_parts;
}

} // namespace

bool is_owner(std::string_view owner) {
    if (owner.starts_with("group:"))
        return owner.size() > 6 && owner.find_first_not_of(' ', 6) != std::string_view::npos;
    const auto ok = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-' || c == '.' || c == '@';
    };
    return !owner.empty() && owner.size() <= 60 && std::all_of(owner.begin(), owner.end(), ok);
}

std::vector<std::string> annex_a_controls() {
    std::vector<std::string> ids;
    for (std::size_t theme = 0; theme < controls_per_theme.size(); ++theme)
        for (int control = 1; control <= controls_per_theme[theme]; ++control)
            ids.push_back("A." + std::to_string(theme + 5) + "." + std::to_string(control));
    return ids;
}

bool is_known_reference(std::string_view reference) {
    if (reference.starts_with("A.")) {
        const std::string_view rest = reference.substr(2);
        if (!is_number_path(rest, 2, 2)) return false;
        const std::size_t dot = rest.find('.');
        int theme = 0, control = 0;
        std::from_chars(rest.data(), rest.data() + dot, theme);
        std::from_chars(rest.data() + dot + 1, rest.data() + rest.size(), control);
        return theme >= 5 && theme <= 8 && control >= 1 &&
               control <= controls_per_theme[static_cast<std::size_t>(theme - 5)];
    }
    // Clauses 4 to 10 of ISO/IEC 27001:2022 (with the 2024 amendment's numbering unchanged).
    static constexpr std::array<std::string_view, 36> clauses{
        "4",     "4.1",   "4.2", "4.3", "4.4", "5",   "5.1", "5.2", "5.3",   "6",     "6.1",   "6.1.1",
        "6.1.2", "6.1.3", "6.2", "6.3", "7",   "7.1", "7.2", "7.3", "7.4",   "7.5",   "7.5.1", "7.5.2",
        "7.5.3", "8",     "8.1", "8.2", "8.3", "9",   "9.1", "9.2", "9.2.1", "9.2.2", "9.3",   "10"};
    static constexpr std::array<std::string_view, 6> more_clauses{"9.3.1", "9.3.2", "9.3.3",
                                                                  "10.1",  "10.2",  "10.2"};
    return std::find(clauses.begin(), clauses.end(), reference) != clauses.end() ||
           std::find(more_clauses.begin(), more_clauses.end(), reference) != more_clauses.end();
}

std::string activity_title(const isms_configuration& config, std::string_view id) {
    for (const activity& a : config.activities)
        if (a.id == id) return a.title;
    return std::string(id);
}

bool is_management_review(const activity& a) {
    return std::find(a.references.begin(), a.references.end(), "9.3") != a.references.end();
}

configuration_result parse_configuration(std::string_view json_text) {
    configuration_result result;
    diagnostics& problems = result.problems;
    json document;
    if (const std::string error = parse_json(json_text, document); !error.empty()) {
        problems.push_back({severity::error, "", describe_parse_error(error)});
        return result;
    }
    if (!document.is_object()) {
        problems.push_back({severity::error, "",
                            "expected a JSON object with version, organisation, certification "
                            "and activities, found " +
                                std::string(type_name(document))});
        return result;
    }
    object_reader root(document, "", problems);
    if (auto v = root.integer("version", true, 1, configuration_version)) result.config.version = *v;
    if (const json* org = root.object("organisation", true)) {
        object_reader reader(*org, "/organisation", problems);
        if (auto s = reader.text("name", true, false)) result.config.organisation.name = *s;
        if (auto s = reader.text("isms_scope", false)) result.config.organisation.isms_scope = *s;
        reader.finish();
    }
    read_certification(root, result.config.certification, problems);
    read_frameworks(root, result.config.frameworks);
    read_activities(root, result.config, problems);
    if (const json* nc = root.object("nonconformities", false)) {
        object_reader reader(*nc, "/nonconformities", problems);
        nonconformity_policy& policy = result.config.nonconformities;
        if (auto n = reader.integer("grace_days", false, 1, 366)) policy.grace_days = *n;
        if (auto n = reader.integer("verification_days", false, 1, 366)) policy.verification_days = *n;
        if (auto owner = reader.text("owner", false)) {
            if (!is_owner(*owner))
                reader.error(reader.at("owner"), "\"" + *owner + "\" is not a tracker login or group");
            policy.owner = *owner;
        }
        reader.finish();
    }
    if (const json* sync = root.object("sync", false)) {
        object_reader reader(*sync, "/sync", problems);
        // An account: a tracker login, or an account id ("557058:f58131cb-...", which may hold a colon).
        const auto is_account = [](const json& account) {
            return account.is_string() && !account.get<std::string>().empty() &&
                   account.get<std::string>().size() <= 128 &&
                   !account.get<std::string>().starts_with("group:") &&
                   account.get<std::string>().find_first_of(" \t\r\n") == std::string::npos;
        };
        if (const json* accounts = reader.field("accounts", json::value_t::array, false,
                                                "a list of tracker logins or account ids")) {
            for (std::size_t i = 0; i < accounts->size(); ++i) {
                const json& account = (*accounts)[i];
                if (!is_account(account))
                    reader.error(reader.at("accounts") + "/" + std::to_string(i),
                                 "expected a tracker login such as \"upkeep-bot\" or an account id");
                else
                    result.config.sync.accounts.push_back(account.get<std::string>());
            }
        }
        if (const json* owners = reader.field("owner_accounts", json::value_t::object, false,
                                              "an object of owners and their account ids")) {
            for (const auto& [owner, account] : owners->items()) {
                const std::string at = reader.at("owner_accounts") + "/" + escape_pointer_token(owner);
                if (!is_owner(owner))
                    reader.error(at, "\"" + owner + "\" is not an owner: write it as the activities do");
                else if (!is_account(account))
                    reader.error(at, "expected the owner's account id, such as \"5b10ac8d82e05b22cc7d4ef5\"");
                else
                    result.config.sync.owner_accounts[owner] = account.get<std::string>();
            }
        }
        reader.finish();
    }
    read_changes(root, result.config.version, result.config.frameworks, result.config.changes, problems);
    read_metrics(root, result.config, problems);
    read_suppliers(root, result.config.frameworks, result.config.suppliers, problems);
    if (const json* soa = root.field("soa", json::value_t::object, false,
                                     "the Statement of Applicability {version, controls, ...}"))
        detail::read_soa_section(*soa, result.config, problems);
    root.finish();
    if (!has_errors(problems)) {
        const certification_cycle cycle = compute_cycle(result.config.certification);
        problems.insert(problems.end(), cycle.warnings.begin(), cycle.warnings.end());
    }
    return result;
}

} // namespace upkeep
