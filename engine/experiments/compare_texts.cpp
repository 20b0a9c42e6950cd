// compare's words and files: verdicts with units, compare.csv, compare_months.csv and
// compare.json, for A against one variant (today's layout) or several (a variant column).
#include "compare_stats.hpp"

#include <flywheel/experiments/compare.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/scenario/schedule_changes.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

namespace flywheel {

namespace {

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

nlohmann::json value(double x) {
  return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x);
}

// 4 significant digits, and numbers from 1,000 on in full with thousands separators (1,917,000,
// 2,220), not in exponent form.
std::string readable(double x) {
  if (!(std::fabs(x) >= 1e3) || !std::isfinite(x)) return fmt::format("{:.4g}", x);
  const double step = std::pow(10.0, std::floor(std::log10(std::fabs(x))) - 3);
  const std::string digits = fmt::format("{:.0f}", std::fabs(std::round(x / step) * step));
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return (x < 0 ? "-" : "") + grouped;
}

// "95% CI -$131/year to $371/year", "95% CI -1.093 to 3.093 accounts", "95% CI -0.5 to 1.2 pp":
// a unit written after the number is written once, after the upper end.
std::string interval(double lo, double hi, std::string_view unit) {
  if (unit.starts_with("USD")) {
    return fmt::format("95% CI {} to {}", with_unit(lo, unit), with_unit(hi, unit));
  }
  if (unit == "ratio") return fmt::format("95% CI {:.3g} to {}", 100 * lo, with_unit(hi, unit));
  return fmt::format("95% CI {} to {}", readable(lo), with_unit(hi, unit));
}

// Each side's schedule changes (month = from_month, key path, value before and after), which
// the compare report marks on its charts.
nlohmann::json side_json(const Scenario& s) {
  nlohmann::json changes = nlohmann::json::array();
  for (const ScheduleChange& c : schedule_changes(s)) {
    changes.push_back({{"month", c.month}, {"path", c.path}, {"from", c.from}, {"to", c.to}});
  }
  return nlohmann::json{
      {"scenario", s.name}, {"file", s.source_file}, {"schedule_changes", changes}};
}

nlohmann::json comparisons_json(const std::vector<Comparison>& rows, std::string_view variant) {
  nlohmann::json list = nlohmann::json::array();
  for (const Comparison& c : rows) {
    nlohmann::json row{{"metric", c.name()},
                       {"month", c.month},
                       {"n", c.n},
                       {"mean_a", value(c.mean_a)},
                       {"mean_b", value(c.mean_b)},
                       {"diff", value(c.diff)},
                       {"diff_ci95", {value(c.diff_lo), value(c.diff_hi)}},
                       {"lift", value(c.lift)},
                       {"lift_ci95", {value(c.lift_lo), value(c.lift_hi)}},
                       {"p_b_greater", value(c.p_b_greater)},
                       {"unit", comparison_unit(c)},
                       {"verdict", verdict(c, variant)}};
    list.push_back(std::move(row));
  }
  return list;
}

nlohmann::json bottom_line_json(const BottomLine& line) {
  auto side = [](const SideMoney& m) {
    return nlohmann::json{{"net_usd", value(m.net)},
                          {"cash_low_usd", value(m.cash_low)},
                          {"cash_low_month", m.cash_low_month}};
  };
  auto diff = [](const Comparison& c) {
    return nlohmann::json{{"diff", value(c.diff)},
                          {"diff_ci95", {value(c.diff_lo), value(c.diff_hi)}},
                          {"p_b_greater", value(c.p_b_greater)}};
  };
  nlohmann::json cumulative = nlohmann::json::array();
  for (double x : line.cumulative_diff) cumulative.push_back(value(x));
  return nlohmann::json{
      {"variant", line.variant},
      {"net", "gross_profit_usd - spend_total_usd summed over months 1-" +
                  std::to_string(line.months)},
      {"a", side(line.a)},
      {"b", side(line.b)},
      {"net_diff", diff(line.net)},
      {"cash_low_diff", diff(line.cash_low)},
      {"payback_month", line.payback_month ? nlohmann::json(*line.payback_month)
                                           : nlohmann::json(nullptr)},
      {"cumulative_net_diff_usd", cumulative},
      {"text", bottom_line_text(line)}};
}

}  // namespace

