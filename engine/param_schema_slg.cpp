// Schema part: sales-led growth (strategy.slg) and how each segment buys (market.segments[].sales).
#include "param_schema_parts.hpp"

namespace flywheel::loader {

std::vector<Param> slg_params() {
  const auto enabled = field<&Scenario::strategy, &StrategySpec::slg, &SlgSpec::enabled>;
  return {
      lever_block("strategy.slg", "Sales-led growth (phase 3): leads, pipeline, reps, contracts.",
                  enabled()),
      enabled_switch("strategy.slg.enabled", enabled()),
  };
}

}  // namespace flywheel::loader
