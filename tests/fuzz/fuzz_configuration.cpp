// libFuzzer target: the configuration's validation (any bytes: broken JSON, invalid UTF-8, wrong types),
// then the certification cycle of a configuration that validates.

#include <upkeep/certification_cycle.hpp>
#include <upkeep/isms_config.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const upkeep::configuration_result result = upkeep::parse_configuration(text);
    if (!upkeep::has_errors(result.problems)) (void)upkeep::compute_cycle(result.config.certification);
    return 0;
}
