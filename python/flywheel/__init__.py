"""flywheel: an agent-based go-to-market simulator, from Python.

The same engine as the ``flywheel`` command, so the same scenario and seed give byte-identical
outputs here and there::

    import flywheel
    result = flywheel.run("scenarios/plg-freemium.yaml", replicates=20, seed=7,
                          overrides={"strategy.plg.pql_min_active_users": 5})
    arr = result.timeseries.query("metric == 'arr_usd'")[["month", "mean", "p5", "p95"]]
    flywheel.compare("a.yaml", "b.yaml", replicates=50).verdicts
    twin = flywheel.expect("scenarios/plg-freemium.yaml")   # the mean field, in milliseconds
    twin.wide["arr_usd"]
    sweep = flywheel.sweep("scenarios/sweeps/clg-budget-vs-reps.yaml", "out/sweep")
    sweep.results.groupby("point").mean().join(sweep.points.set_index("point"))
    flywheel.sensitivity("scenarios/sweeps/plg-sensitivity.yaml", out="out/sobol").indices
    fit = flywheel.calibrate("scenarios/calibration/plg-freemium-synthetic.yaml", out="out/cal")
    fit.posterior.describe(); fit.forecast.query("metric == 'accounts_paying'")

A scenario is a path to a YAML file or a dict of the same structure (``extends:`` in a dict is
relative to the current folder). ``overrides`` is a dict ``{"key.path": value}`` applied like
the command line's ``--set key.path=value``. Bad input raises :class:`InputError`.

Sweeps, sensitivity analyses and calibrations run into a folder, exactly as ``flywheel sweep`` and
``flywheel sensitivity`` do (the same files, the same bytes of results.csv, resumable), and
their results read that folder's tidy files.
"""

import io
import json
import math
import os
import warnings
from functools import cached_property
from pathlib import Path

from . import _flywheel

__version__ = _flywheel.__version__

#: Bad input (scenario, overrides, options): a ``ValueError`` whose message is the command line's
#: ``file:line:col: key.path: problem; expected ...`` lines and whose ``diagnostics`` is a list
#: of dicts with ``file``, ``line``, ``column``, ``path`` and ``message``.
InputError = _flywheel.InputError

__all__ = ["run", "expect", "compare", "sweep", "sensitivity", "optimize", "discover",
           "calibrate", "validate", "metrics", "RunResult", "ExpectResult", "CompareResult",
           "SweepResult", "SensitivityResult", "OptimizeResult", "DiscoverResult",
           "CalibrateResult", "InputError"]

# The name a dict scenario goes by in messages and in summary.json's scenario.file.
_DICT_NAME = "<dict>"


def _source(scenario):
    """(name, text): text is None for a file, the YAML (JSON) text for a dict."""
    if isinstance(scenario, dict):
        return _DICT_NAME, json.dumps(scenario, ensure_ascii=False, default=_plain)
    if isinstance(scenario, (str, os.PathLike)):
        return os.fspath(scenario), None
    raise TypeError(f"scenario must be a path or a dict, not {type(scenario).__name__}")


def _numpy_to_python(value):
    """numpy scalars and arrays as Python numbers and lists; anything else unchanged."""
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return value.tolist()
    return value


def _plain(value):
    """numpy values and paths as plain JSON values."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    converted = _numpy_to_python(value)
    if converted is not value:
        return converted
    raise TypeError(f"{type(value).__name__} is not a scenario value")


def _yaml_value(value):
    """One override value as the text --set would take: a YAML scalar or flow collection."""
    value = _numpy_to_python(value)
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return json.dumps(value, ensure_ascii=False, default=_plain)  # lists and dicts: flow style


def _sets(overrides, replicates=None, seed=None):
    """The --set texts, then --replicates and --seed, in the command line's order."""
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise TypeError(f"overrides must be a dict {{'key.path': value}}, "
                        f"not {type(overrides).__name__}")
    sets = [f"{key}={_yaml_value(value)}" for key, value in overrides.items()]
    if replicates is not None:
        sets.append(f"simulation.replicates={_yaml_value(replicates)}")
    if seed is not None:
        sets.append(f"simulation.seed={_yaml_value(seed)}")
    return sets


def _threads(threads):
    threads = int(threads)
    if threads < 0:
        raise ValueError(f"threads is {threads}; expected 0 (all cores) or more")
    return threads


def _csv_frame(text):
    import pandas as pd
    return pd.read_csv(io.StringIO(text))


