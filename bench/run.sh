#!/usr/bin/env bash
# bench/run.sh: every duban benchmark, each next to its baseline measured in
# the same run. Single-threaded where the measure is per core. Numbers go to
# stdout; copy them into README.md "Benchmarks" with the machine's load.
#   bench/run.sh [produce|parse|rules|alerter|notify]...   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
BIN=build/bin
export DUBAN_SHARED_DIR=${DUBAN_SHARED_DIR:-$(cd .. && pwd)/shared}
which=("$@")
[ ${#which[@]} -gt 0 ] || which=(produce parse rules alerter notify)
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
for b in "${which[@]}"; do
    echo "== $b =="
    case $b in
    produce)
        W=$(mktemp -d)
        "$BIN/duban-broker" --partitions 4 --bootstrap-file "$W/bs" >/dev/null 2>&1 &
        broker=$!
        for _ in $(seq 50); do [ -s "$W/bs" ] && break; sleep 0.1; done
        # events in cache, as ingest encodes them; then cold from memory
        for distinct in 64 4096; do
            "$BIN/duban-bench-produce" -b @"$W/bs" -n 300000 --rounds 5 --distinct "$distinct" || true
        done
        kill "$broker"; wait "$broker" 2>/dev/null || true; rm -rf "$W" ;;
    parse) "$BIN/duban-bench-parse" ;;
    rules) "$BIN/duban-bench-rules" "$DUBAN_SHARED_DIR"/gazettes/*.txt ;;
    alerter) "$BIN/duban-bench-alerter" ;;
    notify) "$BIN/duban-bench-notify" ;;
    *) echo "unknown benchmark $b" >&2; exit 2 ;;
    esac
done
