#include "scenario_rules.hpp"

#include "param_schema.hpp"

#include "common/key_path.hpp"

#include <cmath>
#include <string_view>
#include <unordered_map>

namespace flywheel::loader {

namespace {

class RuleChecker {
 public:
  RuleChecker(const Scenario& scenario, const TreeNode& root, Diagnostics& diagnostics)
      : s_(scenario), root_(root), diagnostics_(diagnostics) {}

  void check_segment_shares() {
    double sum = 0;
    for (std::size_t i = 0; i < s_.market.segments.size(); ++i) {
      const TreeNode* item = find_path(root_, segment(i));
      if (item == nullptr || item->kind != TreeNode::Kind::map || reported(segment(i) + ".share")) {
        return;
      }
      sum += s_.market.segments[i].share;
    }
    if (s_.market.segments.empty()) return;
    if (std::fabs(sum - 1.0) > 1e-6) {
      add("market.segments", "shares sum to " + format_rounded(sum) + "; expected a sum of 1");
    }
  }

  void check_segment_names() {
    check_unique_names(s_.market.segments, "market.segments", "segment");
  }

  void check_tier_names() {
    check_unique_names(s_.strategy.plg.tiers, "strategy.plg.tiers", "tier");
  }

  // Items of a list named by `name`: each name once. A map from name to its first item, not a
  // scan of the earlier ones: a list of 20,000 segments would take seconds.
  template <class Item>
  void check_unique_names(const std::vector<Item>& items, const std::string& list,
                          const std::string& noun) {
    std::unordered_map<std::string_view, std::size_t> first;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].name.empty()) continue;
      const auto [it, inserted] = first.emplace(items[i].name, i);
      if (inserted) continue;
      add(item_path(list, i) + ".name", quote(items[i].name) + " is already the name of " +
                                            item_path(list, it->second) + "; expected unique " +
                                            noun + " names");
    }
  }

  void check_account_sizes() {
    for (std::size_t i = 0; i < s_.market.segments.size(); ++i) {
      const std::string path = segment(i) + ".account_size";
      const AccountSize& size = s_.market.segments[i].account_size;
      if (reported(path) || size.max_people >= size.mean_people) continue;
      add(path + ".max_people", "max_people " + format_number(size.max_people) +
                                    " is below mean_people " + format_number(size.mean_people) +
                                    "; expected max_people >= mean_people");
    }
  }

  // Reps need accounts to sell to: a sales lever with reps but no sold segment is a mistake.
  void check_sales() {
    const SlgSpec& slg = s_.strategy.slg;
    if (!slg.enabled || reported("strategy.slg.reps")) return;
    bool reps = false;
    for (const Schedule::Piece& piece : slg.reps.pieces) reps = reps || piece.value > 0;
    bool sold = false;
    for (const Segment& seg : s_.market.segments) sold = sold || seg.sales.sold;
    if (reps && !sold) {
      add("strategy.slg.reps",
          "reps are set but no segment is sold; expected market.segments[].sales.sold: true "
          "for at least one segment, or reps 0");
    }
    check_sales_capacity();
  }

  // The simulated sample has round(reps x deals_per_rep / agent_scale) rep slots: a staff that
  // rounds to no slot would sell nothing.
  void check_sales_capacity() {
    if (reported("strategy.slg.deals_per_rep") || reported("simulation.agent_scale")) return;
    const SlgSpec& slg = s_.strategy.slg;
    for (const Schedule::Piece& piece : slg.reps.pieces) {
      const double slots = piece.value * slg.deals_per_rep / s_.simulation.agent_scale;
      if (piece.value <= 0 || slots >= 0.5) continue;
      add("strategy.slg.reps",
          format_number(piece.value) + " reps x " + format_number(slg.deals_per_rep) +
              " deals / agent_scale " + std::to_string(s_.simulation.agent_scale) +
              " rounds to no simulated rep slot; expected reps x deals_per_rep / agent_scale "
              ">= 0.5 (lower simulation.agent_scale or raise reps)");
      return;
    }
  }

  void check_targets() {
    for (std::size_t i = 0; i < s_.targets.size(); ++i) {
      const Target& target = s_.targets[i];
      const std::string path = item_path("targets", i);
      if (reported(path)) continue;
      if (!target.at_least && !target.at_most) {
        add(path, "no bound given; expected at_least, at_most or both");
      } else if (target.at_least && target.at_most && *target.at_least > *target.at_most) {
        add(path + ".at_most", "at_most " + format_number(*target.at_most) + " is below at_least " +
                                   format_number(*target.at_least) +
                                   "; expected at_most >= at_least");
      }
      if (!reported("simulation.months") && target.by_month > s_.simulation.months) {
        add(path + ".by_month",
            std::to_string(target.by_month) + " is after the horizon (simulation.months " +
                std::to_string(s_.simulation.months) + "); expected an integer month in [1, " +
                std::to_string(s_.simulation.months) + "]");
      }
    }
  }

 private:
  static std::string segment(std::size_t i) { return item_path("market.segments", i); }
  bool reported(const std::string& path) const { return diagnostics_.any_at_or_under(path); }
  void add(const std::string& path, std::string message) {
    diagnostics_.add(locate_path(root_, path), path, std::move(message));
  }

  const Scenario& s_;
  const TreeNode& root_;
  Diagnostics& diagnostics_;
};

}  // namespace

void check_scenario_rules(const Scenario& scenario, const TreeNode& root,
                          Diagnostics& diagnostics) {
  RuleChecker checker(scenario, root, diagnostics);
  checker.check_segment_shares();
  checker.check_segment_names();
  checker.check_tier_names();
  checker.check_account_sizes();
  checker.check_sales();
  checker.check_targets();
}

}  // namespace flywheel::loader
