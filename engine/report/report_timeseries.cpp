#include "report_timeseries.hpp"

#include "report_charts.hpp"

#include <fmt/format.h>

#include <array>

namespace flywheel::report {

Timeseries read_timeseries(const std::string& text) {
  const CsvTable table = parse_csv(text, "timeseries.csv");
  std::array<int, 8> col{};
  const std::array<const char*, 8> names = {"month", "metric", "mean", "p5",
                                            "p25",   "p50",    "p75",  "p95"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    col[i] = table.column(names[i]);
    if (col[i] < 0) throw_bad_file("timeseries.csv", fmt::format("no column {}", names[i]));
  }
  Timeseries out;
  for (const auto& row : table.rows) {
    auto value = [&](int i) { return parse_number(row[col[i]]).value_or(NAN); };
    out[row[col[1]]].push_back(MonthStats{static_cast<int>(value(0)), value(2), value(3), value(4),
                                          value(5), value(6), value(7)});
  }
  return out;
}

const std::vector<MonthStats>& series(const Timeseries& ts, std::string_view metric) {
  static const std::vector<MonthStats> kNone;
  const auto it = ts.find(metric);
  return it == ts.end() ? kNone : it->second;
}

bool says_nothing(const std::vector<MonthStats>& months) {
  for (const MonthStats& s : months) {
    for (double v : {s.mean, s.p5, s.p95}) {
      if (std::isfinite(v) && v != 0.0) return false;
    }
  }
  return true;
}

std::string left_out_note(const std::vector<std::string>& titles, std::string_view why) {
  if (titles.empty()) return {};
  std::string list;
  for (const std::string& t : titles) list += (list.empty() ? "" : ", ") + escape_html(t);
  return fmt::format("<p class=\"note\">Not drawn: {} ({}).</p>", list, why);
}

void add_rows(Json& rows, const Timeseries& ts, std::string_view metric, std::string_view label,
              int order, bool from_first_defined) {
  bool started = !from_first_defined;
  for (const MonthStats& s : series(ts, metric)) {
    started = started || std::isfinite(s.mean);
    if (!started) continue;
    rows.push_back(Json{{"metric", metric},
                        {"label", label},
                        {"order", order},
                        {"month", s.month},
                        {"mean", number_json(s.mean)},
                        {"p5", number_json(s.p5)},
                        {"p25", number_json(s.p25)},
                        {"p50", number_json(s.p50)},
                        {"p75", number_json(s.p75)},
                        {"p95", number_json(s.p95)}});
  }
}

int last_month(const Timeseries& ts) {
  int months = 0;
  for (const auto& [metric, stats] : ts) {
    if (!stats.empty()) months = std::max(months, stats.back().month);
  }
  return months;
}

Chart metric_fan_chart(std::string_view metric, const MetricStyle& style, const std::string& color,
                       int months) {
  Json spec = fan_spec(style, color);
  spec["data"] = {{"name", "timeseries"}};
  spec["transform"] = Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}});
  if (months > 0) spec["encoding"]["x"]["scale"]["domain"] = Json::array({1, months});
  Chart chart{chart_id(metric), std::move(spec), {"timeseries"}};
  chart.time = TimeAxis::months;
  return chart;
}

}  // namespace flywheel::report
