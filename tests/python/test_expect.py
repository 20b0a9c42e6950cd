"""flywheel.expect, the mean-field twin from Python, against `flywheel expect`: the same bytes of
expected.csv and expected.json, the same approximations, bad input located as on the command
line; and run's expected.csv is the same twin. Run by ctest (label `python`)."""

import json
import math
import os
import subprocess
from pathlib import Path

import pytest

import flywheel

ROOT = Path(__file__).resolve().parents[2]
CLI = os.environ.get("FLYWHEEL_CLI", str(ROOT / "build" / "flywheel"))
PLG = str(ROOT / "scenarios" / "plg-freemium.yaml")
SMALL = {"simulation.months": 14, "market.people": 20000, "targets": []}
SMALL_SETS = ["--set", "simulation.months=14", "--set", "market.people=20000", "--set",
              "targets=[]"]


def test_expect_is_byte_identical_to_the_cli(tmp_path):
    out = tmp_path / "expect"
    subprocess.run([CLI, "expect", PLG, *SMALL_SETS, "--quiet", "--out", str(out)], check=True,
                   capture_output=True)
    twin = flywheel.expect(PLG, overrides=SMALL)
    assert twin.csv == (out / "expected.csv").read_text()
    assert twin.json == (out / "expected.json").read_text()
    assert twin.approximations == json.loads(twin.json)["approximations"]


def test_expect_frames_and_dicts():
    twin = flywheel.expect(PLG, overrides=SMALL)
    table = twin.expected
    assert list(table.columns) == ["month", "metric", "value"]
    assert len(table) == 14 * len(flywheel.metrics())
    wide = twin.wide
    assert list(wide.index) == list(range(1, 15))
    assert set(wide.columns) == {m["name"] for m in flywheel.metrics()}
    # The twin has no meaning for a median of individual waits: NaN in every month.
    assert wide["median_ttv_days"].isna().all()
    assert wide["arr_usd"].iloc[-1] > 0
    assert twin.data["months"] == 14
    assert set(twin.data["at_months"]) == {"12", "14"}
    at12 = twin.data["at_months"]["12"]["arr_usd"]
    assert math.isclose(at12, wide["arr_usd"].loc[12], rel_tol=1e-12)
    for a in twin.approximations:
        assert set(a) == {"mechanism", "note"} and a["mechanism"] and a["note"]
    assert "plg-freemium" in repr(twin)


def test_expect_is_deterministic_and_follows_overrides():
    a = flywheel.expect(PLG, overrides=SMALL)
    assert flywheel.expect(PLG, overrides=SMALL).csv == a.csv
    more = flywheel.expect(PLG, overrides={**SMALL, "strategy.marketing.spend_usd_per_month":
                                           80000})
    assert more.csv != a.csv


def test_run_carries_the_same_twin():
    run = flywheel.run(PLG, overrides=SMALL, replicates=2, seed=3)
    assert run.expected_csv == flywheel.expect(PLG, overrides=SMALL).csv
    assert list(run.expected.columns) == ["month", "metric", "value"]


def test_a_bad_override_raises_input_error_at_its_location():
    with pytest.raises(flywheel.InputError) as raised:
        flywheel.expect(PLG, overrides={"simulation.months": "abc"})
    assert "simulation.months" in str(raised.value)
    assert raised.value.diagnostics[0]["path"] == "simulation.months"
