#!/usr/bin/env bash
# Benchmark: how fast `loadstream analyze` (exactly-once, 2 stream threads) processes raw timing
# events, against how fast Kafka's own ConsumerPerformance reads the same topic on the same broker
# in the same run; then the bytes per request that the timings topic (raw mode) and the histograms
# topic (histogram mode) take at 1,000 req/s per endpoint per generator. See bench/README.md.
#
# 1. Pre-loads EVENTS RequestTiming events of one run (4 generators x 3 endpoints, one endpoint
#    taking 80 %) on the 6-partition timings topic of a fresh local broker (bench/local-stack.sh).
# 2. Starts `loadstream analyze --threads 2` with a fresh application id and state dir and waits
#    until its consumer group has no lag on timings and the run summaries count every event.
# 3. Stops analyze and runs ConsumerPerformance on the same topic with a fresh group.
# 4. Runs BYTES_GENERATORS `loadstream generate` processes (synthetic driver, 3 endpoints,
#    1,000 req/s per endpoint each) for BYTES_SECONDS with --publish events, then again with
#    --publish histograms, each on a fresh topic prefix, and divides the topic's bytes by the
#    requests published.
#
# Usage: bench/analyze-vs-consumer-perf.sh [EVENTS]    (default 5000000, or EVENTS=...)
# Other settings: GENERATORS=4 and RUN_ID=bench-preload (of the pre-loaded run), ANALYZE_TIMEOUT=30m,
# BYTES_GENERATORS=2, BYTES_SECONDS=20.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-${EVENTS:-5000000}}
generators=${GENERATORS:-4}
analyze_timeout=${ANALYZE_TIMEOUT:-30m}
bytes_generators=${BYTES_GENERATORS:-2}
bytes_seconds=${BYTES_SECONDS:-20}
per_endpoint_rate=1000
bytes_endpoints="home:2ms/20ms/0.1%,search:8ms/60ms/0.5%,checkout:15ms/120ms/1%"

./loadstream --version > /dev/null   # builds the tree, bench-tools included, when sources changed
tools=bench-tools/target
if [ ! -f "$tools/classpath.txt" ] || [ ! -f "$tools/loadstream-bench-tools.jar" ]; then
  echo "Building bench-tools ..." >&2
  ./mvnw -q -B -DskipTests package -pl bench-tools -am >&2
fi
classpath="$tools/loadstream-bench-tools.jar:$(cat "$tools/classpath.txt")"
tool() { java -cp "$classpath" "$@"; }
value() { awk -v name="$1" '$1 == name { print $2; exit }' "$2"; }   # NAME FILE: a "name value" line
fail() { echo "error: $1; the end of $2:" >&2; tail -20 "$2" >&2; exit 1; }

source bench/local-stack.sh
bootstrap=$(awk '{ for (i = 1; i < NF; i++) if ($i == "--bootstrap-servers") print $(i + 1) }' "$work/cluster.out")
stamp=$(date +%s)   # application id, group and topic prefixes are new on every run
run_id=${RUN_ID:-bench-preload}   # fixed: the run id is in the key, so it decides the partitions
echo "Kafka ${connection[*]}; logs in $work (deleted on exit)"

# 1. pre-load
echo "Pre-loading $events events of run $run_id ($generators generators x 3 endpoints) ..."
tool io.loadstream.bench.preload.PreloadTimings "${connection[@]}" --events "$events" \
  --generators "$generators" --run-id "$run_id" > "$work/preload.out"
topic=$(value topic "$work/preload.out")
tool io.loadstream.bench.bytes.TopicBytes "${connection[@]}" --topic timings > "$work/preloaded.out"
echo "pre-loaded $(value produced "$work/preload.out") events in $(value seconds "$work/preload.out") s" \
  "($(value rate "$work/preload.out")/s) on $topic: $(value bytes "$work/preloaded.out") bytes;" \
  "events per partition $(sed -n 's/^partition-records //p' "$work/preloaded.out")"

# 2. analyze, from its launch until its group has no lag and the run summaries count every event
app_id="bench-analyze-$stamp"
echo "Running analyze --threads 2 as $app_id ..."
start_ms=$(date +%s%3N)
./loadstream analyze "${connection[@]}" --threads 2 --application-id "$app_id" \
  --state-dir "$work/analyze-state" > "$work/analyze.out" 2> "$work/analyze.err" & analyze=$!
pids+=("$analyze")
tool io.loadstream.bench.analyzed.AwaitAnalyzed "${connection[@]}" --application-id "$app_id" \
  --run-id "$run_id" --events "$events" --start-ms "$start_ms" --timeout "$analyze_timeout" \
  > "$work/await.out" & await=$!
pids+=("$await")
while kill -0 "$await" 2> /dev/null; do
  kill -0 "$analyze" 2> /dev/null || fail "analyze stopped before it had processed the run" "$work/analyze.err"
  sleep 1
