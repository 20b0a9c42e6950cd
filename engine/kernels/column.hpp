// Per-agent state arrays. A Column is a std::vector whose resize leaves trivially constructible
// elements uninitialised, so the population build fills them in parallel blocks instead of one
// thread zeroing every array first (1M agents: about 20 MB, a tenth of a Bass run, all serial).
#pragma once

#include "parallel_blocks.hpp"

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace flywheel::model {

template <class T>
class DefaultInitAllocator : public std::allocator<T> {
 public:
  using value_type = T;
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <class U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}

  // resize(n): default-initialised (no write for trivial types); anything else as usual.
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    std::construct_at(p, std::forward<Args>(args)...);
  }
};

template <class T>
using Column = std::vector<T, DefaultInitAllocator<T>>;

// column = n copies of value, written in parallel blocks.
template <class T>
void fill_column(Column<T>& column, std::size_t n, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  column.resize(n);
  constexpr std::size_t kBlock = std::size_t{1} << 16;
  for_each_block(n, kBlock, [&](std::size_t, std::size_t begin, std::size_t end) {
    std::fill(column.begin() + static_cast<std::ptrdiff_t>(begin),
              column.begin() + static_cast<std::ptrdiff_t>(end), value);
  });
}

}  // namespace flywheel::model
