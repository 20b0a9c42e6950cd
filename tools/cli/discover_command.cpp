// `flywheel discover SWEEP_DIR --target EXPR`: scenario discovery (PRIM) over a finished sweep:
// the boxes of uncertainties under which each policy meets the target; writes
// discover_boxes.csv, discover_trajectory.csv and discover.json beside the sweep's files, and
// rewrites its report.html with a discovery section.
#include "commands.hpp"

#include <flywheel/experiments/discover.hpp>

#include <fmt/format.h>

#include <cmath>
#include <iostream>

namespace flywheel::cli {

namespace fs = std::filesystem;

namespace {

std::string p_text(double p) {
  if (!std::isfinite(p)) return "";
  return p < 1e-4 ? "p < 0.0001" : fmt::format("p = {:.4f}", p);
}

}  // namespace

CLI::App* add_discover_command(CLI::App& app, DiscoverArgs& args) {
  CLI::App* command = app.add_subcommand(
      "discover",
      "Scenario discovery over a finished sweep: PRIM (Friedman & Fisher 1999) finds, per "
      "policy, a box of the uncertainties where the target holds in most scenarios; writes "
      "discover_boxes.csv, discover_trajectory.csv and discover.json into the folder");
  command->add_option("SWEEP_DIR", args.dir, "A finished (merged) sweep folder")->required();
  command
      ->add_option("--target", args.target,
                   "The condition of interest, OUTPUT OP NUMBER with OUTPUT one of the sweep's "
                   "outputs, e.g. \"arr_usd@36 < 5e6\" (misses) or \"arr_usd@36 >= 5e6\" (meets)")
      ->required();
  command->add_option("--alpha", args.alpha, "Share of a box's cases one peel removes (0.05)")
      ->type_name("A");
  command->add_option("--min-mass", args.min_mass, "Smallest box, share of all cases (0.05)")
      ->type_name("M");
  command
      ->add_option("--threshold", args.threshold,
                   "The chosen box: the widest (highest coverage) whose density reaches this "
                   "(0.8); else the densest")
      ->type_name("D");
  command->add_flag("--no-report", args.no_report, "Do not rewrite report.html");
  return command;
}

int discover_command(const DiscoverArgs& args) {
  DiscoverOptions options;
  options.target = args.target;
  options.prim.alpha = args.alpha;
  options.prim.min_mass = args.min_mass;
  options.prim.threshold = args.threshold;
  const fs::path dir(args.dir);
  const DiscoverResult r = write_discover_files(dir, options);
  if (!args.no_report) write_sweep_report_or_warn(dir, false);
  std::string text;
  for (const DiscoverPolicy& p : r.policies) {
    const PrimBox& b = p.result.pasted;
    text += fmt::format("\npolicy {}{}: {} of {} scenarios; target {} in {:.1f}% of them\n",
                        p.policy, p.label.empty() ? "" : " (" + p.label + ")", p.cases,
                        p.cases + p.left_out, r.target.text,
                        100 * p.result.trajectory.front().density);
    if (std::isfinite(b.coverage)) {
      text += fmt::format("  box: coverage {:.3f}, density {:.3f}, mass {:.3f} ({})\n",
                          b.coverage, b.density, b.mass, p.result.choice);
    } else {
      text += "  no box: the target holds in none of the scenarios\n";
    }
    bool any = false;
    for (std::size_t d = 0; d < r.dimensions.size(); ++d) {
      if (!(b.lo[d] > p.result.data_lo[d] || b.hi[d] < p.result.data_hi[d])) continue;
      any = true;
      text += fmt::format("  {:<44} [{:.4g}, {:.4g}] of [{:.4g}, {:.4g}]  {}\n", r.dimensions[d],
                          b.lo[d], b.hi[d], p.result.data_lo[d], p.result.data_hi[d],
                          p_text(b.quasi_p[d]));
    }
    if (!any) text += "  (no uncertainty restricted)\n";
  }
  std::cout << text
            << fmt::format("\noutput: {}\n", (dir / "discover_boxes.csv").string()) << std::flush;
  return 0;
}

}  // namespace flywheel::cli
