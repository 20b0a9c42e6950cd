#include <flywheel/experiments/sweep_store.hpp>

#include "common/text_file.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxUnitBytes = std::size_t{1} << 30;

std::optional<int> digits(std::string_view text, std::size_t width) {
  int value = 0;
  if (text.size() != width) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string read_or_throw(const fs::path& path) {
  const loader::FileText read = loader::read_text_file(path, kMaxUnitBytes);
  if (!read.error.empty())
    throw std::runtime_error("cannot read " + path.string() + ": " + read.error);
  return read.text;
}

std::vector<double> parse_row(std::string_view line, int outputs, const fs::path& file) {
  std::vector<double> values;
  std::size_t start = 0;
  for (int field = 0; start <= line.size(); ++field) {
    std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) comma = line.size();
    if (field >= 3) {  // point, replicate, seed come first
      const std::string text(line.substr(start, comma - start));
      values.push_back(text.empty() ? std::nan("") : std::stod(text));
    }
    start = comma + 1;
  }
  if (static_cast<int>(values.size()) != outputs) {
    throw std::runtime_error(fmt::format("{}: a row has {} outputs, expected {}", file.string(),
                                         values.size(), outputs));
  }
  return values;
}

std::vector<SweepUnit> units_with_extension(const fs::path& dir, std::string_view extension) {
  std::vector<SweepUnit> units;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return units;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const fs::path& p = entry.path();
    if (p.extension() != extension) continue;  // temporary files start with '.' and end in -PID
    if (auto unit = parse_unit_file_stem(p.stem().string())) units.push_back(*unit);
  }
  std::sort(units.begin(), units.end());
  return units;
}

}  // namespace

std::string unit_file_stem(const SweepUnit& unit) {
  return fmt::format("p{:06}-r{:06}-{:06}", unit.point, unit.r0, unit.r1);
}

std::optional<SweepUnit> parse_unit_file_stem(const std::string& stem) {
  // p000012-r000000-000020
  if (stem.size() != 22 || stem[0] != 'p' || stem[7] != '-' || stem[8] != 'r' || stem[15] != '-')
    return std::nullopt;
  const auto point = digits(std::string_view(stem).substr(1, 6), 6);
  const auto r0 = digits(std::string_view(stem).substr(9, 6), 6);
  const auto r1 = digits(std::string_view(stem).substr(16, 6), 6);
  if (!point || !r0 || !r1 || *r1 <= *r0) return std::nullopt;
  return SweepUnit{*point, *r0, *r1};
}

std::string result_row(int point, int replicate, std::uint32_t seed,
                       const std::vector<double>& outputs) {
  std::string row = fmt::format("{},{},{}", point, replicate, seed);
  for (double v : outputs) row += std::isfinite(v) ? fmt::format(",{}", v) : std::string(",");
  return row + "\n";
}

std::string SweepIdentity::json_text() const {
  nlohmann::ordered_json j;
  j["format"] = 1;
  j["flywheel_version"] = version;
  j["spec_hash"] = spec_hash;
  j["spec_file"] = spec_file;
  j["base"] = base;
  j["engine"] = engine;
  j["design"] = {{"method", design},
                 {"samples", design_samples},
                 {"seed", design_seed},
                 {"levels", design_levels},
                 {"bootstrap", design_bootstrap}};
  j["levers"] = levers;
  j["uncertainties"] = uncertainties;
  j["policies"] = policies;
  j["scenarios"] = scenarios;
  j["points"] = points;
  j["replicates"] = replicates;
  j["seed"] = seed;
  j["outputs"] = outputs;
  if (precision) {
    j["precision"] = {{"output", precision->output},
                      {"target", precision->target},
                      {"relative", precision->relative},
                      {"max_replicates", precision->max_replicates}};
  } else {
    j["precision"] = nullptr;
  }
  j["shards"] = shards;
  j["started"] = started;
  return j.dump(2) + "\n";
}