std::string comparison_unit(const Comparison& c) {
  if (!c.output.empty()) {
    std::string problem;
    const std::optional<OutputSpec> o = parse_output_spec(c.output, problem);
    return o ? output_unit(*o) : std::string();
  }
  return std::string(metric_infos()[static_cast<int>(c.metric)].unit);
}

std::string with_unit(double x, std::string_view unit, bool sign) {
  const std::string plus = sign && x > 0 ? "+" : "";
  if (unit == "ratio") {
    return plus + fmt::format("{:.3g} pp", 100 * x);
  }
  if (unit.starts_with("USD")) {
    const std::string per = std::string(unit.substr(3));  // "", "/month", "/account"
    const std::string digits = readable(std::fabs(x));
    return (x < 0 ? "-" : plus) + "$" + digits + per;
  }
  const std::string text = plus + readable(x);
  return unit.empty() ? text : text + " " + std::string(unit);
}

std::string verdict(const Comparison& c, std::string_view variant) {
  const std::string what =
      c.output.empty() ? fmt::format("{} at month {}", c.name(), c.month) : c.output;
  const std::string unit = comparison_unit(c);
  const std::string p = fmt::format("P({}>A) = {:.2f}", variant, c.p_b_greater);
  if (c.n < 2 || std::isnan(c.diff_lo)) return fmt::format("{}: too few replicates to judge", what);
  if (c.diff_lo == 0 && c.diff_hi == 0) {
    return fmt::format("no difference in {}: identical in all {} paired replicates", what, c.n);
  }
  const bool clear = c.diff_lo > 0 || c.diff_hi < 0;
  if (!clear) {
    return fmt::format("no clear difference in {} ({} - A = {}, {}), {}", what, variant,
                       with_unit(c.diff, unit, true), interval(c.diff_lo, c.diff_hi, unit), p);
  }
  const char* verb = c.diff > 0 ? "raises" : "lowers";
  if (std::isnan(c.lift_lo)) {
    return fmt::format("{} {} {} by {} ({}), {}", variant, verb, what,
                       with_unit(std::fabs(c.diff), unit), interval(c.diff_lo, c.diff_hi, unit),
                       p);
  }
  return fmt::format("{} {} {} by {:.1f}% ({}; 95% CI {:.1f}% to {:.1f}%), {}", variant, verb,
                     what, 100 * std::fabs(c.lift), with_unit(c.diff, unit, true),
                     100 * (c.diff > 0 ? c.lift_lo : -c.lift_hi),
                     100 * (c.diff > 0 ? c.lift_hi : -c.lift_lo), p);
}

std::string compare_csv_text(const std::vector<Comparison>& rows, const std::string& variant,
                             bool header) {
  const std::string prefix = variant.empty() ? "" : variant + ",";
  std::string csv =
      !header ? ""
              : std::string(variant.empty() ? "" : "variant,") +
                    "metric,month,n,mean_a,mean_b,diff,diff_lo,diff_hi,lift,lift_lo,lift_hi,"
                    "p_b_greater\n";
  for (const Comparison& c : rows) {
    csv += prefix + fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", c.name(), c.month, c.n,
                                number(c.mean_a), number(c.mean_b), number(c.diff),
                                number(c.diff_lo), number(c.diff_hi), number(c.lift),
                                number(c.lift_lo), number(c.lift_hi), number(c.p_b_greater));
  }
  return csv;
}

