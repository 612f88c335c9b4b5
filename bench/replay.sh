#!/usr/bin/env bash
# bench/replay.sh: duban-replay against kcat reading the same topic in the
# same run (issue 14's goal: >= 300,000 events/s over 1,000,000 events and
# >= kcat's rate).
#   N TaskAssigned events (tests/integration/gen_events.py: the gazettes'
#   shapes, Chinese text, ~540 bytes of Avro) are produced by
#   duban-produce-json to duban.tasks.v1 on duban-broker with 239 partitions
#   (the mock keeps 5 MiB per partition), in large batches (linger 1 s,
#   batch.size 1 MB: the mock serves one batch per partition per fetch, so
#   small batches would measure the mock's fetch loop, not the readers).
#   Then ROUNDS rounds, each: kcat -C -e -q (raw payloads to /dev/null), and
#   duban-replay --topic duban.tasks.v1 --exit-at-end (JSON Lines to
#   /dev/null; its count must be N). Wall time from launch to exit.
#   With BASE=PATH (a duban-replay of an earlier build), each round also
#   runs it, old and new in alternating order, and prints the new/old rate
#   ratio: a change is judged against its baseline in the same rounds.
#   Each run also reports the process's user+system CPU (from bash's time).
# Usage: bench/replay.sh [BIN_DIR]   (env: N=1000000 ROUNDS=3 PARTITIONS=239 BASE=)
set -euo pipefail
BIN=${1:-build/bin}
N=${N:-1000000}
ROUNDS=${ROUNDS:-3}
PARTITIONS=${PARTITIONS:-239}
SRC=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
            for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
"$BIN/duban-broker" --partitions "$PARTITIONS" --bootstrap-file "$W/bs" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 300); do [ -s "$W/bs" ] && break; sleep 0.1; done
BS=$(cat "$W/bs")
t0=$(date +%s.%N)
python3 "$SRC/tests/integration/gen_events.py" "$N" TaskAssigned \
    | "$BIN/duban-produce-json" -b "$BS" -X linger.ms=1000 -X batch.num.messages=100000 \
        -X batch.size=1000000 2>"$W/produce.log" \
    || { tail -3 "$W/produce.log"; exit 1; }
printf 'produced %d TaskAssigned to duban.tasks.v1 (%d partitions) in %.1f s\n' "$N" \
    "$PARTITIONS" "$(echo "$(date +%s.%N) - $t0" | bc)"

source "$SRC/bench/rounds.bash"
replay() {   # replay BINARY: one read of the topic, checked
    : >"$W/run.log"
    timed "$1" -b "$BS" --topic duban.tasks.v1 --exit-at-end
    grep -q "msg=\"$N events printed, 0 undecodable\"" "$W/run.log" \
        || { echo "$1 did not print $N events: $(tail -1 "$W/run.log")"; exit 1; }
}
kcat_read() { timed kcat -C -b "$BS" -t duban.tasks.v1 -o beginning -e -q; }
paired_rounds "$ROUNDS" kcat kcat_read duban-replay replay "$BIN/duban-replay" "${BASE:-}"
