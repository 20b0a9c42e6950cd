// The awareness channels (one table: channels.inc) and what is generated from it: the Channel
// enum and names here, the aware_* and signups_* metrics (metric_list.inc), the exits of the
// unaware rule (engine/model/transition_table.cpp) and the report's awareness flow.
#pragma once

#include <array>
#include <cstdint>

namespace flywheel {

// The `aware` column of channels.inc is yes or no; FLYWHEEL_IF_##aware(x) keeps x for yes only,
// so that a table line can generate a metric, an enum value or a statement conditionally.
#define FLYWHEEL_IF_yes(...) __VA_ARGS__
#define FLYWHEEL_IF_no(...)

// How a person first heard of the product (attributed to the signup that follows).
// Accounts take the channel of their first active user, or `sales` when sales won them.
// A referred person signs up at once (referral awareness and signup are the same event).
enum class Channel : std::uint8_t {
#define FLYWHEEL_CHANNEL(id, aware, aware_meaning, signups_meaning) id,
#include <flywheel/spec/channels.inc>
#undef FLYWHEEL_CHANNEL
};

inline constexpr std::array kChannelNames = {
#define FLYWHEEL_CHANNEL(id, aware, aware_meaning, signups_meaning) #id,
#include <flywheel/spec/channels.inc>
#undef FLYWHEEL_CHANNEL
};
inline constexpr int kChannelCount = static_cast<int>(kChannelNames.size());

// The channels that make unaware people aware by a hazard rate (aware = yes), in table order:
// each is one exit of the unaware rule.
inline constexpr std::array kAwarenessChannels = {
#define FLYWHEEL_CHANNEL(id, aware, aware_meaning, signups_meaning) \
  FLYWHEEL_IF_##aware(Channel::id, )
#include <flywheel/spec/channels.inc>
#undef FLYWHEEL_CHANNEL
};

}  // namespace flywheel
