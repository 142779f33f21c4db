#include "upkeep/dates.hpp"

#include <array>

namespace upkeep {
namespace {

// Reads exactly `width` ASCII digits starting at `pos`; -1 when any of them is not a digit.
int read_digits(std::string_view text, std::size_t pos, std::size_t width) {
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<day_point> make_date(int y, int m, int d) {
    if (y < 0 || m < 0 || d < 0) return std::nullopt;
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || ymd.year() < min_year || ymd.year() > max_year) return std::nullopt;
    return day_point{ymd};
}

void append_padded(std::string& out, int value, int width) {
    std::array<char, 4> digits{};
    for (int i = width - 1; i >= 0; --i) {
        digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(digits.data(), static_cast<std::size_t>(width));
}

std::string format_date(day_point day, bool separators) {
    const date::year_month_day ymd{day};
    std::string out;
    out.reserve(10);
    append_padded(out, static_cast<int>(ymd.year()), 4);
    if (separators) out += '-';
    append_padded(out, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
    if (separators) out += '-';
    append_padded(out, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
    return out;
}

} // namespace

std::optional<day_point> parse_iso_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    return make_date(read_digits(text, 0, 4), read_digits(text, 5, 2), read_digits(text, 8, 2));
}

std::optional<day_point> parse_basic_date(std::string_view text) {
    if (text.size() != 8) return std::nullopt;
    return make_date(read_digits(text, 0, 4), read_digits(text, 4, 2), read_digits(text, 6, 2));
}

std::string format_iso_date(day_point day) {
    return format_date(day, true);
}

std::string format_basic_date(day_point day) {
    return format_date(day, false);
}

std::string format_date_as(day_point day, const date_style& style) {
    if (style.pattern.empty()) return format_iso_date(day);
    const date::year_month_day ymd{day};
    const auto month = static_cast<unsigned>(ymd.month());
    const auto day_of_month = static_cast<int>(static_cast<unsigned>(ymd.day()));
    const auto name = [&](const std::vector<std::string>& names) {
        return month <= names.size() ? names[month - 1] : std::to_string(month);
    };
    std::string out;
    for (std::size_t i = 0; i < style.pattern.size(); ++i) {
        const char c = style.pattern[i];
        if (c != '%' || i + 1 == style.pattern.size()) {
            out += c;
            continue;
        }
        switch (style.pattern[++i]) {
        case 'Y':
            append_padded(out, static_cast<int>(ymd.year()), 4);
            break;
        case 'm':
            append_padded(out, static_cast<int>(month), 2);
            break;
        case 'd':
            append_padded(out, day_of_month, 2);
            break;
        case 'e':
            out += (day_of_month < 10 ? " " : "") + std::to_string(day_of_month);
            break;
        case 'B':
            out += name(style.months);
            break;
        case 'b':
            out += name(style.short_months);
            break;
        case '%':
            out += '%';
            break;
        default:
            out.append({'%', style.pattern[i]}); // not a date's: as it is
        }
    }
    return out;
}

day_point add_months_clamped(day_point day, int months) {
    const date::year_month_day ymd{day};
    const date::year_month target = date::year_month{ymd.year(), ymd.month()} + date::months{months};
    const date::day last =
        date::year_month_day_last{target.year(), date::month_day_last{target.month()}}.day();
    return day_point{
        date::year_month_day{target.year(), target.month(), ymd.day() > last ? last : ymd.day()}};
}

} // namespace upkeep
