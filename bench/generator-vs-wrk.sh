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
# It also prints what each request cost in CPU time, of the load tool and of the target: on a
# machine whose cores the generator, the target and the broker share, a load tool that spends more
# CPU per request leaves less to the target, and that, more than any schedule, bounds the ratios.
# The generator's and target's CPU are read from /proc between the generator's first and last
# status lines (start-up left out); wrk's from the shell's child accounting (its whole life).
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
target_pid=${pids[1]}
ticks_per_second=$(getconf CLK_TCK)

# CPU time of a process so far, in clock ticks (user + system)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU time of the shell's finished children so far, in milliseconds (`times` in this shell: in a
# command substitution it would count the subshell's children)
children_ms() {
  times > "$work/times"
  tail -1 "$work/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }'
}
# microseconds of CPU per request
per_request() { awk -v t="$1" -v r="$2" -v hz="$ticks_per_second" 'BEGIN { if (r > 0) printf "%.1f", t / hz * 1e6 / r; else print "n/a" }'; }

# Runs `loadstream generate` with the given arguments, output to $work/$name.out/.err; sets
# gen_ticks and target_ticks, the CPU both used between the generator's first and last status lines,
# and status_span, the seconds between those lines
generate() {
  local name=$1; shift
  ./loadstream generate "${connection[@]}" "$@" > "$work/$name.out" 2> "$work/$name.err" &
  local shell_pid=$!
  until grep -q '^[0-9]*s/' "$work/$name.err" 2>/dev/null || ! kill -0 "$shell_pid" 2>/dev/null; do sleep 0.1; done
  local gen_start target_start lines
  gen_start=$(cpu_ticks "$shell_pid"); target_start=$(cpu_ticks "$target_pid")
  gen_ticks=0; target_ticks=0; lines=1
  while kill -0 "$shell_pid" 2>/dev/null; do
    local now; now=$(grep -c '^[0-9]*s/' "$work/$name.err" || true)
    if [ "$now" -gt "$lines" ] && [ "$now" -le "$seconds" ]; then
      lines=$now
      gen_ticks=$(( $(cpu_ticks "$shell_pid") - gen_start )); target_ticks=$(( $(cpu_ticks "$target_pid") - target_start ))
    fi
    sleep 0.1
  done
  wait "$shell_pid" || true
  status_span=$((lines - 1))
}
# the requests of a run of $seconds that fell between its first and last status lines
span_requests() { echo $(( $1 * status_span / seconds )); }

wrk -t2 -c64 -d5s "$url/fast" > /dev/null            # warm the target up
children_ms > "$work/before_ms"; before_ms=$(cat "$work/before_ms"); target_start=$(cpu_ticks "$target_pid")
wrk -t2 -c64 -d${seconds}s "$url/fast" > "$work/wrk.out"
children_ms > "$work/after_ms"; wrk_ticks=$(( ($(cat "$work/after_ms") - before_ms) * ticks_per_second / 1000 )); wrk_target_ticks=$(( $(cpu_ticks "$target_pid") - target_start ))
wrk_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
wrk_requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
echo "wrk -t2 -c64 -d${seconds}s: $wrk_rps requests/s; CPU per request: wrk $(per_request "$wrk_ticks" "$wrk_requests") us, target $(per_request "$wrk_target_ticks" "$wrk_requests") us"

best=0
for rate in "${rates[@]}"; do
  cat > "$work/bench.yaml" <<YAML
name: bench
type: load
endpoints:
  - {name: fast, url: "\${target}/fast", timeout: 5s}
executor: {type: constant-arrival-rate, rate: $rate, duration: ${seconds}s, maxInFlight: 1000}
YAML
  generate gen --scenario "$work/bench.yaml" --target-url "$url" --max-connections 64
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
  in_span=$(span_requests "$requests")
  echo "  CPU per request: generator $(per_request "$gen_ticks" "$in_span") us, target $(per_request "$target_ticks" "$in_span") us"
  [ "$held" = yes ] && { open_gen_us=$(per_request "$gen_ticks" "$in_span"); open_target_us=$(per_request "$target_ticks" "$in_span"); }
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
generate max --scenario "$work/max.yaml" --target-url "$url" --max-connections 64
grep -h '^error' "$work/max.err" || true
max_requests=$(awk '/^requests / {print $2}' "$work/max.out"); max_requests=${max_requests:-0}
max_acked=$(awk '/^acknowledged / {print $2}' "$work/max.out"); max_acked=${max_acked:-0}
max_sent=$(awk '/^sent / {print $2}' "$work/max.out"); max_sent=${max_sent:--1}
max_rps=$((max_requests / seconds))
echo "generator max-throughput, 64 connections: $max_requests requests in ${seconds}s, acknowledged $max_acked of $max_sent"
max_gen_us=$(per_request "$gen_ticks" "$(span_requests "$max_requests")"); max_target_us=$(per_request "$target_ticks" "$(span_requests "$max_requests")")
echo "  CPU per request: generator $max_gen_us us, target $max_target_us us"
grep -h '^1s/' "$work/max.err" | tail -1 || true   # its first second

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "wrk:       $wrk_rps requests/s (closed loop, 64 connections); CPU per request: wrk $(per_request "$wrk_ticks" "$wrk_requests") us, target $(per_request "$wrk_target_ticks" "$wrk_requests") us"
echo "generator: $best requests/s held for ${seconds}s (open model, events published to Kafka); CPU per request at that rate: generator ${open_gen_us:-n/a} us, target ${open_target_us:-n/a} us"
echo "generator: $max_rps requests/s (max-throughput, 64 connections, events published to Kafka); CPU per request: generator $max_gen_us us, target $max_target_us us"
awk -v g="$best" -v m="$max_rps" -v w="$wrk_rps" \
  'BEGIN { printf "ratio open/wrk: %.2f   ratio max-throughput/wrk: %.2f\n", g / w, m / w }'
