"""flywheel.calibrate against `flywheel calibrate`: a tiny mean-field calibration (a 20,000-person
market over 24 monthly steps, two parameters, 30 particles, two generations; seconds each) gives
the command's bytes, from a spec file or a dict; the result's tables have the documented shapes;
a folder resumes; bad specs raise InputError with the file:line:col or <dict> and key path. Run
by ctest (label `python`). The company example's own test is test_calibrate_slack.py."""

import json
import math
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import flywheel

ROOT = Path(__file__).resolve().parents[2]
CLI = os.path.abspath(os.environ.get("FLYWHEEL_CLI", ROOT / "build" / "flywheel"))

# The tiny market the C++ calibration tests use too (tests/calibrate_fixture.hpp).
BASE = (ROOT / "tests" / "data" / "calibrate-tiny.yaml").read_text()

SPEC = {
    "base": "tiny.yaml",
    "data": "data.csv",
    "engine": "mean_field",
    "seed": 3,
    "parameters": {
        "funnel.signup_per_month": {"uniform": [0.1, 0.6]},
        "strategy.plg.pql_conversion_per_month": {"log_uniform": [0.05, 0.5]},
    },
    "budget": {"particles": 30, "generations": 2},
    "forecast": {"draws": 10},
}
PARAMETERS = list(SPEC["parameters"])
DATA_MONTHS = 12


def data_csv(folder):
    """Months 1-12 of signups and paying accounts of the tiny market at signup 0.35, PQL
    conversion 0.15 (its mean-field twin), as the data file."""
    twin = flywheel.expect(folder / "tiny.yaml",
                           overrides={"funnel.signup_per_month": 0.35,
                                      "strategy.plg.pql_conversion_per_month": 0.15})
    rows = twin.expected.query("metric in ['signups', 'accounts_paying'] and month <= @DATA_MONTHS")
    return "month,metric,value\n" + "".join(
        f"{r.month},{r.metric},{r.value!r}\n" for r in rows.itertuples())


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calibrate")
    (folder / "tiny.yaml").write_text(BASE)
    (folder / "data.csv").write_text(data_csv(folder))
    # The dict as YAML (JSON is YAML): the same spec from a file.
    (folder / "spec.yaml").write_text(json.dumps(SPEC, indent=2) + "\n")
    return folder


@pytest.fixture(scope="module")
def fit(work):
    return flywheel.calibrate(work / "spec.yaml", out=work / "py", threads=2)


def test_result_tables(fit):
    assert fit.parameters == PARAMETERS
    assert fit.stop_reason == "generations"
    post = fit.posterior
    assert isinstance(post, pd.DataFrame)
    assert list(post.columns) == ["generation", "particle", "weight", "distance", *PARAMETERS]
    assert len(post) == 30 and (post["generation"] == 2).all()
    assert post["weight"].sum() == pytest.approx(1, abs=1e-9)
    assert (post["weight"] > 0).all()
    assert len(fit.populations) == 3 * 30
    assert list(fit.generations.columns) == ["generation", "tolerance", "acceptance_rate", "ess",
                                             "simulations", "simulations_total"]
    assert list(fit.generations["generation"]) == [0, 1, 2]
    assert fit.generations["simulations_total"].iloc[-1] == fit.simulations
    tolerances = fit.generations["tolerance"].dropna()
    assert list(tolerances) == sorted(tolerances, reverse=True)  # a shrinking schedule
    assert list(fit.sample.columns) == ["draw", *PARAMETERS]
    lo, hi = 0.1, 0.6
    assert post["funnel.signup_per_month"].between(lo, hi).all()


def test_forecast_runs_past_the_data(fit):
    f = fit.forecast
    assert list(f.columns) == ["month", "metric", "data", "p5", "p50", "p95", "mean"]
    assert set(f["metric"]) == {"signups", "accounts_paying"}
    assert f["month"].max() == 24 and f["month"].min() == 1
    future = f[f["month"] > DATA_MONTHS]
    assert len(future) == 2 * (24 - DATA_MONTHS)
    assert future["data"].isna().all()
    assert f[f["month"] <= DATA_MONTHS]["data"].notna().all()
    assert (f["p5"] <= f["p50"]).all() and (f["p50"] <= f["p95"]).all()


