#!/usr/bin/env bash
# Benchmark: does the generator's heap stay flat over a long run? Runs `loadstream generate` for
# 5 minutes at a fixed rate against `loadstream target` on loopback, publishing every event to a
# local broker, forces a full GC after 1 minute and again near the end (jcmd GC.run), and
# compares the heap left after each. Prints both and their ratio; flat means within 10 %.
#
# Usage: bench/generator-heap.sh [RATE] [DURATION]   (defaults: 2000 req/s, 5m)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-2000}
duration=${2:-5m}
total=$(( $(sed -E 's/m$//' <<< "$duration") * 60 ))
source bench/local-stack.sh

cat > "$work/heap.yaml" <<YAML
name: heap
type: soak
endpoints:
  - {name: fast, url: "\${target}/fast", timeout: 5s}
executor: {type: constant-arrival-rate, rate: $rate, duration: $duration}
YAML
LOADSTREAM_JAVA_OPTS="-Xlog:gc:file=$work/gc.log" \
  ./loadstream generate "${connection[@]}" --scenario "$work/heap.yaml" --target-url "$url" \
  > "$work/gen.out" 2> "$work/gen.err" & gen=$!; pids+=($gen)
java_pid() { pgrep -f "loadstream.jar generate" | head -1; }
heap_after_full_gc() {
  local pid; pid=$(java_pid)
  jcmd "$pid" GC.run > /dev/null
  sleep 1
  grep 'Pause Full' "$work/gc.log" | tail -1 | sed -E 's/.* [0-9]+M->([0-9]+)M\(([0-9]+)M\).*/\1/'
}
sleep 60
first=$(heap_after_full_gc)
sleep $((total - 75))
last=$(heap_after_full_gc)
wait "$gen" || true
grep -E '^(requests|schedule-dropped|sent|acknowledged|failed|dropped) ' "$work/gen.out" | tr '\n' ' '; echo
echo "heap after full GC at 1 min: ${first} MB; near the end ($((total - 14)) s): ${last} MB"
awk -v a="$first" -v b="$last" 'BEGIN { r = b / a; printf "ratio end/start: %.3f (%s)\n", r, (r <= 1.10 && r >= 0.90) ? "flat, within 10%" : "NOT flat" }'
