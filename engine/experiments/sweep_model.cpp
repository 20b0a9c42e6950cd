#include <flywheel/experiments/sweep_model.hpp>

#include "common/text_file.hpp"

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <tbb/parallel_for.h>

#include <cmath>
#include <filesystem>

namespace flywheel {

namespace {

// What every point shares: the spec's seed and replicates, and its `set:` values.
std::vector<Override> base_overrides(const SweepSpec& spec) {
  std::vector<Override> overrides;
  if (spec.seed) overrides.push_back({"simulation.seed", std::to_string(*spec.seed)});
  if (spec.replicates > 0)
    overrides.push_back({"simulation.replicates", std::to_string(spec.replicates)});
  for (const SweepParam& p : spec.fixed) overrides.push_back({p.path, p.domain.values.front()});
  return overrides;
}

}  // namespace

double ishigami(double x1, double x2, double x3) {
  constexpr double a = 7.0, b = 0.1;
  const double s2 = std::sin(x2);
  return std::sin(x1) + a * s2 * s2 + b * std::pow(x3, 4) * std::sin(x1);
}

double quadratic(double x1, double x2, double x3) {
  return 1.0 - (x1 - 0.3) * (x1 - 0.3) - (x2 - 0.7) * (x2 - 0.7) + x3;
}

double quadratic_cost(double x1, double x2, double) { return x1 + x2; }

SweepModel::SweepModel(const SweepSpec& spec, const SweepPoints& points)
    : spec_(spec), points_(points) {
  if (!spec.model.empty()) {
    seed_ = spec.seed.value_or(1);
    replicates_ = spec.replicates > 0 ? spec.replicates : 1;
    base_json_ = "model: " + spec.model;
    return;
  }
  const loader::FileText read =
      loader::read_text_file(spec.base_file, kMaxScenarioBytes, loader::FileKind::regular);
  if (!read.error.empty()) {
    throw InputError({Diagnostic{spec.base_file, 0, 0, "", "cannot read: " + read.error}});
  }
  base_text_ = read.text;
  const std::filesystem::path folder = std::filesystem::path(spec.base_file).parent_path();
  base_dir_ = (folder.empty() ? std::filesystem::path(".") : folder).string();
  const Scenario base =
      load_scenario_text(base_text_, spec.base_file, base_overrides(spec), base_dir_);
  seed_ = base.simulation.seed;
  // The mean field has no randomness: one evaluation stands for the point.
  replicates_ = spec.engine == SweepEngine::mean_field ? 1 : base.simulation.replicates;
  months_ = base.simulation.months;
  base_json_ = scenario_to_json(base).dump();
}

Scenario SweepModel::scenario_at(int point) const {
  std::vector<Override> overrides = base_overrides(spec_);
  const std::vector<std::string>& values = points_.values.at(static_cast<std::size_t>(point));
  for (std::size_t c = 0; c < values.size(); ++c)
    overrides.push_back({points_.columns[c], values[c]});
  return load_scenario_text(base_text_, spec_.base_file, overrides, base_dir_);
}

std::vector<std::vector<double>> SweepModel::evaluate(int point, int r0, int r1) const {
  std::vector<std::vector<double>> rows(static_cast<std::size_t>(r1 - r0));
  if (!spec_.model.empty()) {  // the test model: deterministic, the same for every replicate
    const std::vector<std::string>& v = points_.values.at(static_cast<std::size_t>(point));
    double x[3] = {0, 0, 0};
    for (std::size_t c = 0; c < v.size(); ++c) x[points_.columns[c].back() - '1'] = std::stod(v[c]);
    std::vector<double> row;
    for (const OutputSpec& output : spec_.outputs) {
      if (spec_.model == "ishigami") {
        row.push_back(ishigami(x[0], x[1], x[2]));
      } else {
        row.push_back(output.name == "cost" ? quadratic_cost(x[0], x[1], x[2])
                                            : quadratic(x[0], x[1], x[2]));
      }
    }
    for (auto& r : rows) r = row;
    return rows;
  }
  const Scenario scenario = scenario_at(point);
  if (spec_.engine == SweepEngine::mean_field) {
    const meanfield::ExpectedRun expected = meanfield::expect(scenario);
    for (auto& row : rows) {
      for (const OutputSpec& output : spec_.outputs)
        row.push_back(output_value(output, expected.months));
    }
    return rows;
  }
  tbb::parallel_for(r0, r1, [&](int r) {
    const ReplicateResult result = run_replicate(scenario, static_cast<std::uint32_t>(r));
    std::vector<MetricValues> months;
    months.reserve(result.months.size());
    for (const MonthRecord& record : result.months)
      months.push_back(derive_metrics(record, scenario.simulation.agent_scale));
    std::vector<double>& row = rows[static_cast<std::size_t>(r - r0)];
    for (const OutputSpec& output : spec_.outputs) row.push_back(output_value(output, months));
  });
  return rows;
}

}  // namespace flywheel
