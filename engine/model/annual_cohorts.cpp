#include "annual_cohorts.hpp"

#include "contracts.hpp"

#include "kernels/byte_scan.hpp"
#include "kernels/parallel_blocks.hpp"

#include <algorithm>
#include <bit>

namespace flywheel::model {

namespace {

constexpr std::uint8_t kActiveStages = (1u << static_cast<int>(Stage::beginner)) |
                                       (1u << static_cast<int>(Stage::regular)) |
                                       (1u << static_cast<int>(Stage::champion));

// Account a against its MRR twelve month ends ago; then stores this month end's MRR there.
void count_annual(std::int64_t now, std::int64_t& slot, AccountTally& t) {
  const std::int64_t then = slot;
  slot = now;
  if (then <= 0) return;
  ++t.annual_base_accounts;
  t.annual_retained_accounts += now > 0 ? 1 : 0;
  t.annual_base_mrr_cents += then;
  t.annual_now_mrr_cents += now;
  t.annual_kept_mrr_cents += std::min(now, then);
}

// The account's first-paid cohort (set at the close of the month of its first paid plan, which
// gave it an origin) and whether it pays now.
void count_account_cohort(Accounts& acc, std::uint32_t a, int month, std::int64_t now,
                          AccountTally& t) {
  if (acc.first_paid_month[a] < 0 && acc.origin[a] != kNoOrigin) {
    acc.first_paid_month[a] = month;
    ++t.cohort_accounts_new;
  }
  const std::int32_t cohort = acc.first_paid_month[a];
  if (now > 0 && cohort >= 0) ++t.accounts_paying_by_cohort[cohort];
}

// Active users of people [first, last) by the month of their latest signup, found 64 stages at
// a time. People onboarded by a deal without a signup (signup step -1) are in no cohort.
void count_user_cohorts(const Model& model, const People& people, std::uint32_t first,
                        std::uint32_t last, AccountTally& t) {
  const Stage* stage = people.stage.data();
  for (std::uint32_t run = first; run < last; run += 64) {
    const auto n = static_cast<int>(std::min<std::uint32_t>(64, last - run));
    for (std::uint64_t active = codes_in_set(stage + run, n, kActiveStages); active != 0;
         active &= active - 1) {
      const std::int32_t signup = people.signup_step[run + std::countr_zero(active)];
      if (signup >= 0) ++t.users_active_by_cohort[model.time.month_of_step(signup)];
    }
  }
}

// Whether an account has ever paid: it paid at a month close (MRR stored) or converted this
// month. Until then every MRR of the ring is 0 and first-paid months are unset, so the ring
// is not stored (a market that never pays, as the validation scenarios, keeps no ring).
bool anyone_paid(const ReplicateState& state, const std::vector<AccountTally>& blocks) {
  if (!state.accounts.mrr_year.empty() || state.mrr_cents > 0) return true;
  return std::any_of(blocks.begin(), blocks.end(),
                     [](const AccountTally& t) { return t.accounts_new > 0; });
}

}  // namespace

void close_cohort_month(const Model& model, ReplicateState& state, int month,
                        std::vector<AccountTally>& blocks) {
  Accounts& acc = state.accounts;
  const std::size_t n = acc.size();
  const bool paid = anyone_paid(state, blocks);
  if (paid && acc.mrr_year.empty()) {
    acc.mrr_year.assign(kAnnualMonths * n, 0);
    acc.first_paid_month.assign(n, -1);
  }
  std::int64_t* ring = paid ? acc.mrr_year.data() + (month % kAnnualMonths) * n : nullptr;
  const auto cohorts = static_cast<std::size_t>(month + 1);
  for_each_block(n, kAccountBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    AccountTally& t = blocks[b];
    t.accounts_paying_by_cohort.assign(cohorts, 0);
    t.users_active_by_cohort.assign(cohorts, 0);
    count_user_cohorts(model, state.people, acc.first_person[begin], acc.first_person[end], t);
    if (!paid) return;
    for (std::size_t i = begin; i < end; ++i) {
      const auto a = static_cast<std::uint32_t>(i);
      const std::int64_t now = account_mrr(model, acc, a);
      count_annual(now, ring[a], t);
      count_account_cohort(acc, a, month, now, t);
    }
  });
}

}  // namespace flywheel::model
