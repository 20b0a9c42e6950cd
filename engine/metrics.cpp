#include <flywheel/metrics.hpp>

#include <cmath>
#include <limits>
#include <numeric>

namespace flywheel {

const std::array<MetricInfo, kMetricCount>& metric_infos() {
  static const std::array<MetricInfo, kMetricCount> infos = {{
#define FLYWHEEL_METRIC(id, unit, meaning) {#id, unit, meaning},
#include <flywheel/metric_list.inc>
#undef FLYWHEEL_METRIC
  }};
  return infos;
}

std::optional<Metric> metric_by_name(std::string_view name) {
  const auto& infos = metric_infos();
  for (int i = 0; i < kMetricCount; ++i) {
    if (infos[i].name == name) return static_cast<Metric>(i);
  }
  return std::nullopt;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) {
  return denominator != 0.0 ? numerator / denominator : kNaN;
}

}  // namespace

MetricValues derive_metrics(const MonthRecord& r, int agent_scale) {
  const double k = agent_scale;
  auto count = [k](std::int64_t n) { return static_cast<double>(n) * k; };
  auto usd = [k](std::int64_t cents) { return static_cast<double>(cents) / 100.0 * k; };
  MetricValues v;
  auto set = [&v](Metric m, double x) { v[static_cast<int>(m)] = x; };
  static_assert(kStageCount == 7);
  for (int s = 0; s < kStageCount; ++s) {
    v[static_cast<int>(Metric::users_unaware) + s] = count(r.users_by_stage[s]);
  }
  set(Metric::active_users, count(r.active_users));
  static_assert(kChannelCount == 4);
  for (int c = 0; c < 3; ++c) {
    v[static_cast<int>(Metric::aware_organic) + c] = count(r.awareness_by_channel[c]);
  }
  for (int c = 0; c < kChannelCount; ++c) {
    v[static_cast<int>(Metric::signups_organic) + c] = count(r.signups_by_channel[c]);
  }
  set(Metric::signups, count(std::accumulate(r.signups_by_channel.begin(),
                                             r.signups_by_channel.end(), std::int64_t{0})));
  set(Metric::activations, count(r.activations));
  set(Metric::adoptions, count(r.adoptions));
  set(Metric::advocacies, count(r.advocacies));
  set(Metric::evaluator_dropouts, count(r.evaluator_dropouts));
  set(Metric::churned_users, count(std::accumulate(r.churn_by_stage.begin(),
                                                   r.churn_by_stage.end(), std::int64_t{0})));
  set(Metric::reactivations, count(r.reactivations));
  set(Metric::median_ttv_days, r.median_ttv_days.value_or(kNaN));
  set(Metric::pqls, count(r.pqls));
  set(Metric::new_pqls, count(r.new_pqls));
  set(Metric::accounts_free_active, count(r.accounts_free_active));
  set(Metric::accounts_paying, count(r.accounts_paying));
  set(Metric::accounts_new, count(r.accounts_new));
  set(Metric::accounts_reactivated, count(r.accounts_reactivated));
  set(Metric::accounts_churned, count(r.accounts_churned));

  const double mrr = usd(r.mrr_end_cents);
  set(Metric::mrr_usd, mrr);
  set(Metric::arr_usd, 12.0 * mrr);
  set(Metric::mrr_new_usd, usd(r.mrr_new_cents));
  set(Metric::mrr_expansion_usd, usd(r.mrr_expansion_cents));
  set(Metric::mrr_contraction_usd, usd(r.mrr_contraction_cents));
  set(Metric::mrr_churned_usd, usd(r.mrr_churned_cents));
  set(Metric::mrr_reactivation_usd, usd(r.mrr_reactivation_cents));

  // Ratios from exact cents (scale cancels).
  const auto start = static_cast<double>(r.mrr_start_cents);
  const auto lost = static_cast<double>(r.mrr_churned_cents + r.mrr_contraction_cents);
  const auto gained =
      static_cast<double>(r.mrr_new_cents + r.mrr_expansion_cents + r.mrr_reactivation_cents);
  set(Metric::logo_churn, ratio(static_cast<double>(r.accounts_churned),
                                static_cast<double>(r.accounts_paying_start)));
  set(Metric::grr, ratio(start - lost, start));
  set(Metric::nrr, ratio(start - lost + static_cast<double>(r.mrr_expansion_cents), start));
  set(Metric::net_revenue_churn, ratio(lost - gained, start));
  set(Metric::arpu_usd, ratio(mrr, count(r.active_users)));
  set(Metric::arpa_usd, ratio(mrr, count(r.accounts_paying)));
  set(Metric::spend_marketing_usd, static_cast<double>(r.spend_marketing_cents) / 100.0);
  return v;
}

}  // namespace flywheel
