// ABC-SMC (docs/calibrate.md#method): a population of weighted particles moved towards the data
// through decreasing tolerances. Generation 0 samples the prior; generation t draws an ancestor
// from t - 1 by weight, perturbs it with a multivariate normal kernel of twice the weighted
// covariance (Beaumont et al. 2009), simulates, accepts when the distance is within the
// tolerance (a quantile of generation t - 1's distances, Del Moral et al. 2012) and weighs the
// particle by prior / mixture of kernels (Toni et al. 2009).
//
// Every draw of particle i, attempt a of generation t comes from its own counter-based stream
// (key (seed, t), counter (i, a, Decision::calibration)), and each particle's slot is its own:
// a generation is the same bytes for any thread count and any order of evaluation.
//
// The sampler works on z = ln(value) for log-uniform and lognormal priors, on z = value
// otherwise: there every prior is a (truncated) uniform or normal.
#pragma once

#include <flywheel/experiments/calibrate.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

namespace flywheel::abc {

struct Population {
  int generation = 0;
  double tolerance = 0;           // +infinity for generation 0
  long long simulations = 0;      // model evaluations of this generation
  std::vector<std::vector<double>> values;  // [particle][parameter], in the parameter's units
  std::vector<double> weights;    // normalised
  std::vector<double> distances;
  double ess() const;             // effective sample size 1 / sum w^2
  double acceptance() const;      // particles / simulations
};

// Evaluates a parameter vector (in units) with the simulation seed `seed`; returns the distance,
// +infinity when the values make an invalid scenario. `bound`: the tolerance, when only whether
// the distance is within it matters: the simulation may then stop early and return any value
// above `bound` (+infinity for "no bound"). Called from several threads at once.
using Simulate =
    std::function<double(const std::vector<double>& values, std::uint32_t seed, double bound)>;

// What a generation keeps of one particle: its accepted values, distance, unnormalised ln weight
// and the simulations it took. Also the record that travels between MPI ranks (as doubles).
struct ParticleOutcome {
  std::vector<double> values;
  double distance = std::numeric_limits<double>::infinity();
  double log_weight = 0;
  long long simulations = 0;
  bool accepted = false;
  std::vector<double> to_record() const;
  static ParticleOutcome from_record(const std::vector<double>& record);
};

// Computes particles 0..n-1 of a generation with `one` (any order, anywhere) and returns their
// outcomes in particle order. local_evaluate: this process, on TBB.
using Evaluate = std::function<std::vector<ParticleOutcome>(
    std::size_t n, const std::function<ParticleOutcome(std::size_t)>& one)>;
std::vector<ParticleOutcome> local_evaluate(std::size_t n,
                                            const std::function<ParticleOutcome(std::size_t)>& one);

class Sampler {
 public:
  Sampler(std::vector<Prior> priors, int particles, double quantile, std::uint32_t seed,
          int max_attempts);

  Population first(const Simulate& simulate, const Evaluate& evaluate = local_evaluate) const;
  // nullopt when some particle used max_attempts without an acceptance.
  std::optional<Population> next(const Population& previous, const Simulate& simulate,
                                 const Evaluate& evaluate = local_evaluate) const;
  // The tolerance next() would use after `previous`.
  double next_tolerance(const Population& previous) const;

 private:
  std::vector<double> to_z(const std::vector<double>& values) const;
  std::vector<double> to_values(const std::vector<double>& z) const;
  bool inside(const std::vector<double>& z) const;
  double log_prior(const std::vector<double>& z) const;

  std::vector<Prior> priors_;
  std::vector<bool> log_space_;
  std::vector<double> zlo_, zhi_;  // truncation on z
  int particles_;
  double quantile_;
  std::uint32_t seed_;
  int max_attempts_;
};

// A weighted quantile (q in [0, 1]) of `values`: the smallest value whose cumulative weight, in
// ascending order, reaches q.
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights,
                         double q);

// `n` indices drawn by weight, systematic resampling from the uniform u in [0, 1).
std::vector<int> systematic_resample(const std::vector<double>& weights, int n, double u);

}  // namespace flywheel::abc
