// Jira Cloud's sessions, opened from JSON requests (the CLI; the Forge app's backend next):
//   "status"   {"project": the project's key, "config": the configuration's text}: what the status needs;
//              once done, its calls "status", "export_file" and "calendar" compute from what it read
//              (json_api.hpp)
// A command's requests carry the account's e-mail and API token (the credential "EMAIL:TOKEN") as HTTP
// Basic authentication, as Jira Cloud's REST API takes them.

#include "upkeep/jira/host.hpp"

#include "upkeep/jira/status_reader.hpp"

#include <upkeep/json_api.hpp>
#include <upkeep/json_api_detail.hpp>
#include <upkeep/json_value.hpp>

#include <algorithm>

namespace upkeep::jira {
namespace {

using json = nlohmann::json;

// The status read, run by an exchange.
class hosted_status final : public host_session {
public:
    hosted_status(std::unique_ptr<status_reader> session, const retry_policy& policy)
        : session_(session.get()), run_(std::move(session), policy) {}
    exchange& run() override { return run_; }
    json result() const override { return session_->result(); }
    json call(std::string_view method, const json& request) const override {
        if (session_->failure()) return json_object({{"error", session_->failure()->message}});
        return json_api::reading_call(session_->config(), session_->snapshot(), method, request);
    }
    const tracker_snapshot* snapshot() const override {
        return session_->failure() ? nullptr : &session_->snapshot();
    }
    const std::string* configuration_text() const override { return &session_->config_text(); }

private:
    status_reader* session_;
    exchange run_;
};

std::unique_ptr<host_session> open_session(std::string_view kind, const json& request,
                                           const retry_policy& policy, std::string& error) {
    // A project's key as Jira makes them: a capital letter, then capitals, digits and underscores.
    const std::string project = json_api::detail::text(request, "project", "");
    const bool key = project.size() >= 2 && project.size() <= 255 && project[0] >= 'A' && project[0] <= 'Z' &&
                     std::all_of(project.begin(), project.end(), [](char c) {
                         return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                     });
    if (!key) {
        error = "project: expected the Jira project's key, such as ISMS (\"" + project + "\" is not one)";
        return nullptr;
    }
    if (kind == "status") {
        const auto config = request.find("config");
        return std::make_unique<hosted_status>(
            std::make_unique<status_reader>(project,
                                            config != request.end() && config->is_string()
                                                ? std::optional(config->get<std::string>())
                                                : std::nullopt,
                                            json_api::detail::text(request, "url", "")),
            policy);
    }
    error = "no session \"" + std::string(kind) + "\" for Jira Cloud yet";
    return nullptr;
}

// RFC 4648 base64, for HTTP Basic authentication.
std::string base64(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        unsigned v = 0;
        for (std::size_t k = 0; k < 3; ++k)
            v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k)
            out.push_back(k <= n ? alphabet[(v >> (18 - 6 * k)) & 63] : '=');
    }
    return out;
}

} // namespace

void register_host() {
    const auto basic = [](const std::string& credential) {
        return http_header{"Authorization", "Basic " + base64(credential)};
    };
    upkeep::register_host({"jira", host_profile{"Jira Cloud", {""}, markup::markdown, basic}, open_session});
}

} // namespace upkeep::jira
