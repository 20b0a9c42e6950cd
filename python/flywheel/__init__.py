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

import json
from functools import cached_property

from . import _flywheel
from ._calibrate import CalibrateResult, calibrate
from ._common import _csv_frame, _sets, _source, _threads
from ._experiments import (DiscoverResult, OptimizeResult, SensitivityResult, SweepResult,
                           discover, optimize, sensitivity, sweep)

__version__ = _flywheel.__version__

#: Bad input (scenario, overrides, options): a ``ValueError`` whose message is the command line's
#: ``file:line:col: key.path: problem; expected ...`` lines and whose ``diagnostics`` is a list
#: of dicts with ``file``, ``line``, ``column``, ``path`` and ``message``.
InputError = _flywheel.InputError

__all__ = ["run", "expect", "compare", "sweep", "sensitivity", "optimize", "discover",
           "calibrate", "validate", "metrics", "RunResult", "ExpectResult", "CompareResult",
           "SweepResult", "SensitivityResult", "OptimizeResult", "DiscoverResult",
           "CalibrateResult", "InputError"]


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
