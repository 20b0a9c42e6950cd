// `flywheel calibrate` (docs/calibrate.md): the sampler's pieces (weighted quantile, systematic
// resampling), the data file and distance rules, and the calibration's honesty on synthetic
// data made by the model itself at known parameters: recovery with coverage over many data sets
// (simulation-based calibration), wide marginals for parameters the data cannot tell apart,
// byte-identical results for 1 and 2 threads and after a kill -9 and resume.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include "experiments/abc_smc.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/common/rng.hpp>
#include <flywheel/experiments/calibrate.hpp>
#include <flywheel/meanfield/expect.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

using flywheel::test::read_text;
using flywheel::test::TempDir;
namespace fs = std::filesystem;
using namespace flywheel;

namespace {

// A small PLG market: fast under both engines (12-24 monthly steps, a few thousand people).
constexpr const char* kBase = R"(name: tiny
simulation: {months: 24, step: month, replicates: 1, seed: 5, agent_scale: 1}
market:
  people: 20000
  segments:
    - {name: smb, share: 1.0, price_usd_per_seat_month: 10}
acquisition: {innovation_p_per_month: 0.01, imitation_q_per_month: 0.4}
funnel:
  signup_per_month: 0.3
  activation_per_month: 0.5
  churn_per_month: {beginner: 0.1, regular: 0.03}
strategy:
  plg: {pql_min_active_users: 1, pql_conversion_per_month: 0.2}
  marketing: {spend_usd_per_month: 2000, cost_per_aware_usd: 2}
)";

// The model's own trajectory at `values` (mean field, or one agent replicate with `seed`).
std::vector<MetricValues> truth_run(const std::vector<Override>& values, bool agent,
                                    std::uint32_t seed) {
  std::vector<Override> o = values;
  o.push_back({"simulation.seed", std::to_string(seed)});
  const Scenario s = load_scenario_text(kBase, "tiny.yaml", o, ".");
  if (!agent) return meanfield::expect(s).months;
  const ReplicateResult r = run_replicate(s, 0);
  std::vector<MetricValues> months;
  for (const MonthRecord& m : r.months) months.push_back(derive_metrics(m, 1));
  return months;
}

std::string data_csv(const std::vector<MetricValues>& months, const std::vector<Metric>& metrics,
                     int last_month) {
  std::string out = "month,metric,value\n";
  for (int m = 1; m <= last_month; ++m)
    for (const Metric metric : metrics)
      out += fmt::format("{},{},{}\n", m, metric_name(metric),
                         months[static_cast<std::size_t>(m - 1)][static_cast<int>(metric)]);
  return out;
}

struct Posterior {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;  // the last generation: weight, then the parameters
};

Posterior last_generation(const fs::path& file) {
  std::istringstream in(read_text(file));
  std::string line;
  std::getline(in, line);
  Posterior p;
  std::vector<std::vector<double>> all;
  int last = -1;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::stringstream fields(line);
    std::string f;
    while (std::getline(fields, f, ',')) row.push_back(f.empty() ? std::nan("") : std::stod(f));
    const int g = static_cast<int>(row[0]);
    if (g > last) {
      last = g;
      p.rows.clear();
    }
    std::vector<double> kept = {row[2]};
    kept.insert(kept.end(), row.begin() + 4, row.end());
    p.rows.push_back(kept);
  }
  return p;
}

// Weighted quantile of parameter k (1-based in the row) of the posterior.
double posterior_quantile(const Posterior& p, std::size_t k, double q,
                          double (*transform)(double) = nullptr) {
  std::vector<double> v, w;
  for (const auto& row : p.rows) {
    v.push_back(transform != nullptr ? transform(row[k]) : row[k]);
    w.push_back(row[0]);
  }
  return abc::weighted_quantile(v, w, q);
}

struct Setup {
  std::string spec;
  fs::path out;
};

// Writes base, data and spec into `dir`; returns the spec's path.
std::string write_calibration(const TempDir& dir, const std::string& data,
                              const std::string& body) {
  dir.write("tiny.yaml", kBase);
  dir.write("data.csv", data);
  return dir.write("spec.yaml", "base: tiny.yaml\ndata: data.csv\n" + body);
}

double log_of(double x) { return std::log(x); }

}  // namespace

