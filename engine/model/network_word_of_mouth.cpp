#include "network_word_of_mouth.hpp"

#include "kernels/parallel_blocks.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>

namespace flywheel::model {

namespace {

// A person's weight as a source, in 1/kSourceUnit: 0 outside the source stages, 1 in them,
// the champion program's referral_multiplier for a champion who is an active member; a play
// member weighs play.word_of_mouth_multiplier times that (at most 2.5 x 100 x 256 < 2^16).
struct SourceWeights {
  std::array<std::uint16_t, kStageCount> by_stage{};
  std::uint16_t champion_member = 0;
  bool play_on = false;  // play members weigh differently
  std::array<std::uint16_t, kStageCount> play_by_stage{};
  std::uint16_t play_champion_member = 0;
};

std::uint16_t weighted(std::uint16_t weight, double multiplier) {
  return static_cast<std::uint16_t>(std::lround(weight * multiplier));
}

SourceWeights source_weights(const Scenario& s) {
  SourceWeights w;
  for (int st = 0; st < kStageCount; ++st) {
    w.by_stage[st] = s.acquisition.word_of_mouth_sources[st] ? kSourceUnit : 0;
  }
  w.champion_member = w.by_stage[static_cast<int>(Stage::champion)];
  const ClgSpec& clg = s.strategy.clg;
  if (clg.enabled && clg.champions.enabled && w.champion_member != 0) {
    w.champion_member =
        static_cast<std::uint16_t>(std::lround(clg.champions.referral_multiplier * kSourceUnit));
  }
  const double play = clg.motive_effects.play.word_of_mouth_multiplier;
  w.play_on = clg.enabled && play != 1.0;
  if (w.play_on) {
    for (int st = 0; st < kStageCount; ++st) w.play_by_stage[st] = weighted(w.by_stage[st], play);
    w.play_champion_member = weighted(w.champion_member, play);
  }
  return w;
}

// Pushes the change of weight to the neighbours of every person of the block whose weight
// differs from the one recorded (unsigned arithmetic: a decrease wraps and adds back exactly).
// Changes are rare, so the scan is branch-free up to them and reads through local pointers
// (the atomic adds would otherwise make the compiler reload the arrays at every person).
void push_changes(const SourceWeights& weights, ReplicateState& state, std::size_t begin,
                  std::size_t end) {
  const Stage* stage = state.people.stage.data();
  const std::uint8_t* flags = state.people.flags.data();
  const std::uint8_t* community = state.people.community.data();
  std::uint16_t* source = state.word_of_mouth.source.data();
  std::uint32_t* heard = state.word_of_mouth.heard.data();
  const Network& network = state.network;
  for (auto p = static_cast<std::uint32_t>(begin); p < end; ++p) {
    const bool champion_member = stage[p] == Stage::champion && (flags[p] & kActiveMember);
    const bool play = weights.play_on && community[p] != 0 &&
                      member_byte::motive(community[p]) == Motive::play;
    const std::uint16_t now =
        play ? (champion_member ? weights.play_champion_member
                                : weights.play_by_stage[static_cast<int>(stage[p])])
             : (champion_member ? weights.champion_member
                                : weights.by_stage[static_cast<int>(stage[p])]);
    if (now == source[p]) [[likely]] continue;
    const std::uint32_t delta = std::uint32_t{now} - std::uint32_t{source[p]};
    source[p] = now;
    for (std::uint32_t v : network.neighbours(p)) {
      std::atomic_ref<std::uint32_t>(heard[v]).fetch_add(delta, std::memory_order_relaxed);
    }
  }
}

}  // namespace

std::uint16_t max_source_weight(const Scenario& scenario) {
  const SourceWeights w = source_weights(scenario);
  const std::uint16_t plain =
      std::max(w.champion_member, *std::max_element(w.by_stage.begin(), w.by_stage.end()));
  if (!w.play_on) return plain;
  return std::max({plain, w.play_champion_member,
                   *std::max_element(w.play_by_stage.begin(), w.play_by_stage.end())});
}

void count_word_of_mouth_sources(const Model& model, ReplicateState& state) {
  if (state.network.well_mixed()) return;
  const std::size_t n = state.people.size();
  state.word_of_mouth.source.assign(n, 0);
  state.word_of_mouth.heard.assign(n, 0);
  state.word_of_mouth.heard_before.assign(n, 0);
  update_word_of_mouth_sources(model, state);
  state.word_of_mouth.heard_before = state.word_of_mouth.heard;  // no history before step 0
}

void update_word_of_mouth_sources(const Model& model, ReplicateState& state) {
  if (state.network.well_mixed()) return;
  const SourceWeights weights = source_weights(model.scenario);
  WordOfMouthGraph& w = state.word_of_mouth;
  // The counts of this step's end become the earlier ones; every copy precedes every push.
  for_each_block(
      state.people.size(), kPeopleBlock, [&](std::size_t, std::size_t begin, std::size_t end) {
        std::copy(w.heard.begin() + begin, w.heard.begin() + end, w.heard_before.begin() + begin);
      });
  for_each_block(state.people.size(), kPeopleBlock,
                 [&](std::size_t, std::size_t begin, std::size_t end) {
                   push_changes(weights, state, begin, end);
                 });
}

}  // namespace flywheel::model
