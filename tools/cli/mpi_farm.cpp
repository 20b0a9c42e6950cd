#include "mpi_farm.hpp"

#include <algorithm>
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
void mpi_farm_coordinate(const std::function<std::optional<FarmTask>()>&,
                         const std::function<bool()>&,
                         const std::function<void(const FarmTask&, FarmResult)>&) {
  throw std::logic_error("flywheel was built without MPI");
}
void mpi_farm_work(const std::function<FarmResult(const FarmTask&)>&) {
  throw std::logic_error("flywheel was built without MPI");
}
std::optional<std::string> mpi_broadcast(const std::optional<std::string>& text) {
  return text;
}

#else

namespace {

enum Tag : int { kReport = 1, kRows = 2, kAssign = 3, kError = 4 };
enum Status : int { kReady = 0, kDone = 1, kFailed = 2 };

// A worker's report: status and the task it concerns; rank 0's answer: 1 and a task, or 0 (the
// round is over).
using Message = std::array<int, 5>;

void assign(int rank, const std::optional<FarmTask>& task) {
  Message message{task ? 1 : 0, 0, 0, 0, 0};
  if (task) std::copy(task->begin(), task->end(), message.begin() + 1);
  MPI_Send(message.data(), 5, MPI_INT, rank, kAssign, MPI_COMM_WORLD);
}

// Receives the message of `tag` that `source` sent, whatever its length.
template <typename T>
std::vector<T> receive_all(int source, int tag, MPI_Datatype type) {
  MPI_Status status;
  MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, type, &count);
  std::vector<T> data(static_cast<std::size_t>(count));
  MPI_Recv(data.data(), count, type, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return data;
}

}  // namespace

void mpi_farm_coordinate(const std::function<std::optional<FarmTask>()>& next,
                         const std::function<bool()>& idle,
                         const std::function<void(const FarmTask&, FarmResult)>& done) {
  std::deque<int> waiting;  // ranks asking for work while the queue is empty
  int stopped = 0;
  while (stopped < world.size - 1) {
    Message report{};
    MPI_Status status;
    MPI_Recv(report.data(), 5, MPI_INT, MPI_ANY_SOURCE, kReport, MPI_COMM_WORLD, &status);
    const int source = status.MPI_SOURCE;
    const FarmTask task{report[1], report[2], report[3], report[4]};
    if (report[0] == kDone) {
      done(task, FarmResult{receive_all<double>(source, kRows, MPI_DOUBLE), std::nullopt});
    } else if (report[0] == kFailed) {
      const std::vector<char> text = receive_all<char>(source, kError, MPI_CHAR);
      done(task, FarmResult{{}, std::string(text.begin(), text.end())});
    }
    waiting.push_back(source);
    // Hand out what is queued; end the round for everyone once nothing is queued or running.
    while (!waiting.empty()) {
      if (std::optional<FarmTask> task_next = next()) {
        assign(waiting.front(), task_next);
      } else if (idle()) {
        assign(waiting.front(), std::nullopt);
        ++stopped;
      } else {
        break;  // tasks still running may queue follow-up tasks
      }
      waiting.pop_front();
    }
  }
}

void mpi_farm_work(const std::function<FarmResult(const FarmTask&)>& run) {
  Message report{kReady, 0, 0, 0, 0};
  FarmResult result;
  for (;;) {
    MPI_Send(report.data(), 5, MPI_INT, 0, kReport, MPI_COMM_WORLD);
    if (report[0] == kDone) {
      MPI_Send(result.values.data(), static_cast<int>(result.values.size()), MPI_DOUBLE, 0,
               kRows, MPI_COMM_WORLD);
    } else if (report[0] == kFailed) {
      MPI_Send(result.error->data(), static_cast<int>(result.error->size()), MPI_CHAR, 0, kError,
               MPI_COMM_WORLD);
    }
    Message message{};
    MPI_Recv(message.data(), 5, MPI_INT, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (message[0] == 0) return;
    const FarmTask task{message[1], message[2], message[3], message[4]};
    result = run(task);
    report = {result.error ? kFailed : kDone, task[0], task[1], task[2], task[3]};
  }
}

std::optional<std::string> mpi_broadcast(const std::optional<std::string>& text) {
  if (world.size <= 1) return text;
  long long length = text ? static_cast<long long>(text->size()) : -1;
  MPI_Bcast(&length, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  if (length < 0) return std::nullopt;
  std::string received =
      world.rank == 0 && text ? *text : std::string(static_cast<std::size_t>(length), '\0');
  MPI_Bcast(received.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  return received;
}

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

#endif

// The sweep on the farm: a task is a unit (point, r0, r1); the worker publishes its file and
// sends its rows back for the scheduler (--precision's follow-up batches).
SweepTally mpi_run_units(UnitScheduler* scheduler, const SweepModel& model, const SweepStore& store,
                         const SweepProgress& progress) {
  const int outputs = static_cast<int>(model.outputs());
  if (world.rank != 0) {
    mpi_farm_work([&](const FarmTask& task) {
      const SweepUnit unit{task[0], task[1], task[2]};
      const UnitOutcome outcome = run_unit(model, store, unit);
      FarmResult result{{}, outcome.error};
      for (const auto& row : outcome.rows) result.values.insert(result.values.end(), row.begin(), row.end());
      if (!outcome.error && static_cast<int>(result.values.size()) != (unit.r1 - unit.r0) * outputs)
        throw std::logic_error("a unit returned the wrong number of outputs");
      return result;
    });
    return {};
  }
  SweepTally tally;
  tally.skipped = scheduler->restored();
  mpi_farm_coordinate(
      [&]() -> std::optional<FarmTask> {
        const std::optional<SweepUnit> unit = scheduler->next();
        if (!unit) return std::nullopt;
        return FarmTask{unit->point, unit->r0, unit->r1, 0};
      },
      [&] { return scheduler->idle(); },
      [&](const FarmTask& task, FarmResult result) {
        const SweepUnit unit{task[0], task[1], task[2]};
        if (result.error) {
          scheduler->failed(unit);
          ++tally.failed;
        } else {
          std::vector<std::vector<double>> rows;
          for (int i = 0; i < unit.r1 - unit.r0; ++i)
            rows.emplace_back(result.values.begin() + i * outputs,
                              result.values.begin() + (i + 1) * outputs);
          scheduler->completed(unit, rows);
        }
        ++tally.finished;
        if (progress) progress(tally, scheduler->queued());
      });
  return tally;
}

}  // namespace flywheel::cli