class RunResult:
    """The outputs of one run, as the command line writes them.

    ``summary_json``, ``timeseries_csv``, ``replicates_csv``, ``cohorts_csv`` and
    ``expected_csv`` are the files' exact texts; ``timeseries``, ``replicates``, ``cohorts`` and
    ``expected`` (the mean-field twin, as :func:`expect`) are them as pandas DataFrames,
    ``summary`` and ``scenario`` (the resolved scenario, every default filled in) as dicts.
    """

    def __init__(self, texts):
        self.summary_json = texts["summary_json"]
        self.timeseries_csv = texts["timeseries_csv"]
        self.replicates_csv = texts["replicates_csv"]
        self.cohorts_csv = texts["cohorts_csv"]
        self.expected_csv = texts["expected_csv"]

    @cached_property
    def summary(self):
        return json.loads(self.summary_json)

    @cached_property
    def scenario(self):
        return self.summary["scenario"]["resolved"]

    @cached_property
    def timeseries(self):
        """One row per month and metric: month, metric, mean, sd, p5, p25, p50, p75, p95, n."""
        return _csv_frame(self.timeseries_csv)

    @cached_property
    def replicates(self):
        """One row per replicate and month: replicate, month, then one column per metric."""
        return _csv_frame(self.replicates_csv)

    @cached_property
    def cohorts(self):
        """The cohort retention triangle: kind, cohort_month, age_months, cohort_size, then the
        retained share's mean, sd, p5, p25, p50, p75, p95, n over replicates."""
        return _csv_frame(self.cohorts_csv)

    @cached_property
    def expected(self):
        """The mean-field twin: one row per month and metric (month, metric, value); None when
        the twin cannot express the scenario."""
        return _csv_frame(self.expected_csv) if self.expected_csv else None

    def __repr__(self):
        s = self.summary
        return (f"<flywheel.RunResult {s['scenario']['name']}: {s['replicates']} replicates "
                f"of {s['months']} months, seed {s['seed']}>")


class ExpectResult:
    """The mean-field twin of a scenario, as ``flywheel expect`` writes it.

    ``csv`` and ``json`` are expected.csv and expected.json's exact texts; ``expected`` is
    expected.csv as a DataFrame (month, metric, value: tidy, like ``RunResult.timeseries``),
    ``wide`` the same with one column per metric and one row per month, ``data`` expected.json
    as a dict and ``approximations`` what the twin approximates for this scenario (dicts with
    ``mechanism`` and ``note``; docs/mean_field.md). Values are NaN where a metric is undefined
    or has no mean-field meaning.
    """

    def __init__(self, texts):
        self.csv = texts["expected_csv"]
        self.json = texts["expected_json"]
        self.approximations = list(texts["approximations"])

    @cached_property
    def expected(self):
        return _csv_frame(self.csv)

    @cached_property
    def wide(self):
        return self.expected.pivot(index="month", columns="metric", values="value")

    @cached_property
    def data(self):
        return json.loads(self.json)

    def __repr__(self):
        d = self.data
        return (f"<flywheel.ExpectResult {d['scenario']['name']}: mean field over "
                f"{d['months']} months, {len(self.approximations)} approximations>")


class CompareResult:
    """A comparison of A and B, as ``flywheel compare`` writes it.

    ``table`` is compare.csv as a DataFrame (one row per metric and month), ``verdicts`` the
    one-line verdicts the command prints, ``months`` compare_months.csv as a DataFrame (every
    month of each compared metric: the paired difference with its interval and both sides'
    quantiles, what report.html draws), ``csv``, ``months_csv`` and ``json`` the files' exact
    texts and ``data`` compare.json as a dict; ``bottom_lines`` one line per variant (gross
    profit minus spend, cash low point, payback month of the difference; the numbers are in
    ``data["bottom_line"]``, or each of ``data["variants"]``).
    """

    def __init__(self, texts):
        self.csv = texts["csv"]
        self.json = texts["json"]
        self.months_csv = texts["months_csv"]
        self.verdicts = list(texts["verdicts"])
        self.bottom_lines = list(texts.get("bottom_lines", []))

    @cached_property
    def table(self):
        return _csv_frame(self.csv)

    @cached_property
    def months(self):
        return _csv_frame(self.months_csv)

    @cached_property
    def data(self):
        return json.loads(self.json)

    def __repr__(self):
        return "<flywheel.CompareResult>\n" + "\n".join(self.verdicts + self.bottom_lines)


