#include "mpi_farm.hpp"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <functional>
#include <optional>
#include <stdexcept>

#ifdef FLYWHEEL_WITH_MPI
#include <mpi.h>
#include <tbb/parallel_for.h>
#endif

namespace flywheel::cli {

namespace {

MpiWorld world;  // the process's MPI world, set once by mpi_start (the CLI is one process)

// Launched by a process manager with more than one rank? Open MPI, PMIx and Slurm say so.
bool launched_with_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"}) {
    if (const char* v = std::getenv(name); v != nullptr && std::atoi(v) > 1) return true;
  }
  return false;
}

}  // namespace

const MpiWorld& mpi_world() {
  return world;
}

#ifndef FLYWHEEL_WITH_MPI

MpiWorld mpi_start(int&, char**&) {
  return world;
}
void mpi_stop() {}
bool mpi_agree(bool ok) {
  return ok;
}
SweepTally mpi_run_units(UnitScheduler*, const SweepModel&, const SweepStore&,
                         const SweepProgress&) {
  throw std::logic_error("flywheel was built without MPI");
}
std::unique_ptr<ParticleFarm> mpi_particle_farm() {
  return nullptr;
}

#else

namespace {

enum Tag : int { kReport = 1, kRecord = 2, kAssign = 3 };
enum Status : int { kReady = 0, kDone = 1, kFailed = 2 };

// A job: three integers whose meaning is the caller's (a < 0 tells a worker to stop).
struct Job {
  int a = -1, b = 0, c = 0;
};

// A worker's report: status, the job it concerns, the length of the record that follows (kDone).
struct Report {
  int status, a, b, c, length;
};

// Rank 0's side of a farm: what to hand out now, whether everything is done, what to do with a
// finished job (its record; empty when it failed).
struct JobQueue {
  std::function<std::optional<Job>()> next;
  std::function<bool()> idle;  // nothing queued nor running: the workers are stopped
  std::function<void(const Job&, bool ok, std::vector<double>&&)> finished;
};

void assign(int rank, const std::optional<Job>& job) {
  const int message[3] = {job ? job->a : -1, job ? job->b : 0, job ? job->c : 0};
  MPI_Send(message, 3, MPI_INT, rank, kAssign, MPI_COMM_WORLD);
}

// Rank 0: hands out jobs to whichever rank asks until the queue is idle, then stops every worker.
void farm_coordinate(const JobQueue& queue) {
  std::deque<int> waiting;  // ranks asking for work while nothing is queued
  int stopped = 0;
  while (stopped < world.size - 1) {
    Report r{};
    MPI_Status status;
    MPI_Recv(&r, 5, MPI_INT, MPI_ANY_SOURCE, kReport, MPI_COMM_WORLD, &status);
    const int source = status.MPI_SOURCE;
    const Job job{r.a, r.b, r.c};
    if (r.status == kDone) {
      std::vector<double> record(static_cast<std::size_t>(r.length));
      MPI_Recv(record.data(), r.length, MPI_DOUBLE, source, kRecord, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      queue.finished(job, true, std::move(record));
    } else if (r.status == kFailed) {
      queue.finished(job, false, {});
    }
    waiting.push_back(source);
    // Hand out what is queued; stop everyone once nothing is queued or running.
    while (!waiting.empty()) {
      if (std::optional<Job> next = queue.next()) {
        assign(waiting.front(), next);
      } else if (queue.idle()) {
        assign(waiting.front(), std::nullopt);
        ++stopped;
      } else {
        break;  // jobs still running may queue follow-ups
      }
      waiting.pop_front();
    }
  }
}

// Ranks 1..N-1: run jobs (a record, or nullopt when the job failed) until told to stop.
void farm_work(const std::function<std::optional<std::vector<double>>(const Job&)>& run) {
  Report report{kReady, 0, 0, 0, 0};
  std::vector<double> record;
  for (;;) {
    MPI_Send(&report, 5, MPI_INT, 0, kReport, MPI_COMM_WORLD);
    if (report.status == kDone) {
      MPI_Send(record.data(), static_cast<int>(record.size()), MPI_DOUBLE, 0, kRecord,
               MPI_COMM_WORLD);
    }
    int message[3];
    MPI_Recv(message, 3, MPI_INT, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (message[0] < 0) return;
    const Job job{message[0], message[1], message[2]};
    std::optional<std::vector<double>> out = run(job);
    record = out ? std::move(*out) : std::vector<double>{};
    report = {out ? kDone : kFailed, job.a, job.b, job.c, static_cast<int>(record.size())};
  }
}

SweepTally coordinate_units(UnitScheduler& scheduler, int outputs, const SweepProgress& progress) {
  SweepTally tally;
  tally.skipped = scheduler.restored();
  JobQueue queue;
  queue.next = [&]() -> std::optional<Job> {
    const std::optional<SweepUnit> unit = scheduler.next();
    if (!unit) return std::nullopt;
    return Job{unit->point, unit->r0, unit->r1};
  };
  queue.idle = [&] { return scheduler.idle(); };
  queue.finished = [&](const Job& job, bool ok, std::vector<double>&& flat) {
    const SweepUnit unit{job.a, job.b, job.c};
    if (ok) {
      std::vector<std::vector<double> > rows;
      for (int i = 0; i < unit.r1 - unit.r0; ++i)
        rows.emplace_back(flat.begin() + i * outputs, flat.begin() + (i + 1) * outputs);
      scheduler.completed(unit, rows);
    } else {
      scheduler.failed(unit);
      ++tally.failed;
    }
    ++tally.finished;
    if (progress) progress(tally, scheduler.queued());
  };
  farm_coordinate(queue);
  return tally;
}

void work_units(const SweepModel& model, const SweepStore& store, int outputs) {
  farm_work([&](const Job& job) -> std::optional<std::vector<double>> {
    const SweepUnit unit{job.a, job.b, job.c};
    const UnitOutcome outcome = run_unit(model, store, unit);
    if (outcome.error) return std::nullopt;
    std::vector<double> flat;
    for (const auto& row : outcome.rows) flat.insert(flat.end(), row.begin(), row.end());
    if (static_cast<int>(flat.size()) != (unit.r1 - unit.r0) * outputs) {
      throw std::logic_error("a unit returned the wrong number of outputs");
    }
    return flat;
  });
}

// Every rank gets rank 0's doubles.
void broadcast(std::vector<double>& data) {
  long long size = static_cast<long long>(data.size());
  MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  data.resize(static_cast<std::size_t>(size));
  MPI_Bcast(data.data(), static_cast<int>(size), MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

// The calibration's particles over the ranks. A job is a block [a, b) of particles, computed on
// the worker's threads; its record is each particle's (length, record...) in order. Rank 0 then
// hands the whole generation to every rank the same way, preceded by a failure flag.
class MpiParticleFarm final : public ParticleFarm {
 public:
  bool writer() const override { return world.rank == 0; }

  std::vector<std::vector<double>> evaluate(
      std::size_t n, const std::function<std::vector<double>(std::size_t)>& one) override {
    std::vector<double> all;
    if (world.rank == 0) {
      // About four blocks per worker: small enough to balance particles whose attempts differ.
      const auto workers = static_cast<std::size_t>(world.size - 1);
      const std::size_t block = std::max<std::size_t>(1, (n + 4 * workers - 1) / (4 * workers));
      std::vector<std::vector<double>> records(n);
      std::size_t handed = 0, done = 0;
      bool failed = false;
      JobQueue queue;
      queue.next = [&]() -> std::optional<Job> {
        if (handed >= n || failed) return std::nullopt;
        const std::size_t first = handed;
        handed = std::min(n, handed + block);
        return Job{static_cast<int>(first), static_cast<int>(handed), 0};
      };
      queue.idle = [&] { return done == handed && (handed == n || failed); };
      queue.finished = [&](const Job& job, bool ok, std::vector<double>&& record) {
        done += static_cast<std::size_t>(job.b - job.a);
        if (!ok) {
          failed = true;
          return;
        }
        std::size_t at = 0;
        for (int i = job.a; i < job.b; ++i) {
          const auto length = static_cast<std::size_t>(record.at(at));
          records[static_cast<std::size_t>(i)].assign(
              record.begin() + static_cast<std::ptrdiff_t>(at + 1),
              record.begin() + static_cast<std::ptrdiff_t>(at + 1 + length));
          at += 1 + length;
        }
      };
      farm_coordinate(queue);
      all.push_back(failed ? 1.0 : 0.0);
      for (const std::vector<double>& r : records) {
        all.push_back(static_cast<double>(r.size()));
        all.insert(all.end(), r.begin(), r.end());
      }
    } else {
      farm_work([&](const Job& job) -> std::optional<std::vector<double>> {
        const auto first = static_cast<std::size_t>(job.a), last = static_cast<std::size_t>(job.b);
        std::vector<std::vector<double>> records(last - first);
        try {
          tbb::parallel_for(first, last, [&](std::size_t i) { records[i - first] = one(i); });
        } catch (const std::exception&) {
          return std::nullopt;
        }
        std::vector<double> flat;
        for (const std::vector<double>& r : records) {
          flat.push_back(static_cast<double>(r.size()));
          flat.insert(flat.end(), r.begin(), r.end());
        }
        return flat;
      });
    }
    broadcast(all);
    if (all.at(0) != 0.0) throw std::runtime_error("a rank failed to compute its particles");
    std::vector<std::vector<double>> out(n);
    std::size_t at = 1;
    for (std::size_t i = 0; i < n; ++i) {
      const auto length = static_cast<std::size_t>(all.at(at));
      out[i].assign(all.begin() + static_cast<std::ptrdiff_t>(at + 1),
                    all.begin() + static_cast<std::ptrdiff_t>(at + 1 + length));
      at += 1 + length;
    }
    return out;
  }

  std::string share(const std::string& text) override {
    long long size = static_cast<long long>(text.size());
    MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    std::string out = world.rank == 0 ? text : std::string(static_cast<std::size_t>(size), '\0');
    MPI_Bcast(out.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
    return out;
  }
};

}  // namespace

MpiWorld mpi_start(int& argc, char**& argv) {
  if (!launched_with_ranks()) return world;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world.size);
  return world;
}

void mpi_stop() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Finalize();
}

bool mpi_agree(bool ok) {
  if (world.size <= 1) return ok;
  int verdict = ok ? 1 : 0;
  MPI_Bcast(&verdict, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return verdict == 1;
}

SweepTally mpi_run_units(UnitScheduler* scheduler, const SweepModel& model, const SweepStore& store,
                         const SweepProgress& progress) {
  const int outputs = static_cast<int>(model.outputs());
  if (world.rank == 0) return coordinate_units(*scheduler, outputs, progress);
  work_units(model, store, outputs);
  return {};
}

std::unique_ptr<ParticleFarm> mpi_particle_farm() {
  if (world.size <= 1) return nullptr;
  return std::make_unique<MpiParticleFarm>();
}

#endif

}  // namespace flywheel::cli
