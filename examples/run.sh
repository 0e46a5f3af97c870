#!/usr/bin/env bash
# See the whole product work: build, start the example service with the agent, print where to look
# (dashboard, metrics, JSON, service, site report: each URL checked), drive 20 s of load, print a
# summary (the load, the service JVM's allocation and GC, the pool's counters and each site's), then
# keep the service running until Ctrl-C. With --once, stop after the summary (tests, CI).
#
#   examples/run.sh [--once] [--duration SECONDS]     (PORT=8080 by default)
#
# Plain text: no colour codes, so the output reads the same in a terminal, a CI log or `| cat -v`.
set -euo pipefail
cd "$(dirname "$0")/.."

once=0
duration=20
while [ $# -gt 0 ]; do
  case "$1" in
    --once) once=1 ;;
    --duration) duration=$2; shift ;;
    *) echo "usage: examples/run.sh [--once] [--duration SECONDS]" >&2; exit 2 ;;
  esac
  shift
done
port=${PORT:-8080}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
config=examples/rebyte.properties

# Maven 3.8.7 (Debian's, here) writes ESC[0m resets even with -B -Dstyle.color=never: strip any
# escape sequence left.
esc=$(printf '\033')
plain() { sed "s/$esc\[[0-9;]*[A-Za-z]//g"; }

echo "== building (mvn -B -q package -DskipTests)"
mvn -B -q -Dstyle.color=never package -DskipTests 2>&1 | plain
agent=$(ls agent/target/rebyte-agent-*.jar | grep -v original | head -1)
examples=$(ls examples/target/rebyte-examples-*.jar | head -1)
run=examples/target/run
mkdir -p "$run"
rm -f "$run/port"

echo "== starting the service with the agent on 127.0.0.1:$port"
"$java" -XX:+UseG1GC -Xmx512m -javaagent:"$agent"=config=$config \
  -jar "$examples" --port "$port" --port-file "$run/port" --data-dir examples/target/data &
service=$!
stop_service() {
  if kill -0 "$service" 2>/dev/null; then
    kill "$service" 2>/dev/null || true # SIGTERM: the service stops, the agent writes its final report
    wait "$service" 2>/dev/null || true
  fi
}
trap stop_service EXIT
trap 'echo; echo "== stopping the service (Ctrl-C)"; exit 0' INT TERM

for _ in $(seq 1 600); do
  [ -f "$run/port" ] && break
  kill -0 "$service" 2>/dev/null || { echo "the service exited before listening" >&2; exit 1; }
  sleep 0.1
done
[ -f "$run/port" ] || { echo "the service did not listen within 60 s" >&2; exit 1; }

# The dashboard's port and the report's path, as the configuration file sets them.
http=$(sed -n 's/^rebyte\.http=//p' "$config" | tail -1)
report=$(sed -n 's/^rebyte\.report=//p' "$config" | tail -1)
until=
[ "$once" = 1 ] && until=--once
echo "== where to look (each URL requested just now)"
"$java" -cp "$examples" dev.rebyte.examples.load.ShowStats --links --port "$port" \
  ${http:+--dashboard "${http##*:}"} ${report:+--report "$report"} $until

echo "== driving load for ${duration} s (3 client threads, every endpoint, every response checked)"
status=0
"$java" -cp "$examples" dev.rebyte.examples.load.LoadDriver --port "$port" --duration "$duration" --summary \
  || status=$?

echo "== summary"
"$java" -cp "$examples" dev.rebyte.examples.load.ShowStats --port "$port"

if [ "$once" = 1 ]; then
  echo "== stopping the service (--once): the URLs above stop answering"
  stop_service
  exit "$status"
fi
echo "== the service keeps running (${http:+dashboard http://127.0.0.1:${http##*:}/, }service" \
  "http://127.0.0.1:$port/, all the URLs above); press Ctrl-C to stop it"
wait "$service"
