#include "test_helpers.hpp"

#include <upkeep/change_impact.hpp>
#include <upkeep/isms_config.hpp>
#include <upkeep/tracker_snapshot.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace upkeep;
using upkeep::testing::d;

namespace {

using json = nlohmann::json;

// A small questionnaire: two yes/no questions and one with choices, three rules.
json changes_section() {
    return json::parse(R"({
      "ticket_types": ["Change"],
      "questions": [
        {"id": "new-supplier", "text": "New supplier?", "help": "Any new vendor."},
        {"id": "data", "text": "New data?", "choices": [
          {"id": "none", "label": "None", "affects": false},
          {"id": "confidential", "label": "Confidential"},
          {"id": "personal", "label": "Personal data"}]},
        {"id": "roles", "text": "Key person leaving?"}
      ],
      "follow_ups": [
        {"id": "risk-assessment", "title": "Update the risk assessment", "references": ["6.1.2", "8.2"],
         "owner": "ciso", "when": ["new-supplier", "data=confidential", "data=personal"],
         "due": {"before_go_live": 7, "after_assessment": 14}},
        {"id": "supplier-assessment", "title": "Assess the supplier", "references": ["A.5.19"],
         "owner": "purchasing", "when": ["new-supplier"], "due": {"before_go_live": 3}},
        {"id": "privacy-review", "title": "Privacy review", "references": ["A.5.34"], "owner": "legal",
         "when": ["data=personal"]}
      ]
    })");
}

json config_with(const json& changes) {
    json config = json::parse(upkeep::testing::starter_config());
    config["changes"] = changes;
    return config;
}

change_policy policy() {
    const auto result = parse_configuration(config_with(changes_section()).dump());
    REQUIRE_MESSAGE(!has_errors(result.problems),
                    (result.problems.empty() ? "" : result.problems.front().to_string()));
    return result.config.changes;
}

std::vector<std::string> problems_of(const json& changes) {
    std::vector<std::string> out;
    for (const diagnostic& p : parse_configuration(config_with(changes).dump()).problems)
        if (p.pointer.starts_with("/changes")) out.push_back(p.to_string());
    return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

struct outcome {
    bool affects;
    std::vector<std::string> follow_ups; // "id due"
};

outcome assess(const change_answers& answers, std::optional<day_point> go_live = std::nullopt) {
    const change_policy p = policy();
    diagnostics problems;
    const auto a = assess_change(p, answers, {42, d("2026-11-22"), go_live}, problems);
    REQUIRE_MESSAGE(a.has_value(), (problems.empty() ? "" : problems.front().to_string()));
    outcome out{a->affects, {}};
    for (const follow_up_need& need : a->follow_ups)
        out.follow_ups.push_back(need.rule->id + " " + format_iso_date(need.due));
    return out;
}

} // namespace

TEST_CASE("the starter configuration ships a valid questionnaire") {
    const auto result = parse_configuration(upkeep::testing::starter_config());
    CHECK(!has_errors(result.problems));
    CHECK(result.config.changes.questions.size() >= 8);
    CHECK(result.config.changes.follow_ups.size() >= 7);
    CHECK(result.config.changes.ticket_types == std::vector<std::string>{"Change"});
}

TEST_CASE("answers decide the impact and the follow-ups (table)") {
    struct row {
        const char* name;
        change_answers answers;
        std::optional<day_point> go_live;
        bool affects;
        std::vector<std::string> follow_ups;
    };
    const std::vector<row> rows{
        {"all no", {{"new-supplier", "no"}, {"data", "none"}, {"roles", "no"}}, std::nullopt, false, {}},
        {"new supplier, no go-live date: days after the assessment",
         {{"new-supplier", "yes"}, {"data", "none"}, {"roles", "no"}},
         std::nullopt,
         true,
         {"risk-assessment 2026-12-06", "supplier-assessment 2026-12-06"}},
        {"new supplier and personal data, go-live in a month: days before go-live",
         {{"new-supplier", "yes"}, {"data", "personal"}, {"roles", "no"}},
         d("2026-12-22"),
         true,
         {"risk-assessment 2026-12-15", "supplier-assessment 2026-12-19", "privacy-review 2026-12-06"}},
        {"go-live too close: never due before the assessment",
         {{"new-supplier", "yes"}, {"data", "none"}, {"roles", "no"}},
         d("2026-11-24"),
         true,
         {"risk-assessment 2026-11-22", "supplier-assessment 2026-11-22"}},
        {"confidential data only",
         {{"new-supplier", "no"}, {"data", "confidential"}, {"roles", "no"}},
         std::nullopt,
         true,
         {"risk-assessment 2026-12-06"}},
        {"an affecting answer with no rule still affects",
         {{"new-supplier", "no"}, {"data", "none"}, {"roles", "yes"}},
         std::nullopt,
         true,
         {}},
    };
    for (const row& r : rows) {
        CAPTURE(r.name);
        const outcome o = assess(r.answers, r.go_live);
        CHECK(o.affects == r.affects);
        CHECK(o.follow_ups == r.follow_ups);
    }
}

