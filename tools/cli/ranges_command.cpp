// `flywheel ranges`: every shipped scenario (or the ones named) against the public range of
// its kind of company (docs/validation.md). Prints the table, writes the Markdown page, and with
// --check fails when the checked-in page is stale or a row is out of range without a reason.
#include "commands.hpp"
#include "table.hpp"

#include <flywheel/experiments/validation.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/validation_markdown.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace flywheel::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kExitCheckFailed = 1;
constexpr std::size_t kDiffLinesShown = 12;

// How the page says it was made: the options that change it, never the output paths.
std::string page_command(const RangesArgs& args) {
  std::string command = "flywheel ranges";
  for (const std::string& s : args.scenarios) command += " " + s;
  if (args.ranges != kDefaultRangesFile) command += " --ranges " + args.ranges;
  if (!args.kind.empty()) command += " --kind " + args.kind;
  return command + " --replicates " + args.replicates;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Line by line from the first difference: enough to see which rows moved.
void print_difference(const std::string& file, const std::string& on_disk,
                      const std::string& generated) {
  const std::vector<std::string> a = lines_of(on_disk), b = lines_of(generated);
  std::size_t shown = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) && shown < kDiffLinesShown; ++i) {
    const std::string* old_line = i < a.size() ? &a[i] : nullptr;
    const std::string* new_line = i < b.size() ? &b[i] : nullptr;
    if (old_line != nullptr && new_line != nullptr && *old_line == *new_line) continue;
    fmt::print(stderr, "{}:{}:\n", file, i + 1);
    if (old_line != nullptr) fmt::print(stderr, "-{}\n", *old_line);
    if (new_line != nullptr) fmt::print(stderr, "+{}\n", *new_line);
    ++shown;
  }
  fmt::print(stderr,
             "flywheel: {} differs from the generated page ({} lines on disk, {} generated; '-' "
             "is the file, '+' the new text); regenerate it with `flywheel ranges --markdown "
             "{}` (tools/update-validation.sh) and commit it with the change that moved it\n",
             file, a.size(), b.size(), file);
}

std::string terminal_table(const PublicRanges& ranges,
                           const std::vector<ScenarioValidation>& results) {
  std::vector<std::vector<std::string>> rows = {
      {"scenario", "row", "median", "p5 to p95", "range", "status", "sources"}};
  std::string reasons;  // the written reasons, as notes under the table
  int notes = 0;
  for (const ScenarioValidation& v : results) {
    for (const RowResult& r : v.rows) {
      const bool shown = r.status != RowStatus::not_applicable && r.value.n > 0;
      std::string status = validation_status_text(r);
      status.erase(std::remove(status.begin(), status.end(), '*'), status.end());
      if (r.status == RowStatus::outside) {
        reasons += fmt::format("[{}] {}, {}: {}\n", ++notes, v.name, r.row.label, r.note);
        status = fmt::format("outside [{}]", notes);
      }
      rows.push_back(
          {v.name, r.row.label, shown ? format_validation_value(r.value.p50, r.row.format) : "",
           shown ? format_validation_value(r.value.p5, r.row.format) + " to " +
                       format_validation_value(r.value.p95, r.row.format)
                 : "",
           format_validation_range(r.row), status, validation_sources_text(ranges, r.row)});
    }
  }
  return render_table(rows, "llrrrll") + (reasons.empty() ? "" : "\n" + reasons);
}

int check(const std::string& file, const std::string& generated,
          const std::vector<ScenarioValidation>& results) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "flywheel: cannot read {} to check it\n", file);
    return kExitCheckFailed;
  }
  std::ostringstream on_disk;
  on_disk << in.rdbuf();
  int code = 0;
  if (on_disk.str() != generated) {
    print_difference(file, on_disk.str(), generated);
    code = kExitCheckFailed;
  }
  for (const ScenarioValidation& v : results) {
    for (const RowResult& r : v.rows) {
      if (r.status != RowStatus::out) continue;
      fmt::print(stderr, "flywheel: {}: {} is OUT: median {} (p5 to p95 {} to {}), range {}\n",
                 v.name, r.row.label, format_validation_value(r.value.p50, r.row.format),
                 format_validation_value(r.value.p5, r.row.format),
                 format_validation_value(r.value.p95, r.row.format),
                 format_validation_range(r.row));
      code = kExitCheckFailed;
    }
  }
  if (count_out(results) > 0) {
    fmt::print(stderr,
               "flywheel: {} rows out of range without a reason; bring the scenario into its "
               "range, or write the reason under its reasons: in the ranges file\n",
               count_out(results));
  }
  return code;
}

}  // namespace

