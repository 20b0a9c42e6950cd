// Large state arrays are sized once per replicate; on first touch each 4 KiB page costs a page
// fault, and those faults (in a VM, several microseconds each) were a tenth of a 1M-agent run,
// all on the thread that fills the array. Asking the kernel to map the pages first
// (MADV_POPULATE_WRITE, Linux 5.14+), a chunk per task, spreads that cost over the threads and
// saves the per-page traps; where it is unsupported, nothing changes.
#pragma once

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace flywheel::model {

// Maps the pages of [data, data + bytes) now. Only whole pages inside the range are touched.
inline void prefault(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  constexpr std::size_t kMinBytes = std::size_t{1} << 20;  // small arrays: not worth a call
  if (bytes < kMinBytes) return;
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + page - 1) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(page - 1);
  if (end <= begin) return;
  constexpr std::uintptr_t kChunk = std::uintptr_t{1} << 20;  // a multiple of any page size
  tbb::parallel_for(begin, end, kChunk, [&](std::uintptr_t at) {
    madvise(reinterpret_cast<void*>(at), std::min(kChunk, end - at), MADV_POPULATE_WRITE);
  });
#else
  (void)data;
  (void)bytes;
#endif
}

// v = n copies of value, its pages mapped in one call first.
template <class T, class A>
void assign_prefaulted(std::vector<T, A>& v, std::size_t n, const T& value) {
  if (v.capacity() < n) {
    std::vector<T, A>().swap(v);  // drop the old storage before taking the new
    v.reserve(n);
    prefault(v.data(), n * sizeof(T));
  }
  v.assign(n, value);
}

}  // namespace flywheel::model
