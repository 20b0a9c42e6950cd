#include "network_csr.hpp"


#include <algorithm>
#include <cstring>
#include <vector>

namespace flywheel::model {

CsrBuilder::CsrBuilder(std::uint32_t people) {
  net_.offsets.assign(std::size_t{people} + 1, 0);
}

void CsrBuilder::allocate() {
  std::vector<std::uint64_t>& offsets = net_.offsets;
  for (std::size_t p = 1; p < offsets.size(); ++p) offsets[p] += offsets[p - 1];
  net_.targets.resize(offsets.back());
}

namespace {

// Sorts the lists of people [begin, end) and packs the kept entries to the block's first slot;
// offsets[p] becomes p's packed start. offsets[begin] does not move, so blocks run in parallel.
// Returns the entries kept.
std::uint64_t pack_block(std::uint64_t* offsets, std::uint32_t* targets, std::size_t begin,
                         std::size_t end) {
  std::uint64_t write = offsets[begin];
  std::uint64_t from = offsets[begin];
  for (std::size_t p = begin; p < end; ++p) {
    const std::uint64_t to = offsets[p + 1];  // still the unpacked end: p + 1 is not done yet
    std::sort(targets + from, targets + to);
    const std::uint64_t kept =
        static_cast<std::uint64_t>(std::unique(targets + from, targets + to) - (targets + from));
    if (write != from) std::memmove(targets + write, targets + from, kept * sizeof *targets);
    offsets[p] = write;
    write += kept;
    from = to;
  }
  return write - offsets[begin];
}

}  // namespace

Network CsrBuilder::finish() {
  std::vector<std::uint64_t>& offsets = net_.offsets;
  const std::size_t n = offsets.size() - 1;
  // After fill(), offsets[p] is where p + 1's list starts: shift them back by one person.
  std::memmove(offsets.data() + 1, offsets.data(), n * sizeof offsets[0]);
  offsets[0] = 0;
  std::vector<std::uint64_t> kept(block_count(n, kPeopleBlock));
  for_each_block(n, kPeopleBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    kept[b] = pack_block(offsets.data(), net_.targets.data(), begin, end);
  });
  // Blocks move down over the gaps of repeats in order, each onto space already free.
  std::uint64_t write = 0;
  for (std::size_t b = 0; b < kept.size(); ++b) {
    const std::size_t begin = b * kPeopleBlock, end = std::min(n, begin + kPeopleBlock);
    const std::uint64_t shift = offsets[begin] - write;
    if (shift != 0) {
      std::memmove(net_.targets.data() + write, net_.targets.data() + offsets[begin],
                   kept[b] * sizeof net_.targets[0]);
      for (std::size_t p = begin; p < end; ++p) offsets[p] -= shift;
    }
    write += kept[b];
  }
  offsets[n] = write;
  net_.targets.resize(write);
  return std::move(net_);
}

}  // namespace flywheel::model
