#include "calibrate_units.hpp"

#include "common/text_file.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxUnitBytes = std::size_t{1} << 30;
constexpr int kFormat = 1;

InputError unit_error(const fs::path& file, const std::string& key, const std::string& message) {
  return InputError({Diagnostic{file.string(), 0, 0, key, message}});
}

// Doubles as JSON numbers in their shortest round-trip form (read back bit for bit); the
// non-finite ones JSON has no number for as strings.
nlohmann::json encode(double x) {
  if (std::isfinite(x)) return x;
  if (std::isnan(x)) return "nan";
  return x > 0 ? "inf" : "-inf";
}

double decode(const nlohmann::json& x) {
  if (x.is_number()) return x.get<double>();
  if (x.is_string()) {
    const std::string& s = x.get_ref<const std::string&>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  }
  throw std::runtime_error("a record holds " + x.dump() + ", not a number");
}

nlohmann::json record_json(std::size_t particle, const abc::ParticleOutcome& outcome) {
  nlohmann::json row = nlohmann::json::array();
  row.push_back(particle);
  for (double x : outcome.to_record()) row.push_back(encode(x));
  return row;
}

std::pair<std::size_t, abc::ParticleOutcome> record_from_json(const nlohmann::json& row) {
  if (!row.is_array() || row.size() < 5 || !row[0].is_number_unsigned())
    throw std::runtime_error("a record is not [particle, values..., distance, ln weight, "
                             "simulations, accepted]");
  std::vector<double> record;
  for (std::size_t k = 1; k < row.size(); ++k) record.push_back(decode(row[k]));
  return {row[0].get<std::size_t>(), abc::ParticleOutcome::from_record(record)};
}

// "gen-0003.shard-2-of-8.json" -> (3, 2/8); nullopt for any other name (temporary files start
// with '.').
std::optional<std::pair<int, Shard>> parse_name(const std::string& name) {
  int generation = 0, k = 0, n = 0;
  char last = 0;
  if (std::sscanf(name.c_str(), "gen-%d.shard-%d-of-%d.jso%c", &generation, &k, &n, &last) != 4 ||
      last != 'n' || generation < 0 || n < 1 || k < 1 || k > n)
    return std::nullopt;
  // Only the canonical spelling (no signs, spaces or other zeros, nothing after .json).
  if (CalibrationUnits::file_name(generation, Shard{k, n}) != name) return std::nullopt;
  return std::pair{generation, Shard{k, n}};
}

struct Found {
  fs::path path;
  int generation = 0;
  Shard shard;
};

std::vector<Found> list_units(const fs::path& dir) {
  std::vector<Found> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir / "generations", ec), end; !ec && it != end; it.increment(ec)) {
    if (auto parsed = parse_name(it->path().filename().string()))
      out.push_back({it->path(), parsed->first, parsed->second});
  }
  std::sort(out.begin(), out.end(), [](const Found& a, const Found& b) {
    return std::tie(a.generation, a.shard.count, a.shard.index) <
           std::tie(b.generation, b.shard.count, b.shard.index);
  });
  return out;
}

}  // namespace

std::vector<int> GenerationUnits::missing() const {
  std::vector<int> out;
  for (int k = 1; k <= shards; ++k) {
    if (!std::binary_search(found.begin(), found.end(), k)) out.push_back(k);
  }
  return out;
}

std::string GenerationUnits::text() const {
  nlohmann::json j;
  j["generation"] = generation;
  j["shards"] = shards;
  j["found"] = found;
  j["particles"] = outcomes.size();
  nlohmann::json records = nlohmann::json::array();
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i]) records.push_back(record_json(i, *outcomes[i]));
  }
  j["records"] = records;
  return j.dump();
}

GenerationUnits GenerationUnits::from_text(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text);
  GenerationUnits u;
  u.generation = j.at("generation").get<int>();
  u.shards = j.at("shards").get<int>();
  u.found = j.at("found").get<std::vector<int>>();
  u.outcomes.resize(j.at("particles").get<std::size_t>());
  for (const nlohmann::json& row : j.at("records")) {
    auto [i, outcome] = record_from_json(row);
    u.outcomes.at(i) = std::move(outcome);
  }
  return u;
}

