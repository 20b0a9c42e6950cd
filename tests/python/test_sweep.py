"""flywheel.sweep and flywheel.sensitivity against `flywheel sweep` and `flywheel sensitivity`:
the same spec gives the same bytes of results.csv, points.csv and sensitivity.csv; bad specs fail
with the command's located messages. Run by ctest (label `python`); the base scenario is tiny (a
few thousand people for 12 weekly months: tests/data/sweep-base.yaml, shared with
tests/test_sweep.cpp) so each sweep takes well under a second."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import flywheel

ROOT = Path(__file__).resolve().parents[2]
CLI = os.path.abspath(os.environ.get("FLYWHEEL_CLI", ROOT / "build" / "flywheel"))

BASE = (ROOT / "tests" / "data" / "sweep-base.yaml").read_text()

# 2 policies x 4 LHS scenarios = 8 points x 2 replicates.
SPEC = """\
base: base.yaml
replicates: 2
design: {method: lhs, samples: 4, seed: 4}
levers:
  strategy.marketing.spend_usd_per_month: {values: [0, 20000]}
uncertainties:
  funnel.churn_per_month.regular: {range: [0.01, 0.06]}
  acquisition.imitation_q_per_month: {triangular: [0.2, 0.4, 0.6]}
outputs: [arr_usd@12, accounts_paying@last, logo_churn@mean:1-12]
"""

ISHIGAMI = """\
model: ishigami
replicates: 1
design: {method: saltelli, samples: 32, bootstrap: 200, seed: 3}
uncertainties:
  x1: {range: [-3.141592653589793, 3.141592653589793]}
  x2: {range: [-3.141592653589793, 3.141592653589793]}
  x3: {range: [-3.141592653589793, 3.141592653589793]}
