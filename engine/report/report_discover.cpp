#include "report_discover.hpp"

#include <fmt/format.h>

namespace flywheel::report {

namespace {

std::string number_text(const Json& v) {
  if (!v.is_number()) return "";
  return fmt::format("{:.4g}", v.get<double>());
}

std::string p_text(const Json& v) {
  if (!v.is_number()) return "";
  const double p = v.get<double>();
  return p < 1e-4 ? "&lt; 0.0001" : fmt::format("{:.4f}", p);
}

}  // namespace

Section discover_section(const std::string& discover_json, const std::string& trajectory_csv,
                         Json& datasets) {
  const Json meta = parse_json(discover_json, "discover.json");
  const CsvTable table = parse_csv(trajectory_csv, "discover_trajectory.csv");
  for (const char* name : {"policy", "step", "coverage", "density", "mass", "restricted", "chosen"}) {
    if (table.column(name) < 0)
      throw_bad_file("discover_trajectory.csv", fmt::format("no column {}", name));
  }
  Json rows = Json::array();
  for (const auto& row : table.rows) {
    auto at = [&](const char* name) { return row[table.column(name)]; };
    rows.push_back(Json{{"policy", "policy " + at("policy")},
                        {"step", number_json(parse_number(at("step")))},
                        {"coverage", number_json(parse_number(at("coverage")))},
                        {"density", number_json(parse_number(at("density")))},
                        {"mass", number_json(parse_number(at("mass")))},
                        {"restricted", number_json(parse_number(at("restricted")))},
                        {"chosen", at("chosen") == "1" ? "chosen box" : "peeling step"}});
  }
  datasets["discover_trajectory"] = std::move(rows);
  Section section{"Scenario discovery", ""};
  const std::string target = meta.value("target", std::string("?"));
  section.intro_html = fmt::format(
      "<p>PRIM (Friedman &amp; Fisher 1999) over the uncertainties, for the target <b>{}</b>: "
      "each scenario counts by the share of its replicates that meet it. Each dot is a box of "
      "the peeling trajectory (alpha = {}): coverage is the share of all the scenarios meeting "
      "the target that fall inside the box, density the share of the box's scenarios that meet "
      "it. The chosen box ({}) is shown larger, and then pasted.</p>",
      escape_html(target), meta.value("alpha", 0.05),
      escape_html(meta.contains("policies") && !meta["policies"].empty()
                      ? meta["policies"][0].value("choice", std::string())
                      : std::string()));
  const Json spec{
      {"title", {{"text", "Peeling trajectory: coverage against density"}}},
      {"data", {{"name", "discover_trajectory"}}},
      {"width", 420},
      {"height", 280},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "line"}, {"point", false}, {"color", "#9ca3af"}}},
             {"encoding",
              {{"x", {{"field", "coverage"}, {"type", "quantitative"}, {"scale", {{"domain", {0, 1}}}}}},
               {"y", {{"field", "density"}, {"type", "quantitative"}, {"scale", {{"zero", false}}}}},
               {"order", {{"field", "step"}}},
               {"detail", {{"field", "policy"}}}}}},
            {{"mark", {{"type", "point"}, {"filled", true}}},
             {"encoding",
              {{"x", {{"field", "coverage"}, {"type", "quantitative"}, {"title", "coverage"}}},
               {"y", {{"field", "density"}, {"type", "quantitative"}, {"title", "density"}}},
               {"color", {{"field", "policy"}, {"type", "nominal"}, {"title", nullptr}}},
               {"size",
                {{"field", "chosen"},
                 {"type", "ordinal"},
                 {"sort", {"peeling step", "chosen box"}},
                 {"title", nullptr},
                 {"scale", {{"domain", {"peeling step", "chosen box"}}, {"range", {30, 160}}}}}},
               {"tooltip",
                Json::array({{{"field", "policy"}},
                             {{"field", "step"}},
                             {{"field", "coverage"}, {"format", ".3f"}},
                             {{"field", "density"}, {"format", ".3f"}},
                             {{"field", "mass"}, {"format", ".3f"}},
                             {{"field", "restricted"}, {"title", "restricted dimensions"}}})}}}}})}};
  section.charts.push_back(Chart{"discover-trajectory", spec, {"discover_trajectory"}});
  std::string html;
  for (const Json& p : meta.value("policies", Json::array())) {
    html += fmt::format(
        "<h3>Policy {}{}</h3><p>Coverage {}, density {}, mass {} (the target holds in {} of the "
        "scenarios overall).</p>",
        p.value("policy", 0),
        p.value("levers", std::string()).empty()
            ? ""
            : " (" + escape_html(p.value("levers", std::string())) + ")",
        number_text(p["coverage"]), number_text(p["density"]), number_text(p["mass"]),
        number_text(p["base_density"]));
    const Json restricted = p.value("restricted", Json::array());
    if (restricted.empty()) {
      html += "<p>No uncertainty is restricted.</p>";
      continue;
    }
    html += "<table><thead><tr><th>uncertainty</th><th>box</th><th>range in the sweep</th>"
            "<th>quasi-p-value</th></tr></thead><tbody>";
    for (const Json& e : restricted) {
      html += fmt::format("<tr><td>{}</td><td>[{}, {}]</td><td>[{}, {}]</td><td>{}</td></tr>",
                          escape_html(e.value("parameter", std::string())), number_text(e["lo"]),
                          number_text(e["hi"]), number_text(e["data_lo"]),
                          number_text(e["data_hi"]), p_text(e["quasi_p"]));
    }
    html += "</tbody></table>";
  }
  section.body_html = html;
  return section;
}

}  // namespace flywheel::report
