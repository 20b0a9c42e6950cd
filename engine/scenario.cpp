#include <flywheel/scenario.hpp>

namespace flywheel {

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

}  // namespace flywheel
