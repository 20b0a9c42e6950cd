#include "teammates.hpp"

#include <cmath>

namespace flywheel::model {

void invite_teammates(const Model& model, ReplicateState& state, std::uint32_t a, int step,
                      double active, AccountTally& tally) {
  const double rate = model.scenario.funnel.teammate_invites_per_month;
  const Accounts& acc = state.accounts;
  const std::uint32_t first = acc.first_person[a], last = acc.first_person[a + 1];
  if (rate <= 0.0 || !(active > 0.0) || last - first < 2) return;
  const double hazard = rate * active / static_cast<double>(last - first - 1);
  const std::uint64_t threshold =
      probability_threshold(-std::expm1(-hazard * model.time.step_months()));
  People& people = state.people;
  for (std::uint32_t p = first; p < last; ++p) {
    const Stage s = people.stage[p];
    if (s != Stage::unaware && s != Stage::aware) continue;
    if (model.streams.words(p, static_cast<std::uint32_t>(step), Decision::teammate_invite)[0] >=
        threshold) {
      continue;
    }
    people.stage[p] = Stage::evaluator;
    people.channel[p] = Channel::team;
    people.signup_step[p] = step;
    if (!people.referral_root.empty() && people.referral_root[p] == kNoReferral) {
      people.referral_root[p] = p;  // a seed of its own: not a referral's signup
    }
    --tally.stage_change[static_cast<int>(s)];
    ++tally.stage_change[static_cast<int>(Stage::evaluator)];
    ++tally.signups_team;
  }
}

}  // namespace flywheel::model