TEST_CASE("calibrate: weighted quantile and systematic resampling", "[calibrate]") {
  const std::vector<double> v = {3, 1, 2, 4};
  CHECK(abc::weighted_quantile(v, {1, 1, 1, 1}, 0.5) == 2);
  CHECK(abc::weighted_quantile(v, {0, 0, 0, 1}, 0.5) == 4);
  CHECK(abc::weighted_quantile(v, {1, 1, 1, 1}, 1.0) == 4);
  const std::vector<int> draws = abc::systematic_resample({0.5, 0.0, 0.25, 0.25}, 8, 0.5);
  CHECK(draws == std::vector<int>{0, 0, 0, 0, 2, 2, 3, 3});
}

TEST_CASE("calibrate: the data file's rows and the distance", "[calibrate]") {
  const std::vector<Observation> rows = read_calibration_data(
      "# a comment\nmetric,month,value,sd,weight\nsignups,1,100,10,\nsignups,3,300,,2\n"
      "active_users,2,50,5,1\n",
      "d.csv", 12, SweepEngine::agent);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].month == 1);
  CHECK(rows[0].line == 3);
  CHECK(rows[0].weight == 1);
  CHECK(std::isnan(rows[1].sd));
  CHECK(rows[1].weight == 2);
  std::vector<MetricValues> months(3);
  for (auto& m : months) m.fill(0);
  months[0][static_cast<int>(Metric::signups)] = 110;  // data 100: +10
  months[2][static_cast<int>(Metric::signups)] = 300;  // exact
  months[1][static_cast<int>(Metric::active_users)] = 40;  // data 50: -10
  // scale: data: signups' scale (100 + 300) / 2 = 200, active_users' 50.
  const CalibrationDistance by_data(rows, DistanceSpec{});
  const double z1 = 10.0 / 200, z3 = -10.0 / 50;
  CHECK(by_data(months) == Approx(std::sqrt((z1 * z1 + z3 * z3) / 4)));
  const CalibrationDistance relative(rows, {DistanceSpec::Form::relative, DistanceSpec::Scale::data});
  CHECK(relative(months) == Approx(std::sqrt((0.01 + 0.04) / 4)));
  months[1][static_cast<int>(Metric::active_users)] = std::nan("");
  CHECK(std::isinf(by_data(months)));
}

TEST_CASE("calibrate: early rejection stops only runs whose first months exceed the bound",
          "[calibrate]") {
  const std::vector<Observation> rows = read_calibration_data(
      "metric,month,value\nsignups,1,100\nsignups,3,300\nactive_users,2,50\n", "d.csv", 12,
      SweepEngine::agent);
  std::vector<MetricValues> months(3);
  for (auto& m : months) m.fill(0);
  months[0][static_cast<int>(Metric::signups)] = 110;
  months[1][static_cast<int>(Metric::active_users)] = 40;
  months[2][static_cast<int>(Metric::signups)] = 300;
  const CalibrationDistance distance(rows, DistanceSpec{});
  const double whole = distance(months);
  // After month 2 the two terms so far are the whole sum: cut below it, never at or above.
  const std::vector<MetricValues> two(months.begin(), months.begin() + 2);
  CHECK(distance.exceeds(two, 0.99 * whole));
  CHECK_FALSE(distance.exceeds(two, whole));
  CHECK_FALSE(distance.exceeds(two, 1.01 * whole));
  // After month 1 only the first term counts.
  const std::vector<MetricValues> one(months.begin(), months.begin() + 1);
  const double first = std::sqrt((10.0 / 200) * (10.0 / 200) / 3);
  CHECK(distance.exceeds(one, 0.99 * first));
  CHECK_FALSE(distance.exceeds(one, 1.01 * first));
  // An undefined value so far is past any bound.
  std::vector<MetricValues> undefined = one;
  undefined[0][static_cast<int>(Metric::signups)] = std::nan("");
  CHECK(distance.exceeds(undefined, 1e100));

  // The month watch stops a replicate after the month it refuses; the months run are the
  // uninterrupted run's.
  const Scenario s = load_scenario_text(kBase, "tiny.yaml", {}, ".");
  const ReplicateResult full = run_replicate(s, 0);
  int calls = 0;
  const ReplicateResult cut = run_replicate(s, 0, [&](const std::vector<MonthRecord>& so_far) {
    ++calls;
    CHECK(so_far.size() == static_cast<std::size_t>(calls));
    return so_far.size() < 5;
  });
  CHECK(calls == 5);
  REQUIRE(cut.months.size() == 5);
  for (std::size_t m = 0; m < 5; ++m)
    CHECK(cut.months[m] == full.months[m]);
}