done
wait "$await" || fail "analyze did not process the run" "$work/analyze.err"
kill "$analyze"; wait "$analyze" || true
analyze_rate=$(value rate "$work/await.out")
analyze_steady=$(value steady-rate "$work/await.out")
echo "analyze: $events events in $(value elapsed-ms "$work/await.out") ms from launch: $analyze_rate/s;" \
  "first commit after $(value first-commit-ms "$work/await.out") ms, lag 0 after" \
  "$(value lag-zero-ms "$work/await.out") ms; from the first commit to lag 0: $analyze_steady/s"

# 3. ConsumerPerformance on the same topic and broker, with a group of its own
echo "Running ConsumerPerformance on $topic ..."
tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
  --num-records "$events" --group "bench-perf-$stamp" --timeout 60000 > "$work/perf.out"
# the header names the columns: start.time, ..., data.consumed.in.nMsg, nMsg.sec, ..., fetch.nMsg.sec
perf_column() {
  awk -F', *' -v name="$1" '/nMsg.sec/ { for (i = 1; i <= NF; i++) if ($i == name) col = i; next }
                            col { print $col; exit }' "$work/perf.out"
}
perf_records=$(perf_column data.consumed.in.nMsg)
[ "$perf_records" = "$events" ] || fail "ConsumerPerformance read $perf_records of $events records" "$work/perf.out"
perf_rate=$(perf_column nMsg.sec | awk '{ printf "%.0f", $1 }')
perf_fetch_rate=$(perf_column fetch.nMsg.sec | awk '{ printf "%.0f", $1 }')
echo "ConsumerPerformance: $perf_rate records/s (after joining the group: $perf_fetch_rate records/s)"

# 4. bytes per request, raw events and interval histograms, each on a fresh topic prefix
bytes_run() {   # MODE TOPIC: sets requests, bytes
  local mode=$1 short_topic=$2 prefix="bench-$1-$stamp." gens=() g
  for g in $(seq 1 "$bytes_generators"); do
    ./loadstream generate "${connection[@]}" --topic-prefix "$prefix" --publish "$mode" \
      --run-id "bytes-$mode-$stamp" --generator-id "gen-$g" --endpoints "$bytes_endpoints" \
      --rate $((3 * per_endpoint_rate)) --duration "${bytes_seconds}s" \
      > "$work/gen-$mode-$g.out" 2> "$work/gen-$mode-$g.err" & gens+=($!); pids+=($!)
  done
  requests=0
  for g in $(seq 1 "$bytes_generators"); do
    wait "${gens[$((g - 1))]}" || fail "generate --publish $mode failed" "$work/gen-$mode-$g.err"
    requests=$((requests + $(value sent "$work/gen-$mode-$g.out")))
  done
  tool io.loadstream.bench.bytes.TopicBytes "${connection[@]}" --topic-prefix "$prefix" \
    --topic "$short_topic" > "$work/bytes-$mode.out"
  bytes=$(value bytes "$work/bytes-$mode.out")
  echo "$mode: $requests requests, $(value records "$work/bytes-$mode.out") records," \
    "$bytes bytes on ${prefix}$short_topic"
}
echo "Generating ${bytes_seconds}s of load: $bytes_generators generators x 3 endpoints x $per_endpoint_rate req/s, raw events ..."
bytes_run events timings
raw_requests=$requests raw_bytes=$bytes
[ "$(value records "$work/bytes-events.out")" = "$raw_requests" ] \
  || fail "the timings topic holds $(value records "$work/bytes-events.out") events of $raw_requests" "$work/bytes-events.out"
echo "... and interval histograms ..."
bytes_run histograms histograms
hist_requests=$requests hist_bytes=$bytes

echo
echo "== analyze vs Kafka's ConsumerPerformance: $events events, 6 partitions, one broker =="
printf '%-44s %12s %22s\n' "" "records/s" "steady records/s"
printf '%-44s %12s %22s\n' "analyze (exactly-once, 2 stream threads)" "$analyze_rate" "$analyze_steady"
printf '%-44s %12s %22s\n' "ConsumerPerformance (1 consumer)" "$perf_rate" "$perf_fetch_rate"
awk -v a="$analyze_rate" -v p="$perf_rate" -v as="$analyze_steady" -v ps="$perf_fetch_rate" 'BEGIN {
  printf "%-44s %12.3f %22s\n", "ratio analyze/ConsumerPerformance", a / p,
    (as + 0 > 0 && ps + 0 > 0) ? sprintf("%.3f", as / ps) : "n/a" }'
echo
echo "== bytes per request: $bytes_generators generators x 3 endpoints x $per_endpoint_rate req/s, ${bytes_seconds}s =="
printf '%-12s %-12s %10s %12s %15s\n' mode topic requests bytes bytes/request
awk -v r="$raw_requests" -v b="$raw_bytes" 'BEGIN { printf "%-12s %-12s %10d %12d %15.2f\n", "raw", "timings", r, b, b / r }'
awk -v r="$hist_requests" -v b="$hist_bytes" 'BEGIN { printf "%-12s %-12s %10d %12d %15.3f\n", "histograms", "histograms", r, b, b / r }'
