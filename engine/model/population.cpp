#include "population.hpp"

#include "community.hpp"
#include "network_build.hpp"
#include "network_word_of_mouth.hpp"

#include "kernels/parallel_blocks.hpp"

#include <boost/random/geometric_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace flywheel::model {

void People::resize(std::size_t n) {
  fill_column(stage, n, Stage::unaware);
  fill_column(flags, n, std::uint8_t{0});
  fill_column(channel, n, Channel::initial);
  fill_column(account, n, std::uint32_t{0});
  // People who start as evaluators signed up just before step 0.
  fill_column(signup_step, n, std::int32_t{-1});
  fill_column(community, n, std::uint8_t{0});
}

namespace {

int draw_account_size(const AccountSize& size, DrawEngine& engine) {
  double people = size.mean_people;
  switch (size.distribution) {
    case SizeDistribution::fixed:
      break;
    case SizeDistribution::geometric:
      // 1 + Geometric(p) failures has mean 1 + (1 - p) / p = mean_people when p = 1 / mean.
      if (size.mean_people > 1.0) {
        people = 1.0 + boost::random::geometric_distribution<int>(1.0 / size.mean_people)(engine);
      }
      break;
    case SizeDistribution::lognormal: {
      // log-normal with arithmetic mean mean_people: mu = ln(mean) - sigma^2 / 2.
      const double mu = std::log(size.mean_people) - 0.5 * size.sigma * size.sigma;
      people = boost::random::lognormal_distribution<double>(mu, size.sigma)(engine);
      break;
    }
  }
  return static_cast<int>(std::clamp(std::round(people), 1.0, double(size.max_people)));
}

// People per segment: shares of the simulated population, the last segment takes the rest.
std::vector<std::int64_t> people_per_segment(const Scenario& scenario) {
  const std::int64_t total = simulated_people(scenario);
  std::vector<std::int64_t> out;
  std::int64_t assigned = 0;
  const auto& segments = scenario.market.segments;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::int64_t n = (i + 1 == segments.size())
                         ? total - assigned
                         : std::llround(static_cast<double>(total) * segments[i].share);
    n = std::clamp<std::int64_t>(n, 0, total - assigned);
    out.push_back(n);
    assigned += n;
  }
  return out;
}

// Appends the accounts of one segment's `people` to acc.first_person as sizes. Account id's size
// is its own draw (id, kSetupStep, population_account_size), so sizes are drawn in parallel, a
// chunk of about the expected count at a time, and cut where the people run out: the accounts
// of drawing them one at a time, the last one cut to the people left.
void draw_segment_accounts(const Model& model, const AccountSize& size, std::int64_t people,
                           std::uint8_t seg, Accounts& acc) {
  std::vector<std::uint32_t>& sizes = acc.first_person;
  std::int64_t left = people;
  while (left > 0) {
    const std::size_t id0 = sizes.size();
    const double expected = static_cast<double>(left) / std::max(1.0, size.mean_people);
    const auto chunk = static_cast<std::size_t>(
        std::min<double>(static_cast<double>(left), expected * 1.05 + 256.0));
    sizes.reserve(id0 + chunk + 1);  // + 1: the end offset, so that no copy follows
    sizes.resize(id0 + chunk);
    for_each_block(chunk, kAccountBlock, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (std::size_t i = id0 + begin; i < id0 + end; ++i) {
        DrawEngine engine(model.streams, static_cast<std::uint32_t>(i), kSetupStep,
                          Decision::population_account_size);
        sizes[i] = static_cast<std::uint32_t>(draw_account_size(size, engine));
      }
    });
    std::size_t id = id0;
    for (; id < id0 + chunk && left > 0; ++id) {
      sizes[id] = static_cast<std::uint32_t>(std::min<std::int64_t>(left, sizes[id]));
      left -= sizes[id];
    }
    sizes.resize(id);
  }
  acc.segment.resize(sizes.size(), seg);
}

void build_accounts(const Model& model, ReplicateState& state) {
  const auto& segments = model.scenario.market.segments;
  const std::vector<std::int64_t> per_segment = people_per_segment(model.scenario);
  Accounts& acc = state.accounts;
  for (std::size_t seg = 0; seg < segments.size(); ++seg) {
    draw_segment_accounts(model, segments[seg].account_size, per_segment[seg],
                          static_cast<std::uint8_t>(seg), acc);
  }
  // Sizes to offsets: first_person[a] is the first person of account a, then one past the end.
  std::uint32_t next_person = 0;
  for (std::uint32_t& first : acc.first_person) next_person += std::exchange(first, next_person);
  acc.first_person.push_back(next_person);
  // Drawn in chunks, so with spare capacity: trimmed before the people and the network are
  // built on top (one-person accounts make these 5 bytes per person).
  acc.first_person.shrink_to_fit();
  acc.segment.shrink_to_fit();
  const std::size_t n = acc.segment.size();
  fill_column(acc.plan, n, Plan::free);
  fill_column(acc.pql, n, std::uint8_t{0});
  fill_column(acc.seats, n, std::int32_t{0});
  fill_column(acc.tier, n, std::uint8_t{0});
  fill_column(acc.origin, n, std::uint8_t{kNoOrigin});
  fill_column(acc.flags, n, std::uint8_t{0});
  // Arrays of a lever that is off stay empty: memory per agent is what the scenario uses.
  const StrategySpec& strategy = model.scenario.strategy;
  if (strategy.plg.enabled && strategy.plg.trial.enabled) {
    acc.trial_end_step.assign(acc.segment.size(), 0);
  }
  if (strategy.slg.enabled) {
    acc.sales_stage.assign(acc.segment.size(), SalesStage::none);
    acc.sales_step.assign(acc.segment.size(), 0);
    acc.sales_due_step.assign(acc.segment.size(), 0);
    acc.contract_end_step.assign(acc.segment.size(), 0);
    acc.contract_seats.assign(acc.segment.size(), 0);
  }
}