class SweepResult:
    """A merged sweep folder, as ``flywheel sweep`` leaves it.

    ``dir`` is the folder (a Path); ``points`` is points.csv (``point, policy, scenario`` and
    one column per parameter path) and ``results`` results.csv (``point, replicate, seed`` and
    one column per output; an undefined value is NaN) as DataFrames; ``manifest`` is
    manifest.json as a dict and ``failures`` its failed units (each with its error).
    ``point_means`` joins them: the mean over replicates of each output, per point, beside the
    point's parameters.
    """

    def __init__(self, info):
        self.dir = Path(info["dir"])
        self.results_sha256 = info["results_sha256"]

    @cached_property
    def points(self):
        import pandas as pd
        return pd.read_csv(self.dir / "points.csv")

    @cached_property
    def results(self):
        import pandas as pd
        return pd.read_csv(self.dir / "results.csv")

    @cached_property
    def manifest(self):
        return json.loads((self.dir / "manifest.json").read_text())

    @property
    def failures(self):
        return self.manifest["failures"]

    @cached_property
    def point_means(self):
        """One row per point: its parameters, then each output's mean over its replicates."""
        means = self.results.drop(columns=["replicate", "seed"]).groupby("point").mean()
        return self.points.set_index("point").join(means)

    @property
    def report(self):
        """report.html's path, or None when it was not written."""
        path = self.dir / "report.html"
        return path if path.exists() else None

    def __repr__(self):
        counts = self.manifest["counts"]
        return (f"<flywheel.SweepResult {self.dir}: {counts['points']} points, "
                f"{counts['rows']} rows, {counts['failed_units']} failed units>")


class SensitivityResult:
    """Sobol (saltelli) or Morris indices of a sweep folder, as ``flywheel sensitivity`` writes.

    ``indices`` is sensitivity.csv as a DataFrame (``policy, output, parameter, index, estimate,
    lo, hi``: S1 and ST, or mu_star, mu and sigma, with 95% bootstrap intervals), ``data``
    sensitivity.json as a dict, ``csv`` the file's text and ``sweep`` the :class:`SweepResult`.
    """

    def __init__(self, info):
        self.sweep = SweepResult(info)
        self.dir = self.sweep.dir
        self.csv = (self.dir / "sensitivity.csv").read_text()

    @cached_property
    def indices(self):
        return _csv_frame(self.csv)

    @cached_property
    def data(self):
        return json.loads((self.dir / "sensitivity.json").read_text())

    def __repr__(self):
        return f"<flywheel.SensitivityResult {self.dir}: {len(self.indices)} indices>"


def _folder(path, what):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{what} must be a path, not {type(path).__name__}")
    return os.fspath(path)


def _report_and_failures(info):
    if info["report_problem"]:
        warnings.warn(f"no report.html: {info['report_problem']}", stacklevel=3)
    if info["failed_units"]:
        warnings.warn(f"{info['failed_units']} units of the sweep in {info['dir']} failed "
                      f"(result.failures, manifest.json); rerun with retry_failed=True",
                      stacklevel=3)


def sweep(spec, out, threads=0, precision=None, max_replicates=None, force_new=False,
          retry_failed=False, report=True):
    """Runs (or resumes) a sweep spec into the folder ``out``, like ``flywheel sweep SPEC --out``.

    spec: a sweep spec file (docs/sweeps.md); its ``base:`` is relative to the spec's folder.
    precision: "OUTPUT:TARGET" or "OUTPUT:TARGET%", as ``--precision``; max_replicates as
    ``--max-replicates`` (None: 50 x the spec's replicates).
    force_new: discard what ``out`` holds (another sweep) and start over; retry_failed: run
    the failed units again; report: write report.html.
    A folder of the same sweep is resumed: only missing units run, and the merged results.csv
    is byte-identical to the command line's. Failed points do not raise: they are listed in
    ``failures`` (and a warning says so). Interrupting (Ctrl-C) keeps the finished units.
    Returns a :class:`SweepResult`.
    """
    if max_replicates is not None and int(max_replicates) < 1:
        raise ValueError(f"max_replicates is {max_replicates}; expected 1 or more")
    info = _flywheel.sweep(_folder(spec, "spec"), _folder(out, "out"), _threads(threads),
                           "" if precision is None else str(precision),
                           0 if max_replicates is None else int(max_replicates),
                           bool(force_new), bool(retry_failed), bool(report))
    _report_and_failures(info)
    return SweepResult(info)


