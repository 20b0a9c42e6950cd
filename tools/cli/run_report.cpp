#include "run_report.hpp"

#include "table.hpp"

#include <flywheel/experiments/expect_sequence.hpp>

#include <fmt/format.h>

namespace flywheel::cli {

namespace {

const Distribution& at(const RunSummary& summary, int month, Metric metric) {
  return summary.by_month[month - 1][static_cast<int>(metric)];
}

std::string months_table(const RunSummary& summary, int horizon_months) {
  std::vector<std::vector<std::string>> rows = {{"month", "ARR p5", "ARR p50", "ARR p95",
                                                 "paying p50", "logo churn/mo", "NRR 12m",
                                                 "GRR 12m"}};
  for (int month : report_months(horizon_months)) {
    const Distribution& arr = at(summary, month, Metric::arr_usd);
    rows.push_back({std::to_string(month), format_usd(arr.p5), format_usd(arr.p50),
                    format_usd(arr.p95),
                    format_number(at(summary, month, Metric::accounts_paying).p50),
                    format_percent(at(summary, month, Metric::logo_churn_t12m).p50),
                    format_percent(at(summary, month, Metric::nrr_annual).p50),
                    format_percent(at(summary, month, Metric::grr_annual).p50)});
  }
  return render_table(rows) +
         "(ARR quantiles over replicates; paying = paying accounts; logo churn = trailing 12 "
         "months as a monthly rate; NRR and GRR over 12 months of the accounts paying 12 months "
         "before (cohort-based, undefined in the first year); medians over replicates)\n";
}

// Money at the same months: burn, cash and CAC payback, medians over replicates.
std::string money_table(const RunSummary& summary, int horizon_months) {
  std::vector<std::vector<std::string>> rows = {
      {"month", "burn/month p50", "cash p50", "cash p5", "CAC p50", "payback p50"}};
  for (int month : report_months(horizon_months)) {
    const Distribution& cash = at(summary, month, Metric::cash_usd);
    const Distribution& payback = at(summary, month, Metric::cac_payback_months);
    rows.push_back({std::to_string(month), format_usd(at(summary, month, Metric::burn_usd).p50),
                    format_usd(cash.p50), format_usd(cash.p5),
                    format_usd(at(summary, month, Metric::cac_usd).p50),
                    payback.n > 0 ? format_number(payback.p50) + " mo" : "-"});
  }
  return render_table(rows) +
         "(burn = spend - gross profit; cash = starting cash - cumulative burn; CAC and payback "
         "over the trailing quarter)\n";
}

std::string target_condition(const Target& target) {
  const std::optional<Metric> metric = metric_by_name(target.metric);
  const std::string_view unit =
      metric ? metric_infos()[static_cast<int>(*metric)].unit : std::string_view{};
  std::string text = target.metric;
  if (target.at_least) text += " >= " + format_in_unit(*target.at_least, unit);
  if (target.at_least && target.at_most) text += " and";
  if (target.at_most) text += " <= " + format_in_unit(*target.at_most, unit);
  return text;
}

std::string targets_table(const std::vector<TargetResult>& targets) {
  std::vector<std::vector<std::string>> rows = {
      {"target", "by month", "probability", "95% interval", "reached"}};
  for (const TargetResult& t : targets) {
    rows.push_back({target_condition(t.target), std::to_string(t.target.by_month),
                    format_percent(t.probability),
                    fmt::format("[{}, {}]", format_percent(t.lo), format_percent(t.hi)),
                    fmt::format("{}/{}", t.reached, t.replicates)});
  }
  return render_table(rows, "l");
}

}  // namespace

std::vector<int> report_months(int horizon_months) { return milestone_months(horizon_months); }

std::string run_report(const RunResult& run, const RunSummary& summary,
                       const std::string& out_dir) {
  const Scenario& scenario = run.scenario;
  std::string out =
      fmt::format("{}: {} replicates of {} months, seed {}\n\n", scenario.name,
                  run.replicates.size(), scenario.simulation.months, scenario.simulation.seed);
  if (!summary.by_month.empty()) {
    out += months_table(summary, scenario.simulation.months);
    out += '\n';
    out += money_table(summary, scenario.simulation.months);
  }
  if (!summary.targets.empty()) {
    out += '\n';
    out += targets_table(summary.targets);
  }
  out += fmt::format("\noutput: {}\n", out_dir);
  return out;
}

}  // namespace flywheel::cli
