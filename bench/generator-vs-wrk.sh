#!/usr/bin/env bash
# Benchmark: the highest request rate loadstream's generator holds within 1 % for 30 s against
# `loadstream target` on loopback, and in the same run the throughput of wrk (Debian's package)
# against the same target. Prints both and their ratio.
#
# Each rate is reached in a 5 s ramp (warm-up) and then held for 30 s. "Holds" means: at least
# 99 % of the scheduled requests were made, at most 1 % were dropped by the open-model schedule
# for lack of concurrency (1,000 in flight), every timing event was acknowledged by Kafka, and
# fewer than 1 % of requests failed. The generator publishes every
# event to a local Kafka broker (loadstream cluster) while it runs, as it does in real use.
#
# Usage: bench/generator-vs-wrk.sh [RATE...]   (default rates: 4000 8000 16000 20000 ... 48000)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
seconds=30
rates=("${@:-4000 8000 16000 20000 24000 28000 32000 40000 48000}")
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
executor:
  type: ramping-arrival-rate
  startRate: 0
  maxInFlight: 1000
  stages:
    - {duration: 5s, target: $rate}          # warm-up: JIT, connections
    - {duration: ${seconds}s, target: $rate}  # the measured 30 s
YAML
  ./loadstream generate "${connection[@]}" --scenario "$work/bench.yaml" --target-url "$url" \
      --max-connections 64 > "$work/gen.out" 2> "$work/gen.err" || true
  requests=$(awk '/^requests / {print $2}' "$work/gen.out"); requests=${requests:-0}
  dropped=$(awk '/^schedule-dropped / {print $2}' "$work/gen.out"); dropped=${dropped:-0}
  acked=$(awk '/^acknowledged / {print $2}' "$work/gen.out"); acked=${acked:-0}
  sent=$(awk '/^sent / {print $2}' "$work/gen.out"); sent=${sent:--1}
  grep -h '^error' "$work/gen.err" || true
  errors=$( (grep -o 'errors [0-9]*' "$work/gen.err" || true) | tail -1 | awk '{print $2}')
  expected=$((rate * seconds + rate * 5 / 2))
  held=no
  if [ $((dropped * 100)) -le "$expected" ] && [ "$acked" -eq "$sent" ] \
      && [ $((requests * 100)) -ge $((expected * 99)) ] && [ $((${errors:-0} * 100)) -lt "$requests" ]; then
    held=yes; best=$rate
  fi
  echo "generator at $rate req/s: requests $requests of $expected, schedule-dropped $dropped, errors ${errors:-0}, acknowledged $acked of $sent: held=$held"
  grep -h "s/35s" "$work/gen.err" | tail -1 || true
  [ "$held" = yes ] || break
done

echo
echo "wrk:       $wrk_rps requests/s (closed loop, 64 connections)"
echo "generator: $best requests/s held for ${seconds}s (open model, events published to Kafka)"
awk -v g="$best" -v w="$wrk_rps" 'BEGIN { printf "ratio generator/wrk: %.2f\n", g / w }'
