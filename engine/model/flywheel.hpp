// Phase 2: individual transitions through the PLG flywheel
//   unaware -> aware -> evaluator -> beginner -> regular -> champion, churn, reactivation.
// Each stage has competing exits with hazard rates lambda_i (per month); in a step of length dt
// a person leaves with probability 1 - exp(-sum(lambda) dt) and takes exit i with probability
// lambda_i / sum(lambda). Monthly probabilities p enter as lambda = -ln(1 - p), so a single
// exit keeps exactly its monthly probability whatever the step.
#pragma once

#include "channels.hpp"
#include "model.hpp"
#include "model_state.hpp"
#include "referrals.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace flywheel::model {

struct Exit {
  Stage to = Stage::unaware;
  Channel channel = Channel::initial;  // for unaware -> aware: the channel responsible
  std::uint64_t upto = 0;              // taken when the second word < upto (cumulative)
};

// The most exits of one stage's rule: the unaware rule has one per awareness channel
// (channels.inc, aware = yes); every other stage has two at most.
inline constexpr int kMaxExits = std::max<int>(2, kAwarenessChannels.size());

struct StageRule {
  std::uint64_t leave = 0;       // leave when the first word < leave
  std::uint64_t leave_half = 0;  // the same over half the exposure (an arrival's usual rest)
  double per_month = 0.0;        // the exits' total hazard (leave = 1 - exp(-per_month x exposure))
  int exits = 0;
  std::array<Exit, kMaxExits> exit{};
};

// Which variant of the stage rules applies to a person: bits of the person's situation, read
// from the previous step's state. Each class has its own precomputed rules.
enum RuleClassBit : std::uint8_t {
  kRulePaid = 1u << 0,       // the account pays: churn x funnel.paid_churn_multiplier
  kRuleNoAccess = 1u << 1,   // the account has no access: no activation, no reactivation
  kRuleMember = 1u << 2,     // an active community member: churn x the member multiplier
  kRuleSupported = 1u << 3,  // a beginner whose questions the community answered
  // ... answered during the previous step: the answer missed, on average, half that step, so
  // the support's multipliers act 1.5 times as far from 1 for one step
  kRuleCatchUp = 1u << 4,
  kRuleProduct = 1u << 5,  // a member who came for the product (motive_effects.product)
};
inline constexpr int kRuleClasses = 64;

// Multipliers of the monthly hazards, from the levers in force this step.
struct RuleModifiers {
  double activation = 1.0;            // all activations: onboarding quality x product quality
  double churn = 1.0;                 // all churn hazards: product quality
  double signup_no_access = 1.0;      // signups of people whose account has no access
  double member_churn = 1.0;          // kRuleMember
  double supported_activation = 1.0;  // kRuleSupported evaluators and beginners
  double supported_churn = 1.0;       // kRuleSupported evaluators and beginners
  double member_advocacy = 1.0;       // kRuleMember regulars -> champions (champion program)
  double product_activation = 1.0;    // kRuleProduct evaluators
  double product_churn = 1.0;         // kRuleProduct evaluators and active users
};

inline constexpr int kTeamBins = 5;  // shares 0, 1/4, 1/2, 3/4, 1

struct TransitionTable {
  std::array<std::array<StageRule, kStageCount>, kRuleClasses> rules{};
  std::array<StageRule, kRuleClasses> evaluator_last{};  // last step of the activation window
  std::array<std::uint8_t, 4> plan_bits{};               // class bits of an account's Plan
  ReferralRates referrals;                               // this step's invite rates
  // Team effects (funnel.team_*): rules of beginners, regulars and champions by the share of
  // active teammates in quarters, team[bin][class][stage - beginner]; bin 0 = rules above.
  bool team_on = false;
  std::array<std::array<std::array<StageRule, 3>, kRuleClasses>, kTeamBins> team{};
  // Word of mouth over a network (network.hpp): the unaware rule above leaves word of mouth out,
  // and an unaware person with source neighbours gets a rule of its own from these.
  bool graph = false;
  std::array<double, kChannelCount> unaware_per_month{};  // channel rates, word of mouth 0
  double imitation_q_per_month = 0.0;
  std::uint16_t most_source_weight = 0;  // the largest weight of a source (1 / kSourceUnit)
  double dt_months = 0.0;
  // Stages no one leaves this step, whatever their class or team (e.g. aware in Bass): their
  // people are skipped without a draw, exactly as the rule would (leave 0 draws nothing).
  std::array<bool, kStageCount> inert{};
  // Per stage, the largest leave threshold of any of its rules this step (every class, team bin
  // and, for unaware people on a graph, any share of source neighbours): a person whose leave
  // word is at or above it stays, known before looking at the person. Evaluators get 2^32 (no
  // word reaches it): their activation window may end even if they stay.
  std::array<std::uint64_t, kStageCount> leave_max{};
  // The same, sixteen people at a time: bit s of live_stages is set when stage s is not inert;
  // a word at or above leave_hi (the largest bound below 2^32) stays in every stage outside
  // never_stay (bit s: the bound of stage s is 2^32).
  std::uint8_t live_stages = 0;
  std::uint8_t never_stay = 0;
  std::uint32_t leave_hi = 0;
};

