// Reference phase 2 (docs/model.md, "One step", 2): each person's hazards from the spec, the
// levers and the person's own situation, then one competing-risk draw. No transition table, no
// rule classes, no bounds, nobody skipped.
#include "reference_step.hpp"

#include "competing_risks.hpp"

#include "model/referrals.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::reference {

using model::Accounts;
using model::People;
using model::PeopleTally;
using model::Plan;
using model::ReplicateState;
using model::RuleModifiers;

namespace {

// A monthly probability as a hazard; 1 is capped so the rate stays finite.
double hazard(double p_per_month) {
  return rate_from_monthly_probability(std::min(p_per_month, 1.0 - 1e-12));
}

// The share of person p's teammates who were active users at the latest accounts phase,
// rounded to quarters (docs/model.md, "Network effects within accounts").
double team_share(const ReplicateState& state, std::uint32_t p) {
  const Accounts& acc = state.accounts;
  const std::uint32_t a = state.people.account[p];
  const auto size = static_cast<std::int64_t>(acc.first_person[a + 1] - acc.first_person[a]);
  if (size < 2) return 0.0;
  const auto others = std::max<std::int64_t>(0, std::int64_t{acc.active_users[a]} - 1);
  const double share = std::min(1.0, static_cast<double>(others) / double(size - 1));
  return static_cast<double>(std::lround(share * 4)) / 4;
}

// The awareness exits of unaware person p: the channels' rates, on a graph with word of mouth
// q x s_i / k_i from the person's own neighbours.
Exits unaware_exits(const model::Model& model, const model::AwarenessRates& awareness,
                    const ReplicateState& state, std::uint32_t p) {
  std::array<double, kChannelCount> rate = awareness.per_month;
  if (!model.scenario.network.well_mixed()) {
    const std::uint32_t heard = state.word_of_mouth.heard[p];
    const auto degree =
        static_cast<double>(state.network.offsets[p + 1] - state.network.offsets[p]);
    const double sources = static_cast<double>(heard) / model::kSourceUnit;
    rate[int(Channel::word_of_mouth)] =
        heard == 0 ? 0.0 : model.scenario.acquisition.imitation_q_per_month * sources / degree;
  }
  Exits exits;
  for (Channel c : {Channel::organic, Channel::word_of_mouth, Channel::paid, Channel::community,
                    Channel::sales}) {
    exits.add(Stage::aware, c, rate[static_cast<int>(c)]);
  }
  return exits;
}

// The exits of signed-up person p in stage `from`; the factors in the order the levers apply.
Exits person_exits(const model::Model& model, const RuleModifiers& mods,
                   const ReplicateState& state, std::uint32_t p, Stage from) {
  const FunnelSpec& f = model.scenario.funnel;
  const PlgSpec& plg = model.scenario.strategy.plg;
  const People& people = state.people;
  const Plan plan = state.accounts.plan[people.account[p]];
  const bool paid = plan == Plan::paid;
  const bool access = paid || plan == Plan::trial || (plg.enabled && plg.free_tier);
  const bool member = people.flags[p] & model::kActiveMember;
  const bool supported = (people.flags[p] & model::kSupported) &&
                         (from == Stage::evaluator || from == Stage::beginner);
  const bool active = is_active(from);
  double churn = hazard(f.churn_per_month[int(from)]) * mods.churn;
  double signup = hazard(f.signup_per_month);
  double activation = hazard(f.activation_per_month) * mods.activation;
  double adoption = hazard(f.adoption_per_month);
  double advocacy = hazard(f.advocacy_per_month);
  double reactivation = hazard(f.reactivation_per_month);
  if (paid && active) churn *= f.paid_churn_multiplier;
  if (member) {
    if (active || from == Stage::evaluator) churn *= mods.member_churn;
    advocacy *= mods.member_advocacy;
  }
  if (supported) {
    activation *= mods.supported_activation;
    churn *= mods.supported_churn;
  }
  if (!access) {
    signup *= mods.signup_no_access;
    activation = reactivation = 0.0;
  }
  if (f.team_effects() && active) {
    const double s = team_share(state, p);
    adoption *= 1.0 + f.team_adoption_lift * s;
    churn *= std::max(0.0, 1.0 - f.team_churn_reduction * s);
  }
  Exits exits;
  switch (from) {
    case Stage::aware:
      exits.add(Stage::evaluator, {}, signup).add(Stage::unaware, {}, hazard(f.forget_per_month));
      break;
    case Stage::evaluator:
      exits.add(Stage::beginner, {}, activation).add(Stage::churned, {}, churn);
      break;
    case Stage::beginner:
      exits.add(Stage::regular, {}, adoption).add(Stage::churned, {}, churn);
      break;
    case Stage::regular:
      exits.add(Stage::champion, {}, advocacy).add(Stage::churned, {}, churn);
      break;
    case Stage::champion:
      exits.add(Stage::churned, {}, churn);
      break;
    case Stage::churned:
      exits.add(Stage::beginner, {}, reactivation);
      break;
    case Stage::unaware:
      break;
  }
  return exits;
}

// Person p to stage `to`, counted in the step's net change of stages.
void move_person(People& people, std::uint32_t p, Stage to, PeopleTally& t) {
  --t.stage_change[static_cast<int>(people.stage[p])];
  ++t.stage_change[static_cast<int>(to)];
  people.stage[p] = to;
}

// What a move along exit e means (docs/model.md, "One step", 2): the channel credited with an
// awareness, a signup's step and referral tree, an activation's time to value, a reactivation
// (as an evaluator again if the person never activated), a churn.
void take_exit(People& people, std::uint32_t p, const Exit& e, int step, PeopleTally& t) {
  const Stage from = people.stage[p];
  Stage to = e.to;
  if (from == Stage::unaware) {
    people.channel[p] = e.channel;
    ++t.awareness[static_cast<int>(e.channel)];
  } else if (from == Stage::aware && to == Stage::evaluator) {
    people.signup_step[p] = step;
    ++t.signups[static_cast<int>(people.channel[p])];
    const bool referrals = !people.referral_root.empty();
    if (referrals && people.referral_root[p] == model::kNoReferral) people.referral_root[p] = p;
  } else if (from == Stage::evaluator && to == Stage::beginner) {
    people.flags[p] |= model::kEverActivated;
    ++t.activations;
    const int waited = step - people.signup_step[p] - 1;  // whole steps since the signup step
    const auto bin = static_cast<std::size_t>(std::min(waited, model::kTtvBins - 1));
    if (t.ttv_steps.size() <= bin) t.ttv_steps.resize(bin + 1, 0);
    ++t.ttv_steps[bin];
  } else if (from == Stage::beginner && to == Stage::regular) {
    ++t.adoptions;
  } else if (from == Stage::regular && to == Stage::champion) {
    ++t.advocacies;
  } else if (from == Stage::churned) {
    ++t.reactivations;
    if (!(people.flags[p] & model::kEverActivated)) {
      to = Stage::evaluator;
      people.signup_step[p] = step;
    }
  }
  if (to == Stage::churned) {
    ++t.churn[static_cast<int>(from)];
    if ((people.flags[p] & model::kActiveMember) && is_active(from)) ++t.member_churns;
  }
  move_person(people, p, to, t);
}

// Person p's transition words (person, step, transition), drawn whatever the hazards; returns
// whether p moved.
bool apply_draw(const model::Model& model, const Exits& exits, double exposure,
                ReplicateState& state, std::uint32_t p, int step, PeopleTally& t) {
  const auto w = model.streams.words(p, static_cast<std::uint32_t>(step), Decision::transition);
  const std::optional<Exit> exit = exits.draw(w[0], w[1], exposure);
  if (exit) take_exit(state.people, p, *exit, step, t);
  return exit.has_value();
}

}  // namespace

