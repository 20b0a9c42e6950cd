// Benchmark (not a test): ns per agent-step, agent-steps per second and peak memory per agent
// of shipped scenarios through the full engine, at 1 and 2 threads. Quote medians.
//   flywheel_bench [--repeats N] [--people N] [--steps-only]
#include <flywheel/engine.hpp>
#include <flywheel/loader.hpp>
#include <flywheel/time_grid.hpp>

#include <fmt/core.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Case {
  std::string label;
  std::string file;
  std::vector<flywheel::Override> overrides;
};

double peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Median seconds of `repeats` runs of the scenario with `threads` threads.
double time_run(const flywheel::Scenario& scenario, int threads, int repeats) {
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const flywheel::RunResult run = flywheel::run_scenario(scenario, {threads, nullptr});
    const auto t1 = std::chrono::steady_clock::now();
    if (run.replicates.empty()) std::abort();
    seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
  }
  return median(seconds);
}

void bench(const Case& c, int repeats) {
  const flywheel::Scenario scenario = flywheel::load_scenario(c.file, c.overrides);
  const flywheel::TimeGrid grid(scenario.simulation.step, scenario.simulation.months);
  const double agents = static_cast<double>(
      std::max<std::int64_t>(1, scenario.market.people / scenario.simulation.agent_scale));
  const double agent_steps = agents * grid.steps() * scenario.simulation.replicates;
  const double t1 = time_run(scenario, 1, repeats);
  const double t2 = time_run(scenario, 2, repeats);
  fmt::print("{:<28} agents {:>9.0f}  steps {:>4}  reps {:>3} | 1 thread {:>7.2f} ns/agent-step "
             "({:.3g} agent-steps/s, {:.3f} s) | 2 threads {:>7.2f} ns/agent-step ({:.3f} s) | "
             "speed-up {:.2f}x\n",
             c.label, agents, grid.steps(), scenario.simulation.replicates,
             t1 / agent_steps * 1e9, agent_steps / t1, t1, t2 / agent_steps * 1e9, t2, t1 / t2);
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 5;
  std::string root = ".";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--root") && i + 1 < argc) root = argv[++i];
  }
  try {
    const std::vector<Case> cases = {
        {"bass 1M agents x 100 steps", root + "/scenarios/validation/bass.yaml",
         {{"market.people", "1000000"}, {"simulation.replicates", "1"},
          {"simulation.step", "day"}, {"simulation.months", "4"}}},
        {"plg-freemium (default size)", root + "/scenarios/plg-freemium.yaml", {}},
    };
    for (const Case& c : cases) bench(c, repeats);
    fmt::print("peak RSS {:.1f} MiB\n", peak_rss_bytes() / (1 << 20));
  } catch (const std::exception& e) {
    fmt::print(stderr, "flywheel_bench: {}\n", e.what());
    return 1;
  }
}
