#include "trial.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::model {

TrialRules trial_rules(const Model& model) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  const TrialSpec& trial = plg.trial;
  if (!plg.enabled || !trial.enabled) return {};
  const double conversion =
      trial.card_required ? trial.conversion_with_card : trial.conversion_without_card;
  const double steps = std::max(0.0, model.time.steps_in_days(trial.days) - 0.5);
  const double whole = std::floor(steps);
  return {true, static_cast<int>(whole), probability_threshold(steps - whole),
          probability_threshold(conversion)};
}

double trial_signup_multiplier(const Model& model) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  const bool card = plg.enabled && plg.trial.enabled && plg.trial.card_required;
  return card ? plg.trial.card_signup_multiplier : 1.0;
}

TrialEvent step_trial(const Model& model, const TrialRules& rules, Accounts& accounts,
                      std::uint32_t a, int step, int engaged, int active) {
  if (!rules.offered) return TrialEvent::none;
  Plan& plan = accounts.plan[a];
  if (plan == Plan::free && engaged > 0 && !(accounts.flags[a] & kTrialed)) {
    plan = Plan::trial;
    accounts.flags[a] |= kTrialed;
    const bool longer =
        model.streams.words(a, static_cast<std::uint32_t>(step), Decision::trial)[1] < rules.longer;
    accounts.trial_end_step[a] = step + std::max(1, rules.length_steps + (longer ? 1 : 0));
    return TrialEvent::started;
  }
  if (plan != Plan::trial || step < accounts.trial_end_step[a]) return TrialEvent::none;
  const bool converts = active > 0 && model.streams.words(a, static_cast<std::uint32_t>(step),
                                                          Decision::trial)[0] < rules.conversion;
  plan = converts ? Plan::paid : Plan::free;
  return converts ? TrialEvent::converted : TrialEvent::expired;
}

}  // namespace flywheel::model