CLI::App* add_ranges_command(CLI::App& app, RangesArgs& args) {
  CLI::App* command = app.add_subcommand(
      "ranges",
      "Validate scenarios against the public range of their kind of company (the shipped ones "
      "by default): print each headline output's median and p5-p95 next to its range, source "
      "and status (in, outside with a written reason, OUT, n/a); optionally write the Markdown "
      "page (docs/validation.md) or check it. Exit code 1 when --check fails");
  command->add_option("SCENARIO", args.scenarios,
                      "Scenario files (default: every scenario of the ranges file)");
  command->add_option("--ranges", args.ranges, "Public-ranges file (YAML)")
      ->type_name("FILE")
      ->capture_default_str();
  command->add_option("--kind", args.kind,
                      "Kind of company to validate the scenarios as (needed for a scenario "
                      "the ranges file does not list)");
  command
      ->add_option("--replicates", args.replicates,
                   "Replicates per scenario (same as --set simulation.replicates=N)")
      ->type_name("N")
      ->capture_default_str();
  command
      ->add_option("--threads", args.threads,
                   "Worker threads; 0 = all cores (never changes the results)")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--markdown", args.markdown, "Write the Markdown page to FILE")
      ->type_name("FILE");
  command
      ->add_option("--check", args.check,
                   "Regenerate the page and fail (exit 1) when FILE differs from it or a row is "
                   "OUT (out of range without a written reason)")
      ->type_name("FILE");
  command->add_flag("--quiet", args.quiet, "No informational messages on stderr");
  return command;
}

int ranges_command(const RangesArgs& args) {
  std::error_code ec;
  if (!fs::exists(args.ranges, ec)) {
    throw InputError(
        {Diagnostic{"--ranges", 0, 0, "",
                    args.ranges + " not found; expected a public-ranges file (run from the "
                                  "repository root, or pass --ranges FILE)"}});
  }
  // Paths relative to the working folder, so that the page reads the same from any checkout; a
  // file outside it keeps the path given.
  std::string ranges_file = fs::proximate(args.ranges, ec).lexically_normal().generic_string();
  if (ec || ranges_file.starts_with("..")) ranges_file = args.ranges;
  const PublicRanges ranges = load_public_ranges(ranges_file);
  const std::vector<ValidationItem> items = validation_items(ranges, args.scenarios, args.kind);
  const std::vector<Override> overrides =
      parse_overrides({"simulation.replicates=" + args.replicates});
  if (!args.quiet) {
    fmt::print(stderr, "flywheel: validating {} scenarios with {} replicates each\n", items.size(),
               args.replicates);
  }
  std::vector<Diagnostic> warnings;
  RunOptions options;
  options.threads = args.threads;
  const std::vector<ScenarioValidation> results =
      run_validation(items, overrides, options, &warnings);
  print_warnings(warnings);
  std::cout << terminal_table(ranges, results) << std::flush;

  const std::string page = validation_markdown(ranges, results, page_command(args));
  if (!args.markdown.empty()) {
    try {
      write_file_atomic(args.markdown, page);
    } catch (const std::exception& e) {
      fmt::print(stderr, "flywheel: error: {}\n", e.what());
      return 1;
    }
    if (!args.quiet) fmt::print(stderr, "flywheel: wrote {}\n", args.markdown);
  }
  return args.check.empty() ? 0 : check(args.check, page, results);
}

}  // namespace flywheel::cli
