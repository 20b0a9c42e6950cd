#include "report_page.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/common/version.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace flywheel::report_assets {
// Generated from tools/report/vendor/ by tools/report/embed_assets.cmake.
std::string_view vega_js();
std::string_view vega_lite_js();
std::string_view vega_embed_js();
}  // namespace flywheel::report_assets

namespace flywheel::report {

namespace {

constexpr std::string_view kStyle = R"css(
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
       color: var(--ink); background: #fff; }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: #f8fafc; }
header h1 { margin: 0 0 2px; font-size: 24px; }
header .kind { margin: 0 0 10px; color: var(--muted); text-transform: uppercase;
               letter-spacing: .06em; font-size: 12px; }
dl.facts { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0; }
dl.facts div { display: flex; gap: 6px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
nav { padding: 8px 32px; border-bottom: 1px solid var(--line); font-size: 13px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 16px; }
main { padding: 0 32px 32px; max-width: 1280px; }
section { margin-top: 28px; }
section h2 { font-size: 18px; margin: 0 0 4px; }
section h3 { font-size: 15px; margin: 20px 0 0; }
section p, section li { color: var(--muted); max-width: 900px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px 28px; margin-top: 8px; }
.chart { margin: 0; min-height: 60px; }
.chart.wide { flex-basis: 100%; }
.chart-with-note { max-width: 520px; }
.chart-with-note.wide { flex-basis: 100%; max-width: none; }
.chart[data-error] { color: #b91c1c; }
.note { padding: 8px 12px; background: #fff7ed; border-left: 3px solid #f59e0b; color: #7c2d12; }
table { border-collapse: collapse; margin-top: 8px; font-size: 13px; }
th, td { text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid var(--line); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
details pre { max-height: 480px; overflow: auto; background: #f8fafc; padding: 12px;
              border: 1px solid var(--line); font-size: 12px; }
footer { padding: 16px 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); }
)css";

// Draws every chart with vega-embed and marks each container with what it drew:
// data-marks = items in the scenegraph outside group marks (the View API), or data-error.
// body[data-charts-done] is set when all are settled (the browser test waits on it).
constexpr std::string_view kDriver = R"js(
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("report-data").textContent);
  function countMarks(node) {
    var n = 0;
    (function walk(x) {
      if (!x) return;
      if (x.marktype && x.marktype !== "group" && x.items) n += x.items.length;
      if (x.items) x.items.forEach(walk);
    })(node);
    return n;
  }
  var options = {
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false },
    config: {
      font: "system-ui, -apple-system, Segoe UI, DejaVu Sans, sans-serif",
      view: { stroke: null },
      title: { anchor: "start", fontSize: 14, subtitleColor: "#52606d", subtitleFontSize: 11 },
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, gridColor: "#edf2f7" },
      // SI-prefixed ticks share one prefix, so zero reads "$0k": show it as "$0".
      axisQuantitative: {
        labelExpr: "datum.value === 0 ? replace(datum.label, regexp('0([.]0+)?[kMGTm]$'), '0') : datum.label"
      },
      legend: { labelFontSize: 11, titleFontSize: 11 }
    }
  };
  var jobs = page.charts.map(function (chart) {
    var el = document.getElementById(chart.id);
    var spec = Object.assign({}, chart.spec, { datasets: {} });
    chart.datasets.forEach(function (name) { spec.datasets[name] = page.datasets[name]; });
    return vegaEmbed(el, spec, options).then(function (result) {
      el.setAttribute("data-marks", String(countMarks(result.view.scenegraph().root)));
    }).catch(function (error) {
      el.setAttribute("data-error", String(error));
      el.textContent = "This chart could not be drawn: " + error;
    });
  });
  Promise.all(jobs).then(function () {
    document.body.setAttribute("data-charts-done", String(jobs.length));
  });
})();
)js";

void append_fact(std::string& out, const std::string& key, const std::string& value) {
  out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>", escape_html(key), escape_html(value));
}

