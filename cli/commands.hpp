#pragma once
// One function per `upkeep` subcommand: arguments after the subcommand's name in, exit status out.

#include <string>
#include <vector>

namespace upkeep::cli {

using arguments = std::vector<std::string>;

int run_init(const arguments& args);
int run_validate(const arguments& args);
int run_calendar(const arguments& args);
int run_expand(const arguments& args);
int run_sync(const arguments& args);
int run_status(const arguments& args);
int run_changes(const arguments& args);

} // namespace upkeep::cli
