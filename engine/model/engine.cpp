#include <flywheel/model/engine.hpp>

#include "accounts.hpp"
#include "annual_cohorts.hpp"
#include "channels.hpp"
#include "community.hpp"
#include "community_programs.hpp"
#include "flywheel.hpp"
#include "midpoint.hpp"
#include "model.hpp"
#include "money.hpp"
#include "month_ledger.hpp"
#include "network_word_of_mouth.hpp"
#include "population.hpp"
#include "product_quality.hpp"
#include "referrals.hpp"
#include "sales.hpp"
#include "step.hpp"
#include "trial.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <mutex>

namespace flywheel {

namespace {

// Hazard multipliers from the levers in force: onboarding quality, a card-required trial, and
// the community's (member churn, support, champion advocacy, co-created product quality).
model::RuleModifiers rule_modifiers(const model::Model& m, const model::CommunityState& c,
                                    int month) {
  model::RuleModifiers mods;
  mods.activation = m.onboarding_activation_multiplier(month);
  mods.signup_no_access = model::trial_signup_multiplier(m);
  const ClgSpec& clg = m.scenario.strategy.clg;
  if (!clg.enabled) return mods;
  mods.member_churn = clg.member_churn_multiplier.at(month);
  if (clg.support.enabled) {
    mods.supported_activation = clg.support.activation_multiplier;
    mods.supported_churn = clg.support.early_churn_multiplier;
  }
  if (clg.champions.enabled) mods.member_advocacy = clg.champions.advocacy_multiplier;
  mods.product_activation = clg.motive_effects.product.activation_multiplier;
  mods.product_churn = clg.motive_effects.product.churn_multiplier;
  const model::QualityMultipliers quality = model::quality_multipliers(clg, c.product_quality);
  mods.activation *= quality.activation;
  mods.churn *= quality.churn;
  return mods;
}

// Phase 2 as the engine runs it: this step's transition table, then every person under it.
void advance_people_phase(const model::Model& m, const model::AwarenessRates& awareness,
                          const model::RuleModifiers& modifiers, model::ReplicateState& state,
                          int s, int month, std::vector<model::PeopleTally>& blocks) {
  //    (with referral invites: drawn per referrer, applied serially after the pass)
  model::TransitionTable table = model::transition_table(m, awareness, modifiers);
  table.referrals = model::referral_rates(m, month);
  model::advance_people(m, table, state, s, blocks);
}

// One step of the model: the phases of docs/design.md#the-step, in order.
void step(const model::Model& m, const model::StepPhases& phases, model::ReplicateState& state,
          int s, model::MonthLedger& ledger) {
  const int month = m.time.month_of_step(s);
  // 1. channels bring awareness (rates from the stocks predicted at the step's middle)
  model::advance_drivers(m, state);
  const model::AwarenessRates awareness = model::awareness_rates(m, state, month);
  // 2. individual transitions through the flywheel
  const model::RuleModifiers modifiers = rule_modifiers(m, state.community, month);
  phases.people(m, awareness, modifiers, state, s, month, ledger.people_blocks());
  // 3. accounts: PQLs, conversion, seats, cancellation, MRR movements
  phases.accounts(m, state, s, month, ledger.account_blocks());
  //    sales floor: queue new SQLs, reps take deals as slots free up (serial, in account order)
  model::assign_deals(m, state, s, month, ledger.account_blocks());
  // 4. community: membership, engagement and programs; then co-creation moves product quality
  phases.community(m, state, s, month, ledger.community_blocks());
  //    (on a network: neighbours' word-of-mouth source counts for the next step)
  model::update_word_of_mouth_sources(m, state);
  ledger.end_step(state);
  model::update_product_quality(m, state.community);
  if (m.time.closes_month(s)) {
    // 5. money, 6. metrics of the month (with the accounts' annual cohorts)
    model::close_cohort_month(m, state, month, ledger.account_blocks());
    ledger.close_month(state, model::month_spend(m, month));
  }
}

}  // namespace

namespace model {

const StepPhases& engine_phases() {
  static constexpr StepPhases phases{advance_people_phase, advance_accounts, advance_community};
  return phases;
}

ReplicateResult run_replicate(const Scenario& scenario, std::uint32_t replicate,
                              const StepPhases& phases, const MonthWatch& watch) {
  const Model m(scenario, replicate);
  ReplicateState state = build_population(m);
  MonthLedger ledger(m, state);
  for (int s = 0; s < m.time.steps(); ++s) {
    step(m, phases, state, s, ledger);
    if (watch && m.time.closes_month(s) && !watch(ledger.months()))
      return {replicate, ledger.take_months(), {}};
  }
  if (!scenario.strategy.referrals.enabled) return {replicate, ledger.take_months(), {}};
  ledger.close_referrals(state);
  return {replicate, ledger.take_months(), cascade_histogram(state.people)};
}

}  // namespace model

ReplicateResult run_replicate(const Scenario& scenario, std::uint32_t replicate) {
  return model::run_replicate(scenario, replicate, model::engine_phases());
}

ReplicateResult run_replicate(const Scenario& scenario, std::uint32_t replicate,
                              const MonthWatch& watch) {
  return model::run_replicate(scenario, replicate, model::engine_phases(), watch);
}

ThreadLimit::ThreadLimit(int threads) {
  if (threads > 0) {
    limit_ = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                   static_cast<std::size_t>(threads));
  }
}

ThreadLimit::~ThreadLimit() = default;

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunResult result{scenario, {}};
  const int n = scenario.simulation.replicates;
  result.replicates.resize(static_cast<std::size_t>(n));
  std::mutex progress_mutex;
  int done = 0;
  auto body = [&] {
    tbb::parallel_for(0, n, [&](int r) {
      result.replicates[r] = run_replicate(scenario, static_cast<std::uint32_t>(r));
      if (options.on_progress) {
        std::lock_guard lock(progress_mutex);
        options.on_progress(++done, n);
      }
    });
  };
  if (options.threads > 0) {
    // The global limit lets an explicit thread count exceed the core count (TBB otherwise caps
    // workers at cores - 1); the arena keeps this run to exactly that many threads.
    const ThreadLimit limit(options.threads);
    tbb::task_arena arena(options.threads);
    arena.execute(body);
  } else {
    body();
  }
  return result;
}

}  // namespace flywheel
