#!/usr/bin/env python3
"""Turns JMH JSON results of AcquireReleaseBenchmark into markdown tables (python3 stdlib only).

    python3 benchmarks/format_results.py benchmarks/results/threads-1.json benchmarks/results/threads-2.json

Every figure is the median over forks of each fork's mean (with 2 forks, the mean of the two).
"Spread" is (slowest fork - fastest fork) / median, the noise between forks.
Prints four sections: time and allocation per operation, ratios, fork spread, targets.
"""

import json
import statistics
import sys
from collections import defaultdict

# (JMH method name, column title); Netty and Jetty hand out dirty (not zeroed) memory.
VARIANTS = [
    ("baseline", "baseline `new byte[n]`"),
    ("pool", "pool (leak SAMPLED)"),
    ("poolNoLeakDetection", "pool (leak DISABLED)"),
    ("clearingFloor", "clearing floor"),
    ("netty", "Netty pooled heap (DIRTY)"),
    ("jetty", "Jetty 12 array pool (DIRTY)"),
]

# Targets: pool vs floor for n >= 8 KiB, speed-up vs new for n >= 64 KiB, 2-thread scaling.
FLOOR_RATIO_MAX, FLOOR_FROM = 1.3, 8192
SPEEDUP_MIN, SPEEDUP_FROM = 3.0, 65536
SCALING_MIN = 1.8
ZERO_BYTES_MAX = 1.0  # B/op; the profiler reports up to ~0.3 B/op on the allocation-free floor


def fork_median(raw):
    """Median over forks of each fork's mean iteration score."""
    return statistics.median(statistics.mean(fork) for fork in raw)


def fork_spread(raw):
    means = [statistics.mean(fork) for fork in raw]
    mid = statistics.median(means)
    return (max(means) - min(means)) / mid if mid else 0.0


def load(paths):
    """{(variant, size, threads): {"ns", "spread", "bytes", "gcs"}}"""
    rows = {}
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                variant = r["benchmark"].rsplit(".", 1)[1]
                key = (variant, int(r["params"]["size"]), int(r["threads"]))
                primary = r["primaryMetric"]
                if primary["scoreUnit"] != "ns/op":
                    sys.exit(f"{path}: expected ns/op, got {primary['scoreUnit']}")
                secondary = r.get("secondaryMetrics", {})
                norm = secondary.get("gc.alloc.rate.norm")
                gcs = secondary.get("gc.count")
                rows[key] = {
                    "ns": fork_median(primary["rawData"]),
                    "spread": fork_spread(primary["rawData"]),
                    "bytes": fork_median(norm["rawData"]) if norm else None,
                    "gcs": sum(sum(fork) for fork in gcs["rawData"]) if gcs else None,
                }
    return rows


def fmt_ns(ns):
    return f"{ns:,.0f}" if ns >= 100 else f"{ns:.1f}"


def fmt_bytes(b):
    if b is None:
        return "?"
    return f"{b:,.0f} B" if b >= 10 else f"{b:.2f} B"


def fmt_size(n):
    return f"{n // 1048576} MiB" if n >= 1048576 else f"{n // 1024} KiB"


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}×"


