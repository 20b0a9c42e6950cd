// The small-world generator (engine/network/network_small_world.hpp): repeats of moved ties drawn again
// in tie order, and rings too small for every tie to move (a redraw that could never end)
// keeping those ties on the lattice, with the graph simple and its degree exact.
#include "network/network_csr.hpp"
#include "network/network_small_world.hpp"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace flywheel;
using namespace flywheel::model;

namespace {

std::uint32_t ring_distance(std::uint32_t a, std::uint32_t b, std::uint32_t n) {
  const std::uint32_t d = a > b ? a - b : b - a;
  return std::min(d, n - d);
}

// Simple (no self-loop, no repeat), symmetric, and ties counted: (ties within ring distance
// half, ties beyond).
std::pair<std::size_t, std::size_t> check_ring(const Network& net, std::uint32_t half) {
  const auto n = static_cast<std::uint32_t>(net.offsets.size() - 1);
  std::size_t near = 0, far = 0, bad = 0;
  for (std::uint32_t p = 0; p < n; ++p) {
    const auto list = net.neighbours(p);
    for (std::size_t i = 0; i < list.size(); ++i) {
      bad += list[i] == p || (i > 0 && list[i] <= list[i - 1]);
      const auto back = net.neighbours(list[i]);
      bad += !std::binary_search(back.begin(), back.end(), p);
      (ring_distance(p, list[i], n) <= half ? near : far) += 1;
    }
  }
  CHECK(bad == 0);
  return {near, far};
}

Network small_world_on(int threads, std::uint32_t n, int degree, double rewiring) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  Network net;
  arena.execute([&] { net = csr_of(n, small_world(RandomStreams(1998, 0), n, degree, rewiring)); });
  return net;
}

}  // namespace

TEST_CASE("small world: a ring with too few distinct targets ends, simple and degree exact",
          "[network][small_world]") {
  // 12 people of degree 10: one person lies outside each lattice neighbourhood, so most ties
  // that draw a move find their one target taken; 50 of degree 40 fully rewired: 9 targets
  // for 20 moving ties each. Both used to redraw forever.
  struct Ring {
    std::uint32_t n;
    int degree;
    double rewiring;
  };
  for (const Ring& ring : {Ring{12, 10, 0.7}, Ring{50, 40, 1.0}, Ring{12, 10, 1.0}}) {
    INFO(ring.n << " people, degree " << ring.degree << ", rewiring " << ring.rewiring);
    const Network net = small_world_on(1, ring.n, ring.degree, ring.rewiring);
    const auto half = static_cast<std::uint32_t>(ring.degree / 2);
    const auto [near, far] = check_ring(net, half);
    CHECK(net.targets.size() == std::size_t(ring.n) * ring.degree);  // no tie lost
    // Every person's targets outside its neighbourhood are all taken: the rewired share is
    // as large as the ring allows.
    CHECK(far == std::size_t(ring.n) * (ring.n - 2 * half - 1));
    CHECK(near + far == net.targets.size());
    const Network two = small_world_on(2, ring.n, ring.degree, ring.rewiring);
    CHECK(two.targets == net.targets);
  }
}

TEST_CASE("small world: dense rewiring redraws repeats, the degree stays exact",
          "[network][small_world]") {
  // 40 people of degree 16 fully rewired: 23 targets outside each neighbourhood for 8 moving
  // ties each, so first targets often repeat and are drawn again; all can move.
  const Network net = small_world_on(2, 40, 16, 1.0);
  const auto [near, far] = check_ring(net, 8);
  CHECK(net.targets.size() == 40u * 16u);
  CHECK(near == 0);
  CHECK(far == 40u * 16u);
  CHECK(small_world_on(1, 40, 16, 1.0).targets == net.targets);
}

TEST_CASE("small world: no rewiring possible or asked leaves the ring lattice",
          "[network][small_world]") {
  // 11 people of degree 10: everyone is in everyone's neighbourhood, so no tie can move.
  for (double rewiring : {0.0, 1.0}) {
    const Network net = small_world_on(1, 11, 10, rewiring);
    const auto [near, far] = check_ring(net, 5);
    CHECK(near == 110);
    CHECK(far == 0);
  }
  CHECK(small_world(RandomStreams(1, 0), 1, 2, 0.5).blocks() == 0);
  CHECK(small_world(RandomStreams(1, 0), 100, 0, 0.5).blocks() == 0);
}