void advance_people(const model::Model& model, const model::AwarenessRates& awareness,
                    const RuleModifiers& modifiers, ReplicateState& state, int step, int month,
                    std::vector<PeopleTally>& blocks) {
  for (PeopleTally& t : blocks) {
    t.stage_change = {};
    t.invites.clear();
  }
  PeopleTally& tally = blocks.front();  // flows are sums: one block holds them all
  const model::ReferralRates referrals = model::referral_rates(model, month);
  const double dt = model.time.step_months();
  People& people = state.people;
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    const Stage from = people.stage[p];
    if (from == Stage::unaware) {
      apply_draw(model, unaware_exits(model, awareness, state, p), dt, state, p, step, tally);
      continue;
    }
    if (referrals.on) model::draw_invites(model, referrals, state, p, from, step, tally.invites);
    const Exits exits = person_exits(model, modifiers, state, p, from);
    // The activation window: floor(W / step) whole steps, then the rest of a step at the same
    // rates; an evaluator who has not activated by then drops out.
    const int waited = step - people.signup_step[p] - 1;
    const bool last = from == Stage::evaluator && model.window_full_steps >= 0 &&
                      waited >= model.window_full_steps;
    const double exposure = last ? model.window_last_exposure_months : dt;
    const bool moved = apply_draw(model, exits, exposure, state, p, step, tally);
    if (last && !moved) {
      move_person(people, p, Stage::churned, tally);
      ++tally.evaluator_dropouts;
    }
  }
  if (referrals.on) model::apply_invites(model, state, step, blocks);
}

}  // namespace flywheel::reference
