// What the calibration tests (tests/test_calibrate*.cpp) share: the tiny market of
// tests/data/calibrate-tiny.yaml (also read by tests/python/test_calibrate.py), data made from it
// at known parameters, a quick mean-field calibration of two of them, and readers of
// posterior.csv.
#pragma once

#include "cli_run.hpp"
#include "temp_dir.hpp"

#include "experiments/abc_smc.hpp"

#include <flywheel/experiments/calibrate.hpp>
#include <flywheel/meanfield/expect.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace flywheel::test::calibrate {

namespace fs = std::filesystem;

// A small PLG market: fast under both engines (12-24 monthly steps, a few thousand people).
inline const std::string& tiny_base() {
  static const std::string text = read_text(FLYWHEEL_SOURCE_DIR "/tests/data/calibrate-tiny.yaml");
  return text;
}

// The model's own trajectory at `values` (mean field, or one agent replicate with `seed`).
inline std::vector<MetricValues> truth_run(const std::vector<Override>& values, bool agent,
                                           std::uint32_t seed) {
  std::vector<Override> o = values;
  o.push_back({"simulation.seed", std::to_string(seed)});
  const Scenario s = load_scenario_text(tiny_base(), "tiny.yaml", o, ".");
  if (!agent) return meanfield::expect(s).months;
  const ReplicateResult r = run_replicate(s, 0);
  std::vector<MetricValues> months;
  for (const MonthRecord& m : r.months) months.push_back(derive_metrics(m, 1));
  return months;
}

inline std::string data_csv(const std::vector<MetricValues>& months,
                            const std::vector<Metric>& metrics, int last_month) {
  std::string out = "month,metric,value\n";
  for (int m = 1; m <= last_month; ++m)
    for (const Metric metric : metrics)
      out += fmt::format("{},{},{}\n", m, metric_name(metric),
                         months[static_cast<std::size_t>(m - 1)][static_cast<int>(metric)]);
  return out;
}

struct Posterior {
  std::vector<std::vector<double>> rows;  // the last generation: weight, then the parameters
};

inline Posterior last_generation(const fs::path& file) {
  std::istringstream in(read_text(file));
  std::string line;
  std::getline(in, line);
  Posterior p;
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
inline double posterior_quantile(const Posterior& p, std::size_t k, double q,
                                 double (*transform)(double) = nullptr) {
  std::vector<double> v, w;
  for (const auto& row : p.rows) {
    v.push_back(transform != nullptr ? transform(row[k]) : row[k]);
    w.push_back(row[0]);
  }
  return abc::weighted_quantile(v, w, q);
}

// Writes base, data and spec into `dir`; returns the spec's path.
inline std::string write_calibration(const TempDir& dir, const std::string& data,
                                     const std::string& body) {
  dir.write("tiny.yaml", tiny_base());
  dir.write("data.csv", data);
  return dir.write("spec.yaml", "base: tiny.yaml\ndata: data.csv\n" + body);
}

// A mean-field calibration of two parameters of the tiny market, quick enough for every run.
inline const std::string kQuickBody = R"(engine: mean_field
seed: 3
parameters:
  funnel.signup_per_month: {uniform: [0.1, 0.6]}
  strategy.plg.pql_conversion_per_month: {log_uniform: [0.05, 0.5]}
budget: {particles: 60, generations: 4}
forecast: {draws: 20}
)";

// kQuickBody with `from` replaced by `to` (which must be there).
inline std::string quick_body_with(const std::string& from, const std::string& to) {
  std::string body = kQuickBody;
  const std::size_t at = body.find(from);
  if (at == std::string::npos) throw std::logic_error("not in the quick body: " + from);
  return body.replace(at, from.size(), to);
}

// Months 1-12 of signups and paying accounts at signup 0.3, PQL conversion 0.2 (mean field).
inline std::string quick_data() {
  const std::vector<MetricValues> months = truth_run(
      {{"funnel.signup_per_month", "0.3"}, {"strategy.plg.pql_conversion_per_month", "0.2"}},
      false, 1);
  return data_csv(months, {Metric::signups, Metric::accounts_paying}, 12);
}

// The files a finished calibration writes, byte-identical however it was run.
inline const std::vector<std::string> kOutputs = {"posterior.csv",        "generations.csv",
                                                  "posterior_sample.csv", "calibrated.yaml",
                                                  "forecast.csv",         "calibration.json"};

}  // namespace flywheel::test::calibrate
