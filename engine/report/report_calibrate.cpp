// The calibrate report (docs/calibrate.md): the data against the posterior-predictive fan per
// metric, the marginal posterior of each parameter against its prior range, a pair plot, the
// tolerance schedule and warnings, from a calibrate folder (calibration.json, posterior.csv,
// generations.csv, forecast.csv).
#include "report_charts.hpp"
#include "report_page.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace flywheel {

namespace {

using report::Chart;
using report::Json;
using report::Section;

// A posterior whose median lies this close to a prior bound (share of the prior's width) is
// reported as piled up at the bound.
constexpr double kBoundShare = 0.1;
// A metric whose observed points fall outside the 90% predictive band more often than this is
// reported as a poor fit (a calibrated model misses about 10%).
constexpr double kPoorFitShare = 0.2;

std::optional<double> cell(const std::vector<std::string>& row, int column) {
  return column < 0 ? std::nullopt : report::parse_number(row[column]);
}

void require(const report::CsvTable& t, const char* file, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (t.column(name) < 0) report::throw_bad_file(file, fmt::format("no column {}", name));
  }
}

Json small_line(const std::string& field, const std::string& title, const std::string& format) {
  return Json{{"data", {{"name", "generations"}}},
              {"title", {{"text", title}}},
              {"width", 280},
              {"height", 160},
              {"mark", {{"type", "line"}, {"point", true}}},
              {"encoding",
               {{"x", {{"field", "generation"}, {"type", "quantitative"},
                       {"axis", {{"tickMinStep", 1}, {"format", "d"}}}}},
                {"y", {{"field", field}, {"type", "quantitative"}, {"title", title},
                       {"axis", {{"format", format}}}, {"scale", {{"zero", false}}}}},
                {"tooltip", Json::array({{{"field", "generation"}},
                                         {{"field", field}, {"format", ".4~g"}}})}}}};
}

}  // namespace

