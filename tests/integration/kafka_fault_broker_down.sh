#!/usr/bin/env bash
# Issue 2 acceptance: the broker is taken down in the middle of producing;
# the idempotent producer delivers every message exactly once after it comes
# back. The test fails when the fault did not happen: the broker must go down
# while the feed is still running, and the producer must report losing it
# (librdkafka's transport / all-brokers-down error) before it comes back.
source "$(dirname "$0")/lib/common.bash"
N=10000
start_broker --partitions 4
python3 "$DUBAN_SRC_DIR/tests/integration/gen_events.py" "$N" TaskAssigned >"$WORK/sent.jsonl"

# Feed the producer slowly (about 3 s in all) so the outage falls mid-stream;
# the feeder writes how many lines it has fed to $WORK/fed.
mkfifo "$WORK/feed"
bg "$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/feed" 2>"$WORK/produce.log"
producer=$!
python3 - "$WORK/sent.jsonl" "$WORK/feed" "$WORK/fed" <<'PY' &
import os, sys, time
lines = open(sys.argv[1], encoding="utf-8").readlines()
def progress(n):
    with open(sys.argv[3] + ".tmp", "w") as f:
        f.write("%d\n" % n)
    os.replace(sys.argv[3] + ".tmp", sys.argv[3])
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i, line in enumerate(lines):
        out.write(line)
        if i % 500 == 0:
            out.flush(); progress(i + 1); time.sleep(0.15)   # pacing the input, not a wait
    out.flush(); progress(len(lines))
PY
feeder=$!
fed() { cat "$WORK/fed" 2>/dev/null || echo 0; }
# Down once a fifth of the feed is in, and while the feed still runs.
fed_at_least() { [ "$(fed)" -ge "$1" ]; }
wait_until 15 fed_at_least $((N / 5)) || fail "the feed did not start"
kafka_errors() { grep -c 'fac=KAFKA.*\(_TRANSPORT\|_ALL_BROKERS_DOWN\)' "$WORK/produce.log" || true; }
errors_before=$(kafka_errors)
broker_cmd down 1
kill -0 "$feeder" 2>/dev/null && [ "$(fed)" -lt "$N" ] \
    || fail "the feed had ended before the broker went down: no outage mid-stream"
echo "broker down at $(date +%T.%N) after $(fed) of $N lines fed"
# The producer must notice (librdkafka reports the lost transport); keep the
# broker down until it has, and until the feed has moved on without it.
lost() { [ "$(kafka_errors)" -gt "$errors_before" ]; }
at_down=$(fed)
moved_on() { lost && fed_at_least $((at_down + N / 5)); }
wait_until 20 moved_on || true   # only the loss is a failure
lost || fail "the producer never lost the broker: the fault did not happen ($(tail -2 "$WORK/produce.log"))"
broker_cmd up 1
echo "broker up at $(date +%T.%N)"
wait "$feeder"
wait "$producer" || fail "producer failed: $(tail -3 "$WORK/produce.log")"
grep -q "$N delivered" "$WORK/produce.log" || fail "producer did not report $N delivered: $(tail -1 "$WORK/produce.log")"

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
