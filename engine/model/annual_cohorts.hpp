// Month close, after the month's last step: the accounts' annual, cohort-based retention and
// the cohort retention triangle (docs/metrics.md#annual-cohort-metrics).
//   Annual: of the accounts paying at the end of month m - 12 (MRR_then > 0), their MRR now,
//   their MRR then, sum of min(MRR_now, MRR_then) (GRR caps each account at its value then) and
//   how many still pay; NRR = now / then, GRR = capped / then, logo retention = still / then.
//   Triangle: accounts paying now by first-paid month, active users now by signup month.
// Each account keeps its MRR at the last 12 month ends (Accounts::mrr_year), stored from the
// first month an account pays; every account starts free (population.cpp), so the lookback
// before month 0 holds 0 and nothing is counted.
// One pass over the accounts (and their people) a month, in parallel fixed blocks, counting into
// the blocks' AccountTally; the ledger sums them in block order.
#pragma once

#include "accounts.hpp"
#include "model.hpp"
#include "model_state.hpp"

#include <vector>

namespace flywheel::model {

void close_cohort_month(const Model& model, ReplicateState& state, int month,
                        std::vector<AccountTally>& blocks);

}  // namespace flywheel::model
