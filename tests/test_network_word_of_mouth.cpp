// The incremental word-of-mouth counts (engine/network_word_of_mouth.cpp) equal a neighbour
// count done from scratch, after the population is built and after arbitrary stage changes.
#include "../engine/model.hpp"
#include "../engine/network_word_of_mouth.hpp"
#include "../engine/population.hpp"

#include <flywheel/scenario.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using namespace flywheel;

namespace {

std::vector<std::uint32_t> count_from_scratch(const Scenario& s,
                                              const model::ReplicateState& state) {
  std::vector<std::uint32_t> heard(state.people.size(), 0);
  for (std::uint32_t p = 0; p < state.people.size(); ++p) {
    for (std::uint32_t v : state.network.neighbours(p)) {
      heard[p] += s.acquisition.word_of_mouth_sources[static_cast<int>(state.people.stage[v])];
    }
  }
  return heard;
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
      state.people.stage[p] = static_cast<Stage>((static_cast<int>(state.people.stage[p]) + 2) %
                                                 kStageCount);
    }
    model::update_word_of_mouth_sources(m, state);
    CHECK(state.word_of_mouth.heard == count_from_scratch(s, state));
  }
}
