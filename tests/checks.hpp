// Assertions shared by the engine tests: binomial counts within 4 standard errors, the MRR
// identity in cents, and sums of a flow over a replicate's months.
#pragma once

#include <flywheel/model/engine.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

namespace flywheel::test {

// |observed - n p| within 4 binomial standard errors.
inline void check_binomial(double observed, double n, double p) {
  const double se = std::sqrt(n * p * (1 - p));
  INFO("observed " << observed << ", expected " << n * p << " +- " << se);
  CHECK(std::abs(observed - n * p) < 4 * se + 1e-9);
}

// Every month: MRR starts where the previous month ended, and
// MRR_end = MRR_start + new + expansion + reactivation - contraction - churned, exactly.
inline void check_mrr_identity(const ReplicateResult& r) {
  std::int64_t previous_end = 0;
  for (const MonthRecord& m : r.months) {
    CHECK(m.mrr_start_cents == previous_end);
    CHECK(m.mrr_end_cents == m.mrr_start_cents + m.mrr_new_cents + m.mrr_expansion_cents +
                                 m.mrr_reactivation_cents - m.mrr_contraction_cents -
                                 m.mrr_churned_cents);
    previous_end = m.mrr_end_cents;
  }
}

// Sum over the months of a replicate of f(month record).
template <class F>
std::int64_t total(const ReplicateResult& r, F f) {
  std::int64_t sum = 0;
  for (const MonthRecord& m : r.months) sum += f(m);
  return sum;
}

}  // namespace flywheel::test
