#!/usr/bin/python3
"""Fails when a source or a doc refers to a repository file that does not exist.

Usage: check_references.py REPO_ROOT      check the repository (ctest: docs_references)
       check_references.py --self-test    check a scratch tree with known bad references

Scanned: every tracked (or untracked, not ignored) file named *.md, *.cpp, *.hpp, *.inc, *.py,
*.sh, *.cmake, CMakeLists.txt, *.yaml or *.ipynb. Checked in them:

- paths from the repository root: `docs/model.md`, `engine/model/accounts.cpp`,
  `tests/layers/`, `.ci/run`, `README.md`, also after `${PROJECT_SOURCE_DIR}/`. A path counts
  when it starts with one of the top-level folders below and is not part of a longer path
  (`build/python/...`, URLs) nor a pattern (`engine/<layer>/`, `sweep_*.cpp`, `{a,b}`): those
  are cut at the first `<`, `*` or `{`, and what remains must exist;
- Markdown links and images, `[text](target)`, relative to the file (`metrics.md`,
  `../CMakeLists.txt`, `#network`); URLs and mail addresses are skipped;
- anchors: `docs/model.md#network` or `[x](model.md#time)` must name a heading of that file
  (GitHub's rule: lower case, punctuation dropped, spaces to hyphens);
- in scenarios/ YAML, `extends:`, `base:` and `edge_list:` relative to the file.

A reference exists when it names a tracked or untracked, not ignored, file or a folder holding
one: a file that only the build or a run makes (build/, out/) does not count. A root path may
also be found from the file's own folder or one above it (tests/bad-input/README.md names
`scenarios/NAME.yaml` of its folder). A path component that is a placeholder in capitals
(`notebooks/X.ipynb`, `scenarios/NAME.yaml`) ends the path there.

Not scanned: the deliberately broken inputs (tests/bad-input/ but its README, the fuzz corpus),
whose expected error messages name missing files on purpose, and files that contain the marker
`check-references: skip` (this script, for its self-test's planted references).
"""
# check-references: skip (the self-test below plants bad references on purpose)
import json
import os
import re
import subprocess
import sys
import tempfile

SCANNED_SUFFIXES = (".md", ".cpp", ".hpp", ".inc", ".py", ".sh", ".cmake", ".yaml", ".ipynb")
SCANNED_NAMES = ("CMakeLists.txt",)
TOP_FOLDERS = ("docs", "engine", "include", "tests", "tools", "scenarios", "python",
               "notebooks", r"\.ci")
TOP_FILES = ("README.md", "CMakeLists.txt", "CMakePresets.json", r"\.clang-format")

# A root path: not preceded by a path character (so `build/python/x` and URLs do not count),
# except after a CMake source-dir variable.
ROOT_PATH = re.compile(
    r"(?:(?<=SOURCE_DIR}/)|(?<![\w./\-~$}]))"
    r"((?:(?:" + "|".join(TOP_FOLDERS) + r")/[\w./\-]*)|(?:" + "|".join(TOP_FILES) + r")(?![\w.\-]))"
    r"(#[\w\-]+)?")
MD_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
YAML_REF = re.compile(r"^\s*(?:extends|base|edge_list):\s*[\"']?([^\s\"'#]+)", re.M)
FENCE = re.compile(r"^\s*(```|~~~)")
PLACEHOLDERS = {"X", "N", "NAME", "DIR", "SPEC", "FILE", "LAYER", "COMMAND", "OUTPUT", "METRIC"}
NOT_SCANNED = ("tests/bad-input/scenarios/", "tests/bad-input/sweeps/", "tests/bad-input/support/",
               "tests/fuzz/corpus/")
