// Helpers for the stylized-fact tests: shipped scenarios against the public ranges they cite.
#pragma once

#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/spec/metrics.hpp>

#include <functional>
#include <string>

namespace flywheel::test {

// A shipped scenario (path under scenarios/) run with `replicates` replicates.
inline RunResult run_shipped(const std::string& relative, int replicates) {
  Scenario s = load_scenario(source_path("scenarios/" + relative));
  s.simulation.replicates = replicates;
  s.targets.clear();
  return run_scenario(s);
}

// The reported value of metric m at 1-based month `month` of replicate r.
inline double reported(const RunResult& run, std::size_t r, int month, Metric m) {
  const MetricValues v =
      derive_metrics(run.replicates[r].months[month - 1], run.scenario.simulation.agent_scale);
  return v[static_cast<int>(m)];
}

// Mean over replicates of f(replicate index).
inline MeanSe mean_over_replicates(const RunResult& run,
                                   const std::function<double(std::size_t)>& f) {
  std::vector<double> x;
  for (std::size_t r = 0; r < run.replicates.size(); ++r) x.push_back(f(r));
  return mean_se(x);
}

}  // namespace flywheel::test
