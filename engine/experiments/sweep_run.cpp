#include <flywheel/experiments/sweep_run.hpp>

#include "common/sha256.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/common/version.hpp>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <ctime>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

InputError folder_error(const fs::path& dir, const std::string& message) {
  return InputError({Diagnostic{(dir / "sweep.json").string(), 0, 0, "", message}});
}

InputError option_error(const std::string& option, const std::string& message) {
  return InputError({Diagnostic{"<command line>", 0, 0, option, message}});
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

Sweep::Sweep(SweepSpec spec) : spec_(std::move(spec)), points_(sweep_points(spec_)) {
  model_ = std::make_unique<SweepModel>(spec_, points_);
}

SweepIdentity Sweep::identity(const std::optional<Precision>& precision, int shards) const {
  SweepIdentity id;
  id.version = kVersion;
  id.spec_hash = sha256_hex(fmt::format("flywheel {}\n{}\n{}\n{}", kVersion, spec_.text,
                                        model_->base_json(), points_csv_text(points_)));
  id.spec_file = spec_.file;
  id.base = spec_.model.empty() ? spec_.base_file : "model:" + spec_.model;
  id.engine = sweep_engine_name(spec_.engine);
  id.design = design_method_name(spec_.method);
  id.design_samples = spec_.samples;
  id.design_seed = spec_.design_seed;
  id.design_levels = spec_.levels;
  id.design_bootstrap = spec_.bootstrap;
  for (const SweepParam& p : spec_.levers) id.levers.push_back(p.path);
  for (const SweepParam& p : spec_.uncertainties) id.uncertainties.push_back(p.path);
  id.policies = points_.policies;
  id.scenarios = points_.scenarios;
  id.points = points_.size();
  id.replicates = model_->replicates();
  id.seed = model_->seed();
  for (const OutputSpec& o : spec_.outputs) id.outputs.push_back(o.name);
  id.precision = precision;
  id.shards = shards;
  id.started = utc_now();
  return id;
}

std::optional<Precision> sweep_precision(const Sweep& sweep, const std::string& text,
                                         int max_replicates) {
  if (text.empty()) return std::nullopt;
  if (sweep.spec().engine == SweepEngine::mean_field) {
    throw option_error("--precision",
                       "the sweep's engine is mean_field: one deterministic evaluation per point, "
                       "so there is no interval to narrow; expected no --precision, or engine: "
                       "agent");
  }
  const int replicates = sweep.model().replicates();
  std::vector<std::string> names;
  for (const OutputSpec& o : sweep.spec().outputs) names.push_back(o.name);
  const int max = max_replicates > 0 ? max_replicates : 50 * replicates;
  if (max < replicates) {
    throw option_error("--max-replicates", fmt::format("{} is below the {} replicates of the first "
                                                       "batch; expected at least {}",
                                                       max, replicates, replicates));
  }
  std::string problem;
  std::optional<Precision> precision = parse_precision(text, names, max, problem);
  if (!precision) throw option_error("--precision", problem);
  return precision;
}

SweepStore open_sweep_folder(const fs::path& dir, const SweepIdentity& identity, bool force_new,
                             const std::string& points_csv) {
  SweepStore store(dir);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw InputError({Diagnostic{dir.string(), 0, 0, "",
                                 "exists and is not a folder; expected a sweep folder (--out)"}});
  }
  std::optional<SweepIdentity> found = store.identity();
  if (found && force_new) {
    store.clear();
    found.reset();
  }
  if (found) {
    if (found->spec_hash != identity.spec_hash) {
      throw folder_error(dir, "holds another sweep (spec hash " + found->spec_hash.substr(0, 12) +
                                  ", this spec is " + identity.spec_hash.substr(0, 12) +
                                  "): the spec, its base scenario or flywheel changed; expected "
                                  "the same sweep to resume, or --force-new to start over");
    }
    if (found->shards != identity.shards) {
      throw folder_error(dir, fmt::format("was started with {} shards, not {}; expected the same "
                                          "--shard k/{} for every part of a sweep",
                                          found->shards, identity.shards, found->shards));
    }
    if (found->precision != identity.precision) {
      throw folder_error(dir,
                         "was started with another --precision; expected the same "
                         "--precision (or none) to resume, or --force-new");
    }
    std::error_code missing;
    if (!fs::exists(dir / "points.csv", missing)) store.write_points(points_csv);  // killed early
    return store;
  }
  if (const std::optional<std::string> entry = store.foreign_entry(); entry && !force_new) {
    throw InputError({Diagnostic{dir.string(), 0, 0, "",
                                 "holds " + *entry +
                                     " but no sweep.json, so it is not a sweep folder; expected "
                                     "a new or empty folder (--out DIR), or --force-new to "
                                     "write into it anyway"}});
  }
  // points.csv before sweep.json: sweep.json marks a folder as started.
  fs::create_directories(dir);
  store.write_points(points_csv);
  store.write_identity(identity);
  return store;
}

