// Phase 3: accounts. A free account whose active users reach the PQL rule is a product-qualified
// lead; free accounts convert self-serve (PQLs at their own rate); a paid account bills
// max(min_seats, active users) seats at its segment's price, so seats follow active users
// (expansion, contraction); it cancels when no active user remains or by voluntary cancellation.
// MRR movements are classified per account and step from its MRR before and after, so
//   MRR_end = MRR_start + new + expansion + reactivation - contraction - churned
// holds exactly in cents.
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>
#include <vector>

namespace flywheel::model {

// Counts of one block of accounts: stocks per step, flows accumulated over a month.
struct AccountTally {
  std::int64_t paying = 0, free_active = 0, pqls = 0;  // stocks after the step
  std::int64_t new_pqls = 0, converted_new = 0, reactivated = 0, churned = 0;
  std::int64_t mrr_new = 0, mrr_expansion = 0, mrr_contraction = 0, mrr_churned = 0;
  std::int64_t mrr_reactivation = 0;
  std::int64_t mrr_end = 0;  // per step: MRR of the block's accounts after the step
};

void advance_accounts(const Model& model, ReplicateState& state, int step, int month,
                      std::vector<AccountTally>& blocks);

}  // namespace flywheel::model
