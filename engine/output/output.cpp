// The output folder of a run. Every byte depends only on the run (scenario and seed): no
// timestamps, absolute paths, thread counts or timings. Numbers use fmt's shortest round-trip
// form; NaN and infinities (undefined ratios) are an empty CSV field and JSON null.
//
// replicates.csv is wide: `replicate,month,<metric1>,<metric2>,...`, one row per replicate and
// month (replicate = the engine's 0-based replicate index, month 1..M). A row is one simulated
// month, so `pd.read_csv(...)` gives one column per metric, ready for
// `df.groupby("month")["arr_usd"]` or `df.pivot(index="month", columns="replicate", values=...)`,
// and the file is about three times smaller than the long form. timeseries.csv is tidy (long):
// one row per month and metric, as its columns are the statistics.
#include <flywheel/scenario/loader.hpp>
#include <flywheel/scenario/warnings.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/common/version.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

namespace flywheel {

namespace {

namespace fs = std::filesystem;
using OrderedJson = nlohmann::ordered_json;

// Months reported in summary.json's "at_months" when within the horizon.
constexpr std::array<int, 3> kMilestoneMonths = {12, 24, 36};

void append_number(fmt::memory_buffer& out, double v) {
  if (std::isfinite(v)) fmt::format_to(std::back_inserter(out), "{}", v);
}

// ---- JSON text: 2-space indent, keys in the container's order, numbers via fmt ----

template <class Json>
void append_json(std::string& out, const Json& value, int indent);

template <class Json>
void append_json_container(std::string& out, const Json& value, int indent) {
  const bool is_object = value.is_object();
  if (value.empty()) {
    out += is_object ? "{}" : "[]";
    return;
  }
  out += is_object ? "{\n" : "[\n";
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) out += ",\n";
    first = false;
    out += pad;
    if (is_object) {
      out += Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace);
      out += ": ";
    }
    append_json(out, it.value(), indent + 2);
  }
  out += '\n';
  out.append(static_cast<std::size_t>(indent), ' ');
  out += is_object ? '}' : ']';
}

template <class Json>
void append_json(std::string& out, const Json& value, int indent) {
  switch (value.type()) {
    case Json::value_t::object:
    case Json::value_t::array:
      append_json_container(out, value, indent);
      return;
    case Json::value_t::number_float: {
      const double v = value.template get<double>();
      out += std::isfinite(v) ? fmt::format("{}", v) : "null";
      return;
    }
    case Json::value_t::number_integer:
      out += fmt::format("{}", value.template get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      out += fmt::format("{}", value.template get<std::uint64_t>());
      return;
    default:  // null, boolean, string (escaped by nlohmann; bad UTF-8 replaced, never thrown)
      out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
      return;
  }
}

// ---- summary.json pieces ----

OrderedJson distribution_json(const Distribution& d) {
  return OrderedJson{{"mean", d.mean}, {"sd", d.sd},   {"p5", d.p5},   {"p25", d.p25},
                     {"p50", d.p50},   {"p75", d.p75}, {"p95", d.p95}, {"n", d.n}};
}

OrderedJson month_json(const std::array<Distribution, kMetricCount>& month) {
  OrderedJson out = OrderedJson::object();
  for (int k = 0; k < kMetricCount; ++k) {
    out[std::string(metric_infos()[k].name)] = distribution_json(month[k]);
  }
  return out;
}

// The horizon's value of each histogram metric, per replicate in replicate order (null where
// undefined): enough for report.html's histograms without replicates.csv.
OrderedJson final_by_replicate_json(const RunSummary& summary) {
  OrderedJson out = OrderedJson::object();
  for (const Metric metric : kFinalByReplicateMetrics) {
    OrderedJson values = OrderedJson::array();
    for (const auto& months : summary.values) {
      if (!months.empty()) values.push_back(months.back()[static_cast<int>(metric)]);
    }
    out[std::string(metric_name(metric))] = std::move(values);
  }
  return out;
}

OrderedJson optional_json(const std::optional<double>& v) {
  return v ? OrderedJson(*v) : OrderedJson(nullptr);
}

OrderedJson targets_json(const std::vector<TargetResult>& targets) {
  OrderedJson out = OrderedJson::array();
  for (const TargetResult& t : targets) {
    out.push_back(OrderedJson{{"metric", t.target.metric},
                              {"at_least", optional_json(t.target.at_least)},
                              {"at_most", optional_json(t.target.at_most)},
                              {"by_month", t.target.by_month},
                              {"probability", t.probability},
                              {"reached", t.reached},
                              {"replicates", t.replicates},
                              {"ci95", OrderedJson::array({t.lo, t.hi})}});
  }
  return out;
}

// The scenario's warnings (include/flywheel/scenario/warnings.hpp): key path and message. Without
// file positions: summary.json holds the resolved scenario, whatever files and overrides made it.
OrderedJson warnings_json(const Scenario& scenario) {
  OrderedJson out = OrderedJson::array();
  for (const Diagnostic& warning : scenario_warnings(scenario)) {
    out.push_back(OrderedJson{{"path", warning.path}, {"message", warning.message}});
  }
  return out;
}

OrderedJson metrics_json() {
  OrderedJson out = OrderedJson::array();
  for (const MetricInfo& info : metric_infos()) {
    out.push_back(OrderedJson{{"name", std::string(info.name)},
                              {"unit", std::string(info.unit)},
                              {"meaning", std::string(info.meaning)}});
  }
  return out;
}

OrderedJson scenario_json(const Scenario& scenario) {
  return OrderedJson{{"name", scenario.name},
                     {"description", scenario.description},
                     {"file", scenario.source_file},
                     {"resolved", OrderedJson(scenario_to_json(scenario))}};
}

// ---- atomic write ----

[[noreturn]] void throw_write_error(const fs::path& path, std::string_view step, int error) {
  throw std::runtime_error(
      fmt::format("cannot write {}: {} ({})", path.string(), std::strerror(error), step));
}

// The temporary file: closed and removed on scope exit unless renamed.
struct TempFile {
  fs::path path;
  int fd = -1;
  bool renamed = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!renamed) ::unlink(path.c_str());
  }
};

