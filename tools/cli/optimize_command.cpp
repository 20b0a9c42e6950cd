// `flywheel optimize SPEC.yaml` (docs/optimize.md): decision variables searched with NLopt under
// an uncertainty design with common random numbers; writes best.yaml, candidates.csv, trace.csv,
// frontier.csv, optimize.json and report.html into the output folder, resumable from its
// candidate cache. Under `mpirun -n K` rank 0 runs the optimiser and each candidate's scenarios
// and replicates are spread over the other ranks through the sweep's task farm (mpi_farm.hpp).
#include "commands.hpp"
#include "mpi_farm.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/experiments/optimize.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>

namespace flywheel::cli {

namespace fs = std::filesystem;

namespace {

// A worker's error that is not the scenario refusing the candidate: rank 0 fails with it.
constexpr char kInternal = '\x01';

std::string join_values(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& v : values) text += v + "\n";
  return text;
}

std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> values;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) values.push_back(line);
  return values;
}

// A candidate's blocks of work for `workers` ranks: one scenario each (all its replicates) when
// there are enough scenarios to keep every rank busy; otherwise each scenario's replicates split
// in chunks; with the mean field (one evaluation per scenario, milliseconds to seconds), several
// scenarios per block, about four blocks per rank. Task: scenarios [t0, t1), replicates [t2, t3).
std::vector<FarmTask> candidate_tasks(const CandidateModel& model, int workers) {
  const int scenarios = model.scenarios(), replicates = model.replicates();
  std::vector<FarmTask> tasks;
  if (model.model().deterministic()) {
    const int block = std::max(1, scenarios / (4 * workers));
    for (int s = 0; s < scenarios; s += block)
      tasks.push_back({s, std::min(scenarios, s + block), 0, replicates});
    return tasks;
  }
  const int chunks =
      scenarios >= 2 * workers ? 1 : std::min(replicates, (2 * workers + scenarios - 1) / scenarios);
  for (int s = 0; s < scenarios; ++s) {
    for (int c = 0; c < chunks; ++c)
      tasks.push_back({s, s + 1, replicates * c / chunks, replicates * (c + 1) / chunks});
  }
  return tasks;
}

// Rank 0: one candidate over the farm; rows[s][r][k] as CandidateModel::evaluate would give.
std::vector<std::vector<std::vector<double>>> farm_candidate(const CandidateModel& model,
                                                             const std::vector<std::string>& values,
                                                             int workers) {
  const std::vector<FarmTask> tasks = candidate_tasks(model, workers);
  const auto outputs = static_cast<std::ptrdiff_t>(model.outputs());
  std::vector<std::vector<std::vector<double>>> rows(
      static_cast<std::size_t>(model.scenarios()),
      std::vector<std::vector<double>>(static_cast<std::size_t>(model.replicates())));
  std::optional<std::string> error;
  int error_scenario = INT_MAX;
  std::size_t next = 0;
  mpi_broadcast(join_values(values));
  mpi_farm_coordinate(
      [&]() -> std::optional<FarmTask> {
        if (next == tasks.size()) return std::nullopt;
        return tasks[next++];
      },
      [] { return true; },  // no task queues another
      [&](const FarmTask& t, FarmResult result) {
        if (result.error) {
          // The first scenario's error, as in one process.
          if (t[0] < error_scenario) error = std::move(result.error), error_scenario = t[0];
          return;
        }
        auto value = result.values.begin();
        for (int s = t[0]; s < t[1]; ++s) {
          for (int r = t[2]; r < t[3]; ++r, value += outputs)
            rows[static_cast<std::size_t>(s)][static_cast<std::size_t>(r)].assign(value, value + outputs);
        }
      });
  if (error) {
    if (!error->empty() && error->front() == kInternal) throw std::runtime_error(error->substr(1));
    throw CandidateRefused(*error);
  }
  return rows;
}

// Ranks 1..K-1: evaluate blocks of each candidate rank 0 sends until it sends none.
void optimize_worker(const OptimizeSpec& spec) {
  CandidateModel model(spec);
  while (const std::optional<std::string> values = mpi_broadcast(std::nullopt)) {
    model.set_candidate(split_values(*values));
    mpi_farm_work([&](const FarmTask& t) {
      FarmResult result;
      try {
        for (const auto& scenario : model.evaluate(t[0], t[1], t[2], t[3])) {
          for (const auto& row : scenario) result.values.insert(result.values.end(), row.begin(), row.end());
        }
      } catch (const InputError& e) {
        result.values.clear();
        result.error = candidate_error_text(e);
      } catch (const std::exception& e) {
        result.values.clear();
        result.error = std::string(1, kInternal).append(e.what());
      }
      return result;
    });
  }
}

}  // namespace

