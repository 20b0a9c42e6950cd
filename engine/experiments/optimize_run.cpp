// Running an optimisation: NLopt driving the evaluator (optimize_evaluator.cpp) over [0, 1]^n,
// for the spec's problem and then each frontier level, the runner-up comparison, and the files.
#include <flywheel/experiments/optimize.hpp>

#include "optimize_evaluator.hpp"
#include "optimize_files.hpp"

#include <flywheel/output/output.hpp>

#include <fmt/format.h>
#include <nlopt.hpp>

#include <algorithm>
#include <cmath>

namespace flywheel {

namespace fs = std::filesystem;
using namespace optimize_detail;

namespace {

struct Problem {
  const OptimizeSpec& spec;
  Evaluator& evaluator;
  OptimizeResult& result;
  OptimizeRun& run;
  std::vector<double> bounds;  // per constraint, this run's
  double penalty_weight = 0;   // > 0: constraints as penalties (methods without constraints)
  const std::function<void(const std::string&)>& progress;

  double violation(const Candidate& c) const {
    double v = 0;
    for (std::size_t k = 0; k < spec.constraints.size(); ++k)
      v += std::max(0.0, miss(spec.constraints[k], bounds[k], c.constraints[k]));
    return c.error.empty() ? v : 1e9;
  }

  int candidate(const std::vector<double>& u) {
    const int index = evaluator.evaluate(evaluator.values_at(u), result);
    run.trace.push_back(index);
    const Candidate& c = result.candidates[static_cast<std::size_t>(index)];
    const bool feasible = c.error.empty() && violation(c) <= 0 && std::isfinite(c.objective.value);
    if (feasible) {
      const bool better =
          run.best < 0 || !best_feasible ||
          (spec.maximize
               ? c.objective.value > result.candidates[static_cast<std::size_t>(run.best)].objective.value
               : c.objective.value < result.candidates[static_cast<std::size_t>(run.best)].objective.value);
      if (better) {
        run.best = index;
        best_feasible = true;
      }
    } else if (!best_feasible &&
               (run.best < 0 ||
                violation(c) < violation(result.candidates[static_cast<std::size_t>(run.best)]))) {
      run.best = index;
    }
    if (progress) {
      std::string values;
      for (std::size_t i = 0; i < c.values.size(); ++i)
        values += (i ? ", " : "") + spec.decisions[i].path + "=" + c.values[i];
      progress(fmt::format("{} call {}: {} -> {} {}{}{}", run.label, run.trace.size(), values,
                           spec.objective.text, number_or_empty(c.objective.value),
                           feasible ? "" : " (infeasible)", c.cached ? " (cached)" : ""));
    }
    return index;
  }

  // What the optimiser minimises.
  double objective(const std::vector<double>& u) {
    const Candidate& c = result.candidates[static_cast<std::size_t>(candidate(u))];
    double f = c.objective.value;
    if (!std::isfinite(f) || !c.error.empty()) return 1e30;
    f = spec.maximize ? -f : f;
    if (penalty_weight > 0) f += penalty_weight * violation(c);
    return f;
  }

