// Running the built `flywheel` program (FLYWHEEL_CLI) from a test: exit code, stdout, stderr.
#pragma once

#include "temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/wait.h>

namespace flywheel::test {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs `prefix FLYWHEEL_CLI args` in `work` (prefix: e.g. an mpiexec command, or empty);
// stdout and stderr are captured in files beside `work`.
inline CliResult run_cli_in(const std::filesystem::path& work, const std::string& args,
                            const std::string& prefix = "") {
  const std::filesystem::path out = work.parent_path() / (work.filename().string() + ".out");
  const std::filesystem::path err = work.parent_path() / (work.filename().string() + ".err");
  const std::string command = "cd '" + work.string() + "' && " + prefix + " '" + FLYWHEEL_CLI +
                              "' " + args + " >'" + out.string() + "' 2>'" + err.string() +
                              "' </dev/null";
  const int status = std::system(command.c_str());
  CliResult result;
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out);
  result.err = read_text(err);
  return result;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace flywheel::test