Stage draw_start_stage(const InitialSpec& initial, double u) {
  double cumulative = 0.0;
  for (int s = 0; s < kStageCount; ++s) {
    cumulative += initial.stage_shares[s];
    if (u < cumulative) return static_cast<Stage>(s);
  }
  // Rounding left u above the last cumulative share: the last stage with a positive share.
  for (int s = kStageCount - 1; s >= 0; --s) {
    if (initial.stage_shares[s] > 0.0) return static_cast<Stage>(s);
  }
  return Stage::unaware;
}

// The only stage with a positive share, or -1: then every person starts there, whatever the
// draw (draw_start_stage), and the draws are skipped.
int sole_start_stage(const InitialSpec& initial) {
  int sole = -1;
  for (int s = 0; s < kStageCount; ++s) {
    if (!(initial.stage_shares[s] > 0.0)) continue;
    if (sole >= 0) return -1;
    sole = s;
  }
  return sole;
}

// Each person's start stage is its own draw, so blocks of people are placed in parallel; the
// stage counts are summed in block order.
void place_people(const Model& model, ReplicateState& state) {
  const Accounts& acc = state.accounts;
  People& people = state.people;
  people.resize(acc.first_person.back());
  for_each_block(acc.size(), kAccountBlock, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (auto a = static_cast<std::uint32_t>(begin); a < end; ++a) {
      std::fill(people.account.begin() + acc.first_person[a],
                people.account.begin() + acc.first_person[a + 1], a);
    }
  });
  const InitialSpec& initial = model.scenario.initial;
  const int sole = sole_start_stage(initial);
  std::vector<StageCounts> counts(block_count(people.size(), kPeopleBlock));
  for_each_block(people.size(), kPeopleBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (auto p = static_cast<std::uint32_t>(begin); p < end; ++p) {
      Stage stage = static_cast<Stage>(sole);
      if (sole < 0) {
        DrawEngine engine(model.streams, p, kSetupStep, Decision::population_stage);
        stage = draw_start_stage(initial, boost::random::uniform_01<double>()(engine));
      }
      people.stage[p] = stage;
      if (is_active(stage) || stage == Stage::churned) people.flags[p] |= kEverActivated;
      ++counts[b][static_cast<int>(stage)];
    }
  });
  for (const StageCounts& c : counts) {
    for (int s = 0; s < kStageCount; ++s) state.stage_counts[s] += c[s];
  }
  place_initial_members(model, state);
}

// People who start signed up (evaluators and beyond) are seeds of their referral trees.
void start_referrals(const Model& model, ReplicateState& state) {
  People& people = state.people;
  people.referral_root.assign(people.size(), kNoReferral);
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    if (people.stage[p] != Stage::unaware && people.stage[p] != Stage::aware) {
      people.referral_root[p] = p;
    }
  }
  state.referrals.cohort_referrals.assign(static_cast<std::size_t>(model.time.months()), 0);
}

// Active users per account at the start, read by the first step's team effects.
void count_active_users(ReplicateState& state) {
  Accounts& acc = state.accounts;
  acc.active_users.assign(acc.size(), 0);
  for (std::uint32_t a = 0; a < acc.size(); ++a) {
    for (std::uint32_t p = acc.first_person[a]; p < acc.first_person[a + 1]; ++p) {
      acc.active_users[a] += is_active(state.people.stage[p]) ? 1 : 0;
    }
  }
}

}  // namespace

ReplicateState build_population(const Model& model) {
  if (simulated_people(model.scenario) > std::int64_t{0xFFFFFFF0}) {
    throw std::length_error("more than 4e9 simulated people: raise simulation.agent_scale");
  }
  ReplicateState state;
  build_accounts(model, state);
  place_people(model, state);
  state.network = build_network(model, state.accounts);
  count_word_of_mouth_sources(model, state);
  if (model.scenario.strategy.referrals.enabled) start_referrals(model, state);
  // Team effects read the share of active teammates; the self-serve decisions (conversion,
  // seats) the active users at the step's start.
  if (model.scenario.funnel.team_effects() || model.scenario.strategy.plg.enabled) {
    count_active_users(state);
  }
  return state;
}

}  // namespace flywheel::model
