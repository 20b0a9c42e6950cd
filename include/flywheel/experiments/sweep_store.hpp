// The folder of a sweep, crash-safe by construction: work is cut into units (one point, one
// batch of replicates), and each finished unit is published as its own file, atomically
// (temporary file, fsync, rename). A unit file either holds every row of its unit or does not
// exist, so a sweep killed at any moment resumes by running the units whose files are missing.
//
//   DIR/sweep.json          identity: spec hash, points, replicates, shards, precision
//   DIR/points.csv          point,policy,scenario,<parameters>
//   DIR/units/pPPPPPP-rAAAAAA-BBBBBB.csv     rows of replicates [A, B) of point P (no header)
//   DIR/units/pPPPPPP-rAAAAAA-BBBBBB.failed  why that unit failed
//   DIR/results.csv, DIR/manifest.json       written by merge
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flywheel {

struct SweepUnit {
  int point = 0;
  int r0 = 0, r1 = 0;  // replicates [r0, r1)
  auto operator<=>(const SweepUnit&) const = default;
};

std::string unit_file_stem(const SweepUnit& unit);
std::optional<SweepUnit> parse_unit_file_stem(const std::string& stem);

// `--precision OUTPUT:TARGET`: replicates are added to a point, a batch at a time, until the
// 95% t interval of the output's mean has a half-width <= TARGET (absolute, or relative to the
// mean with a % sign), or max_replicates are reached.
struct Precision {
  std::string output;  // an output name of the spec, e.g. "arr_usd@36"
  int output_index = 0;
  double target = 0;
  bool relative = false;
  int max_replicates = 0;
  bool operator==(const Precision&) const = default;
};

// What makes two runs into the same folder the same sweep.
struct SweepIdentity {
  std::string spec_hash;  // sha256 of version, spec text, resolved base scenario, points
  std::string spec_file, base;
  std::string engine = "agent";  // sweep_engine_name: agent or mean_field
  std::string version;
  std::string design;  // method name
  int design_samples = 0;
  std::uint32_t design_seed = 0;
  int design_levels = 0;                           // morris grid levels
  int design_bootstrap = 0;                        // sensitivity bootstrap rounds
  std::vector<std::string> levers, uncertainties;  // parameter paths, in points.csv order
  int policies = 1, scenarios = 1;                 // point = policy * scenarios + scenario
  int points = 0;
  int replicates = 0;  // per batch
  std::uint32_t seed = 0;
  std::vector<std::string> outputs;
  std::optional<Precision> precision;
  int shards = 1;
  std::string started;  // UTC, ISO 8601

  std::string json_text() const;
  static SweepIdentity from_json_text(const std::string& text, const std::string& file);
};

// Finished (or failed) units found in a folder.
struct UnitRows {
  std::vector<std::vector<double>> rows;  // [replicate - r0][output]
  std::string csv;                        // the file's bytes
};

class SweepStore {
 public:
  explicit SweepStore(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }
  std::optional<SweepIdentity> identity() const;
  // The first entry of a folder without sweep.json that a sweep's start does not write (it
  // writes points.csv, an empty units/ and then sweep.json, so a kill can leave the first two):
  // such a folder is someone else's.
  std::optional<std::string> foreign_entry() const;
  void write_identity(const SweepIdentity& identity) const;
  void write_points(const std::string& points_csv) const;

  void publish(const SweepUnit& unit, std::uint32_t seed,
               const std::vector<std::vector<double>>& rows) const;
  void publish_failure(const SweepUnit& unit, const std::string& error) const;
  void forget_failure(const SweepUnit& unit) const;
  // Removes every unit and the merged files (`--force-new`).
  void clear() const;

  std::vector<SweepUnit> finished() const;
  std::map<SweepUnit, std::string> failures() const;  // unit -> error text
  UnitRows read(const SweepUnit& unit, int outputs) const;

 private:
  std::filesystem::path dir_;
};

// One result row: "point,replicate,seed,<outputs>" (NaN as an empty field).
std::string result_row(int point, int replicate, std::uint32_t seed,
                       const std::vector<double>& outputs);

}  // namespace flywheel