std::string section_html(const Section& section, int index) {
  std::string out = fmt::format("<section id=\"s{}\"><h2>{}</h2>\n{}\n", index,
                                escape_html(section.title), section.intro_html);
  if (!section.charts.empty()) {
    if (section.charts.front().group.empty()) out += "<div class=\"charts\">\n";
    std::string group;
    for (const Chart& chart : section.charts) {
      if (chart.group != group) {
        group = chart.group;
        if (&chart != &section.charts.front()) out += "</div>\n";
        out += fmt::format("<h3>{}</h3>\n<div class=\"charts\">\n", escape_html(group));
      }
      const std::string figure = fmt::format("<figure class=\"chart{}\" id=\"{}\"></figure>",
                                             chart.wide ? " wide" : "", chart.id);
      out += chart.note_html.empty()
                 ? figure + "\n"
                 : fmt::format("<div class=\"chart-with-note{}\">{}\n{}</div>\n",
                               chart.wide ? " wide" : "", figure, chart.note_html);
    }
    out += "</div>\n";
  }
  return out + section.body_html + "</section>\n";
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string script_json(const Json& value) {
  const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string chart_id(std::string_view text) {
  std::string out = "chart-";
  for (char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += plain ? c : '-';
  }
  return out;
}

std::string render_page(const Page& page) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += fmt::format("<title>{} — flywheel {}</title>\n", escape_html(page.title),
                      escape_html(page.kind));
  html += fmt::format("<style>{}</style>\n", kStyle);
  for (std::string_view js :
       {report_assets::vega_js(), report_assets::vega_lite_js(), report_assets::vega_embed_js()}) {
    html += "<script>";
    html += js;
    html += "</script>\n";
  }
  html += "</head>\n<body>\n<header>\n";
  html += fmt::format("<h1>{}</h1>\n<p class=\"kind\">flywheel {}</p>\n<dl class=\"facts\">",
                      escape_html(page.title), escape_html(page.kind));
  for (const auto& [key, value] : page.facts) append_fact(html, key, value);
  html += "</dl>\n</header>\n<nav>";
  for (std::size_t i = 0; i < page.sections.size(); ++i) {
    html += fmt::format("<a href=\"#s{}\">{}</a>", i, escape_html(page.sections[i].title));
  }
  html += "</nav>\n<main>\n";
  Json charts = Json::array();
  for (std::size_t i = 0; i < page.sections.size(); ++i) {
    html += section_html(page.sections[i], static_cast<int>(i));
    for (const Chart& chart : page.sections[i].charts) {
      charts.push_back(Json{{"id", chart.id}, {"datasets", chart.datasets}, {"spec", chart.spec}});
    }
  }
  html += fmt::format(
      "</main>\n<footer>Written by flywheel {}. Charts drawn by Vega, Vega-Lite and vega-embed "
      "(BSD-3-Clause), embedded in this file: it opens offline. Hover a chart for values; its "
      "&hellip; menu saves it as SVG or PNG.</footer>\n",
      escape_html(kVersion));
  const Json data{{"datasets", page.datasets}, {"charts", std::move(charts)}};
  html += "<script type=\"application/json\" id=\"report-data\">" + script_json(data) +
          "</script>\n<script>";
  html += kDriver;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

std::string read_folder_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError({Diagnostic{path.string(), 0, 0, "",
                                 "cannot read the file; expected it in a "
                                 "run, compare or sweep folder"}});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void throw_bad_file(const std::string& file, const std::string& message) {
  throw InputError({Diagnostic{file, 0, 0, "", message}});
}

Json parse_json(const std::string& text, const std::string& file) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw_bad_file(file, fmt::format("not JSON ({}); expected the file flywheel wrote", e.what()));
  }
}

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

// One record starting at `pos`; moves `pos` past its line end.
std::vector<std::string> csv_record(std::string_view text, std::size_t& pos) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c != '"') {
        fields.back() += c;
      } else if (pos + 1 < text.size() && text[pos + 1] == '"') {
        fields.back() += '"';
        ++pos;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      ++pos;
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

CsvTable parse_csv(std::string_view text, const std::string& file) {
  CsvTable table;
  std::size_t pos = 0;
  int line = 1;
  if (pos < text.size()) table.header = csv_record(text, pos);
  while (pos < text.size()) {
    ++line;
    std::vector<std::string> row = csv_record(text, pos);
    if (row.size() == 1 && row[0].empty()) continue;  // blank line
    if (row.size() != table.header.size()) {
      throw InputError({Diagnostic{file, line, 1, "",
                                   fmt::format("{} fields; expected {} as in the header",
                                               row.size(), table.header.size())}});
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::optional<double> parse_number(std::string_view field) {
  if (field.empty()) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size()) return std::nullopt;
  return value;
}

Json number_json(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json number_json(const std::optional<double>& value) {
  return value ? number_json(*value) : Json(nullptr);
}

std::string report_version() {
  return kVersion;
}

}  // namespace flywheel::report