def sensitivity(spec=None, out=None, analyse=None, threads=0, force_new=False, retry_failed=False,
                report=True):
    """Sobol or Morris indices, like ``flywheel sensitivity``.

    With ``spec`` (design.method saltelli or morris) and ``out``: runs (or resumes) the sweep
    into ``out``, then analyses it. With ``analyse=DIR`` instead: only analyses a finished,
    merged sweep folder (say one run on a cluster). Writes sensitivity.csv and
    sensitivity.json into the folder and returns a :class:`SensitivityResult`.
    """
    if (spec is None) == (analyse is None):
        raise TypeError("expected either spec (with out) to run and analyse, or analyse=DIR")
    if spec is not None and out is None:
        raise TypeError("spec needs out, the sweep folder")
    if analyse is not None and out is not None:
        raise TypeError("analyse=DIR analyses DIR in place; out is for a spec")
    info = _flywheel.sensitivity(None if spec is None else _folder(spec, "spec"),
                                 _folder(out if spec is not None else analyse, "out"),
                                 _threads(threads), bool(force_new), bool(retry_failed),
                                 bool(report))
    _report_and_failures(info)
    return SensitivityResult(info)


class OptimizeResult:
    """An optimize folder, as ``flywheel optimize`` writes it (docs/optimize.md).

    ``best`` is optimize.json's best candidate (dict: values, objective, lo, hi, feasible),
    ``candidates`` candidates.csv and ``trace`` trace.csv as DataFrames, ``frontier``
    frontier.csv (None without a frontier), ``data`` optimize.json as a dict.
    """

    def __init__(self, info):
        self.dir = Path(info["dir"])
        self.simulated = info["simulated"]
        self.cached = info["cached"]
        if info["report_problem"]:
            warnings.warn(f"no report.html: {info['report_problem']}", stacklevel=3)

    @cached_property
    def data(self):
        return json.loads((self.dir / "optimize.json").read_text())

    @property
    def best(self):
        return self.data["best"]

    @cached_property
    def candidates(self):
        return _csv_frame((self.dir / "candidates.csv").read_text())

    @cached_property
    def trace(self):
        return _csv_frame((self.dir / "trace.csv").read_text())

    @cached_property
    def frontier(self):
        path = self.dir / "frontier.csv"
        return _csv_frame(path.read_text()) if path.exists() else None

    def __repr__(self):
        return f"<flywheel.OptimizeResult {self.dir}: best {self.best['values']}>"


class DiscoverResult:
    """PRIM scenario discovery over a sweep folder, as ``flywheel discover`` writes it
    (docs/discover.md): ``boxes`` (discover_boxes.csv) and ``trajectory``
    (discover_trajectory.csv) as DataFrames, ``data`` discover.json as a dict."""

    def __init__(self, info):
        self.dir = Path(info["dir"])
        if info["report_problem"]:
            warnings.warn(f"no report.html: {info['report_problem']}", stacklevel=3)

    @cached_property
    def data(self):
        return json.loads((self.dir / "discover.json").read_text())

    @cached_property
    def boxes(self):
        return _csv_frame((self.dir / "discover_boxes.csv").read_text())

    @cached_property
    def trajectory(self):
        return _csv_frame((self.dir / "discover_trajectory.csv").read_text())

    def __repr__(self):
        return f"<flywheel.DiscoverResult {self.dir}: {self.data['target']}>"


def optimize(spec, out, force_new=False, report=True):
    """Runs (or resumes from its candidate cache) an optimize spec into the folder ``out``,
    like ``flywheel optimize SPEC --out OUT`` (docs/optimize.md). Returns an
    :class:`OptimizeResult`."""
    return OptimizeResult(_flywheel.optimize(_folder(spec, "spec"), _folder(out, "out"),
                                             bool(force_new), bool(report)))


def discover(sweep_dir, target, alpha=0.05, min_mass=0.05, threshold=0.8, report=True):
    """PRIM scenario discovery over a finished sweep folder, like ``flywheel discover DIR
    --target EXPR`` (docs/discover.md). Returns a :class:`DiscoverResult`."""
    return DiscoverResult(_flywheel.discover(_folder(sweep_dir, "sweep_dir"), str(target),
                                             float(alpha), float(min_mass), float(threshold),
                                             bool(report)))


