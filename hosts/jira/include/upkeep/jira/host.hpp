#pragma once
// Jira Cloud as a host of the core (host.hpp): its profile and its sessions, registered under "jira".

namespace upkeep::jira {

/// Registers Jira's sessions: "status", "sync" (their requests are described in host.cpp).
void register_host();

} // namespace upkeep::jira