TEST_CASE("the rationale and the note say why, in the configuration's words") {
    const change_policy p = policy();
    diagnostics problems;
    const change_answers answers{{"new-supplier", "yes"}, {"data", "personal"}, {"roles", "no"}};
    const auto a = assess_change(p, answers, {42, d("2026-11-22"), std::nullopt}, problems);
    REQUIRE(a);
    CHECK(a->rationale ==
          "Affects the ISMS (New supplier? Yes; New data? Personal data): Update the risk assessment, "
          "Assess the supplier, Privacy review.");
    const std::string note = assessment_note(p, {2, d("2026-11-22"), "alice", answers}, *a);
    CHECK(note.starts_with("ISMS impact assessment, revision 2, 2026-11-22, by alice: affects the ISMS.\n\n"
                           "* New supplier? Yes\n* New data? Personal data\n* Key person leaving? No\n"));
    CHECK(note.find("* Assess the supplier (purchasing, due 2026-12-06)") != std::string::npos);
    const auto none = assess_change(p, {{"new-supplier", "no"}, {"data", "none"}, {"roles", "no"}},
                                    {42, d("2026-11-22"), std::nullopt}, problems);
    REQUIRE(none);
    CHECK(none->rationale ==
          "No impact on the ISMS: none of the 3 questions was answered in a way that touches its "
          "scope, risks or controls.");
}

TEST_CASE("incomplete or unknown answers are errors at their pointer") {
    const change_policy p = policy();
    diagnostics problems;
    CHECK(!assess_change(p, {{"new-supplier", "maybe"}, {"data", "secret"}, {"extra", "yes"}},
                         {42, d("2026-11-22"), std::nullopt}, problems));
    std::vector<std::string> messages;
    for (const diagnostic& x : problems)
        messages.push_back(x.to_string());
    CHECK(contains(messages,
                   "/answers/extra: \"extra\" is not a question of the configuration (it may have changed)"));
    CHECK(contains(messages, "/answers/new-supplier: \"maybe\" is not an answer to: New supplier?"));
    CHECK(contains(messages, "/answers/data: \"secret\" is not an answer to: New data?"));
    CHECK(contains(messages, "/answers/roles: is not answered: Key person leaving?"));
}

