#pragma once
// Redmine as a host of the core (host.hpp): its profile and its sessions, registered under "redmine".

namespace upkeep::redmine {

/// Registers Redmine's sessions: "sync", "status", "changes", "change", "complete", "save_page",
/// "save_configuration", "attach" (their requests are described in host.cpp).
void register_host();

} // namespace upkeep::redmine
