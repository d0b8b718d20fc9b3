#!/usr/bin/env bash
# Benchmark: the highest request rate loadstream's generator holds for 30 s against `loadstream
# target` on loopback, the rate of its closed-loop mode (executor max-throughput, 64 connections)
# and, in the same run, the throughput of wrk (Debian's package: apt-get install wrk) with the
# same 64 connections. Prints all three, their ratios and the machine's load average.
#
# Each open-model rate is a constant-arrival-rate held for 30 s from its first request: no ramp,
# no warm-up allowance. "Holds" means: at least 99 % of the scheduled requests were made, at most
# 1 % were dropped by the open-model schedule for lack of concurrency (1,000 in flight), every
# timing event was acknowledged by Kafka, and fewer than 1 % of requests failed. The generator
# publishes every event to a local Kafka broker (loadstream cluster) while it runs, as it does in
# real use; the closed-loop run too.
#
# Usage: bench/generator-vs-wrk.sh [RATE...]   (default rates: 4000 8000 12000 ... 48000)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed; it is a Debian package: apt-get install -y wrk" >&2; exit 2; }
seconds=30
rates=("${@:-4000 8000 12000 16000 20000 24000 28000 32000 40000 48000}")
read -r -a rates <<< "${rates[*]}"
source bench/local-stack.sh
echo "target $url; Kafka ${connection[*]}"

wrk -t2 -c64 -d5s "$url/fast" > /dev/null            # warm the target up
wrk -t2 -c64 -d${seconds}s "$url/fast" > "$work/wrk.out"
wrk_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
echo "wrk -t2 -c64 -d${seconds}s: $wrk_rps requests/s"

best=0
for rate in "${rates[@]}"; do
  cat > "$work/bench.yaml" <<YAML
name: bench
type: load
endpoints:
  - {name: fast, url: "\${target}/fast", timeout: 5s}
executor: {type: constant-arrival-rate, rate: $rate, duration: ${seconds}s, maxInFlight: 1000}
YAML
  ./loadstream generate "${connection[@]}" --scenario "$work/bench.yaml" --target-url "$url" \
      --max-connections 64 > "$work/gen.out" 2> "$work/gen.err" || true
  requests=$(awk '/^requests / {print $2}' "$work/gen.out"); requests=${requests:-0}
  dropped=$(awk '/^schedule-dropped / {print $2}' "$work/gen.out"); dropped=${dropped:-0}
  acked=$(awk '/^acknowledged / {print $2}' "$work/gen.out"); acked=${acked:-0}
  sent=$(awk '/^sent / {print $2}' "$work/gen.out"); sent=${sent:--1}
  grep -h '^error' "$work/gen.err" || true
  errors=$( (grep -o 'errors [0-9]*' "$work/gen.err" || true) | tail -1 | awk '{print $2}')
  expected=$((rate * seconds))
  held=no
  if [ $((dropped * 100)) -le "$expected" ] && [ "$acked" -eq "$sent" ] \
      && [ $((requests * 100)) -ge $((expected * 99)) ] && [ $((${errors:-0} * 100)) -lt "$requests" ]; then
    held=yes; best=$rate
  fi
  echo "generator at $rate req/s: requests $requests of $expected, schedule-dropped $dropped, errors ${errors:-0}, acknowledged $acked of $sent: held=$held"
  grep -h "^1s/${seconds}s" "$work/gen.err" | tail -1 || true   # its first second
  grep -h "s/${seconds}s" "$work/gen.err" | tail -1 || true
  [ "$held" = yes ] || break
done

cat > "$work/max.yaml" <<YAML
name: bench-max
type: load
endpoints:
  - {name: fast, url: "\${target}/fast", timeout: 5s}
executor: {type: max-throughput, connections: 64, duration: ${seconds}s}
YAML
./loadstream generate "${connection[@]}" --scenario "$work/max.yaml" --target-url "$url" \
    --max-connections 64 > "$work/max.out" 2> "$work/max.err" || true
grep -h '^error' "$work/max.err" || true
max_requests=$(awk '/^requests / {print $2}' "$work/max.out"); max_requests=${max_requests:-0}
max_acked=$(awk '/^acknowledged / {print $2}' "$work/max.out"); max_acked=${max_acked:-0}
max_sent=$(awk '/^sent / {print $2}' "$work/max.out"); max_sent=${max_sent:--1}
max_rps=$((max_requests / seconds))
echo "generator max-throughput, 64 connections: $max_requests requests in ${seconds}s, acknowledged $max_acked of $max_sent"

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "wrk:       $wrk_rps requests/s (closed loop, 64 connections)"
echo "generator: $best requests/s held for ${seconds}s (open model, events published to Kafka)"
echo "generator: $max_rps requests/s (max-throughput, 64 connections, events published to Kafka)"
awk -v g="$best" -v m="$max_rps" -v w="$wrk_rps" \
  'BEGIN { printf "ratio open/wrk: %.2f   ratio max-throughput/wrk: %.2f\n", g / w, m / w }'
