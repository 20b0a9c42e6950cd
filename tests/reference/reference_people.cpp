// Reference phase 2 (docs/model.md, "One step", 2): each person's hazards from the spec, the
// levers and the person's own situation, then one competing-risk draw. No transition table, no
// rule classes, no bounds, nobody skipped.
#include "reference_step.hpp"

#include "competing_risks.hpp"

#include "model/network_word_of_mouth.hpp"
#include "model/referrals.hpp"
#include "model/teammates.hpp"

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
    // The sources at the step's middle, from the last two step ends: s + (s - s_before) / 2,
    // at most every neighbour at the largest weight.
    const double heard = state.word_of_mouth.heard[p];
    const double before = state.word_of_mouth.heard_before[p];
    const auto degree =
        static_cast<double>(state.network.offsets[p + 1] - state.network.offsets[p]);
    const double most = degree * model::max_source_weight(model.scenario);
    const double sources =
        std::min(most, std::max(0.0, heard + (heard - before) / 2)) / model::kSourceUnit;
    rate[int(Channel::word_of_mouth)] =
        sources > 0 ? model.scenario.acquisition.imitation_q_per_month * sources / degree : 0.0;
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
  const bool product_member =
      people.community[p] != 0 && model::member_byte::motive(people.community[p]) == Motive::product;
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
    // Answered during the previous step, on average at its middle: this step makes up the
    // half step the answer missed, the multipliers 1.5 times as far from 1.
    const bool catch_up = people.flags[p] & model::kJustSupported;
    activation *=
        catch_up ? std::max(0.0, 1.5 * mods.supported_activation - 0.5) : mods.supported_activation;
    churn *= catch_up ? std::max(0.0, 1.5 * mods.supported_churn - 0.5) : mods.supported_churn;
  }
  if (product_member) {  // members who came for the product learn it
    activation *= mods.product_activation;
    if (active || from == Stage::evaluator) churn *= mods.product_churn;
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
    const int waited = step - people.signup_step[p];  // steps since the signup step
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
    const bool member = people.flags[p] & model::kActiveMember;
    if (member && is_active(from)) ++t.member_churns;
    if (member && from == Stage::beginner) ++t.member_beginner_churns;
    if (member && from == Stage::champion) ++t.member_champion_churns;
  }
  move_person(people, p, to, t);
}

// Person p's exits in its current stage.
Exits exits_of(const model::Model& model, const model::AwarenessRates& awareness,
               const RuleModifiers& mods, const ReplicateState& state, std::uint32_t p) {
  const Stage at = state.people.stage[p];
  return at == Stage::unaware ? unaware_exits(model, awareness, state, p)
                              : person_exits(model, mods, state, p, at);
}

