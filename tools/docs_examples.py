#!/usr/bin/python3
"""Example outputs in the Markdown docs: rewrite them from real runs, or check them.

Usage: docs_examples.py update FLYWHEEL [ROOT] [--fast] [--only NAME,...]
                                                           rerun the examples, rewrite their blocks
       docs_examples.py check FLYWHEEL [ROOT]             ctest docs_examples: fail on a drift

An example is a console block right after a marker comment, in README.md or docs/*.md:

    <!-- example: NAME [lines=N] [slow=dry-run|slow=help] -->
    ```console
    $ flywheel ARGS...
    first line of the output
    ...
    ```

The block's first line is the command (a line ending in ` \\` continues on the next). The
lines after it are the command's output: its stdout, then, when it fails, its stderr; at most
N lines (default 20), followed by a line `...` when the output was longer, and by a line
`[exit K]` when the command exits with K != 0.

Commands run without a shell (arguments split as a shell would, no pipes), `flywheel` replaced
by the given binary, in one scratch folder per Markdown file, in the order of the file (a later
example may read an earlier one's output folder), with `scenarios` linked to the repository's.
Paths to the binary and to the scratch folder are shown as `flywheel` and `.`.

`update` reruns every example and rewrites its block (`--fast` leaves the slow ones as they
are; `--only a,b` reruns only the named ones, with the examples they depend on run first). `check` reruns every example that is not slow and fails unless it exits as shown and its
first lines are those shown (all of them when the block shows no `...`). A slow example (a
sweep of minutes) is checked in a cheap form only: `slow=dry-run` runs the command with
`--dry-run` added, `slow=help` runs `flywheel SUBCOMMAND --help`; each must exit with 0.
"""
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

MARKER = re.compile(r"^<!-- example: ([\w.-]+)((?: [\w-]+=[\w-]+)*) -->$")
DEFAULT_LINES = 20
CUT = "..."
EXIT = re.compile(r"^\[exit (\d+)\]$")


class Example:
    def __init__(self, path, line, name, options, start, end, command, shown, cut, code):
        self.path, self.line, self.name, self.options = path, line, name, options
        self.start, self.end = start, end  # block lines [start, end): the fences' inside
        self.command, self.shown, self.cut, self.code = command, shown, cut, code

    @property
    def lines(self):
        return int(self.options.get("lines", DEFAULT_LINES))

    @property
    def slow(self):
        return self.options.get("slow")


def markdown_files(root):
    return [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))


