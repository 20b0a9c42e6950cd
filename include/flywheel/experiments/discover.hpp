// Scenario discovery over a finished sweep (docs/discover.md): which conditions make a policy
// meet (or miss) a target. Each scenario of the sweep (a point of the uncertainty design) is a
// case: x = its uncertainties' values, y = the share of its replicates where the target holds.
// PRIM (prim.hpp) then finds, per policy, boxes of the uncertainties where y is dense.
#pragma once

#include <flywheel/experiments/outcome_condition.hpp>
#include <flywheel/experiments/prim.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace flywheel {

struct DiscoverOptions {
  std::string target;  // "OUTPUT OP VALUE"; OUTPUT must be one of the sweep's outputs
  PrimOptions prim;
};

struct DiscoverPolicy {
  int policy = 0;
  std::string label;  // the levers' values, "path=value, ..."; empty without levers
  int cases = 0;      // scenarios with at least one defined replicate
  int left_out = 0;   // scenarios whose target output is undefined in every replicate
  PrimResult result;
};

struct DiscoverResult {
  OutcomeCondition target;
  std::vector<std::string> dimensions;  // uncertainty paths
  // Per dimension: false when its values are words, coded 0, 1, ... in sorted order.
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> codes;  // the words of a non-numeric dimension
  DiscoverOptions options;
  std::vector<DiscoverPolicy> policies;
};

// Reads DIR/sweep.json, points.csv and results.csv (merged). Throws InputError when the folder
// is not a finished sweep with uncertainties, or the target is malformed or not an output.
DiscoverResult discover_sweep_folder(const std::filesystem::path& dir,
                                     const DiscoverOptions& options);

// discover_boxes.csv: policy,box,coverage,density,mass,parameter,lo,hi,restricted,quasi_p —
// the chosen box after pasting, one row per uncertainty.
std::string discover_boxes_csv(const DiscoverResult& r);
// discover_trajectory.csv: policy,step,coverage,density,mass,cases,restricted,chosen.
std::string discover_trajectory_csv(const DiscoverResult& r);
// discover.json: the target, options, and per policy the chosen box in words.
std::string discover_json_text(const DiscoverResult& r);

// discover_sweep_folder, then the three files written atomically into DIR.
DiscoverResult write_discover_files(const std::filesystem::path& dir,
                                    const DiscoverOptions& options);

}  // namespace flywheel
