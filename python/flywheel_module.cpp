// `flywheel._flywheel`, the C++ half of the Python module: loads, runs and compares scenarios with
// the library and hands back the texts of the output files, so Python sees byte for byte what the
// command line writes (the experiments that run into folders: module_experiments.cpp).
// The pure-Python package (python/flywheel/) wraps it.
#include <flywheel/common/errors.hpp>
#include <flywheel/common/version.hpp>
#include <flywheel/experiments/expect_sequence.hpp>
#include <flywheel/experiments/run_sequence.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/output/statistics.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/spec/metrics.hpp>

#include "module_experiments.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace {

using flywheel::ScenarioSource;

flywheel::RunOptions with_threads(int threads) {
  flywheel::RunOptions options;
  options.threads = threads;
  return options;
}

// As `flywheel run` (tools/cli/run_command.cpp): the same sequence, the texts of the files.
flywheel::RunTexts run_texts(const ScenarioSource& source, const std::vector<std::string>& sets,
                             int threads) {
  const flywheel::Scenario scenario =
      flywheel::load_source(source, flywheel::parse_overrides(sets));
  return flywheel::run_texts(flywheel::run_job(scenario, with_threads(threads)));
}

// As `flywheel compare`: the same overrides on every side, the same checks before anything runs.
flywheel::CompareTexts compare_texts(const std::vector<ScenarioSource>& sides,
                                     const std::vector<std::string>& sets, int threads,
                                     const std::vector<std::string>& metric_names,
                                     const std::vector<int>& months) {
  const flywheel::ComparePlan plan =
      flywheel::plan_comparison(sides, flywheel::parse_overrides(sets), metric_names, months);
  return flywheel::compare_texts(plan, flywheel::run_comparison(plan, with_threads(threads)));
}

// One problem or warning as Python sees it: file, line, column, path, message.
py::dict diagnostic_dict(const flywheel::Diagnostic& d) {
  py::dict item;
  item["file"] = d.file;
  item["line"] = d.line;
  item["column"] = d.column;
  item["path"] = d.path;
  item["message"] = d.message;
  return item;
}

// Raises flywheel.InputError (a ValueError) with the CLI's lines as message and the problems as
// `.diagnostics`, a list of dicts. Looked up by module name: a translator cannot hold state.
void raise_input_error(const flywheel::InputError& error) {
  py::list diagnostics;
  for (const flywheel::Diagnostic& d : error.diagnostics()) {
    diagnostics.append(diagnostic_dict(d));
  }
  const py::object type = py::module_::import("flywheel._flywheel").attr("InputError");
  const py::object value = type(error.what());
  value.attr("diagnostics") = diagnostics;
  PyErr_SetObject(type.ptr(), value.ptr());
}

py::list metric_list() {
  py::list out;
  for (const flywheel::MetricInfo& info : flywheel::metric_infos()) {
    py::dict item;
    item["name"] = std::string(info.name);
    item["unit"] = std::string(info.unit);
    item["meaning"] = std::string(info.meaning);
    out.append(item);
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(_flywheel, m) {
  m.doc() = "flywheel's C++ engine; use the `flywheel` package, which wraps it.";
  m.attr("__version__") = flywheel::kVersion;
  py::exception<flywheel::InputError>(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const flywheel::InputError& e) {
      raise_input_error(e);
    }
  });

  // The simulation never touches Python objects, so other Python threads run meanwhile.
  m.def(
      "run",
      [](const std::string& name, const std::optional<std::string>& text,
         const std::vector<std::string>& sets, int threads) {
        const ScenarioSource source{name, text};
        flywheel::RunTexts texts;
        {
          py::gil_scoped_release release;
          texts = run_texts(source, sets, threads);
        }
        py::dict out;
        out["summary_json"] = texts.summary_json;
        out["timeseries_csv"] = texts.timeseries_csv;
        out["replicates_csv"] = texts.replicates_csv;
        out["cohorts_csv"] = texts.cohorts_csv;
        out["expected_csv"] = texts.expected_csv;
        return out;
      },
      py::arg("name"), py::arg("text"), py::arg("sets"), py::arg("threads"),
      "Runs a scenario (a file, or text when `text` is not None); returns the output texts.");
  m.def(
      "expect",
      [](const std::string& name, const std::optional<std::string>& text,
         const std::vector<std::string>& sets) {
        const ScenarioSource source{name, text};
        flywheel::ExpectTexts texts;
        std::vector<flywheel::meanfield::Approximation> approximations;
        {
          py::gil_scoped_release release;
          const flywheel::Scenario scenario =
              flywheel::load_source(source, flywheel::parse_overrides(sets));
          const flywheel::meanfield::ExpectedRun run = flywheel::meanfield::expect(scenario);
          texts = flywheel::expect_texts(scenario, run);
          approximations = run.approximations;
        }
        py::dict out;
        out["expected_csv"] = texts.expected_csv;
        out["expected_json"] = texts.expected_json;
        py::list list;
        for (const auto& a : approximations) {
          py::dict item;
          item["mechanism"] = a.mechanism;
          item["note"] = a.note;
          list.append(item);
        }
        out["approximations"] = list;
        return out;
      },
      py::arg("name"), py::arg("text"), py::arg("sets"),
      "The scenario's mean-field twin (`flywheel expect`): expected.csv, expected.json and the "
      "approximations (dicts: mechanism, note).");
  m.def(
      "compare",
      [](const std::vector<std::string>& names,
         const std::vector<std::optional<std::string>>& texts_in,
         const std::vector<std::string>& sets, int threads, const std::vector<std::string>& metrics,
         const std::vector<int>& months) {
        std::vector<ScenarioSource> sides;
        for (std::size_t i = 0; i < names.size(); ++i) {
          sides.push_back(ScenarioSource{names[i], i < texts_in.size() ? texts_in[i] : std::nullopt});
        }
        flywheel::CompareTexts texts;
        {
          py::gil_scoped_release release;
          texts = compare_texts(sides, sets, threads, metrics, months);
        }
        py::dict out;
        out["csv"] = texts.csv;
        out["json"] = texts.json;
        out["months_csv"] = texts.months_csv;
        out["verdicts"] = texts.verdicts;
        out["bottom_lines"] = texts.bottom_lines;
        return out;
      },
      py::arg("names"), py::arg("texts"), py::arg("sets"), py::arg("threads"),
      py::arg("metrics"), py::arg("months"),
      "Runs A and the variants with common random numbers; returns compare.csv, compare.json, "
      "compare_months.csv, the verdicts and the bottom lines.");
  m.def(
      "validate",
      [](const std::string& name, const std::optional<std::string>& text,
         const std::vector<std::string>& sets) {
        const ScenarioSource source{name, text};
        std::vector<flywheel::Diagnostic> warnings;
        {
          py::gil_scoped_release release;
          flywheel::load_source(source, flywheel::parse_overrides(sets), &warnings);
        }
        py::list out;
        for (const flywheel::Diagnostic& w : warnings) {
          py::dict d = diagnostic_dict(w);
          d["text"] = w.to_string();
          out.append(d);
        }
        return out;
      },
      py::arg("name"), py::arg("text"), py::arg("sets"),
      "Loads and validates a scenario; raises InputError listing every problem, else returns "
      "its warnings (dicts: file, line, column, path, message, text).");
  bind_experiments(m);
  m.def("metrics", &metric_list, "Every reported metric: name, unit, meaning.");
}
