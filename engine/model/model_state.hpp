// The state of one replicate, structure-of-arrays: one array per attribute, sized once.
// People of one account are contiguous, so an account is the range [first, first_next).
#pragma once

#include "kernels/column.hpp"
#include "network/network.hpp"

#include <flywheel/spec/metrics.hpp>
#include <flywheel/spec/scenario.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

namespace flywheel::model {

// Bits 0-3 belong to the flywheel and accounts, 4-7 to the community.
enum PersonFlag : std::uint8_t {
  kEverActivated = 1u << 0,
  kActiveMember = 1u << 4,  // an active community member (churns x the member multiplier)
  kSupported = 1u << 5,     // the community answered this person's questions
  kEverMember = 1u << 6,    // joined the community at some point
  // answered by support during the previous step (on average at its middle): its effect there
  // is made up in the step after (kRuleCatchUp); cleared by the next community phase
  kJustSupported = 1u << 7,
};

// A person's community byte (People::community), packed and unpacked here only: the engagement
// level in bits 0-2 (Engagement, 0 = not a member) and the member's motive in bits 3-4. A
// non-member's byte is 0, so `byte != 0` is membership, as the vector scans test it.
namespace member_byte {
inline constexpr std::uint8_t kLevelMask = 0x07;
inline constexpr int kMotiveShift = 3;
static_assert(kEngagementLevels <= kLevelMask + 1 && kMotives <= 4, "level and motive fit");

constexpr int level(std::uint8_t byte) {
  return byte & kLevelMask;
}
constexpr Motive motive(std::uint8_t byte) {
  return static_cast<Motive>((byte >> kMotiveShift) & 3);
}
// A member at `level` with `motive`; level 0 (left or never joined) is 0 whatever the motive.
constexpr std::uint8_t pack(int level, Motive motive) {
  return level == 0 ? std::uint8_t{0}
                    : static_cast<std::uint8_t>(level | static_cast<int>(motive) << kMotiveShift);
}
}  // namespace member_byte

struct People {
  Column<Stage> stage;
  Column<std::uint8_t> flags;  // PersonFlag bits
  Column<Channel> channel;     // how the person became aware
  Column<std::uint32_t> account;
  Column<std::int32_t> signup_step;  // step of the latest signup (evaluator entry)
  Column<std::uint8_t> community;    // level and motive of a member, 0 otherwise (member_byte)
  // Referrals (empty when strategy.referrals is off): the seed of the person's referral tree,
  // the person itself for a seed (a signup not caused by a referral), kNoReferral before any
  // signup.
  std::vector<std::uint32_t> referral_root;

  std::size_t size() const { return stage.size(); }
  void resize(std::size_t n);
};

inline constexpr std::uint32_t kNoReferral = 0xFFFFFFFFu;

// Cohort K counts the referral signups a signup cohort causes within this many months.
inline constexpr int kCohortMonths = 12;

// Running totals of the serial referral pass (referrals.hpp).
struct ReferralLedger {
  std::vector<std::int64_t> cohort_referrals;  // [m]: referral signups caused by month m's signups
  std::int64_t cycle_steps = 0;                // sum of steps from referrer's signup to referred's
  std::int64_t cycles = 0;                     // referral signups with a known referrer signup
};

// Annual retention compares each account with itself this many month ends ago.
inline constexpr int kAnnualMonths = 12;

// free: no paid plan (on the free tier if there is one, else a prospect without access);
// trial: a running trial; paid; cancelled: paid before, not now.
enum class Plan : std::uint8_t { free = 0, trial, paid, cancelled };

enum AccountFlag : std::uint8_t {
  kTrialed = 1u << 0,     // had its trial (one per account)
  kContracted = 1u << 1,  // paid under a sales contract (sales.hpp)
  kPqlDeal = 1u << 2,     // its open deal came from the PQL rule (reps take it first)
  kSignedUp = 1u << 3,    // someone in it has signed up (the account is in the funnel)
  kRamping = 1u << 4,     // its first contract term still bills a ramp below the contract
};

// Where an account is in the sales funnel (sales.hpp). Leads and MQLs are decided on the step
// they arise, so an account waits only as an SQL in the queue or as a deal a rep works.
enum class SalesStage : std::uint8_t {
  none = 0,  // may become a lead
  queued,    // SQL waiting for a rep (sales_step: step it joined the queue)
  working,   // a rep works the deal (sales_step: step the rep took it; sales_due_step: close)
  customer,  // under contract
  cooling,   // disqualified, lost or churned: a lead again from sales_due_step on
};

// No origin yet: the account has had no paying plan.
inline constexpr std::uint8_t kNoOrigin = 0xFF;
static_assert(kChannelCount < kNoOrigin, "an origin is a Channel in one byte; 0xFF is none");

struct Accounts {
  std::vector<std::uint32_t> first_person;  // size() + 1 offsets into People
  std::vector<std::uint8_t> segment;
  Column<Plan> plan;
  Column<std::uint8_t> pql;             // 1 while a non-paying account meets the PQL rule
  Column<std::int32_t> seats;           // billed seats while paid
  Column<std::uint8_t> tier;            // plan tier while paid (index into strategy.plg.tiers)
  std::vector<std::int32_t> trial_end_step;  // on trial: the step it ends (empty: no trials)
  Column<std::uint8_t> origin;          // Channel of the first paid plan, or kNoOrigin
  Column<std::uint8_t> flags;           // AccountFlag bits
  // active users counted at the latest accounts phase (at the step's start, for the next one);
  // empty unless strategy.plg or funnel team effects are on
  std::vector<std::uint32_t> active_users;
  // sales-led (SLG); empty when strategy.slg is off
  std::vector<SalesStage> sales_stage;
  std::vector<std::int32_t> sales_step;         // queued: step joined; working: step taken
  std::vector<std::int32_t> sales_due_step;     // working: close; cooling: lead again
  std::vector<std::int32_t> contract_end_step;  // contracted: the step the term ends
  std::vector<std::int32_t> contract_seats;     // contracted: seats billed at least
  // 1 when the account was idle at the latest accounts phase, and per block of kAccountBlock
  // accounts when all of them were (accounts.cpp skips them while nobody in them is engaged).
  std::vector<std::uint8_t> idle;
  std::vector<std::uint8_t> idle_block;
  // Annual cohorts (annual_cohorts.hpp), written at each month close; empty before the first:
  // [(m % kAnnualMonths) x size() + a] = account a's MRR in cents at the end of month m, for the
  // last 12 month ends; the month of its first paid plan, -1 before it.
  std::vector<std::int64_t> mrr_year;
  std::vector<std::int32_t> first_paid_month;

