#include "io.hpp"

#include <algorithm>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace upkeep::cli {

std::string printable(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F; // U+0080..U+009F in UTF-8
        if (c < 0x20 || c == 0x7F || c1) {
            out += '?';
            if (c1) ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

int usage_error(const std::string& command, const std::string& message) {
    std::cerr << "upkeep " << command << ": " << message << "\n"
              << "Run 'upkeep " << command << " --help' for usage.\n";
    return exit_bad_input;
}

std::optional<std::string> read_input(const std::string& path) {
    if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "upkeep: cannot read " << path << ": " << std::strerror(errno) << "\n";
        return std::nullopt;
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

bool write_file_atomically(const std::string& path, const std::string& content, std::string& error) {
    const std::string temporary = path + ".upkeep-tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!(out << content) || !out.flush()) {
            error = std::string("cannot write ") + temporary + ": " + std::strerror(errno);
            std::remove(temporary.c_str());
            return false;
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        error = std::string("cannot replace ") + path + ": " + std::strerror(errno);
        std::remove(temporary.c_str());
        return false;
    }
    return true;
}

std::optional<std::optional<day_point>> date_option(const parsed_arguments& args, const std::string& name,
                                                    const std::string& command) {
    const auto text = args.get(name);
    if (!text) return std::optional<day_point>{};
    const auto day = parse_iso_date(*text);
    if (!day) {
        usage_error(command, "--" + name + " \"" + *text + "\" is not a date: write YYYY-MM-DD");
        return std::nullopt;
    }
    return std::optional<day_point>{*day};
}

std::optional<day_point> today_from(const parsed_arguments& args, const std::string& command) {
    const auto given = date_option(args, "today", command);
    if (!given) return std::nullopt;
    if (*given) return **given;
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return day_point{date::year{local.tm_year + 1900} / date::month{static_cast<unsigned>(local.tm_mon + 1)} /
                     date::day{static_cast<unsigned>(local.tm_mday)}};
}

std::optional<const framework*>
framework_option(const parsed_arguments& args, const isms_configuration& config, const std::string& command) {
    const auto key = args.get("framework");
    if (!key) return static_cast<const framework*>(nullptr);
    const auto followed = std::find(config.frameworks.begin(), config.frameworks.end(), *key);
    if (followed == config.frameworks.end()) {
        std::string list;
        for (const std::string& k : config.frameworks)
            list += (list.empty() ? "" : ", ") + k;
        usage_error(command,
                    "--framework \"" + *key + "\" is not a framework the configuration follows (" +
                        (list.empty() ? std::string("its /frameworks lists none") : "/frameworks: " + list) +
                        ")");
        return std::nullopt;
    }
    return find_framework(*key);
}

void print_diagnostics(const std::string& file, const diagnostics& problems) {
    for (const diagnostic& d : problems)
        std::cerr << file << ": " << d.to_string() << "\n";
}

} // namespace upkeep::cli
