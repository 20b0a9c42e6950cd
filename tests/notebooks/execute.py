"""Executes every notebook of a folder with nbconvert, the way CI does, and fails on any cell
error or when a notebook draws no chart. The kernel is `python3`, which must be this interpreter
(Debian's /usr/bin/python3, with the packages and the ABI the flywheel module was built for).
Charts use matplotlib's inline backend, which needs no display and renders each figure into the
notebook (with MPLBACKEND=Agg they would never be drawn, and a drawing error would pass).
Each notebook runs in a fresh temporary folder (TMPDIR too); its time is printed against the
two-minute budget. Usage: execute.py NOTEBOOK_DIR  (with PYTHONPATH holding build/python)"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_SECONDS = 120


def check_kernel():
    """The python3 kernelspec must start this interpreter; returns None or the problem."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        return "jupyter_client is missing; expected Debian's python3-nbconvert python3-ipykernel"
    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except Exception as error:  # NoSuchKernel
        return f"no python3 kernel ({error}); expected Debian's python3-ipykernel"
    interpreter = spec.argv[0]
    print(f"kernel python3: {' '.join(spec.argv[:3])} ({spec.resource_dir})")
    if os.path.realpath(interpreter) != os.path.realpath(sys.executable):
        return (f"kernel python3 runs {interpreter}, not {sys.executable}; expected the "
                f"interpreter the module was built for (remove the kernelspec in "
                f"{spec.resource_dir} or install python3-ipykernel)")
    return None


def execute(notebook, out_dir):
    # PYDEVD_DISABLE_FILE_VALIDATION: no debugger warning from each kernel's start.
    env = dict(os.environ, TMPDIR=str(out_dir),
               MPLBACKEND="module://matplotlib_inline.backend_inline",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    command = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
               "--ExecutePreprocessor.timeout=300", "--ExecutePreprocessor.kernel_name=python3",
               "--output-dir", str(out_dir), str(notebook)]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.monotonic() - start
    charts = 0
    if done.returncode == 0:
        executed = json.loads((Path(out_dir) / notebook.name).read_text(encoding="utf-8"))
        charts = sum("image/png" in output.get("data", {})
                     for cell in executed["cells"] for output in cell.get("outputs", []))
    return done, seconds, charts


def main(folder):
    problem = check_kernel()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    notebooks = sorted(Path(folder).glob("*.ipynb"))
    if not notebooks:
        print(f"{folder}: no notebooks", file=sys.stderr)
        return 1
    failed = []
    for notebook in notebooks:
        with tempfile.TemporaryDirectory(prefix="flywheel-nb-") as out_dir:
            done, seconds, charts = execute(notebook, out_dir)
        over = f"  (over the {BUDGET_SECONDS} s budget)" if seconds > BUDGET_SECONDS else ""
        status = "ok" if done.returncode == 0 and charts > 0 else "FAILED"
        print(f"{notebook.name}: {status} in {seconds:.1f} s, {charts} charts{over}", flush=True)
        if done.returncode != 0:
            failed.append(notebook.name)
            print(done.stderr[-6000:], file=sys.stderr)
        elif charts == 0:
            failed.append(notebook.name)
            print(f"{notebook.name} drew no chart; expected matplotlib figures in its outputs",
                  file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
