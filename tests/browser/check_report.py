#!/usr/bin/python3
"""Opens report.html files in headless Chromium and checks what a person would see.

    check_report.py [--shots DIR] [--expect FILE.json] REPORT.html...

For each page: (a) the browser logs no console message at all (errors, warnings, uncaught
exceptions, failed loads: the page logs nothing when all is well); (b) every chart container
(<figure class="chart">) holds SVG marks drawn by Vega (the elements inside its mark groups,
role-mark, outside axes and legends), and the page's driver counted the same scenegraph items
through the View API (data-marks) with no data-error; no text the page shows, in a chart or
not, reads "NaN"; (c) a screenshot is not blank (many distinct colours and many saturated pixels:
text alone has few). With --expect, a JSON object whose keys are report paths as given and whose
values say what that page must hold (check_expectations). Exit 0 when all pass; 1 with a message
per failure otherwise; a missing Chromium or Pillow is a failure, never a skip.

Standard library plus Pillow (Debian python3-pil) and Chromium (Debian chromium).
"""

import argparse
import html.parser
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

# Each report's charts render from inline data in well under a second; the budget is virtual
# time, so a fast machine does not wait for it.
VIRTUAL_TIME_MS = 20000
WINDOW = (1400, 4000)


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(binary, url, extra, profile):
    command = [
        binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-extensions", "--disable-background-networking", "--disable-sync",
        "--mute-audio", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        f"--virtual-time-budget={VIRTUAL_TIME_MS}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--hide-scrollbars", *extra, url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class Charts(html.parser.HTMLParser):
    """Per chart container: its attributes and the number of drawn mark items inside it."""

    def __init__(self):
        super().__init__()
        self.charts = {}  # id -> {"attrs": {...}, "marks": int, "schedule": int, ...}
        self.body = {}
        self.stack = []  # (tag, chart id or None, is a mark group, is a schedule marker group)
        self.nan_text = []  # text outside charts (notes, tables) that reads NaN
        self.text = []  # every text the page shows outside <script> and <style>

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        chart = self.stack[-1][1] if self.stack else None
        if tag == "body":
            self.body = a
        if tag == "figure" and "chart" in classes:
            chart = a.get("id")
            self.charts[chart] = {"attrs": a, "marks": 0, "schedule": 0, "nan_text": []}
        parent_is_mark_group = bool(self.stack) and self.stack[-1][2]
        if chart and parent_is_mark_group:
            self.charts[chart]["marks"] += 1
            if self.stack[-1][3]:
                self.charts[chart]["schedule"] += 1
        is_mark_group = (tag == "g" and "role-mark" in classes
                         and not any(c == "mark-group" for c in classes))
        # The reports name their schedule-marker layer "schedule" (Vega-Lite: schedule_marks).
        is_schedule = is_mark_group and "schedule_marks" in classes
        if tag not in ("path", "line", "rect", "circle", "text", "image", "br", "meta", "input"):
            self.stack.append((tag, chart, is_mark_group, is_schedule))
        elif tag == "path" or tag == "line" or tag == "rect" or tag == "circle" or tag == "text":
            # SVG shapes may have children (title) or not; keep the stack balanced either way.
            self.stack.append((tag, chart, False, False))

    def handle_data(self, data):
        # Text drawn inside a chart (axis labels, titles, legends): "NaN" there means a panel
        # was drawn over values that are all zero or undefined.
        if self.stack and self.stack[-1][1] and self.stack[-1][0] == "text" and "NaN" in data:
            self.charts[self.stack[-1][1]]["nan_text"].append(data.strip())
            return
        inside = {entry[0] for entry in self.stack}
        if "script" in inside or "style" in inside:
            return
        self.text.append(data)
        # Elsewhere (notes, tables, headings), as a word: "NaN" inside a longer word is not it.
        if re.search(r"\bNaN\b", data):
            self.nan_text.append(data.strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def check_dom(dom, failures, name):
    parser = Charts()
    parser.feed(dom)
    if not parser.charts:
        failures.append(f"{name}: no chart containers in the page")
    done = parser.body.get("data-charts-done")
    if done != str(len(parser.charts)):
        failures.append(f"{name}: the page finished {done} of {len(parser.charts)} charts")
    for chart, info in parser.charts.items():
        attrs = info["attrs"]
        if "data-error" in attrs:
            failures.append(f"{name}: {chart}: {attrs['data-error']}")
        scenegraph = int(attrs.get("data-marks") or 0)
        if scenegraph <= 0:
            failures.append(f"{name}: {chart}: the View API counts no drawn marks")
        if info["marks"] <= 0:
            failures.append(f"{name}: {chart}: no SVG mark elements in the container")
        if info["nan_text"]:
            failures.append(f"{name}: {chart}: draws NaN: {info['nan_text'][:3]}")
    if parser.nan_text:
        failures.append(f"{name}: the page shows NaN: {parser.nan_text[:3]}")
    return parser


def check_expectations(parser, expect, failures, name):
    """What a page must hold, from --expect: "charts" (ids that must be drawn), "absent" (ids
    that must not be in the page), "markers" (ids that must draw schedule markers; "*" for every
    time chart that the page has of "time_charts"), "no_markers" (true: no chart draws one),
    "text" (strings the page must show, such as a note)."""
    charts = parser.charts
    for chart in expect.get("charts", []):
        if chart not in charts:
            failures.append(f"{name}: {chart}: expected in the page, missing")
    for chart in expect.get("absent", []):
        if chart in charts:
            failures.append(f"{name}: {chart}: expected to be left out, drawn")
    markers = expect.get("markers", [])
    if markers == "*":
        markers = [c for c in expect.get("time_charts", []) if c in charts]
        if not markers:
            failures.append(f"{name}: no time chart to check the schedule markers on")
    for chart in markers:
        if charts.get(chart, {}).get("schedule", 0) <= 0:
            failures.append(f"{name}: {chart}: expected schedule markers, none drawn")
    if expect.get("no_markers"):
        for chart, info in charts.items():
            if info["schedule"] > 0:
                failures.append(f"{name}: {chart}: draws schedule markers, expected none")
    shown = " ".join(" ".join(parser.text).split())
    for text in expect.get("text", []):
        if text not in shown:
            failures.append(f"{name}: expected the text {text!r}")


def check_console(stderr, failures, name):
    for line in stderr.splitlines():
        if ":CONSOLE" in line or "Uncaught" in line:
            failures.append(f"{name}: console: {line.strip()}")


def check_screenshot(png, failures, name):
    """Text and the header alone give about 1,100 colours and 1,500 saturated pixels (measured on
    a report whose charts could not load); charts bring thousands of colours and saturated
    pixels (their blues, greens, oranges and viridis)."""
    from PIL import Image  # imported here so a missing Pillow fails with its own message

    image = Image.open(png).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24)
    saturated = sum(n for n, (r, g, b) in colours if max(r, g, b) - min(r, g, b) >= 48)
    if len(colours) < 1500 or saturated < 5000:
        failures.append(f"{name}: the screenshot looks blank ({len(colours)} colours, "
                        f"{saturated} saturated pixels)")
    return len(colours), saturated


def check_page(binary, report, shots, failures, expect=None):
    name = report.parent.name + "/" + report.name
    url = report.resolve().as_uri()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="flywheel-chromium-") as profile:
        dom = run_chromium(binary, url, ["--dump-dom"], profile)
    if dom.returncode != 0:
        failures.append(f"{name}: chromium exited {dom.returncode}: {dom.stderr[-2000:]}")
        return
    check_console(dom.stderr, failures, name)
    parser = check_dom(dom.stdout, failures, name)
    charts = parser.charts
    if expect is not None:
        check_expectations(parser, expect, failures, name)
    png = shots / (report.parent.name + ".png")
    with tempfile.TemporaryDirectory(prefix="flywheel-chromium-") as profile:
        shot = run_chromium(binary, url, [f"--screenshot={png}"], profile)
    if shot.returncode != 0 or not png.exists():
        failures.append(f"{name}: no screenshot (chromium exited {shot.returncode})")
        return
    distinct, saturated = check_screenshot(png, failures, name)
    marks = sum(int(c["attrs"].get("data-marks") or 0) for c in charts.values())
    schedule = sum(c["schedule"] for c in charts.values())
    print(f"{name}: {len(charts)} charts, {marks} marks ({schedule} schedule markers), "
          f"screenshot {png} ({distinct} colours, {saturated} saturated pixels), "
          f"{time.monotonic() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", type=pathlib.Path)
    parser.add_argument("--shots", type=pathlib.Path, default=None,
                        help="folder for the screenshots (default: a temporary folder)")
    parser.add_argument("--expect", type=pathlib.Path, default=None,
                        help="JSON: report path -> what the page must hold")
    args = parser.parse_args()
    expectations = json.loads(args.expect.read_text()) if args.expect else {}
    binary = chromium_binary()
    if binary is None:
        print("FAIL: no chromium on PATH (tools/bootstrap.sh installs Debian's chromium)")
        return 1
    try:
        import PIL  # noqa: F401
    except ImportError:
        print("FAIL: Pillow is missing (tools/bootstrap.sh installs Debian's python3-pil)")
        return 1
    failures = []
    with tempfile.TemporaryDirectory(prefix="flywheel-shots-") as scratch:
        shots = args.shots or pathlib.Path(scratch)
        shots.mkdir(parents=True, exist_ok=True)
        for report in args.reports:
            if not report.exists():
                failures.append(f"{report}: missing")
                continue
            check_page(binary, report, shots, failures, expectations.get(str(report)))
    for failure in failures:
        print("FAIL: " + failure)
    print(f"{len(args.reports) - len({f.split(':')[0] for f in failures})} passed, "
          f"{len({f.split(':')[0] for f in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
