// Benchmark (not a test): ns per agent-step, agent-steps per second and peak memory per agent
// of shipped scenarios through the full engine, at 1 and 2 threads; and the mean-field twin's
// time (meanfield::expect) once and over a 10,000-point sweep. Prints medians.
//   flywheel_bench [--repeats N] [--root DIR] [--case NAME]
// Each measurement runs in a child process, so peak memory belongs to that case alone.
#include <flywheel/meanfield/expect.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/spec/time_grid.hpp>

#include "model/model.hpp"
#include "model/population.hpp"

#include <fmt/core.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Case {
  std::string name;
  std::string description;
  std::string file;  // relative to the source root
  std::vector<flywheel::Override> overrides;
  bool network = false;  // also time the graph build and report bytes per edge
  // The mean-field twin instead of the agent model: one meanfield::expect (ms), or `points`
  // of them with strategy.marketing.spend_usd_per_month varied, on all threads (s).
  enum class Twin { none, once, sweep } twin = Twin::none;
  int points = 0;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"bass-1M",
       "validation/bass.yaml, 1M agents, 122 day steps, 1 replicate",
       "scenarios/validation/bass.yaml",
       {{"market.people", "1000000"}, {"simulation.replicates", "1"}, {"simulation.months", "4"}}},
      {"bass-1M-monthly",
       "validation/bass.yaml, 1M agents, 100 month steps, 1 replicate (issue #7's target case)",
       "scenarios/validation/bass.yaml",
       {{"market.people", "1000000"},
        {"simulation.replicates", "1"},
        {"simulation.step", "month"},
        {"simulation.months", "100"}}},
      {"plg-default",
       "plg-freemium.yaml at its default size (all replicates)",
       "scenarios/plg-freemium.yaml",
       {}},
      {"hybrid-1M",
       "hybrid-plg-clg.yaml, 1M agents (agent_scale 1), 157 week steps, 1 replicate",
       "scenarios/hybrid-plg-clg.yaml",
       {{"simulation.agent_scale", "1"}, {"simulation.replicates", "1"}}},
      {"hybrid-sw-1M",
       "hybrid-plg-clg.yaml on a small-world network (degree 10), 1M agents, 157 week steps",
       "scenarios/hybrid-plg-clg.yaml",
       {{"simulation.agent_scale", "1"},
        {"simulation.replicates", "1"},
        {"network.model", "small_world"},
        {"network.mean_degree", "10"},
        {"network.rewiring_probability", "0.05"}},
       true},
      {"trial-sales-1M",
       "plg-trial-plus-sales.yaml, 1M agents (agent_scale 1), 157 week steps, 1 replicate",
       "scenarios/plg-trial-plus-sales.yaml",
       {{"simulation.agent_scale", "1"}, {"simulation.replicates", "1"}}},
      {"clg-default",
       "clg-community.yaml at its default size (all replicates): PLG plus the community",
       "scenarios/clg-community.yaml",
       {}},
      {"small-world-10M",
       "validation/small-world.yaml, 10M agents, mean degree 20, 13 week steps, 1 replicate",
       "scenarios/validation/small-world.yaml",
       {{"market.people", "10000000"},
        {"network.mean_degree", "20"},
        {"simulation.replicates", "1"},
        {"simulation.months", "3"}},
       true},
      {"expect-plg-freemium",
       "meanfield::expect of plg-freemium.yaml: the mean-field twin once, in ms",
       "scenarios/plg-freemium.yaml",
       {},
       false,
       Case::Twin::once},
      {"expect-sweep-10k",
       "10,000 meanfield::expect of plg-freemium.yaml, strategy.marketing.spend_usd_per_month "
       "from 0 to 100,000 USD/month, on all threads (TBB)",
       "scenarios/plg-freemium.yaml",
       {},
       false,
       Case::Twin::sweep,
       10'000},
  };
  return all;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

struct Measure {
  double seconds = 0;  // median wall time
  double rss_kib = 0;  // peak resident memory of the process
  double edges = 0;    // network cases: directed edges (ties stored both ways)
};

// Runs `body` in a child process and reads back what it measured.
template <class F>
Measure in_child(F body) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Measure m{};
    int code = 0;
    try {
      m = body();
    } catch (const std::exception& e) {
      fmt::print(stderr, "flywheel_bench: {}\n", e.what());
      code = 1;
    }
    if (write(fds[1], &m, sizeof m) != sizeof m) code = 1;
    _exit(code);
  }
  close(fds[1]);
  Measure m{};
  const bool got = read(fds[0], &m, sizeof m) == sizeof m;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("benchmark child failed");
  }
  return m;
}

Measure timed_runs(const flywheel::Scenario& scenario, int threads, int repeats) {
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const flywheel::RunResult run = flywheel::run_scenario(scenario, {threads, nullptr});
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (run.replicates.empty()) throw std::runtime_error("no replicate ran");
  }
  return {median(seconds), static_cast<double>(peak_rss_kib())};
}

// Builds one replicate's population and network: the build time and the graph's size.
Measure build_once(const flywheel::Scenario& scenario) {
  const auto t0 = std::chrono::steady_clock::now();
  const flywheel::model::Model m(scenario, 0);
  const flywheel::model::ReplicateState state = flywheel::model::build_population(m);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {seconds, double(peak_rss_kib()), double(state.network.targets.size())};
}

