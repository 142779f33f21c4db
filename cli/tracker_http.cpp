#include "tracker_http.hpp"

#include <httplib.h>

#include <charconv>

namespace upkeep::cli {
namespace {

// What a failed connection says, TLS named as such with what to do about it.
std::string connection_error(httplib::Error error) {
    switch (error) {
    case httplib::Error::SSLServerVerification:
        return "TLS: the server's certificate is not trusted here (signed by a private CA? give --ca-file "
               "FILE "
               "with that CA's certificate, or set SSL_CERT_FILE)";
    case httplib::Error::SSLLoadingCerts:
        return "TLS: the trusted certificates could not be loaded (check --ca-file or SSL_CERT_FILE)";
    case httplib::Error::SSLConnection:
        return "TLS: the secure connection failed (is it https on that port?)";
    default:
        return httplib::to_string(error);
    }
}

} // namespace

tracker_http::tracker_http(const std::string& base_url, http_header credential, const std::string& ca_file)
    : base_url_(base_url) {
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
    client_->set_default_headers({std::move(credential), {"Accept", "application/json"}});
    if (!ca_file.empty()) client_->set_ca_cert_path(ca_file.c_str());
}

tracker_http::~tracker_http() = default;

http_response tracker_http::send(const http_request& request) {
    ++requests_;
    http_response answer;
    httplib::Request out;
    out.method = request.method;
    out.path = prefix_ + request.path;
    out.body = request.body;
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
        out.set_header("Content-Type",
                       request.content_type.empty() ? "application/json" : request.content_type);
    // Compressed answers only as asked (gzip, deflate), and never more than max_answer_bytes once
    // inflated: a hostile server's small bomb stops the read instead of filling the memory.
    out.set_header("Accept-Encoding", "gzip, deflate");
    std::string refused; // why the answer was not read to its end
    out.response_handler = [&](const httplib::Response& head) {
        const std::string encoding = head.get_header_value("Content-Encoding");
        if (encoding.empty() || encoding == "identity" || encoding == "gzip" || encoding == "deflate")
            return true;
        refused = "the answer came encoded as \"" + encoding + "\", which Upkeep did not ask for";
        return false;
    };
    std::string body;
    out.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
        if (body.size() + size > max_answer_bytes) {
            refused = "the answer is larger than " + std::to_string(max_answer_bytes >> 20) +
                      " MiB (inflated): not a Redmine answer Upkeep reads";
            return false;
        }
        body.append(data, size);
        return true;
    };
    httplib::Result result = client_->send(out);
    if (!result) {
        answer.error = refused.empty() ? connection_error(result.error()) : refused;
        return answer;
    }
    answer.status = result->status;
    answer.body = std::move(body);
    if (result->has_header("Location")) answer.location = result->get_header_value("Location");
    if (result->has_header("Retry-After")) {
        // Seconds; an HTTP date is left to the backoff.
        const std::string value = result->get_header_value("Retry-After");
        long seconds = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (error == std::errc{} && end == value.data() + value.size()) answer.retry_after = seconds;
    }
    return answer;
}

} // namespace upkeep::cli
