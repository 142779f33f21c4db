#include "upkeep/host.hpp"
#include "upkeep/json_value.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace upkeep {
namespace {

std::vector<registered_host>& registry() {
    static std::vector<registered_host> hosts;
    return hosts;
}

} // namespace

std::string_view to_string(failure_kind kind) {
    switch (kind) {
    case failure_kind::bad_input:
        return "bad_input";
    case failure_kind::unreachable:
        return "unreachable";
    case failure_kind::refused:
        return "refused";
    case failure_kind::not_set_up:
        return "not_set_up";
    case failure_kind::feed_not_published:
        return "feed_not_published";
    case failure_kind::busy:
        break;
    }
    return "busy";
}

nlohmann::json host_session::progress() const {
    return nlohmann::json::object();
}

nlohmann::json problems_json(const diagnostics& problems) {
    nlohmann::json out = nlohmann::json::array();
    for (const diagnostic& d : problems)
        out.push_back(json_object(
            {{"pointer", d.pointer}, {"message", d.message}, {"warning", d.level == severity::warning}}));
    return out;
}

nlohmann::json failure_json(const std::optional<session_failure>& failure) {
    if (!failure) return nullptr;
    return {{"kind", to_string(failure->kind)},
            {"message", failure->message},
            {"problems", problems_json(failure->problems)}};
}

nlohmann::json host_session::call(std::string_view method, const nlohmann::json&) const {
    return json_object({{"error", "this session has no call \"" + std::string(method) + "\""}});
}

const tracker_snapshot* host_session::snapshot() const {
    return nullptr;
}

const std::string* host_session::configuration_text() const {
    return nullptr;
}

session_factory sessions_of(std::string host, std::vector<session_part> parts,
                            std::vector<std::string_view> elsewhere) {
    return [host = std::move(host), parts = std::move(parts), elsewhere = std::move(elsewhere)](
               std::string_view kind, const nlohmann::json& request, const retry_policy& policy,
               std::string& error) -> std::unique_ptr<host_session> {
        const auto has = [kind](const std::vector<std::string_view>& kinds) {
            return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
        };
        for (const session_part& part : parts)
            if (has(part.kinds)) return part.open(kind, request, policy, error);
        error = has(elsewhere) ? "the session \"" + std::string(kind) + "\" is in the other module of " +
                                     host + "'s core"
                               : "no session \"" + std::string(kind) + "\" for " + host;
        return nullptr;
    };
}

void register_host(registered_host host) {
    for (registered_host& existing : registry())
        if (existing.name == host.name) {
            existing = std::move(host);
            return;
        }
    registry().push_back(std::move(host));
}

const registered_host* find_host(std::string_view name) {
    for (const registered_host& host : registry())
        if (host.name == name) return &host;
    return nullptr;
}

const std::vector<registered_host>& hosts() {
    return registry();
}

} // namespace upkeep
