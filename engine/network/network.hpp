// The social network people talk over (docs/model.md#network): a graph stored as
// CSR, built once per replicate from the scenario's `network:` block. An empty Network is the
// well-mixed (mean field) case: everyone meets everyone with equal chance.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace flywheel::model {

struct Network {
  std::vector<std::uint64_t> offsets;  // people + 1 offsets into targets; empty: well mixed
  std::vector<std::uint32_t> targets;  // neighbours of each person, in ascending order

  bool well_mixed() const { return offsets.empty(); }
  std::span<const std::uint32_t> neighbours(std::uint32_t p) const {
    return {targets.data() + offsets[p], targets.data() + offsets[p + 1]};
  }
};

}  // namespace flywheel::model
