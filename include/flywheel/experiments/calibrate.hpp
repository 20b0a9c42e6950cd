// Calibration (docs/calibrate.md): fitting a scenario's parameters to a company's history by
// approximate Bayesian computation with sequential Monte Carlo (ABC-SMC). A YAML spec names the
// base scenario, the data file (tidy CSV month,metric,value[,sd][,weight]), the parameters by key
// path with their priors, the distance and the budget; `flywheel calibrate` writes the posterior,
// the tolerance schedule, a calibrated scenario and a posterior-predictive forecast.
#pragma once

#include <flywheel/experiments/sweep.hpp>
#include <flywheel/experiments/sweep_schedule.hpp>
#include <flywheel/spec/metrics.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace flywheel {

// A prior, truncated to [lo, hi] (the spec's bounds intersected with the schema's range).
// log_uniform and lognormal live on ln(value): the sampler works there (see abc_smc.hpp).
struct Prior {
  enum class Kind { uniform, log_uniform, normal, lognormal };
  Kind kind = Kind::uniform;
  double a = 0, b = 1;  // uniform/log_uniform: the bounds; normal/lognormal: mean and sd (of ln)
  double lo = -std::numeric_limits<double>::infinity();  // truncation, in the value's units
  double hi = std::numeric_limits<double>::infinity();
};
std::string_view prior_kind_name(Prior::Kind kind);

struct CalibrationParam {
  std::string path;  // scenario key path, e.g. "funnel.signup_per_month"
  Prior prior;
  bool integer = false;  // the scenario parameter is an integer: values are rounded
  int line = 0, column = 0;
};

// One row of the data file.
struct Observation {
  int month = 0;  // 1-based calendar month of the simulation
  Metric metric{};
  double value = 0;
  double sd = std::numeric_limits<double>::quiet_NaN();  // NaN when not stated
  double weight = 1;
  int line = 0;  // in the data file
};

// How a simulated value s is compared with an observation y (docs/calibrate.md#distance):
// scaled: (s - y) / scale, the scale being the row's sd (scale: sd) or the mean |y| of the
// metric's rows (scale: data); relative: (s - y) / |y|. The distance is the weighted root mean
// square of these residuals.
struct DistanceSpec {
  enum class Form { scaled, relative };
  enum class Scale { data, sd };
  Form form = Form::scaled;
  Scale scale = Scale::data;
};

struct CalibrationSpec {
  std::string file, text;  // as given; the spec's bytes (part of the calibration's identity)
  std::string base_file;   // resolved relative to the spec's folder
  std::string data_file;   // likewise
  std::string data_text;   // the data file's bytes
  SweepEngine engine = SweepEngine::agent;
  int replicates = 1;  // agent runs per particle, reduced by their mean
  std::uint32_t seed = 1;
  std::vector<SweepParam> fixed;  // `set:` values applied to every particle
  std::vector<CalibrationParam> params;
  std::vector<Observation> data;
  DistanceSpec distance;
  int particles = 200;
  int generations = 8;      // populations after the prior's (generation 0)
  double tolerance = 0;     // stop once the tolerance is at or below this (0 = never)
  double quantile = 0.5;    // the next tolerance: this quantile of the last distances
  double min_acceptance = 0;  // stop after a generation accepting fewer (0 = never)
  long long max_simulations = 10'000'000;  // stop before a generation that would start past it
  int max_attempts = 10'000;               // per particle and generation
  int forecast_draws = 100;                // posterior particles of the forecast
  int horizon = 0;                         // the base scenario's months (after set:)
};

// Reads and checks the spec and its data file; every problem (file:line:col, key path, what was
// expected) is thrown together as one InputError.
CalibrationSpec load_calibration_spec(const std::string& file);
// The same from a spec's text in memory (Python's dicts): `file` names it in messages and `dir`
// is the folder its relative base and data paths are read from.
CalibrationSpec load_calibration_spec_text(const std::string& file, const std::string& text,
                                           const std::string& dir);

// The data file alone (CSV text), checked against the metrics and the horizon; `engine`
// refuses metrics the mean-field twin leaves undefined.
std::vector<Observation> read_calibration_data(const std::string& text, const std::string& name,
                                               int horizon, SweepEngine engine);

