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

Moments paired_moments(const RunSummary& a, const RunSummary& b, int month, Metric metric) {
  const auto k = static_cast<std::size_t>(metric);
  const auto m = static_cast<std::size_t>(month - 1);
  std::vector<std::pair<double, double>> pairs;
  for (std::size_t r = 0; r < a.values.size() && r < b.values.size(); ++r) {
    const double x = a.values[r][m][k], y = b.values[r][m][k];
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

Comparison compare_one(const RunSummary& a, const RunSummary& b, Metric metric, int month) {
  const Moments s = paired_moments(a, b, month, metric);
  Comparison c{metric, month, s.n, s.mean_a, s.mean_b, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
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

// Leaf values of a resolved scenario by key path ("strategy.plg.trial_days"); arrays are leaves.
void flatten(const nlohmann::json& value, const std::string& path,
             std::map<std::string, nlohmann::json>& out) {
  if (!value.is_object()) {
    out[path] = value;
    return;
  }
  for (const auto& [key, item] : value.items()) {
    std::string child = path;
    if (!child.empty()) child += '.';
    child += key;
    flatten(item, child, out);
  }
}

// The resolved parameters whose values differ between A and B (a missing one is null).
nlohmann::json scenario_differences(const Scenario& a, const Scenario& b) {
  std::map<std::string, nlohmann::json> flat_a, flat_b;
  flatten(scenario_to_json(a), "", flat_a);
  flatten(scenario_to_json(b), "", flat_b);
  for (const auto& [path, value] : flat_b) flat_a.try_emplace(path, nullptr);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [path, value_a] : flat_a) {
    const auto it = flat_b.find(path);
    const nlohmann::json value_b = it == flat_b.end() ? nlohmann::json(nullptr) : it->second;
    if (path != "name" && path != "description" && value_a != value_b) {
      out.push_back({{"path", path}, {"a", value_a}, {"b", value_b}});
    }
  }
  return out;
}

std::string number(double x) {
  return std::isnan(x) ? std::string() : fmt::format("{:.10g}", x);
}

}  // namespace

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

// 4 significant digits, and large numbers in full with thousands separators (1,917,000), not
// in exponent form.
std::string readable(double x) {
  if (!(std::fabs(x) >= 1e4) || !std::isfinite(x)) return fmt::format("{:.4g}", x);
  const double step = std::pow(10.0, std::floor(std::log10(std::fabs(x))) - 3);
  const std::string digits = fmt::format("{:.0f}", std::fabs(std::round(x / step) * step));
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return (x < 0 ? "-" : "") + grouped;
}

std::string verdict(const Comparison& c) {
  const std::string what = fmt::format("{} at month {}", metric_name(c.metric), c.month);
  if (c.n < 2 || std::isnan(c.diff_lo)) return fmt::format("{}: too few replicates to judge", what);
  if (c.diff_lo == 0 && c.diff_hi == 0) {
    return fmt::format("no difference in {}: identical in all {} paired replicates", what, c.n);
  }
  const bool clear = c.diff_lo > 0 || c.diff_hi < 0;
  if (!clear) {
    return fmt::format(
        "no clear difference in {} (B - A = {}, 95% CI {} to {}), "
        "P(B>A) = {:.2f}",
        what, readable(c.diff), readable(c.diff_lo), readable(c.diff_hi), c.p_b_greater);
  }
  const char* verb = c.diff > 0 ? "raises" : "lowers";
  if (std::isnan(c.lift_lo)) {
    return fmt::format("B {} {} by {} (95% CI {} to {}), P(B>A) = {:.2f}", verb, what,
                       readable(std::fabs(c.diff)), readable(c.diff_lo), readable(c.diff_hi),
                       c.p_b_greater);
  }
  return fmt::format("B {} {} by {:.1f}% (95% CI {:.1f}% to {:.1f}%), P(B>A) = {:.2f}", verb, what,
                     100 * std::fabs(c.lift), 100 * (c.diff > 0 ? c.lift_lo : -c.lift_hi),
                     100 * (c.diff > 0 ? c.lift_hi : -c.lift_lo), c.p_b_greater);
}

std::string compare_csv_text(const std::vector<Comparison>& rows) {
  std::string csv =
      "metric,month,n,mean_a,mean_b,diff,diff_lo,diff_hi,lift,lift_lo,lift_hi,p_b_greater\n";
  for (const Comparison& c : rows) {
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", metric_name(c.metric), c.month, c.n,
                       number(c.mean_a), number(c.mean_b), number(c.diff), number(c.diff_lo),
                       number(c.diff_hi), number(c.lift), number(c.lift_lo), number(c.lift_hi),
                       number(c.p_b_greater));
  }
  return csv;
}

std::string compare_months_csv_text(const RunSummary& a, const RunSummary& b,
                                    const std::vector<Metric>& metrics) {
  std::string csv =
      "metric,month,n,mean_a,mean_b,diff,diff_lo,diff_hi,lift,lift_lo,lift_hi,p_b_greater,"
      "a_p5,a_p25,a_p50,a_p75,a_p95,b_p5,b_p25,b_p50,b_p75,b_p95\n";
  const int months = static_cast<int>(std::min(a.by_month.size(), b.by_month.size()));
  for (const Metric metric : metrics) {
    for (int month = 1; month <= months; ++month) {
      const Comparison c = compare_one(a, b, metric, month);
      csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}", metric_name(c.metric), c.month, c.n,
                         number(c.mean_a), number(c.mean_b), number(c.diff), number(c.diff_lo),
                         number(c.diff_hi), number(c.lift), number(c.lift_lo), number(c.lift_hi),
                         number(c.p_b_greater));
      for (const RunSummary* run : {&a, &b}) {
        const Distribution& d = run->by_month[month - 1][static_cast<int>(metric)];
        for (double q : {d.p5, d.p25, d.p50, d.p75, d.p95}) {
          csv += ',';
          csv += number(q);
        }
      }
      csv += '\n';
    }
  }
  return csv;
}