outputs: [y]
"""


def cli(*args, cwd, check=True):
    done = subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd)
    if check and done.returncode not in (0,):
        raise AssertionError(f"flywheel {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


@pytest.fixture
def work(tmp_path):
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "ishigami.yaml").write_text(ISHIGAMI)
    return tmp_path


def test_sweep_is_byte_identical_to_the_cli(work):
    cli("sweep", "spec.yaml", "--out", "cli", "--quiet", "--no-report", cwd=work)
    result = flywheel.sweep(work / "spec.yaml", work / "py", threads=2)
    assert (work / "py" / "results.csv").read_bytes() == (work / "cli" / "results.csv").read_bytes()
    assert (work / "py" / "points.csv").read_bytes() == (work / "cli" / "points.csv").read_bytes()
    assert result.dir == work / "py"
    assert result.report == work / "py" / "report.html"
    assert not (work / "cli" / "report.html").exists()

    points, results = result.points, result.results
    assert list(points.columns) == ["point", "policy", "scenario",
                                    "strategy.marketing.spend_usd_per_month",
                                    "funnel.churn_per_month.regular",
                                    "acquisition.imitation_q_per_month"]
    assert len(points) == 8 and list(points["point"]) == list(range(8))
    assert list(results.columns) == ["point", "replicate", "seed", "arr_usd@12",
                                     "accounts_paying@last", "logo_churn@mean:1-12"]
    assert len(results) == 16 and (results["seed"] == 11).all()
    assert (results["arr_usd@12"] > 0).all()

    manifest = result.manifest
    assert manifest == json.loads((work / "py" / "manifest.json").read_text())
    assert manifest["counts"]["points"] == 8 and manifest["counts"]["rows"] == 16
    assert result.failures == []
    assert result.results_sha256 == manifest["results_sha256"]
    means = result.point_means
    assert len(means) == 8
    row = results[results["point"] == 5]["arr_usd@12"].mean()
    assert means.loc[5, "arr_usd@12"] == pytest.approx(row, rel=1e-12)
    assert means.loc[5, "strategy.marketing.spend_usd_per_month"] == 20000
    assert "8 points" in repr(result)


def test_sweep_resumes_and_refuses_another_sweep(work):
    first = flywheel.sweep(work / "spec.yaml", work / "s", report=False)
    before = (work / "s" / "results.csv").read_bytes()
    units = sorted((work / "s" / "units").iterdir())
    os.remove(units[3])  # as if killed before that unit was published
    again = flywheel.sweep(str(work / "spec.yaml"), str(work / "s"), report=False)
    assert (work / "s" / "results.csv").read_bytes() == before
    assert again.results_sha256 == first.results_sha256
    (work / "spec.yaml").write_text(SPEC.replace("samples: 4", "samples: 5"))
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.sweep(work / "spec.yaml", work / "s", report=False)
    assert "holds another sweep" in str(caught.value)
    assert len(flywheel.sweep(work / "spec.yaml", work / "s", force_new=True,
                              report=False).points) == 10


def test_sweep_precision_adds_replicates(work):
    result = flywheel.sweep(work / "spec.yaml", work / "p", precision="arr_usd@12:1%",
                            max_replicates=6, report=False)
    per_point = result.results.groupby("point").size()
    assert per_point.max() == 6  # the noisiest points reach the cap, in batches of 2
    assert (per_point % 2 == 0).all()
    assert result.manifest["counts"]["rows"] == per_point.sum()
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.sweep(work / "spec.yaml", work / "q", precision="arr_usd@24:1%")
    assert caught.value.diagnostics[0]["path"] == "--precision"
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.sweep(work / "spec.yaml", work / "q", precision="arr_usd@12:1%",
                       max_replicates=1)
    assert caught.value.diagnostics[0]["path"] == "--max-replicates"
    assert not (work / "q").exists()  # refused before anything was written


def test_a_bad_spec_raises_input_error_at_its_location(work):
    (work / "bad.yaml").write_text(textwrap.dedent("""\
        base: base.yaml
        replicates: 2
        design: {method: lhs, samples: 4}
        uncertainties:
          funnel.churn_per_month.regullar: {range: [0.01, 0.06]}
        outputs: [arr_usd@13]
        """))
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.sweep(work / "bad.yaml", work / "bad")
    message = str(caught.value)
    bad = work / "bad.yaml"
    assert message.splitlines() == [
        f"{bad}:5:3: uncertainties.funnel.churn_per_month.regullar: unknown key; did you mean "
        "regular?",
        f"{bad}:6:11: outputs[0]: arr_usd@13 reaches past the base scenario's horizon of 12 "
        "months; expected months in [1, 12]"]
    assert [(d["file"], d["line"], d["column"]) for d in caught.value.diagnostics] == [
        (str(bad), 5, 3), (str(bad), 6, 11)]
    done = cli("sweep", str(work / "bad.yaml"), "--out", str(work / "bad"), cwd=work, check=False)
    assert done.returncode == 2
    assert done.stderr == message + "\n"
    assert not (work / "bad").exists()
    with pytest.raises(flywheel.InputError):
        flywheel.sweep(work / "missing.yaml", work / "bad")
    with pytest.raises(TypeError):
        flywheel.sweep({"base": "base.yaml"}, work / "bad")


def test_sensitivity_matches_the_cli(work):
    cli("sensitivity", "ishigami.yaml", "--out", "cli", "--quiet", "--no-report", cwd=work)
    result = flywheel.sensitivity(work / "ishigami.yaml", out=work / "py")
    assert result.csv == (work / "cli" / "sensitivity.csv").read_text()
    assert (work / "py" / "sensitivity.json").read_text() == \
        (work / "cli" / "sensitivity.json").read_text()
    indices = result.indices
    assert list(indices.columns) == ["policy", "output", "parameter", "index", "estimate", "lo",
                                     "hi"]
    assert len(indices) == 3 * 2
    st = indices[indices["index"] == "ST"].set_index("parameter")["estimate"]
    assert st["x1"] > st["x3"] > 0.05  # x3 acts only with x1 (analytic ST 0.56, 0.24)
    assert len(result.sweep.results) == 32 * 5
    assert result.data["design"]["method"] == "saltelli"
    assert result.sweep.report == result.dir / "report.html"

    # analyse= reads a folder swept before: the same indices.
    flywheel.sweep(work / "ishigami.yaml", work / "plain", report=False)
    again = flywheel.sensitivity(analyse=work / "plain")
    pd.testing.assert_frame_equal(again.indices, indices)

    with pytest.raises(flywheel.InputError) as caught:
        flywheel.sensitivity(work / "spec.yaml", out=work / "lhs")
    assert caught.value.diagnostics[0]["path"] == "design.method"
    assert not (work / "lhs").exists()
    with pytest.raises(flywheel.InputError):
        flywheel.sensitivity(analyse=work / "nothing-here")
    with pytest.raises(TypeError):
        flywheel.sensitivity(work / "ishigami.yaml")  # no out
    with pytest.raises(TypeError):
        flywheel.sensitivity(work / "ishigami.yaml", out=work / "x", analyse=work / "plain")


def test_failed_points_warn_and_are_listed(work):
    # A normal draw puts the churn of some points above 1: those points fail, the sweep goes on.
    (work / "failing.yaml").write_text(textwrap.dedent("""\
        base: base.yaml
        replicates: 1
        design: {method: lhs, samples: 6, seed: 2}
        uncertainties:
          funnel.churn_per_month.regular: {normal: [0.9, 0.3]}
        outputs: [arr_usd@12]
        """))
    with pytest.warns(UserWarning, match="retry_failed"):
        result = flywheel.sweep(work / "failing.yaml", work / "f", report=False)
    assert result.failures
    assert all("churn_per_month.regular" in f["error"] for f in result.failures)
    assert result.point_means["arr_usd@12"].isna().sum() == len(result.failures)


# SIGINT arrives while the engine runs without the interpreter lock; the sweep checks for it
# after each unit and raises KeyboardInterrupt, keeping the finished units for a resume.
INTERRUPT_SCRIPT = """
import os, signal, sys, threading
import flywheel

spec, out = sys.argv[1], sys.argv[2]
signal.signal(signal.SIGINT, signal.default_int_handler)
threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
try:
    flywheel.sweep(spec, out, report=False, threads=1)
except KeyboardInterrupt:
    print(len(os.listdir(os.path.join(out, "units"))))
    sys.exit(0)
sys.exit("not interrupted")
"""


def test_an_interrupted_sweep_resumes(work):
    (work / "long.yaml").write_text(SPEC.replace("samples: 4", "samples: 60"))
    done = subprocess.run([sys.executable, "-c", INTERRUPT_SCRIPT, str(work / "long.yaml"),
                           str(work / "long")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert 0 < int(done.stdout) < 120  # some of the 120 units, not all
    resumed = flywheel.sweep(work / "long.yaml", work / "long", report=False)
    assert len(resumed.results) == 120 * 2
    assert list(resumed.results["point"].drop_duplicates()) == list(range(120))
