#include "tracker_http.hpp"

#include <httplib.h>

#include <iostream>
#include <thread>

namespace upkeep::cli {

tracker_http::tracker_http(const std::string& base_url, std::string api_key, retry_policy policy)
    : base_url_(base_url), api_key_(std::move(api_key)), policy_(policy) {
    std::string url = base_url;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return;
    const std::size_t path_start = url.find('/', scheme_end + 3);
    if (path_start != std::string::npos) {
        prefix_ = url.substr(path_start);
        url = url.substr(0, path_start);
    }
    const std::string scheme = url.substr(0, scheme_end);
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
    if (scheme == "https") return;
#endif
    if (scheme != "http" && scheme != "https") return;
    client_ = std::make_unique<httplib::Client>(url);
    client_->set_connection_timeout(10, 0);
    client_->set_read_timeout(60, 0);
    client_->set_write_timeout(60, 0);
    client_->set_keep_alive(true);
    client_->set_default_headers({{"X-Redmine-API-Key", api_key_}, {"Accept", "application/json"}});
}

tracker_http::~tracker_http() = default;

http_answer tracker_http::send(const std::string& method, const std::string& path, const std::string& payload,
                               const char* content_type) {
    ++requests_;
    http_answer answer;
    const std::string full = prefix_ + path;
    httplib::Result result = method == "GET"      ? client_->Get(full)
                             : method == "DELETE" ? client_->Delete(full)
                             : method == "PUT"    ? client_->Put(full, payload, content_type)
                                                  : client_->Post(full, payload, content_type);
    last_retry_after_.reset();
    if (!result) {
        answer.error = httplib::to_string(result.error());
        return answer;
    }
    answer.status = result->status;
    if (result->has_header("Retry-After")) {
        try {
            last_retry_after_ = std::chrono::seconds(std::stol(result->get_header_value("Retry-After")));
        } catch (...) {
            // an HTTP date: fall back to the backoff
        }
    }
    if (!result->body.empty()) answer.body = nlohmann::json::parse(result->body, nullptr, false);
    if (answer.body.is_discarded()) answer.body = nullptr;
    return answer;
}

bool tracker_http::should_retry(const http_answer& answer, int attempt) const {
    if (attempt >= policy_.max_attempts) return false;
    if (last_retry_after_ && *last_retry_after_ > policy_.max_retry_after) return false;
    return answer.status == 0 || answer.status == 429 || answer.status >= 500;
}

void tracker_http::wait_before_retry(const http_answer& answer, int attempt, const std::string& what) {
    auto delay = policy_.base_delay * (1 << std::min(attempt - 1, 16));
    if (delay > policy_.max_delay) delay = policy_.max_delay;
    if (last_retry_after_ && *last_retry_after_ > delay) delay = *last_retry_after_;
    std::cerr << "upkeep: " << what << " ("
              << (answer.status ? "HTTP " + std::to_string(answer.status) : answer.error) << "); retrying in "
              << delay.count() << " ms (attempt " << attempt + 1 << " of " << policy_.max_attempts << ")\n";
    std::this_thread::sleep_for(delay);
}

http_answer tracker_http::get(const std::string& path) {
    for (int attempt = 1;; ++attempt) {
        http_answer answer = send("GET", path, {}, nullptr);
        if (!should_retry(answer, attempt)) return answer;
        wait_before_retry(answer, attempt, "GET " + path);
    }
}

http_answer tracker_http::upload(const std::string& path, const std::string& bytes) {
    for (int attempt = 1;; ++attempt) {
        http_answer answer = send("POST", path, bytes, "application/octet-stream");
        if (!should_retry(answer, attempt)) return answer;
        wait_before_retry(answer, attempt, "POST " + path);
    }
}

http_answer tracker_http::write_once(const std::string& method, const std::string& path,
                                     const nlohmann::json& body,
                                     const std::function<std::optional<bool>()>& already_done) {
    for (int attempt = 1;; ++attempt) {
        http_answer answer =
            send(method, path, body.is_null() ? std::string{} : body.dump(), "application/json");
        if (!should_retry(answer, attempt)) return answer;
        wait_before_retry(answer, attempt, method + " " + path);
        const std::optional<bool> done = already_done();
        if (!done) return answer; // unknown: never risk writing twice; the next run reconciles
        if (*done) {
            http_answer applied;
            applied.status = 200;
            return applied;
        }
    }
}

std::string describe(const std::string& method, const std::string& path, const http_answer& answer) {
    std::string out = method + " " + path.substr(0, path.find('?')) + ": ";
    if (answer.status == 0) return out + (answer.error.empty() ? "no answer" : answer.error);
    out += "HTTP " + std::to_string(answer.status);
    if (answer.body.is_object() && answer.body.contains("errors")) {
        for (const auto& e : answer.body["errors"])
            out += "; " + (e.is_string() ? e.get<std::string>() : e.dump());
    }
    return out;
}

} // namespace upkeep::cli