TEST_CASE("calibrate: bad data rows are refused with file:line:col", "[calibrate]") {
  auto first_error = [](const std::string& csv) {
    try {
      read_calibration_data(csv, "d.csv", 12, SweepEngine::mean_field);
    } catch (const InputError& e) {
      return e.diagnostics().front().to_string();
    }
    return std::string("accepted");
  };
  CHECK(first_error("month,metric,value\n1,signups,inf\n").starts_with("d.csv:2:11: value:"));
  CHECK(first_error("month,metric,value\n1,median_ttv_days,3\n")
            .starts_with("d.csv:2:3: metric: median_ttv_days has no mean-field meaning"));
  CHECK(first_error("month,metric\n").starts_with("d.csv:1:1: missing column \"value\""));
  CHECK(first_error("month,metric,value\n1,signups,0,\n").starts_with("d.csv:2:1: 4 fields"));
  CHECK(first_error("month,metric,value,weight\n1,signups,1,0\n")
            .find("weight: every weight is 0") != std::string::npos);
}

namespace {

// A mean-field calibration of two parameters of the tiny market, quick enough for every run.
const std::string kQuickBody = R"(engine: mean_field
seed: 3
parameters:
  funnel.signup_per_month: {uniform: [0.1, 0.6]}
  strategy.plg.pql_conversion_per_month: {log_uniform: [0.05, 0.5]}
budget: {particles: 60, generations: 4}
forecast: {draws: 20}
)";

std::string quick_data() {
  const std::vector<MetricValues> months = truth_run(
      {{"funnel.signup_per_month", "0.3"}, {"strategy.plg.pql_conversion_per_month", "0.2"}},
      false, 1);
  return data_csv(months, {Metric::signups, Metric::accounts_paying}, 12);
}

const std::vector<std::string> kOutputs = {"posterior.csv", "generations.csv",
                                           "posterior_sample.csv", "calibrated.yaml",
                                           "forecast.csv", "calibration.json"};

}  // namespace

TEST_CASE("calibrate: 1 and 2 threads write the same bytes", "[calibrate][cli]") {
  const TempDir dir("calibrate_threads");
  write_calibration(dir, quick_data(), kQuickBody);
  const auto one = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out a --threads 1 --quiet");
  REQUIRE(one.code == 0);
  const auto two = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out b --threads 2 --quiet");
  REQUIRE(two.code == 0);
  for (const std::string& f : kOutputs) {
    INFO(f);
    CHECK(read_text(dir / ("a/" + f)) == read_text(dir / ("b/" + f)));
  }
  // The posterior is narrower than the prior and holds the truth.
  const Posterior p = last_generation(dir / "a/posterior.csv");
  const double lo = posterior_quantile(p, 1, 0.05), hi = posterior_quantile(p, 1, 0.95);
  CHECK(lo <= 0.3);
  CHECK(hi >= 0.3);
  CHECK(hi - lo < 0.6 * (0.6 - 0.1));
}

TEST_CASE("calibrate: a run killed by kill -9 resumes and writes the same bytes",
          "[calibrate][cli]") {
  const TempDir dir("calibrate_resume");
  std::string body = kQuickBody;
  body.replace(body.find("generations: 4"), 14, "generations: 6");
  write_calibration(dir, quick_data(), body);
  const auto whole = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out whole --quiet");
  REQUIRE(whole.code == 0);
  // Start, wait for generation 2 to be published, kill -9 mid-calibration.
  const std::string script = fmt::format(
      "cd '{}' && ('{}' calibrate spec.yaml --out cut --quiet >/dev/null 2>&1 & pid=$!; "
      "while kill -0 $pid 2>/dev/null && [ ! -f cut/generations/gen-0002.json ]; do sleep 0.005; "
      "done; kill -9 $pid 2>/dev/null; wait $pid; true)",
      dir.path().string(), FLYWHEEL_CLI);
  REQUIRE(std::system(script.c_str()) == 0);
  const bool interrupted = !fs::exists(dir / "cut/forecast.csv");
  INFO("interrupted before the end: " << interrupted);
  const auto again = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out cut --quiet");
  REQUIRE(again.code == 0);
  if (interrupted) CHECK(again.out.find("resumed at") != std::string::npos);
  for (const std::string& f : kOutputs) {
    INFO(f);
    CHECK(read_text(dir / ("whole/" + f)) == read_text(dir / ("cut/" + f)));
  }
  // Another spec into the same folder is refused.
  dir.write("spec.yaml", "base: tiny.yaml\ndata: data.csv\n" + kQuickBody + "replicates: 1\n");
  const auto other = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out cut --quiet");
  CHECK(other.code == 2);
  CHECK(other.err.find("holds another calibration") != std::string::npos);
}

