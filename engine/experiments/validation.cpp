// Validation against public ranges: which rows apply, how each is read from a run, its status.
#include <flywheel/experiments/validation.hpp>

#include <flywheel/scenario/loader.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace flywheel {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int horizon_month(const RangeRow& row, int months) {
  return row.month.value_or(months);
}

// Sums over months [first, last] (1-based) of one replicate: the numerator and denominator of a
// pooled ratio. The sales cycle is a mean per closed deal, so it is weighted by closed deals.
double pooled(const std::vector<MonthRecord>& months, Metric metric, int first, int last) {
  double num = 0, den = 0;
  for (int m = first; m <= last; ++m) {
    const MonthRecord& r = months[static_cast<std::size_t>(m - 1)];
    const auto closed = static_cast<double>(r.deals_won + r.deals_lost);
    switch (metric) {
      case Metric::trial_conversion:
        num += static_cast<double>(r.trials_converted);
        den += static_cast<double>(r.trials_converted + r.trials_expired);
        break;
      case Metric::win_rate:
        num += static_cast<double>(r.deals_won);
        den += closed;
        break;
      case Metric::sales_cycle_days:
        num += r.sales_cycle_days.value_or(0.0) * closed;
        den += r.sales_cycle_days ? closed : 0.0;
        break;
      case Metric::logo_churn:
        num += static_cast<double>(r.accounts_churned);
        den += static_cast<double>(r.accounts_paying_start);
        break;
      default:
        return kNaN;
    }
  }
  return den > 0 ? num / den : kNaN;
}

bool any_rep(const Schedule& reps) {
  return std::any_of(reps.pieces.begin(), reps.pieces.end(),
                     [](const Schedule::Piece& p) { return p.value > 0; });
}

}  // namespace

bool pooled_metric_supported(Metric metric) {
  return metric == Metric::trial_conversion || metric == Metric::win_rate ||
         metric == Metric::sales_cycle_days || metric == Metric::logo_churn;
}

RowStatus row_status(double p50, int n, double low, double high, bool has_reason) {
  const bool in = n > 0 && !std::isnan(p50) && p50 >= low && p50 <= high;
  if (in) return RowStatus::in;
  return has_reason ? RowStatus::outside : RowStatus::out;
}

std::optional<std::string> row_not_applicable(const RangeRow& row, const Scenario& scenario) {
  const PlgSpec& plg = scenario.strategy.plg;
  switch (row.needs) {
    case RowNeeds::nothing:
      return std::nullopt;
    case RowNeeds::free_tier:
      if (plg.enabled && plg.free_tier) return std::nullopt;
      return "no free tier";
    case RowNeeds::trials:
      if (plg.enabled && plg.trial.enabled) return std::nullopt;
      return "no trials";
    case RowNeeds::sales: {
      const SlgSpec& slg = scenario.strategy.slg;
      const bool sold =
          std::any_of(scenario.market.segments.begin(), scenario.market.segments.end(),
                      [](const Segment& s) { return s.sales.sold; });
      if (slg.enabled && sold && any_rep(slg.reps)) return std::nullopt;
      return "no sales team";
    }
  }
  return std::nullopt;
}

std::vector<double> row_values(const RunResult& run, const RangeRow& row) {
  const int last = horizon_month(row, run.scenario.simulation.months);
  const int first = std::max(1, last - std::max(row.pool_months, 1) + 1);
  std::vector<double> values;
  for (const ReplicateResult& r : run.replicates) {
    if (last < 1 || static_cast<std::size_t>(last) > r.months.size()) {
      values.push_back(kNaN);
    } else if (row.pool_months > 0) {
      values.push_back(pooled(r.months, row.metric, first, last));
    } else {
      const MetricValues v = derive_metrics(r.months[static_cast<std::size_t>(last - 1)],
                                            run.scenario.simulation.agent_scale);
      values.push_back(v[static_cast<int>(row.metric)]);
    }
  }
  return values;
}

