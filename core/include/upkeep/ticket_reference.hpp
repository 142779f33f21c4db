#pragma once
// How a tracker's people refer to a ticket in text: the host's prefix and the ticket's number ("#42" in one
// tracker, "ISMS-42" in a tracker whose tickets are numbered per project). The core writes every ticket it
// names in a message, a note or a subject this way; the host sets the prefix (host_profile), and a session
// that knows the tracker's address the tickets' addresses.

#include <string>

namespace upkeep {

struct ticket_references {
    std::string prefix = "#";
    /// A ticket's address without its number ("https://tracker.example/issues/",
    /// "https://tracker.example/browse/ISMS-"); "" when the tracker's address is not known.
    std::string url;

    /// "#42".
    std::string of(long long id) const { return prefix + std::to_string(id); }
    /// Where the ticket is: its address, else its name ("#42").
    std::string link(long long id) const { return url.empty() ? of(id) : url + std::to_string(id); }
};

} // namespace upkeep
