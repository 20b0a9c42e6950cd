// The optimize report: the best candidate, the convergence trace and the trade-off frontier of
// an optimize folder (optimize.json, trace.csv, candidates.csv, frontier.csv).
#include "report_page.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>

namespace flywheel {

namespace {

using report::Chart;
using report::Json;
using report::Section;

std::string number_text(const Json& v) {
  return v.is_number() ? fmt::format("{:.6g}", v.get<double>()) : std::string("undefined");
}

Json rows_of(const report::CsvTable& table, const std::vector<std::string>& text_columns) {
  Json rows = Json::array();
  for (const auto& row : table.rows) {
    Json r = Json::object();
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      const std::string& name = table.header[c];
      if (std::find(text_columns.begin(), text_columns.end(), name) != text_columns.end()) {
        r[name] = row[c];
      } else {
        r[name] = report::number_json(report::parse_number(row[c]));
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

std::string optimize_report_html(const OptimizeFiles& files) {
  const Json meta = report::parse_json(files.optimize_json, "optimize.json");
  const report::CsvTable trace = report::parse_csv(files.trace_csv, "trace.csv");
  for (const char* name : {"run", "call", "objective", "best_objective", "feasible"}) {
    if (trace.column(name) < 0) report::throw_bad_file("trace.csv", fmt::format("no column {}", name));
  }
  const Json objective = meta.value("objective", Json::object());
  const std::string direction = objective.contains("maximize") ? "maximize" : "minimize";
  const std::string statistic = objective.value(direction, std::string("?"));
  report::Page page;
  page.title = meta.value("spec_file", std::string("optimize"));
  page.kind = "optimize report";
  page.facts = {{"base", meta.value("base", std::string("?"))},
                {"engine", meta.value("engine", std::string("agent"))},
                {"method", meta.value("method", std::string("?"))},
                {"objective", direction + " " + statistic},
                {"scenarios x replicates",
                 fmt::format("{} x {}", meta.value("scenarios", 0), meta.value("replicates", 0))},
                {"candidates", fmt::format("{} ({} simulated)", meta.value("candidates", 0),
                                           meta.value("simulated", 0))},
                {"run by flywheel", meta.value("flywheel_version", std::string("?"))}};
  const Json best = meta.value("best", Json::object());
  std::string html = "<table><thead><tr><th>decision</th><th>best value</th><th>range</th></tr>"
                     "</thead><tbody>";
  const Json decisions = meta.value("decisions", Json::array());
  const Json values = best.value("values", Json::array());
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>[{}, {}]{}</td></tr>",
                        report::escape_html(decisions[i].value("path", std::string())),
                        report::escape_html(i < values.size() ? values[i].get<std::string>() : ""),
                        number_text(decisions[i]["lo"]), number_text(decisions[i]["hi"]),
                        decisions[i].value("integer", false) ? ", whole numbers" : "");
  }
  html += "</tbody></table>";
  html += fmt::format("<p>{} <b>{}</b> = {} (95% interval {} to {}){}.</p>",
                      direction, report::escape_html(statistic), number_text(best["objective"]),
                      number_text(best["lo"]), number_text(best["hi"]),
                      best.value("feasible", false) ? ""
                                                    : "; <b>no candidate met every constraint</b>: "
                                                      "this one misses them least");
  Json constraints = meta.value("constraints", Json::array());
  if (!constraints.empty()) {
    html += "<p>Constraints:</p><ul>";
    for (const Json& c : constraints) html += "<li>" + report::escape_html(c.get<std::string>()) + "</li>";
    html += "</ul>";
  }
  Section best_section{"Best candidate",
                       "<p>Every candidate is evaluated on the same scenarios of the uncertainty "
                       "design with the same replicate seeds (common random numbers), so "
                       "differences between candidates are not sampling noise.</p>"};
  best_section.body_html = html;
  page.sections.push_back(std::move(best_section));

  page.datasets["trace"] = rows_of(trace, {"run"});
  const Json trace_spec{
      {"title", {{"text", "Convergence: objective per optimiser call"}}},
      {"data", {{"name", "trace"}}},
      {"width", 460},
      {"height", 260},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "point"}, {"opacity", 0.6}}},
             {"encoding",
              {{"x", {{"field", "call"}, {"type", "quantitative"}, {"title", "optimiser call"}}},
               {"y", {{"field", "objective"}, {"type", "quantitative"}, {"title", statistic},
                      {"scale", {{"zero", false}}}}},
               {"color", {{"field", "run"}, {"type", "nominal"}, {"title", nullptr}}},
               {"shape",
                {{"field", "feasible"}, {"type", "nominal"}, {"title", "feasible"}}},
               {"tooltip", Json::array({{{"field", "run"}},
                                        {{"field", "call"}},
                                        {{"field", "candidate"}},
                                        {{"field", "objective"}, {"format", ".4~g"}}})}}}},
            {{"mark", {{"type", "line"}, {"interpolate", "step-after"}}},
             {"encoding",
              {{"x", {{"field", "call"}, {"type", "quantitative"}}},
               {"y", {{"field", "best_objective"}, {"type", "quantitative"}}},
               {"color", {{"field", "run"}, {"type", "nominal"}}}}}}})}};
  Section convergence{"Convergence",
                      "<p>Dots: the objective of each candidate the optimiser asked for (shape: "
                      "whether it met the constraints); line: the best feasible so far.</p>"};
  convergence.charts.push_back(Chart{"optimize-trace", trace_spec, {"trace"}});
  page.sections.push_back(std::move(convergence));

  if (!files.frontier_csv.empty()) {
    const report::CsvTable frontier = report::parse_csv(files.frontier_csv, "frontier.csv");
    page.datasets["frontier"] = rows_of(frontier, {});
    const std::string varied =
        meta.contains("frontier") ? meta["frontier"].value("constraint", std::string()) : "";
    const Json frontier_spec{
        {"title", {{"text", "Trade-off frontier"}}},
        {"data", {{"name", "frontier"}}},
        {"width", 460},
        {"height", 260},
        {"layer",
         Json::array(
             {{{"mark", {{"type", "rule"}}},
               {"encoding",
                {{"x", {{"field", "bound"}, {"type", "quantitative"}}},
                 {"y", {{"field", "objective_lo"}, {"type", "quantitative"}}},
                 {"y2", {{"field", "objective_hi"}}}}}},
              {{"mark", {{"type", "line"}, {"point", true}}},
               {"encoding",
                {{"x", {{"field", "bound"}, {"type", "quantitative"}, {"title", "bound of " + varied}}},
                 {"y", {{"field", "objective"}, {"type", "quantitative"}, {"title", statistic},
                        {"scale", {{"zero", false}}}}},
                 {"tooltip", Json::array({{{"field", "bound"}, {"format", ".4~g"}},
                                          {{"field", "objective"}, {"format", ".4~g"}},
                                          {{"field", "objective_lo"}, {"format", ".4~g"}},
                                          {{"field", "objective_hi"}, {"format", ".4~g"}},
                                          {{"field", "feasible"}}})}}}}})}};
    Section section{"Trade-off frontier",
                    "<p>The best objective found when the bound of <b>" +
                        report::escape_html(varied) +
                        "</b> is moved, re-optimised at each level (rules: 95% intervals).</p>"};
    section.charts.push_back(Chart{"optimize-frontier", frontier_spec, {"frontier"}});
    page.sections.push_back(std::move(section));
  }
  return report::render_page(page);
}

std::string try_write_optimize_report(const std::filesystem::path& dir) {
  try {
    std::error_code ec;
    const std::filesystem::path frontier = dir / "frontier.csv";
    const OptimizeFiles files{report::read_folder_file(dir / "optimize.json"),
                              report::read_folder_file(dir / "trace.csv"),
                              report::read_folder_file(dir / "candidates.csv"),
                              std::filesystem::exists(frontier, ec)
                                  ? report::read_folder_file(frontier)
                                  : std::string()};
    write_file_atomic(dir / "report.html", optimize_report_html(files));
    return {};
  } catch (const InputError& e) {
    return e.diagnostics().front().to_string();
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace flywheel
