// `flywheel sweep` made for a cluster: --replicates, --samples and --set override the spec
// (whose base stays relative to the spec's folder), --dry-run times one replicate for an
// estimate and writes nothing, progress shows as lines in a log, SIGINT/SIGTERM stop cleanly
// with a resume hint and the resumed sweep equals an uninterrupted one byte for byte; the
// sensitivity warnings and Morris scaling.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <flywheel/experiments/sweep_analysis.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using flywheel::test::CliWorkspace;
using flywheel::test::contains;
using flywheel::test::read_text;
namespace fs = std::filesystem;

namespace {

// 6 policies x 8 LHS scenarios = 48 points, in specs/ with its base one folder up.
constexpr const char* kSpec = R"(base: ../base.yaml
replicates: 3
design: {method: lhs, samples: 8, seed: 4}
levers:
  strategy.marketing.spend_usd_per_month: {values: [0, 5000, 20000]}
  strategy.plg.pql_conversion_per_month: {range: [0.1, 0.5], levels: 2}
uncertainties:
  funnel.churn_per_month.regular: {range: [0.01, 0.06]}
  acquisition.imitation_q_per_month: {triangular: [0.2, 0.4, 0.6]}
outputs: [arr_usd@12, accounts_paying@last, logo_churn@mean:1-12]
)";

struct Workspace : CliWorkspace {
  Workspace() : CliWorkspace("sweep-cluster") {
    write("base.yaml", read_text(FLYWHEEL_SOURCE_DIR "/tests/data/sweep-base.yaml"));
    write("specs/spec.yaml", kSpec);
  }
  std::string file(const std::string& relative) const { return read_text(work() / relative); }
};

