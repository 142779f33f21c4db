// libFuzzer target: Redmine's sessions fed hostile answers, driven as the CLI drives them (the host's
// session and its exchange, answers as raw bytes: invalid UTF-8, broken JSON, wrong types). The input picks
// the session (its first byte: sync, status, the change prompt, completing a control task), then gives the
// answers in turn, separated by NUL bytes: each answer's first byte picks its HTTP status, the rest is its
// body. Once the input is used up, every request goes unanswered, so each session ends through its retries.
// The session must end, and never crash.

#include <upkeep/host.hpp>
#include <upkeep/redmine/host.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

constexpr int statuses[] = {200, 200, 200, 201, 204, 404, 409, 422, 403, 401, 500, 503, 429, 0, 301, 302};

const std::string config = R"({"version": 2, "organisation": {"name": "Acme"},
  "certification": {"decision_date": "2027-01-15"},
  "activities": [{"id": "scan", "title": "Scan", "references": ["A.8.8"], "owner": "itops",
    "lead_time_days": 7, "instructions": "Run it.", "evidence": "Report.",
    "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1", "start": "2027-01-01"}}],
  "sync": {"accounts": ["ciso", "upkeep-bot"]}})";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool registered = (upkeep::redmine::register_host(), true);
    (void)registered;
    if (size == 0) return 0;
    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    const char* kinds[] = {"sync", "status", "change", "complete"};
    const std::string kind = kinds[data[0] % 4];
    nlohmann::json request{{"host", "redmine"},
                           {"project", "isms"},
                           {"today", "2027-03-10"},
                           {"now", "2027-03-10T08:00:00Z"},
                           {"lease_until", "2027-03-10T08:30:00Z"},
                           {"run", "fuzz"},
                           {"change", 500},
                           {"issue", 1},
                           {"apply", true},
                           {"answers", {{"scope", "yes"}}}};
    if (data[0] & 4) request["config"] = config; // else the configuration comes from an answer
    std::string error;
    const auto session =
        upkeep::find_host("redmine")->open(kind, request, {.max_attempts = 2, .base_delay_ms = 0}, error);
    if (!session) std::abort(); // every request above is well-formed
    upkeep::exchange& run = session->run();
    for (int steps = 0;; ++steps) {
        if (steps > 20000) std::abort(); // a session that never ends
        const upkeep::exchange_step step = run.next();
        if (step.what == upkeep::exchange_step::kind::done) break;
        if (step.what == upkeep::exchange_step::kind::wait) continue;
        upkeep::http_response answer;
        answer.error = "no answer";
        if (!input.empty()) {
            const std::size_t end = std::min(input.find('\0'), input.size());
            const std::string_view chunk = input.substr(0, end);
            input.remove_prefix(std::min(end + 1, input.size()));
            if (!chunk.empty()) {
                answer.status = statuses[static_cast<unsigned char>(chunk[0]) % 16];
                answer.body = std::string(chunk.substr(1));
                if (answer.status / 100 == 3) answer.location = "https://elsewhere.example/issues.json";
            }
        }
        run.answer(answer);
    }
    (void)session->result();
    return 0;
}
