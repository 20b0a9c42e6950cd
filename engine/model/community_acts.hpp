// Who has a community step (docs/model.md, "One step", 4): a member; a non-member drawn in by
// the community's channel; an evaluator or active user while the join hazard is on. Everyone
// else draws nothing and changes nothing, so the phase visits only these people.
// One definition for one person (B = std::uint8_t, the byte codes of one person) and for sixteen
// (B = Bytes16, one lane per person): every test gives 0xFF where it holds, 0 elsewhere, so the
// scalar and the vector path cannot disagree.
#pragma once

#include "model_state.hpp"

#include "kernels/byte_scan.hpp"

#include <cstdint>

namespace flywheel::model {

namespace community_acts {

inline std::uint8_t truth(bool holds) {
  return holds ? 0xFF : 0;
}
template <class Comparison>
Bytes16 truth(Comparison lanes_result) {  // a vector comparison: 0xFF or 0 per lane already
  return lanes(lanes_result);
}
template <class Code>
constexpr std::uint8_t code(Code value) {
  return static_cast<std::uint8_t>(value);
}

}  // namespace community_acts

// Made aware by the community's channel, never a member, still around (neither unaware nor
// churned): joins at once, without a draw.
template <class B>
B drawn_in(B stage, B channel, B flags) {
  using namespace community_acts;
  return static_cast<B>(
      truth(channel == code(Channel::community)) & truth((flags & code(kEverMember)) == 0) &
      truth(stage != code(Stage::unaware)) & truth(stage != code(Stage::churned)));
}

// An evaluator or active user, who may join by the join hazard when it is on (join_on 0xFF).
template <class B>
B may_join(B stage, B join_on) {
  using namespace community_acts;
  static_assert(int(Stage::champion) - int(Stage::evaluator) == 3, "one range of stages");
  return static_cast<B>(truth(static_cast<B>(stage - code(Stage::evaluator)) <= code(3)) & join_on);
}

// A member (level above none), a non-member who is drawn in or may join, or someone answered by
// support in the previous step (whose kJustSupported the pass clears).
template <class B>
B acts(B stage, B channel, B flags, B level, B join_on) {
  using namespace community_acts;
  return static_cast<B>(truth(level != 0) | drawn_in(stage, channel, flags) |
                        may_join(stage, join_on) | truth((flags & code(kJustSupported)) != 0));
}

}  // namespace flywheel::model
