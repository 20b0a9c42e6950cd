// `flywheel optimize`: the statistics of objectives and constraints, a known constrained optimum
// of the quadratic test model (with its frontier and a resumed run), and a small business case
// whose optimum a brute-force grid sweep over the same scenarios confirms.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <flywheel/experiments/optimize.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <sstream>

using flywheel::test::CliWorkspace;
using flywheel::test::contains;
using flywheel::test::mpi_prefix;
using flywheel::test::read_text;
namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f(1);
    for (char ch : line) {
      if (ch == ',') f.emplace_back(); else f.back() += ch;
    }
    rows.push_back(f);
  }
  return rows;
}

// best.yaml's `set:` values, by path.
std::map<std::string, double> best_values(const std::string& yaml) {
  std::map<std::string, double> out;
  std::istringstream in(yaml.substr(yaml.find("\nset:\n") + 6));
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    out[line.substr(2, colon - 2)] = std::stod(line.substr(colon + 1));
  }
  return out;
}

}  // namespace

TEST_CASE("optimize: statistics and their intervals", "[optimize]") {
  std::string problem;
  const auto mean = flywheel::parse_outcome_statistic("mean(arr_usd@12)", problem);
  REQUIRE(mean);
  const auto v = flywheel::evaluate_statistic(*mean, {1, 2, 3, 4, NAN});
  CHECK(v.value == Approx(2.5));
  CHECK(v.hi - v.value == Approx(1.959963984540054 * std::sqrt(5.0 / 3.0 / 4.0)));
  const auto p = flywheel::parse_outcome_statistic("P(cash_usd@min >= 0)", problem);
  REQUIRE(p);
  const auto pv = flywheel::evaluate_statistic(*p, {1, -1, 0, 5, NAN});
  CHECK(pv.value == Approx(0.6));  // NaN counts as not meeting the condition
  CHECK(pv.lo < 0.6);
  CHECK(pv.hi > 0.6);
  const auto q = flywheel::parse_outcome_statistic("quantile(0.1, arr_usd@12)", problem);
  REQUIRE(q);
  std::vector<double> xs;
  for (int i = 0; i <= 100; ++i) xs.push_back(i);
  const auto qv = flywheel::evaluate_statistic(*q, xs);
  CHECK(qv.value == Approx(10));
  CHECK(qv.lo <= 10);
  CHECK(qv.hi >= 10);
  CHECK_FALSE(flywheel::parse_outcome_statistic("median(arr_usd@12)", problem));
  CHECK(contains(problem, "unknown statistic \"median\""));
  CHECK_FALSE(flywheel::parse_outcome_statistic("quantile(2, arr_usd@12)", problem));
}

TEST_CASE("optimize: COBYLA reaches the quadratic model's constrained optimum, its frontier, "
          "and a second run resumes from the cache",
          "[optimize]") {
  const CliWorkspace ws("optimize_quadratic");
  ws.write("q.yaml",
           "model: quadratic\n"
           "design: {method: lhs, samples: 8, seed: 1}\n"
           "uncertainties:\n  x3: {range: [-0.1, 0.1]}\n"
           "decisions:\n  x1: {range: [0, 1]}\n  x2: {range: [0, 1]}\n"
           "objective: {maximize: \"mean(y)\"}\n"
           "constraints: [\"mean(cost) <= 0.8\"]\n"
           "optimizer: {method: cobyla, max_evaluations: 300, tolerance: 1e-7}\n"
           "frontier: {constraint: 1, levels: [0.6, 1.2]}\n");
  const auto r = ws.run("optimize q.yaml --out o --quiet");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const fs::path o = ws.work() / "o";
  const std::string best = read_text(o / "best.yaml");
  INFO(best);
  const auto values = best_values(best);
  // max 1 - (x1 - 0.3)^2 - (x2 - 0.7)^2 s.t. x1 + x2 <= 0.8: (0.2, 0.6).
  CHECK(values.at("x1") == Approx(0.2).margin(0.01));
  CHECK(values.at("x2") == Approx(0.6).margin(0.01));
  CHECK(contains(best, "feasible: true"));
  // The frontier: at 0.6 the optimum is (0.1, 0.5), objective 0.92 + mean x3; at 1.2 the
  // constraint no longer binds: (0.3, 0.7), objective 1 + mean x3.
  const auto frontier = csv_rows(read_text(o / "frontier.csv"));
  REQUIRE(frontier.size() == 3);
  CHECK(frontier[0][0] == "bound");
  const double at_06 = std::stod(frontier[1][1]), at_12 = std::stod(frontier[2][1]);
  CHECK(at_12 - at_06 == Approx(0.08).margin(0.005));
  CHECK(std::stod(frontier[2][6]) == Approx(0.3).margin(0.02));
  CHECK(std::stod(frontier[2][7]) == Approx(0.7).margin(0.02));
  CHECK(contains(read_text(o / "trace.csv"), "run,call,candidate,objective,feasible,best_objective\n"));
  CHECK(contains(read_text(o / "candidates.csv"), "candidate,x1,x2,objective,objective_lo,"));
  CHECK(contains(read_text(o / "report.html"), "Trade-off frontier"));
  // Resumed: the same calls, every candidate from the cache, the same answer.
  const std::string candidates = read_text(o / "candidates.csv");
  const auto again = ws.run("optimize q.yaml --out o");
  REQUIRE(again.code == 0);
  CHECK(contains(again.out, "0 simulated"));
  CHECK(read_text(o / "best.yaml") == best);
}

