#include "referrals.hpp"

#include "flywheel.hpp"

#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>

namespace flywheel::model {

ReferralRates referral_rates(const Model& model, int month) {
  const ReferralSpec& r = model.scenario.strategy.referrals;
  ReferralRates rates;
  if (!r.enabled) return rates;
  rates.on = true;
  rates.regular_per_month = std::max(0.0, r.regular_invites_per_month.at(month));
  rates.champion_per_month = std::max(0.0, r.champion_invites_per_month.at(month));
  rates.accept = probability_threshold(r.acceptance_probability());
  return rates;
}

void draw_invites(const Model& model, const ReferralRates& rates, const ReplicateState& state,
                  std::uint32_t p, double mean, int step, std::vector<Invite>& out) {
  if (!(mean > 0.0) || rates.accept == 0) return;
  DrawEngine engine(model.streams, p, static_cast<std::uint32_t>(step), Decision::referral);
  const int invites = boost::random::poisson_distribution<int, double>(mean)(engine);
  const Network& net = state.network;
  const auto people = static_cast<std::uint32_t>(state.people.size());
  for (int i = 0; i < invites; ++i) {
    std::uint32_t invitee = 0;
    if (net.well_mixed()) {
      invitee = boost::random::uniform_int_distribution<std::uint32_t>(0, people - 1)(engine);
    } else {
      const auto contacts = net.neighbours(p);
      if (contacts.empty()) return;
      const auto last = static_cast<std::uint32_t>(contacts.size() - 1);
      invitee = contacts[boost::random::uniform_int_distribution<std::uint32_t>(0, last)(engine)];
    }
    if (engine() < rates.accept) out.push_back({p, invitee});
  }
}

namespace {

// One accepted referral: the invitee signs up now, in the referrer's tree and cohort.
void accept(const Model& model, ReplicateState& state, const Invite& inv, int step,
            PeopleTally& tally) {
  People& people = state.people;
  ReferralLedger& ledger = state.referrals;
  const std::uint32_t q = inv.invitee;
  std::uint32_t& root = people.referral_root[inv.referrer];
  if (root == kNoReferral) root = inv.referrer;  // an active user who never signed up (onboarded)
  people.referral_root[q] = root;
  --tally.stage_change[static_cast<int>(people.stage[q])];
  ++tally.stage_change[static_cast<int>(Stage::evaluator)];
  people.stage[q] = Stage::evaluator;
  people.channel[q] = Channel::referral;
  ++tally.signups[static_cast<int>(Channel::referral)];
  const std::int32_t referrer_signup = people.signup_step[inv.referrer];
  people.signup_step[q] = step;
  if (referrer_signup < 0) return;  // signed up before step 0: no cohort, no cycle time
  ledger.cycle_steps += step - referrer_signup;
  ++ledger.cycles;
  const int cohort = model.time.month_of_step(referrer_signup);
  if (model.time.month_of_step(step) - cohort < kCohortMonths) ++ledger.cohort_referrals[cohort];
}

}  // namespace

void apply_invites(const Model& model, ReplicateState& state, int step,
                   std::vector<PeopleTally>& blocks, const ArrivalRule& arrive) {
  const auto& stage = state.people.stage;
  for (PeopleTally& tally : blocks) {
    for (const Invite& inv : tally.invites) {
      const Stage s = stage[inv.invitee];
      if (s != Stage::unaware && s != Stage::aware) continue;
      accept(model, state, inv, step, tally);
      arrive(inv.invitee, tally);
    }
    tally.invites.clear();
  }
}

std::vector<std::int64_t> cascade_histogram(const People& people) {
  const std::vector<std::uint32_t>& root = people.referral_root;
  std::vector<std::uint32_t> size(root.size(), 0);
  for (std::uint32_t r : root) {
    if (r != kNoReferral) ++size[r];
  }
  std::vector<std::int64_t> histogram;
  for (std::size_t p = 0; p < root.size(); ++p) {
    if (root[p] != p) continue;  // not a seed
    if (size[p] >= histogram.size()) histogram.resize(size[p] + 1, 0);
    ++histogram[size[p]];
  }
  return histogram;
}

}  // namespace flywheel::model
