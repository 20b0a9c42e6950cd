// What every report.html shares: the page (header, sections, chart containers, the embedded
// charting libraries and the JSON of the charts and their data), escaping for HTML and for JSON
// inside <script>, a small CSV reader, and the title and number format of each metric.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flywheel::report {

using Json = nlohmann::ordered_json;

// What a chart's x axis is: not time, the month as a number (fan charts) or the month as ordinal
// bands (bars). Time charts get the schedule markers (report_schedule.hpp).
enum class TimeAxis { none, months, month_bands };

// One Vega-Lite chart. Its data are named ({"data": {"name": "timeseries"}}) and stored once
// per page; `datasets` lists the names the spec uses.
struct Chart {
  Chart(std::string id_, Json spec_, std::vector<std::string> datasets_, bool wide_ = false)
      : id(std::move(id_)), spec(std::move(spec_)), datasets(std::move(datasets_)), wide(wide_) {}
  std::string id;  // unique in the page; letters, digits and '-'
  Json spec;
  std::vector<std::string> datasets;
  bool wide = false;  // spans the page's width
  TimeAxis time = TimeAxis::none;
  // Plain text: a heading drawn before the chart when it differs from the previous chart's
  // (charts of one group side by side under it); empty for none.
  std::string group;
  // HTML, already escaped: a short note drawn under the chart (the mean field's departure from
  // the replicates); empty for none.
  std::string note_html;
};

struct Section {
  Section(std::string title_, std::string intro_html_)
      : title(std::move(title_)), intro_html(std::move(intro_html_)) {}
  std::string title;
  std::string intro_html;  // HTML, already escaped
  std::vector<Chart> charts;
  std::string body_html;  // HTML after the charts, already escaped
};

struct Page {
  std::string title;                                       // plain text
  std::string kind;                                        // "Run report", ...
  std::vector<std::pair<std::string, std::string>> facts;  // plain text, shown in the header
  std::vector<Section> sections;
  Json datasets = Json::object();
};

// The self-contained HTML page: everything inline, nothing fetched.
std::string render_page(const Page& page);

// Text for HTML content and attribute values: & < > " ' escaped.
std::string escape_html(std::string_view text);
// JSON that is safe inside <script>: '<', '>' and '&' only occur in strings, where they become
// \u003c, \u003e, \u0026, so "</script>" or "<!--" in a name cannot end or confuse the element.
std::string script_json(const Json& value);
// A chart id made of the allowed characters.
std::string chart_id(std::string_view text);

// ---- reading a folder's files ----

// The file's text; a missing or unreadable file is bad input (InputError naming the file).
std::string read_folder_file(const std::filesystem::path& path);

// Bad input about one of the folder's files (InputError).
[[noreturn]] void throw_bad_file(const std::string& file, const std::string& message);
// JSON text of a folder file; malformed JSON is bad input naming the file.
Json parse_json(const std::string& text, const std::string& file);

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as long as the header
  // Index of a column, or -1.
  int column(std::string_view name) const;
};

// RFC 4180 fields (quotes optional); a row with a different field count is bad input naming the
// file and line.
CsvTable parse_csv(std::string_view text, const std::string& file);
// A number, or nullopt for an empty or non-numeric field.
std::optional<double> parse_number(std::string_view field);
// JSON number, or null when not finite.
Json number_json(double value);
Json number_json(const std::optional<double>& value);

// ---- metrics as shown ----

struct MetricStyle {
  std::string title;           // "ARR"
  std::string unit;            // "USD per year"; empty for ratios shown in %
  std::string axis_format;     // d3-format for axes: "$~s"
  std::string tooltip_format;  // d3-format for tooltips: "$,.0f"
};
// `name` is a metric name (arr_usd), or a sweep output (arr_usd@36, logo_churn@mean:1-12).
MetricStyle metric_style(std::string_view name);
// "ARR (USD per year)", or "Logo churn (monthly)" when the unit is a percentage.
std::string axis_title(const MetricStyle& style);

// The header facts shared by reports: "flywheel version" of the run and of the report.
std::string report_version();

}  // namespace flywheel::report
