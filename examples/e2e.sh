#!/usr/bin/env bash
# The end-to-end proof: runs the example service without and with the agent, alternating, under the
# same bounded load and JVM flags, and writes examples/target/e2e/results.md (medians, ratios,
# targets, every run). Defaults: 3 pairs, 5 s warm-up + 30 s window each, about 4 minutes.
#
#   examples/e2e.sh [--pairs N] [--warmup S] [--duration S] [--threads N] [--java PATH/bin/java]
#   REBYTE_SKIP_BUILD=1 examples/e2e.sh ...   (use the jars already built)
set -euo pipefail
cd "$(dirname "$0")/.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [ "${REBYTE_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q package -DskipTests
fi
agent=$(ls agent/target/rebyte-agent-*.jar | grep -v original | head -1)
examples=$(ls examples/target/rebyte-examples-*.jar | head -1)
exec "$java" -cp "$examples" dev.rebyte.examples.e2e.E2e --agent "$PWD/$agent" \
  --config "$PWD/examples/rebyte.properties" --jar "$PWD/$examples" --out "$PWD/examples/target/e2e" "$@"
