#!/usr/bin/env bash
# Issue 2 acceptance: one process produces 10,000 events of every type into
# duban-broker; another, in a consumer group, consumes and decodes them equal
# to what was sent; it commits, is restarted, and resumes exactly after the
# committed offset (no gap, no repeat).
source "$(dirname "$0")/lib/common.bash"
N=${DUBAN_ROUNDTRIP_N:-10000}
start_broker --partitions 4

python3 "$DUBAN_SRC_DIR/tests/integration/gen_events.py" "$N" >"$WORK/sent.jsonl"
total=$(wc -l <"$WORK/sent.jsonl")
[ "$total" -eq $((N * 6)) ] || fail "generator wrote $total lines"

"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/sent.jsonl" 2>"$WORK/produce.log" \
    || fail "produce: $(cat "$WORK/produce.log")"

first=$((total * 2 / 5))
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --group roundtrip "${GROUP_OPTS[@]}" \
    --max-messages "$first" >"$WORK/part1.jsonl" 2>"$WORK/replay1.log" \
    || fail "first consumer: $(tail -5 "$WORK/replay1.log")"
got1=$(wc -l <"$WORK/part1.jsonl")
[ "$got1" -eq "$first" ] || fail "first consumer printed $got1 events, wanted exactly $first"

# Restarted: a new process in the same group resumes at the committed offsets.
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --group roundtrip "${GROUP_OPTS[@]}" \
    --exit-at-end >"$WORK/part2.jsonl" 2>"$WORK/replay2.log" \
    || fail "second consumer: $(tail -5 "$WORK/replay2.log")"
got2=$(wc -l <"$WORK/part2.jsonl")
echo "first run: $got1 events, after restart: $got2 events, sent: $total"

python3 "$DUBAN_SRC_DIR/tests/integration/lib/canon.py" "$WORK/sent.jsonl" >"$WORK/sent.canon"
python3 "$DUBAN_SRC_DIR/tests/integration/lib/canon.py" "$WORK/part1.jsonl" "$WORK/part2.jsonl" >"$WORK/got.canon"
dups=$(cat "$WORK/part1.jsonl" "$WORK/part2.jsonl" | python3 -c '
import json,sys,collections
c=collections.Counter((json.loads(l)["type"], json.loads(l)["event_id"]) for l in sys.stdin)
print(sum(v-1 for v in c.values()))')
[ "$dups" -eq 0 ] || fail "$dups events were consumed twice"
[ $((got1 + got2)) -eq "$total" ] || fail "gap: consumed $((got1 + got2)) of $total"
cmp -s "$WORK/sent.canon" "$WORK/got.canon" || { diff "$WORK/sent.canon" "$WORK/got.canon" | head -5; fail "decoded events differ from the sent ones"; }
echo "1 passed, 0 failed"
