// Checking a calibration spec against its base scenario before anything runs (the spec's reader,
// calibrate_spec.cpp, has read the YAML into `spec`).
#pragma once

#include "common/diagnostics.hpp"

#include <flywheel/experiments/calibrate.hpp>

namespace flywheel::loader {

// Loads the base with the `set:` values (spec.horizon: its months) and tries each parameter at
// its prior's median and ends; truncates each prior to its parameter's schema range and marks
// integer parameters. Problems go to `diagnostics` with the spec's file:line:col.
void check_calibration_against_base(CalibrationSpec& spec, const SourceLocation& base_at,
                                    Diagnostics& diagnostics);

}  // namespace flywheel::loader
