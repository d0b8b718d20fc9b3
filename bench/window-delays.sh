#!/usr/bin/env bash
# Benchmark: how far behind a running load test its results are. Starts a local broker and
# registry and `loadstream analyze` (defaults: 1 s windows, 2 s grace, 1 s emit interval), then a
# 30 s synthetic run (simulated endpoints, no HTTP) at RATE req/s while WindowDelays follows window-stats: for every
# final 1 s window, when it became readable after the window's end, and when the window's first
# early update did after its start (committed records, so what a consumer can act on).
# Usage: bench/window-delays.sh [RATE] [ANALYZE OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-500}
shift || true
. bench/local-stack.sh
tools=bench-tools/target
if [ ! -f "$tools/classpath.txt" ] || [ ! -f "$tools/loadstream-bench-tools.jar" ]; then
  ./mvnw -q -B -DskipTests package -pl bench-tools -am >&2
fi
classpath="$tools/loadstream-bench-tools.jar:$(cat "$tools/classpath.txt")"

./loadstream topics --bootstrap-servers "${connection[1]}" > /dev/null
./loadstream analyze "${connection[@]}" --state-dir "$work/state" "$@" > "$work/analyze.out" 2>&1 & pids+=($!)
run="delays-$(date +%s)"
java -cp "$classpath" io.loadstream.bench.analyzed.WindowDelays "${connection[@]}" --run-id "$run" \
  --follow 60s > "$work/delays.out" &
delays=$!
./loadstream generate "${connection[@]}" --run-id "$run" --rate "$rate" \
  --duration 30s > "$work/generate.out" 2>&1
echo "generate: $(tail -1 "$work/generate.out")"
wait "$delays" || true
cat "$work/delays.out"
