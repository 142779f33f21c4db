#pragma once
// How a tracker's people refer to a ticket in text: the host's prefix and the ticket's number ("#42" in one
// tracker, "ISMS-42" in a tracker whose tickets are numbered per project). The core writes every ticket it
// names in a message, a note or a subject this way; the host sets the prefix (host_profile).

#include <string>

namespace upkeep {

struct ticket_references {
    std::string prefix = "#";

    /// "#42".
    std::string of(long long id) const { return prefix + std::to_string(id); }
};

} // namespace upkeep