void write_all(int fd, const std::string& content, const fs::path& path) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_write_error(path, "write", errno);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Makes the rename durable. Filesystems that cannot sync a folder report EINVAL: not an error.
void sync_folder(const fs::path& dir, const fs::path& path) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_write_error(path, "open folder", errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0 && error != EINVAL) throw_write_error(path, "fsync folder", error);
}

}  // namespace

void write_file_atomic(const fs::path& path, const std::string& content) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  TempFile temp;
  temp.path = dir / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  temp.fd = ::open(temp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (temp.fd < 0) {
    const int error = errno;
    temp.renamed = true;  // nothing was created: never unlink a file that is not ours
    throw_write_error(path, "open", error);
  }
  write_all(temp.fd, content, path);
  if (::fsync(temp.fd) != 0) throw_write_error(path, "fsync", errno);
  const int rc = ::close(temp.fd);
  temp.fd = -1;
  if (rc != 0) throw_write_error(path, "close", errno);
  if (::rename(temp.path.c_str(), path.c_str()) != 0) throw_write_error(path, "rename", errno);
  temp.renamed = true;
  sync_folder(dir, path);
}

std::string timeseries_csv_text(const RunSummary& summary) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "month,metric,mean,sd,p5,p25,p50,p75,p95,n\n");
  for (std::size_t m = 0; m < summary.by_month.size(); ++m) {
    for (int k = 0; k < kMetricCount; ++k) {
      const Distribution& d = summary.by_month[m][k];
      fmt::format_to(std::back_inserter(out), "{},{}", m + 1, metric_infos()[k].name);
      for (double v : {d.mean, d.sd, d.p5, d.p25, d.p50, d.p75, d.p95}) {
        out.push_back(',');
        append_number(out, v);
      }
      fmt::format_to(std::back_inserter(out), ",{}\n", d.n);
    }
  }
  return fmt::to_string(out);
}

std::string replicates_csv_text(const RunResult& run, const RunSummary& summary) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "replicate,month");
  for (const MetricInfo& info : metric_infos())
    fmt::format_to(std::back_inserter(out), ",{}", info.name);
  out.push_back('\n');
  for (std::size_t r = 0; r < summary.values.size(); ++r) {
    const std::uint32_t id =
        r < run.replicates.size() ? run.replicates[r].replicate : static_cast<std::uint32_t>(r);
    for (std::size_t m = 0; m < summary.values[r].size(); ++m) {
      fmt::format_to(std::back_inserter(out), "{},{}", id, m + 1);
      for (double v : summary.values[r][m]) {
        out.push_back(',');
        append_number(out, v);
      }
      out.push_back('\n');
    }
  }
  return fmt::to_string(out);
}

