// Checking a sweep spec against its base scenario before anything runs: every parameter path
// must name a scenario parameter, and the values at the ends of each domain must be valid there.
#pragma once

#include "common/diagnostics.hpp"

#include <flywheel/experiments/sweep.hpp>

namespace flywheel::loader {

// Also marks integer parameters (their sampled values are rounded).
void check_against_base(SweepSpec& spec, const SourceLocation& base_location,
                        Diagnostics& diagnostics);

}  // namespace flywheel::loader
