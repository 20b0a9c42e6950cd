#include <flywheel/experiments/run_sequence.hpp>

#include <flywheel/experiments/expect_sequence.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/common/errors.hpp>

#include <fmt/format.h>

namespace flywheel {

Scenario load_source(const ScenarioSource& source, const std::vector<Override>& overrides,
                     std::vector<Diagnostic>* warnings) {
  if (source.text) {
    return load_scenario_text(*source.text, source.name, overrides, source.base_dir, warnings);
  }
  return load_scenario(source.name, overrides, warnings);
}

RunJob run_job(const Scenario& scenario, const RunOptions& options) {
  RunJob job{run_scenario(scenario, options), {}};
  job.summary = summarize_run(job.run);
  return job;
}

RunTexts run_texts(const RunJob& job) {
  std::string why;
  const std::optional<meanfield::ExpectedRun> expected = try_expect(job.run.scenario, why);
  return RunTexts{summary_json_text(job.run, job.summary), timeseries_csv_text(job.summary),
                  replicates_csv_text(job.run, job.summary), cohorts_csv_text(job.run),
                  expected ? meanfield::expected_csv(*expected) : std::string()};
}

ComparePlan plan_comparison(const std::vector<ScenarioSource>& sides,
                            const std::vector<Override>& overrides,
                            const std::vector<std::string>& metric_names,
                            const std::vector<int>& months) {
  if (sides.size() < 2 || sides.size() > 26) {
    throw InputError({Diagnostic{"<command line>", 0, 0, "",
                                 fmt::format("{} scenarios; expected 2 to 26 (A, then the "
                                             "variants compared with it)",
                                             sides.size())}});
  }
  ComparePlan plan;
  for (const ScenarioSource& source : sides) {
    std::vector<Diagnostic> warnings;
    plan.sides.push_back(load_source(source, overrides, &warnings));
    plan.warnings.insert(plan.warnings.end(), warnings.begin(), warnings.end());
  }
  plan.metrics = compare_metrics_by_name(metric_names);
  plan.outputs = compare_outputs_by_name(metric_names);
  // Only outputs named: no metrics by month beyond them.
  if (!metric_names.empty() && plan.outputs.size() == metric_names.size()) plan.metrics.clear();
  plan.months = months;
  if (plan.months.empty()) plan.months = default_compare_months(plan.a().simulation.months);
  for (std::size_t i = 1; i < plan.sides.size(); ++i) {
    check_pairable(plan.a(), plan.sides[i], plan.months, plan.outputs);
  }
  return plan;
}

ComparePlan plan_comparison(const ScenarioSource& a, const ScenarioSource& b,
                            const std::vector<Override>& overrides,
                            const std::vector<std::string>& metric_names,
                            const std::vector<int>& months) {
  return plan_comparison(std::vector<ScenarioSource>{a, b}, overrides, metric_names, months);
}

std::string side_label(std::size_t i) {
  return std::string(1, static_cast<char>('A' + i));
}

CompareJob run_comparison(const ComparePlan& plan, const RunOptions& options) {
  const int n = plan.a().simulation.replicates;
  const int total = n * static_cast<int>(plan.sides.size());
  CompareJob job;
  for (std::size_t i = 0; i < plan.sides.size(); ++i) {
    RunOptions side = options;
    if (options.on_progress) {
      const int before = n * static_cast<int>(i);
      side.on_progress = [&options, before, total](int done, int) {
        options.on_progress(before + done, total);
      };
    }
    job.runs.push_back(run_job(plan.sides[i], side));
  }
  std::vector<const RunSummary*> summaries;
  for (const RunJob& run : job.runs) summaries.push_back(&run.summary);
  std::vector<Metric> metrics;
  for (const Metric m : plan.metrics) {
    if (identically_zero(summaries, m)) {
      job.omitted.emplace_back(metric_name(m));
    } else {
      metrics.push_back(m);
    }
  }
  const RunSummary& a = job.runs.front().summary;
  for (std::size_t i = 1; i < job.runs.size(); ++i) {
    const RunSummary& b = job.runs[i].summary;
    std::vector<Comparison> rows = compare_runs(a, b, metrics, plan.months);
    const std::vector<Comparison> outputs =
        compare_outputs(a, b, plan.outputs, plan.a().simulation.months);
    rows.insert(rows.end(), outputs.begin(), outputs.end());
    job.rows.push_back(std::move(rows));
    job.bottom_lines.push_back(bottom_line(a, b, side_label(i)));
  }
  return job;
}

CompareTexts compare_texts(const ComparePlan& plan, const CompareJob& job) {
  CompareTexts texts;
  const bool two = job.runs.size() == 2;
  const RunSummary& a = job.runs.front().summary;
  std::vector<CompareSide> sides;
  for (std::size_t i = 1; i < job.runs.size(); ++i) {
    const std::string variant = side_label(i);
    const std::vector<Comparison>& rows = job.rows[i - 1];
    // compare.csv and compare_months.csv keep every metric asked, zero ones included (their
    // numbers are true); only the verdicts leave those out.
    std::vector<Comparison> all = compare_runs(a, job.runs[i].summary, plan.metrics, plan.months);
    const std::vector<Comparison> outputs =
        compare_outputs(a, job.runs[i].summary, plan.outputs, plan.a().simulation.months);
    all.insert(all.end(), outputs.begin(), outputs.end());
    texts.csv += compare_csv_text(all, two ? "" : variant, i == 1);
    texts.months_csv += compare_months_csv_text(a, job.runs[i].summary, plan.metrics,
                                                plan.outputs, two ? "" : variant, i == 1);
    for (const Comparison& c : rows) texts.verdicts.push_back(verdict(c, variant));
    texts.bottom_lines.push_back(bottom_line_text(job.bottom_lines[i - 1]));
    sides.push_back(CompareSide{&job.runs[i].run, variant, rows, job.bottom_lines[i - 1]});
  }
  for (const std::string& metric : job.omitted) {
    texts.verdicts.push_back(fmt::format(
        "{}: left out, 0 at every month of every replicate of {}", metric,
        two ? "both scenarios" : "every scenario"));
  }
  texts.json = compare_json_text(job.runs.front().run, sides, job.omitted);
  return texts;
}

}  // namespace flywheel