UnitScheduler resume_scheduler(const SweepStore& store, const SweepIdentity& identity, Shard shard,
                               bool retry_failed) {
  std::vector<SweepUnit> failed;
  for (const auto& [unit, error] : store.failures()) {
    if (!shard.owns(unit.point)) continue;
    if (retry_failed) {
      store.forget_failure(unit);
    } else {
      failed.push_back(unit);
    }
  }
  const int outputs = static_cast<int>(identity.outputs.size());
  return UnitScheduler(identity, shard, store.finished(), failed,
                       [&](const SweepUnit& u) { return store.read(u, outputs).rows; });
}

UnitOutcome run_unit(const SweepModel& model, const SweepStore& store, const SweepUnit& unit) {
  UnitOutcome outcome;
  try {
    outcome.rows = model.evaluate(unit.point, unit.r0, unit.r1);
  } catch (const InputError& e) {
    std::string text;
    for (const Diagnostic& d : e.diagnostics()) text += (text.empty() ? "" : "; ") + d.to_string();
    outcome.error = text;
  } catch (const std::exception& e) {
    outcome.error = std::string("internal error: ") + e.what();
  }
  if (outcome.error) {
    store.publish_failure(unit, *outcome.error);
  } else {
    store.publish(unit, model.seed(), outcome.rows);
  }
  return outcome;
}

SweepTally run_units(UnitScheduler& scheduler, const SweepModel& model, const SweepStore& store,
                     const SweepProgress& progress, const std::function<bool()>& stop) {
  SweepTally tally;
  auto stopping = [&] {
    // Once nothing is left, a late signal changes nothing: the sweep is complete.
    if (!scheduler.idle() && stop && stop()) tally.stopped = true;
    return tally.stopped;
  };
  tally.skipped = scheduler.restored();
  auto account = [&](const SweepUnit& unit, const UnitOutcome& outcome) {
    ++tally.finished;
    if (outcome.error) {
      ++tally.failed;
      scheduler.failed(unit);
    } else {
      scheduler.completed(unit, outcome.rows);
    }
    if (progress) progress(tally, scheduler.queued());
  };
  if (model.deterministic()) {
    // One evaluation per point (engine: mean_field): batches of points side by side. Each unit
    // is its own file and depends on nothing else, so the bytes are the same at any thread
    // count; the scheduler hears of them in order.
    constexpr std::size_t kBatch = 256;
    std::vector<SweepUnit> batch;
    while (!stopping()) {
      batch.clear();
      while (batch.size() < kBatch) {
        const std::optional<SweepUnit> unit = scheduler.next();
        if (!unit) break;
        batch.push_back(*unit);
      }
      if (batch.empty()) break;
      // A stop drops the units of the batch not yet started: no file, so they run on resume.
      std::vector<std::optional<UnitOutcome>> outcomes(batch.size());
      tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
        if (!(stop && stop())) outcomes[i] = run_unit(model, store, batch[i]);
      });
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (outcomes[i]) account(batch[i], *outcomes[i]);
      }
    }
    return tally;
  }
  while (!stopping()) {
    const std::optional<SweepUnit> unit = scheduler.next();
    if (!unit) break;
    account(*unit, run_unit(model, store, *unit));
  }
  return tally;
}

}  // namespace flywheel