TEST_CASE("a bad questionnaire is a validation error at its pointer") {
    json changes = changes_section();
    changes["questions"][1]["choices"] = json::array({{{"id", "only"}, {"label", "Only one"}}});
    changes["questions"].push_back({{"id", "new-supplier"}, {"text", "Again?"}});
    changes["questions"].push_back({{"id", "Bad Id"}, {"text", ""}, {"halp", "typo"}});
    changes["follow_ups"][0]["when"] = json::array({"new-suplier", "data=secret", "roles=no", 3});
    changes["follow_ups"][1]["owner"] = "not a login";
    changes["follow_ups"][1]["references"] = json::array({"A.9.1"});
    changes["follow_ups"][2]["due"] = {{"before_go_live", -1}};
    changes["ticket_types"] = json::array();
    const auto problems = problems_of(changes);
    CHECK(contains(problems,
                   "/changes/ticket_types: is empty: name the ticket types whose tickets are changes"));
    CHECK(contains(problems,
                   "/changes/questions/1/choices: offers fewer than 2 answers: leave choices out for a "
                   "yes/no question"));
    CHECK(contains(problems,
                   "/changes/questions/3/id: \"new-supplier\" is already the id of /changes/questions/0: "
                   "ids must be unique"));
    CHECK(contains(problems,
                   "/changes/questions/4/id: \"Bad Id\" is not a valid id: use 1-63 lowercase letters, "
                   "digits and dashes, such as \"new-supplier\""));
    CHECK(contains(problems, "/changes/questions/4/text: is empty: write some text"));
    CHECK(contains(problems, "/changes/questions/4/halp: is not a known field: did you mean \"help\"?"));
    CHECK(contains(problems,
                   "/changes/follow_ups/0/when/3: expected \"question\" or \"question=choice\", found a "
                   "number"));
    CHECK(contains(problems,
                   "/changes/follow_ups/1/owner: \"not a login\" is not a tracker login or group: write a "
                   "login such as \"alice\" or \"group:Security team\""));
    CHECK(contains(problems,
                   "/changes/follow_ups/1/references/0: \"A.9.1\" is not an ISO 27001:2022 clause (4.1 to "
                   "10.2) or Annex A control (A.5.1 to A.8.34)"));
    CHECK(contains(problems, "/changes/follow_ups/2/due/before_go_live: -1 is out of range 0..366"));

    // Rules are checked against the questions once the section reads cleanly.
    json rules = changes_section();
    rules["follow_ups"][0]["when"] = json::array({"new-suplier", "data=secret", "roles=no"});
    const auto rule_problems = problems_of(rules);
    CHECK(contains(rule_problems,
                   "/changes/follow_ups/0/when/0: \"new-suplier\" is not the id of a question in "
                   "/changes/questions"));
    CHECK(contains(rule_problems,
                   "/changes/follow_ups/0/when/1: question \"data\" has no answer \"secret\" (it "
                   "offers: none confidential personal)"));
    CHECK(contains(rule_problems,
                   "/changes/follow_ups/0/when/2: question \"roles\" has no answer \"no\" (it offers: "
                   "yes): write \"roles\" for yes"));
}

TEST_CASE("a question no rule uses is a warning") {
    const auto result = parse_configuration(config_with(changes_section()).dump());
    std::vector<std::string> warnings;
    for (const diagnostic& p : result.problems)
        if (p.level == severity::warning) warnings.push_back(p.to_string());
    CHECK(contains(warnings,
                   "warning: /changes/questions/2: no follow-up rule uses question \"roles\": its answer is "
                   "recorded but asks for no follow-up"));
}

TEST_CASE("the record on the change ticket round-trips; anything else is no record") {
    const assessment_record record{
        3, d("2026-11-22"), "alice", {{"data", "personal"}, {"new-supplier", "yes"}}};
    const std::string text = format_assessment_record(record);
    CHECK(text == "assessment=3;on=2026-11-22;by=alice;a=data:personal,new-supplier:yes");
    const auto back = parse_assessment_record(text);
    REQUIRE(back);
    CHECK(back->revision == 3);
    CHECK(back->assessed_on == d("2026-11-22"));
    CHECK(back->by == "alice");
    CHECK(back->answers == record.answers);
    CHECK(!parse_assessment_record(""));
    CHECK(!parse_assessment_record("assessment=x;on=2026-11-22"));
    CHECK(!parse_assessment_record("assessment=1;on=someday"));
}

TEST_CASE("a follow-up names its change as the host names tickets") {
    const change_policy p = policy();
    diagnostics problems;
    const change_facts facts{42, d("2026-11-22"), std::nullopt, {"ISMS-"}};
    const auto supplier =
        assess_change(p, {{"new-supplier", "yes"}, {"data", "none"}, {"roles", "no"}}, facts, problems);
    REQUIRE(supplier);
    const auto fresh = plan_follow_ups(*supplier, facts, {});
    REQUIRE(fresh.size() == 2);
    REQUIRE(fresh[1].fields);
    CHECK(fresh[1].fields->subject == "Assess the supplier (change ISMS-42)");
    CHECK(fresh[1].fields->description.starts_with(
        "Follow-up of the ISMS impact assessment of change ISMS-42 "));

    // With the change's subject, lists of tickets say which change it is; a long one is cut.
    change_facts named = facts;
    named.subject = "Move payroll to PayCloud";
    const auto with_subject = plan_follow_ups(*supplier, named, {});
    REQUIRE(with_subject[1].fields);
    CHECK(with_subject[1].fields->subject ==
          "Assess the supplier for change ISMS-42: Move payroll to PayCloud");
    named.subject = std::string(200, 'x');
    const auto cut = plan_follow_ups(*supplier, named, {});
    REQUIRE(cut[1].fields);
    CHECK(cut[1].fields->subject ==
          "Assess the supplier for change ISMS-42: " + std::string(117, 'x') + "...");
}