CLI::App* add_optimize_command(CLI::App& app, OptimizeArgs& args) {
  CLI::App* command = app.add_subcommand(
      "optimize",
      "Optimise decision variables (scenario key paths) for an objective such as "
      "P(arr_usd@24 >= 5e6) under constraints such as P(cash_usd@min >= 0) >= 0.9, over an "
      "uncertainty design with common random numbers (NLopt); writes best.yaml, candidates.csv, "
      "trace.csv, frontier.csv and report.html; a second run resumes from the candidate cache");
  command->add_option("SPEC", args.spec_file, "Optimize spec (YAML)")->required();
  command->add_option("--out", args.out_dir, "Output folder (default: out/<spec name>)")
      ->type_name("DIR");
  command->add_option("--threads", args.threads, "Worker threads; 0 = all cores")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--force-new", args.force_new, "Discard the candidate cache and start over");
  command->add_flag("--no-report", args.no_report, "Do not write report.html");
  command->add_flag("--quiet", args.quiet, "No progress messages on stderr");
  return command;
}

int optimize_command(const OptimizeArgs& args) {
  const OptimizeSpec spec = load_optimize_spec(args.spec_file);
  const fs::path dir = args.out_dir.empty()
                           ? fs::path("out") / folder_name(fs::path(args.spec_file).stem().string())
                           : fs::path(args.out_dir);
  std::unique_ptr<tbb::global_control> threads;
  if (args.threads > 0) {
    threads = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<std::size_t>(args.threads));
  }
  const MpiWorld& world = mpi_world();
  if (world.rank != 0) {
    optimize_worker(spec);
    return 0;
  }
  OptimizeOptions options;
  options.force_new = args.force_new;
  if (!args.quiet) options.progress = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
  std::unique_ptr<CandidateModel> farm_model;
  OptimizeResult r;
  try {
    if (world.size > 1) {
      farm_model = std::make_unique<CandidateModel>(spec);
      options.evaluate = [&](const std::vector<std::string>& values) {
        return farm_candidate(*farm_model, values, world.size - 1);
      };
      if (!args.quiet)
        fmt::print(stderr, "flywheel: {} MPI ranks: each candidate's scenarios spread over {}\n",
                   world.size, world.size - 1);
    }
    r = run_optimize(spec, dir, options);
  } catch (...) {
    if (world.size > 1) mpi_broadcast(std::nullopt);  // release the other ranks
    throw;
  }
  if (world.size > 1) mpi_broadcast(std::nullopt);
  if (!args.no_report) {
    const std::string problem = try_write_optimize_report(dir);
    if (!problem.empty()) fmt::print(stderr, "flywheel: warning: no report.html: {}\n", problem);
  }
  const OptimizeRun& main = r.runs.front();
  const Candidate& best = r.candidates[static_cast<std::size_t>(main.best)];
  std::string text = fmt::format("best of {} candidates ({} simulated, {} from the cache):\n",
                                 r.candidates.size(), r.simulated, r.cached);
  for (std::size_t i = 0; i < spec.decisions.size(); ++i)
    text += fmt::format("  {} = {}\n", spec.decisions[i].path, best.values[i]);
  text += fmt::format("  {} {} = {:.6g} [{:.6g}, {:.6g}] (95%)\n",
                      spec.maximize ? "maximize" : "minimize", spec.objective.text,
                      best.objective.value, best.objective.lo, best.objective.hi);
  for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
    text += fmt::format("  {}: {:.6g} [{:.6g}, {:.6g}]\n", spec.constraints[k].text,
                        best.constraints[k].value, best.constraints[k].lo,
                        best.constraints[k].hi);
  }
  bool feasible = best.error.empty();
  for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
    const OptimizeConstraint& c = spec.constraints[k];
    const double v = best.constraints[k].value;
    if (!(c.at_most ? v <= c.bound : v >= c.bound)) feasible = false;
  }
  if (!feasible) text += "  (no candidate met every constraint: this one misses them least)\n";
  if (r.runner_up.candidate >= 0) {
    text += fmt::format(
        "  vs the runner-up (candidate {}): {:+.6g} [{:+.6g}, {:+.6g}] paired{}\n",
        r.runner_up.candidate, r.runner_up.difference, r.runner_up.lo, r.runner_up.hi,
        r.runner_up.distinguishable
            ? ""
            : "; cannot be told apart: add replicates or design samples");
  }
  std::cout << text << fmt::format("output: {}\n", (dir / "best.yaml").string()) << std::flush;
  return 0;
}

}  // namespace flywheel::cli
