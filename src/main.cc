// haru: one binary, `haru <subcommand>`.
#include "cmd/commands.h"

int main(int argc, char** argv) { return haru::cmd::Main(argc, argv); }
