// The bottom line of a compare: what a variant earns and costs against A over the horizon
// (cumulative gross profit minus spend), how low its cash goes, and when the difference pays
// back.
#include "compare_stats.hpp"

#include <flywheel/experiments/compare.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace flywheel {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per replicate: gross profit - spend summed over months 1..m (NaN months count as 0).
std::vector<std::vector<double>> cumulative_net(const RunSummary& run) {
  const auto gp = static_cast<std::size_t>(Metric::gross_profit_usd);
  const auto spend = static_cast<std::size_t>(Metric::spend_total_usd);
  std::vector<std::vector<double>> out;
  for (const auto& months : run.values) {
    double sum = 0;
    std::vector<double> row;
    for (const MetricValues& v : months) {
      const double net = (std::isnan(v[gp]) ? 0.0 : v[gp]) - (std::isnan(v[spend]) ? 0.0 : v[spend]);
      sum += net;
      row.push_back(sum);
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<double> cash_lows(const RunSummary& run) {
  const auto cash = static_cast<std::size_t>(Metric::cash_usd);
  std::vector<double> out;
  for (const auto& months : run.values) {
    double low = kNaN;
    for (const MetricValues& v : months) {
      if (!std::isnan(v[cash]) && !(v[cash] >= low)) low = v[cash];
    }
    out.push_back(low);
  }
  return out;
}

double mean(const std::vector<double>& xs) {
  double sum = 0;
  int n = 0;
  for (double x : xs) {
    if (std::isnan(x)) continue;
    sum += x;
    ++n;
  }
  return n > 0 ? sum / n : kNaN;
}

std::vector<double> column(const std::vector<std::vector<double>>& rows, std::size_t m) {
  std::vector<double> out;
  for (const auto& row : rows) out.push_back(m < row.size() ? row[m] : kNaN);
  return out;
}

SideMoney side_money(const RunSummary& run, int months) {
  SideMoney m;
  m.net = months > 0 ? mean(column(cumulative_net(run), static_cast<std::size_t>(months - 1)))
                     : kNaN;
  m.cash_low = mean(cash_lows(run));
  double lowest = kNaN;
  for (int month = 1; month <= months; ++month) {
    const double cash = run.by_month[month - 1][static_cast<int>(Metric::cash_usd)].mean;
    if (!std::isnan(cash) && !(cash >= lowest)) {
      lowest = cash;
      m.cash_low_month = month;
    }
  }
  return m;
}

}  // namespace

BottomLine bottom_line(const RunSummary& a, const RunSummary& b, std::string variant) {
  BottomLine line;
  line.variant = std::move(variant);
  line.months = static_cast<int>(std::min(a.by_month.size(), b.by_month.size()));
  line.a = side_money(a, line.months);
  line.b = side_money(b, line.months);
  const auto net_a = cumulative_net(a), net_b = cumulative_net(b);
  const std::size_t last = static_cast<std::size_t>(std::max(0, line.months - 1));
  line.net = compare_detail::compare_values(column(net_a, last), column(net_b, last),
                                            Metric::gross_profit_usd, line.months);
  line.cash_low = compare_detail::compare_values(cash_lows(a), cash_lows(b), Metric::cash_usd,
                                                 line.months);
  // Mean over replicates of the cumulative difference by month (pairs of replicates; the same
  // count on both sides).
  for (std::size_t m = 0; m < static_cast<std::size_t>(line.months); ++m) {
    const std::vector<double> xs = column(net_a, m), ys = column(net_b, m);
    std::vector<double> diffs;
    for (std::size_t r = 0; r < xs.size() && r < ys.size(); ++r) diffs.push_back(ys[r] - xs[r]);
    line.cumulative_diff.push_back(mean(diffs));
  }
  // The first month from which the cumulative difference never falls below 0 again.
  int payback = 0;
  for (int m = line.months; m >= 1; --m) {
    const double d = line.cumulative_diff[static_cast<std::size_t>(m - 1)];
    if (std::isnan(d) || d < 0) break;
    payback = m;
  }
  if (payback > 0) line.payback_month = payback;
  return line;
}

std::string bottom_line_text(const BottomLine& line) {
  const std::string& v = line.variant;
  std::string interval;
  if (!std::isnan(line.net.diff_lo)) {
    interval = fmt::format(", 95% CI {} to {}", with_unit(line.net.diff_lo, "USD"),
                           with_unit(line.net.diff_hi, "USD"));
  }
  const std::string payback =
      line.payback_month ? fmt::format("month {}", *line.payback_month)
                         : fmt::format("not within {} months", line.months);
  return fmt::format(
      "{}: gross profit - spend over months 1-{}: {} (A {}; {} - A {}{}); cash low point {} at "
      "month {} (A {} at month {}); payback of the difference: {}",
      v, line.months, with_unit(line.b.net, "USD"), with_unit(line.a.net, "USD"), v,
      with_unit(line.net.diff, "USD", true), interval, with_unit(line.b.cash_low, "USD"),
      line.b.cash_low_month, with_unit(line.a.cash_low, "USD"), line.a.cash_low_month, payback);
}

}  // namespace flywheel
