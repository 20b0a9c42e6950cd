"""Experiments that run into a folder: sweeps, sensitivity analyses, optimisation, discovery."""

import json
import warnings
from functools import cached_property
from pathlib import Path

from . import _flywheel
from ._common import _csv_frame, _folder, _report_and_failures, _threads


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
