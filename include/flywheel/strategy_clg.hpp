// Community-led growth levers (strategy.clg): the community, its programs and their budgets.
// Included by strategy.hpp.
#pragma once

#include <flywheel/schedule.hpp>

namespace flywheel {

struct ClgSpec {
  bool enabled = false;
  bool operator==(const ClgSpec&) const = default;
};

}  // namespace flywheel