def test_summary_and_files(fit):
    assert [p["path"] for p in fit.summary["posterior"]] == PARAMETERS
    for p in fit.summary["posterior"]:
        assert p["p5"] <= p["p50"] <= p["p95"]
    for name in ("calibration.json", "posterior.csv", "generations.csv", "posterior_sample.csv",
                 "calibrated.yaml", "forecast.csv", "report.html"):
        assert fit.paths[name].is_file()
    assert fit.report is not None
    # calibrated.yaml is a scenario: its mean-field twin runs
    assert len(flywheel.expect(fit.calibrated).expected) > 0


def test_same_bytes_as_the_command_line(work, fit):
    done = subprocess.run([CLI, "calibrate", "spec.yaml", "--out", "cli", "--threads", "1",
                           "--quiet"], capture_output=True, text=True, cwd=work)
    assert done.returncode == 0, done.stderr
    for name in ("posterior.csv", "generations.csv", "posterior_sample.csv", "forecast.csv"):
        assert (work / "cli" / name).read_bytes() == (fit.dir / name).read_bytes(), name


def test_dict_gives_the_same_posterior(work, fit):
    from_dict = flywheel.calibrate(SPEC, out=work / "dict", base_dir=work)
    for name in ("posterior.csv", "generations.csv", "forecast.csv"):
        assert (from_dict.dir / name).read_bytes() == (fit.dir / name).read_bytes(), name
    # Without base_dir, a dict's relative paths are read from the current folder: the same
    # calibration, so the folder resumes (a different base or data would be refused).
    cwd = os.getcwd()
    try:
        os.chdir(work)
        again = flywheel.calibrate(SPEC, out="dict", report=False)
    finally:
        os.chdir(cwd)
    assert again.resumed
    assert (work / "dict" / "posterior.csv").read_bytes() == (fit.dir / "posterior.csv").read_bytes()


def test_resume_and_start_over(work, fit):
    again = flywheel.calibrate(work / "spec.yaml", out=work / "py")
    assert again.resumed
    assert (again.dir / "posterior.csv").read_bytes() == (fit.dir / "posterior.csv").read_bytes()
    fresh = flywheel.calibrate(work / "spec.yaml", out=work / "py", resume=False)
    assert not fresh.resumed
    assert (fresh.dir / "posterior.csv").read_bytes() == (fit.dir / "posterior.csv").read_bytes()


def test_bad_dict_spec_names_the_key_path(work):
    bad = dict(SPEC, parameters={"funnel.no_such_rate": {"uniform": [0.1, 0.2]}})
    with pytest.raises(flywheel.InputError) as error:
        flywheel.calibrate(bad, out=work / "bad", base_dir=work)
    text = str(error.value)
    assert text.startswith("<dict>:")
    assert "parameters.funnel.no_such_rate" in text
    assert error.value.diagnostics[0]["file"] == "<dict>"
    assert not (work / "bad" / "posterior.csv").exists()


def test_bad_spec_file_is_located(work):
    bad = dict(SPEC, parameters={"funnel.signup_per_month": {"uniform": [0.6, 0.1]}})
    (work / "bad.yaml").write_text(json.dumps(bad, indent=2) + "\n")
    with pytest.raises(flywheel.InputError) as error:
        flywheel.calibrate(work / "bad.yaml", out=work / "bad")
    d = error.value.diagnostics[0]
    assert d["file"].endswith("bad.yaml") and d["line"] > 1 and d["column"] > 0
    assert d["path"].startswith("parameters.funnel.signup_per_month")


def test_missing_data_file_and_wrong_arguments(work):
    with pytest.raises(flywheel.InputError, match="data"):
        flywheel.calibrate(dict(SPEC, data="nowhere.csv"), out=work / "bad", base_dir=work)
    with pytest.raises(TypeError):
        flywheel.calibrate(work / "spec.yaml", out=work / "bad", base_dir=work)
    with pytest.raises(TypeError):
        flywheel.calibrate(42, out=work / "bad")
    with pytest.raises(ValueError):
        flywheel.calibrate(work / "spec.yaml", out=work / "bad", threads=-1)


def test_weights_are_finite(fit):
    assert all(math.isfinite(w) for w in fit.posterior["weight"])
    assert all(math.isfinite(d) for d in fit.posterior["distance"])
