// Every shipped scenario, at a reduced size, with the engine's step and with the reference step
// (tests/reference/: the rules written plainly, no masks, bounds or skipping): the monthly
// records must be identical, since both draw the same numbers for the same decisions. A fast
// path that drifts from its rule (a hazard changed but not its bound) fails here.
#include "fixtures.hpp"
#include "reference/reference_step.hpp"

#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace flywheel {
namespace {

// About `simulated` people (market.people / agent_scale), over the scenario's own horizon (its
// targets and schedules refer to its months).
Scenario reduced(const fs::path& file, const std::string& step, int simulated,
                 std::vector<Override> extra = {}) {
  const Scenario full = load_scenario(file.string());
  std::vector<Override> set = {
      {"market.people", std::to_string(simulated * full.simulation.agent_scale)},
      {"simulation.step", step}};
  set.insert(set.end(), extra.begin(), extra.end());
  return load_scenario(file.string(), set);
}

// The first reported metric that differs in month m, or "".
std::string metric_difference(const Scenario& s, const MonthRecord& fast, const MonthRecord& plain,
                              std::size_t m) {
  const MetricValues a = derive_metrics(fast, s.simulation.agent_scale);
  const MetricValues b = derive_metrics(plain, s.simulation.agent_scale);
  for (int i = 0; i < kMetricCount; ++i) {
    if (a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))) continue;
    std::ostringstream out;
    out.precision(17);
    out << "month " << m + 1 << ", " << metric_name(static_cast<Metric>(i)) << ": fast " << a[i]
        << ", reference " << b[i];
    return out.str();
  }
  return "";
}

// Where the months first differ (a record's field, then a reported metric), or "".
std::string first_difference(const Scenario& s, const std::vector<MonthRecord>& fast,
                             const std::vector<MonthRecord>& plain) {
  if (fast.size() != plain.size()) return "different numbers of months";
  std::string record;
  for (std::size_t m = 0; m < fast.size(); ++m) {
    if (fast[m] == plain[m]) continue;
    const std::string metric = metric_difference(s, fast[m], plain[m], m);
    if (!metric.empty()) return record + metric;
    if (record.empty()) {
      record = "month " + std::to_string(m + 1) + ": a record field outside the metrics; then ";
    }
  }
  return record + "no reported metric";
}

void check_same_months(const Scenario& s, const std::string& label) {
  const ReplicateResult fast = model::run_replicate(s, 0, model::engine_phases());
  const ReplicateResult plain = model::run_replicate(s, 0, reference::phases());
  INFO(label);
  INFO(first_difference(s, fast.months, plain.months));
  const bool same_months = fast.months == plain.months;  // (Catch would print every record)
  CHECK(same_months);
  CHECK(fast.cascade_histogram == plain.cascade_histogram);
}

const char* other_step(StepSize step) {
  return step == StepSize::week ? "day" : step == StepSize::day ? "month" : "week";
}

}  // namespace

TEST_CASE("fast step equals the reference step on every shipped scenario", "[reference]") {
  for (const fs::path& file : test::shipped_scenarios()) {
    const Scenario own = load_scenario(file.string());
    const std::string name = file.filename().string();
    // Its own step, then another: day, week and month steps all appear.
    for (const std::string& step : {std::string(to_string(own.simulation.step)),
                                    std::string(other_step(own.simulation.step))}) {
      check_same_months(reduced(file, step, 3000), name + ", " + step + " steps");
    }
  }
}

TEST_CASE("fast step equals the reference step with team effects", "[reference]") {
  // No shipped scenario turns team effects on; their share bins have their own rules and bounds.
  const fs::path file = fs::path(FLYWHEEL_SOURCE_DIR) / "scenarios/hybrid-plg-clg.yaml";
  const Scenario s =
      reduced(file, "week", 3000,
              {{"funnel.team_adoption_lift", "0.8"}, {"funnel.team_churn_reduction", "0.6"}});
  check_same_months(s, "hybrid-plg-clg.yaml with team effects");
}

}  // namespace flywheel
