// Schema part: community-led growth (strategy.clg).
#include "param_schema_parts.hpp"

namespace flywheel::loader {

std::vector<Param> clg_params() {
  const auto enabled = field<&Scenario::strategy, &StrategySpec::clg, &ClgSpec::enabled>;
  return {
      lever_block("strategy.clg", "Community-led growth (phase 4): the community and its programs.",
                  enabled()),
      enabled_switch("strategy.clg.enabled", enabled()),
  };
}

}  // namespace flywheel::loader
