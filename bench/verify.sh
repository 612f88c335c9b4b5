#!/usr/bin/env bash
# bench/verify.sh: duban-audit verify against kcat reading the same topics in
# the same run (issue 14's goal: >= 300,000 events/s over 1,000,000 events
# and >= kcat's rate).
#   The history, N events in all across four topics (tests/integration/gen_verify_history.py):
#   TASKS TaskAssigned (tests/integration/gen_events.py) and status changes
#   for one task in ten (COMPLETED, EXTENDED, COMPLETION_REQUESTED then
#   IN_PROGRESS, CANCELLED, IN_PROGRESS); the DeadlineAlerts
#   `duban-alerter --simulate --until UNTIL` fires for them (stamped as sent
#   1 s after fire_at); one DELIVERED DeliveryAttempt per (alert, endpoint)
#   pair of a routing file (2 s after fire_at); and TaskAssigned that never
#   alert (OPEN_ENDED, NONE) so that the events add up to exactly N. Produced
#   by duban-produce-json (alerts with --keep-meta for their timestamps) to
#   duban-broker with PARTITIONS partitions per topic (the mock keeps 5 MiB
#   per partition), in large batches (linger 1 s, batch.size 1 MB: the mock
#   serves one batch per partition per fetch).
#   `duban-audit verify --until UNTIL --routes R` over the whole history must
#   exit 0 with every alert expected and recorded and every pair delivered:
#   checked once before the rounds, and its exit status in every round.
#   Then ROUNDS rounds, each: kcat -C -e -q on each of the four topics in
#   turn (raw payloads to /dev/null; the four runs' wall and CPU times
#   summed), and duban-audit verify. Wall time from launch to exit, CPU
#   user + system (bash's time); events/s = N / wall time.
#   With BASE=PATH (a duban-audit of an earlier build), each round also
#   runs it, old and new in alternating order, and prints the new/old rate
#   ratio: a change is judged against its baseline in the same rounds.
# Usage: bench/verify.sh [BIN_DIR]
#   (env: N=1000000 TASKS=45000 UNTIL=2023-06-30T23:00:00+08:00 ROUNDS=3
#    PARTITIONS=239 BASE= KEEP=DIR: keep the history's JSON Lines in DIR)
set -euo pipefail
BIN=${1:-build/bin}
N=${N:-1000000}
TASKS=${TASKS:-45000}
UNTIL=${UNTIL:-2023-06-30T23:00:00+08:00}
ROUNDS=${ROUNDS:-3}
PARTITIONS=${PARTITIONS:-239}
SRC=$(cd "$(dirname "$0")/.." && pwd)
TOPICS=(duban.tasks.v1 duban.task-status.v1 duban.alerts.v1 duban.deliveries.v1)
W=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
            for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
"$BIN/duban-broker" --partitions "$PARTITIONS" --bootstrap-file "$W/bs" >"$W/broker.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do [ -s "$W/bs" ] && break; sleep 0.1; done
BS=$(cat "$W/bs")

# ---- the history ----
t0=$(date +%s.%N)
python3 "$SRC/tests/integration/gen_verify_history.py" routes "$W/routes.json"
eval "$(python3 "$SRC/tests/integration/gen_verify_history.py" tasks "$W" "$TASKS")"
"$BIN/duban-alerter" --simulate --until "$UNTIL" <"$W/tasks.jsonl" >"$W/alerts.jsonl" \
    2>"$W/simulate.log" || { tail -3 "$W/simulate.log"; exit 1; }
eval "$(python3 "$SRC/tests/integration/gen_verify_history.py" rest "$W" "$N" "$W/routes.json")"
produce() {   # produce FILE [OPTION...]
    local f=$1; shift
    "$BIN/duban-produce-json" -b "$BS" -X linger.ms=1000 -X batch.num.messages=100000 \
        -X batch.size=1000000 "$@" "$f" 2>>"$W/produce.log" || { tail -3 "$W/produce.log"; exit 1; }
}
produce "$W/tasks.jsonl"
produce "$W/padding.jsonl"
produce "$W/alerts-meta.jsonl" --keep-meta
produce "$W/deliveries.jsonl"
[ -z "${KEEP:-}" ] || { mkdir -p "$KEEP"; cp "$W"/*.jsonl "$W/routes.json" "$KEEP"/; }
rm -f "$W"/*.jsonl
if grep -q 'fac=CAP' "$W/broker.log"; then
    echo "duban-broker dropped or nearly dropped messages (raise PARTITIONS):"
    grep 'fac=CAP' "$W/broker.log" | head -3
    exit 1
fi
printf 'history: %d events = %d TaskAssigned (%d of them never alerting) + %d TaskStatusChanged + %d DeadlineAlert (until %s) + %d DeliveryAttempt, %d partitions per topic; made and produced in %.1f s\n' \
    "$N" "$((TASKS + PADDING))" "$PADDING" "$STATUSES" "$ALERTS" "$UNTIL" "$DELIVERIES" \
    "$PARTITIONS" "$(echo "$(date +%s.%N) - $t0" | bc)"

VERIFY_ARGS=(verify -b "$BS" --until "$UNTIL" --routes "$W/routes.json")
# The history must verify: no problem, every alert expected and recorded,
# every task event applied, every pair delivered.
"$BIN/duban-audit" "${VERIFY_ARGS[@]}" >"$W/verify.out" 2>"$W/verify.err" \
    || { head -5 "$W/verify.out"; tail -3 "$W/verify.err"; echo "verify found problems"; exit 1; }
want="$ALERTS alerts expected, $ALERTS recorded, $DELIVERIES of $DELIVERIES (alert, endpoint) pairs delivered; $((TASKS + PADDING + STATUSES)) task events re-computed (0 not applicable, 0 redriven copies skipped); 0 problems"
grep -qF "$want" "$W/verify.out" || { echo "verify: $(tail -1 "$W/verify.out")"; echo "wanted: $want"; exit 1; }
echo "verify: $(tail -1 "$W/verify.out")"

source "$SRC/bench/rounds.bash"
verify() {   # verify BINARY: one run over the history, which must pass
    : >"$W/run.log"
    timed "$1" "${VERIFY_ARGS[@]}"
    [ "$RC" -eq 0 ] || { echo "$1 verify exited $RC: $(tail -2 "$W/run.log")"; exit 1; }
}
kcat_read() {   # each topic in turn, the times summed
    local t tk=0 ck=0
    for t in "${TOPICS[@]}"; do
        timed kcat -C -b "$BS" -t "$t" -o beginning -e -q
        tk=$(echo "$tk + $T" | bc) ck=$(echo "$ck + $CPU" | bc)
    done
    T=$tk CPU=$ck
}
paired_rounds "$ROUNDS" "kcat (4 topics)" kcat_read "duban-audit verify" verify \
    "$BIN/duban-audit" "${BASE:-}"