class CalibrateResult:
    """A calibration folder, as ``flywheel calibrate`` writes it (docs/calibrate.md).

    ``posterior`` is the final population (the posterior: ``generation, particle, weight,
    distance`` and one column per fitted parameter; the weights sum to 1), ``populations``
    every generation's (posterior.csv), ``generations`` the tolerance schedule
    (generations.csv: ``generation, tolerance, acceptance_rate, ess, simulations,
    simulations_total``), ``sample`` the posterior resampled to equal weights
    (posterior_sample.csv) and ``forecast`` the posterior-predictive forecast (forecast.csv:
    ``month, metric, data, p5, p50, p95, mean``; months past the data's last are the forecast),
    all DataFrames. ``summary`` is calibration.json as a dict (each parameter's p5, p50, p95,
    warnings), ``parameters`` the fitted key paths, ``calibrated`` the path of calibrated.yaml
    (the base scenario at the posterior medians: pass it to :func:`run`), ``paths`` every
    file's path by name, ``report`` report.html's path (None when not written).
    ``simulations``, ``stop_reason``, ``warnings`` and ``resumed`` describe this call.
    """

    _FILES = ("calibration.json", "posterior.csv", "generations.csv", "posterior_sample.csv",
              "calibrated.yaml", "forecast.csv", "report.html")

    def __init__(self, info):
        self.dir = Path(info["dir"])
        self.simulations = info["simulations"]
        self.stop_reason = info["stop_reason"]
        self.warnings = list(info["warnings"])
        self.resumed = info["resumed"]
        for line in self.warnings:
            warnings.warn(f"calibration: {line}", stacklevel=3)
        if info["report_problem"]:
            warnings.warn(f"no report.html: {info['report_problem']}", stacklevel=3)

    @property
    def paths(self):
        return {name: self.dir / name for name in self._FILES if (self.dir / name).exists()}

    @cached_property
    def summary(self):
        return json.loads((self.dir / "calibration.json").read_text())

    @cached_property
    def populations(self):
        return _csv_frame((self.dir / "posterior.csv").read_text())

    @cached_property
    def parameters(self):
        return list(self.populations.columns[4:])

    @cached_property
    def posterior(self):
        last = self.populations["generation"].max()
        return self.populations[self.populations["generation"] == last].reset_index(drop=True)

    @cached_property
    def generations(self):
        return _csv_frame((self.dir / "generations.csv").read_text())

    @cached_property
    def sample(self):
        return _csv_frame((self.dir / "posterior_sample.csv").read_text())

    @cached_property
    def forecast(self):
        return _csv_frame((self.dir / "forecast.csv").read_text())

    @property
    def calibrated(self):
        return self.dir / "calibrated.yaml"

    @property
    def report(self):
        path = self.dir / "report.html"
        return path if path.exists() else None

    def __repr__(self):
        return (f"<flywheel.CalibrateResult {self.dir}: {len(self.generations)} generations, "
                f"{len(self.posterior)} particles, {len(self.parameters)} parameters, "
                f"stopped by {self.stop_reason}>")


def _clear_calibration(out):
    """Removes a calibration's own files from ``out`` (resume=False); nothing else."""
    out = Path(out)
    generations = out / "generations"
    if generations.is_dir():
        for path in generations.glob("gen-*.json"):
            path.unlink()
    for name in CalibrateResult._FILES:
        path = out / name
        if path.is_file():
            path.unlink()


def calibrate(spec, out, threads=None, resume=True, base_dir=None, report=True):
    """Fits a scenario's parameters to a company's history by ABC-SMC, like
    ``flywheel calibrate SPEC --out OUT`` (docs/calibrate.md), and returns a
    :class:`CalibrateResult`.

    spec: a calibration spec file (its ``base:`` and ``data:`` are relative to its folder), or a
        dict of the same structure, whose relative ``base`` and ``data`` are read from
        ``base_dir`` (default: the current folder).
    out: the output folder. A folder holding the same calibration is resumed at the generation
        it was in (the same bytes as an uninterrupted run); ``resume=False`` deletes its
        calibration files first and starts over. A folder of another calibration is refused.
    threads: worker threads (None or 0: all cores); never changes the results.
    report: write report.html.
    The interpreter lock is released while it runs; interrupting (Ctrl-C) keeps the finished
    generations. A bad spec or data file raises :class:`InputError` with
    ``file:line:col: key.path: problem`` lines (``<dict>`` for a dict).
    """
    if isinstance(spec, dict):
        name, text = _source(spec)
        folder = "." if base_dir is None else _folder(base_dir, "base_dir")
    else:
        if base_dir is not None:
            raise TypeError("base_dir is for a dict spec; a spec file's paths are relative to "
                            "its own folder")
        name, text, folder = _folder(spec, "spec"), None, "."
    out = _folder(out, "out")
    if not resume:
        _clear_calibration(out)
    return CalibrateResult(_flywheel.calibrate(name, text, folder, out,
                                               _threads(0 if threads is None else threads),
                                               bool(report)))


