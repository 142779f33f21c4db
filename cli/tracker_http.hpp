#pragma once
// HTTP to a tracker's REST API (cpp-httplib): one request, one attempt, the credential in a header. What to
// send, when to retry and when to stop is the core's (exchange.hpp); this only carries the bytes.

#include <upkeep/exchange.hpp>
#include <upkeep/host.hpp>

#include <cstddef>
#include <memory>
#include <string>

namespace httplib {
class Client;
}

namespace upkeep::cli {

class tracker_http {
public:
    /// The most an answer may hold once inflated (Upkeep's largest: a page of 100 tickets, well under 1 MiB).
    static constexpr std::size_t max_answer_bytes = 32u << 20;

    /// `base_url` such as http://127.0.0.1:3300 or https://tracker.example.com/redmine.
    /// `credential`: the header that says who sends every request (the host's: host_profile).
    /// `ca_file`: a PEM file of the certificates to trust for https (a private CA), instead of the system's.
    tracker_http(const std::string& base_url, http_header credential, const std::string& ca_file = "");
    ~tracker_http();

    /// Sends one request; status 0 with the connection's error when no answer came.
    http_response send(const http_request& request);

    std::size_t requests() const { return requests_; }
    bool valid_url() const { return client_ != nullptr; }
    const std::string& url() const { return base_url_; }

private:
    std::string base_url_;
    std::string prefix_; // the URL's path, before every request path
    std::unique_ptr<httplib::Client> client_;
    std::size_t requests_ = 0;
};

} // namespace upkeep::cli
