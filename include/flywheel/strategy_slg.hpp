// Sales-led growth levers (strategy.slg) and how each segment buys through sales
// (market.segments[].sales). Included by strategy.hpp.
#pragma once

#include <flywheel/schedule.hpp>

namespace flywheel {

// How accounts of one segment move through the sales funnel.
struct SegmentSales {
  bool operator==(const SegmentSales&) const = default;
};

struct SlgSpec {
  bool enabled = false;
  bool operator==(const SlgSpec&) const = default;
};

}  // namespace flywheel