// The distance between the data and a simulated trajectory (months[m - 1][metric]); +infinity
// when a compared value is undefined.
class CalibrationDistance {
 public:
  CalibrationDistance(const std::vector<Observation>& data, const DistanceSpec& spec);
  double operator()(const std::vector<MetricValues>& months) const;
  // Whether the months simulated so far (1..months.size()) already put the distance above
  // `bound`: their terms alone exceed it (the others only add), or a compared value is undefined.
  bool exceeds(const std::vector<MetricValues>& months, double bound) const;

 private:
  const std::vector<Observation>& data_;
  std::vector<double> divisor_;  // per observation
  double weight_sum_ = 0;
};

// A calibration's result, as the files hold it.
struct CalibrationResult {
  int generations = 0;  // populations written (including generation 0)
  bool resumed = false;
  int resumed_from = 0;  // first generation computed by this call
  long long simulations = 0;
  std::string stop_reason;  // generations, tolerance, min_acceptance, max_simulations or max_attempts
  std::vector<std::string> warnings;  // posteriors at a prior bound, one line each
};

// Where a calibration's particles are computed: this process alone by default. The CLI's MPI
// task farm (tools/cli/mpi_farm.hpp) gives each rank one; every rank then runs run_calibration in
// lockstep (the same populations, hence the same stopping decisions), the writer (rank 0) alone
// reading and writing the folder. A particle's record depends only on (generation, particle), so
// the populations are the same bytes whichever process computed which particle.
class ParticleFarm {
 public:
  virtual ~ParticleFarm() = default;
  // Does this process read and write the folder (rank 0)?
  virtual bool writer() const = 0;
  // The records one(0..n-1), each computed by some process, on every process in particle order.
  virtual std::vector<std::vector<double>> evaluate(
      std::size_t n, const std::function<std::vector<double>(std::size_t)>& one) = 0;
  // The writer's `text`, on every process.
  virtual std::string share(const std::string& text) = 0;
};

struct CalibrateOptions {
  int threads = 0;  // 0 = all cores (per process)
  ParticleFarm* farm = nullptr;  // null: this process alone
  // Called after each generation: (generation, tolerance, acceptance rate, ESS).
  std::function<void(int, double, double, double)> on_generation;
};

// Runs (or resumes) the calibration into `out_dir` and writes every output file. Particles of a
// generation found in shard files (run_calibration_shard) are read back, not computed again.
CalibrationResult run_calibration(const CalibrationSpec& spec, const std::string& out_dir,
                                  const CalibrateOptions& options);

// A calibration as separate processes (docs/calibrate.md#on-slurm): shards compute the next
// generation's particles into files, a fold turns the files into that generation.
struct CalibrationShardResult {
  enum class Status {
    computed,     // this shard's particles were computed and published
    done_before,  // its file was already there
    finished,     // the calibration has stopped: nothing to compute
  };
  Status status = Status::computed;
  int generation = 0;  // the generation the shard belongs to (the next one)
  int particles = 0;   // computed by this call
  long long simulations = 0;
  std::string file;         // the shard file
  std::string stop_reason;  // when finished
};
// Computes shard k/N of the next generation (particles i with i mod N = k - 1) on `threads`
// threads (0: all cores) and publishes them as DIR/generations/gen-NNNN.shard-K-of-N.json. The
// folder is created if new (several shards may start at once). Throws InputError for N above
// the particles, or when the generation has shard files of another N or another calibration.
CalibrationShardResult run_calibration_shard(const CalibrationSpec& spec,
                                             const std::string& out_dir, Shard shard,
                                             int threads);

struct CalibrationFoldResult {
  enum class Status {
    folded,      // a generation was published; the calibration goes on
    finished,    // the calibration has stopped; every output file is written
    incomplete,  // shard files of the next generation are missing: nothing written
  };
  Status status = Status::incomplete;
  int generation = 0;  // folded, or waiting for its shards
  int shards = 0;      // N of its shard files (0: none found)
  std::vector<std::string> missing;  // incomplete: the shard files still missing
  CalibrationResult calibration;     // finished: as run_calibration's
};
// Folds the next generation from its shard files when every one of its layout is there:
// publishes it (generation file, posterior.csv, generations.csv) and removes the shard files;
// once the calibration stops, writes the outputs a one-process run writes. options.farm must
// be null.
CalibrationFoldResult fold_calibration(const CalibrationSpec& spec, const std::string& out_dir,
                                       const CalibrateOptions& options);

}  // namespace flywheel