std::string CalibrationUnits::file_name(int generation, Shard shard) {
  return fmt::format("gen-{:04}.shard-{}-of-{}.json", generation, shard.index, shard.count);
}

fs::path CalibrationUnits::path(int generation, Shard shard) const {
  return dir_ / "generations" / file_name(generation, shard);
}

GenerationUnits CalibrationUnits::read(int generation) const {
  std::vector<Found> files = list_units(dir_);
  std::erase_if(files, [generation](const Found& f) { return f.generation != generation; });
  GenerationUnits u;
  u.generation = generation;
  u.outcomes.resize(particles_);
  if (files.empty()) return u;
  if (files.front().shard.count != files.back().shard.count) {
    std::string names;
    for (const Found& f : files) names += (names.empty() ? "" : ", ") + f.path.filename().string();
    throw unit_error(dir_ / "generations", "",
                     fmt::format("generation {} has shard files of different layouts ({}); "
                                 "expected one N for every shard of a generation: delete the "
                                 "files of the layout you do not continue",
                                 generation, names));
  }
  u.shards = files.front().shard.count;
  for (const Found& f : files) {
    const loader::FileText read = loader::read_text_file(f.path, kMaxUnitBytes);
    if (!read.error.empty()) throw unit_error(f.path, "", "cannot read: " + read.error);
    std::size_t owned = 0;
    try {
      const nlohmann::json j = nlohmann::json::parse(read.text);
      const std::string hash = j.at("spec_hash").get<std::string>();
      if (hash != hash_) {
        throw unit_error(
            f.path, "spec_hash",
            fmt::format("belongs to another calibration (spec hash {}, this folder's {}); "
                        "expected shard files of this calibration only: delete it",
                        hash.substr(0, 12), hash_.substr(0, 12)));
      }
      if (j.at("format").get<int>() != kFormat || j.at("generation").get<int>() != generation ||
          j.at("shard").get<int>() != f.shard.index ||
          j.at("shards").get<int>() != f.shard.count ||
          j.at("particles").get<std::size_t>() != particles_)
        throw std::runtime_error("its header does not match its name and this calibration");
      for (const nlohmann::json& row : j.at("records")) {
        auto [i, outcome] = record_from_json(row);
        if (i >= particles_ || !f.shard.owns(static_cast<int>(i)) || u.outcomes[i])
          throw std::runtime_error(fmt::format("particle {} is not one of this shard's", i));
        u.outcomes[i] = std::move(outcome);
        ++owned;
      }
    } catch (const InputError&) {
      throw;
    } catch (const nlohmann::json::exception& e) {
      throw unit_error(f.path, "", std::string("is not a calibration shard file (") + e.what() +
                                       "); expected one written by flywheel calibrate --shard: "
                                       "delete it and run that shard again");
    } catch (const std::runtime_error& e) {
      throw unit_error(f.path, "", std::string("is damaged: ") + e.what() +
                                       "; expected one written by flywheel calibrate --shard: "
                                       "delete it and run that shard again");
    }
    std::size_t expected = 0;
    for (std::size_t i = 0; i < particles_; ++i) expected += f.shard.owns(static_cast<int>(i));
    if (owned != expected) {
      throw unit_error(f.path, "",
                       fmt::format("is damaged: {} particles, expected {}; delete it and run "
                                   "that shard again",
                                   owned, expected));
    }
    u.found.push_back(f.shard.index);
  }
  return u;
}

void CalibrationUnits::publish(
    int generation, Shard shard,
    const std::vector<std::pair<std::size_t, abc::ParticleOutcome>>& outcomes) const {
  nlohmann::json j;
  j["format"] = kFormat;
  j["spec_hash"] = hash_;
  j["generation"] = generation;
  j["shard"] = shard.index;
  j["shards"] = shard.count;
  j["particles"] = particles_;
  nlohmann::json records = nlohmann::json::array();
  for (const auto& [i, outcome] : outcomes) records.push_back(record_json(i, outcome));
  j["records"] = records;
  write_file_atomic(path(generation, shard), j.dump() + "\n");
}

void CalibrationUnits::remove_through(int generation) const {
  for (const Found& f : list_units(dir_)) {
    if (f.generation > generation) continue;
    std::error_code ec;
    fs::remove(f.path, ec);
  }
}

}  // namespace flywheel
