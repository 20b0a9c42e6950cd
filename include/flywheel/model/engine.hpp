// Running a scenario: Monte Carlo replicates of the agent-based model, in parallel with TBB.
// Output depends only on the scenario (with its seed), never on the thread count.
#pragma once

#include <flywheel/spec/metrics.hpp>
#include <flywheel/spec/scenario.hpp>

#include <tbb/global_control.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace flywheel {

struct ReplicateResult {
  std::uint32_t replicate = 0;
  std::vector<MonthRecord> months;  // months[m] is calendar month m + 1
  // Referral cascades: [n] = seeds whose referral tree holds n signups (simulated people);
  // empty when strategy.referrals is off.
  std::vector<std::int64_t> cascade_histogram;
};

struct RunResult {
  Scenario scenario;                        // as run (seed and replicates resolved)
  std::vector<ReplicateResult> replicates;  // in replicate order
};

struct RunOptions {
  int threads = 0;  // 0 = all cores; never changes results
  // Called after each finished replicate with (done, total); may be called from any thread,
  // never concurrently.
  std::function<void(int, int)> on_progress;
};

// Caps the worker threads of this process while it lives; 0 leaves TBB's default (all cores).
// The one place a thread count becomes a TBB limit: run_scenario, sweeps, the command line and
// the Python module all use it. Results never depend on it.
class ThreadLimit {
 public:
  explicit ThreadLimit(int threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

 private:
  std::unique_ptr<tbb::global_control> limit_;
};

// Runs one replicate (deterministic in scenario.simulation.seed and `replicate`).
ReplicateResult run_replicate(const Scenario& scenario, std::uint32_t replicate);

// Called as each month closes with the months so far; false stops the replicate there (its
// result then holds those months only, without the cohorts' referral signups). For callers that
// can tell early that the rest of a run does not matter (calibration's rejections).
using MonthWatch = std::function<bool(const std::vector<MonthRecord>& months)>;
ReplicateResult run_replicate(const Scenario& scenario, std::uint32_t replicate,
                              const MonthWatch& watch);

// Runs scenario.simulation.replicates replicates.
RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace flywheel
