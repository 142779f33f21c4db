#include "upkeep/icalendar.hpp"

#include "stable_sort_by.hpp"

#include <algorithm>

namespace upkeep {
namespace {

constexpr std::size_t max_line_octets = 75;

std::string slug(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum)
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "isms" : out;
}

std::string join_dates(const std::vector<day_point>& days) {
    std::string out;
    for (const day_point d : days)
        out += (out.empty() ? "" : ",") + format_basic_date(d);
    return out;
}

class ical_writer {
public:
    void line(std::string_view name, std::string_view value) {
        out_ += fold_ical_line(std::string(name) + ":" + std::string(value));
        out_ += "\r\n";
    }
    void text(std::string_view name, std::string_view value) { line(name, escape_ical_text(value)); }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

void write_activity(ical_writer& w, const activity& a, const std::string& domain, const std::string& stamp) {
    const recurrence& set = a.cadence.dates;
    occurrence_iterator rule_only(recurrence{set.dtstart, set.rule, {}, {}});
    const std::optional<day_point> first = rule_only.next();
    std::vector<day_point> rdates = set.rdates;
    sort_days(rdates);
    day_point dtstart = set.dtstart;
    if (first)
        dtstart = *first;
    else if (!rdates.empty())
        dtstart = rdates.front(), rdates.erase(rdates.begin());

    w.line("BEGIN", "VEVENT");
    w.line("UID", "activity-" + a.id + "@" + domain + ".upkeep");
    w.line("DTSTAMP", stamp);
    w.line("DTSTART;VALUE=DATE", format_basic_date(dtstart));
    w.line("DURATION", "P1D");
    if (first) w.line("RRULE", to_string(with_start_defaults(set.rule, set.dtstart)));
    if (!set.exdates.empty()) w.line("EXDATE;VALUE=DATE", join_dates(set.exdates));
    if (!rdates.empty()) w.line("RDATE;VALUE=DATE", join_dates(rdates));
    w.text("SUMMARY", a.title);
    std::string description = a.instructions;
    description += "\n\nEvidence expected: " + a.evidence;
    std::string refs;
    for (const auto& r : a.references)
        refs += (refs.empty() ? "" : ", ") + r;
    description += "\nISO/IEC 27001:2022: " + refs + "\nOwner: " + a.owner;
    w.text("DESCRIPTION", description);
    w.text("CATEGORIES", "ISMS");
    w.text("X-UPKEEP-ACTIVITY", a.id);
    w.text("X-UPKEEP-OWNER", a.owner);
    if (a.lead_time_days > 0) {
        w.line("BEGIN", "VALARM");
        w.line("ACTION", "DISPLAY");
        w.line("TRIGGER", "-P" + std::to_string(a.lead_time_days) + "D");
        w.text("DESCRIPTION", "Start: " + a.title);
        w.line("END", "VALARM");
    }
    w.line("END", "VEVENT");
}

void write_audit(ical_writer& w, const cycle_audit& audit, const std::string& domain,
                 const std::string& stamp, const certification_info& cert) {
    w.line("BEGIN", "VEVENT");
    w.line("UID", "audit-" + std::string(audit_key(audit.kind)) + "-" +
                      format_basic_date(audit.period_start) + "@" + domain + ".upkeep");
    w.line("DTSTAMP", stamp);
    w.line("DTSTART;VALUE=DATE", format_basic_date(audit.date));
    w.line("DURATION", "P1D");
    w.text("SUMMARY",
           std::string(audit_title(audit.kind)) + (audit.source == date_source::computed ? " (due by)" : ""));
    std::string description =
        std::string(audit_title(audit.kind)) + " of the " + cert.standard + " certification";
    if (!cert.certification_body.empty()) description += " by " + cert.certification_body;
    description += ".\nDate: " + std::string(to_string(audit.source)) + ". Audit period from " +
                   format_iso_date(audit.period_start) + ".";
    w.text("DESCRIPTION", description);
    w.text("CATEGORIES", "ISMS,Audit");
    w.text("X-UPKEEP-AUDIT", audit_key(audit.kind));
    w.line("END", "VEVENT");
}

} // namespace

std::string escape_ical_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case ';':
            out += "\\;";
            break;
        case ',':
            out += "\\,";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string fold_ical_line(std::string_view line) {
    std::string out;
    std::size_t budget = max_line_octets; // octets left on the current physical line
    std::size_t i = 0;
    while (i < line.size()) {
        std::size_t len = 1; // octets in this UTF-8 sequence
        const auto lead = static_cast<unsigned char>(line[i]);
        if (lead >= 0xF0)
            len = 4;
        else if (lead >= 0xE0)
            len = 3;
        else if (lead >= 0xC0)
            len = 2;
        len = std::min(len, line.size() - i);
        if (len > budget) {
            out += "\r\n ";
            budget = max_line_octets - 1;
        }
        out.append(line.substr(i, len));
        budget -= len;
        i += len;
    }
    return out;
}

std::string to_icalendar(const isms_configuration& config, const certification_cycle& cycle,
                         const icalendar_options& options) {
    const std::string domain = slug(config.organisation.name);
    const std::string stamp = format_basic_date(options.stamp) + "T000000Z";
    ical_writer w;
    w.line("BEGIN", "VCALENDAR");
    w.line("VERSION", "2.0");
    w.line("PRODID", "-//Upkeep//ISMS maintenance calendar//EN");
    w.line("CALSCALE", "GREGORIAN");
    w.line("METHOD", "PUBLISH");
    w.text("X-WR-CALNAME", config.organisation.name + " ISMS calendar");
    for (const cycle_audit& audit : cycle.audits)
        write_audit(w, audit, domain, stamp, config.certification);
    for (const activity& a : config.activities)
        if (!options.owner || a.owner == *options.owner) write_activity(w, a, domain, stamp);
    w.line("END", "VCALENDAR");
    return w.take();
}

} // namespace upkeep
