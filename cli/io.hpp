#pragma once
// What the command does outside the pure core: files, standard streams, the clock, exit statuses.

#include "arguments.hpp"

#include <upkeep/dates.hpp>
#include <upkeep/diagnostics.hpp>
#include <upkeep/frameworks.hpp>

#include <optional>
#include <string>

namespace upkeep::cli {

/// Exit statuses: a public contract for scripts and cron.
enum exit_status : int {
    exit_ok = 0,
    exit_failure = 1,   // anything that is not the caller's input: I/O, tracker, internal
    exit_bad_input = 2, // configuration, arguments, rule
};

/// Ticket text is other people's: C0 and C1 control characters (terminal escapes) become '?'.
std::string printable(const std::string& text);

/// Prints "upkeep COMMAND: message" and a hint to stderr; returns exit_bad_input.
int usage_error(const std::string& command, const std::string& message);

/// Reads a whole file ("-" is standard input); nullopt with a message on stderr when it cannot.
std::optional<std::string> read_input(const std::string& path);

/// Writes a file through a temporary file and a rename, so a failure never leaves it half-written.
bool write_file_atomically(const std::string& path, const std::string& content, std::string& error);

/// "Today": --today when given (exit_bad_input when it is not a date), else the local date.
std::optional<day_point> today_from(const parsed_arguments& args, const std::string& command);

/// Parses a date option; nullopt (after a usage error) when present but not a date.
std::optional<std::optional<day_point>> date_option(const parsed_arguments& args, const std::string& name,
                                                    const std::string& command);

/// --framework KEY: the framework, one the configuration follows (frameworks.hpp); null without the
/// option; nullopt (after a usage error) when the configuration does not follow it.
std::optional<const framework*>
framework_option(const parsed_arguments& args, const isms_configuration& config, const std::string& command);

/// Prints each diagnostic as "FILE: /pointer: message" to stderr.
void print_diagnostics(const std::string& file, const diagnostics& problems);

} // namespace upkeep::cli
