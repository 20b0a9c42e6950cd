"""flywheel.optimize and flywheel.discover write what the CLI writes."""
import flywheel

from test_sweep import cli, work  # noqa: F401 (the fixture)

QUADRATIC = """\
model: quadratic
design: {method: lhs, samples: 4, seed: 1}
uncertainties:
  x3: {range: [-0.1, 0.1]}
decisions:
  x1: {range: [0, 1]}
  x2: {range: [0, 1]}
objective: {maximize: "mean(y)"}
constraints: ["mean(cost) <= 0.8"]
optimizer: {method: cobyla, max_evaluations: 120, tolerance: 1e-6}
"""


def test_optimize_matches_the_cli(work):  # noqa: F811
    (work / "q.yaml").write_text(QUADRATIC)
    cli("optimize", "q.yaml", "--out", "cli", "--quiet", "--no-report", cwd=work)
    result = flywheel.optimize(work / "q.yaml", work / "py", report=False)
    def without_spec(name):  # the spec's path is as given: relative for the CLI here
        return [line for line in (work / name / "best.yaml").read_text().splitlines()
                if not line.startswith("spec:")]
    assert without_spec("py") == without_spec("cli")
    assert (work / "py" / "candidates.csv").read_text() == \
        (work / "cli" / "candidates.csv").read_text()
    x1, x2 = (float(v) for v in result.best["values"])
    assert abs(x1 - 0.2) < 0.01 and abs(x2 - 0.6) < 0.01
    assert result.frontier is None
    assert list(result.trace.columns) == ["run", "call", "candidate", "objective", "feasible",
                                          "best_objective"]


def test_discover_over_a_sweep(work):  # noqa: F811
    flywheel.sweep(work / "ishigami.yaml", work / "s", report=False)
    result = flywheel.discover(work / "s", "y > 0", report=False)
    assert list(result.boxes.columns) == ["policy", "box", "coverage", "density", "mass",
                                          "parameter", "lo", "hi", "restricted", "quasi_p"]
    assert result.data["target"] == "y > 0"
    assert result.trajectory["coverage"].iloc[0] == 1
