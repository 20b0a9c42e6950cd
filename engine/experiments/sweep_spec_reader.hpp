// The sweep spec reader, shared with specs that embed a sweep's parts (optimize specs: base or
// model, engine, replicates, seed, set, design and uncertainties): the same keys read the same
// way, with the same messages.
#pragma once

#include "common/diagnostics.hpp"
#include "scenario/yaml_tree.hpp"

#include <flywheel/experiments/sweep.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace flywheel::loader {

struct SpecReadOptions {
  std::vector<std::string_view> keys;  // the top-level keys allowed; empty: a sweep spec's
  bool outputs_required = true;        // `outputs:` read (and required)
  bool params_required = true;         // levers or uncertainties required
  bool design_required = true;         // without `design:`, one grid over the uncertainties
  bool quadratic_model = false;        // `model: quadratic` allowed (optimize's test model)
};

// Reads root's sweep parts into spec (every problem into diagnostics); returns where `base:` is.
SourceLocation read_sweep_part(const TreeNode& root, SweepSpec& spec, const std::string& base_dir,
                               Diagnostics& diagnostics, const SpecReadOptions& options);

}  // namespace flywheel::loader
