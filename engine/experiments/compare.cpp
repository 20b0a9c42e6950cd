#include "compare_stats.hpp"

#include <flywheel/experiments/compare.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/scenario/schedule_changes.hpp>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace flywheel {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Moments {
  int n = 0;
  double mean_a = 0, mean_b = 0, var_a = 0, var_b = 0, cov = 0;  // sample (n - 1)
};

// An item's value in one replicate at `month` (1-based): the metric that month, or for an output
// (metric@STAT:A-B) its statistic over months A..min(month, B), a running total for a sum (NaN
// before A). A metric@M output is the metric itself by month.
double item_value(const std::vector<MetricValues>& months, Metric metric, const OutputSpec* output,
                  int month) {
  if (output == nullptr || output->stat == OutputSpec::Stat::at) {
    return months[static_cast<std::size_t>(month - 1)][static_cast<std::size_t>(metric)];
  }
  OutputSpec upto = *output;
  if (upto.from_month > month) return kNaN;
  upto.to_month = upto.to_month == 0 ? month : std::min(upto.to_month, month);
  if (upto.from_month == 0) upto.from_month = 1;
  return output_value(upto, months);
}

}  // namespace

namespace compare_detail {

std::vector<double> item_values(const RunSummary& run, Metric metric, const OutputSpec* output,
                                int month) {
  std::vector<double> out;
  for (const auto& months : run.values) out.push_back(item_value(months, metric, output, month));
  return out;
}

}  // namespace compare_detail

namespace {

using compare_detail::item_values;

Moments paired_moments(const std::vector<double>& xs, const std::vector<double>& ys) {
  std::vector<std::pair<double, double>> pairs;
  for (std::size_t r = 0; r < xs.size() && r < ys.size(); ++r) {
    const double x = xs[r], y = ys[r];
    if (!std::isnan(x) && !std::isnan(y)) pairs.emplace_back(x, y);
  }
  Moments s;
  s.n = static_cast<int>(pairs.size());
  if (s.n == 0) return s;
  for (const auto& [x, y] : pairs) {
    s.mean_a += x;
    s.mean_b += y;
  }
  s.mean_a /= s.n;
  s.mean_b /= s.n;
  if (s.n < 2) return s;
  for (const auto& [x, y] : pairs) {
    s.var_a += (x - s.mean_a) * (x - s.mean_a);
    s.var_b += (y - s.mean_b) * (y - s.mean_b);
    s.cov += (x - s.mean_a) * (y - s.mean_b);
  }
  s.var_a /= s.n - 1;
  s.var_b /= s.n - 1;
  s.cov /= s.n - 1;
  return s;
}

Comparison compare_moments(const Moments& s, Metric metric, int month) {
  Comparison c{metric, month, s.n, s.mean_a, s.mean_b, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, {}};
  if (s.n == 0) return c;
  c.diff = s.mean_b - s.mean_a;
  // A relative change is read against a positive baseline only: against a negative one (burn
  // that is really profit) "raises by x%" would point the wrong way. The difference stands.
  if (s.mean_a > 0) c.lift = s.mean_b / s.mean_a - 1.0;
  if (s.n < 2) return c;
  const double n = s.n;
  const double t = boost::math::quantile(boost::math::students_t(n - 1), 0.975);
  // Paired difference: var(B - A) = var B + var A - 2 cov.
  const double se = std::sqrt(std::max(0.0, s.var_b + s.var_a - 2 * s.cov) / n);
  c.diff_lo = c.diff - t * se;
  c.diff_hi = c.diff + t * se;
  c.p_b_greater = se > 0 ? boost::math::cdf(boost::math::normal(), c.diff / se)
                         : (c.diff > 0 ? 1.0 : (c.diff < 0 ? 0.0 : 0.5));
  if (s.mean_a > 0) {
    // Delta method for R = mean B / mean A: var R ~ (var B + R^2 var A - 2 R cov) / (n A^2).
    const double ratio = s.mean_b / s.mean_a;
    const double var =
        (s.var_b + ratio * ratio * s.var_a - 2 * ratio * s.cov) / (n * s.mean_a * s.mean_a);
    const double se_ratio = std::sqrt(std::max(0.0, var));
    c.lift_lo = c.lift - t * se_ratio;
    c.lift_hi = c.lift + t * se_ratio;
  }
  return c;
}

Comparison compare_item(const RunSummary& a, const RunSummary& b, Metric metric,
                        const OutputSpec* output, int month) {
  Comparison c = compare_moments(
      paired_moments(item_values(a, metric, output, month), item_values(b, metric, output, month)),
      metric, month);
  if (output != nullptr) c.output = output->name;
  return c;
}

Comparison compare_one(const RunSummary& a, const RunSummary& b, Metric metric, int month) {
  return compare_item(a, b, metric, nullptr, month);
}

}  // namespace

Comparison compare_detail::compare_values(const std::vector<double>& xs,
                                          const std::vector<double>& ys, Metric metric,
                                          int month) {
  return compare_moments(paired_moments(xs, ys), metric, month);
}

std::vector<int> default_compare_months(int months) {
  std::vector<int> out;
  for (int m : {12, 24, 36}) {
    if (m < months) out.push_back(m);
  }
  out.push_back(months);
  return out;
}

std::vector<Metric> default_compare_metrics() {
  // The annual, cohort-based retention boards read (not one month's NRR and churn), and the
  // cash position that the spend of either strategy leaves.
  return {Metric::arr_usd,         Metric::accounts_paying, Metric::nrr_annual,
          Metric::logo_churn_t12m, Metric::cash_usd,        Metric::k_factor};
}

std::vector<Comparison> compare_runs(const RunSummary& a, const RunSummary& b,
                                     const std::vector<Metric>& metrics,
                                     const std::vector<int>& months) {
  std::vector<Comparison> rows;
  for (const Metric metric : metrics) {
    for (const int month : months) rows.push_back(compare_one(a, b, metric, month));
  }
  return rows;
}

std::string Comparison::name() const {
  return output.empty() ? std::string(metric_name(metric)) : output;
}

std::vector<Comparison> compare_outputs(const RunSummary& a, const RunSummary& b,
                                        const std::vector<OutputSpec>& outputs, int horizon) {
  std::vector<Comparison> rows;
  for (const OutputSpec& o : outputs) {
    const int month = o.to_month == 0 ? horizon : std::min(o.to_month, horizon);
    rows.push_back(compare_item(a, b, o.metric, &o, month));
  }
  return rows;
}

bool identically_zero(const std::vector<const RunSummary*>& runs, Metric metric) {
  const auto k = static_cast<std::size_t>(metric);
  for (const RunSummary* run : runs) {
    for (const auto& replicate : run->values) {
      for (const MetricValues& month : replicate) {
        if (month[k] != 0) return false;  // NaN too: undefined is not zero
      }
    }
  }
  return true;
}

// The running value of an item by month, for compare_months.csv: paired statistics and each
// side's quantiles over replicates.
compare_detail::MonthRow compare_detail::month_row(const RunSummary& a, const RunSummary& b, Metric metric,
                   const OutputSpec* output, int month) {
  MonthRow row{compare_item(a, b, metric, output, month), {}, {}};
  if (output == nullptr) {
    row.a = a.by_month[month - 1][static_cast<int>(metric)];
    row.b = b.by_month[month - 1][static_cast<int>(metric)];
  } else {
    const std::vector<double> xs = item_values(a, metric, output, month);
    const std::vector<double> ys = item_values(b, metric, output, month);
    row.a = summarize(xs);
    row.b = summarize(ys);
  }
  return row;
}

}  // namespace flywheel
