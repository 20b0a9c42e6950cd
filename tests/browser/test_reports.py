#!/usr/bin/python3
"""The browser test of report.html (ctest label `browser`): makes a run, a compare, a sweep and
a calibrate folder with the built flywheel, and a small run of every shipped scenario, then checks each page
in headless Chromium (check_report.py): no console message, marks in every chart, no NaN shown.

    test_reports.py FLYWHEEL_CLI SOURCE_DIR [--shots DIR]

The run's scenario name holds "</script>" and "<!--": the page must still load cleanly. The
sweep folder is written here in the format `flywheel sweep` uses (two levers on a grid,
Sobol indices in sensitivity.csv), plus an LHS one with Morris indices. Some pages must also hold
given sections (EXPECT): the money, the annual retention panels and the cohort heatmaps where the
scenario earns and spends, the mean-field line of expected.csv, none of them (only notes) for the Bass docking case, and schedule
markers on every time chart of the scenarios whose schedules change something.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import check_report  # noqa: E402


def flywheel(cli, *args):
    subprocess.run([cli, *args], check=True, stdout=subprocess.DEVNULL)


def write_sweep(folder, method, levers, uncertainties, indices):
    folder.mkdir(parents=True)
    params = levers + uncertainties
    points, results, n = [], [], 0
    values = {
        "strategy.marketing.spend_usd_per_month": [5000, 10000, 20000, 40000],
        "strategy.plg.pql_min_active_users": [1, 2, 3],
        "funnel.churn_per_month.regular": [0.012, 0.021, 0.034, 0.047],
    }
    grid = [[]]
    for p in params:
        grid = [g + [v] for g in grid for v in values[p]]
    for row in grid:
        points.append(",".join([str(n), str(n), "0"] + [str(v) for v in row]))
        spend = row[0]
        for r in range(3):
            arr = spend * 2.5 + 900 * r - 40000 * row[-1]
            churn = "" if (n, r) == (0, 0) else str(0.02 + 0.3 * row[-1] / (1 + r))
            results.append(f"{n},{r},7,{arr},{churn}")
        n += 1
    (folder / "points.csv").write_text("point,policy,scenario," + ",".join(params) + "\n" +
                                       "\n".join(points) + "\n")
    (folder / "results.csv").write_text("point,replicate,seed,arr_usd@24,logo_churn@mean:1-24\n" +
                                        "\n".join(results) + "\n")
    (folder / "sweep.json").write_text(json.dumps({
        "format": 1, "flywheel_version": "0.1.0", "spec_file": f"{method}.yaml",
        "base": "scenarios/plg-freemium.yaml",
        "design": {"method": method, "samples": n, "seed": 3, "levels": 4, "bootstrap": 200},
        "levers": levers, "uncertainties": uncertainties, "policies": n, "scenarios": 1,
        "points": n, "replicates": 3, "seed": 7,
        "outputs": ["arr_usd@24", "logo_churn@mean:1-24"]}))
    rows = ["policy,output,parameter,index,estimate,lo,hi"]
    for output in ("arr_usd@24", "logo_churn@mean:1-24"):
        for i, p in enumerate(params):
            for j, index in enumerate(indices):
                estimate = 0.6 / (i + 1) + 0.1 * j
                lo, hi = (f"{estimate - 0.08}", f"{estimate + 0.08}") if index != "sigma" else ("", "")
                rows.append(f"all,{output},{p},{index},{estimate},{lo},{hi}")
    (folder / "sensitivity.csv").write_text("\n".join(rows) + "\n")


# Charts whose x axis is the month, as the run and compare reports name them.
RUN_TIME_CHARTS = [
    "chart-arr-usd", "chart-mrr-usd", "chart-accounts-paying", "chart-active-users",
    "chart-users-by-stage", "chart-mrr-movements", "chart-spend-by-lever", "chart-burn-usd",
    "chart-cash-usd", "chart-cac-usd", "chart-cac-payback-months", "chart-ltv-to-cac",
    "chart-burn-multiple", "chart-cumulative-money", "chart-nrr-annual", "chart-grr-annual",
    "chart-logo-retention-annual", "chart-flow-months",
]
MONEY_CHARTS = [
    "chart-spend-by-lever", "chart-burn-usd", "chart-cash-usd", "chart-cac-usd",
    "chart-cac-payback-months", "chart-ltv-to-cac", "chart-burn-multiple",
    "chart-cumulative-money",
]
RETENTION_CHARTS = ["chart-nrr-annual", "chart-grr-annual", "chart-logo-retention-annual",
                    "chart-cohorts-accounts", "chart-cohorts-users"]

# What given shipped scenarios' pages must hold (check_report.check_expectations), by scenario
# file relative to scenarios/.
EXPECT = {
    # Spends and earns, no schedule: money, retention and heatmaps, no marker anywhere; the
    # mean-field twin (expected.csv) dashed and labelled on the growth charts.
    "plg-freemium.yaml": {"charts": MONEY_CHARTS + RETENTION_CHARTS, "no_markers": True,
                          "text": ["dashed: mean field", "mean field"]},
    # The community launches at month 12 and its team grows at 24.
    "hybrid-plg-clg.yaml": {"charts": MONEY_CHARTS + RETENTION_CHARTS, "markers": "*",
                            "time_charts": RUN_TIME_CHARTS, "text": ["after month 12, 24"]},
    # Reps, programs, R&D and G&A grow at months 12, 24 and 36.
    "slg-enterprise.yaml": {"charts": ["chart-spend-by-lever", "chart-nrr-annual"],
                            "markers": "*", "time_charts": RUN_TIME_CHARTS,
                            "text": ["after month 12, 24, 36"]},
    "hypotheses/ten-more-reps-at-24.yaml": {"markers": "*", "time_charts": RUN_TIME_CHARTS},
    # Diffusion only: nothing is spent or earned, nobody signs up. Notes, never NaN axes.
    "validation/bass.yaml": {
        "absent": MONEY_CHARTS + RETENTION_CHARTS + ["chart-mrr-movements", "chart-arr-usd"],
        "no_markers": True,
        "text": ["Not drawn: this scenario spends nothing and books no revenue",
                 "Not drawn: Net revenue retention (annual)"]},
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("source", type=pathlib.Path)
    parser.add_argument("--shots", type=pathlib.Path)
    args = parser.parse_args()
    scenarios = args.source.resolve() / "scenarios"
    args.cli = str(pathlib.Path(args.cli).resolve())
    with tempfile.TemporaryDirectory(prefix="flywheel-browser-") as tmp:
        work = pathlib.Path(tmp)
        hostile = work / "hostile.yaml"
        hostile.write_text(f"extends: {scenarios / 'plg-freemium.yaml'}\n"
                           "name: 'plg </script><script>alert(1)</script> <!-- & co'\n")
        flywheel(args.cli, "run", str(hostile), "--replicates", "8", "--seed", "3", "--quiet",
                 "--out", str(work / "run"))
        flywheel(args.cli, "compare",
                 str(scenarios / "hypotheses/members-retain-50pct-longer-baseline.yaml"),
                 str(scenarios / "hypotheses/members-retain-50pct-longer.yaml"),
                 "--replicates", "6", "--quiet", "--out", str(work / "compare"))
        # An N-way compare: a third arm, a cumulative output and an all-zero metric.
        third = work / "churn-more.yaml"
        third.write_text(f"extends: {scenarios / 'hypotheses/members-retain-50pct-longer.yaml'}\n"
                         "name: members-churn-more\n"
                         "strategy: {clg: {member_churn_multiplier: 0.9}}\n")
        flywheel(args.cli, "compare",
                 str(scenarios / "hypotheses/members-retain-50pct-longer-baseline.yaml"),
                 str(scenarios / "hypotheses/members-retain-50pct-longer.yaml"), str(third),
                 "--metrics", "arr_usd,cash_usd,signups_referral,gross_profit_usd@sum:1-24",
                 "--replicates", "6", "--quiet", "--out", str(work / "compare3"))
        write_sweep(work / "sweep", "grid",
                    ["strategy.marketing.spend_usd_per_month", "strategy.plg.pql_min_active_users"],
                    [], ["S1", "ST"])
        write_sweep(work / "morris", "morris", [],
                    ["strategy.marketing.spend_usd_per_month", "funnel.churn_per_month.regular"],
                    ["mu_star", "mu", "sigma"])
        for name in ("sweep", "morris"):
            flywheel(args.cli, "report", str(work / name))
        pages = [work / name / "report.html"
                 for name in ("run", "compare", "compare3", "sweep", "morris")]
        # Scenario discovery (a section of a sweep report) and an optimize report with a frontier.
        pi = "3.141592653589793"
        (work / "ishigami.yaml").write_text(
            "model: ishigami\nreplicates: 1\ndesign: {method: lhs, samples: 200, seed: 5}\n"
            f"uncertainties:\n  x1: {{range: [-{pi}, {pi}]}}\n  x2: {{range: [-{pi}, {pi}]}}\n"
            f"  x3: {{range: [-{pi}, {pi}]}}\noutputs: [y]\n")
        flywheel(args.cli, "sweep", str(work / "ishigami.yaml"), "--quiet", "--out",
                 str(work / "discover"))
        flywheel(args.cli, "discover", str(work / "discover"), "--target", "y < 0")
        (work / "quadratic.yaml").write_text(
            "model: quadratic\ndesign: {method: lhs, samples: 4, seed: 1}\n"
            "uncertainties:\n  x3: {range: [-0.1, 0.1]}\n"
            "decisions:\n  x1: {range: [0, 1]}\n  x2: {range: [0, 1]}\n"
            "objective: {maximize: \"mean(y)\"}\nconstraints: [\"mean(cost) <= 0.8\"]\n"
            "optimizer: {max_evaluations: 60}\nfrontier: {constraint: 1, levels: [0.6, 1.0]}\n")
        flywheel(args.cli, "optimize", str(work / "quadratic.yaml"), "--quiet", "--out",
                 str(work / "optimize"))
        pages += [work / "discover" / "report.html", work / "optimize" / "report.html"]
        # A calibrate report: a tiny mean-field calibration, 12 months, data for the first 8.
        history = scenarios / "calibration" / "plg-freemium-synthetic.csv"
        lines = [line for line in history.read_text().splitlines()
                 if line and not line.startswith("#")]
        (work / "history.csv").write_text("\n".join(
            [lines[0]] + [line for line in lines[1:] if int(line.split(",")[0]) <= 8]) + "\n")
        (work / "base12.yaml").write_text(
            f"extends: {scenarios / 'plg-freemium.yaml'}\nname: plg-12\n"
            "simulation: {months: 12}\ntargets: []\n")
        (work / "calibrate.yaml").write_text(
            "base: base12.yaml\ndata: history.csv\n"
            "engine: mean_field\nseed: 5\nparameters:\n"
            "  funnel.signup_per_month: {uniform: [0.03, 0.3]}\n"
            "  funnel.activation_per_month: {uniform: [0.1, 0.7]}\n"
            "budget: {particles: 20, generations: 2}\nforecast: {draws: 20}\n")
        flywheel(args.cli, "calibrate", str(work / "calibrate.yaml"), "--quiet", "--out",
                 str(work / "calibrate"))
        pages.append(work / "calibrate" / "report.html")
        # clg-community, which both arms extend, grows its team at month 12.
        expect = {str(work / "compare" / "report.html"): {
            "markers": "*", "text": ["schedule changes a parameter (after month 12)"],
            "time_charts": ["chart-ab-arr-usd", "chart-diff-arr-usd", "chart-ab-nrr",
                            "chart-diff-nrr", "chart-bottom-line"]},
                  str(work / "compare3" / "report.html"): {
            "markers": "*", "text": ["C: members-churn-more", "Bottom line", "signups_referral"],
            "time_charts": ["chart-ab-arr-usd", "chart-diff-arr-usd", "chart-ab-cash-usd",
                            "chart-bottom-line"]}}
        # Every shipped scenario's run report, small: panels a scenario has no data for (Bass
        # has no revenue) must be left out with a note, never drawn as NaN axes.
        shipped = sorted(scenarios.glob("*.yaml")) + sorted(scenarios.glob("hypotheses/*.yaml")) + \
            sorted(scenarios.glob("validation/*.yaml"))
        missing = set(EXPECT) - {str(s.relative_to(scenarios)) for s in shipped}
        if missing:
            print(f"FAIL: EXPECT names scenarios that are not shipped: {sorted(missing)}")
            return 1
        for scenario in shipped:
            out = work / "shipped" / scenario.stem
            flywheel(args.cli, "run", str(scenario), "--replicates", "3", "--quiet",
                     "--set", "market.people=20000", "--out", str(out))
            pages.append(out / "report.html")
            expect[str(out / "report.html")] = EXPECT.get(str(scenario.relative_to(scenarios)),
                                                          {})
        (work / "expect.json").write_text(json.dumps(expect))
        sys.argv = [sys.argv[0]] + ([f"--shots={args.shots}"] if args.shots else []) + [
            f"--expect={work / 'expect.json'}"] + [str(page) for page in pages]
        return check_report.main()


if __name__ == "__main__":
    sys.exit(main())
