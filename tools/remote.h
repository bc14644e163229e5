// The `serve`, `query` and `reading-list` commands of the bibkg CLI.
#ifndef BIBKG_TOOLS_REMOTE_H_
#define BIBKG_TOOLS_REMOTE_H_

#include <CLI/CLI.hpp>

namespace bibkg::tools {

// Adds the subcommands; when one of them runs, its exit code is stored in
// `*exit_code`.
void AddRemoteCommands(CLI::App* app, int* exit_code);

}  // namespace bibkg::tools

#endif  // BIBKG_TOOLS_REMOTE_H_
