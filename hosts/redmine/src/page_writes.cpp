#include "upkeep/redmine/page_writes.hpp"

#include <upkeep/json_value.hpp>

namespace upkeep::redmine {

using json = nlohmann::json;

wiki_page_write::wiki_page_write(options opts) {
    const std::string path =
        "/projects/" + url_escape(opts.project) + "/wiki/" + url_escape(opts.title) + ".json";
    write_page(path, opts.text, opts.comment, opts.version, "save the wiki page " + opts.title);
}

void wiki_page_write::take(json&, const http_response&) {
    saved_ = true;
}

bool wiki_page_write::refused(const http_response& response) {
    if (response.status != 409) return false;
    fail(failure_kind::refused,
         what() + ": someone saved a newer version of the page meanwhile: reload and try again");
    return true;
}

json wiki_page_write::result() const {
    return json_object({{"saved", saved_}, {"failure", failure_json(failure())}});
}

ticket_attachment::ticket_attachment(options opts) : opts_(std::move(opts)) {
    upload(opts_.filename, opts_.bytes);
}

void ticket_attachment::take(json& body, const http_response&) {
    if (attached_) return;
    if (!body.is_null() && body.contains("upload")) {
        // One PUT with the note and the file; a lost answer is not repeated (a note would be written twice).
        const json upload =
            json_object({{"token", json_value(body, json_path{"/upload/token"}, std::string{})},
                         {"filename", opts_.filename},
                         {"content_type", opts_.content_type}});
        return write("PUT", "/issues/" + std::to_string(opts_.issue) + ".json",
                     json_object({{"issue", json_object({{"notes", opts_.note},
                                                         {"uploads", json::array({upload})}})}}),
                     "", {}, "attach " + opts_.filename);
    }
    attached_ = true;
}

json ticket_attachment::result() const {
    return json_object({{"attached", attached_}, {"failure", failure_json(failure())}});
}

} // namespace upkeep::redmine
