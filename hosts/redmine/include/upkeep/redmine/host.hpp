#pragma once
// Redmine as a host of the core (host.hpp): its profile and its sessions, registered under "redmine".

namespace upkeep::redmine {

/// Registers Redmine's sessions: "sync", "status", "changes", "change", "complete", "save_page",
/// "save_configuration", "attach" (their requests are described in host.cpp).
void register_host();

/// Registers only the status panel's and the configuration's sessions ("status", "changes", "save_page",
/// "save_configuration", "attach"): the ISMS tab's WebAssembly module, which has no room for the others.
void register_panel_host();

/// Registers only the sessions that write tickets ("sync", "change", "complete"): the module of the pages
/// that write them (and of Sync now).
void register_tickets_host();

} // namespace upkeep::redmine
