#!/usr/bin/python3
"""Slider-to-first-curve latency of `flywheel serve` (benchmark, not a test).

Starts `flywheel serve SCENARIO --port 0 --threads T`, then moves one lever N times as the page
does (a new value each time, the page's client id and sequence number) and, as the page does,
sends POST /api/expect (the mean-field line) and the first agent run (POST /api/run with the
page's first stage of replicates) at once. Times, from request to full response on loopback,
each of the two and the first curve (whichever answers first). Prints median and p95, in ms.
--sequential sends them one after the other instead (each alone on the machine).

  tools/bench/serve_latency.py build/flywheel [--scenario scenarios/plg-freemium.yaml]
      [--threads 2] [--moves 30] [--replicates 2] [--lever funnel.activation_per_month]
"""
import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.request


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        status = response.status
    return (time.perf_counter() - start) * 1000, status


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flywheel")
    parser.add_argument("--scenario", default="scenarios/plg-freemium.yaml")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--moves", type=int, default=30)
    parser.add_argument("--replicates", type=int, default=2)
    parser.add_argument("--lever", default="funnel.activation_per_month")
    parser.add_argument("--sequential", action="store_true")
    args = parser.parse_args()
    server = subprocess.Popen([args.flywheel, "serve", args.scenario, "--port", "0",
                               "--threads", str(args.threads)],
                              stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().strip()
        with urllib.request.urlopen(base + "api/levers") as response:
            levers = json.load(response)
        lever = next(l for l in levers["levers"] if l["path"] == args.lever)
        expect_ms, run_ms, first_ms = [], [], []
        for i in range(args.moves + 1):
            # values across the lever's range, like a drag in steps
            value = lever["min"] + (lever["max"] - lever["min"]) * (0.2 + 0.6 * (i % 7) / 6)
            if lever["kind"] == "integer":
                value = round(value)
            body = {"client": "bench", "seq": i, "settings": {args.lever: value}}
            answers = {}

            def ask(name, path, request):
                answers[name] = post(base + path, request)

            asks = [threading.Thread(target=ask, args=("expect", "api/expect", body)),
                    threading.Thread(target=ask, args=("run", "api/run",
                                                       {**body, "replicates": args.replicates}))]
            for t in asks:
                t.start()
                if args.sequential:
                    t.join()
            for t in asks:
                t.join()
            (e, status_e), (r, status_r) = answers["expect"], answers["run"]
            if status_e != 200 or status_r != 200:
                sys.exit(f"unexpected statuses {status_e}, {status_r}")
            if i > 0:  # the first request warms the page's caches
                expect_ms.append(e)
                run_ms.append(r)
                first_ms.append(min(e, r) if not args.sequential else e)
    finally:
        server.terminate()
        server.wait()
    mode = "one after the other" if args.sequential else "at once, as the page does"
    print(f"scenario {args.scenario}: {levers['simulated_people']} simulated people, "
          f"{levers['months']} months; {args.threads} threads; {args.moves} moves of "
          f"{args.lever}; mean-field and agent run sent {mode}")
    for name, values in [("mean-field line (/api/expect)", expect_ms),
                         (f"first agent run ({args.replicates} replicates)", run_ms),
                         ("first curve", first_ms)]:
        print(f"  {name:<38} median {statistics.median(values):7.1f} ms"
              f"   p95 {p95(values):7.1f} ms")

if __name__ == "__main__":
    main()
