// Which units a process runs, and in what order: a shard's points, batch after batch. The
// follow-up batches of a point depend only on that point's earlier results (`--precision`), so
// the set of units a sweep ends with is the same however it was split, stopped or resumed.
#pragma once

#include <flywheel/experiments/sweep_store.hpp>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace flywheel {

// `--shard k/N` (k = 1..N): point p belongs to shard (p mod N) + 1. Fixed by the point ids alone,
// never by the environment or the order shards start in.
struct Shard {
  int index = 1, count = 1;
  bool owns(int point) const { return point % count == index - 1; }
};

// Parses "k/N"; nullopt with `problem` set when malformed or k is outside 1..N.
std::optional<Shard> parse_shard(const std::string& text, std::string& problem);
// Parses "OUTPUT:TARGET" or "OUTPUT:TARGET%" against the spec's outputs.
std::optional<Precision> parse_precision(const std::string& text,
                                         const std::vector<std::string>& outputs,
                                         int max_replicates, std::string& problem);

// True when the 95% t interval of the mean of `values` (NaNs left out) is narrow enough.
bool precision_met(const Precision& precision, const std::vector<double>& values);

class UnitScheduler {
 public:
  using RowsOf = std::function<std::vector<std::vector<double>>(const SweepUnit&)>;

  // Walks each owned point's batches: finished ones are read through `rows_of`, a failed one
  // stops the point, the first missing one is queued.
  UnitScheduler(const SweepIdentity& identity, Shard shard, const std::vector<SweepUnit>& finished,
                const std::vector<SweepUnit>& failed, const RowsOf& rows_of);

  std::optional<SweepUnit> next();
  void completed(const SweepUnit& unit, const std::vector<std::vector<double>>& rows);
  void failed(const SweepUnit& unit);

  bool idle() const { return queue_.empty() && running_ == 0; }
  int queued() const { return static_cast<int>(queue_.size()); }
  int running() const { return running_; }  // given out by next(), not yet completed or failed
  // Units found finished or failed at start (what a resume skips).
  int restored() const { return restored_; }

 private:
  struct PointState {
    int replicates_done = 0;
    std::vector<double> values;  // the precision output, one per replicate so far
  };
  std::optional<SweepUnit> follow_up(int point) const;
  void absorb(PointState& state, const std::vector<std::vector<double>>& rows) const;

  std::optional<Precision> precision_;
  int batch_ = 1;
  std::map<int, PointState> points_;
  std::deque<SweepUnit> queue_;
  int running_ = 0;
  int restored_ = 0;
};

}  // namespace flywheel
