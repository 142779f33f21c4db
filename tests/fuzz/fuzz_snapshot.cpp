// libFuzzer target: the snapshot reader (docs/snapshot.md). A snapshot that reads without errors writes
// back to JSON that reads again without errors.

#include <upkeep/json_parse.hpp>
#include <upkeep/tracker_snapshot.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json document =
        upkeep::parse_json_or_discarded(std::string_view(reinterpret_cast<const char*>(data), size));
    if (document.is_discarded()) return 0;
    upkeep::diagnostics problems;
    const upkeep::snapshot_file snapshot = upkeep::snapshot_from_json(document, problems);
    if (upkeep::has_errors(problems)) return 0;
    upkeep::diagnostics again;
    (void)upkeep::snapshot_from_json(upkeep::snapshot_to_json(snapshot), again);
    if (upkeep::has_errors(again)) std::abort();
    return 0;
}
