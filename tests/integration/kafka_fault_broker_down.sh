#!/usr/bin/env bash
# Issue 2 acceptance: the broker is taken down for a few seconds in the
# middle of producing; the idempotent producer delivers every message exactly
# once after it comes back.
source "$(dirname "$0")/lib/common.bash"
N=10000
start_broker --partitions 4
python3 "$DUBAN_SRC_DIR/tests/integration/gen_events.py" "$N" TaskAssigned >"$WORK/sent.jsonl"

# Feed the producer slowly (about 3 s in all) so the outage falls mid-stream.
mkfifo "$WORK/feed"
bg "$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/feed" 2>"$WORK/produce.log"
producer=$!
python3 - "$WORK/sent.jsonl" "$WORK/feed" <<'PY' &
import sys, time
lines = open(sys.argv[1], encoding="utf-8").readlines()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i, line in enumerate(lines):
        out.write(line)
        if i % 500 == 0:
            out.flush(); time.sleep(0.15)
PY
feeder=$!
sleep 1
broker_cmd down 1
echo "broker down at $(date +%T.%N)"
sleep 3
broker_cmd up 1
echo "broker up at $(date +%T.%N)"
wait "$feeder"
wait "$producer" || fail "producer failed: $(tail -3 "$WORK/produce.log")"
grep -q "$N delivered" "$WORK/produce.log" || fail "producer did not report $N delivered: $(tail -1 "$WORK/produce.log")"
grep -c 'Connection refused\|Disconnected\|down' "$WORK/produce.log" >/dev/null || echo "note: no connection error logged"

"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.tasks.v1 --exit-at-end >"$WORK/got.jsonl" 2>/dev/null
python3 - "$WORK/sent.jsonl" "$WORK/got.jsonl" <<'PY' || fail "not exactly once"
import json, sys, collections
sent = [json.loads(l)["event_id"] for l in open(sys.argv[1], encoding="utf-8")]
got = collections.Counter(json.loads(l)["event_id"] for l in open(sys.argv[2], encoding="utf-8"))
missing = [e for e in sent if e not in got]
dups = sum(v - 1 for v in got.values())
print("sent %d, on the topic %d, missing %d, duplicated %d" % (len(sent), sum(got.values()), len(missing), dups))
assert not missing and dups == 0
PY
echo "1 passed, 0 failed"
