# Sourced by the bench scripts: starts `loadstream cluster` (broker and registry) and
# `loadstream target` with bench/target.yaml, each in the background, and stops them on exit.
# Sets: work (a temp folder), connection (the --bootstrap-servers/--schema-registry-url
# arguments), url (the target's base URL), pids.
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

./loadstream --version >/dev/null   # builds if needed
./loadstream cluster > "$work/cluster.out" 2> "$work/cluster.err" & pids+=($!)
for _ in $(seq 1 60); do grep -q bootstrap "$work/cluster.out" 2>/dev/null && break; sleep 1; done
read -r -a connection < "$work/cluster.out"
./loadstream target --config bench/target.yaml --port 0 > "$work/target.out" 2>&1 & pids+=($!)
for _ in $(seq 1 60); do grep -q 'http://' "$work/target.out" 2>/dev/null && break; sleep 1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/target.out" | head -1)
