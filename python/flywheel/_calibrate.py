"""Calibration to a company's own history: flywheel.calibrate and its result."""

import json
import warnings
from functools import cached_property
from pathlib import Path

from . import _flywheel
from ._common import _csv_frame, _folder, _source, _threads


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