namespace {

// Referral cascades pooled over replicates: tree sizes (signups per seed, simulated people).
OrderedJson cascades_json(const RunResult& run) {
  std::vector<std::int64_t> pooled;
  for (const ReplicateResult& r : run.replicates) {
    if (r.cascade_histogram.size() > pooled.size()) pooled.resize(r.cascade_histogram.size(), 0);
    for (std::size_t n = 0; n < r.cascade_histogram.size(); ++n)
      pooled[n] += r.cascade_histogram[n];
  }
  std::int64_t seeds = 0, signups = 0;
  OrderedJson histogram = OrderedJson::object();
  for (std::size_t n = 0; n < pooled.size(); ++n) {
    seeds += pooled[n];
    signups += pooled[n] * static_cast<std::int64_t>(n);
    if (pooled[n] > 0) histogram[std::to_string(n)] = pooled[n];
  }
  // The smallest size whose cumulative share of seeds reaches q.
  auto quantile = [&](double q) {
    std::int64_t seen = 0;
    for (std::size_t n = 0; n < pooled.size(); ++n) {
      seen += pooled[n];
      if (static_cast<double>(seen) >= q * static_cast<double>(seeds)) return n;
    }
    return pooled.size();
  };
  OrderedJson out = OrderedJson::object();
  out["seeds"] = seeds;
  out["mean"] = seeds > 0 ? static_cast<double>(signups) / static_cast<double>(seeds) : 0.0;
  out["p50"] = quantile(0.5);
  out["p90"] = quantile(0.9);
  out["p99"] = quantile(0.99);
  out["max"] = pooled.empty() ? 0 : pooled.size() - 1;
  out["histogram"] = std::move(histogram);
  return out;
}

}  // namespace

std::string summary_json_text(const RunResult& run, const RunSummary& summary) {
  const Scenario& scenario = run.scenario;
  OrderedJson doc = OrderedJson::object();
  doc["flywheel_version"] = kVersion;
  doc["scenario"] = scenario_json(scenario);
  doc["seed"] = scenario.simulation.seed;
  doc["replicates"] = run.replicates.size();
  doc["months"] = scenario.simulation.months;
  doc["final"] =
      summary.by_month.empty() ? OrderedJson::object() : month_json(summary.by_month.back());
  OrderedJson at_months = OrderedJson::object();
  for (int month : kMilestoneMonths) {
    if (month <= static_cast<int>(summary.by_month.size())) {
      at_months[std::to_string(month)] = month_json(summary.by_month[month - 1]);
    }
  }
  doc["at_months"] = std::move(at_months);
  doc["final_by_replicate"] = final_by_replicate_json(summary);
  doc["targets"] = targets_json(summary.targets);
  doc["warnings"] = warnings_json(scenario);
  if (scenario.strategy.referrals.enabled) doc["referral_cascades"] = cascades_json(run);
  doc["metrics"] = metrics_json();
  return json_file_text(doc);
}

std::string json_file_text(const OrderedJson& doc) {
  std::string out;
  append_json(out, doc, 0);
  out += '\n';
  return out;
}

void write_run_outputs(const fs::path& dir, const RunResult& run, const RunSummary& summary,
                       const OutputOptions& options) {
  fs::create_directories(dir);
  // summary.json marks a complete run and is written last; an old one goes first, so a run
  // killed while replacing a folder never leaves new files beside an old summary.
  fs::remove(dir / "summary.json");
  write_file_atomic(dir / "timeseries.csv", timeseries_csv_text(summary));
  write_file_atomic(dir / "cohorts.csv", cohorts_csv_text(run));
  if (options.replicates_csv) {
    write_file_atomic(dir / "replicates.csv", replicates_csv_text(run, summary));
  } else {
    fs::remove(dir / "replicates.csv");  // from an earlier run: it would not match this one
  }
  if (!options.expected_csv.empty()) {
    write_file_atomic(dir / "expected.csv", options.expected_csv);
  } else {
    fs::remove(dir / "expected.csv");  // likewise
  }
  write_file_atomic(dir / "summary.json", summary_json_text(run, summary));
}

}  // namespace flywheel