SKIP_MARKER = "check-references: " + "skip"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def list_files(root):
    """Tracked and untracked-not-ignored files, relative to root; a walk without git."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], check=True, capture_output=True).stdout
        files = {f for f in out.decode().split("\0") if f}
        return {f for f in files if os.path.isfile(os.path.join(root, f))}
    except (OSError, subprocess.CalledProcessError):
        files = set()
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if x != ".git" and not x.startswith(("build", "out"))]
            for n in names:
                files.add(os.path.relpath(os.path.join(d, n), root))
        return files


def scanned(path):
    if path.startswith(NOT_SCANNED):
        return False
    return path.endswith(SCANNED_SUFFIXES) or os.path.basename(path) in SCANNED_NAMES


def cut_placeholders(ref):
    """`notebooks/X.ipynb` -> `notebooks/`: a placeholder and what follows it are not a path."""
    parts = ref.split("/")
    for i, part in enumerate(parts):
        if part.split(".")[0] in PLACEHOLDERS:
            return "/".join(parts[:i]) + "/"
    return ref


def slug(heading):
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link's text
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_of(text):
    seen, anchors, fenced = {}, set(), False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        m = None if fenced else HEADING.match(line)
        if m:
            s = slug(m.group(2))
            n = seen.get(s, 0)
            seen[s] = n + 1
            anchors.add(s if n == 0 else f"{s}-{n}")
    return anchors


class Tree:
    def __init__(self, root):
        self.root = root
        self.files = list_files(root)
        self.dirs = set()
        for f in self.files:
            d = os.path.dirname(f)
            while d:
                self.dirs.add(d)
                d = os.path.dirname(d)
        self._anchors = {}

    def exists(self, rel):
        rel = rel.rstrip("/")
        return rel == "" or rel in self.files or rel in self.dirs

    def anchors(self, rel):
        if rel not in self._anchors:
            with open(os.path.join(self.root, rel), encoding="utf-8") as f:
                self._anchors[rel] = anchors_of(f.read())
        return self._anchors[rel]

    def problem(self, rel, anchor):
        """None when rel (and its anchor, if any) exist, else what is wrong."""
        if not self.exists(rel):
            return "no such file"
        if anchor and rel.endswith(".md") and anchor not in self.anchors(rel):
            return f"no heading #{anchor} in {rel}"
        return None


def texts_of(tree, path):
    """(kind, text, where) pieces of one file: kind 'md' or 'code'."""
    with open(os.path.join(tree.root, path), encoding="utf-8", errors="replace") as f:
        text = f.read()
    if SKIP_MARKER in text:
        return []
    if not path.endswith(".ipynb"):
        return [("md" if path.endswith(".md") else "code", text, "")]
    pieces = []
    for i, cell in enumerate(json.loads(text).get("cells", [])):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        kind = "md" if cell.get("cell_type") == "markdown" else "code"
        pieces.append((kind, source, f" (cell {i + 1})"))
    return pieces


def check_file(tree, path):
    problems = []
    here = os.path.dirname(path)

    def report(text, pos, where, ref, why):
        line = text.count("\n", 0, pos) + 1
        problems.append(f"{path}:{line}{where}: {ref}: {why}")

    for kind, text, where in texts_of(tree, path):
        for m in ROOT_PATH.finditer(text):
            ref, anchor = m.group(1), m.group(2)
            rest = text[m.end(1):m.end(1) + 1]
            if rest in ("<", "*", "{"):  # a pattern: only its fixed head must exist
                ref, anchor = os.path.dirname(ref.rstrip("/") + "x"), None
            ref = cut_placeholders(ref.rstrip("."))
            why = tree.problem(ref, anchor[1:] if anchor else None)
            folder = here
            while why and folder:  # also from the file's folder or one above it
                if tree.problem(os.path.join(folder, ref), anchor[1:] if anchor else None) is None:
                    why = None
                folder = os.path.dirname(folder)
            if why:
                report(text, m.start(), where, ref + (anchor or ""), why)
        if kind == "md":
            for m in MD_LINK.finditer(text):
                target = m.group(1)
                if re.match(r"^[a-z][a-z0-9+.\-]*:", target, re.I):  # http:, mailto:, ...
                    continue
                file_part, _, anchor = target.partition("#")
                rel = os.path.normpath(os.path.join(here, file_part)) if file_part else path
                if rel.startswith(".."):
                    report(text, m.start(), where, target, "outside the repository")
                    continue
                why = tree.problem("" if rel == "." else rel, anchor or None)
                if why:
                    report(text, m.start(), where, target, why)
        if path.startswith("scenarios/") and path.endswith(".yaml"):
            for m in YAML_REF.finditer(text):
                rel = os.path.normpath(os.path.join(here, m.group(1)))
                if not tree.exists(rel):
                    report(text, m.start(1), where, m.group(1), "no such file")
    return problems


def check(root):
    tree = Tree(root)
    problems = []
    for path in sorted(tree.files):
        if scanned(path):
            problems += check_file(tree, path)
    return problems, sum(1 for p in tree.files if scanned(p))


SELF_TEST_FILES = {
    "docs/model.md": "# Model\n\n## One step: the phases\n\n```\n# not a heading\n```\n",
    "docs/guide.md": (
        "See [the model](model.md#one-step-the-phases), [home](../README.md), [top](#guide),\n"
        "[web](https://example.com/docs/none.md), `engine/<layer>/`, `engine/a/*.cpp`,\n"
        "`build/python/x.py`, `out/run/summary.json`, ${PROJECT_SOURCE_DIR}/engine/a/a.cpp.\n"
        "# Guide\n"
        "Bad: [gone](gone.md), [anchor](model.md#no-such-heading), [self](#nowhere).\n"),
    "README.md": "Read docs/model.md#one-step-the-phases and engine/a/a.cpp.\n",
    "engine/a/a.cpp": ("// See docs/model.md, docs/missing.md and engine/a/b.cpp.\n"
                       "// docs/model.md#time is not a heading.\n"),
    "scenarios/x.yaml": "extends: base.yaml\nname: x\n",
    "CMakeLists.txt": "add_test(COMMAND ${PROJECT_SOURCE_DIR}/tests/none.py)\n",
}
SELF_TEST_EXPECTED = [
    "CMakeLists.txt:1: tests/none.py: no such file",
    "docs/guide.md:5: gone.md: no such file",
    "docs/guide.md:5: model.md#no-such-heading: no heading #no-such-heading in docs/model.md",
    "docs/guide.md:5: #nowhere: no heading #nowhere in docs/guide.md",
    "engine/a/a.cpp:1: docs/missing.md: no such file",
    "engine/a/a.cpp:1: engine/a/b.cpp: no such file",
    "engine/a/a.cpp:2: docs/model.md#time: no heading #time in docs/model.md",
    "scenarios/x.yaml:1: base.yaml: no such file",
]


def self_test():
    with tempfile.TemporaryDirectory() as root:
        for rel, text in SELF_TEST_FILES.items():
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        problems, _ = check(root)
    if sorted(problems) == sorted(SELF_TEST_EXPECTED):
        print(f"self-test: the {len(problems)} planted bad references found, nothing else")
        return 0
    print("self-test failed\nfound:\n  " + "\n  ".join(problems) +
          "\nexpected:\n  " + "\n  ".join(SELF_TEST_EXPECTED))
    return 1


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    problems, count = check(sys.argv[1])
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} reference(s) to files or headings that do not exist "
              f"(in {count} files scanned)")
        return 1
    print(f"{count} files scanned: every referenced file and heading exists")
    return 0


if __name__ == "__main__":
    sys.exit(main())
