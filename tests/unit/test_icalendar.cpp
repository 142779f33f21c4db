#include "test_helpers.hpp"

#include <upkeep/icalendar.hpp>

using namespace upkeep;
using upkeep::testing::d;

namespace {
std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find("\r\n", start);
        REQUIRE_MESSAGE(end != std::string::npos, "every line ends with CRLF");
        out.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return out;
}

std::string unfold(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "\r\n ") == 0)
            i += 2;
        else
            out += text[i];
    }
    return out;
}
} // namespace

TEST_CASE("text escaping covers backslash, semicolon, comma and newline") {
    CHECK(escape_ical_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf");
}

TEST_CASE("folding keeps lines within 75 octets without splitting UTF-8") {
    std::string line = "SUMMARY:";
    for (int i = 0; i < 100; ++i)
        line += "\xC3\xA9"; // é, two octets
    const std::string folded = fold_ical_line(line);
    for (const std::string& l : lines_of(folded + "\r\n")) {
        CHECK(l.size() <= 75);
        CHECK((static_cast<unsigned char>(l.back()) & 0xC0) != 0xC0); // never ends on a lead octet
    }
    CHECK(unfold(folded) == line);
    CHECK(fold_ical_line(std::string(75, 'x')) == std::string(75, 'x'));
    CHECK(fold_ical_line(std::string(76, 'x')) == std::string(75, 'x') + "\r\n x");
}

TEST_CASE("the calendar has one recurring event per activity starting on its first occurrence") {
    const auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme, Inc."},
      "certification": {"decision_date": "2026-03-15"},
      "activities": [{"id": "scan", "title": "Scan; weekly, \\ all", "references": ["A.8.8"], "owner": "secops",
        "lead_time_days": 3, "evidence": "Report.",
        "cadence": {"rrule": "FREQ=MONTHLY;INTERVAL=2", "start": "2027-01-31", "exdates": ["2027-05-31"], "rdates": ["2027-02-14"]}}]})");
    REQUIRE(result.problems.empty());
    const std::string ics = to_icalendar(result.config, compute_cycle(result.config.certification),
                                         {d("2026-11-22"), std::nullopt});
    const auto lines = lines_of(ics);
    CHECK(lines.front() == "BEGIN:VCALENDAR");
    CHECK(lines.back() == "END:VCALENDAR");
    const std::string text = unfold(ics);
    CHECK(text.find("UID:activity-scan@acme-inc.upkeep\r\n") != std::string::npos);
    CHECK(text.find("DTSTAMP:20261122T000000Z\r\n") != std::string::npos);
    CHECK(text.find("DTSTART;VALUE=DATE:20270131\r\nDURATION:P1D\r\nRRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY="
                    "31\r\n") != std::string::npos);
    CHECK(text.find("EXDATE;VALUE=DATE:20270531\r\nRDATE;VALUE=DATE:20270214\r\n") != std::string::npos);
    CHECK(text.find("SUMMARY:Scan\\; weekly\\, \\\\ all\r\n") != std::string::npos);
    CHECK(text.find("TRIGGER:-P3D\r\n") != std::string::npos);
    CHECK(text.find("X-UPKEEP-AUDIT:surveillance_1\r\n") != std::string::npos);
    CHECK(text.find("DTSTART;VALUE=DATE:20270315\r\n") != std::string::npos);
}

TEST_CASE("an activity whose start does not match its rule starts on the first real occurrence") {
    const auto result = parse_configuration(R"({
      "version": 1, "organisation": {"name": "Acme"}, "certification": {"decision_date": "2026-03-15"},
      "activities": [{"id": "scan", "title": "Scan", "references": ["A.8.8"], "owner": "secops", "evidence": "Report.",
        "cadence": {"rrule": "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "start": "2027-01-01"}}]})");
    REQUIRE(result.problems.empty());
    const std::string text = unfold(to_icalendar(result.config, compute_cycle(result.config.certification),
                                                 {d("2026-11-22"), std::nullopt}));
    CHECK(text.find("DTSTART;VALUE=DATE:20270129\r\n") != std::string::npos);
}