std::string compare_months_csv_text(const RunSummary& a, const RunSummary& b,
                                    const std::vector<Metric>& metrics,
                                    const std::vector<OutputSpec>& outputs,
                                    const std::string& variant, bool header) {
  const std::string prefix = variant.empty() ? "" : variant + ",";
  std::string csv =
      !header ? ""
              : std::string(variant.empty() ? "" : "variant,") +
                    "metric,month,n,mean_a,mean_b,diff,diff_lo,diff_hi,lift,lift_lo,lift_hi,"
                    "p_b_greater,a_p5,a_p25,a_p50,a_p75,a_p95,b_p5,b_p25,b_p50,b_p75,b_p95\n";
  const int months = static_cast<int>(std::min(a.by_month.size(), b.by_month.size()));
  auto rows = [&](Metric metric, const OutputSpec* output) {
    for (int month = 1; month <= months; ++month) {
      const compare_detail::MonthRow row =
          compare_detail::month_row(a, b, metric, output, month);
      const Comparison& c = row.c;
      csv += prefix + fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}", c.name(), c.month, c.n,
                                  number(c.mean_a), number(c.mean_b), number(c.diff),
                                  number(c.diff_lo), number(c.diff_hi), number(c.lift),
                                  number(c.lift_lo), number(c.lift_hi), number(c.p_b_greater));
      for (const Distribution* d : {&row.a, &row.b}) {
        for (double q : {d->p5, d->p25, d->p50, d->p75, d->p95}) {
          csv += ',';
          csv += number(q);
        }
      }
      csv += '\n';
    }
  };
  for (const Metric metric : metrics) rows(metric, nullptr);
  for (const OutputSpec& output : outputs) rows(output.metric, &output);
  return csv;
}

std::string compare_json_text(const RunResult& a, const RunResult& b,
                              const std::vector<Comparison>& rows) {
  nlohmann::json out;
  out["a"] = side_json(a.scenario);
  out["b"] = side_json(b.scenario);
  out["months"] = a.scenario.simulation.months;
  out["seed"] = a.scenario.simulation.seed;
  out["replicates"] = a.replicates.size();
  out["pairing"] = "replicate r of A with replicate r of B: same seed, same random streams";
  out["comparisons"] = comparisons_json(rows, "B");
  out["differences"] = scenario_differences(a.scenario, b.scenario);
  return out.dump(2) + "\n";
}

std::string compare_json_text(const RunResult& a, const std::vector<CompareSide>& sides,
                              const std::vector<std::string>& omitted) {
  nlohmann::json out;
  out["a"] = side_json(a.scenario);
  const bool two = sides.size() == 1;
  if (two) out["b"] = side_json(sides.front().run->scenario);
  out["months"] = a.scenario.simulation.months;
  out["seed"] = a.scenario.simulation.seed;
  out["replicates"] = a.replicates.size();
  out["pairing"] =
      two ? "replicate r of A with replicate r of B: same seed, same random streams"
          : "replicate r of A with replicate r of each variant: same seed, same random streams";
  if (two) {
    const CompareSide& b = sides.front();
    out["comparisons"] = comparisons_json(b.rows, b.variant);
    out["differences"] = scenario_differences(a.scenario, b.run->scenario);
    out["bottom_line"] = bottom_line_json(b.bottom_line);
  } else {
    nlohmann::json variants = nlohmann::json::array();
    for (const CompareSide& side : sides) {
      nlohmann::json v = side_json(side.run->scenario);
      v["variant"] = side.variant;
      v["comparisons"] = comparisons_json(side.rows, side.variant);
      v["differences"] = scenario_differences(a.scenario, side.run->scenario);
      v["bottom_line"] = bottom_line_json(side.bottom_line);
      variants.push_back(std::move(v));
    }
    out["variants"] = std::move(variants);
  }
  out["omitted"] = nlohmann::json::array();
  for (const std::string& metric : omitted) {
    out["omitted"].push_back(
        {{"metric", metric}, {"why", "0 at every month of every replicate of every scenario"}});
  }
  return out.dump(2) + "\n";
}

}  // namespace flywheel