std::string compare_json_text(const RunResult& a, const RunResult& b,
                              const std::vector<Comparison>& rows) {
  using nlohmann::json;
  auto value = [](double x) { return std::isnan(x) ? json(nullptr) : json(x); };
  // Each side's schedule changes (month = from_month, key path, value before and after), which
  // the compare report marks on its charts.
  auto side = [](const Scenario& s) {
    json changes = json::array();
    for (const ScheduleChange& c : schedule_changes(s)) {
      changes.push_back({{"month", c.month}, {"path", c.path}, {"from", c.from}, {"to", c.to}});
    }
    return json{{"scenario", s.name}, {"file", s.source_file}, {"schedule_changes", changes}};
  };
  json out;
  out["a"] = side(a.scenario);
  out["b"] = side(b.scenario);
  out["months"] = a.scenario.simulation.months;
  out["seed"] = a.scenario.simulation.seed;
  out["replicates"] = a.replicates.size();
  out["pairing"] = "replicate r of A with replicate r of B: same seed, same random streams";
  json list = json::array();
  for (const Comparison& c : rows) {
    list.push_back({{"metric", metric_name(c.metric)},
                    {"month", c.month},
                    {"n", c.n},
                    {"mean_a", value(c.mean_a)},
                    {"mean_b", value(c.mean_b)},
                    {"diff", value(c.diff)},
                    {"diff_ci95", {value(c.diff_lo), value(c.diff_hi)}},
                    {"lift", value(c.lift)},
                    {"lift_ci95", {value(c.lift_lo), value(c.lift_hi)}},
                    {"p_b_greater", value(c.p_b_greater)},
                    {"verdict", verdict(c)}});
  }
  out["comparisons"] = std::move(list);
  out["differences"] = scenario_differences(a.scenario, b.scenario);
  return out.dump(2) + "\n";
}

}  // namespace flywheel