TEST_CASE("calibrate: one process and mpirun -np 2 and -np 3 write the same bytes",
          "[calibrate][cli]") {
#ifdef FLYWHEEL_MPIEXEC
  const TempDir dir("calibrate_mpi");
  std::string body = kQuickBody;  // smaller: four runs, some with more ranks than cores
  body.replace(body.find("particles: 60, generations: 4"), 29, "particles: 24, generations: 3");
  write_calibration(dir, quick_data(), body);
  const auto one = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out one --quiet");
  REQUIRE(one.code == 0);
  for (int ranks : {2, 3}) {
    const std::string out = fmt::format("mpi{}", ranks);
    const auto mpi = flywheel::test::run_cli_in(
        dir.path(), "calibrate spec.yaml --out " + out + " --quiet --threads 1",
        flywheel::test::mpi_prefix(ranks));
    INFO(ranks << " ranks: " << mpi.out << mpi.err);
    REQUIRE(mpi.code == 0);
    CHECK(mpi.out.substr(0, mpi.out.find('\n')) == one.out.substr(0, one.out.find('\n')));
    for (const std::string& f : kOutputs) {
      INFO(f);
      CHECK(read_text(dir / ("one/" + f)) == read_text(dir / (out + "/" + f)));
    }
  }
  // Resuming under mpirun: rank 0 reads the folder and hands the generations to the others.
  fs::remove(dir / "mpi3/generations/gen-0002.json");
  fs::remove(dir / "mpi3/generations/gen-0003.json");
  fs::remove(dir / "mpi3/forecast.csv");
  const auto again = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out mpi3 --quiet",
                                                flywheel::test::mpi_prefix(2));
  INFO(again.out << again.err);
  REQUIRE(again.code == 0);
  CHECK(again.out.find("resumed at 2") != std::string::npos);
  for (const std::string& f : kOutputs) {
    INFO(f);
    CHECK(read_text(dir / ("one/" + f)) == read_text(dir / ("mpi3/" + f)));
  }
  // A folder of another calibration stops every rank (no rank left waiting).
  dir.write("spec.yaml", "base: tiny.yaml\ndata: data.csv\n" + body + "replicates: 1\n");
  const auto other = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out mpi3 --quiet",
                                                flywheel::test::mpi_prefix(2));
  CHECK(other.code == 2);
  CHECK(other.err.find("holds another calibration") != std::string::npos);
#else
  WARN("built without MPI: this test is skipped");
#endif
}

TEST_CASE("calibrate: budget.min_acceptance stops a stalling schedule", "[calibrate][cli]") {
  const TempDir dir("calibrate_min_acceptance");
  std::string body = kQuickBody;
  body.replace(body.find("budget: {particles: 60, generations: 4}"), 39,
               "budget: {particles: 24, generations: 4, min_acceptance: 0.99}");
  write_calibration(dir, quick_data(), body);
  const auto run = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out a --quiet");
  INFO(run.out << run.err);
  REQUIRE(run.code == 0);
  // Generation 1 accepts fewer than 99% of its simulations: the run stops after it.
  CHECK(run.out.find("2 generations") != std::string::npos);
  CHECK(run.out.find("stopped by min_acceptance") != std::string::npos);
  // Out of range: refused at its line.
  body.replace(body.find("min_acceptance: 0.99"), 20, "min_acceptance: 1.5");
  dir.write("spec.yaml", "base: tiny.yaml\ndata: data.csv\n" + body);
  const auto bad = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out b --quiet");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("budget.min_acceptance: 1.5 is not allowed") != std::string::npos);
}

