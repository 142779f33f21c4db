#pragma once
// Jira Cloud as a host of the core (host.hpp): its profile and its sessions, registered under "jira".

namespace upkeep::jira {

/// Registers Jira's sessions: "status", "changes", "sync", "complete", "change" (their requests are
/// described in host.cpp).
void register_host();

/// Registers only the sessions that read the project ("status", "changes"; the files and the calendar are
/// the status's calls): the upkeep-jira WebAssembly module.
void register_panel_host();

/// Registers only the sessions that write issues ("sync", "complete", "change"): the upkeep-jira-tickets
/// module. The two do not fit in one module's budget.
void register_tickets_host();

} // namespace upkeep::jira