TEST_CASE("the follow-ups on the scope and the SoA link where the tracker shows the SoA's drift") {
    const isms_configuration config = parse_configuration(upkeep::testing::starter_config()).config;
    change_answers answers;
    for (const change_question& q : config.changes.questions)
        answers[q.id] = q.choices.empty() ? "yes" : q.choices.back().id; // every follow-up called for
    diagnostics problems;
    change_facts facts{
        42,    d("2026-11-22"),          std::nullopt,
        {"#"}, "Open an office in Lyon", "https://redmine.example/projects/isms/isms#upkeep-soa"};
    const auto assessment = assess_change(config.changes, answers, facts, problems);
    REQUIRE(assessment);
    std::size_t linked = 0;
    for (const follow_up_action& a : plan_follow_ups(*assessment, facts, {})) {
        if (!a.fields) continue;
        const auto rule =
            std::find_if(config.changes.follow_ups.begin(), config.changes.follow_ups.end(),
                         [&](const follow_up_rule& r) { return a.key == follow_up_key(42, r.id); });
        REQUIRE(rule != config.changes.follow_ups.end());
        const bool scope_or_soa =
            std::any_of(rule->references.begin(), rule->references.end(),
                        [](const std::string& r) { return r == "4.3" || r == "6.1.3"; });
        CHECK_MESSAGE(
            a.fields->description.ends_with(
                "\n\nThe Statement of Applicability, with the exclusions to review after this change: "
                "https://redmine.example/projects/isms/isms#upkeep-soa") == scope_or_soa,
            rule->id);
        linked += scope_or_soa;
    }
    CHECK(linked >= 2);     // the scope's and the SoA's
    facts.soa_link.clear(); // no SoA: no link
    for (const follow_up_action& a : plan_follow_ups(*assessment, facts, {}))
        if (a.fields)
            CHECK(a.fields->description.find("Statement of Applicability, with") == std::string::npos);
}

