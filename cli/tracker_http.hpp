#pragma once
// HTTP to a tracker's REST API (cpp-httplib): the API key in a header, JSON bodies, bounded retries
// with exponential backoff that honour Retry-After, and a count of every request made.

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace httplib {
class Client;
}

namespace upkeep::cli {

struct http_answer {
    int status = 0;      // 0 when no answer came (connection refused, reset, timeout)
    std::string error;   // what went wrong at the connection level
    nlohmann::json body; // parsed JSON, or null

    bool ok() const { return status >= 200 && status < 300; }
};

struct retry_policy {
    int max_attempts = 6;                      // per request
    std::chrono::milliseconds base_delay{500}; // doubled each retry
    std::chrono::milliseconds max_delay{8000};
    std::chrono::seconds max_retry_after{120}; // a longer Retry-After is not waited for
};

class tracker_http {
public:
    /// `base_url` such as http://127.0.0.1:3300 or https://tracker.example.com/redmine.
    tracker_http(const std::string& base_url, std::string api_key, retry_policy policy);
    ~tracker_http();

    /// GET with retries on connection errors, 429 and 5xx.
    http_answer get(const std::string& path);

    /// A write that must happen once (a POST that creates, a PUT that adds a note, a DELETE with a null
    /// body): before each retry,
    /// `already_done()` says whether the failed attempt went through anyway (its answer was lost): true,
    /// false, or nullopt when that cannot be known, in which case the write stops unrepeated.
    http_answer write_once(const std::string& method, const std::string& path, const nlohmann::json& body,
                           const std::function<std::optional<bool>()>& already_done);

    /// POST of a file's bytes (Redmine's /uploads.json), with the retries of GET: a repeated upload only
    /// leaves an unattached file, which `rake redmine:attachments:prune` removes.
    http_answer upload(const std::string& path, const std::string& bytes);

    std::size_t requests() const { return requests_; }
    bool valid_url() const { return client_ != nullptr; }
    const std::string& url() const { return base_url_; }

private:
    http_answer send(const std::string& method, const std::string& path, const std::string& payload,
                     const char* content_type);
    bool should_retry(const http_answer& answer, int attempt) const;
    void wait_before_retry(const http_answer& answer, int attempt, const std::string& what);

    std::string base_url_;
    std::string prefix_; // the URL's path, before every request path
    std::string api_key_;
    retry_policy policy_;
    std::unique_ptr<httplib::Client> client_;
    std::size_t requests_ = 0;
    std::optional<std::chrono::seconds> last_retry_after_;
};

/// "GET /issues.json: HTTP 500" or "GET /issues.json: connection refused".
std::string describe(const std::string& method, const std::string& path, const http_answer& answer);

} // namespace upkeep::cli
