#include "midpoint.hpp"

#include "community_programs.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::model {

double midpoint_value(double now, double before) {
  if (now > 0.0 && before > 0.0) {
    return now * std::clamp(std::sqrt(now / before), 0.5, 2.0);
  }
  return std::max(0.0, 1.5 * now - 0.5 * before);
}

Drivers current_drivers(const Model& model, const ReplicateState& state) {
  const Scenario& s = model.scenario;
  Drivers d;
  for (int st = 0; st < kStageCount; ++st) {
    if (s.acquisition.word_of_mouth_sources[st])
      d.sources += static_cast<double>(state.stage_counts[st]);
  }
  d.sources += champion_extra_sources(s.strategy.clg, state.community);
  d.sources += play_extra_sources(s.strategy.clg, state.community);
  d.unaware = static_cast<double>(state.stage_counts[static_cast<int>(Stage::unaware)]);
  d.active_members = static_cast<double>(state.community.active_members());
  d.contributors = weighted_contributors(s.strategy.clg, state.community);
  return d;
}

void advance_drivers(const Model& model, ReplicateState& state) {
  const Drivers now = current_drivers(model, state);
  DriverHistory& h = state.drivers;
  const Drivers& before = h.started ? h.before : now;
  h.mid = {midpoint_value(now.sources, before.sources), midpoint_value(now.unaware, before.unaware),
           midpoint_value(now.active_members, before.active_members),
           midpoint_value(now.contributors, before.contributors)};
  h.before = now;
  h.started = true;
}

}  // namespace flywheel::model
