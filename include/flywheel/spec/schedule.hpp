// A scenario number that may change over time.
#pragma once

#include <vector>

namespace flywheel {

// value(from_month) pieces, the latest piece in force. A plain number in YAML is a schedule with
// one piece from month 0.
struct Schedule {
  struct Piece {
    int from_month = 0;
    double value = 0.0;
    bool operator==(const Piece&) const = default;
  };
  std::vector<Piece> pieces{{0, 0.0}};  // sorted by from_month, first from month 0

  static Schedule constant(double v) { return Schedule{{{0, v}}}; }
  // Value in force during month `month` (0-based: month 0 is the first simulated month).
  double at(int month) const;
  bool operator==(const Schedule&) const = default;
};

}  // namespace flywheel
