#pragma once
// A host's session class run by an exchange, as the seam (host.hpp) drives it: whatever the class offers of
// a reading session (a snapshot and its configuration: the status's calls), of progress and of the
// configuration's text, it answers; the rest as host_session does. Every host wraps its sessions so.

#include "upkeep/host.hpp"
#include "upkeep/json_api.hpp"
#include "upkeep/json_value.hpp"

#include <nlohmann/json.hpp>

#include <memory>

namespace upkeep {

template <typename Session> class hosted_session final : public host_session {
public:
    hosted_session(std::unique_ptr<Session> session, const retry_policy& policy)
        : session_(session.get()), run_(std::move(session), policy) {}
    exchange& run() override { return run_; }
    nlohmann::json result() const override { return session_->result(); }
    nlohmann::json progress() const override {
        if constexpr (requires(const Session& s) { s.progress(); })
            return session_->progress();
        else
            return nlohmann::json::object();
    }
    nlohmann::json call(std::string_view method, const nlohmann::json& request) const override {
        if constexpr (reading) {
            if (session_->failure()) return json_object({{"error", session_->failure()->message}});
            return json_api::reading_call(session_->config(), session_->snapshot(), method, request);
        }
        return host_session::call(method, request);
    }
    const tracker_snapshot* snapshot() const override {
        if constexpr (reading) return session_->failure() ? nullptr : &session_->snapshot();
        return nullptr;
    }
    const std::string* configuration_text() const override {
        if constexpr (requires(const Session& s) { s.config_text(); }) return &session_->config_text();
        return nullptr;
    }

private:
    // A session that reads the tracker for the status: the snapshot it read, with its configuration.
    static constexpr bool reading = requires(const Session& s) {
        s.snapshot();
        s.config();
    };
    Session* session_;
    exchange run_;
};

} // namespace upkeep
