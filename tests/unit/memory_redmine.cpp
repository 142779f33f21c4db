#include "memory_redmine.hpp"

#include <upkeep/redmine/wiki_storage.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>

namespace upkeep::testing {
namespace {

using json = nlohmann::json;

std::string url_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int value = 0;
            const auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
            if (error == std::errc{} && end == text.data() + i + 3) {
                out += static_cast<char>(value);
                i += 2;
                continue;
            }
        }
        out += text[i] == '+' ? ' ' : text[i];
    }
    return out;
}

std::multimap<std::string, std::string> parse_query(std::string_view query) {
    std::multimap<std::string, std::string> out;
    while (!query.empty()) {
        const std::size_t amp = std::min(query.find('&'), query.size());
        const std::string_view part = query.substr(0, amp);
        const std::size_t eq = part.find('=');
        if (eq == std::string_view::npos)
            out.emplace(url_decode(part), "");
        else
            out.emplace(url_decode(part.substr(0, eq)), url_decode(part.substr(eq + 1)));
        query.remove_prefix(std::min(amp + 1, query.size()));
    }
    return out;
}

std::string param(const std::multimap<std::string, std::string>& query, const std::string& name,
                  std::string fallback = "") {
    const auto it = query.find(name);
    return it == query.end() ? fallback : it->second;
}

