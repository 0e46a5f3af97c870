#!/usr/bin/env bash
# See the whole product work: build, start the example service with the agent, drive 20 s of load,
# print the pool statistics and where the site report and dashboard are, then keep the service
# running until Ctrl-C. With --once, stop after the load (tests, CI).
#
#   examples/run.sh [--once] [--duration SECONDS]     (PORT=8080 by default)
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

echo "== building (mvn -B -q package -DskipTests)"
mvn -B -q package -DskipTests
agent=$(ls agent/target/rebyte-agent-*.jar | grep -v original | head -1)
examples=$(ls examples/target/rebyte-examples-*.jar | head -1)
run=examples/target/run
mkdir -p "$run"
rm -f "$run/port"

echo "== starting the service with the agent on 127.0.0.1:$port"
"$java" -XX:+UseG1GC -Xmx512m -javaagent:"$agent"=config=examples/rebyte.properties \
  -jar "$examples" --port "$port" --port-file "$run/port" --data-dir examples/target/data &
service=$!
stop_service() {
  if kill -0 "$service" 2>/dev/null; then
    kill "$service" 2>/dev/null || true # SIGTERM: the service stops, the agent writes its final report
    wait "$service" 2>/dev/null || true
  fi
}
trap stop_service EXIT
trap 'echo; echo "== stopping"; exit 0' INT TERM

for _ in $(seq 1 600); do
  [ -f "$run/port" ] && break
  kill -0 "$service" 2>/dev/null || { echo "the service exited before listening" >&2; exit 1; }
  sleep 0.1
done
[ -f "$run/port" ] || { echo "the service did not listen within 60 s" >&2; exit 1; }

echo "== driving load for ${duration} s (3 client threads, all endpoints, every response checked)"
status=0
"$java" -cp "$examples" dev.rebyte.examples.load.LoadDriver --port "$port" --duration "$duration" || status=$?

echo "== pool statistics"
"$java" -cp "$examples" dev.rebyte.examples.load.ShowStats --port "$port" --dashboard 9404
sleep 2 # the site report is refreshed every 2 s
echo "Site report: examples/target/rebyte-report.txt (and .json)"
echo "Service: http://127.0.0.1:$port/ (endpoints), http://127.0.0.1:$port/stats (counters)"

if [ "$once" = 1 ]; then
  exit "$status"
fi
echo "== the service keeps running; press Ctrl-C to stop it"
wait "$service"
