#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: tests/fuzz/corpus/{scenario,sweep}/seed-*.

The inputs issue #7 asks for (a lone comma, 10,000 levels of nesting, huge numbers, NaN and
infinity, tabs, byte order marks, anchor and alias loops, binary garbage) plus the shipped
scenarios and sweep specs. Rerun after changing it; files the fuzzers found (not named seed-*)
are kept. Sweep specs name `base: base.yaml`, the scenario fuzz_entry.cpp writes for them.
"""
import pathlib
import random
import re

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

MINIMAL = "name: t\nmarket:\n  people: 1000\n  segments:\n    - name: smb\n      share: 1\n"
SPEC = ("base: base.yaml\nreplicates: 2\ndesign: {method: lhs, samples: 4, seed: 3}\n"
        "levers:\n  strategy.slg.reps: {values: [1, 3]}\n"
        "uncertainties:\n  funnel.churn_per_month.regular: {range: [0.01, 0.05]}\n"
        "outputs: [arr_usd@12, logo_churn@mean:1-12]\n")

rng = random.Random(2026)


def garbage(n):
    return bytes(rng.randrange(256) for _ in range(n))


COMMON = {
    "lone-comma": b",",
    "lone-colon": b":",
    "lone-dash": b"-",
    "lone-bracket": b"[",
    "lone-quote": b"'",
    "nesting-flow-list-10000": b"[" * 10000 + b"]" * 10000,
    "nesting-flow-list-10000-unclosed": b"[" * 10000,
    "nesting-flow-map-10000": b"{a: " * 10000 + b"}" * 10000,
    "nesting-value-10000": b"name: " + b"[" * 10000 + b"]" * 10000 + b"\n",
    "nesting-block-list-10000": b"- " * 10000 + b"x\n",
    "nesting-block-map-200": b"".join(b" " * i + b"a:\n" for i in range(200)) + b" " * 200 + b"1\n",
    "nesting-65": b"name: " + b"[" * 65 + b"]" * 65 + b"\n",
    "anchor-self-list": b"name: &a [*a]\n",
    "anchor-self-map": b"a: &a {b: *a}\n",
    "anchor-undefined": b"name: *nowhere\n",
    "anchor-merge-key": b"base: &b {x: 1}\nother: {<<: *b, y: 2}\n",
    "anchor-merge-self": b"a: &a {<<: *a}\n",
    "alias-bomb": (b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                   + b"".join(bytes(f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]\n", "ascii")
                              for p, c in zip("abcdefgh", "bcdefghi"))),
    "alias-bomb-keys": b"a: &a {k1: 1, k2: 2, k3: 3}\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                       + b"c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
    "tabs-indent": b"name: t\nmarket:\n\tpeople: 3\n",
    "tabs-values": b"name:\tt\nmarket: {people:\t10, segments: [{name: a,\tshare: 1}]}\n",
    "tabs-only": b"\t\t\t\n\t",
    "bom-utf8": b"\xef\xbb\xbf" + MINIMAL.encode(),
    "bom-twice": b"\xef\xbb\xbf\xef\xbb\xbf" + MINIMAL.encode(),
    "bom-mid-file": MINIMAL.encode() + b"\xef\xbb\xbfdescription: x\n",
    "bom-utf16le": b"\xff\xfe" + MINIMAL.encode("utf-16-le"),
    "bom-utf16be": b"\xfe\xff" + MINIMAL.encode("utf-16-be"),
    "bom-utf32le": b"\xff\xfe\x00\x00" + MINIMAL.encode("utf-32-le"),
    "nul-bytes": b"name: t\x00\nmarket: \x00\x00\n",
    "invalid-utf8": b"name: \xc3\x28\xa0\xa1\xff\xfe\nmarket: \xed\xa0\x80\n",
    "control-chars": bytes(range(1, 32)) + b": " + bytes(range(1, 32)),
    "garbage-64": garbage(64),
    "garbage-1k": garbage(1024),
    "garbage-8k": garbage(8192),
    "empty": b"",
    "comments-only": b"# nothing\n# here\n",
    "two-documents": MINIMAL.encode() + b"---\nname: u\n",
    "document-end": MINIMAL.encode() + b"...\nname: u\n",
    "directive": b"%YAML 1.2\n---\n" + MINIMAL.encode(),
    "directive-bad": b"%YAML 9.9\n%TAG ! tag:x,2000:\n---\n" + MINIMAL.encode(),
    "tags": b"name: !!str t\nmarket: !custom {people: !!int 10}\n",
    "complex-key": b"? [a, b]\n: 1\n? {c: d}\n: 2\n",
    "block-scalars": b"name: |\n  multi\n  line\ndescription: >-\n  folded\n  text\n",
    "long-string": b"name: " + b"x" * 20000 + b"\n",
    "long-key": b"x" * 10000 + b": 1\n",
    "many-keys": b"{" + b", ".join(bytes(f"k{i}: {i}", "ascii") for i in range(5000)) + b"}\n",
    "many-duplicates": b"{" + b", ".join(b"a: 1" for _ in range(5000)) + b"}\n",
    "crlf": MINIMAL.replace("\n", "\r\n").encode(),
    "cr-only": MINIMAL.replace("\n", "\r").encode(),
}

NUMBERS = ["1e999", "-1e999", "1e-999", "99999999999999999999", "-99999999999999999999",
           "1" + "0" * 400, "0." + "0" * 400 + "1", ".nan", ".NaN", ".inf", "-.inf", "+.Inf",
           "nan", "inf", "-0", "0x10", "0o17", "1_000", "1:30", "4294967296", "-2147483649",
           "2147483648", "9223372036854775808", "1e308", "4.9e-324", "2.5e-308"]

SCENARIO = {
    "scenario-minimal": MINIMAL.encode(),
    "scenario-extends-missing": b"extends: missing.yaml\n" + MINIMAL.encode(),
    "scenario-extends-self": b"extends: fuzz.yaml\n" + MINIMAL.encode(),
    "scenario-extends-base": b"extends: base.yaml\nname: child\n",
    "scenario-extends-folder": b"extends: .\n" + MINIMAL.encode(),
    "scenario-extends-dev-zero": b"extends: /dev/zero\n" + MINIMAL.encode(),
    "scenario-extends-dev-stdin": b"extends: /dev/stdin\n" + MINIMAL.encode(),
    "scenario-edge-list-missing": MINIMAL.encode() + b"network: {model: edge_list, edge_list: no.csv}\n",
    "scenario-edge-list-dev-zero": MINIMAL.encode() + b"network: {model: edge_list, edge_list: /dev/zero}\n",
    "scenario-edge-list-folder": MINIMAL.encode() + b"network: {model: edge_list, edge_list: .}\n",
    "scenario-network-huge": MINIMAL.encode() + b"network: {model: erdos_renyi, mean_degree: 1e300}\n",
    "scenario-huge-market": b"name: t\nmarket:\n  people: 2000000000\n  segments: [{name: a, share: 1}]\n"
                            b"simulation: {agent_scale: 1, months: 600, replicates: 1000000}\n",
}
for i, n in enumerate(NUMBERS):
    SCENARIO[f"number-{i:02d}"] = (MINIMAL + f"simulation: {{months: {n}, seed: {n}}}\n"
                                   f"funnel: {{signup_per_month: {n}}}\n"
                                   f"strategy: {{marketing: {{spend_usd_per_month: {n}}}}}\n").encode()

SWEEP = {
    "sweep-minimal": SPEC.encode(),
    "sweep-base-missing": SPEC.replace("base.yaml", "missing.yaml").encode(),
    "sweep-base-folder": SPEC.replace("base.yaml", ".").encode(),
    "sweep-base-dev-zero": SPEC.replace("base.yaml", "/dev/zero").encode(),
    "sweep-base-self": SPEC.replace("base.yaml", "fuzz-spec.yaml").encode(),
    "sweep-model-ishigami": b"model: ishigami\ndesign: {method: saltelli, samples: 8}\n"
                            b"uncertainties: {x1: {range: [-3.14, 3.14]}, x2: {range: [-3.14, 3.14]},"
                            b" x3: {range: [-3.14, 3.14]}}\noutputs: [y]\n",
    "sweep-grid-levels": SPEC.replace("lhs, samples: 4, seed: 3", "grid").replace(
        "[0.01, 0.05]}", "[0.01, 0.05], levels: 100000}").encode(),
    "sweep-many-values": SPEC.replace("[1, 3]", "[" + ", ".join(str(i) for i in range(1, 2000)) + "]").encode(),
    "sweep-huge-grid": SPEC.replace("{values: [1, 3]}", "{range: [1, 9], levels: 100000}\n"
                                    "  strategy.marketing.cost_per_aware_usd: {range: [1, 5], levels: 100000}").encode(),
    "sweep-set": SPEC.replace("replicates: 2\n", "replicates: 2\nset: {simulation.months: 6}\n").encode(),
    "sweep-distributions": SPEC.replace("{range: [0.01, 0.05]}",
                                        "{normal: [0.03, 0.01]}\n  acquisition.imitation_q_per_month: "
                                        "{lognormal: [-1, 0.3]}\n  strategy.plg.pql_conversion_per_month: "
                                        "{triangular: [0.1, 0.2, 0.4]}").encode(),
    "sweep-log-range": SPEC.replace("{range: [0.01, 0.05]}", "{range: [0.01, 0.05], log: true}").encode(),
    "sweep-morris": SPEC.replace("lhs, samples: 4, seed: 3", "morris, samples: 3, levels: 6").encode(),
    "sweep-outputs": SPEC.replace("[arr_usd@12, logo_churn@mean:1-12]",
                                  "[arr_usd@last, nrr@mean, a@b@c, arr_usd@0, arr_usd@mean:12-1, "
                                  "arr_usd@sum:1-99999999999999999999, arr_usd@1e999]").encode(),
}
for i, n in enumerate(NUMBERS):
    SWEEP[f"number-{i:02d}"] = (f"base: base.yaml\nreplicates: {n}\nseed: {n}\n"
                                f"design: {{method: random, samples: {n}, seed: {n}, levels: {n}, "
                                f"bootstrap: {n}}}\n"
                                f"uncertainties:\n  funnel.churn_per_month.regular: {{range: [{n}, 0.05]}}\n"
                                f"  acquisition.imitation_q_per_month: {{normal: [0.4, {n}]}}\n"
                                f"  funnel.signup_per_month: {{values: [{n}]}}\n"
                                f"outputs: [arr_usd@{n}]\n").encode()


def shipped(folder, pattern):
    out = {}
    for path in sorted((ROOT / "scenarios").glob(pattern)):
        text = path.read_text()
        if folder == "sweep":
            text = re.sub(r"(?m)^base: .*$", "base: base.yaml", text)
        out["shipped-" + str(path.relative_to(ROOT / "scenarios")).replace("/", "-")] = text.encode()
    return out


def write(folder, cases):
    target = HERE / "corpus" / folder
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("seed-*"):
        old.unlink()
    for name, data in cases.items():
        (target / f"seed-{name}").write_bytes(data)
    print(f"{target}: {len(cases)} seeds")


write("scenario", {**COMMON, **SCENARIO,
                   **shipped("scenario", "*.yaml"), **shipped("scenario", "hypotheses/*.yaml"),
                   **shipped("scenario", "validation/*.yaml")})
write("sweep", {**COMMON, **SWEEP, **shipped("sweep", "sweeps/*.yaml")})