def main(paths):
    rows = load(paths)
    sizes = sorted({k[1] for k in rows})
    threads = sorted({k[2] for k in rows})
    get = lambda v, n, t: rows.get((v, n, t))  # noqa: E731
    ns = lambda v, n, t: (get(v, n, t) or {}).get("ns")  # noqa: E731
    out = []

    out.append("#### Time and allocation per operation (ns/op · B/op)\n")
    out.append("| size | threads | " + " | ".join(title for _, title in VARIANTS) + " |")
    out.append("|---|---|" + "---|" * len(VARIANTS))
    for t in threads:
        for n in sizes:
            cells = []
            for v, _ in VARIANTS:
                r = get(v, n, t)
                cells.append("–" if r is None else f"{fmt_ns(r['ns'])} · {fmt_bytes(r['bytes'])}")
            out.append(f"| {fmt_size(n)} | {t} | " + " | ".join(cells) + " |")

    out.append("\n#### Ratios (time per operation; throughput for the scaling columns)\n")
    cols = []
    for t in threads:
        cols += [f"pool ÷ floor, {t}t", f"pool DISABLED ÷ floor, {t}t", f"new ÷ pool, {t}t"]
    if 1 in threads and 2 in threads:
        cols += ["pool 2t ÷ 1t", "pool DISABLED 2t ÷ 1t", "floor 2t ÷ 1t", "new 2t ÷ 1t"]
    out.append("| size | " + " | ".join(cols) + " |")
    out.append("|---|" + "---|" * len(cols))

    def scaling(v, n):
        """Aggregate throughput on 2 threads over 1 thread: (2 / ns_2t) / (1 / ns_1t)."""
        one, two = ns(v, n, 1), ns(v, n, 2)
        return 2 * one / two if one and two else None
    for n in sizes:
        cells = []
        for t in threads:
            cells += [
                fmt_ratio(ratio(ns("pool", n, t), ns("clearingFloor", n, t))),
                fmt_ratio(ratio(ns("poolNoLeakDetection", n, t), ns("clearingFloor", n, t))),
                fmt_ratio(ratio(ns("baseline", n, t), ns("pool", n, t))),
            ]
        if 1 in threads and 2 in threads:
            cells += [fmt_ratio(scaling(v, n))
                      for v in ("pool", "poolNoLeakDetection", "clearingFloor", "baseline")]
        out.append(f"| {fmt_size(n)} | " + " | ".join(cells) + " |")

    out.append("\n#### Fork spread ((slowest − fastest fork) ÷ median)\n")
    out.append("| size | threads | " + " | ".join(v for v, _ in VARIANTS) + " |")
    out.append("|---|---|" + "---|" * len(VARIANTS))
    spreads = []
    for t in threads:
        for n in sizes:
            cells = []
            for v, _ in VARIANTS:
                r = get(v, n, t)
                if r is not None:
                    spreads.append(r["spread"])
                cells.append("–" if r is None else f"{100 * r['spread']:.0f}%")
            out.append(f"| {fmt_size(n)} | {t} | " + " | ".join(cells) + " |")
    if spreads:
        out.append(f"\nMedian spread {100 * statistics.median(spreads):.0f}%, "
                   f"largest {100 * max(spreads):.0f}%.")

    out.append("\n#### Target check for this run alone (main `pool` variant, leak detection SAMPLED)\n")

    def verdict(checks):
        if not checks:
            return "not measured"
        failed = [c for c in checks if not c[1]]
        return "MET" if not failed else f"MISSED ({len(failed)} of {len(checks)})"

    zero = [(f"{fmt_size(n)} {t}t: {fmt_bytes(get('pool', n, t)['bytes'])}",
             get("pool", n, t)["bytes"] is not None
             and get("pool", n, t)["bytes"] < ZERO_BYTES_MAX)
            for t in threads for n in sizes if get("pool", n, t)]
    floor = [(f"{fmt_size(n)} {t}t: {fmt_ratio(ratio(ns('pool', n, t), ns('clearingFloor', n, t)))}",
              ratio(ns("pool", n, t), ns("clearingFloor", n, t)) <= FLOOR_RATIO_MAX)
             for t in threads for n in sizes
             if n >= FLOOR_FROM and ns("pool", n, t) and ns("clearingFloor", n, t)]
    speed = [(f"{fmt_size(n)} {t}t: {fmt_ratio(ratio(ns('baseline', n, t), ns('pool', n, t)))}",
              ratio(ns("baseline", n, t), ns("pool", n, t)) >= SPEEDUP_MIN)
             for t in threads for n in sizes
             if n >= SPEEDUP_FROM and ns("pool", n, t) and ns("baseline", n, t)]
    scale = [(f"{fmt_size(n)}: {fmt_ratio(scaling('pool', n))}", scaling("pool", n) >= SCALING_MIN)
             for n in sizes if ns("pool", n, 1) and ns("pool", n, 2)]
    for title, checks in [
        (f"0 B/op on a hit (< {ZERO_BYTES_MAX:g} B/op)", zero),
        (f"n ≥ 8 KiB: pool ≤ {FLOOR_RATIO_MAX}× clearing floor", floor),
        (f"n ≥ 64 KiB: pool ≥ {SPEEDUP_MIN:g}× faster than `new byte[n]`", speed),
        (f"2 threads ≥ {SCALING_MIN}× the 1-thread throughput", scale),
    ]:
        detail = "; ".join(("" if ok else "**") + text + ("" if ok else "**") for text, ok in checks)
        out.append(f"- {title}: **{verdict(checks)}** — {detail}")

    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
