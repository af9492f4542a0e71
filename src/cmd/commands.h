#pragma once
// The `haru` command line: parses argv and runs a subcommand (server, version, ...).
// Returns the process exit code.

namespace haru::cmd {

int Main(int argc, char** argv);

}  // namespace haru::cmd
