// The annual cohort metrics in the twin (docs/mean_field.md "Annual cohorts"): the agent model
// compares each account's MRR with its own a year before (engine/model/annual_cohorts.cpp). The
// twin tags, at every month end, the accounts paying then and follows that copy for twelve
// months: its accounts move between plans at their blocks' per-account rates (the recorded
// moves), so after a year the copy says how many of them still pay and, at their blocks' MRR per
// account, what they pay.
#include "lanes.hpp"
#include "twin.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace flywheel::meanfield {

double Twin::block_mrr_cents(const State& y, std::size_t k, int plan) const {
  const auto segment = static_cast<std::uint8_t>(classes[k].segment);
  const double seats = std::max(0.0, y[seats_at(k, plan)]);
  if (is_contract(plan)) {
    return seats * static_cast<double>(model.deals[segment].contract_price_cents);
  }
  if (is_paid(plan)) {
    return seats * static_cast<double>(model.seat_price(segment, std::uint8_t(plan - paid0)));
  }
  return 0.0;
}

AnnualBase start_tag(const Twin& twin, State& y, int slot) {
  AnnualBase base;
  base.accounts.assign(twin.classes.size(), 0.0);
  base.mrr_cents.assign(twin.classes.size(), 0.0);
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = 0; plan < twin.plans; ++plan) {
      if (!twin.tagged(plan)) continue;  // never a paying account's (nor its tag)
      const double accounts = twin.pays(plan) ? std::max(0.0, y[twin.accounts_at(k, plan)]) : 0.0;
      y[twin.tag(slot, k, plan)] = accounts;
      base.accounts[k] += accounts;
      if (accounts > 0.0) base.mrr_cents[k] += twin.block_mrr_cents(y, k, plan);
    }
  }
  return base;
}

FLYWHEEL_SWEEP void tag_flows(const Twin& twin, const State& y, State& dy) {
  const std::size_t lanes = twin.lanes;
  double* rate = twin.scratch_row(0);
  for (std::size_t pair = 0; pair < twin.move_pairs.size(); ++pair) {
    const Twin::MovePair& m = twin.move_pairs[pair];
    if (!twin.tagged(m.from)) continue;  // no tagged account there
    if (!twin.tagged(m.to)) throw std::logic_error("mean field: a tagged account moved untagged");
    const double* moved = twin.move_row(pair, Twin::kMovedAccounts);
    const double* from = &y[twin.accounts_row(m.from)];
    for (std::size_t k = 0; k < lanes; ++k) {  // per account of the block, a month
      rate[k] = from[k] > 1e-300 ? moved[k] / from[k] : 0.0;
    }
    for (int slot = 0; slot < kAnnualTags; ++slot) {
      const double* tagged = &y[twin.tag(slot, 0, m.from)];
      double* out = &dy[twin.tag(slot, 0, m.from)];
      double* in = &dy[twin.tag(slot, 0, m.to)];
#pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) {
        const double f = rate[k] * std::max(0.0, tagged[k]);
        out[k] -= f;
        in[k] += f;
      }
    }
  }
}

void annual_record(const Twin& twin, const State& y, int slot, const AnnualBase& base,
                   MonthRecord& r) {
  double base_accounts = 0.0, base_mrr = 0.0, retained = 0.0, now_mrr = 0.0, kept = 0.0;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    double retained_k = 0.0, now_k = 0.0;
    for (int plan = 0; plan < twin.plans; ++plan) {
      if (!twin.pays(plan)) continue;
      const double tagged = std::max(0.0, y[twin.tag(slot, k, plan)]);
      const double accounts = y[twin.accounts_at(k, plan)];
      retained_k += tagged;
      if (tagged > 0.0 && accounts > 1e-300) {
        now_k += tagged / accounts * twin.block_mrr_cents(y, k, plan);
      }
    }
    base_accounts += base.accounts[k];
    base_mrr += base.mrr_cents[k];
    retained += retained_k;
    now_mrr += now_k;
    // Each retained account keeps min(MRR now, MRR then); the twin knows both per class only:
    // the class's retained accounts at its MRR per account then, against what they pay now.
    if (base.accounts[k] > 0.0) {
      kept += std::min(now_k, retained_k * base.mrr_cents[k] / base.accounts[k]);
    }
  }
  auto fixed = [](double x) { return std::llround(x * kMicro); };
  r.annual_base_accounts = fixed(base_accounts);
  r.annual_retained_accounts = fixed(retained);
  r.annual_base_mrr_cents = fixed(base_mrr);
  r.annual_now_mrr_cents = fixed(now_mrr);
  r.annual_kept_mrr_cents = fixed(kept);
}

}  // namespace flywheel::meanfield