// [heavy]: several hundred mean-field simulations (a minute or more on a shared machine).
TEST_CASE("calibrate: two parameters the data cannot tell apart stay wide along their ridge",
          "[calibrate][heavy]") {
  // Paid awareness is spend / cost per aware person: the data see only the ratio.
  const TempDir dir("calibrate_ridge");
  const std::vector<MetricValues> months =
      truth_run({{"strategy.marketing.spend_usd_per_month", "2000"},
                 {"strategy.marketing.cost_per_aware_usd", "2"}},
                false, 1);
  const std::string spec = write_calibration(
      dir, data_csv(months, {Metric::signups, Metric::active_users}, 12),
      "engine: mean_field\nseed: 5\nparameters:\n"
      "  strategy.marketing.spend_usd_per_month: {log_uniform: [500, 8000]}\n"
      "  strategy.marketing.cost_per_aware_usd: {log_uniform: [0.5, 8]}\n"
      "budget: {particles: 100, generations: 6}\nforecast: {draws: 10}\n");
  const CalibrationSpec s = load_calibration_spec(spec);
  run_calibration(s, (dir / "out").string(), {});
  const Posterior p = last_generation(dir / "out/posterior.csv");
  const double prior_width = std::log(16.0);
  // Each marginal: most of its prior's width (in ln), and the truth inside.
  for (std::size_t k : {std::size_t{1}, std::size_t{2}}) {
    const double lo = posterior_quantile(p, k, 0.05, log_of);
    const double hi = posterior_quantile(p, k, 0.95, log_of);
    CHECK(hi - lo > 0.5 * prior_width);
    CHECK(lo < std::log(k == 1 ? 2000.0 : 2.0));
    CHECK(hi > std::log(k == 1 ? 2000.0 : 2.0));
  }
  // Their ratio: narrow, around the truth (1000 aware people a month).
  std::vector<double> ratio, w;
  for (const auto& row : p.rows) {
    ratio.push_back(std::log(row[1] / row[2]));
    w.push_back(row[0]);
  }
  const double rlo = abc::weighted_quantile(ratio, w, 0.05);
  const double rhi = abc::weighted_quantile(ratio, w, 0.95);
  CHECK(rhi - rlo < 0.15 * 2 * prior_width);
  CHECK(rlo < std::log(1000.0));
  CHECK(rhi > std::log(1000.0));
}

TEST_CASE("calibrate: 90% credible intervals cover the truth over synthetic data sets",
          "[calibrate][stochastic]") {
  // Simulation-based calibration: the truth drawn from the prior, the data one agent-model run
  // at the truth (its Monte Carlo noise is the observation noise), the fit with one agent run
  // per particle. Over the data sets the 90% intervals must hold the truth 80-98% of the time,
  // and be clearly narrower than the prior. Eight generations: after four the tolerance is still
  // wide against the data's noise and the intervals over-cover (48 of 48, 30% of the prior's
  // width); after eight 47 of 48 (13%).
  constexpr int kDataSets = 24;
  int inside = 0, intervals = 0;
  double width_ratio = 0;
  const RandomStreams streams(2026, 18);
  for (int d = 0; d < kDataSets; ++d) {
    const auto words = streams.words(static_cast<std::uint32_t>(d), 0, Decision::calibration);
    const double signup = 0.1 + 0.5 * (words[0] / 4294967296.0);
    const double pql = 0.05 + 0.45 * (words[1] / 4294967296.0);
    const std::vector<MetricValues> months =
        truth_run({{"funnel.signup_per_month", fmt::format("{}", signup)},
                   {"strategy.plg.pql_conversion_per_month", fmt::format("{}", pql)},
                   {"market.people", "5000"},
                   {"simulation.months", "12"}},
                  true, 1000 + static_cast<std::uint32_t>(d));
    const TempDir dir("calibrate_sbc");
    const std::string spec = write_calibration(
        dir, data_csv(months, {Metric::signups, Metric::accounts_paying}, 12),
        fmt::format("engine: agent\nseed: {}\nset: {{market.people: 5000, simulation.months: 12}}\n"
                    "parameters:\n"
                    "  funnel.signup_per_month: {{uniform: [0.1, 0.6]}}\n"
                    "  strategy.plg.pql_conversion_per_month: {{uniform: [0.05, 0.5]}}\n"
                    "budget: {{particles: 100, generations: 8}}\nforecast: {{draws: 5}}\n",
                    d + 1));
    run_calibration(load_calibration_spec(spec), (dir / "out").string(), {});
    const Posterior p = last_generation(dir / "out/posterior.csv");
    const double truth[] = {signup, pql};
    const double prior[] = {0.5, 0.45};
    for (std::size_t k : {std::size_t{1}, std::size_t{2}}) {
      const double lo = posterior_quantile(p, k, 0.05), hi = posterior_quantile(p, k, 0.95);
      inside += lo <= truth[k - 1] && truth[k - 1] <= hi ? 1 : 0;
      width_ratio += (hi - lo) / (0.9 * prior[k - 1]);
      ++intervals;
    }
  }
  const double coverage = static_cast<double>(inside) / intervals;
  INFO("coverage " << coverage << ", mean width / prior's 90% width " << width_ratio / intervals);
  CHECK(coverage >= 0.80);
  CHECK(coverage <= 0.98);
  CHECK(width_ratio / intervals < 0.5);
}