SweepIdentity SweepIdentity::from_json_text(const std::string& text, const std::string& file) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    SweepIdentity id;
    id.version = j.at("flywheel_version").get<std::string>();
    id.spec_hash = j.at("spec_hash").get<std::string>();
    id.spec_file = j.at("spec_file").get<std::string>();
    id.base = j.at("base").get<std::string>();
    id.engine = j.value("engine", std::string("agent"));  // folders from before engines
    id.design = j.at("design").at("method").get<std::string>();
    id.design_samples = j.at("design").at("samples").get<int>();
    id.design_seed = j.at("design").at("seed").get<std::uint32_t>();
    id.design_levels = j.at("design").at("levels").get<int>();
    id.design_bootstrap = j.at("design").at("bootstrap").get<int>();
    id.levers = j.at("levers").get<std::vector<std::string>>();
    id.uncertainties = j.at("uncertainties").get<std::vector<std::string>>();
    id.policies = j.at("policies").get<int>();
    id.scenarios = j.at("scenarios").get<int>();
    id.points = j.at("points").get<int>();
    id.replicates = j.at("replicates").get<int>();
    id.seed = j.at("seed").get<std::uint32_t>();
    id.outputs = j.at("outputs").get<std::vector<std::string>>();
    if (!j.at("precision").is_null()) {
      const nlohmann::json& p = j.at("precision");
      Precision precision;
      precision.output = p.at("output").get<std::string>();
      precision.target = p.at("target").get<double>();
      precision.relative = p.at("relative").get<bool>();
      precision.max_replicates = p.at("max_replicates").get<int>();
      const auto it = std::find(id.outputs.begin(), id.outputs.end(), precision.output);
      precision.output_index = static_cast<int>(it - id.outputs.begin());
      id.precision = precision;
    }
    id.shards = j.at("shards").get<int>();
    id.started = j.at("started").get<std::string>();
    return id;
  } catch (const nlohmann::json::exception& e) {
    throw InputError({Diagnostic{file, 0, 0, "",
                                 std::string("is not a flywheel sweep identity (") + e.what() +
                                     "); expected the sweep.json a "
                                     "sweep writes"}});
  }
}

SweepStore::SweepStore(fs::path dir) : dir_(std::move(dir)) {}

std::optional<SweepIdentity> SweepStore::identity() const {
  const fs::path file = dir_ / "sweep.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  return SweepIdentity::from_json_text(read_or_throw(file), file.string());
}

std::optional<std::string> SweepStore::foreign_entry() const {
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool started = name == "points.csv" || name.starts_with(".points.csv.tmp-") ||
                         name.starts_with(".sweep.json.tmp-") ||
                         (name == "units" && fs::is_empty(it->path(), ec));
    if (!started) return name;
  }
  return std::nullopt;
}

void SweepStore::write_identity(const SweepIdentity& identity) const {
  fs::create_directories(dir_ / "units");
  write_file_atomic(dir_ / "sweep.json", identity.json_text());
}

void SweepStore::write_points(const std::string& points_csv) const {
  write_file_atomic(dir_ / "points.csv", points_csv);
}

void SweepStore::publish(const SweepUnit& unit, std::uint32_t seed,
                         const std::vector<std::vector<double>>& rows) const {
  std::string text;
  for (std::size_t i = 0; i < rows.size(); ++i)
    text += result_row(unit.point, unit.r0 + static_cast<int>(i), seed, rows[i]);
  write_file_atomic(dir_ / "units" / (unit_file_stem(unit) + ".csv"), text);
}

void SweepStore::publish_failure(const SweepUnit& unit, const std::string& error) const {
  write_file_atomic(dir_ / "units" / (unit_file_stem(unit) + ".failed"), error + "\n");
}

void SweepStore::forget_failure(const SweepUnit& unit) const {
  std::error_code ec;
  fs::remove(dir_ / "units" / (unit_file_stem(unit) + ".failed"), ec);
}

void SweepStore::clear() const {
  std::error_code ec;
  fs::remove_all(dir_ / "units", ec);
  for (const char* name : {"sweep.json", "points.csv", "results.csv", "manifest.json"})
    fs::remove(dir_ / name, ec);
}

std::vector<SweepUnit> SweepStore::finished() const {
  return units_with_extension(dir_ / "units", ".csv");
}

std::map<SweepUnit, std::string> SweepStore::failures() const {
  std::map<SweepUnit, std::string> out;
  for (const SweepUnit& unit : units_with_extension(dir_ / "units", ".failed")) {
    std::string text = read_or_throw(dir_ / "units" / (unit_file_stem(unit) + ".failed"));
    while (!text.empty() && text.back() == '\n') text.pop_back();
    out[unit] = text;
  }
  return out;
}

UnitRows SweepStore::read(const SweepUnit& unit, int outputs) const {
  const fs::path file = dir_ / "units" / (unit_file_stem(unit) + ".csv");
  UnitRows out;
  out.csv = read_or_throw(file);
  std::size_t start = 0;
  while (start < out.csv.size()) {
    const std::size_t end = out.csv.find('\n', start);
    if (end == std::string::npos) throw std::runtime_error(file.string() + ": truncated row");
    out.rows.push_back(
        parse_row(std::string_view(out.csv).substr(start, end - start), outputs, file));
    start = end + 1;
  }
  if (static_cast<int>(out.rows.size()) != unit.r1 - unit.r0) {
    throw std::runtime_error(
        fmt::format("{}: {} rows, expected {}", file.string(), out.rows.size(), unit.r1 - unit.r0));
  }
  return out;
}

}  // namespace flywheel
