"""The Python module against the command line: the same scenario and seed give the same bytes,
and bad input fails with the same located messages. Run by ctest (label `python`) with
PYTHONPATH=build/python and FLYWHEEL_CLI=build/flywheel; runs are kept small (a few replicates,
a few thousand people) so the file takes seconds."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import flywheel

ROOT = Path(__file__).resolve().parents[2]
CLI = os.environ.get("FLYWHEEL_CLI", str(ROOT / "build" / "flywheel"))
PLG = str(ROOT / "scenarios" / "plg-freemium.yaml")
BASS = str(ROOT / "scenarios" / "validation" / "bass.yaml")
BASELINE = str(ROOT / "scenarios" / "hypotheses" / "members-retain-50pct-longer-baseline.yaml")
VARIANT = str(ROOT / "scenarios" / "hypotheses" / "members-retain-50pct-longer.yaml")

# A small plg-freemium: as --set on the command line, as overrides here.
SMALL = {"simulation.months": 12, "market.people": 20000, "targets": []}
SMALL_SETS = ["simulation.months=12", "market.people=20000", "targets=[]"]

# scenarios/validation/bass.yaml as a dict (same values), made small by its own keys.
BASS_DICT = {
    "name": "bass",
    "description": "Bass diffusion docking case (only p and q, well mixed, no churn, no money)",
    "simulation": {"months": 6, "step": "day", "replicates": 3, "seed": 1969},
    "market": {
        "people": 3000,
        "segments": [{"name": "everyone", "share": 1.0,
                      "account_size": {"distribution": "fixed", "mean_people": 1}}],
    },
    "acquisition": {
        "innovation_p_per_month": 0.03,
        "imitation_q_per_month": 0.38,
        "word_of_mouth_sources": ["aware", "evaluator", "beginner", "regular", "champion"],
    },
}
BASS_SMALL = {"simulation.months": 6, "simulation.replicates": 3, "market.people": 3000}


def cli(*args, check=True):
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"flywheel {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


def sets(pairs):
    return [arg for p in pairs for arg in ("--set", p)]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "run"
    cli("run", PLG, "--replicates", "3", "--seed", "11", *sets(SMALL_SETS), "--replicates-csv",
        "--quiet", "--out", str(out))
    return out


@pytest.fixture(scope="module")
def module_run():
    return flywheel.run(PLG, overrides=SMALL, replicates=3, seed=11, threads=2)


def test_run_is_byte_identical_to_the_cli(cli_run, module_run):
    assert module_run.timeseries_csv == (cli_run / "timeseries.csv").read_text()
    assert module_run.replicates_csv == (cli_run / "replicates.csv").read_text()
    # summary.json holds no timestamp; its only path (scenario.file) is given alike to both.
    assert module_run.summary_json == (cli_run / "summary.json").read_text()


def test_run_result_frames_and_dicts(module_run):
    ts = module_run.timeseries
    assert list(ts.columns) == ["month", "metric", "mean", "sd", "p5", "p25", "p50", "p75",
                                "p95", "n"]
    assert len(ts) == 12 * len(flywheel.metrics())
    assert ts["month"].max() == 12
    reps = module_run.replicates
    assert list(reps.columns[:2]) == ["replicate", "month"]
    assert list(reps.columns[2:]) == [m["name"] for m in flywheel.metrics()]
    assert len(reps) == 3 * 12
    # The timeseries mean is the mean over the replicates of replicates.csv.
    arr = reps[reps["month"] == 12]["arr_usd"].mean()
    row = ts[(ts["month"] == 12) & (ts["metric"] == "arr_usd")].iloc[0]
    assert row["mean"] == pytest.approx(arr, rel=1e-9)
    assert arr > 0
    assert module_run.summary["seed"] == 11
    assert module_run.summary["replicates"] == 3
    assert module_run.scenario["simulation"]["months"] == 12
    assert module_run.scenario["market"]["people"] == 20000
    assert "plg-freemium" in repr(module_run)


def test_dict_scenario_equals_its_file():
    from_file = flywheel.run(BASS, overrides=BASS_SMALL, threads=1)
    from_dict = flywheel.run(BASS_DICT, threads=1)
    assert from_dict.timeseries_csv == from_file.timeseries_csv
    assert from_dict.replicates_csv == from_file.replicates_csv
    file_summary, dict_summary = from_file.summary, from_dict.summary
    assert file_summary["scenario"]["file"] == BASS
    assert dict_summary["scenario"]["file"] == "<dict>"
    del file_summary["scenario"]["file"], dict_summary["scenario"]["file"]
    assert dict_summary == file_summary
    pd.testing.assert_frame_equal(from_dict.timeseries, from_file.timeseries)
    # numpy numbers in a dict are plain numbers
    with_numpy = {**BASS_DICT, "market": {**BASS_DICT["market"], "people": np.int64(3000)}}
    assert flywheel.run(with_numpy, threads=1).timeseries_csv == from_file.timeseries_csv


def test_dict_extends_is_relative_to_the_current_folder(monkeypatch):
    monkeypatch.chdir(ROOT / "scenarios")
    derived = {"extends": "validation/bass.yaml", "simulation": {"months": 6, "replicates": 3},
               "market": {"people": 3000}}
    assert flywheel.run(derived).timeseries_csv == flywheel.run(BASS_DICT).timeseries_csv


def test_overrides_change_the_run_like_set():
    base = flywheel.run(BASS_DICT, overrides={"simulation.months": 4})
    assert base.timeseries["month"].max() == 4
    assert base.scenario["simulation"]["months"] == 4
    # Lists become flow sequences, booleans true/false, numpy scalars numbers; the same run as
    # the values written as --set texts.
    r = flywheel.run(BASS_DICT, overrides={
        "simulation.months": np.int64(4),
        "acquisition.word_of_mouth_sources": np.array(["aware"]),
        "strategy.referrals.enabled": False,
        "acquisition.imitation_q_per_month": 0.5,
    })
    assert r.scenario["simulation"]["months"] == 4
    assert r.scenario["acquisition"]["imitation_q_per_month"] == 0.5
    assert r.timeseries_csv != base.timeseries_csv  # q and sources changed the diffusion
    assert r.timeseries_csv == flywheel.run(BASS_DICT, overrides={
        "simulation.months": 4, "acquisition.word_of_mouth_sources": "[aware]",
        "acquisition.imitation_q_per_month": "0.5"}).timeseries_csv
    # replicates= and seed= as --replicates and --seed: after the overrides, so they win.
    r = flywheel.run(BASS_DICT, overrides={"simulation.replicates": 5}, replicates=2, seed=5)
    assert r.summary["replicates"] == 2 and r.summary["seed"] == 5
    assert r.replicates["replicate"].nunique() == 2


def test_a_bad_override_raises_input_error_at_its_location():
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.run(BASS_DICT, overrides={"simulation.months": 6, "market.people": -5})
    error = caught.value
    assert isinstance(error, ValueError)
    [d] = error.diagnostics
    assert (d["file"], d["line"], d["path"]) == ("--set", 2, "market.people")
    assert d["column"] == len("market.people=") + 1
    assert "-5" in d["message"]
    assert str(error) == f"--set:2:{d['column']}: market.people: {d['message']}"
    # Every problem at once; an unknown key and a malformed one are reported like the CLI.
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.validate(BASS_DICT, overrides={"simulation.monthz": 3, "": 1})
    assert [d["file"] for d in caught.value.diagnostics] == ["<command line>"]
    assert "has no key path" in str(caught.value)
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.validate(BASS_DICT, overrides={"simulation.monthz": 3})
    assert "simulation.monthz" in str(caught.value) and "months" in str(caught.value)
    done = cli("validate", BASS, "--set", "simulation.monthz=3", check=False)
    assert done.returncode == 2
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.validate(BASS, overrides={"simulation.monthz": 3})
    assert str(caught.value) + "\n" == done.stderr


def test_validate_locates_every_problem_in_a_broken_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(textwrap.dedent("""\
        name: broken
        simulation:
          months: 12
          replicates: -2
        market:
          people: 1000
          segments:
            - {name: all, share: 1.3, account_size: {distribution: fixed, mean_people: 1}}
        """))
    assert flywheel.validate(BASS) == []  # valid, and no warnings
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.validate(broken)  # a Path, too
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{broken}:4:15: simulation.replicates: -2 ")
    assert any(line.startswith(f"{broken}:8:") and "share" in line for line in lines)
    by_path = {d["path"]: d for d in caught.value.diagnostics}
    assert by_path["simulation.replicates"]["line"] == 4
    assert by_path["simulation.replicates"]["column"] == 15
    assert by_path["simulation.replicates"]["file"] == str(broken)
    assert set(by_path["simulation.replicates"]) == {"file", "line", "column", "path", "message"}
    done = cli("validate", str(broken), check=False)
    assert done.returncode == 2
    assert done.stderr == str(caught.value) + "\n"
    # Not YAML at all, and a missing file: bad input too.
    (tmp_path / "not.yaml").write_text("name: [unclosed\n")
    with pytest.raises(flywheel.InputError):
        flywheel.validate(tmp_path / "not.yaml")
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.run(tmp_path / "missing.yaml")
    assert caught.value.diagnostics[0]["file"] == str(tmp_path / "missing.yaml")


def test_validate_returns_the_warnings_the_cli_prints(tmp_path):
    # A ramp share without ramp months is a lever with no effect: a warning, not an error.
    path = tmp_path / "no-ramp.yaml"
    path.write_text(textwrap.dedent("""\
        name: no-ramp
        simulation: {months: 12}
        market:
          people: 1000
          segments:
            - name: ent
              share: 1
              account_size: {distribution: fixed, mean_people: 4}
              price_usd_per_seat_month: 10
              sales: {sold: true, ramp_start_share: 0.5}
        acquisition: {innovation_p_per_month: 0.01}
        funnel: {signup_per_month: 0.1, activation_per_month: 0.3}
        strategy:
          slg: {reps: 2}
        """))
    found = flywheel.validate(path)
    assert [w["path"] for w in found] == ["market.segments[0].sales.ramp_start_share"]
    assert found[0]["line"] == 10 and found[0]["file"] == str(path)
    done = cli("validate", str(path), check=False)
    assert done.returncode == 0
    assert f"flywheel: warning: {found[0]['text']}" in done.stderr


def test_compare_matches_the_cli(tmp_path):
    args = ["--replicates", "3", "--seed", "4", *sets(SMALL_SETS + ["market.people=10000"]),
            "--metrics", "arr_usd,active_users,logo_churn", "--months", "6,12"]
    done = cli("compare", BASELINE, VARIANT, *args, "--quiet", "--out", str(tmp_path / "cmp"))
    result = flywheel.compare(BASELINE, VARIANT, overrides={**SMALL, "market.people": 10000},
                              replicates=3, seed=4, metrics=["arr_usd", "active_users",
                                                             "logo_churn"], months=[6, 12])
    assert result.csv == (tmp_path / "cmp" / "compare.csv").read_text()
    assert result.json == (tmp_path / "cmp" / "compare.json").read_text()
    assert result.months_csv == (tmp_path / "cmp" / "compare_months.csv").read_text()
    months = result.months
    assert len(months) == 3 * 12  # every month of each metric
    assert {"a_p5", "b_p95", "diff", "diff_lo", "diff_hi"} <= set(months.columns)
    assert len(result.verdicts) == 6
    assert all(v in done.stdout.splitlines() for v in result.verdicts)
    table = result.table
    assert list(table[["metric", "month"]].itertuples(index=False, name=None)) == [
        ("arr_usd", 6), ("arr_usd", 12), ("active_users", 6), ("active_users", 12),
        ("logo_churn", 6), ("logo_churn", 12)]
    assert list(table["n"][:4]) == [3, 3, 3, 3]  # logo churn: only replicates with payers
    assert (table["n"][4:] <= 3).all()
    assert [c["verdict"] for c in result.data["comparisons"]] == result.verdicts
    # clg-community, which the baseline extends, grows its team at month 12 (listed even though
    # this comparison stops at month 12: the report leaves it out).
    assert result.data["a"] == {"scenario": "members-retain-50pct-longer-baseline",
                                "file": BASELINE,
                                "schedule_changes": [{"month": 12, "path": "strategy.clg.team_size",
                                                      "from": 2.0, "to": 4.0}]}


def test_compare_takes_a_list_of_variants(tmp_path):
    args = ["--replicates", "3", "--seed", "4", *sets(SMALL_SETS + ["market.people=10000"]),
            "--metrics", "arr_usd,gross_profit_usd@sum:1-6", "--months", "6"]
    variant_c = {"extends": VARIANT, "name": "churn-more",
                 "strategy": {"clg": {"member_churn_multiplier": 0.9}}}
    path_c = tmp_path / "c.yaml"
    path_c.write_text(json.dumps(variant_c))  # JSON is YAML
    done = cli("compare", BASELINE, VARIANT, str(path_c), *args, "--quiet", "--out",
               str(tmp_path / "cmp"))
    kwargs = dict(overrides={**SMALL, "market.people": 10000}, replicates=3, seed=4,
                  metrics=["arr_usd", "gross_profit_usd@sum:1-6"], months=[6])
    listed = flywheel.compare([BASELINE, VARIANT, str(path_c)], **kwargs)
    assert listed.csv == (tmp_path / "cmp" / "compare.csv").read_text()
    assert listed.json == (tmp_path / "cmp" / "compare.json").read_text()
    assert listed.months_csv == (tmp_path / "cmp" / "compare_months.csv").read_text()
    assert list(listed.table["variant"].unique()) == ["B", "C"]
    assert [v["variant"] for v in listed.data["variants"]] == ["B", "C"]
    assert len(listed.bottom_lines) == 2 and listed.bottom_lines[1].startswith("C: ")
    assert all(line in done.stdout.splitlines() for line in listed.bottom_lines)
    # b as a list of variants is the same comparison
    assert flywheel.compare(BASELINE, [VARIANT, str(path_c)], **kwargs).json == listed.json
    with pytest.raises(TypeError):
        flywheel.compare([BASELINE, VARIANT], VARIANT)


def test_compare_defaults_and_checks():
    result = flywheel.compare(BASS_DICT, {**BASS_DICT, "acquisition": {
        **BASS_DICT["acquisition"], "imitation_q_per_month": 0.6}})
    # Default metrics (6) at the default months within a 6-month horizon (the horizon only).
    assert list(result.table["metric"]) == ["arr_usd", "accounts_paying", "nrr_annual",
                                            "logo_churn_t12m", "cash_usd", "k_factor"]
    assert (result.table["month"] == 6).all()
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.compare(BASS_DICT, BASS_DICT, metrics=["arr", "arr_usd", "churn"], months=[7])
    paths = [d["path"] for d in caught.value.diagnostics]
    assert paths == ["--metrics", "--metrics"]  # names first, before pairing is checked
    with pytest.raises(flywheel.InputError) as caught:
        flywheel.compare(BASS_DICT, {**BASS_DICT, "simulation": {
            **BASS_DICT["simulation"], "months": 7, "seed": 2}}, months=[0])
    assert [d["path"] for d in caught.value.diagnostics] == [
        "simulation.months", "simulation.seed", "--months"]


def test_threads_never_change_the_results():
    one = flywheel.run(PLG, overrides=SMALL, replicates=8, seed=11, threads=1)
    two = flywheel.run(PLG, overrides=SMALL, replicates=8, seed=11, threads=2)
    assert one.summary_json == two.summary_json
    assert one.timeseries_csv == two.timeseries_csv
    assert one.replicates_csv == two.replicates_csv
    with pytest.raises(ValueError):
        flywheel.run(BASS_DICT, threads=-1)


# While run() simulates on this thread, a second Python thread keeps ticking: it can only run
# Python code if run() released the interpreter lock. Ticks are counted strictly inside the
# call (a margin at each end for the switch interval); with the lock held there are none.
def test_run_releases_the_interpreter_lock():
    import threading
    import time

    scenario = json.loads(json.dumps(BASS_DICT))
    scenario["market"]["people"] = 200000
    scenario["simulation"].update({"months": 12, "replicates": 2})
    ticks, stop = [], threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        start = time.perf_counter()
        flywheel.run(scenario, threads=1)
        end = time.perf_counter()
    finally:
        stop.set()
        ticker.join()
    assert end - start > 0.2, "the run is too short to tell"
    inside = [t for t in ticks if start + 0.05 < t < end - 0.05]
    assert len(inside) >= 5, f"{len(inside)} ticks during a {end - start:.2f} s run"


def test_version_and_metrics():
    assert cli("--version").stdout.strip() == f"flywheel {flywheel.__version__}"
    metrics = flywheel.metrics()
    assert metrics[0] == {"name": "users_unaware", "unit": "people",
                          "meaning": "people who have not heard of the product (month end)"}
    names = [m["name"] for m in metrics]
    assert "arr_usd" in names and len(names) == len(set(names))
    documented = (ROOT / "docs" / "metrics.md").read_text()
    assert all(f"`{name}`" in documented for name in names)


def test_bad_scenario_types():
    with pytest.raises(TypeError):
        flywheel.run(42)
    with pytest.raises(TypeError):
        flywheel.run(BASS_DICT, overrides=["simulation.months=3"])