  bool best_feasible = false;
};

double nlopt_objective(const std::vector<double>& u, std::vector<double>&, void* data) {
  return static_cast<Problem*>(data)->objective(u);
}

struct ConstraintData {
  Problem* problem;
  std::size_t k;
};

double nlopt_constraint(const std::vector<double>& u, std::vector<double>&, void* data) {
  auto* d = static_cast<ConstraintData*>(data);
  Problem& p = *d->problem;
  const Candidate& c = p.result.candidates[static_cast<std::size_t>(p.candidate(u))];
  if (!c.error.empty()) return 1.0;
  return miss(p.spec.constraints[d->k], p.bounds[d->k], c.constraints[d->k]);
}

nlopt::algorithm algorithm_of(OptimizeMethod m) {
  switch (m) {
    case OptimizeMethod::cobyla:
      return nlopt::LN_COBYLA;
    case OptimizeMethod::neldermead:
      return nlopt::LN_NELDERMEAD;
    case OptimizeMethod::sbplx:
      return nlopt::LN_SBPLX;
    case OptimizeMethod::esch:
      return nlopt::GN_ESCH;
    case OptimizeMethod::crs2:
      return nlopt::GN_CRS2_LM;
  }
  return nlopt::LN_COBYLA;
}

void optimise(const OptimizeSpec& spec, Evaluator& evaluator, OptimizeResult& result,
              OptimizeRun& run, std::vector<double> u0,
              const std::function<void(const std::string&)>& progress) {
  Problem problem{spec, evaluator, result, run, {}, 0, progress};
  for (const OptimizeConstraint& k : spec.constraints) problem.bounds.push_back(k.bound);
  if (spec.frontier_constraint >= 0 && run.label != "main")
    problem.bounds[static_cast<std::size_t>(spec.frontier_constraint)] = run.bound;
  const std::size_t n = spec.decisions.size();
  nlopt::srand(spec.optimizer_seed);
  nlopt::opt opt(algorithm_of(spec.method), static_cast<unsigned>(n));
  opt.set_lower_bounds(std::vector<double>(n, 0.0));
  opt.set_upper_bounds(std::vector<double>(n, 1.0));
  opt.set_maxeval(spec.max_evaluations);
  opt.set_xtol_rel(spec.tolerance);
  opt.set_xtol_abs(spec.tolerance);
  std::vector<ConstraintData> data;
  data.reserve(spec.constraints.size());
  if (spec.method == OptimizeMethod::cobyla) {
    for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
      data.push_back({&problem, k});
      opt.add_inequality_constraint(nlopt_constraint, &data.back(), 0.0);
    }
  } else if (!spec.constraints.empty()) {
    // Penalty: 10 x the objective's size at the start per unit of relative violation.
    const Candidate& start =
        result.candidates[static_cast<std::size_t>(problem.candidate(u0))];
    problem.penalty_weight =
        10.0 * std::max(1.0, std::isfinite(start.objective.value) ? std::abs(start.objective.value) : 1.0);
  }
  if (spec.method == OptimizeMethod::cobyla || spec.method == OptimizeMethod::neldermead ||
      spec.method == OptimizeMethod::sbplx) {
    opt.set_initial_step(std::vector<double>(n, 0.25));
  }
  opt.set_min_objective(nlopt_objective, &problem);
  double f = 0;
  try {
    opt.optimize(u0, f);
  } catch (const nlopt::roundoff_limited&) {
    // The search stopped for rounding: its best so far stands.
  }
}

std::vector<double> scaled(const OptimizeSpec& spec, const std::vector<std::string>& values) {
  std::vector<double> u;
  for (std::size_t i = 0; i < spec.decisions.size(); ++i) {
    const Decision& d = spec.decisions[i];
    u.push_back(std::clamp((std::stod(values[i]) - d.lo) / (d.hi - d.lo), 0.0, 1.0));
  }
  return u;
}

RunnerUp runner_up(const OptimizeSpec& spec, const OptimizeResult& r) {
  RunnerUp out;
  const OptimizeRun& run = r.runs.front();
  if (spec.objective.kind == OutcomeStatistic::Kind::quantile || run.best < 0) return out;
  const std::vector<double> bounds = run_bounds(spec, run);
  const auto best = static_cast<std::size_t>(run.best);
  if (!feasible_under(spec, r.candidates[best], bounds)) return out;
  for (std::size_t i = 0; i < r.candidates.size(); ++i) {
    const Candidate& c = r.candidates[i];
    if (i == best || !feasible_under(spec, c, bounds)) continue;
    if (out.candidate < 0 ||
        (spec.maximize
             ? c.objective.value > r.candidates[static_cast<std::size_t>(out.candidate)].objective.value
             : c.objective.value < r.candidates[static_cast<std::size_t>(out.candidate)].objective.value))
      out.candidate = static_cast<int>(i);
  }
  if (out.candidate < 0) return out;
  const std::vector<double>& a = r.objective_samples[best];
  const std::vector<double>& b = r.objective_samples[static_cast<std::size_t>(out.candidate)];
  const bool probability = spec.objective.kind == OutcomeStatistic::Kind::probability;
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const double x = probability ? (spec.objective.condition.holds(a[i]) ? 1.0 : 0.0) : a[i];
    const double y = probability ? (spec.objective.condition.holds(b[i]) ? 1.0 : 0.0) : b[i];
    if (std::isfinite(x) && std::isfinite(y)) d.push_back(x - y);
  }
  OutcomeStatistic mean;
  mean.kind = OutcomeStatistic::Kind::mean;
  const StatisticValue v = evaluate_statistic(mean, d);
  out.difference = v.value;
  out.lo = v.lo;
  out.hi = v.hi;
  // A zero spread (deterministic differences) tells them apart whenever they differ.
  out.distinguishable = std::isfinite(v.lo) ? (v.lo > 0 || v.hi < 0) : v.value != 0;
  return out;
}

}  // namespace

OptimizeResult run_optimize(const OptimizeSpec& spec, const fs::path& dir,
                            const OptimizeOptions& options) {
  const fs::path cache = dir / "candidates";
  if (options.force_new) fs::remove_all(cache);
  fs::create_directories(cache);
  Evaluator evaluator(spec, cache, options.evaluate);
  OptimizeResult result;
  std::vector<double> u0;
  for (const Decision& d : spec.decisions)
    u0.push_back(d.start ? (*d.start - d.lo) / (d.hi - d.lo) : 0.5);
  result.runs.push_back(OptimizeRun{"main", 0, {}, -1});
  optimise(spec, evaluator, result, result.runs.back(), u0, options.progress);
  const std::vector<std::string> best = result.candidates[static_cast<std::size_t>(result.runs.front().best)].values;
  for (double level : spec.frontier_levels) {
    result.runs.push_back(OptimizeRun{fmt::format("frontier {}", level), level, {}, -1});
    optimise(spec, evaluator, result, result.runs.back(), scaled(spec, best), options.progress);
  }
  result.runner_up = runner_up(spec, result);
  write_file_atomic(dir / "candidates.csv", candidates_csv(spec, result));
  write_file_atomic(dir / "trace.csv", trace_csv(spec, result));
  if (!spec.frontier_levels.empty()) write_file_atomic(dir / "frontier.csv", frontier_csv(spec, result));
  write_file_atomic(dir / "best.yaml", best_yaml(spec, result));
  write_file_atomic(dir / "optimize.json",
                    optimize_json(spec, result, evaluator.scenarios(), evaluator.replicates()));
  return result;
}

}  // namespace flywheel
