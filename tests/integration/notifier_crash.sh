#!/usr/bin/env bash
# Issue 5 acceptance: kill -9 the notifier in the middle of 10,000 alerts and
# restart it: the receiver has seen every alert_id at least once (webhook-id
# = alert_id, so repeats are recognisable), and the test reports how many
# were repeated.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
N=${DUBAN_CRASH_N:-10000}
start_broker --partitions 4
start_receiver --quiet
cat >"$WORK/routes.json" <<JSON
{"endpoints":[{"id":"fgw","url":"$RECV/fgw","format":"json",
   "secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}],
 "routes":[], "default":["fgw"]}
JSON
produce_alerts "$N" --prefix c --dept 区发展和改革局 --dept 区财政局
# few requests in flight and few alerts held make the kill land mid-stream
start_notifier first --demo --routes "$WORK/routes.json" --set notifier.max.inflight=8 \
    --set notifier.max.pending=300  # also exercises pausing the partitions
third() { [ "$(wc -l <"$WORK/recv.jsonl" 2>/dev/null || echo 0)" -ge $((N / 3)) ]; }
wait_until 60 third || fail "first notifier delivered too little: $(tail -2 "$WORK/first.log")"
kill -9 "$NOTIFIER_PID"
wait "$NOTIFIER_PID" 2>/dev/null || true
at_kill=$(wc -l <"$WORK/recv.jsonl")
[ "$at_kill" -lt "$N" ] || fail "the kill came after the end ($at_kill requests)"

start_notifier second --demo --routes "$WORK/routes.json"
unique() {
    python3 -c '
import json, sys
ids = {json.loads(l)["webhook_id"] for l in open(sys.argv[1]) if l.strip()}
sys.exit(0 if len(ids) >= int(sys.argv[2]) else 1)' "$WORK/recv.jsonl" "$N"
}
wait_until 120 unique || fail "not every alert arrived: $(tail -2 "$WORK/second.log")"
python3 - "$WORK/recv.jsonl" "$N" "$at_kill" <<'PY' || fail "crash recovery"
import json, sys, collections
c = collections.Counter(json.loads(l)["webhook_id"] for l in open(sys.argv[1]) if l.strip())
n = int(sys.argv[2])
missing = [i for i in range(n) if c["c-%d" % i] == 0]
repeated = sum(1 for v in c.values() if v > 1)
print("killed -9 after %s requests; after restart: %d alert ids seen of %d, %d missing, "
      "%d repeated (%d extra requests)" % (sys.argv[3], len(c), n, len(missing), repeated,
                                           sum(c.values()) - len(c)))
sys.exit(1 if missing else 0)
PY
echo "1 passed, 0 failed"