def parse(path):
    """The examples of one Markdown file, and its lines."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    examples = []
    for i, text in enumerate(lines):
        m = MARKER.match(text)
        if not m:
            continue
        where = f"{os.path.basename(path)}:{i + 1}"
        options = dict(o.split("=", 1) for o in m.group(2).split())
        if i + 1 >= len(lines) or lines[i + 1] != "```console":
            raise SystemExit(f"{where}: example {m.group(1)}: the marker must precede ```console")
        end = i + 2
        while end < len(lines) and lines[end] != "```":
            end += 1
        body = lines[i + 2:end]
        if not body or not body[0].startswith("$ flywheel"):
            raise SystemExit(f"{where}: example {m.group(1)}: the block must start with $ flywheel")
        k, command = 0, body[0][2:]
        while command.endswith("\\"):
            k += 1
            command = command[:-1] + body[k].strip()
        out = body[k + 1:]
        code = 0
        if out and EXIT.match(out[-1]):
            code = int(EXIT.match(out[-1]).group(1))
            out = out[:-1]
        cut = bool(out) and out[-1] == CUT
        if cut:
            out = out[:-1]
        examples.append(Example(path, i + 1, m.group(1), options, i + 2, end,
                                body[:k + 1], out, cut, code))
    return examples, lines


def run(binary, args, cwd):
    """(exit code, output lines, seconds) of `flywheel ARGS` run in cwd."""
    argv = shlex.split(args)
    assert argv[0] == "flywheel", args
    started = time.monotonic()
    p = subprocess.run([binary] + argv[1:], cwd=cwd, capture_output=True, text=True)
    seconds = time.monotonic() - started
    text = p.stdout + (p.stderr if p.returncode != 0 else "")
    text = text.replace(binary, "flywheel").replace(cwd + "/", "").replace(cwd, ".")
    lines = [line.rstrip() for line in text.rstrip("\n").split("\n")] if text.strip() else []
    return p.returncode, lines, seconds


def scratch(root):
    d = tempfile.mkdtemp(prefix="flywheel-docs-")
    os.symlink(os.path.join(root, "scenarios"), os.path.join(d, "scenarios"))
    return d


def block(example, code, output):
    body = list(example.command) + output[:example.lines]
    if len(output) > example.lines:
        body.append(CUT)
    if code != 0:
        body.append(f"[exit {code}]")
    return body


def update(binary, root, fast, only):
    for path in markdown_files(root):
        examples, lines = parse(path)
        if not examples:
            continue
        cwd = scratch(root)
        new = {}  # runs in file order; rewrites bottom-up so that line numbers hold
        for e in examples:
            if (fast and e.slow) or (only and e.name not in only and e.slow):
                print(f"{os.path.relpath(path, root)}: {e.name}: slow, left as it is")
                continue
            code, output, seconds = run(binary, command_of(e), cwd)
            if not only or e.name in only:
                new[e.start] = (e.end, block(e, code, output))
            print(f"{os.path.relpath(path, root)}: {e.name}: exit {code}, "
                  f"{len(output)} lines, {seconds:.1f} s")
        for start in sorted(new, reverse=True):
            end, body = new[start]
            lines[start:end] = body
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        subprocess.run(["rm", "-rf", cwd], check=True)


def command_of(e):
    return " ".join(c.rstrip("\\").strip() for c in e.command)[2:]


def check(binary, root):
    failures, total, count = [], 0.0, 0
    for path in markdown_files(root):
        examples, _ = parse(path)
        if not examples:
            continue
        cwd = scratch(root)
        for e in examples:
            where = f"{os.path.relpath(path, root)}:{e.line}: example {e.name}"
            command = command_of(e)
            if e.slow == "dry-run":
                command += " --dry-run"
            elif e.slow == "help":
                command = " ".join(shlex.split(command)[:2]) + " --help"
            elif e.slow:
                failures.append(f"{where}: unknown slow={e.slow}")
                continue
            code, output, seconds = run(binary, command, cwd)
            total += seconds
            count += 1
            print(f"{where}: `{command}`: exit {code}, {seconds:.1f} s")
            if e.slow:
                if code != 0:
                    failures.append(f"{where}: `{command}` exits with {code}:\n  " +
                                    "\n  ".join(output[:10]))
                continue
            if code != e.code:
                failures.append(f"{where}: exits with {code}, the block shows {e.code}")
            expected = e.shown
            got = output[:len(expected)] if e.cut else output
            if got != expected:
                diff = [f"  line {i + 1}: shown {a!r}\n           now   {b!r}"
                        for i, (a, b) in enumerate(zip(expected + [""] * len(got),
                                                       got + [""] * len(expected)))
                        if a != b][:5]
                failures.append(f"{where}: the output differs from the block:\n" + "\n".join(diff))
        subprocess.run(["rm", "-rf", cwd], check=True)
    for f in failures:
        print(f)
    print(f"{count} examples run in {total:.1f} s; {len(failures)} failed")
    if failures:
        print("If the change of output is intended: tools/update-docs-examples.sh")
    return 1 if failures else 0


def main():
    argv, only = sys.argv[1:], set()
    if "--only" in argv:
        i = argv.index("--only")
        only = set(argv[i + 1].split(","))
        del argv[i:i + 2]
    args = [a for a in argv if a != "--fast"]
    if len(args) not in (2, 3) or args[0] not in ("update", "check"):
        print(__doc__)
        return 2
    binary = os.path.abspath(args[1])
    root = os.path.abspath(args[2] if len(args) == 3 else
                           os.path.join(os.path.dirname(__file__), ".."))
    if args[0] == "update":
        update(binary, root, "--fast" in argv, only)
        return 0
    return check(binary, root)


if __name__ == "__main__":
    sys.exit(main())