// Graph build time and memory per directed edge: the run's peak RSS less the same run well
// mixed, over the directed edges.
void bench_network(const flywheel::Scenario& scenario, double rss_kib) {
  const Measure built = in_child([&] { return build_once(scenario); });
  flywheel::Scenario mixed = scenario;
  mixed.simulation.replicates = 1;
  mixed.network = flywheel::NetworkSpec{};
  const Measure plain = in_child([&] { return timed_runs(mixed, 1, 1); });
  const double agents = double(scenario.market.people / scenario.simulation.agent_scale);
  const double csr_bytes = (agents + 1) * 8 + built.edges * 4;
  fmt::print(
      "  network  : {:.3g} directed edges, build {:.2f} s (population and graph), CSR "
      "{:.2f} bytes/edge; run RSS over well mixed {:.2f} bytes/edge\n",
      built.edges, built.seconds, csr_bytes / built.edges,
      (rss_kib - plain.rss_kib) * 1024.0 / built.edges);
}

// Seconds of `body`, the median of `repeats`.
template <class F>
double median_seconds(int repeats, F body) {
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    body();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return median(seconds);
}

void bench_twin(const Case& c, const flywheel::Scenario& scenario, int repeats) {
  fmt::print("{}: {}\n", c.name, c.description);
  if (c.twin == Case::Twin::once) {
    std::size_t months = 0, evaluations = 0;
    const double s = median_seconds(repeats, [&] {
      const flywheel::meanfield::ExpectedRun run = flywheel::meanfield::expect(scenario);
      months = run.months.size();
      evaluations = run.evaluations;
    });
    fmt::print("  {} months, {} right-hand sides; median of {}: {:.2f} ms\n", months, evaluations,
               repeats, s * 1e3);
    return;
  }
  // The points' scenarios are made before the clock starts: what is timed is the twin.
  std::vector<flywheel::Scenario> points(static_cast<std::size_t>(c.points), scenario);
  for (std::size_t i = 0; i < points.size(); ++i) {
    points[i].strategy.marketing.spend_usd_per_month =
        flywheel::Schedule::constant(100'000.0 * static_cast<double>(i) /
                                     static_cast<double>(points.size() - 1));
  }
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
  std::atomic<int> undefined{0};
  const double s = median_seconds(repeats, [&] {
    tbb::parallel_for(std::size_t{0}, points.size(), [&](std::size_t i) {
      const flywheel::meanfield::ExpectedRun run = flywheel::meanfield::expect(points[i]);
      if (!std::isfinite(run.months.back()[static_cast<int>(flywheel::Metric::arr_usd)]))
        ++undefined;
    });
  });
  fmt::print("  {} points on {} threads; median of {}: {:.2f} s ({:.3f} ms per point){}\n",
             points.size(), threads, repeats, s, s / static_cast<double>(points.size()) * 1e3,
             undefined > 0 ? " (some ARR undefined!)" : "");
}

void bench(const Case& c, const std::string& root, int repeats) {
  const flywheel::Scenario scenario = flywheel::load_scenario(root + "/" + c.file, c.overrides);
  if (c.twin != Case::Twin::none) {
    bench_twin(c, scenario, repeats);
    return;
  }
  const flywheel::TimeGrid grid(scenario.simulation.step, scenario.simulation.months);
  const double agents = static_cast<double>(
      std::max<std::int64_t>(1, scenario.market.people / scenario.simulation.agent_scale));
  const double agent_steps = agents * grid.steps() * scenario.simulation.replicates;
  const Measure one = in_child([&] { return timed_runs(scenario, 1, repeats); });
  const Measure two = in_child([&] { return timed_runs(scenario, 2, repeats); });
  // Memory: one replicate on one thread, less the process before building anything.
  flywheel::Scenario single = scenario;
  single.simulation.replicates = 1;
  const Measure base = in_child([] { return Measure{0, double(peak_rss_kib())}; });
  const Measure mem = in_child([&] { return timed_runs(single, 1, 1); });
  const double bytes_per_agent = (mem.rss_kib - base.rss_kib) * 1024.0 / agents;

  fmt::print("{}: {}\n", c.name, c.description);
  fmt::print("  {:.0f} agents x {} steps x {} replicates = {:.3g} agent-steps; median of {}\n",
             agents, grid.steps(), scenario.simulation.replicates, agent_steps, repeats);
  fmt::print("  1 thread : {:7.3f} s  {:6.2f} ns/agent-step  {:.3g} agent-steps/s\n", one.seconds,
             one.seconds / agent_steps * 1e9, agent_steps / one.seconds);
  fmt::print(
      "  2 threads: {:7.3f} s  {:6.2f} ns/agent-step  {:.3g} agent-steps/s  "
      "speed-up {:.2f}x\n",
      two.seconds, two.seconds / agent_steps * 1e9, agent_steps / two.seconds,
      one.seconds / two.seconds);
  fmt::print(
      "  memory   : {:.1f} bytes/agent (peak RSS of one replicate less the process "
      "baseline)\n",
      bytes_per_agent);
  if (c.network) bench_network(scenario, mem.rss_kib);
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 5;
  std::string root = FLYWHEEL_SOURCE_DIR;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--repeats") {
      repeats = std::max(1, std::atoi(argv[i + 1]));
    } else if (flag == "--root") {
      root = argv[i + 1];
    } else if (flag == "--case") {
      only = argv[i + 1];
    } else {
      fmt::print(stderr, "usage: flywheel_bench [--repeats N] [--root DIR] [--case NAME]\n");
      return 2;
    }
  }
  try {
    for (const Case& c : cases()) {
      if (only.empty() || only == c.name) bench(c, root, repeats);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "flywheel_bench: {}\n", e.what());
    return 1;
  }
  return 0;
}