// The rest of the step after a move (docs/model.md#time): `at` is the time of the move, months
// into the step. The new stage's exits over the rest of the step (an evaluator's over what the
// signup step holds of its window: the window runs from the step's middle; if it is shorter,
// the evaluator drops out at its end), decided by words 2 and 3 of the transition block
// `index + k` for the k-th such draw; a move falls at the middle of the draw's exposure, and
// the next stage has the rest, up to model::kMaxArrivals draws. `invites` adds each stage's
// invites per month x the months spent in it.
void arrive(const model::Model& model, const model::AwarenessRates& awareness,
            const RuleModifiers& mods, const model::ReferralRates& referrals, ReplicateState& state,
            std::uint32_t p, int step, std::uint32_t index, double& at, double& invites,
            PeopleTally& t) {
  const double dt = model.time.step_months();
  for (std::uint32_t k = 0; k < model::kMaxArrivals && at < dt; ++k) {
    const Stage stage = state.people.stage[p];
    const bool evaluator = stage == Stage::evaluator && model.window_months > 0.0;
    const bool window_ends = evaluator && model.window_months <= dt / 2;
    const double exposure = window_ends ? model.window_months : evaluator ? dt / 2 : dt - at;
    const auto w =
        model.streams.words(p, static_cast<std::uint32_t>(step), Decision::transition, index + k);
    const std::optional<Exit> exit =
        exits_of(model, awareness, mods, state, p).draw(w[2], w[3], exposure);
    if (!exit && !window_ends) return;
    const double next = std::min(dt, at + (exit ? exposure / 2 : exposure));
    invites += referrals.per_month(stage) * (next - at);
    at = next;
    if (exit) {
      take_exit(state.people, p, *exit, step, t);
    } else {
      move_person(state.people, p, Stage::churned, t);
      ++t.evaluator_dropouts;
    }
  }
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

// The exposure of evaluator p's draw this step: a whole step while its activation window runs,
// else the window's last part (a signup falls at the middle of its step; people who start the
// run as evaluators signed up at its start). `last` says whether the window ends.
double evaluator_exposure(const model::Model& model, const People& people, std::uint32_t p,
                          int step, bool& last) {
  const std::int32_t signup = people.signup_step[p];
  const bool initial = signup < 0;
  const int full = initial ? model.initial_window_full_steps : model.window_full_steps;
  last = full >= 0 && step - signup - 1 >= full;
  if (!last) return model.time.step_months();
  return initial ? model.initial_window_last_months : model.window_last_exposure_months;
}

// One end of the step's exposure to churn (docs/model.md, "Member and non-member retention"):
// every active user, beginner and champion, and those who are active community members,
// counted once.
void count_exposure(const People& people, PeopleTally& t) {
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    const Stage s = people.stage[p];
    if (!is_active(s)) continue;
    const bool member = people.flags[p] & model::kActiveMember;
    ++t.user_halfsteps;
    if (member) ++t.member_user_halfsteps;
    if (s == Stage::beginner) {
      ++t.beginner_halfsteps;
      if (member) ++t.member_beginner_halfsteps;
    }
    if (s == Stage::champion) {
      ++t.champion_halfsteps;
      if (member) ++t.member_champion_halfsteps;
    }
  }
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
  count_exposure(state.people, tally);   // the active users at the step's start...
  const model::ReferralRates referrals = model::referral_rates(model, month);
  const double dt = model.time.step_months();
  People& people = state.people;
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    const Stage from = people.stage[p];
    bool last = false;
    double exposure =
        from == Stage::evaluator ? evaluator_exposure(model, people, p, step, last) : dt;
    // A teammate invited during the last step's accounts phase (at its middle, on average)
    // evaluates over the half step it missed too.
    const double late =
        from == Stage::evaluator && model::invited_last_step(people, p, step) ? dt / 2 : 0.0;
    exposure += late;
    const bool moved = apply_draw(model, exits_of(model, awareness, modifiers, state, p), exposure,
                                  state, p, step, tally);
    // A move falls at the middle of the draw's exposure, a dropout at the window's end.
    double at = std::max(0.0, (moved ? exposure / 2 : exposure) - late);
    double invites = referrals.per_month(from) * at;
    if (!moved && last) {
      move_person(people, p, Stage::churned, tally);
      ++tally.evaluator_dropouts;
    }
    if (moved || last)
      arrive(model, awareness, modifiers, referrals, state, p, step, 0, at, invites, tally);
    if (!referrals.on) continue;
    invites += referrals.per_month(people.stage[p]) * (dt - at);
    model::draw_invites(model, referrals, state, p, invites, step, tally.invites);
  }
  if (referrals.on) {
    model::apply_invites(model, state, step, blocks, [&](std::uint32_t q, PeopleTally& t) {
      double at = dt / 2, invites = 0.0;  // an invite is accepted, on average, mid-step
      arrive(model, awareness, modifiers, referrals, state, q, step, model::kInviteeIndex, at,
             invites, t);
    });
  }
  count_exposure(people, tally);  // ...and at its end
}

}  // namespace flywheel::reference
