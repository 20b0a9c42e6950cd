"""Fails when a committed notebook holds outputs, execution counts or another kernel than
python3: notebooks are stored clean (a diff shows code, not results) and executed by ctest
(tests/notebooks/execute.py). Usage: check_clean.py NOTEBOOK_DIR"""

import json
import sys
from pathlib import Path


def problems(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    if notebook.get("nbformat") != 4:
        yield f"nbformat is {notebook.get('nbformat')}; expected 4"
    kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        yield f"kernelspec name is {kernel!r}; expected 'python3' (the Debian /usr/bin/python3)"
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            yield f"cell {number} has outputs; expected none (clear them before committing)"
        if cell.get("execution_count") is not None:
            yield f"cell {number} has execution_count {cell['execution_count']}; expected null"


def main(folder):
    notebooks = sorted(Path(folder).glob("*.ipynb"))
    if not notebooks:
        print(f"{folder}: no notebooks; expected *.ipynb", file=sys.stderr)
        return 1
    found = [f"{path}: {problem}" for path in notebooks for problem in problems(path)]
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print(f"{len(notebooks)} notebooks stored without outputs")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
