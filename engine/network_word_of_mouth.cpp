#include "network_word_of_mouth.hpp"

#include "parallel_blocks.hpp"

#include <atomic>

namespace flywheel::model {

namespace {

bool is_source(const Model& model, Stage s) {
  return model.scenario.acquisition.word_of_mouth_sources[static_cast<int>(s)];
}

// Pushes +1 (or -1) to the neighbours of every person of the block whose source status
// differs from the one recorded.
void push_changes(const Model& model, ReplicateState& state, std::size_t begin, std::size_t end) {
  WordOfMouthGraph& wom = state.word_of_mouth;
  for (auto p = static_cast<std::uint32_t>(begin); p < end; ++p) {
    const std::uint8_t now = is_source(model, state.people.stage[p]) ? 1 : 0;
    if (now == wom.source[p]) continue;
    wom.source[p] = now;
    const std::uint32_t delta = now ? 1u : static_cast<std::uint32_t>(-1);  // modular -1
    for (std::uint32_t v : state.network.neighbours(p)) {
      std::atomic_ref<std::uint32_t>(wom.heard[v]).fetch_add(delta, std::memory_order_relaxed);
    }
  }
}

}  // namespace

void count_word_of_mouth_sources(const Model& model, ReplicateState& state) {
  if (state.network.well_mixed()) return;
  const std::size_t n = state.people.size();
  state.word_of_mouth.source.assign(n, 0);
  state.word_of_mouth.heard.assign(n, 0);
  update_word_of_mouth_sources(model, state);
}

void update_word_of_mouth_sources(const Model& model, ReplicateState& state) {
  if (state.network.well_mixed()) return;
  for_each_block(state.people.size(), kPeopleBlock,
                 [&](std::size_t, std::size_t begin, std::size_t end) {
                   push_changes(model, state, begin, end);
                 });
}

}  // namespace flywheel::model