TEST_CASE("follow-ups: create, link, withdraw, call for again, and close the younger of two with one key") {
    const change_policy p = policy();
    diagnostics problems;
    const change_facts facts{42, d("2026-11-22"), std::nullopt};
    const auto supplier =
        assess_change(p, {{"new-supplier", "yes"}, {"data", "none"}, {"roles", "no"}}, facts, problems);
    const auto nothing =
        assess_change(p, {{"new-supplier", "no"}, {"data", "none"}, {"roles", "no"}}, facts, problems);
    REQUIRE((supplier && nothing));
    const auto kinds = [](const std::vector<follow_up_action>& actions) {
        std::vector<std::string> out;
        for (const follow_up_action& a : actions)
            out.push_back(std::string(to_string(a.kind)) + " " + a.key +
                          (a.ticket_id ? " #" + std::to_string(*a.ticket_id) : ""));
        return out;
    };

    const auto fresh = plan_follow_ups(*supplier, facts, {});
    CHECK(kinds(fresh) == std::vector<std::string>{"create change:42:risk-assessment",
                                                   "create change:42:supplier-assessment"});
    REQUIRE(fresh[1].fields);
    CHECK(fresh[1].fields->kind == ticket_kind::follow_up);
    CHECK(fresh[1].fields->subject == "Assess the supplier (change #42)");
    CHECK(fresh[1].fields->assignee == "purchasing");
    CHECK(fresh[1].fields->due_date == d("2026-12-06"));
    CHECK(fresh[1].fields->description.find("Why: New supplier? Yes.") != std::string::npos);
    CHECK(fresh[1].state == "change=42");

    const follow_up_ticket risk{101, "change:42:risk-assessment", false, false, true};
    const follow_up_ticket supplier_unlinked{102, "change:42:supplier-assessment", false, false, false};
    CHECK(kinds(plan_follow_ups(*supplier, facts, {risk, supplier_unlinked})) ==
          std::vector<std::string>{"link change:42:supplier-assessment #102"});
    const follow_up_ticket supplier_linked{102, "change:42:supplier-assessment", false, false, true};
    CHECK(plan_follow_ups(*supplier, facts, {risk, supplier_linked}).empty());

    // Answered "no" later: the open follow-ups are withdrawn; one people closed stays as it is.
    const follow_up_ticket supplier_done{102, "change:42:supplier-assessment", false, true, true};
    const auto withdrawn = plan_follow_ups(*nothing, facts, {risk, supplier_done});
    CHECK(kinds(withdrawn) == std::vector<std::string>{"close change:42:risk-assessment #101"});
    CHECK(withdrawn[0].state == "change=42;withdrawn=1");
    CHECK(withdrawn[0].note.starts_with("No longer needed: the assessment of change #42 on 2026-11-22"));

    // Answered "yes" again: a new ticket for what Upkeep withdrew (the next generation), done work stays
    // done.
    const follow_up_ticket risk_withdrawn{101, "change:42:risk-assessment", true, true, true};
    CHECK(kinds(plan_follow_ups(*supplier, facts, {risk_withdrawn, supplier_done})) ==
          std::vector<std::string>{"create change:42:risk-assessment:2"});
    const follow_up_ticket risk_again{107, "change:42:risk-assessment:2", false, false, true};
    CHECK(plan_follow_ups(*supplier, facts, {risk_withdrawn, risk_again, supplier_done}).empty());
    CHECK(kinds(plan_follow_ups(*nothing, facts, {risk_withdrawn, risk_again, supplier_done})) ==
          std::vector<std::string>{"close change:42:risk-assessment:2 #107"});
    // A withdrawn ticket that people reopened is theirs: not closed again.
    const follow_up_ticket risk_reopened{101, "change:42:risk-assessment", true, false, true};
    CHECK(plan_follow_ups(*nothing, facts, {risk_reopened, supplier_done}).empty());

    // Someone copied a follow-up in Redmine (copies keep custom fields, so the key): not linked by Upkeep,
    // the copy is theirs, never closed; another change's follow-up is not this change's.
    const follow_up_ticket copy{109, "change:42:risk-assessment", false, false, false};
    const follow_up_ticket other{110, "change:420:risk-assessment", false, false, true};
    CHECK(plan_follow_ups(*supplier, facts, {risk, copy, supplier_linked, other}).empty());
    CHECK(kinds(plan_follow_ups(*nothing, facts, {risk, copy, supplier_done, other})) ==
          std::vector<std::string>{"close change:42:risk-assessment #101"});

    // Two people answered at once and both created the follow-up: the younger is closed.
    const follow_up_ticket twin{105, "change:42:risk-assessment", false, false, true};
    const auto race = plan_follow_ups(*supplier, facts, {twin, risk, supplier_linked});
    CHECK(kinds(race) == std::vector<std::string>{"close change:42:risk-assessment #105"});
    CHECK(race[0].note.starts_with("Duplicate of #101"));
}

