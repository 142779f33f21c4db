// Redmine's sessions: the shared mechanism, the opening and the owner lookup.
//
// Design note. A session queues the operations it asks for and takes their answers in that order; it
// finishes when none is left. A write (or an upload) goes alone; reads asked for before an answer comes
// go together (exchange.hpp), each with the stream it belongs to, so that a session reading several lists
// tells their answers apart. The opening reads, together: the account (/users/current.json), the project
// with its trackers and issue custom fields, the statuses and the configuration's wiki page unless a
// configuration was given, and whether whoever saved its latest version may protect wiki pages (Upkeep's
// plugin answers that; asked again for the version read when the page changed in between). Every problem of
// the setup is found there, before any write. Answers are parsed as JSON; an answer of another shape (a
// proxy's HTML page, a server that is not Redmine) stops the session with what it is.

#include "upkeep/redmine/session.hpp"

#include <upkeep/json_value.hpp>

#include "upkeep/redmine/wiki_storage.hpp"

#include <upkeep/json_parse.hpp>
#include <upkeep/supplier_reviews.hpp>

#include <algorithm>

namespace upkeep::redmine {

using json = nlohmann::json;

std::optional<operation> session::next() {
    if (finished_ || out_ > 0 || queue_.empty()) return std::nullopt;
    ++out_;
    return queue_.front().op;
}

std::optional<operation> session::next_alongside() {
    if (finished_ || out_ == 0 || out_ >= queue_.size()) return std::nullopt;
    const auto is_read = [](const queued& q) { return !q.op.write && q.op.request.method == "GET"; };
    if (!is_read(queue_.front()) || !is_read(queue_[out_])) return std::nullopt;
    return queue_[out_++].op;
}

std::string session::what() const {
    return last_.method.empty() ? std::string("the last request") : last_.method + " " + last_.path;
}

void session::read(std::string path, int stream) {
    queue_.push_back({operation{{"GET", std::move(path), "", "", -1}, false, std::nullopt, ""}, stream});
}

void session::write(std::string method, std::string path, json body, std::string check,
                    write_check went_through, std::string label) {
    operation op{{std::move(method), std::move(path), body.is_null() ? "" : body.dump(),
                  body.is_null() ? "" : "application/json", -1},
                 true,
                 std::nullopt,
                 std::move(label)};
    if (!check.empty() && went_through.what != write_check::kind::never)
        op.check = http_request{"GET", std::move(check), "", "", -1};
    queue_.push_back({std::move(op), 0});
    check_ = std::move(went_through);
}

void session::write_page(const std::string& path, const std::string& text, const std::string& comment,
                         std::optional<long long> version, std::string label) {
    json page = json_object({{"text", text}, {"comments", comment}});
    if (version) page["version"] = *version;
    write("PUT", path, json_object({{"wiki_page", std::move(page)}}), path,
          {write_check::kind::text_is, text, 0}, std::move(label));
}

void session::upload(const std::string& filename, std::string bytes, int file) {
    queue_.push_back({operation{{"POST", "/uploads.json?filename=" + url_escape(filename), std::move(bytes),
                                 "application/octet-stream", file},
                                false,
                                std::nullopt,
                                "upload " + filename},
                      0});
    check_ = {};
}

bool session::refused(const http_response&) {
    return false;
}

void session::fail(failure_kind kind, std::string message, diagnostics problems) {
    if (!failure_) failure_ = session_failure{kind, std::move(message), std::move(problems)};
    finish();
}

void session::finish() {
    queue_.clear();
    out_ = 0;
    if (!stopping_) {
        stopping_ = true;
        stopping();
        if (!queue_.empty()) return; // its last operation
    }
    finished_ = true;
}

session_failure session::classify(const http_response& r) const {
    const std::string request = what();
    const std::string status = r.status          ? "HTTP " + std::to_string(r.status)
                               : r.error.empty() ? "no answer"
                                                 : r.error;
    const std::string at = request + ": " + status;
    switch (r.status) {
    case 0:
        return {failure_kind::unreachable,
                at + ": cannot reach Redmine" + (address_.empty() ? "" : " at " + address_) +
                    "; check the address and that it runs",
                {}};
    case 301:
    case 302:
    case 303:
    case 307:
    case 308: {
        // No redirect is followed (the key would go where nobody asked it to): say where it pointed. When
        // it points to the same request elsewhere, Redmine moved; otherwise something stands in front of it.
        std::string moved; // the address Redmine answers at now, when it only moved
        if (!last_.path.empty() && r.location.ends_with(last_.path) && r.location.size() > last_.path.size())
            moved = r.location.substr(0, r.location.size() - last_.path.size());
        if (moved.find_first_of("?#") != std::string::npos) moved.clear();
        return {failure_kind::bad_input,
                at + " to " + (r.location.empty() ? "nowhere" : r.location) +
                    ": Upkeep follows no redirect; " +
                    (moved.empty() ? "give the address where Redmine's REST API answers itself (a login page "
                                     "or a proxy is in front of this one)"
                                   : "Redmine moved: use " + moved + " as its address"),
                {}};
    }
    case 401:
        return {
            failure_kind::refused,
            at + ": the API key was refused; check it (My account > API access key) and that the REST API is "
                 "enabled (Administration > Settings > API)",
            {}};
    case 403:
        return {
            failure_kind::refused,
            at + ": the account lacks a permission; make it a project member with a role that can view, add "
                 "and edit issues and view the wiki",
            {}};
    case 404:
        return {failure_kind::not_set_up,
                at + ": not found or not visible to this account; check the project and "
                     "membership",
                {}};
    case 409:
        return {failure_kind::unreachable, at + ": someone saved a newer version meanwhile; run again", {}};
    case 422: {
        std::string reasons;
        const json body = parse_json_or_discarded(r.body);
        if (body.is_object())
            for (const json& e : json_array_at(body, "errors"))
                if (e.is_string()) reasons += (reasons.empty() ? "" : "; ") + e.get<std::string>();
        return {failure_kind::not_set_up,
                at + ": Redmine refused the data (" + (reasons.empty() ? "no reason given" : reasons) +
                    "); fix that, or run `rake upkeep:setup`",
                {}};
    }
    default:
        return {failure_kind::unreachable,
                at + ": Redmine keeps failing; try again later (a rerun continues where "
                     "this stopped)",
                {}};
    }
}

void session::answer(const http_response& response) {
    if (out_ == 0) return; // an answer to a read given before the session stopped
    last_ = queue_.front().op.request;
    answering_ = queue_.front().stream;
    const bool is_read = last_.method == "GET";
    queue_.pop_front();
    --out_;
    const bool success = response.status >= 200 && response.status < 300;
    if (!success && !(is_read && response.status == 404)) {
        if (!refused(response)) {
            const session_failure why = classify(response);
            fail(why.kind, why.message);
        }
    } else {
        json body;
        if (success && !response.body.empty()) body = parse_json_or_discarded(response.body);
        if (body.is_discarded())
            return fail(failure_kind::unreachable,
                        what() +
                            ": the answer is not JSON: is the address the Redmine's (not a login page or "
                            "another server)?");
        take_answer([&] { take(body, response); },
                    [&](const std::string& error) {
                        fail(failure_kind::unreachable,
                             what() + ": Redmine's answer could not be read: " + error);
                    });
    }
    if (queue_.empty() && !finished_) finish();
}

void session::interrupt(const std::string& why) {
    if (finished_) return;
    queue_.clear();
    out_ = 0;
    fail(failure_kind::unreachable, why);
}

bool session::went_through(int, const json&) const {
    return false;
}

bool session::applied(const http_response& check) const {
    const json body = check.body.empty() ? json() : parse_json_or_discarded(check.body);
    if (body.is_discarded()) return false;
    const bool ok = check.status == 200;
    const json issue = ok && body.is_object() ? json_object_at(body, "issue") : json::object();
    bool went = false;
    take_answer(
        [&] {
            switch (check_.what) {
            case write_check::kind::never:
                break;
            case write_check::kind::key_listed: {
                // The key is compared: Redmine ignores a filter on a field that is not filterable.
                const auto tickets = ok ? tickets_from_page(body, ctx_) : std::vector<tracked_ticket>{};
                went = std::any_of(tickets.begin(), tickets.end(),
                                   [&](const tracked_ticket& t) { return t.key == check_.value; });
                break;
            }
            case write_check::kind::state_is:
                went = ok && custom_value(issue, ctx_.state_field_id) == check_.value;
                break;
            case write_check::kind::closed:
                went = ok && is_closed(issue, ctx_);
                break;
            case write_check::kind::gone:
                went = check.status == 404;
                break;
            case write_check::kind::text_is: { // Redmine stores line ends as \r\n
                const auto lines = [](std::string text) {
                    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
                    return text;
                };
                went = ok && lines(json_value(body, json_path{"/wiki_page/text"}, std::string{})) ==
                                 lines(check_.value);
                break;
            }
            case write_check::kind::related:
                for (const json& r : json_array_at(issue, "relations"))
                    if (json_value(r, "issue_id", 0LL) == check_.id ||
                        json_value(r, "issue_to_id", 0LL) == check_.id)
                        went = ok;
                break;
            case write_check::kind::own:
                went = went_through(check.status, body);
                break;
            }
        },
        [](const std::string&) {});
    return went;
}

// --- The opening ------------------------------------------------------------------------------------

// The opening's first reads go together: none needs another's answer. Their answers come in this order,
// so each stage takes its own.
project_session::project_session(opening open) : open_(std::move(open)) {
    read("/users/current.json");
    read("/projects/" + url_escape(open_.project) + ".json?include=trackers,issue_custom_fields");
    read("/issue_statuses.json");
    if (!open_.config_text) {
        read("/projects/" + url_escape(open_.project) + "/wiki/" + configuration_page + ".json" +
             (open_.wiki_attachments ? "?include=attachments" : ""));
        read(trust_path(""));
    }
}

std::string project_session::trust_path(const std::string& version) const {
    return "/projects/" + url_escape(open_.project) + "/upkeep_configuration_trust.json" +
           (version.empty() ? "" : "?version=" + version);
}

std::string project_session::config_source() const {
    return open_.config_text ? "the configuration file" : std::string("wiki page ") + configuration_page;
}

std::string project_session::configuration_version_url() const {
    const std::string version = std::to_string(json_value(wiki_page_, json_path{"/wiki_page/version"}, 0LL));
    return std::string("wiki page ") + configuration_page + ", version " + version + " (" + address() +
           "/projects/" + open_.project + "/wiki/" + configuration_page + "/" + version + ")";
}

std::string project_session::login() const {
    return json_value(current_user_, json_path{"/user/login"}, std::string{});
}

bool project_session::load_configuration(const std::string& text) {
    config_text_ = text;
    config_ = parse_configuration(text);
    if (has_errors(config_.problems)) {
        fail(failure_kind::bad_input,
             "the configuration (" + config_source() + ") has errors; nothing was written", config_.problems);
        return false;
    }
    // Tickets count as Upkeep's by their author: an account outside the sync accounts would make tickets
    // the others take for look-alikes, and duplicate.
    const auto& accounts = config_.config.sync.accounts;
    if (open_.sync_account && !accounts.empty() &&
        std::find(accounts.begin(), accounts.end(), login()) == accounts.end()) {
        fail(failure_kind::not_set_up,
             "the account \"" + login() +
                 "\" is not one of the configuration's sync accounts (/sync/accounts): add it there, or sync "
                 "as "
                 "one of them, so that every sync counts the same tickets as Upkeep's");
        return false;
    }
    return true;
}

void project_session::take(json& body, const http_response& response) {
    const bool missing = body.is_null();
    switch (stage_) {
    case stage::account:
        current_user_ = body;
        stage_ = stage::project;
        return;
    case stage::project:
        if (missing)
            return fail(failure_kind::not_set_up,
                        "project \"" + open_.project +
                            "\" does not exist or is not visible to this account: check "
                            "the identifier, and make the account a member");
        project_ = body;
        stage_ = stage::statuses;
        return;
    case stage::statuses: {
        diagnostics setup;
        ctx_ = discover(current_user_, project_, body, setup);
        ctx_.plugin_lists = plugin_lists_;
        if (!setup.empty())
            return fail(failure_kind::not_set_up,
                        "Redmine project " + open_.project + " is not ready for Upkeep; nothing was written",
                        setup);
        if (open_.config_text) {
            if (!load_configuration(*open_.config_text)) return;
            stage_ = stage::own;
            return opened();
        }
        stage_ = stage::wiki;
        return;
    }
    case stage::wiki: {
        if (missing) {
            configuration_missing_ = true;
            return fail(failure_kind::not_set_up,
                        std::string("the project has no wiki page ") + configuration_page +
                            ": import a configuration in the ISMS tab, or give one");
        }
        wiki_page_ = body; // its attachments hold the published calendar (calendar_feed.hpp)
        const auto text =
            configuration_from_wiki_text(json_value(body, json_path{"/wiki_page/text"}, std::string{}));
        if (!text)
            return fail(failure_kind::bad_input, std::string("the wiki page ") + configuration_page +
                                                     " opens a code block it never closes");
        wiki_config_text_ = *text;
        stage_ = stage::trust;
        return;
    }
    case stage::trust: {
        if (missing)
            return fail(failure_kind::not_set_up,
                        what() + ": Upkeep's Redmine plugin does not answer it: install the plugin of this "
                                 "Upkeep version in the Redmine (docs/redmine.md)");
        const json& trust = json_object_at(body, "configuration_trust");
        // Read beside the page, the trust is of the page's latest version: of another one than read when
        // the page was saved in between, so then of the version read.
        const std::string read_version =
            std::to_string(json_value(wiki_page_, json_path{"/wiki_page/version"}, 0LL));
        if (std::to_string(json_value(trust, "version", 0LL)) != read_version) {
            if (trust_of_version_read_)
                return fail(failure_kind::unreachable,
                            what() +
                                ": the plugin answered for another version of the configuration page than "
                                "the one asked for: install the plugin of this Upkeep version");
            trust_of_version_read_ = true;
            return read(trust_path(read_version));
        }
        if (!json_value(trust, "trusted", false)) {
            const std::string author = json_value(trust, json_path{"/author/name"}, std::string{});
            return fail(
                failure_kind::refused,
                std::string("the configuration (wiki page ") + configuration_page + ", version " +
                    std::to_string(json_value(trust, "version", 0LL)) + ") was saved by " +
                    (author.empty() ? std::string("an account that no longer exists") : author) +
                    ", who may not protect wiki pages in project " + open_.project +
                    ": Upkeep trusts a configuration only as saved by someone with Redmine's \"Protect "
                    "wiki pages\" there (only they may edit the protected page). Have one of them "
                    "review the page and save it; nothing was written");
        }
        if (!load_configuration(wiki_config_text_)) return;
        stage_ = stage::own;
        return opened();
    }
    case stage::own:
        return take_own(body, response);
    }
}

// --- Authors and owners
// -------------------------------------------------------------------------------------------

namespace {

// An account (`{"id", "login"}`) counts as Upkeep's when its login is one of the sync accounts.
void count_if_sync_account(context& ctx, const json& user, const std::vector<std::string>& accounts) {
    const std::string login = json_value(user, "login", std::string{});
    if (!login.empty() && std::find(accounts.begin(), accounts.end(), login) != accounts.end())
        ctx.upkeep_user_ids.insert(json_value(user, "id", 0LL));
}

} // namespace

void author_check::collect(context& ctx, const json& page, const std::vector<std::string>& accounts) {
    for (const json& issue : json_array_at(page, "issues")) {
        if (custom_value(issue, ctx.key_field_id).empty()) continue;
        const json& author = json_object_at(issue, "author");
        // Upkeep's plugin lists give the author's login (when the reader may see the account): no read.
        if (author.contains("login"))
            count_if_sync_account(ctx, author, accounts);
        else
            want(ctx, json_value(author, "id", 0LL));
    }
}

void author_check::want(const context& ctx, long long id) {
    if (id && !ctx.upkeep_user_ids.count(id) &&
        std::find(authors_.begin(), authors_.end(), id) == authors_.end())
        authors_.push_back(id);
}

std::optional<std::string> author_check::next() {
    if (authors_.empty()) return std::nullopt;
    const long long id = authors_.back();
    authors_.pop_back();
    return "/users/" + std::to_string(id) + ".json";
}

void author_check::take(context& ctx, const json& body, const std::vector<std::string>& accounts) {
    if (body.is_null()) return; // gone: not one of the accounts
    count_if_sync_account(ctx, json_object_at(body, "user"), accounts);
}

std::string own_ticket_pages::first(const context& ctx) {
    return issues_query(ctx, 0);
}

void project_session::add_suppliers(const std::vector<supplier_record>& suppliers) {
    add_supplier_reviews(config_.config, suppliers);
}

std::optional<std::string> own_ticket_pages::take(context& ctx, json& page,
                                                  const std::vector<std::string>& accounts) {
    authors.collect(ctx, page, accounts);
    const auto query = [&] {
        switch (reading_) {
        case list::tickets:
            return issues_query(ctx, offset_);
        case list::nonconformities:
            return nonconformities_query(ctx, offset_);
        default:
            return changes_query(ctx, {ctx.supplier_tracker_id}, offset_);
        }
    };
    const bool more = more_pages(page, "issues", offset_);
    (reading_ == list::tickets           ? tickets
     : reading_ == list::nonconformities ? nonconformities
                                         : suppliers)
        .push_back(std::move(page)); // kept, not copied
    if (more) return query();
    if (reading_ == list::suppliers || (reading_ == list::nonconformities && !suppliers_wanted))
        return std::nullopt;
    reading_ = reading_ == list::tickets ? list::nonconformities : list::suppliers;
    offset_ = 0;
    return query();
}

void own_ticket_pages::clear() {
    tickets.clear();
    nonconformities.clear();
    suppliers.clear();
}

std::vector<std::string> owner_lookup::unknown(const context& ctx, const std::vector<std::string>& wanted) {
    std::vector<std::string> out;
    for (const std::string& owner : wanted)
        if (!owner.empty() && !ctx.principals.count(owner) &&
            std::find(out.begin(), out.end(), owner) == out.end())
            out.push_back(owner);
    return out;
}

std::optional<std::string> owner_lookup::next(const context& ctx, const std::vector<std::string>& wanted,
                                              const std::string& project) {
    if (unknown(ctx, wanted).empty()) return std::nullopt;
    if (!started_ || (stage_ == stage::memberships && offset_ > 0)) {
        started_ = true;
        return "/projects/" + url_escape(project) +
               "/memberships.json?limit=100&offset=" + std::to_string(offset_);
    }
    if (members_.empty()) return std::nullopt;
    const long long id = members_.back();
    members_.pop_back();
    return "/users/" + std::to_string(id) + ".json";
}

void owner_lookup::take(context& ctx, const json& body) {
    if (stage_ == stage::members) {
        if (!body.is_null()) add_user(ctx, body);
        return;
    }
    const auto users = add_memberships(ctx, body);
    members_.insert(members_.end(), users.begin(), users.end());
    if (more_pages(body, "memberships", offset_)) return; // offset_ > 0: the next page
    offset_ = 0;
    std::reverse(members_.begin(), members_.end());
    stage_ = stage::members;
}

} // namespace upkeep::redmine
