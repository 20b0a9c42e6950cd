// The calibration's particles over the MPI ranks (calibrate.hpp, ParticleFarm), on the task farm
// of mpi_farm.hpp. A task is a block [first, last) of one generation's particles, computed on
// the worker's threads; its numbers are each particle's (length, record...) in particle order.
// Rank 0 then hands the whole generation to every rank, so that all ranks compute the same
// tolerance, kernel and stop decision from records copied bit for bit.
#include "mpi_farm.hpp"

#include <algorithm>
#include <stdexcept>

#ifdef FLYWHEEL_WITH_MPI
#include <mpi.h>
#include <tbb/parallel_for.h>
#endif

namespace flywheel::cli {

#ifndef FLYWHEEL_WITH_MPI

std::unique_ptr<ParticleFarm> mpi_particle_farm() {
  return nullptr;
}

#else

namespace {

// Every rank gets rank 0's doubles.
void broadcast(std::vector<double>& data) {
  long long size = static_cast<long long>(data.size());
  MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  data.resize(static_cast<std::size_t>(size));
  MPI_Bcast(data.data(), static_cast<int>(size), MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

// Appends each record as (length, values...).
void flatten(const std::vector<std::vector<double>>& records, std::vector<double>& out) {
  for (const std::vector<double>& r : records) {
    out.push_back(static_cast<double>(r.size()));
    out.insert(out.end(), r.begin(), r.end());
  }
}

// Reads `count` records written by flatten from `at` on, into out[first..first + count).
std::size_t unflatten(const std::vector<double>& flat, std::size_t at, std::size_t first,
                      std::size_t count, std::vector<std::vector<double>>& out) {
  for (std::size_t i = first; i < first + count; ++i) {
    const auto length = static_cast<std::size_t>(flat.at(at));
    out[i].assign(flat.begin() + static_cast<std::ptrdiff_t>(at + 1),
                  flat.begin() + static_cast<std::ptrdiff_t>(at + 1 + length));
    at += 1 + length;
  }
  return at;
}

class MpiParticleFarm final : public ParticleFarm {
 public:
  bool writer() const override { return mpi_world().rank == 0; }

  std::vector<std::vector<double>> evaluate(
      std::size_t n, const std::function<std::vector<double>(std::size_t)>& one) override {
    std::vector<double> all;
    if (mpi_world().rank == 0) {
      // About four blocks per worker: small enough to balance particles whose attempts differ.
      const auto workers = static_cast<std::size_t>(mpi_world().size - 1);
      const std::size_t block = std::max<std::size_t>(1, (n + 4 * workers - 1) / (4 * workers));
      std::vector<std::vector<double>> records(n);
      std::size_t handed = 0, done = 0;
      bool failed = false;
      mpi_farm_coordinate(
          [&]() -> std::optional<FarmTask> {
            if (handed >= n || failed) return std::nullopt;
            const std::size_t first = handed;
            handed = std::min(n, handed + block);
            return FarmTask{static_cast<int>(first), static_cast<int>(handed), 0, 0};
          },
          [&] { return done == handed && (handed == n || failed); },
          [&](const FarmTask& task, FarmResult result) {
            const auto first = static_cast<std::size_t>(task[0]);
            const auto count = static_cast<std::size_t>(task[1] - task[0]);
            done += count;
            if (result.error) {
              failed = true;
              return;
            }
            unflatten(result.values, 0, first, count, records);
          });
      all.push_back(failed ? 1.0 : 0.0);
      flatten(records, all);
    } else {
      mpi_farm_work([&](const FarmTask& task) {
        const auto first = static_cast<std::size_t>(task[0]);
        const auto last = static_cast<std::size_t>(task[1]);
        std::vector<std::vector<double>> records(last - first);
        FarmResult result;
        try {
          tbb::parallel_for(first, last, [&](std::size_t i) { records[i - first] = one(i); });
        } catch (const std::exception& e) {
          result.error = e.what();
          return result;
        }
        flatten(records, result.values);
        return result;
      });
    }
    broadcast(all);
    if (all.at(0) != 0.0) throw std::runtime_error("a rank failed to compute its particles");
    std::vector<std::vector<double>> out(n);
    unflatten(all, 1, 0, n, out);
    return out;
  }

  std::string share(const std::string& text) override {
    return mpi_broadcast(text).value_or(std::string());
  }
};

}  // namespace

std::unique_ptr<ParticleFarm> mpi_particle_farm() {
  if (mpi_world().size <= 1) return nullptr;
  return std::make_unique<MpiParticleFarm>();
}

#endif

}  // namespace flywheel::cli