std::string calibrate_report_html(const CalibrateFiles& files) {
  const Json meta = report::parse_json(files.calibration_json, "calibration.json");
  const report::CsvTable posterior = report::parse_csv(files.posterior_csv, "posterior.csv");
  const report::CsvTable generations = report::parse_csv(files.generations_csv, "generations.csv");
  const report::CsvTable forecast = report::parse_csv(files.forecast_csv, "forecast.csv");
  require(posterior, "posterior.csv", {"generation", "weight"});
  require(generations, "generations.csv", {"generation", "tolerance", "acceptance_rate", "ess"});
  require(forecast, "forecast.csv", {"month", "metric", "data", "p5", "p50", "p95", "mean"});
  const Json params = meta.value("posterior", Json::array());

  report::Page page;
  page.title = meta.value("spec_file", std::string("calibrate"));
  page.kind = "calibrate report";
  page.facts = {{"base", meta.value("base", std::string("?"))},
                {"data", meta.value("data", std::string("?"))},
                {"engine", meta.value("engine", std::string("agent"))},
                {"particles x generations",
                 fmt::format("{} x {}", meta.value("particles", 0), meta.value("generations", 0))},
                {"simulations", fmt::format("{} (stopped by {})", meta.value("simulations", 0),
                                            meta.value("stop_reason", std::string("?")))},
                {"run by flywheel", meta.value("version", std::string("?"))}};
  std::vector<std::string> warnings;

  // ---- fit: data against the posterior-predictive band ----
  {
    Json rows = Json::array();
    std::vector<std::string> metrics;
    std::map<std::string, std::pair<int, int>> outside;  // metric -> (outside, observed)
    const int m = forecast.column("metric");
    for (const auto& row : forecast.rows) {
      const std::string& metric = row[m];
      if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) metrics.push_back(metric);
      Json r{{"month", report::number_json(cell(row, forecast.column("month")))},
             {"metric", metric}};
      for (const char* f : {"data", "p5", "p50", "p95", "mean"}) {
        r[f] = report::number_json(cell(row, forecast.column(f)));
      }
      const auto data = cell(row, forecast.column("data"));
      const auto lo = cell(row, forecast.column("p5"));
      const auto hi = cell(row, forecast.column("p95"));
      if (data && lo && hi) {
        auto& [out, seen] = outside[metric];
        ++seen;
        if (*data < *lo || *data > *hi) ++out;
      }
      rows.push_back(std::move(r));
    }
    page.datasets["forecast"] = std::move(rows);
    Section section{"Fit: data against the posterior predictive",
                    "<p>Band: 5% to 95% of trajectories simulated at posterior draws; line: "
                    "their median; dots: the observed data. About one observed point in ten "
                    "should fall outside the band.</p>"};
    for (const std::string& metric : metrics) {
      const report::MetricStyle style = report::metric_style(metric);
      const Json filter = Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}});
      const std::string f = style.tooltip_format;
      const Json y{{"field", "p50"}, {"type", "quantitative"}};
      const Json y_title = style.unit.empty() ? Json(nullptr) : Json(style.unit);
      Json band{{"mark", {{"type", "area"}, {"color", "#2563eb"}, {"opacity", 0.2}}}};
      band["encoding"]["y"] = Json{{"field", "p5"}, {"type", "quantitative"}, {"title", y_title},
                                   {"axis", {{"format", style.axis_format}}}};
      band["encoding"]["y2"] = Json{{"field", "p95"}};
      Json median{{"mark", {{"type", "line"}, {"color", "#2563eb"}, {"strokeWidth", 2}}}};
      median["encoding"]["y"] = y;
      Json points{{"mark", {{"type", "point"}, {"filled", true}, {"color", "#111827"},
                            {"size", 22}, {"opacity", 1}}}};
      points["transform"] = Json::array({Json{{"filter", "isValid(datum.data)"}}});
      points["encoding"]["y"] = Json{{"field", "data"}, {"type", "quantitative"}};
      Json tooltip = Json::array({Json{{"field", "month"}}});
      for (const char* field : {"data", "p5", "p50", "p95"}) {
        tooltip.push_back(Json{{"field", field}, {"format", f}});
      }
      points["encoding"]["tooltip"] = tooltip;
      Json spec{{"title", {{"text", style.title}, {"subtitle", "posterior predictive, 90% band"}}},
                {"data", {{"name", "forecast"}}},
                {"transform", filter},
                {"width", 440},
                {"height", 210}};
      spec["encoding"]["x"] = report::month_x();
      spec["layer"] = Json::array({band, median, points});
      Chart chart{"calibrate-fit-" + report::chart_id(metric), spec, {"forecast"}};
      chart.time = report::TimeAxis::months;
      const auto it = outside.find(metric);
      if (it != outside.end() && it->second.second > 0) {
        const double share = double(it->second.first) / it->second.second;
        chart.note_html = fmt::format("{} of {} observed points outside the band ({:.0f}%).",
                                      it->second.first, it->second.second, 100 * share);
        if (share > kPoorFitShare) {
          warnings.push_back(fmt::format(
              "Poor fit of <b>{}</b>: {:.0f}% of its observed points lie outside the 90% "
              "predictive band (more than {:.0f}%). The model, the priors or the distance may "
              "not suit this metric.",
              report::escape_html(metric), 100 * share, 100 * kPoorFitShare));
        }
      }
      section.charts.push_back(std::move(chart));
    }
    page.sections.push_back(std::move(section));
  }

  // ---- the posterior of the last generation ----
  int last = 0;
  const int g = posterior.column("generation");
  for (const auto& row : posterior.rows) {
    last = std::max(last, static_cast<int>(report::parse_number(row[g]).value_or(0)));
  }
  std::vector<int> columns;  // posterior.csv column of each parameter in calibration.json
  for (const Json& p : params) {
    const int c = posterior.column(p.value("path", std::string()));
    if (c < 0) report::throw_bad_file("posterior.csv", "no column " + p.value("path", std::string()));
    columns.push_back(c);
  }
  {
    // Fields p0, p1, ...: Vega-Lite reads dots in a field name as nesting.
    Json rows = Json::array();
    const int w = posterior.column("weight");
    for (const auto& row : posterior.rows) {
      if (report::parse_number(row[g]).value_or(-1) != last) continue;
      Json r{{"weight", report::number_json(report::parse_number(row[w]))}};
      for (std::size_t i = 0; i < columns.size(); ++i) {
        r[fmt::format("p{}", i)] = report::number_json(report::parse_number(row[columns[i]]));
      }
      rows.push_back(std::move(r));
    }
    page.datasets["posterior"] = std::move(rows);
  }
  Section marginals{"Posterior marginals",
                    fmt::format("<p>Each parameter's weighted histogram over the particles of "
                                "the last generation ({}); the x axis spans the prior's range "
                                "and the dashed rules are the posterior's 5% and 95%.</p>",
                                last)};
  std::string table = "<table><thead><tr><th>parameter</th><th>prior range</th><th>5%</th>"
                      "<th>median</th><th>95%</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Json& p = params[i];
    const std::string path = p.value("path", std::string());
    const double lo = p.value("prior_lo", 0.0), hi = p.value("prior_hi", 1.0);
    const double p5 = p.value("p5", lo), p50 = p.value("p50", lo), p95 = p.value("p95", hi);
    const std::string field = fmt::format("p{}", i);
    table += fmt::format("<tr><td>{}</td><td>[{}, {}]</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                         report::escape_html(path), report::plain_number(lo),
                         report::plain_number(hi), report::plain_number(p5),
                         report::plain_number(p50), report::plain_number(p95));
    const Json spec{
        {"title", {{"text", path}}},
        {"width", 280},
        {"height", 160},
        {"layer",
         Json::array(
             {{{"data", {{"name", "posterior"}}},
               {"mark", {{"type", "bar"}, {"color", "#2563eb"}, {"opacity", 0.8}}},
               {"encoding",
                {{"x", {{"field", field}, {"bin", {{"extent", {lo, hi}}, {"maxbins", 20}}},
                        {"type", "quantitative"}, {"title", path},
                        {"scale", {{"domain", {lo, hi}}}}}},
                 {"y", {{"aggregate", "sum"}, {"field", "weight"}, {"type", "quantitative"},
                        {"title", "weight"}}}}}},
              {{"data", {{"values", Json::array({{{"v", p5}}, {{"v", p95}}})}}},
               {"mark", {{"type", "rule"}, {"color", "#111827"}, {"strokeDash", {4, 3}}}},
               {"encoding", {{"x", {{"field", "v"}, {"type", "quantitative"}}}}}}})}};
    marginals.charts.push_back(
        Chart{"calibrate-marginal-" + report::chart_id(path), spec, {"posterior"}});
    const double share = kBoundShare * (hi - lo);
    if (hi > lo && (p50 - lo < share || hi - p50 < share)) {
      warnings.push_back(fmt::format(
          "The posterior of <b>{}</b> is at its prior's {} bound (median {}, prior [{}, {}]): the "
          "data may ask for values the prior excludes; consider widening it.",
          report::escape_html(path), p50 - lo < share ? "lower" : "upper",
          report::plain_number(p50), report::plain_number(lo), report::plain_number(hi)));
    }
  }
  marginals.body_html = table + "</tbody></table>";
  page.sections.push_back(std::move(marginals));

  if (params.size() >= 2) {
    const std::size_t n = std::min<std::size_t>(params.size(), 4);
    Section pairs{"Pairs",
                  fmt::format("<p>The particles of the last generation, two parameters at a time "
                              "(dot size: weight){}; a ridge means the data fix a combination "
                              "of the two rather than each.</p>",
                              params.size() > 4 ? ", the first four parameters" : "")};
    for (std::size_t a = 0; a < n; ++a) {
      for (std::size_t b = a + 1; b < n; ++b) {
        const auto axis = [&](std::size_t i) {
          const Json& p = params[i];
          return Json{{"field", fmt::format("p{}", i)}, {"type", "quantitative"},
                      {"title", p.value("path", std::string())},
                      {"scale", {{"domain", {p.value("prior_lo", 0.0), p.value("prior_hi", 1.0)}}}}};
        };
        const Json spec{{"data", {{"name", "posterior"}}},
                        {"width", 220},
                        {"height", 220},
                        {"mark", {{"type", "circle"}, {"color", "#2563eb"}, {"opacity", 0.5}}},
                        {"encoding",
                         {{"x", axis(a)},
                          {"y", axis(b)},
                          {"size", {{"field", "weight"}, {"type", "quantitative"}, {"legend", nullptr}}}}}};
        pairs.charts.push_back(Chart{fmt::format("calibrate-pair-{}-{}", a, b), spec, {"posterior"}});
      }
    }
    page.sections.push_back(std::move(pairs));
  }

  {
    Json rows = Json::array();
    for (const auto& row : generations.rows) {
      Json r = Json::object();
      for (const char* f : {"generation", "tolerance", "acceptance_rate", "ess"}) {
        r[f] = report::number_json(cell(row, generations.column(f)));
      }
      rows.push_back(std::move(r));
    }
    page.datasets["generations"] = std::move(rows);
    Section schedule{"Tolerance schedule",
                     "<p>Per generation: the distance a particle had to beat (generation 0 draws "
                     "from the prior, with no tolerance), the share of proposals accepted and "
                     "the effective sample size of the weighted particles.</p>"};
    schedule.charts.push_back(
        Chart{"calibrate-tolerance", small_line("tolerance", "tolerance", "~g"), {"generations"}});
    schedule.charts.push_back(Chart{"calibrate-acceptance",
                                    small_line("acceptance_rate", "acceptance rate", ".0%"),
                                    {"generations"}});
    schedule.charts.push_back(
        Chart{"calibrate-ess", small_line("ess", "ESS", "~g"), {"generations"}});
    page.sections.push_back(std::move(schedule));
  }

  Section warn{"Warnings", ""};
  if (warnings.empty()) {
    warn.body_html = "<p>None: no posterior at a prior bound, and every metric's data mostly "
                     "inside its 90% predictive band.</p>";
  } else {
    warn.body_html = "<ul>";
    for (const std::string& w : warnings) warn.body_html += "<li>" + w + "</li>";
    warn.body_html += "</ul>";
  }
  page.sections.insert(page.sections.begin(), std::move(warn));
  return report::render_page(page);
}

void write_calibrate_report(const std::filesystem::path& dir) {
  const CalibrateFiles files{report::read_folder_file(dir / "calibration.json"),
                             report::read_folder_file(dir / "posterior.csv"),
                             report::read_folder_file(dir / "generations.csv"),
                             report::read_folder_file(dir / "forecast.csv")};
  write_file_atomic(dir / "report.html", calibrate_report_html(files));
}

std::string try_write_calibrate_report(const std::filesystem::path& dir) {
  try {
    write_calibrate_report(dir);
    return {};
  } catch (const InputError& e) {
    return e.diagnostics().front().to_string();
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace flywheel
