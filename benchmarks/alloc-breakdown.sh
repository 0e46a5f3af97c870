#!/usr/bin/env bash
# Which allocations make up CompressBuffersBenchmark's B/op: runs each case (codec x size) in one
# JMH fork with -prof gc and a JFR recording of jdk.ObjectAllocationSample (alloc.jfc), then prints
# the bytes by type (byte[], int[], char[], ...) and by allocation site (alloc_breakdown.py).
# Builds nothing: first  mvn -B -q -pl agent,benchmarks -am package -DskipTests
#
# TLABs are fixed at 8 KiB (-XX:-ResizeTLAB -XX:TLABSize=8k) because JFR samples allocations when a
# thread takes a new TLAB: with the usual MiB-sized TLABs, gzip's 10 KiB per round trip would give a
# handful of samples. This slows the runs down a little and does not change what is allocated.
#
# Writes results/alloc/<codec>-<size>.{jfr,json} and results/alloc/breakdown.md; RESULTS_DIR picks
# another directory, AGENT_ARGS=... runs the forks with -javaagent:<agent jar>=AGENT_ARGS (what is
# left with owners=true), JAVA_HOME the JDK. Extra arguments go to JMH (default -wi 2 -i 3 -w 1s -r 1s).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${RESULTS_DIR:-$here/results/alloc}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$here/target/benchmarks.jar
[[ -f $jar ]] || { echo "alloc-breakdown.sh: $jar missing; build it: mvn -B -q -pl agent,benchmarks -am package -DskipTests" >&2; exit 1; }
jvm_args="-XX:-ResizeTLAB -XX:TLABSize=8k"
if [[ -n ${AGENT_ARGS:-} ]]; then
  agent=$(ls "$root"/agent/target/rebyte-agent-*.jar | head -1)
  jvm_args="-javaagent:$agent=$AGENT_ARGS $jvm_args"
fi
jmh_args=("$@")
[[ ${#jmh_args[@]} -gt 0 ]] || jmh_args=(-wi 2 -i 3 -w 1s -r 1s)
mkdir -p "$out"

for codec in gzip xz bzip2; do
  for size in 65536 1048576; do
    name=$codec-$size
    echo "alloc-breakdown.sh: $name"
    "$java" -jar "$jar" CompressBuffersBenchmark -p codec=$codec -p size=$size -f 1 -prof gc \
        -rf json -rff "$out/$name.json" "${jmh_args[@]}" \
        -jvmArgsPrepend "-XX:StartFlightRecording:settings=$here/alloc.jfc,filename=$out/$name.jfr $jvm_args" \
        > "$out/$name.log" 2>&1 || { echo "alloc-breakdown.sh: JMH failed, see $out/$name.log" >&2; exit 1; }
  done
done
{
  echo "JDK: $("$java" -version 2>&1 | head -2 | tail -1); $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC'); JVM options: $jvm_args"
  echo
  (cd "$here" && python3 alloc_breakdown.py "$out")
} | tee "$out/breakdown.md"
