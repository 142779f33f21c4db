#pragma once
// Small writes of the ISMS tab: a wiki page saved (the configuration imported, the review pack), with the
// version it was based on so an edit made meanwhile is refused, never overwritten; and a file attached to
// a ticket with a note (the review pack's HTML on the management review ticket).

#include "upkeep/redmine/session.hpp"

#include <optional>

namespace upkeep::redmine {

class wiki_page_write final : public session {
public:
    struct options {
        std::string project;
        std::string title;
        std::string text;
        std::string comment;
        std::optional<long long> version; // the version the text was based on; none: a new page
    };
    explicit wiki_page_write(options opts);
    /// {"saved", "failure"}; a page saved meanwhile by someone else is a "refused" failure saying so.
    nlohmann::json result() const;

private:
    void take(nlohmann::json& body, const http_response& response) override;
    bool refused(const http_response& response) override;
    bool saved_ = false;
};

class ticket_attachment final : public session {
public:
    struct options {
        long long issue = 0;
        std::string filename;
        std::string content_type;
        std::string bytes;
        std::string note;
    };
    explicit ticket_attachment(options opts);
    /// {"attached", "failure"}.
    nlohmann::json result() const;

private:
    void take(nlohmann::json& body, const http_response& response) override;
    options opts_;
    bool attached_ = false;
};

} // namespace upkeep::redmine
