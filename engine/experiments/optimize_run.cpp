// Running an optimisation: an evaluator that turns decision values into statistics over the
// fixed uncertainty design (cached in memory and on disk), NLopt driving it, and the files.
#include <flywheel/experiments/optimize.hpp>

#include "optimize_files.hpp"

#include "common/sha256.hpp"
#include "common/text_file.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/common/version.hpp>
#include <flywheel/experiments/sweep_model.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

namespace flywheel {

namespace fs = std::filesystem;
using namespace optimize_detail;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string number_or_empty(double v) { return std::isfinite(v) ? fmt::format("{}", v) : ""; }

int output_index(const SweepSpec& sweep, const OutputSpec& output) {
  for (std::size_t k = 0; k < sweep.outputs.size(); ++k) {
    if (sweep.outputs[k].name == output.name) return static_cast<int>(k);
  }
  throw std::logic_error("optimize: an output the spec reader did not add: " + output.name);
}

// Turns decision values into a candidate: samples[output][scenario * replicates + replicate]
// from the model (here, or through `remote`), then the statistics.
class Evaluator {
 public:
  Evaluator(const OptimizeSpec& spec, fs::path cache_dir, CandidateEvaluator remote)
      : spec_(spec), cache_dir_(std::move(cache_dir)), remote_(std::move(remote)), model_(spec) {
    const SweepModel& model = model_.model();
    std::string identity = fmt::format("flywheel {}\n{}\n{}\n{}\n{}\n", kVersion,
                                       model.base_json(), sweep_engine_name(spec.sweep.engine),
                                       model.seed(), model.replicates());
    for (const SweepParam& p : spec.sweep.fixed) identity += p.path + "=" + p.domain.values[0] + "\n";
    for (const auto& row : model_.design().values) {
      for (const std::string& v : row) identity += v + ",";
      identity += "\n";
    }
    for (const OutputSpec& o : spec.sweep.outputs) identity += o.name + "\n";
    identity_hash_ = sha256_hex(identity);
  }

  int scenarios() const { return model_.scenarios(); }
  int replicates() const { return model_.replicates(); }
  const std::string& identity_hash() const { return identity_hash_; }

  // Decision values for a point of [0, 1]^n.
  std::vector<std::string> values_at(const std::vector<double>& u) const {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < spec_.decisions.size(); ++i) {
      const Decision& d = spec_.decisions[i];
      const double x = d.lo + std::clamp(u[i], 0.0, 1.0) * (d.hi - d.lo);
      if (d.integer) {
        const double r = std::clamp(std::round(x), std::ceil(d.lo), std::floor(d.hi));
        values.push_back(fmt::format("{}", static_cast<long long>(r)));
      } else {
        values.push_back(fmt::format("{}", x));
      }
    }
    return values;
  }

  // The index of the candidate in `result.candidates` (evaluated, or read from the caches).
  int evaluate(const std::vector<std::string>& values, OptimizeResult& result) {
    std::string key;
    for (const std::string& v : values) key += v + ",";
    if (const auto it = memo_.find(key); it != memo_.end()) return it->second;
    Candidate c;
    c.values = values;
    std::vector<std::vector<double>> samples;
    const fs::path file = cache_dir_ / (sha256_hex(identity_hash_ + "\n" + key).substr(0, 32) + ".csv");
    if (read_cache(file, key, samples)) {
      c.cached = true;
      ++result.cached;
    } else {
      try {
        samples = simulate(values);
        write_cache(file, key, samples);
      } catch (const InputError& e) {
        c.error = candidate_error_text(e);
        samples.assign(spec_.sweep.outputs.size(), {});
      } catch (const CandidateRefused& e) {
        c.error = e.what();
        samples.assign(spec_.sweep.outputs.size(), {});
      }
      ++result.simulated;
    }
    c.objective = evaluate_statistic(spec_.objective,
                                     samples[static_cast<std::size_t>(output_index(spec_.sweep, spec_.objective.output))]);
    for (const OptimizeConstraint& k : spec_.constraints) {
      c.constraints.push_back(evaluate_statistic(
          k.statistic,
          samples[static_cast<std::size_t>(output_index(spec_.sweep, k.statistic.output))]));
    }
    result.objective_samples.push_back(
        samples[static_cast<std::size_t>(output_index(spec_.sweep, spec_.objective.output))]);
    result.candidates.push_back(std::move(c));
    const int index = static_cast<int>(result.candidates.size()) - 1;
    memo_[key] = index;
    return index;
  }

 private:
  std::vector<std::vector<double>> simulate(const std::vector<std::string>& values) {
    std::vector<std::vector<std::vector<double>>> rows;
    if (remote_) {
      rows = remote_(values);
    } else {
      model_.set_candidate(values);
      rows = model_.evaluate(0, scenarios(), 0, replicates());
    }
    std::vector<std::vector<double>> samples(spec_.sweep.outputs.size());
    for (const auto& scenario : rows) {
      for (const auto& row : scenario) {
        for (std::size_t k = 0; k < samples.size(); ++k) samples[k].push_back(row[k]);
      }
    }
    return samples;
  }

  bool read_cache(const fs::path& file, const std::string& key,
                  std::vector<std::vector<double>>& samples) const {
    std::error_code ec;
    if (!fs::exists(file, ec)) return false;
    const loader::FileText read = loader::read_text_file(file, std::size_t{1} << 30);
    if (!read.error.empty()) return false;
    std::istringstream in(read.text);
    std::string line;
    if (!std::getline(in, line) || line != "# " + key) return false;
    std::getline(in, line);  // header
    const std::size_t outputs = spec_.sweep.outputs.size();
    samples.assign(outputs, {});
    while (std::getline(in, line)) {
      std::vector<std::string> fields(1);
      for (const char ch : line) {
        if (ch == ',') fields.emplace_back(); else fields.back() += ch;
      }
      if (fields.size() != outputs) return false;
      for (std::size_t k = 0; k < outputs; ++k)
        samples[k].push_back(fields[k].empty() ? kNaN : std::stod(fields[k]));
    }
    const auto expected = static_cast<std::size_t>(scenarios() * replicates());
    return outputs == 0 || samples[0].size() == expected;
  }

  void write_cache(const fs::path& file, const std::string& key,
                   const std::vector<std::vector<double>>& samples) const {
    std::string text = "# " + key + "\n";
    for (std::size_t k = 0; k < spec_.sweep.outputs.size(); ++k)
      text += (k ? "," : "") + spec_.sweep.outputs[k].name;
    text += "\n";
    const std::size_t n = samples.empty() ? 0 : samples[0].size();
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k < samples.size(); ++k) {
        if (k) text += ',';
        text += number_or_empty(samples[k][i]);
      }
      text += "\n";
    }
    write_file_atomic(file, text);
  }

  const OptimizeSpec& spec_;
  fs::path cache_dir_;
  CandidateEvaluator remote_;
  CandidateModel model_;
  std::string identity_hash_;
  std::map<std::string, int> memo_;
};

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
