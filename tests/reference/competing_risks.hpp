// Competing risks as docs/model.md ("Time") states them: a person with exits of hazards
// lambda_1 .. lambda_k (per month) leaves within an exposure of dt months with probability
// 1 - exp(-sum(lambda) dt) and takes exit i with probability lambda_i / sum(lambda). Decided by
// two uniform 32-bit words: the first against the leave probability, the second against the
// cumulative exit shares.
#pragma once

#include <flywheel/common/rng.hpp>
#include <flywheel/spec/metrics.hpp>
#include <flywheel/spec/scenario.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>

namespace flywheel::reference {

struct Exit {
  Stage to = Stage::unaware;
  Channel channel = Channel::initial;  // unaware -> aware: the channel responsible
  double per_month = 0.0;
};

class Exits {
 public:
  Exits& add(Stage to, Channel channel, double per_month) {
    exit_[n_++] = {to, channel, per_month};
    return *this;
  }

  // The exit taken by the words (leave, pick) over `exposure` months; none if the person stays.
  std::optional<Exit> draw(std::uint32_t leave, std::uint32_t pick, double exposure) const {
    double total = 0.0;
    for (int i = 0; i < n_; ++i) total += std::max(0.0, exit_[i].per_month);
    if (!(total > 0.0) || !(exposure > 0.0)) return std::nullopt;
    if (leave >= probability_threshold(-std::expm1(-total * exposure))) return std::nullopt;
    // Exits of hazard 0 are never taken; the last possible one takes the rest of the range.
    double cumulative = 0.0;
    std::optional<Exit> taken;
    for (int i = 0; i < n_; ++i) {
      if (!(exit_[i].per_month > 0.0)) continue;
      cumulative += exit_[i].per_month;
      taken = exit_[i];
      if (pick < probability_threshold(cumulative / total)) return taken;
    }
    return taken;
  }

 private:
  std::array<Exit, 5> exit_{};
  int n_ = 0;
};

}  // namespace flywheel::reference
