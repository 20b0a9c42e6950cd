#include <flywheel/spec/scenario.hpp>

#include <algorithm>

namespace flywheel {

std::int64_t simulated_people(const Scenario& scenario) {
  return std::max<std::int64_t>(1, scenario.market.people / scenario.simulation.agent_scale);
}

double Schedule::at(int month) const {
  double value = pieces.front().value;
  for (const Piece& piece : pieces) {
    if (piece.from_month > month) break;
    value = piece.value;
  }
  return value;
}

const char* to_string(StepSize s) {
  switch (s) {
    case StepSize::day:
      return "day";
    case StepSize::week:
      return "week";
    case StepSize::month:
      return "month";
  }
  return "?";
}

const char* to_string(SizeDistribution d) {
  switch (d) {
    case SizeDistribution::fixed:
      return "fixed";
    case SizeDistribution::geometric:
      return "geometric";
    case SizeDistribution::lognormal:
      return "lognormal";
  }
  return "?";
}

const char* to_string(NetworkModel m) {
  switch (m) {
    case NetworkModel::well_mixed:
      return "well_mixed";
    case NetworkModel::erdos_renyi:
      return "erdos_renyi";
    case NetworkModel::small_world:
      return "small_world";
    case NetworkModel::scale_free:
      return "scale_free";
    case NetworkModel::edge_list:
      return "edge_list";
  }
  return "?";
}

}  // namespace flywheel