TEST_CASE("optimize: a business case's optimum matches a brute-force grid sweep",
          "[optimize][sweep]") {
  // A small PLG company (tests/bad-input/support/base.yaml: 2,000 people, 12 months): the
  // marketing budget that maximises mean ARR at month 12 under a marketing spend cap of $60,000
  // a year, with the activation rate uncertain (4 scenarios x 8 replicates).
  const CliWorkspace ws("optimize_business");
  ws.write("base.yaml",
           read_text(fs::path(FLYWHEEL_SOURCE_DIR) / "tests/bad-input/support/base.yaml"));
  const std::string common =
      "base: base.yaml\nreplicates: 8\n"
      "design: {method: lhs, samples: 4, seed: 4}\n"
      "uncertainties:\n  funnel.activation_per_month: {range: [0.4, 0.6]}\n";
  ws.write("opt.yaml", common +
                           "decisions:\n  strategy.marketing.spend_usd_per_month: {range: [0, 20000]}\n"
                           "objective: {maximize: \"mean(arr_usd@12)\"}\n"
                           "constraints: [\"mean(spend_marketing_usd@sum:1-12) <= 60000\"]\n"
                           "optimizer: {method: cobyla, max_evaluations: 40}\n");
  std::string levels;
  for (int k = 0; k <= 20; ++k) levels += (k ? ", " : "") + std::to_string(k * 1000);
  ws.write("grid.yaml", common + "levers:\n  strategy.marketing.spend_usd_per_month: {values: [" +
                            levels + "]}\noutputs: [arr_usd@12, spend_marketing_usd@sum:1-12]\n");
  const auto opt = ws.run("optimize opt.yaml --out o --quiet");
  INFO(opt.err);
  REQUIRE(opt.code == 0);
  REQUIRE(ws.run("sweep grid.yaml --out g --quiet").code == 0);
  // The grid: per policy (budget), the mean and standard error of ARR over its 32 samples; the
  // best among those whose mean spend meets the cap.
  const auto points = csv_rows(read_text(ws.work() / "g" / "points.csv"));
  const auto results = csv_rows(read_text(ws.work() / "g" / "results.csv"));
  std::map<int, std::vector<double>> arr, spend;
  for (std::size_t i = 1; i < results.size(); ++i) {
    const int policy = std::stoi(points[static_cast<std::size_t>(std::stoi(results[i][0])) + 1][1]);
    arr[policy].push_back(std::stod(results[i][3]));
    spend[policy].push_back(std::stod(results[i][4]));
  }
  auto mean_of = [](const std::vector<double>& xs) {
    double m = 0;
    for (double x : xs) m += x;
    return m / static_cast<double>(xs.size());
  };
  double grid_best = -INFINITY, grid_se = 0;
  for (const auto& [policy, xs] : arr) {
    if (mean_of(spend[policy]) > 60000 + 1e-6) continue;
    const double mean = mean_of(xs);
    double ss = 0;
    for (double x : xs) ss += (x - mean) * (x - mean);
    if (mean > grid_best) {
      grid_best = mean;
      grid_se = std::sqrt(ss / static_cast<double>(xs.size() - 1) / static_cast<double>(xs.size()));
    }
  }
  const std::string best = read_text(ws.work() / "o" / "best.yaml");
  INFO(best);
  CHECK(contains(best, "feasible: true"));
  const auto j = read_text(ws.work() / "o" / "optimize.json");
  const double found = std::stod(j.substr(j.find("\"objective\": ", j.find("\"best\"")) + 13));
  INFO("grid best " << grid_best << " +- " << grid_se << ", optimize " << found);
  CHECK(grid_se > 0);
  // The runner-up, paired over the same samples.
  CHECK(contains(j, "\"runner_up\": {"));
  CHECK(contains(j, "\"distinguishable\": "));
  CHECK(found >= grid_best - grid_se);
  CHECK(found <= grid_best + grid_se);
  // Determinism: one thread gives the same candidates, byte for byte.
  REQUIRE(ws.run("optimize opt.yaml --out o1 --quiet --threads 1 --no-report").code == 0);
  CHECK(read_text(ws.work() / "o1" / "candidates.csv") ==
        read_text(ws.work() / "o" / "candidates.csv"));
}