// Class bits that come from the person rather than the account (flags and community byte).
constexpr int person_rule_bits(std::uint8_t flags, std::uint8_t community, Stage stage) {
  int bits = (flags & kActiveMember) ? kRuleMember : 0;
  if (community != 0 && member_byte::motive(community) == Motive::product) bits |= kRuleProduct;
  if ((flags & kSupported) && (stage == Stage::evaluator || stage == Stage::beginner)) {
    bits |= kRuleSupported;
    if (flags & kJustSupported) bits |= kRuleCatchUp;
  }
  return bits;
}

// The unaware rule for these awareness rates per channel (per month) over dt months; on a graph,
// the people phase builds one per (sources, degree) pair with the word-of-mouth rate filled in.
StageRule unaware_rule(const std::array<double, kChannelCount>& per_month, double dt);

// This step's rules (transition_table.cpp).
TransitionTable transition_table(const Model& model, const AwarenessRates& awareness,
                                 const RuleModifiers& modifiers);

// Time-to-value histogram in steps (bin k: activation k steps after the signup step, 0 in the
// signup step itself); the last bin collects everything longer.
inline constexpr int kTtvBins = 1024;

// Counts of one block of people: flows accumulate over a month; stage_change is this step's
// net change of each stage's count (counting moves, not people, keeps the loop free of a
// per-person increment).
struct PeopleTally {
  StageCounts stage_change{};
  std::array<std::int64_t, kChannelCount> awareness{};
  std::array<std::int64_t, kChannelCount> signups{};
  StageCounts churn{};
  // the month's flows, one per line of counters_people.inc (summed into MonthRecord)
#define FLYWHEEL_COUNTER(name) std::int64_t name = 0;
#include <flywheel/spec/counters_people.inc>
#undef FLYWHEEL_COUNTER
  // Activations by steps since the signup step, up to the longest wait seen (bins of kTtvBins;
  // grown on demand, so that closing a month sums and clears only the bins in use).
  std::vector<std::int64_t> ttv_steps;
  std::vector<Invite> invites;  // this step's accepted invites, in referrer order
};

// The rest of the step after a move (docs/model.md#time). A move falls, on average, at the
// middle of the exposure it was drawn over; the person then has the rest of the step in its new
// stage: one more competing-risk draw under that stage's rule, and so on, up to kMaxArrivals
// draws. An evaluator's draw covers the part of its activation window that the signup step holds
// (the window runs from the middle of the signup step), and it drops out if the window ends
// there. Arrival k (0-based) of person p draws words 2 and 3 of its transition block
// `index + k` (index 0 in the people phase, kInviteeIndex for an accepted invitee).
inline constexpr int kMaxArrivals = 3;
inline constexpr std::uint32_t kInviteeIndex = 1u << 16;

// Where a person's step ends: `at` is the time of its latest change, months into the step; with
// referrals, `invite_months` sums invites per month x months in each stage left so far.
struct StepPath {
  double at = 0.0;
  double invite_months = 0.0;
};

// Person p, who moved at path.at, through the rest of the step.
void arrive(const Model& model, const TransitionTable& table, ReplicateState& state,
            std::uint32_t p, int step, std::uint32_t index, StepPath& path, PeopleTally& tally);

// Applies one step to every person (reading account plans of the previous step), then the
// accepted referral invites; blocks[b] receives the counts of people block b.
void advance_people(const Model& model, const TransitionTable& table, ReplicateState& state,
                    int step, std::vector<PeopleTally>& blocks);

}  // namespace flywheel::model
