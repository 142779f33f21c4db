#pragma once
// Jira Cloud as a host of the core (host.hpp): its profile and its sessions, registered under "jira".

namespace upkeep::jira {

/// Registers Jira's sessions: "status", "sync", "complete", "change" (their requests are described in
/// host.cpp).
void register_host();

/// Registers only the project page's session ("status"; its files and calendar are its calls): the
/// upkeep-jira WebAssembly module.
void register_panel_host();

/// Registers only the sessions that write issues ("sync", "complete", "change"): the upkeep-jira-tickets
/// module. The two do not fit in one module's budget.
void register_tickets_host();

} // namespace upkeep::jira
