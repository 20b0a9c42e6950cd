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

// The command that starts `ranks` MPI ranks (empty when built without MPI).
inline std::string mpi_prefix(int ranks) {
#ifdef FLYWHEEL_MPIEXEC
  // Open MPI refuses root unless told twice (CI containers run as root), and containers often
  // forbid the cross-memory attach its shared-memory transport uses by default. Under the
  // asan-ubsan preset, leak checking is off in the ranks only: Open MPI's progress thread keeps
  // memory from plugins it dlcloses at exit, which LeakSanitizer can neither name nor suppress.
  // The same flywheel code is leak-checked in every single-process run of the suite.
  return "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" "
         "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
         "OMPI_MCA_btl_vader_single_copy_mechanism=none '" +
         std::string(FLYWHEEL_MPIEXEC) + "' --oversubscribe -np " + std::to_string(ranks);
#else
  (void)ranks;
  return "";
#endif
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A scenario that runs in milliseconds: 200 people, one segment, 3 monthly steps, seed 3, PLG.
// Nine lines, so a key appended to it stands on line 10.
inline std::string tiny_scenario(const std::string& name = "tiny", int replicates = 4) {
  return "name: '" + name + "'\nsimulation: {months: 3, step: month, replicates: " +
         std::to_string(replicates) + R"(, seed: 3}
market:
  people: 200
  segments:
    - {name: smb, share: 1.0, price_usd_per_seat_month: 10}
acquisition: {innovation_p_per_month: 0.05, imitation_q_per_month: 0.4}
funnel: {signup_per_month: 0.5, activation_per_month: 0.6, adoption_per_month: 0.3}
strategy: {plg: {pql_min_active_users: 1, pql_conversion_per_month: 0.3}}
)";
}

// A fresh folder `work` (inside a TempDir named after `tag`) where the CLI runs. The CLI's stdout
// and stderr are kept beside it, so work/ holds only what the test and the CLI put there.
class CliWorkspace {
 public:
  explicit CliWorkspace(const std::string& tag) : root_(tag) {
    std::filesystem::create_directories(work());
  }
  const TempDir& root() const { return root_; }
  std::filesystem::path work() const { return root_ / "work"; }
  // Writes `text` to work/`relative` (creating folders); returns the file's path.
  std::string write(const std::string& relative, const std::string& text) const {
    return root_.write("work/" + relative, text);
  }
  CliResult run(const std::string& args, const std::string& prefix = "") const {
    return run_cli_in(work(), args, prefix);
  }

 private:
  TempDir root_;
};

}  // namespace flywheel::test