TEST_CASE("follow-ups due before go-live block the change, unless the policy says the page warns instead") {
    const change_answers supplier_and_personal{
        {"new-supplier", "yes"}, {"data", "personal"}, {"roles", "no"}};
    const auto links = [&](const change_policy& p, std::optional<day_point> go_live) {
        diagnostics problems;
        const change_facts facts{42, d("2026-11-22"), go_live};
        const auto a = assess_change(p, supplier_and_personal, facts, problems);
        REQUIRE(a);
        // Each follow-up exists, not linked yet: one link each.
        std::vector<follow_up_ticket> existing;
        long long id = 100;
        for (const follow_up_need& need : a->follow_ups)
            existing.push_back({++id, follow_up_key(42, need.rule->id), false, false, false});
        std::vector<std::string> out;
        for (const follow_up_action& link : plan_follow_ups(*a, facts, existing))
            out.push_back(link.key + (link.blocks_change ? " blocks" : " relates"));
        return out;
    };
    // Going live on 2026-12-20: the risk assessment (7 days before) and the supplier assessment (3
    // before) must be done first; the privacy review has no go-live rule.
    const std::vector<std::string> blocking{"change:42:risk-assessment blocks",
                                            "change:42:supplier-assessment blocks",
                                            "change:42:privacy-review relates"};
    CHECK(links(policy(), d("2026-12-20")) == blocking);
    // No go-live date: every follow-up is due after the assessment, none blocks.
    CHECK(links(policy(), std::nullopt) == std::vector<std::string>{"change:42:risk-assessment relates",
                                                                    "change:42:supplier-assessment relates",
                                                                    "change:42:privacy-review relates"});
    json relaxed = changes_section();
    relaxed["follow_ups_block_closing"] = false;
    const auto parsed = parse_configuration(config_with(relaxed).dump());
    REQUIRE(!has_errors(parsed.problems));
    CHECK(links(parsed.config.changes, d("2026-12-20")) ==
          std::vector<std::string>{"change:42:risk-assessment relates",
                                   "change:42:supplier-assessment relates",
                                   "change:42:privacy-review relates"});
    relaxed["follow_ups_block_closing"] = "yes";
    CHECK(problems_of(relaxed) ==
          std::vector<std::string>{
              "/changes/follow_ups_block_closing: expected true or false, found a string"});
}

TEST_CASE("the prompt's view: each follow-up's latest ticket, the register's suppliers under a supplier "
          "follow-up") {
    change_policy p = policy();
    p.follow_ups[1].supplier = true; // "Assess the supplier" brings one in
    diagnostics problems;
    const change_facts facts{42, d("2026-11-22"), d("2026-12-10")};
    std::optional<change_assessment> assessment =
        assess_change(p, {{"new-supplier", "yes"}, {"data", "none"}, {"roles", "no"}}, facts, problems);
    REQUIRE(assessment);
    const std::optional<assessment_record> record = assessment_record{2, d("2026-11-22"), "alice", {}};
    const std::vector<follow_up_ticket> tickets{{101, "change:42:risk-assessment", true, true, true},
                                                {107, "change:42:risk-assessment:2", false, false, true},
                                                {102, "change:42:supplier-assessment", false, true, true}};
    const std::vector<supplier_record> register_{{.id = 200, .name = "Hostco"},
                                                 {.id = 201, .name = "Gone Ltd", .closed = true},
                                                 {.id = 202, .name = "Mailco"}};
    change_prompt_parts parts;
    parts.change = 42;
    parts.go_live = facts.go_live;
    parts.record = &record;
    parts.assessment = &assessment;
    parts.follow_ups = &tickets;
    parts.register_ = &register_;
    parts.linked_suppliers = {202};
    const json view = change_prompt_view(p, parts);
    CHECK(view["is_change"] == true);
    CHECK(view["go_live"] == "2026-12-10");
    CHECK(view["record"]["revision"] == 2);
    CHECK(view["questions"].size() == 3);
    CHECK(view["register"] ==
          json::parse(R"([{"id": 200, "name": "Hostco"}, {"id": 202, "name": "Mailco"}])"));
    const json& ups = view["assessment"]["follow_ups"];
    REQUIRE(ups.size() == 2);
    CHECK(ups[0]["id"] == "risk-assessment");
    CHECK(ups[0]["ticket"] == 107); // the second generation, not the withdrawn first
    CHECK(ups[0]["suppliers"].empty());
    CHECK(ups[1]["id"] == "supplier-assessment");
    CHECK(ups[1]["closed"] == true);
    CHECK(ups[1]["suppliers"] == json::parse(R"([{"id": 202, "name": "Mailco"}])"));
    CHECK(view["follow_ups"].size() == 3);
    CHECK(view["requests"].empty());

    // Nothing known yet: no record, no assessment, an empty register.
    const json empty = change_prompt_view(p, {.change = 7, .is_change = false});
    CHECK(empty["record"].is_null());
    CHECK(empty["assessment"].is_null());
    CHECK(empty["is_change"] == false);
    CHECK(empty["go_live"].is_null());
}
