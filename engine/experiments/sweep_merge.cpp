// Merging sweep folders: the units of every shard (or of one folder) become one tidy
// results.csv, sorted by point then replicate, whatever process wrote them and in what order,
// so a sharded, MPI or resumed sweep gives the same bytes as one uninterrupted process.
#include <flywheel/experiments/sweep_run.hpp>

#include "common/sha256.hpp"
#include "common/text_file.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

InputError merge_error(const fs::path& where, const std::string& message) {
  return InputError({Diagnostic{where.string(), 0, 0, "", message}});
}

// A merge writes into one of its folders, a new or empty one, or an earlier merge of the same
// sweep; never over another sweep or files that are not a sweep's.
void check_merge_target(const fs::path& out, const std::vector<fs::path>& dirs,
                        const SweepIdentity& id) {
  std::error_code ec;
  for (const fs::path& dir : dirs) {
    if (fs::weakly_canonical(dir, ec) == fs::weakly_canonical(out, ec)) return;
  }
  const SweepStore target(out);
  if (const std::optional<SweepIdentity> found = target.identity()) {
    if (found->spec_hash == id.spec_hash) return;
    throw merge_error(out / "sweep.json",
                      "holds another sweep (spec hash " + found->spec_hash.substr(0, 12) +
                          "); expected --out to be a new folder or a merge of this sweep");
  }
  if (const std::optional<std::string> entry = target.foreign_entry()) {
    throw merge_error(out, "holds " + *entry +
                               " but no sweep.json, so it is not a sweep folder; expected --out "
                               "to be a new or empty folder");
  }
}

struct Folder {
  SweepStore store;
  SweepIdentity identity;
};

std::vector<Folder> open_folders(const std::vector<fs::path>& dirs) {
  std::vector<Folder> folders;
  for (const fs::path& dir : dirs) {
    SweepStore store(dir);
    std::optional<SweepIdentity> id = store.identity();
    if (!id)
      throw merge_error(dir,
                        "is not a sweep folder (no sweep.json); expected a folder "
                        "written by flywheel sweep");
    if (!folders.empty() && id->spec_hash != folders.front().identity.spec_hash) {
      throw merge_error(dir, "holds another sweep than " + dirs.front().string() +
                                 " (spec hash differs); expected folders of one sweep");
    }
    if (!folders.empty() && id->precision != folders.front().identity.precision) {
      throw merge_error(dir, "was run with another --precision than " + dirs.front().string() +
                                 "; expected folders of one sweep");
    }
    folders.push_back({std::move(store), std::move(*id)});
  }
  return folders;
}

std::string manifest_text(const std::vector<Folder>& folders, const MergeReport& report,
                          const std::vector<fs::path>& dirs) {
  const SweepIdentity& id = folders.front().identity;
  std::string started = id.started;
  for (const Folder& f : folders) started = std::min(started, f.identity.started);
  nlohmann::ordered_json j;
  j["flywheel_version"] = id.version;
  j["spec_file"] = id.spec_file;
  j["spec_hash"] = id.spec_hash;
  j["base"] = id.base;
  j["design"] = {{"method", id.design}, {"samples", id.design_samples}, {"seed", id.design_seed}};
  j["seed"] = id.seed;
  j["replicates_per_batch"] = id.replicates;
  j["precision"] = nullptr;
  if (id.precision) {
    j["precision"] = {{"output", id.precision->output},
                      {"target", id.precision->target},
                      {"relative", id.precision->relative},
                      {"max_replicates", id.precision->max_replicates}};
  }
  j["outputs"] = id.outputs;
  j["shards"] = id.shards;
  j["folders"] = nlohmann::json::array();
  for (const fs::path& d : dirs) j["folders"].push_back(d.string());
  j["counts"] = {{"points", report.points},
                 {"units", report.units},
                 {"rows", report.rows},
                 {"failed_units", report.failures.size()}};
  j["failures"] = nlohmann::json::array();
  for (const auto& [unit, error] : report.failures) {
    j["failures"].push_back(
        {{"point", unit.point}, {"replicates", {unit.r0, unit.r1}}, {"error", error}});
  }
  j["started"] = started;
  j["merged"] = utc_now();
  j["results_sha256"] = report.results_sha256;
  return j.dump(2) + "\n";
}

}  // namespace

MergeReport merge_sweep_folders(const std::vector<fs::path>& dirs, const fs::path& out) {
  if (dirs.empty()) throw merge_error("<command line>", "no folders; expected sweep folders");
  const std::vector<Folder> folders = open_folders(dirs);
  const SweepIdentity& id = folders.front().identity;
  const int outputs = static_cast<int>(id.outputs.size());
  std::map<SweepUnit, const Folder*> owner;
  std::map<SweepUnit, std::string> failures;
  for (const Folder& f : folders) {
    for (const SweepUnit& u : f.store.finished()) owner.emplace(u, &f);
    for (auto& [u, error] : f.store.failures()) failures.emplace(u, error);
  }
  std::map<SweepUnit, UnitRows> rows;
  for (const auto& [unit, folder] : owner) rows.emplace(unit, folder->store.read(unit, outputs));
  std::vector<SweepUnit> finished, failed;
  for (const auto& [unit, r] : rows) finished.push_back(unit);
  for (const auto& [unit, error] : failures) {
    if (!rows.contains(unit)) failed.push_back(unit);
  }
  std::erase_if(failures, [&](const auto& item) { return rows.contains(item.first); });
  UnitScheduler check(id, Shard{1, 1}, finished, failed,
                      [&](const SweepUnit& u) { return rows.at(u).rows; });
  if (check.queued() > 0) {
    const SweepUnit first = *check.next();
    throw merge_error(dirs.front(),
                      fmt::format("{} units are missing (the first is point {}, replicates "
                                  "{}-{}); expected a finished sweep: run the missing shards, or "
                                  "`flywheel sweep` again on this folder, then merge",
                                  check.queued() + 1, first.point, first.r0, first.r1 - 1));
  }
  std::string results = "point,replicate,seed";
  for (const std::string& name : id.outputs) results += "," + name;
  results += "\n";
  MergeReport report;
  report.points = id.points;
  for (const auto& [unit, r] : rows) {
    results += r.csv;
    report.rows += static_cast<int>(r.rows.size());
  }
  report.units = static_cast<int>(rows.size());
  report.failures = failures;
  report.results_sha256 = sha256_hex(results);
  check_merge_target(out, dirs, id);
  fs::create_directories(out);
  const loader::FileText points =
      loader::read_text_file(dirs.front() / "points.csv", std::size_t{1} << 30);
  if (!points.error.empty())
    throw merge_error(dirs.front() / "points.csv", "cannot read: " + points.error);
  if (fs::weakly_canonical(out) != fs::weakly_canonical(dirs.front())) {
    SweepStore(out).write_identity(id);
  }
  write_file_atomic(out / "results.csv", results);
  write_file_atomic(out / "points.csv", points.text);
  write_file_atomic(out / "manifest.json", manifest_text(folders, report, dirs));
  return report;
}

}  // namespace flywheel
