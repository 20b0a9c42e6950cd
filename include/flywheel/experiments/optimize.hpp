// Optimisation under uncertainty (docs/optimize.md): decision variables set by key path on a base
// scenario, an objective and constraints that are statistics of outputs over an uncertainty
// design (a sweep spec's uncertainties, sampled once: every candidate sees the same scenarios
// and the same replicate seeds, common random numbers), searched with NLopt.
#pragma once

#include <flywheel/experiments/outcome_condition.hpp>
#include <flywheel/experiments/sweep.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace flywheel {

class InputError;

// A statistic of an output over every (scenario, replicate) sample of a candidate:
// mean(OUTPUT), P(OUTPUT OP NUMBER) or quantile(Q, OUTPUT).
struct OutcomeStatistic {
  enum class Kind { mean, probability, quantile };
  Kind kind = Kind::mean;
  OutputSpec output;
  OutcomeCondition condition;  // probability
  double q = 0.5;              // quantile
  std::string text;            // as written
};

struct StatisticValue {
  double value = 0, lo = 0, hi = 0;  // estimate and 95% interval; NaN when undefined
};

// Parses "mean(X)", "P(X OP N)" or "quantile(Q, X)"; nullopt with `problem` when malformed.
std::optional<OutcomeStatistic> parse_outcome_statistic(const std::string& text,
                                                        std::string& problem);
// The statistic over samples (NaN samples: left out of a mean and a quantile; a probability
// counts them as not meeting the condition). Intervals: mean +- 1.96 standard errors; Wilson
// for a probability; distribution-free order statistics for a quantile.
StatisticValue evaluate_statistic(const OutcomeStatistic& s, const std::vector<double>& samples);

struct Decision {
  std::string path;  // scenario key path
  double lo = 0, hi = 1;
  bool integer = false;
  std::optional<double> start;  // default: the middle of [lo, hi]
  int line = 0, column = 0;
};

struct OptimizeConstraint {
  OutcomeStatistic statistic;
  bool at_most = true;  // statistic <= bound; false: >=
  double bound = 0;
  std::string text;
  int line = 0, column = 0;
};

enum class OptimizeMethod { cobyla, neldermead, sbplx, esch, crs2 };
std::string_view optimize_method_name(OptimizeMethod m);

struct OptimizeSpec {
  SweepSpec sweep;  // base or model, engine, replicates, seed, set, design, uncertainties;
                    // outputs: those the objective and constraints use
  std::vector<Decision> decisions;
  OutcomeStatistic objective;
  bool maximize = true;
  std::vector<OptimizeConstraint> constraints;
  OptimizeMethod method = OptimizeMethod::cobyla;
  int max_evaluations = 60;
  double tolerance = 1e-3;  // relative, on the decisions scaled to [0, 1]
  std::uint32_t optimizer_seed = 1;
  int frontier_constraint = -1;  // index into constraints; -1: no frontier
  std::vector<double> frontier_levels;
};

// Reads and checks a spec: every problem with file:line:col and key path, thrown together as one
// InputError. Decision paths and bounds are tried on the base scenario like sweep parameters.
OptimizeSpec load_optimize_spec(const std::string& file);
OptimizeSpec load_optimize_spec_text(const std::string& yaml, const std::string& name,
                                     const std::string& base_dir);

struct Candidate {
  std::vector<std::string> values;  // decision values as set on the scenario
  StatisticValue objective;
  std::vector<StatisticValue> constraints;
  bool feasible = false;
  double violation = 0;  // sum over constraints of how far each misses, relative to its bound
  std::string error;     // the scenario was refused (then infeasible)
  bool cached = false;   // read from DIR/candidates rather than simulated
};

struct OptimizeRun {
  std::string label;       // "main", or "frontier <bound>"
  double bound = 0;        // the frontier constraint's bound in this run
  std::vector<int> trace;  // candidate index per optimiser call
  int best = -1;           // candidate index
};

// The best candidate against the runner-up (the next best feasible candidate) on the same
// samples (common random numbers): the paired difference of their objective's samples (for a
// probability, of the indicators) with its 95% interval. When the interval holds 0, the two
// cannot be told apart at this design's size: more replicates or scenarios would be needed.
struct RunnerUp {
  int candidate = -1;  // -1: no other feasible candidate (or a quantile objective)
  double difference = 0, lo = 0, hi = 0;  // best - runner-up
  bool distinguishable = true;
};

struct OptimizeResult {
  std::vector<Candidate> candidates;  // every distinct candidate, in the order first evaluated
  std::vector<OptimizeRun> runs;      // runs[0]: the spec's problem; then the frontier's
  int simulated = 0, cached = 0;      // candidates evaluated now, and read from the cache
  std::vector<std::vector<double>> objective_samples;  // per candidate, in sample order
  RunnerUp runner_up;                                  // of runs[0]
};

class SweepModel;
struct SweepPoints;

// A candidate's scenarios: the base scenario with the candidate's decision values and the
// design's uncertainties of scenario s, run for the spec's replicates with its seed. run_optimize
// evaluates candidates with it, and so does every rank of an MPI run (tools/cli), which is why
// the results do not depend on where a block of scenarios runs.
class CandidateModel {
 public:
  explicit CandidateModel(const OptimizeSpec& spec);
  ~CandidateModel();
  CandidateModel(const CandidateModel&) = delete;
  CandidateModel& operator=(const CandidateModel&) = delete;

  int scenarios() const;
  int replicates() const;
  std::size_t outputs() const;  // spec.sweep.outputs: those the objective and constraints use
  const SweepModel& model() const { return *model_; }
  const SweepPoints& design() const { return *design_; }
  // Sets the decision values every scenario is run with.
  void set_candidate(const std::vector<std::string>& values);
  // rows[s - s0][r - r0][k]: output k of replicate r of scenario s, for s in [s0, s1) and r in
  // [r0, r1), the scenarios side by side on this process's threads. Throws InputError when a
  // scenario refuses the values (the first such scenario's error).
  std::vector<std::vector<std::vector<double>>> evaluate(int s0, int s1, int r0, int r1) const;

 private:
  std::unique_ptr<SweepPoints> design_;  // the uncertainties' scenarios
  std::unique_ptr<SweepPoints> points_;  // decisions, then the scenario's uncertainties
  std::unique_ptr<SweepModel> model_;
};

// How a candidate refused by its scenario is recorded (Candidate::error): the first problem.
std::string candidate_error_text(const InputError& e);
// What a CandidateEvaluator throws for a refused candidate: the text of candidate_error_text.
struct CandidateRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// rows[s][r][k] of every scenario and replicate of a candidate (CandidateModel::evaluate over
// them all), computed somewhere else: the MPI task farm of `mpirun flywheel optimize`.
using CandidateEvaluator =
    std::function<std::vector<std::vector<std::vector<double>>>(const std::vector<std::string>&)>;

struct OptimizeOptions {
  bool force_new = false;  // clear DIR/candidates first
  std::function<void(const std::string&)> progress;  // a line per candidate; may be empty
  CandidateEvaluator evaluate;  // empty: every candidate is evaluated in this process
};

// Runs the optimisation into DIR (created), candidates cached in DIR/candidates/ (one file per
// candidate, written atomically), so a killed run resumes where it stopped; then writes
// best.yaml, candidates.csv, trace.csv, frontier.csv (when the spec asks for one) and
// optimize.json.
OptimizeResult run_optimize(const OptimizeSpec& spec, const std::filesystem::path& dir,
                            const OptimizeOptions& options = {});

}  // namespace flywheel