int count_lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// Starts `flywheel ARGS` in the workspace (stderr to work/../interrupted.err), waits until its
// first unit file exists (the handlers are in place by then), sends `signal` and returns the
// exit code.
int run_and_signal(const Workspace& ws, const std::string& args, const fs::path& units,
                   int signal) {
  const fs::path err = ws.work().parent_path() / "interrupted.err";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::chdir(ws.work().c_str()) != 0) ::_exit(127);
    if (std::freopen("/dev/null", "w", stdout) == nullptr) ::_exit(127);
    if (std::freopen(err.c_str(), "w", stderr) == nullptr) ::_exit(127);
    const std::string command = std::string(FLYWHEEL_CLI) + " " + args;
    ::execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto started = [&] {
    std::error_code ec;
    if (!fs::exists(units, ec)) return false;
    for (const auto& entry : fs::directory_iterator(units, ec)) {
      if (entry.path().extension() == ".csv") return true;
    }
    return false;
  };
  while (!started() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid, signal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("sweep: --replicates, --samples and --set override the spec, base still relative",
          "[sweep][cluster]") {
  const Workspace ws;
  const auto small = ws.run(
      "sweep specs/spec.yaml --out small --quiet --replicates 2 --samples 3 "
      "--set market.people=2000");
  INFO(small.err);
  REQUIRE(small.code == 0);
  // 6 policies x 3 scenarios = 18 points x 2 replicates.
  CHECK(count_lines(ws.file("small/results.csv")) == 1 + 18 * 2);
  CHECK(contains(ws.file("small/sweep.json"), "\"replicates\": 2"));

  // The same through the spec itself: the same results, byte for byte.
  std::string edited = kSpec;
  edited.replace(edited.find("replicates: 3"), 13, "replicates: 2\nset: {market.people: 2000}");
  edited.replace(edited.find("samples: 8"), 10, "samples: 3");
  ws.write("specs/edited.yaml", edited);
  REQUIRE(ws.run("sweep specs/edited.yaml --out edited --quiet").code == 0);
  CHECK(ws.file("edited/results.csv") == ws.file("small/results.csv"));

  // Overrides make another sweep: the folder does not resume with other ones.
  const auto other = ws.run("sweep specs/spec.yaml --out small --quiet --replicates 3");
  CHECK(other.code == 2);
  CHECK(contains(other.err, "holds another sweep"));

  // A bad --set is refused with its key path, before anything runs.
  const auto bad = ws.run("sweep specs/spec.yaml --out bad --set market.peeple=3 --dry-run");
  CHECK(bad.code == 2);
  CHECK(contains(bad.err, "<command line>: --set market.peeple"));
  CHECK_FALSE(fs::exists(ws.work() / "bad"));
}

TEST_CASE("sweep: --dry-run prints the plan and a time estimate and writes nothing",
          "[sweep][cluster]") {
  const Workspace ws;
  const auto dry = ws.run("sweep specs/spec.yaml --out dry --dry-run --replicates 5");
  INFO(dry.err);
  REQUIRE(dry.code == 0);
  CHECK(contains(dry.out, "6 policies x 8 scenarios = 48 points x 5 replicates"));
  CHECK(contains(dry.err, "time estimate: one replicate of point 0 took"));
  CHECK(contains(dry.err, "240 replicates on"));
  CHECK_FALSE(fs::exists(ws.work() / "dry"));
  // sensitivity has it too
  ws.write("specs/morris.yaml", std::string(kSpec).replace(std::string(kSpec).find("lhs"), 3,
                                                           "morris"));
  const auto sens = ws.run("sensitivity specs/morris.yaml --out m --dry-run --samples 2");
  INFO(sens.err);
  CHECK(sens.code == 0);
  CHECK(contains(sens.err, "time estimate"));
  CHECK_FALSE(fs::exists(ws.work() / "m"));
}

TEST_CASE("sweep: progress reaches a log (stderr not a terminal) as plain lines",
          "[sweep][cluster]") {
  const Workspace ws;
  const auto run = ws.run("sweep specs/spec.yaml --out log --replicates 1 --samples 2");
  INFO(run.err);
  REQUIRE(run.code == 0);
  // At least the final line; never a carriage return.
  CHECK(contains(run.err, "flywheel: units 12/12"));
  CHECK(contains(run.err, "(100%)"));
  CHECK_FALSE(contains(run.err, "\r"));
  const auto quiet = ws.run("sweep specs/spec.yaml --out log2 --replicates 1 --samples 2 --quiet");
  CHECK_FALSE(contains(quiet.err, "units 12/12"));
}

TEST_CASE("sweep: SIGINT or SIGTERM stops cleanly, says how to resume; the resumed results "
          "equal an uninterrupted run's byte for byte",
          "[sweep][cluster]") {
  const Workspace ws;
  const std::string args = "sweep specs/spec.yaml --replicates 12 --threads 1 --no-report";
  REQUIRE(ws.run(args + " --out reference --quiet").code == 0);
  const std::string reference = ws.file("reference/results.csv");
  for (const auto& [signal, code] : {std::pair{SIGINT, 130}, std::pair{SIGTERM, 143}}) {
    const std::string out = signal == SIGINT ? "int" : "term";
    const int exit = run_and_signal(ws, args + " --out " + out, ws.work() / out / "units", signal);
    const std::string err = read_text(ws.work().parent_path() / "interrupted.err");
    INFO(err);
    CHECK(exit == code);
    CHECK(contains(err, "interrupted after "));
    CHECK(contains(err, " of 48 units; run the same command to resume"));
    CHECK_FALSE(fs::exists(ws.work() / out / "results.csv"));
    // No partial unit file: every file in units/ is whole (a .csv) and none is temporary.
    for (const auto& entry : fs::directory_iterator(ws.work() / out / "units")) {
      CHECK(entry.path().extension() == ".csv");
    }
    const auto resumed = ws.run(args + " --out " + out);
    INFO(resumed.err);
    REQUIRE(resumed.code == 0);
    CHECK(ws.file(out + "/results.csv") == reference);
  }
}

TEST_CASE("sensitivity: a small Sobol base sample is warned about; Morris mu* scaled, with units",
          "[sensitivity][sweep][cluster]") {
  const CliWorkspace ws("sensitivity-cluster");
  const std::string pi = "3.141592653589793";
  const std::string spec = "model: ishigami\nreplicates: 1\ndesign: {method: saltelli, samples: "
                           "512, bootstrap: 200, seed: 3}\nuncertainties:\n  x1: {range: [-" +
                           pi + ", " + pi + "]}\n  x2: {range: [-" + pi + ", " + pi +
                           "]}\n  x3: {range: [-" + pi + ", " + pi + "]}\noutputs: [y]\n";
  ws.write("sobol.yaml", spec);
  const auto tiny = ws.run("sensitivity sobol.yaml --out tiny --samples 4 --no-report");
  INFO(tiny.err);
  REQUIRE(tiny.code == 0);
  CHECK(contains(tiny.err, "warning: policy 0 · y: the Sobol indices are unreliable with 4 base "
                           "samples"));
  CHECK(contains(tiny.err, "--samples 16"));
  CHECK(contains(read_text(ws.work() / "tiny" / "sensitivity.json"), "unreliable"));
  const auto enough = ws.run("sensitivity sobol.yaml --out enough --no-report");
  REQUIRE(enough.code == 0);
  CHECK_FALSE(contains(enough.err, "unreliable"));

  std::string morris = spec;
  morris.replace(morris.find("saltelli"), 8, "morris");
  morris.replace(morris.find("512"), 3, "40");
  ws.write("morris.yaml", morris);
  const auto m = ws.run("sensitivity morris.yaml --out m --no-report --quiet");
  REQUIRE(m.code == 0);
  CHECK(contains(m.out, "mu_star_scaled"));
  CHECK(contains(m.out, "output standard deviations"));
  const std::string csv = read_text(ws.work() / "m" / "sensitivity.csv");
  // mu_star_scaled = mu_star / sd(y over the points): x1's is between 0 and 10 sd.
  std::istringstream in(csv);
  std::string line;
  double mu = NAN, scaled = NAN;
  while (std::getline(in, line)) {
    if (line.starts_with("0,y,x1,mu_star,")) mu = std::stod(line.substr(15));
    if (line.starts_with("0,y,x1,mu_star_scaled,")) scaled = std::stod(line.substr(22));
  }
  CHECK(mu > 0);
  CHECK(scaled > 0);
  CHECK(scaled < mu);  // Ishigami's y has sd ~3.7 > 1
}

TEST_CASE("sensitivity_warnings: negative and wide indices, one warning per output",
          "[sensitivity]") {
  using flywheel::SensitivityRow;
  const double nan = NAN;
  std::vector<SensitivityRow> rows = {
      {0, "arr_usd@36", "a", "S1", 0.30, 0.25, 0.35, ""},
      {0, "arr_usd@36", "a", "ST", 0.40, 0.30, 0.50, ""},
      {0, "arr_usd@36", "b", "S1", 0.01, -0.04, 0.06, ""},  // small and uncertain: fine
  };
  CHECK(flywheel::sensitivity_warnings(rows, 64).empty());
  rows.push_back({0, "nrr@36", "a", "S1", -0.2, -0.5, 0.1, ""});
  rows.push_back({0, "nrr@36", "b", "S1", 0.3, -0.1, 0.7, ""});
  rows.push_back({1, "nrr@36", "b", "ST", 0.3, 0.0, 0.7, ""});
  rows.push_back({1, "nrr@36", "c", "ST", nan, nan, nan, ""});
  const auto w = flywheel::sensitivity_warnings(rows, 64);
  REQUIRE(w.size() == 2);
  CHECK(contains(w[0], "policy 0 · nrr@36"));
  CHECK(contains(w[0], "S1 of a is -0.200, below 0"));
  CHECK(contains(w[1], "policy 1 · nrr@36"));
  CHECK(contains(w[1], "wider than itself"));
  CHECK(contains(w[1], "--samples 256"));
}