def run(scenario, overrides=None, replicates=None, seed=None, threads=0):
    """Runs a scenario's Monte Carlo replicates, like ``flywheel run --replicates-csv``.

    scenario: a path to a YAML file, or a dict of the same structure.
    overrides: {"key.path": value}, as ``--set key.path=value``.
    replicates, seed: as ``--replicates`` and ``--seed`` (None: the scenario's).
    threads: worker threads, 0 = all cores; never changes the results.
    The Python interpreter lock is released while the engine runs.
    """
    name, text = _source(scenario)
    return RunResult(_flywheel.run(name, text, _sets(overrides, replicates, seed),
                                   _threads(threads)))


def expect(scenario, overrides=None):
    """The scenario's mean-field twin, like ``flywheel expect``: its expected trajectory as
    deterministic differential equations, in milliseconds (no replicates, no seed, no threads).

    scenario: a path to a YAML file, or a dict of the same structure.
    overrides: {"key.path": value}, as ``--set key.path=value``.
    Returns an :class:`ExpectResult`. The Python interpreter lock is released meanwhile.
    """
    name, text = _source(scenario)
    return ExpectResult(_flywheel.expect(name, text, _sets(overrides)))


def compare(a, b=None, overrides=None, replicates=None, seed=None, threads=0, metrics=None,
            months=None):
    """Runs A and one or more variants with the same seed (common random numbers), like
    ``flywheel compare A B [C ...]``.

    a, b: scenario A and scenario B; or ``a`` a list ``[A, B, C, ...]`` (b then None), or ``b``
        a list of variants ``[B, C, ...]``. Each variant is compared with A. With more than one
        variant, ``table`` and ``months`` gain a ``variant`` column (B, C, ...) and ``data``
        lists ``variants``.
    metrics: metric names (default: arr_usd, accounts_paying, nrr_annual,
        logo_churn_t12m, cash_usd, k_factor), and outputs as sweeps write them, e.g.
        ``gross_profit_usd@sum:1-36`` (cumulative), compared at their last month.
    months: 1-based months (default: 12, 24, 36 within the horizon, and the horizon).
    overrides, replicates and seed apply to every side; they must then share months, replicates
    and seed. Returns a :class:`CompareResult` (``bottom_lines``: per variant, cumulative gross
    profit minus spend, cash low point and payback month of the difference).
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    if isinstance(months, int):
        months = [months]
    if isinstance(a, (list, tuple)):
        if b is not None:
            raise TypeError("compare: give the scenarios as one list, or as a and b, not both")
        sides = list(a)
    elif isinstance(b, (list, tuple)):
        sides = [a] + list(b)
    else:
        if b is None:
            raise TypeError("compare: expected scenario B (or a list of scenarios)")
        sides = [a, b]
    sources = [_source(s) for s in sides]
    return CompareResult(_flywheel.compare([n for n, _ in sources], [t for _, t in sources],
                                           _sets(overrides, replicates, seed), _threads(threads),
                                           [str(m) for m in metrics or []],
                                           [int(m) for m in months or []]))


def validate(scenario, overrides=None):
    """Checks a scenario without running it; raises :class:`InputError` listing every problem.

    A valid scenario returns its warnings, as ``flywheel validate`` prints them: a list (empty
    when there are none) of dicts with ``file``, ``line``, ``column``, ``path`` (the key path),
    ``message`` and ``text`` (the whole ``file:line:col: path: message`` line). A warning is a
    scenario that runs but cannot do what it says (no path to revenue, a lever with no effect,
    a target out of reach)."""
    name, text = _source(scenario)
    return _flywheel.validate(name, text, _sets(overrides))


def metrics():
    """Every reported metric, in output column order: dicts with name, unit and meaning."""
    return _flywheel.metrics()
