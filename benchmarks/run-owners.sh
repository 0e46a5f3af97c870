#!/usr/bin/env bash
# Owner-scoped buffers (issue 10) on commons-compress: builds the agent and the JMH jar, runs
# CompressBuffersBenchmark without the agent and then with
#   -javaagent:<agent jar>=include=org.apache.commons.compress,org.tukaani.xz;owners=true
# (both with -prof gc and the benchmark's 2 forks), and prints the two side by side
# (format_owners.py): ops/s and B/op without and with, and the B/op reduction.
#
# Writes results/owners/{without,with}.json (JMH), machine.txt (date, commit, JDK, CPU, memory, load
# before, between and after), agent.txt (the agent's "[rebyte] ..." lines of the agent run) and
# table.md (the printed table). JMH's text output goes to target/owners-{without,with}.log.
#
# Environment: RESULTS_DIR (default benchmarks/results/owners), AGENT_ARGS (default above),
# JAVA_HOME (the JDK that runs JMH and its forks), SKIP_BUILD=1 (use the jars as they are),
# MVN_ARGS (extra Maven arguments, e.g. -o). Extra arguments go to JMH, e.g. a short run:
#   benchmarks/run-owners.sh -f 1 -wi 2 -i 3 -w 1s -r 1s
# Do not pass -jvmArgsPrepend: the agent run uses it to reach the forks.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${RESULTS_DIR:-$here/results/owners}
agent_args=${AGENT_ARGS:-include=org.apache.commons.compress,org.tukaani.xz;owners=true}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$here/target/benchmarks.jar

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  echo "run-owners.sh: building the agent and benchmarks jars (mvn -B -q ${MVN_ARGS:-} -pl agent,benchmarks -am package -DskipTests)"
  # shellcheck disable=SC2086 # MVN_ARGS is a list of arguments
  (cd "$root" && mvn -B -q ${MVN_ARGS:-} -pl agent,benchmarks -am package -DskipTests)
fi
agent=$(ls "$root"/agent/target/rebyte-agent-*.jar 2>/dev/null | grep -v /original- | head -1 || true)
[[ -n $agent && -f $agent ]] || { echo "run-owners.sh: no agent jar in $root/agent/target" >&2; exit 1; }
[[ -f $jar ]] || { echo "run-owners.sh: $jar missing" >&2; exit 1; }
mkdir -p "$out" "$here/target"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$here" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "jmh args: $*"
  echo "agent: $agent=$agent_args"
  echo "nproc: $(nproc)"
  lscpu | grep 'Model name' || true
  echo "memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
  "$java" -version 2>&1 | sed 's/^/java: /'
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
sed 's/^/  /' "$out/machine.txt"

run() { # run LABEL [JMH ARGS...]
  local label=$1 log=$here/target/owners-$1.log
  shift
  echo "run-owners.sh: $label the agent -> $out/$label.json (log: $log)"
  "$java" -jar "$jar" CompressBuffersBenchmark -prof gc -rf json -rff "$out/$label.json" "$@" > "$log" 2>&1 \
    || { echo "run-owners.sh: JMH failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
}

run without "$@"
echo "load between: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
run with -jvmArgsPrepend "-javaagent:$agent=$agent_args" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

# The forks' standard error is in JMH's log: keep the agent's own lines, and fail if it never ran.
grep -E '^\[rebyte\] ' "$here/target/owners-with.log" | sort | uniq -c | sort -rn > "$out/agent.txt" || true
if ! grep -q '\[rebyte\] installed' "$out/agent.txt"; then
  echo "run-owners.sh: the agent did not install in the forks; see $here/target/owners-with.log" >&2
  exit 1
fi
if grep -qE '\[rebyte\] (config error|agent failed|leak:|use after release|internal error)' "$out/agent.txt"; then
  echo "run-owners.sh: the agent reported a problem:" >&2
  grep -E '\[rebyte\] (config error|agent failed|leak:|use after release|internal error)' "$out/agent.txt" >&2
fi

python3 "$here/format_owners.py" "$out/without.json" "$out/with.json" "$out/machine.txt" | tee "$out/table.md"
echo
echo "Agent lines of the agent run (count, line):"
grep -E 'rewrote|installed|config error|leak:|use after release|internal error|left ' "$out/agent.txt" || true
echo "run-owners.sh: results in $out"
