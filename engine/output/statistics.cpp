#include <flywheel/output/statistics.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace flywheel {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Two-sided 95% normal quantile, Phi^-1(0.975).
constexpr double kZ95 = 1.959963984540054;

// Wilson score interval for `successes` out of `trials` (Wilson 1927; Brown, Cai & DasGupta
// 2001): centre (p + z^2/2n) / (1 + z^2/n), half width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n).
void set_wilson_interval(TargetResult& result) {
  const int n = result.replicates;
  if (n == 0) {
    result.probability = kNaN;
    result.lo = 0.0;
    result.hi = 1.0;
    return;
  }
  const double nd = n;
  const double p = result.reached / nd;
  const double z2 = kZ95 * kZ95;
  const double denominator = 1.0 + z2 / nd;
  const double centre = (p + z2 / (2.0 * nd)) / denominator;
  const double half = kZ95 * std::sqrt(p * (1.0 - p) / nd + z2 / (4.0 * nd * nd)) / denominator;
  result.probability = p;
  // At p = 0 or 1 one end is exactly 0 or 1; rounding must not move it off.
  result.lo = result.reached == 0 ? 0.0 : std::max(0.0, centre - half);
  result.hi = result.reached == n ? 1.0 : std::min(1.0, centre + half);
}

bool meets(const Target& target, double value) {
  if (std::isnan(value)) return false;
  if (target.at_least && !(value >= *target.at_least)) return false;
  if (target.at_most && !(value <= *target.at_most)) return false;
  return true;
}

// by_month <= 0 or past the horizon means "by the horizon".
int months_considered(const Target& target, int months) {
  return target.by_month <= 0 ? months : std::min(target.by_month, months);
}

TargetResult evaluate_target(const Target& target,
                             const std::vector<std::vector<MetricValues>>& values, int months) {
  const std::optional<Metric> metric = metric_by_name(target.metric);
  if (!metric) throw std::invalid_argument("target on unknown metric '" + target.metric + "'");
  const int k = static_cast<int>(*metric);
  const int last = months_considered(target, months);
  TargetResult result;
  result.target = target;
  result.replicates = static_cast<int>(values.size());
  for (const std::vector<MetricValues>& replicate : values) {
    for (int m = 0; m < last; ++m) {
      if (meets(target, replicate[m][k])) {
        ++result.reached;
        break;
      }
    }
  }
  set_wilson_interval(result);
  return result;
}

std::vector<std::vector<MetricValues>> derive_all(const RunResult& run) {
  const int months = run.scenario.simulation.months;
  const int agent_scale = run.scenario.simulation.agent_scale;
  std::vector<std::vector<MetricValues>> values;
  values.reserve(run.replicates.size());
  for (const ReplicateResult& replicate : run.replicates) {
    if (static_cast<int>(replicate.months.size()) != months) {
      throw std::invalid_argument("replicate " + std::to_string(replicate.replicate) + " has " +
                                  std::to_string(replicate.months.size()) + " months, expected " +
                                  std::to_string(months));
    }
    std::vector<MetricValues>& rows = values.emplace_back();
    rows.reserve(replicate.months.size());
    for (const MonthRecord& record : replicate.months) {
      rows.push_back(derive_metrics(record, agent_scale));
    }
  }
  return values;
}

}  // namespace

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty() || std::isnan(q)) return kNaN;
  q = std::clamp(q, 0.0, 1.0);
  // Type 7: h = (n - 1) q (0-based); Q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const double below = std::floor(h);
  const auto i = static_cast<std::size_t>(below);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - below) * (sorted[i + 1] - sorted[i]);
}

Distribution summarize(std::span<const double> values) {
  std::vector<double> kept;
  kept.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) kept.push_back(v);
  }
  Distribution d{};
  d.n = static_cast<int>(kept.size());
  if (kept.empty()) {
    d.mean = d.sd = d.p5 = d.p25 = d.p50 = d.p75 = d.p95 = kNaN;
    return d;
  }
  // Sums run in input (replicate) order, so results never depend on scheduling.
  double sum = 0.0;
  for (double v : kept) sum += v;
  d.mean = sum / d.n;
  double squares = 0.0;
  for (double v : kept) squares += (v - d.mean) * (v - d.mean);
  d.sd = d.n > 1 ? std::sqrt(squares / (d.n - 1)) : 0.0;
  std::sort(kept.begin(), kept.end());
  d.p5 = quantile_sorted(kept, 0.05);
  d.p25 = quantile_sorted(kept, 0.25);
  d.p50 = quantile_sorted(kept, 0.50);
  d.p75 = quantile_sorted(kept, 0.75);
  d.p95 = quantile_sorted(kept, 0.95);
  return d;
}

RunSummary summarize_run(const RunResult& run) {
  RunSummary summary;
  summary.values = derive_all(run);
  const int months = run.scenario.simulation.months;
  summary.by_month.resize(static_cast<std::size_t>(std::max(months, 0)));
  std::vector<double> column(summary.values.size());
  for (int m = 0; m < months; ++m) {
    for (int k = 0; k < kMetricCount; ++k) {
      for (std::size_t r = 0; r < summary.values.size(); ++r) column[r] = summary.values[r][m][k];
      summary.by_month[m][k] = summarize(column);
    }
  }
  for (const Target& target : run.scenario.targets) {
    summary.targets.push_back(evaluate_target(target, summary.values, months));
  }
  return summary;
}

}  // namespace flywheel