std::vector<ValidationItem> validation_items(const PublicRanges& ranges,
                                             const std::vector<std::string>& scenario_files,
                                             const std::string& kind) {
  std::vector<Diagnostic> problems;
  const CompanyKind* forced = nullptr;
  if (!kind.empty()) {
    forced = ranges.kind(kind);
    if (forced == nullptr) {
      std::string list;
      for (const CompanyKind& k : ranges.kinds) list += (list.empty() ? "" : ", ") + k.id;
      problems.push_back(
          {"--kind", 0, 0, "",
           "\"" + kind + "\" is not a kind of " + ranges.file + "; expected one of " + list});
    }
  }
  std::vector<ValidationItem> items;
  const auto assigned = [&](const std::string& file) -> const KindAssignment* {
    const std::string normal = std::filesystem::path(file).lexically_normal().generic_string();
    for (const KindAssignment& a : ranges.scenarios) {
      if (a.file == normal) return &a;
    }
    return nullptr;
  };
  if (scenario_files.empty()) {
    for (const KindAssignment& a : ranges.scenarios)
      items.push_back(
          {a.file, forced != nullptr ? forced : ranges.kind(a.kind), a.reasons, ranges.file});
  }
  for (const std::string& file : scenario_files) {
    const KindAssignment* a = assigned(file);
    if (forced != nullptr || !kind.empty()) {
      items.push_back({file, forced,
                       a != nullptr ? a->reasons : std::map<std::string, std::string>{},
                       ranges.file});
    } else if (a != nullptr) {
      items.push_back({file, ranges.kind(a->kind), a->reasons, ranges.file});
    } else {
      problems.push_back({file, 0, 0, "",
                          "not a scenario of " + ranges.file +
                              "; expected --kind KIND to say what kind of company it is"});
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return items;
}

std::vector<ScenarioValidation> run_validation(const std::vector<ValidationItem>& items,
                                               const std::vector<Override>& overrides,
                                               const RunOptions& options,
                                               std::vector<Diagnostic>* warnings) {
  std::vector<Scenario> scenarios;
  std::vector<Diagnostic> problems;
  for (const ValidationItem& item : items) {
    try {
      scenarios.push_back(load_scenario(item.file, overrides, warnings));
    } catch (const InputError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
      continue;
    }
    const int months = scenarios.back().simulation.months;
    for (const RangeRow& row : item.kind->rows) {
      if (horizon_month(row, months) <= months) continue;
      problems.push_back({item.ranges_file, row.line, row.column, row.path + ".month",
                          "month " + std::to_string(*row.month) + " is after the horizon of " +
                              item.file + " (" + std::to_string(months) +
                              " months); expected a month within it, or none (the horizon)"});
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));

  std::vector<ScenarioValidation> results;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const RunResult run = run_scenario(scenarios[i], options);
    const Scenario& s = run.scenario;
    ScenarioValidation v{
        items[i].file,       s.name, items[i].kind->id, s.simulation.replicates, s.simulation.seed,
        s.simulation.months, {}};
    for (const RangeRow& row : items[i].kind->rows) {
      RowResult r;
      r.row = row;
      r.last_month = horizon_month(row, s.simulation.months);
      r.first_month = std::max(1, r.last_month - std::max(row.pool_months, 1) + 1);
      if (std::optional<std::string> why = row_not_applicable(row, s)) {
        r.status = RowStatus::not_applicable;
        r.note = *why;
        r.value = summarize(std::vector<double>{});
      } else {
        const std::vector<double> values = row_values(run, row);
        r.value = summarize(values);
        const auto reason = items[i].reasons.find(row.id);
        const bool has_reason = reason != items[i].reasons.end();
        r.status = row_status(r.value.p50, r.value.n, row.low, row.high, has_reason);
        if (r.status == RowStatus::outside) r.note = reason->second;
      }
      v.rows.push_back(std::move(r));
    }
    results.push_back(std::move(v));
  }
  return results;
}

int count_out(const std::vector<ScenarioValidation>& results) {
  int n = 0;
  for (const ScenarioValidation& v : results) {
    for (const RowResult& r : v.rows) n += r.status == RowStatus::out ? 1 : 0;
  }
  return n;
}

std::string_view to_string(RowStatus status) {
  switch (status) {
    case RowStatus::in:
      return "in";
    case RowStatus::outside:
      return "outside";
    case RowStatus::out:
      return "OUT";
    case RowStatus::not_applicable:
      return "n/a";
  }
  return "?";
}

std::string_view to_string(RowNeeds needs) {
  switch (needs) {
    case RowNeeds::nothing:
      return "nothing";
    case RowNeeds::free_tier:
      return "free_tier";
    case RowNeeds::trials:
      return "trials";
    case RowNeeds::sales:
      return "sales";
  }
  return "?";
}

std::string_view to_string(ValueFormat format) {
  switch (format) {
    case ValueFormat::percent:
      return "percent";
    case ValueFormat::times:
      return "times";
    case ValueFormat::months:
      return "months";
    case ValueFormat::days:
      return "days";
    case ValueFormat::number:
      return "number";
  }
  return "?";
}

}  // namespace flywheel
