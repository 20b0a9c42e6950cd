#include "report_schedule.hpp"

#include "report_charts.hpp"

#include <fmt/format.h>

#include <map>

namespace flywheel::report {

namespace {

constexpr std::string_view kMarkerColor = "#9333ea";

Json marker_mark() {
  return Json{{"type", "rule"},
              {"color", kMarkerColor},
              {"strokeDash", {6, 3}},
              {"strokeWidth", 1.5},
              {"opacity", 0.9}};
}

Json marker_tooltip() {
  return Json::array({{{"field", "title"}, {"type", "nominal"}, {"title", "schedule change"}},
                      {{"field", "changes"}, {"type", "nominal"}, {"title", "changed"}}});
}

// The layer of a chart that is not faceted: its own data, the rule at the month boundary.
Json own_data_layer(TimeAxis axis) {
  Json x = month_x();
  if (axis == TimeAxis::month_bands) {
    // Ordinal bands: the left edge of the first month with the new values.
    x = Json{{"field", "after"}, {"type", "ordinal"}, {"title", "Month"}, {"bandPosition", 0}};
  }
  return Json{{"name", "schedule"},
              {"data", {{"name", "schedule_changes"}}},
              {"mark", marker_mark()},
              {"encoding",
               {{"x", x}, {"color", {{"value", kMarkerColor}}}, {"tooltip", marker_tooltip()}}}};
}

// Inside a facet a layer cannot bring its own data, and a lookup inside it finds no data (Vega-Lite
// puts the looked-up data where the facet cannot see it): the facet's rows look their month up
// before they are split, and the layer draws the rows that found a change (time charts have a
// row per month in each cell).
Json facet_lookup() {
  return Json{{"lookup", "month"},
              {"from",
               {{"data", {{"name", "schedule_changes"}}},
                {"key", "month"},
                {"fields", {"title", "changes"}}}},
              {"as", {"schedule_title", "schedule_changes"}}};
}

Json facet_layer() {
  return Json{
      {"name", "schedule"},
      {"transform", Json::array({{{"filter", "isValid(datum.schedule_changes)"}}})},
      {"mark", marker_mark()},
      {"encoding",
       {{"x", month_x()},
        {"color", {{"value", kMarkerColor}}},
        {"tooltip",
         Json::array(
             {{{"field", "schedule_title"}, {"type", "nominal"}, {"title", "schedule change"}},
              {{"field", "schedule_changes"}, {"type", "nominal"}, {"title", "changed"}}})}}}};
}

// A spec as a list of layers: a single-mark spec becomes a layer of one.
Json& layers_of(Json& spec) {
  if (!spec.contains("layer")) {
    Json only = Json::object();
    for (const char* key : {"mark", "encoding", "transform", "params"}) {
      if (spec.contains(key)) {
        only[key] = std::move(spec[key]);
        spec.erase(key);
      }
    }
    spec["layer"] = Json::array({std::move(only)});
  }
  return spec["layer"];
}

}  // namespace

Json schedule_rows(const std::vector<LabelledChanges>& sides, int months) {
  // month -> its lines, each with the labels of the sides that make it
  std::map<int, std::vector<std::pair<std::string, std::string>>> lines;
  for (const LabelledChanges& side : sides) {
    for (const ScheduleChange& c : side.changes) {
      if (c.month < 1 || c.month >= months) continue;
      const std::string line =
          fmt::format("{}: {} → {}", c.path, plain_number(c.from), plain_number(c.to));
      auto& month = lines[c.month];
      auto same = std::find_if(month.begin(), month.end(),
                               [&](const auto& entry) { return entry.second == line; });
      if (same == month.end()) {
        month.emplace_back(side.label, line);
      } else if (!side.label.empty()) {
        same->first += " and " + side.label;
      }
    }
  }
  Json rows = Json::array();
  for (const auto& [month, entries] : lines) {
    std::string text;
    for (const auto& [labels, line] : entries) {
      if (!text.empty()) text += '\n';
      text += labels.empty() ? line : labels + ": " + line;
    }
    rows.push_back(Json{{"month", month},
                        {"after", month + 1},
                        {"title", fmt::format("from month {} (after month {})", month + 1, month)},
                        {"changes", text}});
  }
  return rows;
}

void add_schedule_markers(Page& page, const Json& rows) {
  if (rows.empty()) return;
  bool told = false;
  for (Section& section : page.sections) {
    for (Chart& chart : section.charts) {
      if (chart.time == TimeAxis::none) continue;
      if (chart.spec.contains("facet")) {
        if (!chart.spec.contains("transform")) chart.spec["transform"] = Json::array();
        chart.spec["transform"].push_back(facet_lookup());
        layers_of(chart.spec["spec"]).push_back(facet_layer());
      } else {
        layers_of(chart.spec).push_back(own_data_layer(chart.time));
      }
      chart.datasets.push_back("schedule_changes");
      if (!told) {
        std::string months;
        for (const Json& row : rows) {
          months += (months.empty() ? "" : ", ") + std::to_string(row["month"].get<int>());
        }
        section.intro_html += fmt::format(
            "<p>Dashed purple rules mark where a schedule changes a parameter (after month {}); "
            "hover one for what changed.</p>",
            months);
        told = true;
      }
    }
  }
  page.datasets["schedule_changes"] = rows;
}

}  // namespace flywheel::report
