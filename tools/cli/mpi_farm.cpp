#include "mpi_farm.hpp"

#include <cstdlib>
#include <deque>
#include <stdexcept>

#ifdef FLYWHEEL_WITH_MPI
#include <mpi.h>
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

#else

namespace {

enum Tag : int { kReport = 1, kRows = 2, kAssign = 3 };
enum Status : int { kReady = 0, kDone = 1, kFailed = 2 };

// A worker's report: status and the unit it concerns.
struct Report {
  int status, point, r0, r1;
};

void assign(int rank, const std::optional<SweepUnit>& unit) {
  const int message[3] = {unit ? unit->point : -1, unit ? unit->r0 : 0, unit ? unit->r1 : 0};
  MPI_Send(message, 3, MPI_INT, rank, kAssign, MPI_COMM_WORLD);
}

SweepTally coordinate(UnitScheduler& scheduler, int outputs, const SweepProgress& progress) {
  SweepTally tally;
  tally.skipped = scheduler.restored();
  std::deque<int> waiting;  // ranks asking for work while the queue is empty
  int stopped = 0;
  while (stopped < world.size - 1) {
    Report r{};
    MPI_Status status;
    MPI_Recv(&r, 4, MPI_INT, MPI_ANY_SOURCE, kReport, MPI_COMM_WORLD, &status);
    const int source = status.MPI_SOURCE;
    const SweepUnit unit{r.point, r.r0, r.r1};
    if (r.status == kDone) {
      std::vector<double> flat(static_cast<std::size_t>((r.r1 - r.r0) * outputs));
      MPI_Recv(flat.data(), static_cast<int>(flat.size()), MPI_DOUBLE, source, kRows,
               MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      std::vector<std::vector<double> > rows;
      for (int i = 0; i < r.r1 - r.r0; ++i)
        rows.emplace_back(flat.begin() + i * outputs, flat.begin() + (i + 1) * outputs);
      scheduler.completed(unit, rows);
    } else if (r.status == kFailed) {
      scheduler.failed(unit);
      ++tally.failed;
    }
    if (r.status != kReady) {
      ++tally.finished;
      if (progress) progress(tally, scheduler.queued());
    }
    waiting.push_back(source);
    // Hand out what is queued; stop everyone once nothing is queued or running.
    while (!waiting.empty()) {
      if (std::optional<SweepUnit> next = scheduler.next()) {
        assign(waiting.front(), next);
      } else if (scheduler.idle()) {
        assign(waiting.front(), std::nullopt);
        ++stopped;
      } else {
        break;  // units still running may queue follow-up batches
      }
      waiting.pop_front();
    }
  }
  return tally;
}

void work(const SweepModel& model, const SweepStore& store, int outputs) {
  Report report{kReady, 0, 0, 0};
  std::vector<double> flat;
  for (;;) {
    MPI_Send(&report, 4, MPI_INT, 0, kReport, MPI_COMM_WORLD);
    if (report.status == kDone) {
      MPI_Send(flat.data(), static_cast<int>(flat.size()), MPI_DOUBLE, 0, kRows, MPI_COMM_WORLD);
    }
    int message[3];
    MPI_Recv(message, 3, MPI_INT, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (message[0] < 0) return;
    const SweepUnit unit{message[0], message[1], message[2]};
    const UnitOutcome outcome = run_unit(model, store, unit);
    report = {outcome.error ? kFailed : kDone, unit.point, unit.r0, unit.r1};
    flat.clear();
    for (const auto& row : outcome.rows) flat.insert(flat.end(), row.begin(), row.end());
    if (!outcome.error && static_cast<int>(flat.size()) != (unit.r1 - unit.r0) * outputs) {
      throw std::logic_error("a unit returned the wrong number of outputs");
    }
  }
}

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
  if (world.rank == 0) return coordinate(*scheduler, outputs, progress);
  work(model, store, outputs);
  return {};
}

#endif

}  // namespace flywheel::cli
