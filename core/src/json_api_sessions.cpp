// The JSON sessions of json_api.hpp and the status computations they answer, built for size in the wasm
// build: the browser calls them a few times a page, unlike the expansion calls.

#include "upkeep/frameworks.hpp"
#include "upkeep/json_api.hpp"
#include "upkeep/soa.hpp"
#include "upkeep/sync_plan.hpp"

#include "upkeep/audit_status.hpp"
#include "upkeep/evidence_register.hpp"
#include "upkeep/evidence_renewal.hpp"
#include "upkeep/host.hpp"
#include "upkeep/icalendar.hpp"
#include "upkeep/json_api_detail.hpp"
#include "upkeep/json_parse.hpp"
#include "upkeep/json_value.hpp"
#include "upkeep/metrics.hpp"
#include "upkeep/review_pack.hpp"
#include "upkeep/status_json.hpp"

#include <algorithm>

namespace upkeep::json_api {

using namespace detail;

json detail::completion_view(const isms_configuration& config,
                             const std::optional<occurrence_ref>& occurrence, long long issue,
                             const std::string& why, bool closed, const std::string& status,
                             const std::string& done_on, const std::string& valid_until) {
    json task = nullptr;
    if (occurrence) {
        const activity& a = *occurrence->what;
        task = json_object({{"id", a.id},
                            {"title", occurrence->renewal ? renewal_title(a) : a.title},
                            {"renewal", occurrence->renewal},
                            {"due", format_iso_date(occurrence->due)},
                            {"owner", a.owner},
                            {"references", a.references},
                            {"instructions", a.instructions},
                            {"evidence", a.evidence},
                            {"training", is_training(config, a)}});
    }
    json days_late = nullptr;
    if (const auto done = parse_iso_date(done_on); done && occurrence)
        days_late = std::max(0L, static_cast<long>((*done - occurrence->due).count()));
    return json_object({{"issue", issue},
                        {"task", std::move(task)},
                        {"why", why},
                        {"closed", closed},
                        {"status", status},
                        {"done_on", done_on.empty() ? json() : json(done_on)},
                        {"valid_until", valid_until.empty() ? json() : json(valid_until)},
                        {"days_late", std::move(days_late)}});
}

bool detail::read_answers(const json& request, std::optional<change_answers>& answers,
                          std::optional<int>& based_on, std::string& error) {
    const auto it = request.find("answers");
    if (it == request.end()) return true;
    if (!it->is_object()) {
        error = "answers: expected an object of question id to answer";
        return false;
    }
    change_answers given;
    for (const auto& [id, value] : it->items())
        given[id] = value.is_string() ? value.get<std::string>() : value.dump();
    answers = std::move(given);
    if (const auto b = request.find("based_on"); b != request.end() && b->is_number_integer())
        based_on = b->get<int>();
    return true;
}

bool detail::read_completion(const json& request, std::optional<completion>& out, std::string& error) {
    const auto it = request.find("complete");
    if (it == request.end() || !it->is_object()) return true;
    completion c;
    const auto done_on = date_field(*it, "done_on", error);
    if (!done_on) return false;
    c.done_on = *done_on;
    for (const json& link : it->value("links", json::array()))
        if (link.is_string() && !link.get<std::string>().empty()) c.links.push_back(link.get<std::string>());
    c.note = text(*it, "note", "");
    const auto count = [&](const char* key) {
        const auto n = it->find(key);
        return n != it->end() && n->is_number_integer() ? std::optional(n->get<int>()) : std::nullopt;
    };
    c.people_in_scope = count("people_in_scope");
    c.people_completed = count("people_completed");
    if (it->contains("valid_until") && !(*it)["valid_until"].is_null()) {
        const auto valid_until = date_field(*it, "valid_until", error);
        if (!valid_until) return false;
        c.valid_until = *valid_until;
    }
    for (const json& file : json_array_at(request, "files"))
        c.file_names.push_back(text(file, "name", "file"));
    out = std::move(c);
    return true;
}

session::session(std::string_view kind, std::string_view request_json)
    : session(kind, request_json, retry_policy{}) {}

session::session(std::string_view kind, std::string_view request_json, const retry_policy& policy) {
    const json request = parse_json_or_discarded(request_json);
    if (!request.is_object()) {
        error_ = "the request is not a JSON object";
        return;
    }
    const registered_host* host = nullptr;
    if (const auto name = request.find("host"); name != request.end() && name->is_string())
        host = find_host(name->get<std::string>());
    else if (hosts().size() == 1)
        host = &hosts().front();
    if (!host) {
        error_ = "host: expected the name of a tracker Upkeep knows";
        return;
    }
    session_ = host->open(kind, request, policy, error_);
    if (!session_ && error_.empty()) error_ = "no session \"" + std::string(kind) + "\"";
}

session::~session() = default;

std::string session::next() {
    if (!session_) return error_line(error_);
    const exchange_step step = session_->run().next();
    switch (step.what) {
    case exchange_step::kind::send: {
        json send = json::array();
        for (const http_request& request : step.requests) {
            json r = json_object({{"method", request.method},
                                  {"path", request.path},
                                  {"body", request.body},
                                  {"content_type", request.content_type}});
            if (request.file >= 0) r["file"] = request.file;
            send.push_back(std::move(r));
        }
        return json_object(
                   {{"send", std::move(send)}, {"label", step.label}, {"progress", session_->progress()}})
            .dump();
    }
    case exchange_step::kind::wait:
        return json_object({{"wait", step.wait_ms}}).dump();
    case exchange_step::kind::done:
        break;
    }
    done_ = true;
    return json_object({{"done", session_->result()}}).dump();
}

void session::stage_body(std::string body) {
    staged_bodies_.push_back(std::move(body));
}

void session::interrupt(const std::string& why) {
    if (session_ && !done_) session_->run().interrupt(why);
}

void session::answer(std::string_view responses_json) {
    std::vector<std::string> staged = std::move(staged_bodies_);
    staged_bodies_.clear();
    if (!session_) return;
    const json given = parse_json_or_discarded(responses_json);
    std::vector<http_response> responses;
    for (const json& r : given.is_array() ? given : json::array({given})) {
        http_response response;
        if (r.is_object()) {
            if (const auto it = r.find("status"); it != r.end() && it->is_number_integer())
                response.status = it->get<int>();
            const std::size_t place = responses.size();
            if (!r.contains("body") && place < staged.size())
                response.body = std::move(staged[place]);
            else
                response.body = text(r, "body", "");
            response.error = text(r, "error", "");
            if (const auto it = r.find("retry_after"); it != r.end() && it->is_number_integer())
                response.retry_after = it->get<long>();
        } else {
            response.error = "the pump's answer was not JSON";
        }
        responses.push_back(std::move(response));
    }
    session_->run().answer(responses);
}

std::string session::call(std::string_view method, std::string_view request_json) const {
    if (!session_ || !done_) return error_line("the session has not finished reading yet");
    return session_->call(method, parse_json_or_discarded(request_json)).dump();
}

namespace {

// The status of a configuration and a snapshot of the tracker, as of the request's "today".
struct status_inputs {
    const isms_configuration* config = nullptr;
    const tracker_snapshot* snapshot = nullptr;
    certification_cycle cycle;
    day_point today;
    status_report report;
};

// Reads the request's "today" and computes the status; "" or why not.
std::string compute_inputs(const isms_configuration& config, const tracker_snapshot& snapshot,
                           const json& request, status_inputs& out) {
    if (!request.is_object()) return "the request is not a JSON object";
    std::string error;
    const auto today = date_field(request, "today", error);
    if (!today) return error;
    out.config = &config;
    out.snapshot = &snapshot;
    out.today = *today;
    out.cycle = compute_cycle(config.certification);
    // "people": the owners as the host names them to people ({"itops": "Ivan Ops"}).
    people_names people;
    if (const auto given = request.find("people"); given != request.end() && given->is_object())
        for (const auto& [owner, name] : given->items())
            if (name.is_string()) people.emplace(owner, name.get<std::string>());
    // "dates": how the reader's tracker writes dates ({"pattern": "%d.%m.%Y", "months": [...],
    // "short_months": [...]}), for the sentences; ISO without it.
    date_style dates;
    if (const auto given = request.find("dates"); given != request.end() && given->is_object()) {
        dates.pattern = json_value(*given, "pattern", std::string{});
        for (const auto& [field, names] :
             {std::pair{"months", &dates.months}, {"short_months", &dates.short_months}})
            for (const json& name : json_array_at(*given, field))
                names->push_back(name.is_string() ? name.get<std::string>() : std::string{});
    }
    out.report = compute_status(config, out.cycle, snapshot, out.today, people, dates);
    return "";
}

json status_of_request(const isms_configuration& config, const tracker_snapshot& snapshot,
                       const json& request) {
    status_inputs in;
    if (const std::string error = compute_inputs(config, snapshot, request, in); !error.empty())
        return error_json(error);
    json findings = json::array();
    for (const finding_record& f : snapshot.findings) {
        if (f.closed) continue;
        json& item = findings.emplace_back(json::object());
        item["id"] = f.id;
        item["kind"] = f.kind;
        item["subject"] = f.subject;
        item["due"] = f.due ? json(format_iso_date(*f.due)) : json();
    }
    status_json_options options;
    if (request.contains("list_limit") && request["list_limit"].is_number_unsigned())
        options.list_limit = request["list_limit"].get<std::size_t>();
    options.next_period_only = flag(request, "next_period_only");
    options.timeline = flag(request, "timeline");
    json out = json::object();
    out["report"] = status_to_json(in.report, options);
    out["changes"] = changes_to_json(snapshot.changes, snapshot.follow_ups);
    out["findings"] = std::move(findings);
    const std::vector<kpi> kpis = compute_kpis(config, in.report, snapshot, in.today);
    out["kpis"] = kpis_to_json(kpis, options.list_limit);
    out["objectives"] = objectives_to_json(evaluate_objectives(config, kpis));
    if (config.soa)
        out["soa"] = soa_summary_to_json(*config.soa, soa_drift(*config.soa, config, in.report, snapshot));
    const auto ticket = review_ticket(config, in.report); // where the review pack is attached
    out["review_ticket"] = ticket ? json(*ticket) : json(nullptr);
    // Every occurrence overdue or missed and still open, in full (fix first's own kinds, never trimmed).
    json& overdue = out["overdue"] = json::array();
    if (in.report.next_audit)
        for (const readiness_item& i : in.report.next_audit->fix_first)
            if (i.kind == readiness_kind::overdue_occurrence || i.kind == readiness_kind::expired_evidence ||
                i.kind == readiness_kind::open_from_earlier_period)
                overdue.push_back(json_object({{"ticket_id", i.ticket_id ? json(i.ticket_id) : json()},
                                               {"activity", i.activity},
                                               {"title", i.activity_title},
                                               {"owner", i.owner},
                                               {"due", format_iso_date(i.date)},
                                               {"days_late", i.days_late}}));
    return out;
}

json export_of_request(const isms_configuration& config, const tracker_snapshot& snapshot,
                       const json& request) {
    status_inputs in;
    if (const std::string error = compute_inputs(config, snapshot, request, in); !error.empty())
        return error_json(error);
    const std::string kind = text(request, "kind", "");
    // Tickets are named as the tracker that was read names them, and linked at the address the shell
    // gives ("ticket_url"), else at the one they were read from.
    ticket_references tickets = snapshot.references;
    if (std::string url = text(request, "ticket_url", ""); !url.empty()) tickets.url = std::move(url);
    json out = json::object();
    if (kind == "ics") {
        const std::optional<std::string> owner = request.contains("owner") && request["owner"].is_string()
                                                     ? std::optional(request["owner"].get<std::string>())
                                                     : std::nullopt;
        out["text"] = to_icalendar(config, in.cycle, {in.today, owner});
        out["filename"] = "isms-calendar.ics";
        return out;
    }
    if (kind == "review_pack") {
        const auto as = parse_markup(text(request, "markup", "markdown"));
        if (!as) return error_json("markup: expected markdown, textile or html");
        out["text"] =
            render(review_pack(config, in.report, compute_kpis(config, in.report, snapshot, in.today),
                               snapshot, in.today),
                   *as, tickets);
        out["filename"] = "management-review-input-" + format_iso_date(in.today) +
                          (*as == markup::html      ? ".html"
                           : *as == markup::textile ? ".textile"
                                                    : ".md");
        return out;
    }
    const bool soa = kind == "soa_csv" || kind == "soa_html";
    if (kind != "register_csv" && kind != "register_json" && !soa)
        return error_json(
            "kind: expected register_csv, register_json, soa_csv, soa_html, ics or review_pack");
    if (soa && !config.soa) return error_json("the configuration has no Statement of Applicability (/soa)");
    const std::string audit =
        request.contains("audit") && request["audit"].is_string()
            ? request["audit"].get<std::string>()
            : std::string(in.report.next_audit ? audit_key(in.report.next_audit->audit)
                                               : audit_key(audit_kind::recertification));
    for (const period_status& p : in.report.periods) {
        if (audit_key(p.audit) != audit) continue;
        if (soa) {
            const std::string name = "statement-of-applicability-" + config.soa->version;
            out["text"] = kind == "soa_csv"
                              ? soa_csv(*config.soa, config, &p, tickets)
                              : render(soa_document(*config.soa, config, &p), markup::html, tickets);
            out["filename"] = name + (kind == "soa_csv" ? ".csv" : ".html");
            return out;
        }
        const std::string name =
            "evidence-register-" + audit + "-" + format_iso_date(p.from) + "-to-" + format_iso_date(p.to);
        out["text"] = kind == "register_csv" ? evidence_register_csv(p, config, tickets)
                                             : evidence_register_json(p, config, tickets).dump(2) + "\n";
        out["filename"] = name + (kind == "register_csv" ? ".csv" : ".json");
        return out;
    }
    return error_json("audit: \"" + audit + "\" is not an audit period that has started");
}

} // namespace

namespace {

// Answers over what the request asks about: the whole configuration and reading, or with "framework" the
// activities that reference it and their tickets (frameworks.hpp); `answer` learns which.
template <typename Answer>
json over_requested(const isms_configuration& config, const tracker_snapshot& snapshot, const json& request,
                    Answer answer) {
    std::string error;
    isms_configuration to_framework;
    const isms_configuration* asked = requested_configuration(config, request, to_framework, error);
    if (!asked) return error_json(error);
    const bool narrowed = asked != &config;
    const tracker_snapshot kept = narrowed ? tasks_of(snapshot, *asked) : tracker_snapshot{};
    return answer(*asked, narrowed ? kept : snapshot, narrowed);
}

} // namespace

json status_of(const isms_configuration& config, const tracker_snapshot& snapshot, const json& request) {
    return over_requested(
        config, snapshot, request,
        [&](const isms_configuration& asked, const tracker_snapshot& tracker, bool narrowed) {
            json out = status_of_request(asked, tracker, request);
            if (config.frameworks.empty() || out.contains("error")) return out;
            // The frameworks the configuration follows (a view may narrow to one), and
            // the one asked about's coverage.
            json followed = json::array();
            for (const std::string& key : config.frameworks)
                followed.push_back(json_object({{"key", key}, {"name", find_framework(key)->name}}));
            out["frameworks"] = std::move(followed);
            if (narrowed) {
                const framework& f = *find_framework(request["framework"].get<std::string>());
                out["coverage"] = coverage_to_json(f, coverage(config, f));
            }
            return out;
        });
}

json export_of(const isms_configuration& config, const tracker_snapshot& snapshot, const json& request) {
    return over_requested(config, snapshot, request,
                          [&](const isms_configuration& asked, const tracker_snapshot& tracker, bool) {
                              return export_of_request(asked, tracker, request);
                          });
}

json plan_json(const sync_plan& plan, const diagnostics& problems, const ticket_references& references) {
    json actions = json::array();
    for (const sync_action& a : plan.actions) {
        json item = json_object({{"kind", to_string(a.kind)}, {"key", a.key}, {"reason", a.reason}});
        if (a.ticket_id) {
            item["ticket"] = *a.ticket_id;
            item["reference"] = references.of(*a.ticket_id);
        }
        actions.push_back(std::move(item));
    }
    return json_object({{"since", format_iso_date(plan.since)},
                        {"unchanged", plan.unchanged},
                        {"counts", json_object({{"create", plan.count(sync_action_kind::create)},
                                                {"update", plan.count(sync_action_kind::update)},
                                                {"comment", plan.count(sync_action_kind::comment)},
                                                {"close", plan.count(sync_action_kind::close)}})},
                        {"notices", plan.notices},
                        {"warnings", detail::problems_to_json(problems, severity::warning)},
                        {"actions", std::move(actions)}});
}

json reading_call(const isms_configuration& config, const tracker_snapshot& snapshot, std::string_view method,
                  const json& request) {
    if (method == "status") return status_of(config, snapshot, request);
    if (method == "export_file") return export_of(config, snapshot, request);
    if (method == "calendar") return calendar_of(config, request);
    return json_object({{"error", "this session has no call \"" + std::string(method) + "\""}});
}

} // namespace upkeep::json_api
