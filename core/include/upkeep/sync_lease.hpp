#pragma once
// One sync at a time. Two syncs that read the same tickets before either writes would each create the
// missing ones, so a sync holds a lease in the tracker from before its first read of the tickets until
// its last write. The host stores the lease's text where the tracker refuses a write based on an older
// version (a versioned page, whose write with the version read is refused when someone saved since), so
// of two syncs that read the lease free, one takes it and the other learns it is held. A lease ends
// when its holder releases it, or when it expires (a killed run blocks no one for longer than that).
//
// Times are UTC instants written `2026-12-01T17:05:00Z`, which compare as text in time order: the core
// takes the caller's clock as given, and needs no arithmetic on it. The text is for people too: who holds
// it, which run, since when and until when.

#include <optional>
#include <string>
#include <string_view>

namespace upkeep {

struct sync_lease {
    std::string holder;  // the account's login; empty: nobody holds it
    std::string run;     // which run: "upkeep sync on cron1, process 4821", "Sync now in a browser, 9f3a0c1d"
    std::string taken;   // YYYY-MM-DDTHH:MM:SSZ
    std::string expires; // idem
};

/// Whether a text is a UTC instant `YYYY-MM-DDTHH:MM:SSZ` (its shape: digits and separators).
bool is_utc_instant(std::string_view text);

/// The text the tracker stores: one sentence for people, then a line each (holder:, run:, taken:,
/// expires:); a released lease has the holder "nobody".
std::string sync_lease_text(const sync_lease& lease);

/// The lease a text holds; nullopt when no holder line is found (a page people rewrote: nobody holds it).
std::optional<sync_lease> sync_lease_from_text(std::string_view text);

/// Whether someone holds the lease at `now` (a UTC instant); a lease whose expiry is unreadable is not held.
bool sync_lease_held(const sync_lease& lease, std::string_view now);

/// "upkeep-bot (upkeep sync on cron1, process 4821) holds the sync lease since 2026-12-01 17:05 UTC, until
/// 17:35 UTC at the latest": what a second sync tells its user.
std::string sync_lease_holder_words(const sync_lease& lease);

} // namespace upkeep
