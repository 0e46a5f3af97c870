#!/usr/bin/env python3
"""Puts two JMH JSON results of CompressBuffersBenchmark side by side (python3 stdlib only).

    python3 benchmarks/format_owners.py WITHOUT.json WITH.json [machine.txt]

WITHOUT is the run without the agent, WITH the run with it (benchmarks/run-owners.sh writes both and
machine.txt). Every figure is the median over forks of each fork's mean, as in format_results.py;
"spread" is (slowest fork - fastest fork) / median, the noise between forks ("–" with one fork). Prints one markdown
table: codec, size, ops/s without and with, B/op (gc.alloc.rate.norm) without and with, and how much
of the allocation per round trip the agent removed.
"""

import json
import sys

from format_results import fmt_size, fork_median, fork_spread

CODECS = ["gzip", "xz", "bzip2"]  # the benchmark's @Param order


def load(path):
    """(rows, first raw record): rows is {(codec, size): {"ops", "spread", "bytes"}}."""
    with open(path) as f:
        records = json.load(f)
    if not records:
        sys.exit(f"{path}: no results")
    rows = {}
    for r in records:
        if not r["benchmark"].endswith("CompressBuffersBenchmark.roundTrip"):
            continue
        primary = r["primaryMetric"]
        if primary["scoreUnit"] != "ops/s":
            sys.exit(f"{path}: expected ops/s, got {primary['scoreUnit']}")
        norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        rows[(r["params"]["codec"], int(r["params"]["size"]))] = {
            "ops": fork_median(primary["rawData"]),
            "spread": fork_spread(primary["rawData"]) if len(primary["rawData"]) > 1 else None,
            "bytes": fork_median(norm["rawData"]) if norm else None,
        }
    return rows, records[0]


def fmt_ops(x):
    if x is None:
        return "–"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def fmt_bytes(b):
    return "–" if b is None else f"{b:,.0f}"


def fmt_change(without, with_, lower_is_better):
    """Reduction (B/op) or change (ops/s) in percent; '–' when either side is missing."""
    if without is None or with_ is None or without == 0:
        return "–"
    if lower_is_better:
        return f"{100 * (without - with_) / without:.1f}%"
    return f"{100 * (with_ - without) / without:+.1f}%"


def settings(record):
    return (f"{record['forks']} fork(s), {record['warmupIterations']} × {record['warmupTime']} warm-up, "
            f"{record['measurementIterations']} × {record['measurementTime']} measurement, "
            f"{record['threads']} thread(s)")


def main(without_path, with_path, machine_path=None):
    without, w0 = load(without_path)
    with_, w1 = load(with_path)
    out = ["#### CompressBuffersBenchmark without and with the agent\n"]
    out.append(f"- **JDK:** {w0['vmName']} {w0['vmVersion']} ({w0['jvm']})")
    if (w1["jvm"], w1["vmVersion"]) != (w0["jvm"], w0["vmVersion"]):
        out.append(f"- **JDK of the agent run (differs!):** {w1['vmName']} {w1['vmVersion']} ({w1['jvm']})")
    out.append(f"- **JMH:** {w0['jmhVersion']}, {settings(w0)}"
               + ("" if settings(w1) == settings(w0) else f"; agent run: {settings(w1)}"))
    out.append(f"- **Without:** `{' '.join(w0['jvmArgs'])}`")
    out.append(f"- **With:** `{' '.join(w1['jvmArgs'])}`")
    if machine_path:
        with open(machine_path) as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition(": ")
                if key in ("date", "commit", "nproc", "Model name", "memory", "load before",
                           "load between", "load after", "jmh args"):
                    out.append(f"- **{key}:** {value.strip()}")
    out.append("")
    out.append("| codec | size | ops/s without | ops/s with | ops/s change | B/op without | B/op with "
               "| B/op reduction | fork spread without / with |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
    keys = sorted(set(without) | set(with_),
                  key=lambda k: (CODECS.index(k[0]) if k[0] in CODECS else len(CODECS), k[0], k[1]))
    for codec, size in keys:
        a, b = without.get((codec, size), {}), with_.get((codec, size), {})
        spread = " / ".join("–" if not r or r["spread"] is None else f"{100 * r['spread']:.0f}%" for r in (a, b))
        out.append(f"| {codec} | {fmt_size(size)} | {fmt_ops(a.get('ops'))} | {fmt_ops(b.get('ops'))} "
                   f"| {fmt_change(a.get('ops'), b.get('ops'), False)} "
                   f"| {fmt_bytes(a.get('bytes'))} | {fmt_bytes(b.get('bytes'))} "
                   f"| {fmt_change(a.get('bytes'), b.get('bytes'), True)} | {spread} |")
    out.append("")
    out.append("ops/s: round trips (compress + decompress) per second, higher is better. "
               "B/op: `gc.alloc.rate.norm`, heap bytes allocated per round trip; the reduction is "
               "(without − with) ÷ without. Medians over forks.")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
