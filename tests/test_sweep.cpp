// `flywheel sweep` and `flywheel merge` end to end: the same results.csv from one process, from
// shards merged, under mpirun and after kill -9 and resume; bad specs refused before any run;
// failed points recorded and retried; --precision adding batches only where needed.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <flywheel/experiments/sweep_schedule.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using flywheel::test::contains;
using flywheel::test::read_text;
using flywheel::test::mpi_prefix;
namespace fs = std::filesystem;

namespace {

// 6 policies x 8 LHS scenarios = 48 points.
constexpr const char* kSpec = R"(base: base.yaml
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

// A workspace with base.yaml (tests/data/sweep-base.yaml) and spec.yaml.
struct Workspace : flywheel::test::CliWorkspace {
  explicit Workspace(const std::string& spec = kSpec) : CliWorkspace("sweep") {
    write("base.yaml", read_text(FLYWHEEL_SOURCE_DIR "/tests/data/sweep-base.yaml"));
    write("spec.yaml", spec);
  }
  std::string results(const std::string& dir) const {
    return read_text(work() / dir / "results.csv");
  }
};

// Parses results.csv into (point, replicate) keys, checking each appears once.
std::set<std::pair<int, int>> result_keys(const std::string& csv) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  std::set<std::pair<int, int>> keys;
  while (std::getline(in, line)) {
    int point = -1, replicate = -1;
    REQUIRE(std::sscanf(line.c_str(), "%d,%d,", &point, &replicate) == 2);
    REQUIRE(keys.insert({point, replicate}).second);
  }
  return keys;
}

// Starts the CLI, kills it with SIGKILL after `delay`, waits for it.
void run_and_kill(const Workspace& ws, const std::string& args, std::chrono::microseconds delay) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::chdir(ws.work().c_str()) != 0) ::_exit(127);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    const std::string command = std::string(FLYWHEEL_CLI) + " " + args;
    ::execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

}  // namespace

TEST_CASE("sweep: one process, 4 shards merged and mpirun -np 2 write identical results",
          "[sweep]") {
  const Workspace ws;
  const auto single = ws.run("sweep spec.yaml --out one --quiet");
  INFO(single.err);
  REQUIRE(single.code == 0);
  const std::string reference = ws.results("one");
  CHECK(result_keys(reference).size() == 48 * 3);
  CHECK(contains(single.out, "sha256"));

  for (int k = 1; k <= 4; ++k) {
    const auto shard =
        ws.run("sweep spec.yaml --out sharded --quiet --shard " + std::to_string(k) + "/4");
    INFO(shard.err);
    REQUIRE(shard.code == 0);
    CHECK(!fs::exists(ws.work() / "sharded" / "results.csv"));  // only merge writes it
  }
  const auto merged = ws.run("merge sharded --out merged");
  INFO(merged.err);
  REQUIRE(merged.code == 0);
  CHECK(ws.results("merged") == reference);
  CHECK(read_text(ws.work() / "merged" / "points.csv") ==
        read_text(ws.work() / "one" / "points.csv"));

  // A shard count that differs from the folder's is refused.
  const auto mismatched = ws.run("sweep spec.yaml --out sharded --shard 1/3");
  CHECK(mismatched.code == 2);
  CHECK(contains(mismatched.err, "was started with 4 shards"));

#ifdef FLYWHEEL_MPIEXEC
  const auto mpi = ws.run("sweep spec.yaml --out mpi --quiet", mpi_prefix(2));
  INFO(mpi.out << mpi.err);
  REQUIRE(mpi.code == 0);
  CHECK(ws.results("mpi") == reference);
#else
  WARN("built without MPI: the mpirun part of this test is skipped");
#endif
}

TEST_CASE("sweep: engine mean_field gives the same results in one process, in shards merged "
          "and under mpirun -np 2",
          "[sweep][expect]") {
  std::string spec = kSpec;
  spec.replace(spec.find("replicates: 3\n"), 14, "engine: mean_field\n");
  const Workspace ws(spec);
  const auto single = ws.run("sweep spec.yaml --out one --quiet");
  INFO(single.err);
  REQUIRE(single.code == 0);
  const std::string reference = ws.results("one");
  CHECK(result_keys(reference).size() == 48);  // one evaluation per point
  for (int k = 1; k <= 2; ++k) {
    REQUIRE(ws.run("sweep spec.yaml --out sharded --quiet --shard " + std::to_string(k) + "/2")
                .code == 0);
  }
  REQUIRE(ws.run("merge sharded --out merged").code == 0);
  CHECK(ws.results("merged") == reference);
#ifdef FLYWHEEL_MPIEXEC
  const auto mpi = ws.run("sweep spec.yaml --out mpi --quiet", mpi_prefix(2));
  INFO(mpi.out << mpi.err);
  REQUIRE(mpi.code == 0);
  CHECK(ws.results("mpi") == reference);
#else
  WARN("built without MPI: the mpirun part of this test is skipped");
#endif
}

