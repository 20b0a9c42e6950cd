#include "calibrate_store.hpp"

#include "common/text_file.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;

std::string read_or_throw(const fs::path& path) {
  const loader::FileText read = loader::read_text_file(path, kMaxFileBytes);
  if (!read.error.empty())
    throw std::runtime_error("cannot read " + path.string() + ": " + read.error);
  return read.text;
}

fs::path generation_file(const fs::path& dir, int generation) {
  return dir / "generations" / fmt::format("gen-{:04}.json", generation);
}

}  // namespace

// Doubles are written in their shortest round-trip form, so a resumed run reads back exactly
// the population it wrote.
std::string population_json(const abc::Population& pop) {
  nlohmann::json j;
  j["generation"] = pop.generation;
  j["tolerance"] = std::isfinite(pop.tolerance) ? nlohmann::json(pop.tolerance) : nullptr;
  j["simulations"] = pop.simulations;
  j["weights"] = pop.weights;
  nlohmann::json d = nlohmann::json::array();
  for (double x : pop.distances) d.push_back(std::isfinite(x) ? nlohmann::json(x) : nullptr);
  j["distances"] = d;
  j["values"] = pop.values;
  return j.dump() + "\n";
}

abc::Population population_from_json(const std::string& text, const std::string& file) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    abc::Population pop;
    pop.generation = j.at("generation").get<int>();
    pop.tolerance = j.at("tolerance").is_null() ? std::numeric_limits<double>::infinity()
                                                : j.at("tolerance").get<double>();
    pop.simulations = j.at("simulations").get<long long>();
    pop.weights = j.at("weights").get<std::vector<double>>();
    for (const auto& x : j.at("distances"))
      pop.distances.push_back(x.is_null() ? std::numeric_limits<double>::infinity()
                                          : x.get<double>());
    pop.values = j.at("values").get<std::vector<std::vector<double>>>();
    return pop;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(file + ": not a generation file: " + e.what());
  }
}

void CalibrationStore::open(const std::string& hash, const std::string& identity_json) const {
  const fs::path id = dir_ / "calibration.json";
  std::error_code ec;
  if (fs::exists(id, ec)) {
    std::string held;
    try {
      held = nlohmann::json::parse(read_or_throw(id)).value("spec_hash", "");
    } catch (const nlohmann::json::exception&) {
    }
    if (held != hash) {
      throw InputError({Diagnostic{
          id.string(), 0, 0, "spec_hash",
          "this folder holds another calibration (a different spec, data or base scenario); "
          "expected the same calibration to resume, or another --out folder"}});
    }
    return;
  }
  if (fs::exists(dir_, ec) && !fs::is_empty(dir_, ec) && !fs::exists(dir_ / "generations")) {
    throw InputError({Diagnostic{dir_.string(), 0, 0, "",
                                 "exists and is not a calibration folder; expected a new or "
                                 "empty folder, or a calibration's own to resume"}});
  }
  fs::create_directories(dir_ / "generations");
  write_file_atomic(id, identity_json);
}

std::vector<abc::Population> CalibrationStore::load() const {
  std::vector<abc::Population> pops;
  for (int g = 0;; ++g) {
    const fs::path f = generation_file(dir_, g);
    std::error_code ec;
    if (!fs::exists(f, ec)) break;
    pops.push_back(population_from_json(read_or_throw(f), f.string()));
  }
  return pops;
}

void CalibrationStore::publish(const abc::Population& pop) const {
  write_file_atomic(generation_file(dir_, pop.generation), population_json(pop));
}

}  // namespace flywheel