TEST_CASE("optimize: a schedule as two decisions, the step's size and its (whole) month",
          "[optimize]") {
  const CliWorkspace ws("optimize_schedule");
  std::string base =
      read_text(fs::path(FLYWHEEL_SOURCE_DIR) / "tests/bad-input/support/base.yaml");
  const std::string flat = "marketing: {spend_usd_per_month: 5000,";
  REQUIRE(base.find(flat) != std::string::npos);
  base.replace(base.find(flat), flat.size(),
               "marketing: {spend_usd_per_month: [{from_month: 0, value: 2000}, "
               "{from_month: 6, value: 8000}],");
  ws.write("base.yaml", base);
  ws.write("opt.yaml",
           "base: base.yaml\nreplicates: 4\n"
           "decisions:\n"
           "  strategy.marketing.spend_usd_per_month[1].value: {range: [0, 20000]}\n"
           "  strategy.marketing.spend_usd_per_month[1].from_month: {range: [1, 11], integer: true}\n"
           "objective: {maximize: \"mean(arr_usd@12)\"}\n"
           "constraints: [\"mean(spend_marketing_usd@sum:1-12) <= 60000\"]\n"
           "optimizer: {max_evaluations: 30}\n");
  const auto r = ws.run("optimize opt.yaml --out o --quiet --no-report");
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string best = read_text(ws.work() / "o" / "best.yaml");
  INFO(best);
  CHECK(contains(best, "feasible: true"));
  const auto values = best_values(best);
  const double month = values.at("strategy.marketing.spend_usd_per_month[1].from_month");
  CHECK(month == std::round(month));
  // Every candidate's month is a whole number in [1, 11].
  for (const auto& row : csv_rows(read_text(ws.work() / "o" / "candidates.csv"))) {
    if (row[0] == "candidate") continue;
    CHECK(row[2].find('.') == std::string::npos);
  }
}

TEST_CASE("optimize: under mpirun the candidates' scenarios are spread over ranks, and the files "
          "are those of one process",
          "[optimize][sweep][mpi]") {
#ifdef FLYWHEEL_MPIEXEC
  // 3 scenarios x 4 replicates: with one worker (2 ranks) a task is a scenario; with two (3
  // ranks) each scenario's replicates are split in two tasks. The mean-field spec has 20
  // scenarios, run two to a task.
  const CliWorkspace ws("optimize_mpi");
  ws.write("base.yaml",
           read_text(fs::path(FLYWHEEL_SOURCE_DIR) / "tests/bad-input/support/base.yaml"));
  const std::string problem =
      "decisions:\n"
      "  strategy.marketing.spend_usd_per_month: {range: [0, 20000]}\n"
      "  funnel.signup_per_month: {range: [0.2, 0.6]}\n"
      "objective: {maximize: \"P(arr_usd@12 >= 30000)\"}\n"
      "constraints: [\"mean(spend_marketing_usd@sum:1-12) <= 90000\"]\n"
      "optimizer: {method: cobyla, max_evaluations: 10}\n";
  ws.write("agent.yaml", "base: base.yaml\nreplicates: 4\n"
                         "design: {method: lhs, samples: 3, seed: 4}\n"
                         "uncertainties:\n  funnel.activation_per_month: {range: [0.4, 0.6]}\n" +
                             problem);
  ws.write("mf.yaml", "base: base.yaml\nengine: mean_field\n"
                      "design: {method: lhs, samples: 20, seed: 4}\n"
                      "uncertainties:\n  funnel.activation_per_month: {range: [0.4, 0.6]}\n" +
                          problem);
  for (const std::string spec : {"agent", "mf"}) {
    const auto one = ws.run("optimize " + spec + ".yaml --out " + spec + "1 --quiet --no-report");
    INFO(one.err);
    REQUIRE(one.code == 0);
    for (const int ranks : {2, 3}) {
      const std::string out = spec + std::to_string(ranks);
      const auto mpi = ws.run("optimize " + spec + ".yaml --out " + out + " --no-report",
                              mpi_prefix(ranks));
      INFO(spec << " on " << ranks << " ranks\n" << mpi.out << mpi.err);
      REQUIRE(mpi.code == 0);
      CHECK(contains(mpi.err, std::to_string(ranks) + " MPI ranks"));
      CHECK(mpi.out.substr(0, mpi.out.find("output: ")) == one.out.substr(0, one.out.find("output: ")));
      for (const char* file : {"candidates.csv", "trace.csv", "best.yaml", "optimize.json"}) {
        INFO(file);
        CHECK(read_text(ws.work() / out / file) == read_text(ws.work() / (spec + "1") / file));
      }
    }
  }
  // Resumed under mpirun from the one-process cache: nothing is simulated again.
  const auto resumed = ws.run("optimize agent.yaml --out agent1 --no-report", mpi_prefix(2));
  INFO(resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(contains(resumed.out, "(0 simulated"));
#else
  WARN("built without MPI: optimize under mpirun is not tested");
#endif
}
