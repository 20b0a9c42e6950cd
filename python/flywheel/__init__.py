"""flywheel: an agent-based go-to-market simulator, from Python.

The same engine as the ``flywheel`` command, so the same scenario and seed give byte-identical
outputs here and there::

    import flywheel
    result = flywheel.run("scenarios/plg-freemium.yaml", replicates=20, seed=7,
                          overrides={"strategy.plg.pql_min_active_users": 5})
    arr = result.timeseries.query("metric == 'arr_usd'")[["month", "mean", "p5", "p95"]]
    flywheel.compare("a.yaml", "b.yaml", replicates=50).verdicts

A scenario is a path to a YAML file or a dict of the same structure (``extends:`` in a dict is
relative to the current folder). ``overrides`` is a dict ``{"key.path": value}`` applied like
the command line's ``--set key.path=value``. Bad input raises :class:`InputError`.
"""

import io
import json
import math
import os
from functools import cached_property

from . import _flywheel

__version__ = _flywheel.__version__

#: Bad input (scenario, overrides, options): a ``ValueError`` whose message is the command line's
#: ``file:line:col: key.path: problem; expected ...`` lines and whose ``diagnostics`` is a list
#: of dicts with ``file``, ``line``, ``column``, ``path`` and ``message``.
InputError = _flywheel.InputError

__all__ = ["run", "compare", "validate", "metrics", "RunResult", "CompareResult", "InputError"]

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

    ``summary_json``, ``timeseries_csv`` and ``replicates_csv`` are the files' exact texts;
    ``timeseries`` and ``replicates`` are them as pandas DataFrames, ``summary`` and ``scenario``
    (the resolved scenario, every default filled in) as dicts.
    """

    def __init__(self, texts):
        self.summary_json = texts["summary_json"]
        self.timeseries_csv = texts["timeseries_csv"]
        self.replicates_csv = texts["replicates_csv"]

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

    def __repr__(self):
        s = self.summary
        return (f"<flywheel.RunResult {s['scenario']['name']}: {s['replicates']} replicates "
                f"of {s['months']} months, seed {s['seed']}>")


class CompareResult:
    """A comparison of A and B, as ``flywheel compare`` writes it.

    ``table`` is compare.csv as a DataFrame (one row per metric and month), ``verdicts`` the
    one-line verdicts the command prints, ``csv`` and ``json`` the files' exact texts and
    ``data`` compare.json as a dict.
    """

    def __init__(self, texts):
        self.csv = texts["csv"]
        self.json = texts["json"]
        self.verdicts = list(texts["verdicts"])

    @cached_property
    def table(self):
        return _csv_frame(self.csv)

    @cached_property
    def data(self):
        return json.loads(self.json)

    def __repr__(self):
        return "<flywheel.CompareResult>\n" + "\n".join(self.verdicts)


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


def compare(a, b, overrides=None, replicates=None, seed=None, threads=0, metrics=None,
            months=None):
    """Runs A and B with the same seed (common random numbers), like ``flywheel compare``.

    metrics: metric names (default: arr_usd, accounts_paying, logo_churn, nrr, k_factor).
    months: 1-based months (default: 12, 24, 36 within the horizon, and the horizon).
    overrides, replicates and seed apply to both; A and B must then share months, replicates
    and seed. Returns a :class:`CompareResult`.
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    if isinstance(months, int):
        months = [months]
    a_name, a_text = _source(a)
    b_name, b_text = _source(b)
    return CompareResult(_flywheel.compare(a_name, a_text, b_name, b_text,
                                           _sets(overrides, replicates, seed), _threads(threads),
                                           [str(m) for m in metrics or []],
                                           [int(m) for m in months or []]))


def validate(scenario, overrides=None):
    """Checks a scenario without running it: None when valid, else raises :class:`InputError`."""
    name, text = _source(scenario)
    _flywheel.validate(name, text, _sets(overrides))


def metrics():
    """Every reported metric, in output column order: dicts with name, unit and meaning."""
    return _flywheel.metrics()
