#!/usr/bin/env bash
# Runs AcquireReleaseBenchmark on 1 and then 2 threads with the GC profiler. Builds nothing: first
#   mvn -B -q -pl benchmarks -am package
# Writes results/threads-{1,2}.json (JMH), results/machine.txt (date, JDK, CPU, memory, load before,
# between and after) and results/load.txt (/proc/loadavg every 30 s during the run). JMH's text
# output goes to target/threads-{1,2}.log. Extra arguments go to JMH, e.g. a smoke run:
#   benchmarks/run.sh -f 1 -wi 1 -w 200ms -i 1 -r 200ms -p size=1024
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=$here/target/benchmarks.jar
out=${RESULTS_DIR:-$here/results}
[[ -f $jar ]] || { echo "run.sh: $jar missing; build it: mvn -B -q -pl benchmarks -am package" >&2; exit 1; }
mkdir -p "$out"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "jmh args: $*"
  echo "nproc: $(nproc)"
  lscpu | grep 'Model name' || true
  echo "memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
  java -version 2>&1 | sed 's/^/java: /'
  echo "load before: $(uptime)"
} > "$out/machine.txt"

# Load sampler: one /proc/loadavg line every 30 s while the benchmarks run; stopped by its pid.
( while true; do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; sleep 30; done ) > "$out/load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

for threads in 1 2; do
  java -jar "$jar" AcquireReleaseBenchmark -t "$threads" -prof gc \
      -rf json -rff "$out/threads-$threads.json" "$@" > "$here/target/threads-$threads.log" 2>&1 \
    || { echo "run.sh: JMH failed, see $here/target/threads-$threads.log" >&2; exit 1; }
  if [[ $threads == 1 ]]; then echo "load between: $(uptime)" >> "$out/machine.txt"; fi
done

echo "load after: $(uptime)" >> "$out/machine.txt"
echo "run.sh: results in $out"
