#include "calibrate_model.hpp"

#include "common/text_file.hpp"

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace flywheel {

CalibrationModel::CalibrationModel(const CalibrationSpec& spec)
    : spec_(spec), distance_(spec.data, spec.distance) {
  const loader::FileText read =
      loader::read_text_file(spec.base_file, kMaxScenarioBytes, loader::FileKind::regular);
  if (!read.error.empty())
    throw InputError({Diagnostic{spec.base_file, 0, 0, "", "cannot read: " + read.error}});
  base_text_ = read.text;
  const std::filesystem::path folder = std::filesystem::path(spec.base_file).parent_path();
  base_dir_ = (folder.empty() ? std::filesystem::path(".") : folder).string();
  std::vector<Override> overrides;
  for (const SweepParam& p : spec.fixed) overrides.push_back({p.path, p.domain.values.front()});
  base_json_ = scenario_to_json(load_scenario_text(base_text_, spec.base_file, overrides,
                                                   base_dir_))
                   .dump();
  // Fitting stops the simulations at the data's last month. Targets (read by reports, never by
  // the dynamics) may lie past it and are dropped; should the base still refuse that horizon,
  // the simulations run to the end.
  for (const Observation& o : spec.data) fit_months_ = std::max(fit_months_, o.month);
  overrides.push_back({"simulation.months", std::to_string(fit_months_)});
  overrides.push_back({"targets", "[]"});
  // Referrals credit a cohort's month with signups of the 12 months after it: then month m
  // depends on later months and every simulation runs to the end.
  try {
    if (load_scenario_text(base_text_, spec.base_file, overrides, base_dir_)
            .strategy.referrals.enabled)
      fit_months_ = 0;
  } catch (const InputError&) {
    fit_months_ = 0;
  }
}

std::string CalibrationModel::value_text(std::size_t parameter, double value) const {
  if (spec_.params.at(parameter).integer) return fmt::format("{}", std::llround(value));
  return fmt::format("{}", value);
}

Scenario CalibrationModel::scenario(const std::vector<double>& values, std::uint32_t seed,
                                    int months) const {
  std::vector<Override> overrides;
  for (const SweepParam& p : spec_.fixed) overrides.push_back({p.path, p.domain.values.front()});
  for (std::size_t k = 0; k < values.size(); ++k)
    overrides.push_back({spec_.params[k].path, value_text(k, values[k])});
  overrides.push_back({"simulation.seed", std::to_string(seed)});
  overrides.push_back({"simulation.replicates", std::to_string(spec_.replicates)});
  if (months > 0) {
    overrides.push_back({"simulation.months", std::to_string(months)});
    overrides.push_back({"targets", "[]"});
  }
  return load_scenario_text(base_text_, spec_.base_file, overrides, base_dir_);
}

std::vector<std::vector<MetricValues>> CalibrationModel::runs(const Scenario& s) const {
  if (spec_.engine == SweepEngine::mean_field) return {meanfield::expect(s).months};
  std::vector<std::vector<MetricValues>> out;
  for (int r = 0; r < spec_.replicates; ++r) {
    const ReplicateResult result = run_replicate(s, static_cast<std::uint32_t>(r));
    std::vector<MetricValues> months;
    months.reserve(result.months.size());
    for (const MonthRecord& record : result.months)
      months.push_back(derive_metrics(record, s.simulation.agent_scale));
    out.push_back(std::move(months));
  }
  return out;
}

std::vector<std::vector<MetricValues>> CalibrationModel::replicates(
    const std::vector<double>& values, std::uint32_t seed) const {
  return runs(scenario(values, seed));
}

std::vector<MetricValues> CalibrationModel::mean(std::vector<std::vector<MetricValues>> runs) const {
  if (runs.size() == 1) return std::move(runs.front());
  std::vector<MetricValues> mean(runs.front().size());
  for (std::size_t m = 0; m < mean.size(); ++m) {
    for (int k = 0; k < kMetricCount; ++k) {
      double sum = 0;
      int n = 0;
      for (const auto& run : runs) {
        const double v = run[m][k];
        if (std::isfinite(v)) {
          sum += v;
          ++n;
        }
      }
      mean[m][k] = n > 0 ? sum / n : std::nan("");
    }
  }
  return mean;
}

std::vector<MetricValues> CalibrationModel::trajectory(const std::vector<double>& values,
                                                       std::uint32_t seed) const {
  return mean(replicates(values, seed));
}

double CalibrationModel::distance(const std::vector<double>& values, std::uint32_t seed,
                                  double bound) const {
  try {
    const Scenario s = scenario(values, seed, fit_months_);
    if (spec_.engine == SweepEngine::agent && spec_.replicates == 1 && std::isfinite(bound) &&
        fit_months_ > 0) {
      // Early rejection: stop the run once the months so far put it beyond the bound. An
      // accepted particle's run goes to the end, so its distance is the same number.
      std::vector<MetricValues> so_far;
      bool cut = false;
      const ReplicateResult result =
          run_replicate(s, 0, [&](const std::vector<MonthRecord>& months) {
            so_far.push_back(derive_metrics(months.back(), s.simulation.agent_scale));
            cut = distance_.exceeds(so_far, bound);
            return !cut;
          });
      if (cut) return std::numeric_limits<double>::infinity();
      (void)result;
      return distance_(so_far);
    }
    return distance_(mean(runs(s)));
  } catch (const InputError&) {
    return std::numeric_limits<double>::infinity();
  }
}

}  // namespace flywheel
