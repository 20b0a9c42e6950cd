// Columns (engine/kernels/column.hpp) are filled in parallel blocks after an uninitialised resize: every
// element must hold the value, across block edges and for any thread count, and a refill must
// overwrite what was there.
#include "kernels/column.hpp"

#include <catch2/catch.hpp>

#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>

using flywheel::model::Column;
using flywheel::model::fill_column;

TEST_CASE("fill_column writes every element for any size and thread count", "[column]") {
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{65535}, std::size_t{65536},
                            std::size_t{65537}, std::size_t{300001}}) {
        Column<std::int32_t> column;
        fill_column(column, n, std::int32_t{7});
        REQUIRE(column.size() == n);
        CHECK(std::all_of(column.begin(), column.end(), [](std::int32_t v) { return v == 7; }));
        fill_column(column, n / 2, std::int32_t{-1});  // shrink and overwrite
        REQUIRE(column.size() == n / 2);
        CHECK(std::all_of(column.begin(), column.end(), [](std::int32_t v) { return v == -1; }));
      }
    });
  }
}

TEST_CASE("Column keeps explicit values where a plain vector would", "[column]") {
  Column<std::uint8_t> column(3, std::uint8_t{5});
  column.resize(5, std::uint8_t{9});
  column.push_back(std::uint8_t{1});
  CHECK(column == Column<std::uint8_t>{5, 5, 5, 9, 9, 1});
}