  std::size_t size() const { return segment.size(); }
};

using StageCounts = std::array<std::int64_t, kStageCount>;

// Community stocks at the end of the latest step (simulated people) and the quality index.
struct CommunityState {
  std::array<std::int64_t, kEngagementLevels> members_by_level{};  // [0] unused
  std::array<std::int64_t, kMotives> members_by_motive{};
  std::array<std::int64_t, kMotives> contributors_by_motive{};  // contributing and leading
  std::int64_t play_sources = 0;           // play members in word-of-mouth source stages
  std::int64_t play_champion_members = 0;  // play members among champion_members
  std::int64_t askers = 0;               // members among evaluators and beginners still unanswered
  std::int64_t champion_members = 0;     // champions who are active members
  std::int64_t beginner_members = 0;     // beginners who are active members
  std::int64_t pieces_step = 0;          // content pieces published in the latest step
  std::int64_t member_users = 0;         // members who are active users
  std::int64_t active_member_users = 0;  // active members who are active users
  double product_quality = 0.0;          // co-creation index in [0, 1]

  std::int64_t active_members() const {
    return members_by_level[2] + members_by_level[3] + members_by_level[4];
  }
  std::int64_t contributors() const { return members_by_level[3] + members_by_level[4]; }
};

// The sales floor, crossing accounts: the SQL queues and the reps' slots. Changed only by the
// serial pass of sales.hpp, in a fixed order, so results do not depend on threads.
struct SalesFloor {
  std::deque<std::uint32_t> pql_queue;  // PQL SQLs, taken first; each by (step joined, account)
  std::deque<std::uint32_t> queue;      // other SQLs
  std::int64_t working = 0;             // deals reps work
  // flows of the month
  std::int64_t deals_taken = 0, wait_steps = 0;
};

// Word of mouth over a network: per person, its weight as a source at the latest update and
// the sum of its neighbours' weights, in 1/kSourceUnit (a plain source weighs kSourceUnit, a
// champion member of the champion program more). Empty when well mixed.
inline constexpr std::uint16_t kSourceUnit = 256;
struct WordOfMouthGraph {
  std::vector<std::uint16_t> source;
  std::vector<std::uint32_t> heard;
  std::vector<std::uint32_t> heard_before;  // heard one step earlier (the midpoint's slope)
};

// The stocks that drive other people's hazards (midpoint.hpp): word-of-mouth sources (member
// champions and play members weighted), unaware people, active members and contributors
// (weighted by their contribution multipliers), simulated counts.
struct Drivers {
  double sources = 0.0;
  double unaware = 0.0;
  double active_members = 0.0;
  double contributors = 0.0;
};

// The drivers at the end of the latest step but one and predicted for the middle of this step.
struct DriverHistory {
  Drivers before;
  Drivers mid;
  bool started = false;  // false before step 0: no history yet
};

struct ReplicateState {
  People people;
  Accounts accounts;
  Network network;  // well mixed (empty) unless the scenario's network block says otherwise
  WordOfMouthGraph word_of_mouth;  // with a network (network_word_of_mouth.hpp)
  StageCounts stage_counts{};      // at the end of the latest step
  CommunityState community;
  DriverHistory drivers;
  std::int64_t mrr_cents = 0;  // sum over paid accounts of seats x price
  std::int64_t accounts_paying = 0;
  std::int64_t accounts_free_active = 0;
  std::int64_t pqls = 0;
  SalesFloor sales;
  ReferralLedger referrals;
};

}  // namespace flywheel::model