TEST_CASE("sweep: killed with SIGKILL at random moments and resumed, every unit exactly once",
          "[sweep]") {
  const Workspace ws;
  REQUIRE(ws.run("sweep spec.yaml --out reference --quiet").code == 0);
  const std::string reference = ws.results("reference");

  std::mt19937 pick(2026);  // fixed moments, so a failure can be replayed
  for (int attempt = 0; attempt < 8; ++attempt) {
    const auto delay = std::chrono::microseconds(20000 + pick() % 250000);
    run_and_kill(ws, "sweep spec.yaml --out killed --quiet", delay);
    if (fs::exists(ws.work() / "killed" / "results.csv")) break;  // it finished first
  }
  const auto resumed = ws.run("sweep spec.yaml --out killed");
  INFO(resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(ws.results("killed") == reference);
  CHECK(result_keys(ws.results("killed")).size() == 48 * 3);

  // Everything is done now: a third run runs nothing and rewrites the same results.
  const auto again = ws.run("sweep spec.yaml --out killed");
  CHECK(again.code == 0);
  CHECK(contains(again.err, "0 units to run, 48 done before"));
  CHECK(ws.results("killed") == reference);
}

TEST_CASE("sweep: a changed spec is refused on resume unless --force-new", "[sweep]") {
  // What is checked is the spec's identity, not results: two points are enough (kSpec's 48
  // points x 3 replicates, run twice, took 13 s under the sanitizers).
  const std::string spec = R"(base: base.yaml
replicates: 1
design: {method: lhs, samples: 2, seed: 4}
uncertainties:
  funnel.churn_per_month.regular: {range: [0.01, 0.06]}
outputs: [arr_usd@12]
)";
  const Workspace ws(spec);
  REQUIRE(ws.run("sweep spec.yaml --out s --quiet").code == 0);
  std::string changed = spec;
  changed.replace(changed.find("seed: 4"), 7, "seed: 5");
  ws.write("spec.yaml", changed);
  const auto refused = ws.run("sweep spec.yaml --out s --quiet");
  CHECK(refused.code == 2);
  CHECK(contains(refused.err, "holds another sweep"));
  const auto fresh = ws.run("sweep spec.yaml --out s --quiet --force-new");
  CHECK(fresh.code == 0);
  CHECK(ws.results("s") != "");
}

TEST_CASE("sweep: bad specs are refused with file:line:col and exit 2 before any run", "[sweep]") {
  struct Case {
    std::string from, to, expected;
  };
  const std::vector<Case> cases = {
      {"strategy.plg.pql_conversion_per_month:", "strategy.plg.pql_conversion_per_mont:",
       "spec.yaml:6:3: levers.strategy.plg.pql_conversion_per_mont: unknown key; did you mean "
       "pql_conversion_per_month?"},
      {"{range: [0.01, 0.06]}", "{range: [0.06, 0.06]}",
       "spec.yaml:8:43: uncertainties.funnel.churn_per_month.regular.range: [0.06, 0.06] is "
       "empty or inverted; expected [lo, hi] with lo < hi"},
      {"samples: 8", "samples: 0",
       "spec.yaml:3:32: design.samples: 0 is not allowed; expected an integer in [1, 10000000]"},
      {"{range: [0.01, 0.06]}", "{range: [0.01, 1.5]}",
       "spec.yaml:8:3: uncertainties.funnel.churn_per_month.regular: at the high end 1.5: 1.5 is "
       "above 1; expected a probability in [0, 1]"},
      {"arr_usd@12", "arr_usd@13",
       "spec.yaml:10:11: outputs[0]: arr_usd@13 reaches past the base scenario's horizon of 12 "
       "months; expected months in [1, 12]"},
      {"method: lhs", "method: latin",
       "spec.yaml:3:18: design.method: \"latin\" is not a design; expected grid, random, lhs, "
       "sobol, saltelli or morris"},
      {"base: base.yaml", "base: missing.yaml", "spec.yaml:1:7: base: cannot read missing.yaml"},
      {"replicates: 3", "replicates: 3\nset: {market.peple: 100}",
       "spec.yaml:3:7: set.market.peple: unknown key; did you mean people?"},
  };
  for (const Case& c : cases) {
    std::string spec = kSpec;
    spec.replace(spec.find(c.from), c.from.size(), c.to);
    const Workspace ws(spec);
    const auto result = ws.run("sweep spec.yaml --out s");
    INFO(c.to << "\n" << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.rfind(c.expected, 0) == 0);
    CHECK(!fs::exists(ws.work() / "s"));
  }
  const Workspace ws;
  const auto shard = ws.run("sweep spec.yaml --out s --shard 5/4");
  CHECK(shard.code == 2);
  CHECK(contains(shard.err, "--shard: \"5/4\" is not a shard; expected k/N with 1 <= k <= N"));
  CHECK(!fs::exists(ws.work() / "s"));
}

