#!/usr/bin/env python3
"""Which allocations make up B/op: JFR allocation samples of CompressBuffersBenchmark, by type and site.

    python3 benchmarks/alloc_breakdown.py DIR

DIR holds, per benchmark case, CASE.jfr (a recording with jdk.ObjectAllocationSample and stacks) and
CASE.json (the same JMH run with -prof gc); benchmarks/alloc-breakdown.sh writes them. Only samples
of the JMH worker thread whose stack passes through the benchmark method, and not through @Setup (which
calls it once), count: not the input, not class loading, not JMH's own per-iteration work. Each sample's weight is the bytes its thread allocated since its
previous sample, so weights add up to the thread's allocation; a share of the total weight times the
run's gc.alloc.rate.norm estimates B/op for that type or site. Needs `jfr` (the JDK's) on the PATH.
"""

import json
import os
import subprocess
import sys
from collections import defaultdict

from format_results import fork_median

ARRAY_TYPES = {"[B": "byte[]", "[I": "int[]", "[C": "char[]", "[S": "short[]", "[J": "long[]",
               "[Z": "boolean[]", "[F": "float[]", "[D": "double[]"}
LIBRARIES = ("org/apache/commons/compress/", "org/tukaani/xz/")
BENCHMARK_METHOD = ("dev/rebyte/benchmarks/CompressBuffersBenchmark", "roundTrip")
SETUP_METHOD = ("dev/rebyte/benchmarks/CompressBuffersBenchmark", "setUp")
MIN_SITE_SHARE = 0.01  # sites below 1 % of a case's allocation are summed as "other"


def type_name(jfr_name):
    if jfr_name in ARRAY_TYPES:
        return ARRAY_TYPES[jfr_name]
    if jfr_name.startswith("[L") and jfr_name.endswith(";"):
        return jfr_name[2:-1].rsplit("/", 1)[-1] + "[]"
    return jfr_name.rsplit("/", 1)[-1]


def frame_name(frame):
    cls = frame["method"]["type"]["name"].rsplit("/", 1)[-1]
    return f"{cls}.{frame['method']['name']}:{frame['lineNumber']}"


def site(frames):
    """The allocating frame, and the first library frame of another class below it (who asked)."""
    if not frames:
        return "?"
    top_class = frames[0]["method"]["type"]["name"]
    for f in frames[1:]:
        cls = f["method"]["type"]["name"]
        if cls.startswith(LIBRARIES) and cls != top_class:
            return f"{frame_name(frames[0])} ← {frame_name(f)}"
    return frame_name(frames[0])


def samples(jfr_file):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events",
                          "jdk.ObjectAllocationSample", jfr_file],
                         check=True, capture_output=True, text=True).stdout
    for e in json.loads(out)["recording"]["events"]:
        v = e["values"]
        thread = (v.get("eventThread") or {}).get("javaName") or ""
        if "jmh-worker" not in thread:
            continue
        frames = (v.get("stackTrace") or {}).get("frames") or []
        methods = {(f["method"]["type"]["name"], f["method"]["name"]) for f in frames}
        if BENCHMARK_METHOD not in methods or SETUP_METHOD in methods:
            continue
        yield type_name(v["objectClass"]["name"]), site(frames), v["weight"]


def case(directory, name):
    with open(os.path.join(directory, name + ".json")) as f:
        record = json.load(f)[0]
    norm = record["secondaryMetrics"]["gc.alloc.rate.norm"]
    bytes_per_op = fork_median(norm["rawData"])
    by_type = defaultdict(int)
    by_site = defaultdict(int)
    count = 0
    for t, s, w in samples(os.path.join(directory, name + ".jfr")):
        by_type[t] += w
        by_site[(t, s)] += w
        count += 1
    return record["params"], bytes_per_op, by_type, by_site, count


def fmt_b(b):
    if b >= 1 << 20:
        return f"{b / (1 << 20):.2f} MiB"
    if b >= 10 << 10:
        return f"{b / 1024:.0f} KiB"
    return f"{b:,.0f} B"


def main(directory):
    names = sorted((n[:-4] for n in os.listdir(directory) if n.endswith(".jfr")
                    and os.path.exists(os.path.join(directory, n[:-4] + ".json"))),
                   key=lambda n: (["gzip", "xz", "bzip2"].index(n.split("-")[0])
                                  if n.split("-")[0] in ("gzip", "xz", "bzip2") else 9, len(n), n))
    if not names:
        sys.exit(f"{directory}: no CASE.jfr with CASE.json")
    summary = ["| codec | size | B/op | byte[] | int[] | char[] | short[] | other | samples |",
               "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    details = []
    for name in names:
        params, per_op, by_type, by_site, count = case(directory, name)
        total = sum(by_type.values()) or 1
        share = {t: w / total for t, w in by_type.items()}
        main_types = ("byte[]", "int[]", "char[]", "short[]")
        other = 1 - sum(share.get(t, 0) for t in main_types)
        size = int(params["size"])
        size_name = f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB"
        summary.append(f"| {params['codec']} | {size_name} | {fmt_b(per_op)} | "
                       + " | ".join(f"{100 * share.get(t, 0):.1f}%" for t in main_types)
                       + f" | {100 * other:.1f}% | {count} |")
        details.append(f"\n##### {params['codec']} {size_name}: {fmt_b(per_op)}/op, {count} samples\n")
        details.append("| type | allocated at ← first library frame of another class | share | ≈ B/op |")
        details.append("|---|---|---:|---:|")
        rest = 0.0
        for (t, s), w in sorted(by_site.items(), key=lambda kv: -kv[1]):
            if w / total < MIN_SITE_SHARE:
                rest += w / total
                continue
            details.append(f"| {t} | `{s}` | {100 * w / total:.1f}% | {fmt_b(per_op * w / total)} |")
        if rest:
            details.append(f"| | other sites, each < {100 * MIN_SITE_SHARE:.0f}% | {100 * rest:.1f}% "
                           f"| {fmt_b(per_op * rest)} |")
    print("#### Allocation per round trip by type (share of JFR-sampled bytes)\n")
    print("\n".join(summary))
    print("\n#### By allocation site\n")
    print("\n".join(details))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
