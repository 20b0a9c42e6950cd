// The incremental word-of-mouth counts (engine/model/network_word_of_mouth.cpp) equal a neighbour
// count done from scratch, after the population is built and after arbitrary stage changes.
#include "model/model.hpp"
#include "model/network_word_of_mouth.hpp"
#include "model/population.hpp"

#include <flywheel/spec/scenario.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using namespace flywheel;

namespace {

// Sum of the neighbours' weights in 1/256: 256 per source, champion_weight for a champion who
// is an active member.
std::vector<std::uint32_t> count_from_scratch(const Scenario& s, const model::ReplicateState& state,
                                              std::uint32_t champion_weight = 256) {
  std::vector<std::uint32_t> heard(state.people.size(), 0);
  for (std::uint32_t p = 0; p < state.people.size(); ++p) {
    for (std::uint32_t v : state.network.neighbours(p)) {
      const Stage stage = state.people.stage[v];
      if (!s.acquisition.word_of_mouth_sources[static_cast<int>(stage)]) continue;
      const bool member = (state.people.flags[v] & model::kActiveMember) != 0;
      heard[p] += stage == Stage::champion && member ? champion_weight : 256;
    }
  }
  return heard;
}

// 20,000 people alone in their accounts on an Erdos-Renyi network of mean degree 6, a fifth
// regulars and a fifth champions, with the community's champion program.
Scenario community_on_network(const char* name, double champion_multiplier) {
  Scenario s;
  s.name = name;
  s.market.people = 20000;
  Segment solo;
  solo.name = "solo";
  solo.account_size = {SizeDistribution::fixed, 1, 1, 1};
  s.market.segments = {solo};
  s.network.model = NetworkModel::erdos_renyi;
  s.network.mean_degree = 6;
  s.strategy.clg.enabled = true;
  s.strategy.clg.champions.enabled = true;
  s.strategy.clg.champions.referral_multiplier = champion_multiplier;
  s.initial.stage_shares = {0.6, 0, 0, 0, 0.2, 0.2, 0};
  return s;
}

}  // namespace

TEST_CASE("network word of mouth: incremental source counts equal a count from scratch",
          "[network]") {
  Scenario s;
  s.name = "wom-counts";
  s.market.people = 30000;
  Segment teams;
  teams.name = "teams";
  teams.account_size = {SizeDistribution::geometric, 6, 1, 60};
  s.market.segments = {teams};
  s.network.model = NetworkModel::small_world;
  s.network.mean_degree = 8;
  s.network.rewiring_probability = 0.2;
  s.initial.stage_shares = {0.5, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05};
  const model::Model m(s, 0);
  model::ReplicateState state = model::build_population(m);
  REQUIRE_FALSE(state.network.well_mixed());
  CHECK(state.word_of_mouth.heard == count_from_scratch(s, state));
  std::uint64_t heard_total = 0;
  for (std::uint32_t h : state.word_of_mouth.heard) heard_total += h;
  CHECK(heard_total > 0);

  // Move people in and out of the source stages (regular, champion) and update.
  for (int round = 0; round < 3; ++round) {
    for (std::uint32_t p = round; p < state.people.size(); p += 7) {
      state.people.stage[p] =
          static_cast<Stage>((static_cast<int>(state.people.stage[p]) + 2) % kStageCount);
    }
    model::update_word_of_mouth_sources(m, state);
    CHECK(state.word_of_mouth.heard == count_from_scratch(s, state));
  }
}

TEST_CASE("network word of mouth: champion members weigh the champion program's multiplier",
          "[network][community]") {
  const Scenario s = community_on_network("wom-champions", 2.5);
  const model::Model m(s, 0);
  model::ReplicateState state = model::build_population(m);
  for (std::uint32_t p = 0; p < state.people.size(); p += 3) {
    state.people.flags[p] |= model::kActiveMember;
  }
  model::update_word_of_mouth_sources(m, state);
  CHECK(state.word_of_mouth.heard == count_from_scratch(s, state, 640));  // 2.5 x 256
  for (std::uint32_t p = 0; p < state.people.size(); p += 6) {
    state.people.flags[p] =
        static_cast<std::uint8_t>(state.people.flags[p] & ~model::kActiveMember);
  }
  model::update_word_of_mouth_sources(m, state);
  CHECK(state.word_of_mouth.heard == count_from_scratch(s, state, 640));
}

TEST_CASE("network word of mouth: play members weigh the play multiplier, champions included",
          "[network][community]") {
  Scenario s = community_on_network("wom-play", 2.0);
  s.strategy.clg.motive_effects.play.word_of_mouth_multiplier = 1.5;
  const model::Model m(s, 0);
  CHECK(model::max_source_weight(s) == 768);  // a play champion member: 2 x 1.5 x 256
  model::ReplicateState state = model::build_population(m);
  // Every third person an active member, every other of them (and some non-members' bytes
  // left 0) a play member; count from scratch with the weights of the rule.
  for (std::uint32_t p = 0; p < state.people.size(); p += 3) {
    state.people.flags[p] |= model::kActiveMember;
    state.people.community[p] =
        model::member_byte::pack(2, p % 2 == 0 ? Motive::play : Motive::practice);
  }
  model::update_word_of_mouth_sources(m, state);
  std::vector<std::uint32_t> heard(state.people.size(), 0);
  for (std::uint32_t p = 0; p < state.people.size(); ++p) {
    for (std::uint32_t v : state.network.neighbours(p)) {
      const Stage stage = state.people.stage[v];
      if (!s.acquisition.word_of_mouth_sources[static_cast<int>(stage)]) continue;
      const bool member = (state.people.flags[v] & model::kActiveMember) != 0;
      const bool play = state.people.community[v] != 0 &&
                        model::member_byte::motive(state.people.community[v]) == Motive::play;
      const std::uint32_t base = stage == Stage::champion && member ? 512 : 256;
      heard[p] += play ? base * 3 / 2 : base;
    }
  }
  CHECK(state.word_of_mouth.heard == heard);
}