TEST_CASE(
    "sweep: failing points are recorded, the sweep goes on, --retry-failed reruns only "
    "them",
    "[sweep]") {
  // A normal distribution on a probability: its tails fall outside [0, 1] at some points.
  const Workspace ws(R"(base: base.yaml
replicates: 2
design: {method: random, samples: 12, seed: 5}
uncertainties:
  funnel.churn_per_month.regular: {normal: [0.5, 0.4]}
outputs: [arr_usd@12]
)");
  const auto first = ws.run("sweep spec.yaml --out s --quiet");
  CHECK(first.code == 3);
  const nlohmann::json manifest =
      nlohmann::json::parse(read_text(ws.work() / "s" / "manifest.json"));
  const auto& failures = manifest.at("failures");
  REQUIRE(!failures.empty());
  CHECK(contains(failures[0].at("error").get<std::string>(), "expected a probability in [0, 1]"));
  const int failed = static_cast<int>(failures.size());
  const int finished = manifest.at("counts").at("units").get<int>();
  CHECK(failed + finished == 12);
  CHECK(result_keys(ws.results("s")).size() == static_cast<std::size_t>(2 * finished));

  // Finished units are not run again: their files keep their inodes.
  std::map<std::string, ino_t> inodes;
  for (const auto& e : fs::directory_iterator(ws.work() / "s" / "units")) {
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    inodes[e.path().filename().string()] = st.st_ino;
  }
  const auto retry = ws.run("sweep spec.yaml --out s --retry-failed");
  CHECK(retry.code == 3);  // the same points fail again: the failure is in their values
  CHECK(contains(retry.err, std::to_string(failed) + " units to run, " + std::to_string(finished) +
                                " done before"));
  for (const auto& [name, inode] : inodes) {
    if (name.ends_with(".failed")) continue;
    struct stat st {};
    ::stat((ws.work() / "s" / "units" / name).c_str(), &st);
    CHECK(st.st_ino == inode);
  }
}

TEST_CASE("sweep: --precision adds batches until the interval is narrow enough", "[sweep]") {
  const Workspace ws;
  const auto run = ws.run(
      "sweep spec.yaml --out p --quiet --precision arr_usd@12:10% "
      "--max-replicates 12");
  INFO(run.err);
  REQUIRE(run.code == 0);
  // Group the outputs by point and check the stopping rule at every batch boundary.
  std::map<int, std::vector<double>> by_point;
  std::istringstream in(ws.results("p"));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    int point = 0, replicate = 0;
    unsigned seed = 0;
    double arr = 0;
    REQUIRE(std::sscanf(line.c_str(), "%d,%d,%u,%lf", &point, &replicate, &seed, &arr) == 4);
    by_point[point].push_back(arr);
  }
  flywheel::Precision p;
  p.target = 0.10;
  p.relative = true;
  std::set<std::size_t> sizes;
  for (const auto& [point, values] : by_point) {
    sizes.insert(values.size());
    REQUIRE(values.size() % 3 == 0);
    const std::vector<double> but_last(values.begin(), values.end() - 3);
    if (values.size() > 3) CHECK_FALSE(flywheel::precision_met(p, but_last));  // needed more
    if (values.size() < 12) CHECK(flywheel::precision_met(p, values));         // stopped when met
  }
  CHECK(sizes.size() >= 2);  // some points needed more replicates than others
#ifdef FLYWHEEL_MPIEXEC
  const auto mpi = ws.run(
      "sweep spec.yaml --out pm --quiet --precision arr_usd@12:10% "
      "--max-replicates 12",
      mpi_prefix(2));
  REQUIRE(mpi.code == 0);
  CHECK(ws.results("pm") == ws.results("p"));
#endif
}

TEST_CASE("sweep: a grid design covers the product of the levels", "[sweep]") {
  const Workspace ws(R"(base: base.yaml
replicates: 1
design: {method: grid}
levers:
  strategy.marketing.spend_usd_per_month: {values: [0, 5000]}
uncertainties:
  funnel.churn_per_month.regular: {range: [0.01, 0.03], levels: 3}
  simulation.step: {values: [week, month]}
outputs: [arr_usd@last]
)");
  REQUIRE(ws.run("sweep spec.yaml --out g --quiet").code == 0);
  const std::string points = read_text(ws.work() / "g" / "points.csv");
  CHECK(points.rfind("point,policy,scenario,strategy.marketing.spend_usd_per_month,"
                     "funnel.churn_per_month.regular,simulation.step\n",
                     0) == 0);
  std::set<std::string> combos;
  std::istringstream in(points);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line))
    combos.insert(line.substr(line.find(',', line.find(',', line.find(',') + 1) + 1) + 1));
  CHECK(combos.size() == 2 * 3 * 2);
  CHECK(combos.count("5000,0.02,month") == 1);
  CHECK(combos.count("0,0.03,week") == 1);
}

TEST_CASE("sweep: the shipped sweep specs check out against their base scenarios", "[sweep]") {
  for (const auto& entry :
       fs::directory_iterator(fs::path(FLYWHEEL_SOURCE_DIR) / "scenarios" / "sweeps")) {
    const Workspace ws;
    const auto result = ws.run("sweep --dry-run '" + entry.path().string() + "'");
    INFO(entry.path() << "\n" << result.err);
    CHECK(result.code == 0);
    CHECK(contains(result.out, "points x"));
  }
}
