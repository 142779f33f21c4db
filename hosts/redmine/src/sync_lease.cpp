// The sync lease in Redmine: the wiki page ISMS_sync_lease (sync_lease.hpp says why and what it holds).
//
// Design note. Before it reads the tickets, a sync that writes GETs the page; when someone holds an
// unexpired lease it stops (failure "busy", nothing read or written), unless told to break it. Otherwise
// it PUTs its own lease with the version it read: Redmine answers 409 when the page was saved since, so of
// two syncs that read it free only one takes it; the other reads it again and learns who holds it. A page
// that does not exist yet is made free first, with version 0: Redmine gives a new page the version sent
// and keeps a page whose text does not change, so a second sync that also found no page either changes
// nothing or, when the first took the lease meanwhile (version 1), gets 409; two that make it at the same
// moment through two application processes get one 422 (a page of that title exists); either way the
// page is read and taken as any other. Two that take a free page at the same moment through two processes
// may get 422 too (the second save of the same version, on PostgreSQL): read again, as after a 409. When the
// session stops, finished or failed, it PUTs "nobody" with the version it wrote, so a sync whose lease
// expired and was taken meanwhile overwrites nothing and says so. A lost answer of the take is looked up by
// the page's text (it names the run); a release that fails leaves the lease to expire.

#include "upkeep/redmine/sync_session.hpp"

#include <upkeep/json_value.hpp>
#include <upkeep/sync_lease.hpp>

namespace upkeep::redmine {

using json = nlohmann::json;

std::string sync_session::lease_path() const {
    return "/projects/" + url_escape(project()) + "/wiki/" + sync_lease_page + ".json";
}

void sync_session::read_lease() {
    stage_ = stage::lease_read;
    read(lease_path());
}

void sync_session::take_lease(const json& page) {
    if (page.is_null()) { // no page yet: made free at version 0, read again, then taken as any other
        if (lease_tries_++ == 3)
            return fail(failure_kind::not_set_up, "the sync lease's page cannot be made");
        stage_ = stage::lease_create;
        return write_page(lease_path(), sync_lease_text({}), "Sync lease", 0, "make the sync lease's page");
    }
    const std::string text = json_value(page, json_path{"/wiki_page/text"}, std::string{});
    const auto current = sync_lease_from_text(text);
    if (current && sync_lease_held(*current, opts_.now) && !opts_.break_lease)
        return fail(failure_kind::busy, "another sync is running: " + sync_lease_holder_words(*current) +
                                            ". Nothing was written; run again once it has ended");
    lease_version_ = json_value(page, json_path{"/wiki_page/version"}, 0LL);
    stage_ = stage::lease_take;
    write_page(lease_path(), sync_lease_text({login(), opts_.run, opts_.now, opts_.lease_until}),
               "Sync lease taken", lease_version_, "take the sync lease");
}

// 204 (the version read, plus one), or the page looked up after a lost answer.
void sync_session::lease_taken(const json& body) {
    lease_version_ = json_value(body, json_path{"/wiki_page/version"}, lease_version_ + 1);
    holding_ = true;
    read_tickets();
}

void sync_session::stopping() {
    if (!holding_) return;
    holding_ = false;
    releasing_ = true;
    write_page(lease_path(), sync_lease_text({}), "Sync lease released", lease_version_,
               "release the sync lease");
}

bool sync_session::refused(const http_response& response) {
    if (releasing_) {
        lease_ =
            response.status == 409
                ? "changed by someone else before this sync released it (it expired and another sync took "
                  "it, or it was broken): two syncs may have run at once; `upkeep status` reports any "
                  "duplicate ticket"
                : "not released (" + classify(response).message + "); it expires by itself";
        return true;
    }
    if (stage_ > stage::lease_take) return feed_refused(response);
    // Another sync took it since it was read, or made or took the page at the same moment in another
    // application process (Redmine refuses the second save with 422): who holds it?
    if (response.status == 409 ||
        (response.status == 422 && (stage_ == stage::lease_create || stage_ == stage::lease_take))) {
        if (++lease_tries_ <= 3) return read_lease(), true;
        fail(failure_kind::busy, "the sync lease keeps changing hands; run again");
        return true;
    }
    if (response.status != 403 && response.status != 404) return false;
    fail(response.status == 403 ? failure_kind::refused : failure_kind::not_set_up,
         classify(response).message + ". A sync holds its lease on the wiki page " + sync_lease_page +
             ": the project needs its Wiki module and the account \"Edit wiki pages\" (`rake upkeep:setup`)");
    return true;
}

} // namespace upkeep::redmine
