// Expands every rule of a corpus (JSON lines {"dtstart", "rrule", "limit"}) with the native core,
// parsing each rule every time as a caller would, and prints occurrences per second as one JSON line.
// Usage: upkeep-bench-expand CORPUS.jsonl [--repeat N]

#include <upkeep/recurrence.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {
struct request {
    upkeep::day_point dtstart;
    std::string rule;
    std::size_t limit;
};
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: upkeep-bench-expand CORPUS.jsonl [--repeat N]\n";
        return 2;
    }
    int repeat = 20;
    if (argc == 4 && std::string(argv[2]) == "--repeat") repeat = std::atoi(argv[3]);
    std::ifstream in(argv[1]);
    std::vector<request> corpus;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line);
        corpus.push_back({*upkeep::parse_iso_date(j.at("dtstart").get<std::string>()),
                          j.at("rrule").get<std::string>(), j.value("limit", std::size_t{100})});
    }
    const auto run = [&] {
        std::size_t occurrences = 0;
        for (const request& r : corpus) {
            const auto parsed = upkeep::parse_rrule(r.rule);
            if (!parsed.rule) continue;
            occurrences += upkeep::all(upkeep::recurrence{r.dtstart, *parsed.rule, {}, {}}, r.limit).size();
        }
        return occurrences;
    };
    run(); // warm-up
    const auto start = std::chrono::steady_clock::now();
    std::size_t occurrences = 0;
    for (int i = 0; i < repeat; ++i)
        occurrences += run();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << nlohmann::json{{"rules", corpus.size()},
                                {"occurrences", occurrences},
                                {"seconds", seconds},
                                {"occurrences_per_second", static_cast<double>(occurrences) / seconds}}
                     .dump()
              << "\n";
    return 0;
}