std::set<std::string> includes(const std::multimap<std::string, std::string>& query) {
    std::set<std::string> out;
    const std::string list = param(query, "include");
    for (std::size_t at = 0; at < list.size();) {
        const std::size_t end = std::min(list.find(',', at), list.size());
        out.insert(list.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// A whole decimal number, or nullopt.
std::optional<long long> number(std::string_view text) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// "/issues/12.json" with prefix "/issues/" and suffix ".json": 12.
std::optional<long long> id_between(const std::string& path, std::string_view prefix,
                                    std::string_view suffix) {
    if (!path.starts_with(prefix) || !path.ends_with(suffix) || path.size() < prefix.size() + suffix.size())
        return std::nullopt;
    return number(std::string_view(path).substr(prefix.size(), path.size() - prefix.size() - suffix.size()));
}

http_response answer(int status, const json& body = nullptr) {
    http_response r;
    r.status = status;
    if (!body.is_null()) r.body = body.dump();
    return r;
}

http_response errors(std::vector<std::string> reasons) {
    return answer(422, json{{"errors", std::move(reasons)}});
}

long long id_of(const json& value) {
    if (value.is_number_integer()) return value.get<long long>();
    if (value.is_string()) return number(value.get<std::string>()).value_or(0);
    return 0;
}

std::string text_or(const json& object, const char* key, std::string fallback) {
    const auto it = object.find(key);
    if (it == object.end()) return fallback;
    if (it->is_null()) return "";
    return it->is_string() ? it->get<std::string>() : it->dump();
}

} // namespace

std::vector<std::string> memory_redmine::issue::notes() const {
    std::vector<std::string> out;
    for (const journal& j : journals)
        if (!j.notes.empty()) out.push_back(j.notes);
    return out;
}

// --- Faults and records -------------------------------------------------------------------------------

http_response memory_redmine::handle(const http_request& request) {
    if (meanwhile) meanwhile(request);
    requests.push_back(request);
    const std::size_t number = requests.size();
    for (fault& f : faults) {
        if (f.times <= 0 || !f.matches(number, request)) continue;
        --f.times;
        if (f.when == timing::after) (void)route(request);
        http_response r;
        r.status = f.status;
        r.retry_after = f.retry_after;
        if (f.status == 0) r.error = "connection reset by peer";
        return r;
    }
    return route(request);
}

void memory_redmine::fail_request(std::size_t n, int status, timing when, std::optional<long> retry_after) {
    const std::size_t target = requests.size() + n;
    faults.push_back({[target](std::size_t number, const http_request&) { return number == target; }, status,
                      when, retry_after, 1});
}

void memory_redmine::fail_matching(std::string method, std::string path_prefix, int status, timing when,
                                   int times, std::optional<long> retry_after) {
    faults.push_back({[method, path_prefix](std::size_t, const http_request& r) {
                          return r.method == method && r.path.starts_with(path_prefix);
                      },
                      status, when, retry_after, times});
}

std::vector<std::string> memory_redmine::lines() const {
    std::vector<std::string> out;
    for (const http_request& r : requests)
        out.push_back(r.method + " " + r.path);
    return out;
}

std::size_t memory_redmine::count(const std::string& method, const std::string& path_prefix) const {
    return static_cast<std::size_t>(
        std::count_if(requests.begin(), requests.end(), [&](const http_request& r) {
            return r.method == method && r.path.starts_with(path_prefix);
        }));
}

std::size_t memory_redmine::writes() const {
    return static_cast<std::size_t>(std::count_if(requests.begin(), requests.end(),
                                                  [](const http_request& r) { return r.method != "GET"; }));
}

// --- Building -----------------------------------------------------------------------------------------

memory_redmine::issue& memory_redmine::add_issue(issue i) {
    if (!i.id) i.id = next_issue_;
    next_issue_ = std::max(next_issue_, i.id + 1);
    if (i.created_on.empty()) i.created_on = now;
    const long long id = i.id;
    return issues[id] = std::move(i);
}

void memory_redmine::comment(long long issue_id, long long user_id, std::string note) {
    issue& i = issues.at(issue_id);
    i.journals.push_back({next_journal_++, user_id, std::move(note)});
    ++i.lock_version;
}

void memory_redmine::relate(long long from, long long to) {
    relations.push_back({next_relation_++, from, to, "relates"});
}

memory_redmine::project& memory_redmine::project_named(const std::string& identifier) {
    project* p = find_project(identifier);
    REQUIRE_MESSAGE(p != nullptr, "no project " << identifier);
    return *p;
}

std::vector<const memory_redmine::issue*> memory_redmine::issues_with(long long field_id,
                                                                      const std::string& value) const {
    std::vector<const issue*> out;
    for (const auto& [id, i] : issues)
        if (i.field(field_id) == value) out.push_back(&i);
    return out;
}

const memory_redmine::issue* memory_redmine::issue_with(long long field_id, const std::string& value) const {
    const auto all = issues_with(field_id, value);
    return all.empty() ? nullptr : all.front();
}

memory_redmine::project* memory_redmine::find_project(const std::string& id_or_identifier) {
    for (project& p : projects)
        if (p.identifier == id_or_identifier || std::to_string(p.id) == id_or_identifier) return &p;
    return nullptr;
}

const memory_redmine::project* memory_redmine::find_project(const std::string& id_or_identifier) const {
    return const_cast<memory_redmine*>(this)->find_project(id_or_identifier);
}

// --- Documents ----------------------------------------------------------------------------------------

bool memory_redmine::field_enabled(const issue& i, long long field_id) const {
    const project* p = find_project(std::to_string(i.project_id));
    if (!p || std::find(p->custom_fields.begin(), p->custom_fields.end(), field_id) == p->custom_fields.end())
        return false;
    for (const custom_field& f : custom_fields)
        if (f.id == field_id) return f.trackers.count(i.tracker_id) != 0;
    return false;
}

bool memory_redmine::assignable(const project& p, long long principal) const {
    return std::find(p.member_users.begin(), p.member_users.end(), principal) != p.member_users.end() ||
           std::find(p.member_groups.begin(), p.member_groups.end(), principal) != p.member_groups.end();
}

json memory_redmine::issue_json(const issue& i, const std::set<std::string>& include) const {
    const auto named = [](long long id, const std::string& name) { return json{{"id", id}, {"name", name}}; };
    const project* p = find_project(std::to_string(i.project_id));
    const auto user_name = [&](long long id) -> std::string {
        for (const user& u : users)
            if (u.id == id) return u.name();
        const auto g = groups.find(id);
        return g == groups.end() ? "" : g->second;
    };
    std::string tracker_name, status_name;
    bool closed = false;
    for (const tracker& t : trackers)
        if (t.id == i.tracker_id) tracker_name = t.name;
    for (const status& s : statuses)
        if (s.id == i.status_id) {
            status_name = s.name;
            closed = s.closed;
        }
    json out{{"id", i.id},
             {"project", named(i.project_id, p ? p->name : "")},
             {"tracker", named(i.tracker_id, tracker_name)},
             {"status", {{"id", i.status_id}, {"name", status_name}, {"is_closed", closed}}},
             {"priority", named(2, "Normal")},
             {"author", named(i.author_id, user_name(i.author_id))}};
    if (i.assigned_to_id) out["assigned_to"] = named(i.assigned_to_id, user_name(i.assigned_to_id));
    out["subject"] = i.subject;
    out["description"] = i.description;
    out["start_date"] = i.start_date.empty() ? json() : json(i.start_date);
    out["due_date"] = i.due_date.empty() ? json() : json(i.due_date);
    out["done_ratio"] = 0;
    out["is_private"] = false;
    json fields = json::array();
    for (const custom_field& f : custom_fields)
        if (field_enabled(i, f.id))
            fields.push_back({{"id", f.id}, {"name", f.name}, {"value", i.field(f.id)}});
    if (!fields.empty()) out["custom_fields"] = std::move(fields);
    out["created_on"] = i.created_on;
    out["updated_on"] = i.created_on;
    out["closed_on"] = i.closed_on.empty() ? json() : json(i.closed_on);
    if (include.count("attachments")) out["attachments"] = json::array();
    if (include.count("relations")) {
        json list = json::array();
        for (const relation& r : relations)
            if (r.issue_id == i.id || r.issue_to_id == i.id)
                list.push_back({{"id", r.id},
                                {"issue_id", r.issue_id},
                                {"issue_to_id", r.issue_to_id},
                                {"relation_type", r.type},
                                {"delay", nullptr}});
        out["relations"] = std::move(list);
    }
    if (include.count("journals")) {
        json list = json::array();
        for (const journal& j : i.journals)
            list.push_back({{"id", j.id},
                            {"user", named(j.user_id, user_name(j.user_id))},
                            {"notes", j.notes},
                            {"created_on", now},
                            {"details", json::array()}});
        out["journals"] = std::move(list);
    }
    return out;
}

// --- Requests -----------------------------------------------------------------------------------------

http_response memory_redmine::route(const http_request& request) {
    const std::size_t question = request.path.find('?');
    const std::string path = request.path.substr(0, question);
    const auto query =
        parse_query(question == std::string::npos ? std::string_view{}
                                                  : std::string_view(request.path).substr(question + 1));
    const user* me = nullptr;
    for (const user& u : users)
        if (u.id == current_user) me = &u;
    if (!me) return answer(401);
    const auto user_name = [&](long long id) {
        for (const user& u : users)
            if (u.id == id) return u.name();
        return std::string{};
    };
    json body;
    if (request.content_type == "application/json") {
        body = json::parse(request.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) return answer(400);
    }
    const auto user_json = [](const user& u) {
        return json{{"user",
                     {{"id", u.id},
                      {"login", u.login},
                      {"firstname", u.firstname},
                      {"lastname", u.lastname},
                      {"created_on", "2026-01-01T00:00:00Z"}}}};
    };

    if (request.method == "GET") {
        if (path == "/users/current.json") return answer(200, user_json(*me));
        if (const auto id = id_between(path, "/users/", ".json")) {
            for (const user& u : users)
                if (u.id == *id) return answer(200, user_json(u));
            return answer(404);
        }
        if (path == "/issue_statuses.json") {
            json list = json::array();
            for (const status& s : statuses)
                list.push_back({{"id", s.id}, {"name", s.name}, {"is_closed", s.closed}});
            return answer(200, json{{"issue_statuses", std::move(list)}});
        }
        if (path == "/issues.json") return list_issues(query, 100);
        if (const auto id = id_between(path, "/projects/", "/upkeep_issues.json")) {
            // Upkeep's plugin's list: Redmine's, in pages of up to 1,000. Its authors carry their
            // login; its custom fields have no name, and those without a value are left out.
            auto in_project = query;
            in_project.emplace("project_id", std::to_string(*id));
            http_response r = list_issues(in_project, 1000);
            json page = json::parse(r.body);
            for (json& i : page["issues"])
                for (const user& u : users)
                    if (u.id == i["author"]["id"]) i["author"]["login"] = u.login;
            for (json& i : page["issues"]) {
                json given = json::array();
                for (json& field : i["custom_fields"]) {
                    const json& value = field["value"];
                    if (value.is_null() || value == "" || (value.is_array() && value.empty())) continue;
                    field.erase("name");
                    given.push_back(std::move(field));
                }
                i["custom_fields"] = std::move(given);
            }
            r.body = page.dump();
            return r;
        }
        if (const auto id = id_between(path, "/issues/", ".json")) {
            const auto it = issues.find(*id);
            if (it == issues.end()) return answer(404);
            return answer(200, json{{"issue", issue_json(it->second, includes(query))}});
        }
        if (const auto id = id_between(path, "/issues/", "/upkeep_lock.json")) {
            const auto it = issues.find(*id);
            if (!lock_plugin || it == issues.end()) return answer(404);
            return answer(200, json{{"issue", {{"id", *id}, {"lock_version", it->second.lock_version}}}});
        }
        if (const auto id = id_between(path, "/attachments/", ".json")) {
            for (const project& p : projects)
                for (const auto& [title, page] : p.wiki)
                    for (const attachment& a : page.attachments)
                        if (a.id == *id)
                            return answer(200, json{{"attachment",
                                                     {{"id", a.id},
                                                      {"filename", a.filename},
                                                      {"filesize", a.content.size()},
                                                      {"content_type", a.content_type},
                                                      {"description", a.description}}}});
            return answer(404);
        }
        if (path.starts_with("/projects/")) {
            const std::string rest = path.substr(10);
            const std::size_t slash = rest.find('/');
            if (slash == std::string::npos) {
                if (!rest.ends_with(".json")) return answer(404);
                const project* p = find_project(rest.substr(0, rest.size() - 5));
                if (!p) return answer(404);
                json out{{"id", p->id},       {"name", p->name},  {"identifier", p->identifier},
                         {"description", ""}, {"status", 1},      {"is_public", false},
                         {"created_on", now}, {"updated_on", now}};
                const std::set<std::string> include = includes(query);
                if (include.count("trackers")) {
                    json list = json::array();
                    for (const tracker& t : trackers)
                        if (std::find(p->trackers.begin(), p->trackers.end(), t.id) != p->trackers.end())
                            list.push_back({{"id", t.id}, {"name", t.name}});
                    out["trackers"] = std::move(list);
                }
                if (include.count("issue_custom_fields")) {
                    json list = json::array();
                    for (const custom_field& f : custom_fields)
                        if (std::find(p->custom_fields.begin(), p->custom_fields.end(), f.id) !=
                            p->custom_fields.end())
                            list.push_back({{"id", f.id}, {"name", f.name}});
                    out["issue_custom_fields"] = std::move(list);
                }
                return answer(200, json{{"project", std::move(out)}});
            }
            const project* p = find_project(rest.substr(0, slash));
            if (!p) return answer(404);
            const std::string sub = rest.substr(slash);
            if (sub == "/memberships.json") {
                json all = json::array();
                long long membership = 1;
                for (const long long id : p->member_users)
                    for (const user& u : users)
                        if (u.id == id)
                            all.push_back({{"id", membership++},
                                           {"project", {{"id", p->id}, {"name", p->name}}},
                                           {"user", {{"id", u.id}, {"name", u.name()}}},
                                           {"roles", {{{"id", 3}, {"name", "Manager"}}}}});
                for (const long long id : p->member_groups)
                    all.push_back({{"id", membership++},
                                   {"project", {{"id", p->id}, {"name", p->name}}},
                                   {"group", {{"id", id}, {"name", groups.at(id)}}},
                                   {"roles", {{{"id", 4}, {"name", "Developer"}}}}});
                const std::size_t offset = number(param(query, "offset", "0")).value_or(0);
                const std::size_t limit =
                    std::min<std::size_t>(number(param(query, "limit", "25")).value_or(25), 100);
                json page = json::array();
                for (std::size_t k = offset; k < all.size() && k < offset + limit; ++k)
                    page.push_back(all[k]);
                return answer(200, json{{"memberships", std::move(page)},
                                        {"total_count", all.size()},
                                        {"offset", offset},
                                        {"limit", limit}});
            }
            if (sub == "/upkeep_configuration_trust.json") {
                // Upkeep's plugin: who saved a version of the configuration (the latest when none is
                // asked for), and whether they may guard it. Only the latest is kept here.
                const auto page = p->wiki.find("ISMS_configuration");
                const std::string asked = param(query, "version", "");
                if (!trust_plugin || page == p->wiki.end() ||
                    (!asked.empty() && !trust_ignores_version &&
                     number(asked) != std::optional<long long>(page->second.version)))
                    return answer(404);
                if ((asked.empty() || trust_ignores_version) && saved_since) // a later version, by another
                    return answer(200,
                                  json{{"configuration_trust",
                                        {{"version", page->second.version + 1},
                                         {"author", {{"id", saved_since}, {"name", user_name(saved_since)}}},
                                         {"trusted", p->wiki_protectors.count(saved_since) > 0}}}});
                const long long author = page->second.author_id;
                return answer(200, json{{"configuration_trust",
                                         {{"version", page->second.version},
                                          {"author", {{"id", author}, {"name", user_name(author)}}},
                                          {"trusted", p->wiki_protectors.count(author) > 0}}}});
            }
            if (sub.starts_with("/wiki/") && sub.ends_with(".json")) {
                const auto page = p->wiki.find(sub.substr(6, sub.size() - 11));
                if (page == p->wiki.end()) return answer(404);
                json out{
                    {"title", page->first},
                    {"text", page->second.text},
                    {"version", page->second.version},
                    {"author", {{"id", page->second.author_id}, {"name", user_name(page->second.author_id)}}},
                    {"comments", ""},
                    {"created_on", now},
                    {"updated_on", now}};
                if (includes(query).count("attachments")) {
                    json files = json::array();
                    for (const attachment& a : page->second.attachments) {
                        std::string author;
                        for (const user& u : users)
                            if (u.id == a.author_id) author = u.name();
                        files.push_back({{"id", a.id},
                                         {"filename", a.filename},
                                         {"filesize", a.content.size()},
                                         {"content_type", a.content_type},
                                         {"description", a.description},
                                         {"content_url", "http://redmine.test/attachments/download/" +
                                                             std::to_string(a.id) + "/" + a.filename},
                                         {"author", {{"id", a.author_id}, {"name", author}}},
                                         {"created_on", now}});
                    }
                    out["attachments"] = std::move(files);
                }
                return answer(200, json{{"wiki_page", std::move(out)}});
            }
        }
        return answer(404);
    }

    if (request.method == "POST") {
        if (path == "/issues.json") return create_issue(body);
        if (const auto id = id_between(path, "/issues/", "/relations.json")) {
            const auto it = issues.find(*id);
            if (it == issues.end()) return answer(404);
            return add_relation(it->second, body);
        }
        if (path == "/uploads.json") {
            if (request.content_type != "application/octet-stream") return answer(406);
            const long long id = next_attachment_++;
            const std::string token = std::to_string(id) + ".7d5a3c";
            uploads[token] = {id, param(query, "filename"), "", "", request.body, current_user};
            return answer(201, json{{"upload", {{"id", id}, {"token", token}}}});
        }
        return answer(404);
    }

    if (request.method == "PUT") {
        if (const auto id = id_between(path, "/issues/", ".json")) {
            const auto it = issues.find(*id);
            if (it == issues.end()) return answer(404);
            return update_issue(it->second, body);
        }
        if (path.starts_with("/projects/")) {
            const std::string rest = path.substr(10);
            const std::size_t slash = rest.find('/');
            project* p = slash == std::string::npos ? nullptr : find_project(rest.substr(0, slash));
            const std::string sub = slash == std::string::npos ? "" : rest.substr(slash);
            if (p && sub.starts_with("/wiki/") && sub.ends_with(".json"))
                return put_wiki_page(*p, sub.substr(6, sub.size() - 11), body);
        }
        return answer(404);
    }

    if (request.method == "DELETE") {
        if (const auto id = id_between(path, "/attachments/", ".json")) {
            for (project& p : projects)
                for (auto& [title, page] : p.wiki) {
                    auto& files = page.attachments;
                    const auto it = std::find_if(files.begin(), files.end(),
                                                 [&](const attachment& a) { return a.id == *id; });
                    if (it == files.end()) continue;
                    files.erase(it);
                    return answer(204);
                }
            return answer(404);
        }
        return answer(404);
    }
    return answer(405);
}

http_response memory_redmine::list_issues(const std::multimap<std::string, std::string>& query,
                                          std::size_t max_limit) const {
    std::vector<const issue*> found;
    const std::string project_id = param(query, "project_id");
    const project* p = project_id.empty() ? nullptr : find_project(project_id);
    if (!project_id.empty() && !p) return answer(404);
    std::set<long long> tracker_ids;
    const std::string tracker_list = param(query, "tracker_id");
    for (std::size_t at = 0; at < tracker_list.size();) {
        const std::size_t end = std::min(tracker_list.find('|', at), tracker_list.size());
        if (const auto id = number(std::string_view(tracker_list).substr(at, end - at)))
            tracker_ids.insert(*id);
        at = end + 1;
    }
    const std::string status_filter = param(query, "status_id", "open");
    const auto is_closed = [&](const issue& i) {
        for (const status& s : statuses)
            if (s.id == i.status_id) return s.closed;
        return false;
    };
    for (const auto& [id, i] : issues) {
        if (p && i.project_id != p->id) continue;
        if (!tracker_ids.empty() && !tracker_ids.count(i.tracker_id)) continue;
        if (status_filter == "open" && is_closed(i)) continue;
        if (status_filter == "closed" && !is_closed(i)) continue;
        if (const auto sid = number(status_filter); sid && i.status_id != *sid) continue;
        bool match = true;
        for (const auto& [name, value] : query) {
            if (!name.starts_with("cf_")) continue;
            const auto field_id = number(std::string_view(name).substr(3));
            const auto field =
                std::find_if(custom_fields.begin(), custom_fields.end(),
                             [&](const custom_field& f) { return field_id && f.id == *field_id; });
            if (field == custom_fields.end() || !field->filterable) continue; // Redmine ignores it
            const std::string v = field_enabled(i, field->id) ? i.field(field->id) : "";
            if (value == "*")
                match = match && !v.empty();
            else if (value == "!*")
                match = match && v.empty();
            else if (value.starts_with("~"))
                match = match && v.find(value.substr(1)) != std::string::npos;
            else
                match = match && v == value;
        }
        if (match) found.push_back(&i);
    }
    if (param(query, "sort") != "id") std::reverse(found.begin(), found.end()); // Redmine: newest first
    const std::size_t offset = number(param(query, "offset", "0")).value_or(0);
    const std::size_t limit =
        std::min<std::size_t>(number(param(query, "limit", "25")).value_or(25), max_limit);
    const std::set<std::string> include = includes(query);
    json page = json::array();
    for (std::size_t k = offset; k < found.size() && k < offset + limit; ++k)
        page.push_back(issue_json(*found[k], include));
    return answer(200, json{{"issues", std::move(page)},
                            {"total_count", found.size()},
                            {"offset", offset},
                            {"limit", limit}});
}

http_response memory_redmine::create_issue(const json& body) {
    const json fields = body.value("issue", json::object());
    issue i;
    const project* p = find_project(text_or(fields, "project_id", ""));
    if (!p) return errors({"Project cannot be blank"});
    i.project_id = p->id;
    i.tracker_id = id_of(fields.value("tracker_id", json()));
    if (std::find(p->trackers.begin(), p->trackers.end(), i.tracker_id) == p->trackers.end())
        return errors({"Tracker is not included in the list"});
    i.subject = text_or(fields, "subject", "");
    if (i.subject.empty()) return errors({"Subject cannot be blank"});
    i.description = text_or(fields, "description", "");
    i.start_date = text_or(fields, "start_date", "");
    i.due_date = text_or(fields, "due_date", "");
    if (!i.start_date.empty() && !i.due_date.empty() && i.due_date < i.start_date)
        return errors({"Due date must be greater than start date"});
    i.assigned_to_id = id_of(fields.value("assigned_to_id", json()));
    if (i.assigned_to_id && !assignable(*p, i.assigned_to_id)) return errors({"Assignee is invalid"});
    i.author_id = current_user;
    for (const json& f : fields.value("custom_fields", json::array())) {
        const long long id = id_of(f.value("id", json()));
        if (field_enabled(i, id)) i.custom_fields[id] = text_or(f, "value", "");
    }
    const issue& made = add_issue(std::move(i));
    return answer(201, json{{"issue", issue_json(made, {})}});
}

http_response memory_redmine::update_issue(issue& i, const json& body) {
    const json fields = body.value("issue", json::object());
    if (const auto lock = fields.find("lock_version"); lock != fields.end() && id_of(*lock) != i.lock_version)
        return answer(422, json{{"errors", json::array()}}); // stale: someone saved the issue meanwhile
    issue changed = i;
    if (fields.contains("subject")) changed.subject = text_or(fields, "subject", "");
    if (changed.subject.empty()) return errors({"Subject cannot be blank"});
    if (fields.contains("description")) changed.description = text_or(fields, "description", "");
    if (fields.contains("start_date")) changed.start_date = text_or(fields, "start_date", "");
    if (fields.contains("due_date")) changed.due_date = text_or(fields, "due_date", "");
    if (!changed.start_date.empty() && !changed.due_date.empty() && changed.due_date < changed.start_date)
        return errors({"Due date must be greater than start date"});
    if (fields.contains("assigned_to_id")) {
        changed.assigned_to_id = id_of(fields["assigned_to_id"]);
        const project* p = find_project(std::to_string(i.project_id));
        if (changed.assigned_to_id && !assignable(*p, changed.assigned_to_id))
            return errors({"Assignee is invalid"});
    }
    if (fields.contains("status_id")) {
        const long long to = id_of(fields["status_id"]);
        const auto s =
            std::find_if(statuses.begin(), statuses.end(), [&](const status& st) { return st.id == to; });
        // A transition the workflow does not allow is dropped, and the rest saved: Redmine still answers 204.
        if (s != statuses.end() && !(s->closed && close_refused.count(i.tracker_id))) {
            changed.status_id = to;
            if (s->closed && changed.closed_on.empty()) changed.closed_on = now;
        }
    }
    for (const json& f : fields.value("custom_fields", json::array())) {
        const long long id = id_of(f.value("id", json()));
        if (field_enabled(i, id) && !read_only_fields.count(id))
            changed.custom_fields[id] = text_or(f, "value", "");
    }
    changed.journals.push_back({next_journal_++, current_user, text_or(fields, "notes", "")});
    ++changed.lock_version;
    i = std::move(changed);
    return answer(204);
}

http_response memory_redmine::add_relation(issue& i, const json& body) {
    const json r = body.value("relation", json::object());
    const long long to = id_of(r.value("issue_to_id", json()));
    if (!issues.count(to) || to == i.id) return errors({"Related issue is invalid"});
    for (const relation& existing : relations)
        if ((existing.issue_id == i.id && existing.issue_to_id == to) ||
            (existing.issue_id == to && existing.issue_to_id == i.id))
            return errors({"Related issue has already been taken"});
    relation made{next_relation_++, i.id, to, text_or(r, "relation_type", "relates")};
    if (made.type == "blocked") made = {made.id, to, i.id, "blocks"}; // Redmine stores the reverse
    relations.push_back(made);
    return answer(201, json{{"relation",
                             {{"id", made.id},
                              {"issue_id", made.issue_id},
                              {"issue_to_id", made.issue_to_id},
                              {"relation_type", made.type},
                              {"delay", nullptr}}}});
}

http_response memory_redmine::put_wiki_page(project& p, const std::string& title, const json& body) {
    const json fields = body.value("wiki_page", json::object());
    const auto existing = p.wiki.find(title);
    const bool created = existing == p.wiki.end();
    const bool changes = created || text_or(fields, "text", existing->second.text) != existing->second.text ||
                         !fields.value("uploads", json::array()).empty();
    if (!changes) return answer(204); // Redmine saves nothing, so it checks no version either
    if (!created && fields.contains("version") && id_of(fields["version"]) != existing->second.version)
        return answer(409); // someone saved a newer version meanwhile
    wiki_page page = created ? wiki_page{"", 0, {}} : existing->second;
    page.author_id = current_user;
    const std::string text = text_or(fields, "text", page.text);
    // A new page takes the version sent (1 without); a page whose text and attachments stay is not saved.
    if (created)
        page.version = fields.contains("version") ? id_of(fields["version"]) : 1;
    else if (text != page.text || !fields.value("uploads", json::array()).empty())
        ++page.version;
    page.text = text;
    for (const json& u : fields.value("uploads", json::array())) {
        const auto it = uploads.find(text_or(u, "token", ""));
        if (it == uploads.end()) continue; // Redmine ignores a token it does not know
        attachment a = it->second;
        a.filename = text_or(u, "filename", a.filename);
        a.description = text_or(u, "description", "");
        a.content_type = text_or(u, "content_type", "application/octet-stream");
        page.attachments.push_back(std::move(a));
        uploads.erase(it);
    }
    p.wiki[title] = page;
    if (!created) return answer(204);
    return answer(201,
                  json{{"wiki_page", {{"title", title}, {"text", page.text}, {"version", page.version}}}});
}

// --- The Upkeep project -------------------------------------------------------------------------------

memory_redmine isms_redmine() {
    using namespace ids;
    memory_redmine r;
    r.trackers = {{control, "Control task"},
                  {nonconformity, "Nonconformity"},
                  {corrective, "Corrective action"},
                  {follow_up, "ISMS follow-up"},
                  {change, "Change"},
                  {bug, "Bug"}};
    const std::set<long long> upkeep_trackers{control, nonconformity, corrective, follow_up, change};
    r.custom_fields = {
        {key, "Upkeep key", upkeep_trackers},           {state, "Upkeep state", upkeep_trackers},
        {reference, "ISMS reference", upkeep_trackers}, {grade, "NC grade", {nonconformity}},
        {source, "NC source", {nonconformity}},         {actions, "Corrective actions", {nonconformity}},
        {decisions, "Review decisions", {control}},     {impact, "ISMS impact", {change}}};
    r.statuses = {{open, "New", false}, {closed, "Closed", true}};
    r.users = {{ciso, "ciso", "Cleo", "Iso"},
               {bot, "upkeep-bot", "Upkeep", "Bot"},
               {mallory, "mallory", "Mal", "Lory"},
               {itops, "itops", "Ita", "Ops"},
               {11, "secops", "Sec", "Ops"},
               {12, "hr", "Hal", "Ross"},
               {13, "legal", "Lee", "Gal"},
               {14, "purchasing", "Pur", "Chase"},
               {15, "ceo", "Cee", "Oh"}};
    memory_redmine::project p;
    p.id = project;
    p.identifier = "isms";
    p.name = "ISMS";
    p.trackers = {control, nonconformity, corrective, follow_up, change, bug};
    p.custom_fields = {key, state, reference, grade, source, actions, decisions, impact};
    p.member_users = {ciso, bot, itops, 11, 12, 13, 14, 15};
    p.wiki_protectors = {ciso};
    p.wiki["ISMS_sync_lease"] = {"Upkeep's sync lease.\n\nholder: nobody\n", 1, {}, bot};
    r.projects.push_back(std::move(p));
    r.current_user = ciso;
    return r;
}

void set_configuration(memory_redmine& redmine, const std::string& config_json, long long author) {
    auto& wiki = redmine.project_named("isms").wiki;
    const std::string text = configuration_to_wiki_text(config_json, wiki_markup::markdown);
    const auto it = wiki.find("ISMS_configuration");
    if (it == wiki.end())
        wiki["ISMS_configuration"] = {text, 1, {}, author};
    else {
        it->second.text = text;
        it->second.author_id = author;
        ++it->second.version;
    }
}

// --- The pump -----------------------------------------------------------------------------------------

pumped pump(exchange& run, memory_redmine& redmine,
            const std::function<bool(std::size_t, const http_request&)>& stop) {
    pumped out;
    for (;;) {
        const exchange_step step = run.next();
        if (step.what == exchange_step::kind::done) {
            out.done = true;
            return out;
        }
        if (step.what == exchange_step::kind::wait) {
            ++out.waits;
            continue;
        }
        REQUIRE_MESSAGE(out.sent < 5000, "the session does not end: last " << step.requests.back().method
                                                                           << " "
                                                                           << step.requests.back().path);
        // Reads given together are handled as a server would, one after the other; a stop between them
        // loses the answers of the batch (the run is killed with requests out), a stop after the last
        // comes once the run has its answers.
        std::vector<http_response> responses;
        for (const http_request& request : step.requests) {
            responses.push_back(redmine.handle(request));
            ++out.sent;
            if (stop && responses.size() < step.requests.size() && stop(out.sent, request)) return out;
        }
        run.answer(responses);
        if (stop && stop(out.sent, step.requests.back())) return out;
    }
}

} // namespace upkeep::testing
