#!/usr/bin/env bash
# Issues 5 and 12 acceptance: three endpoints, every alert routed to all
# three; kill -9 the notifier a third of the way through and restart it in
# the same group. Every alert-endpoint pair arrives (webhook-id = alert_id,
# so repeats are recognisable), and the pairs delivered twice are at most
# notifier.max.inflight (64, the default): the restarted notifier rebuilt
# the pairs already final from duban.deliveries.v1 and sent only the rest.
# The test prints how many pairs were repeated.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
N=${DUBAN_CRASH_N:-6000} MAX_INFLIGHT=64
start_broker --partitions 4
start_receiver --quiet
cat >"$WORK/routes.json" <<JSON
{"endpoints":[$(json_endpoint a),$(json_endpoint b),$(json_endpoint c)],
 "routes":[{"department":"区发展和改革局","endpoints":["a","b","c"]},
           {"department":"区财政局","endpoints":["a","b","c"]}]}
JSON
produce_alerts "$N" --prefix c --dept 区发展和改革局 --dept 区财政局
PAIRS=$((3 * N))
start_notifier first --demo --routes "$WORK/routes.json"
third() { [ "$(wc -l <"$WORK/recv.jsonl" 2>/dev/null || echo 0)" -ge $((PAIRS / 3)) ]; }
wait_until 60 third || fail "first notifier delivered too little: $(tail -2 "$WORK/first.log")"
kill -9 "$NOTIFIER_PID"
wait "$NOTIFIER_PID" 2>/dev/null || true
at_kill=$(wc -l <"$WORK/recv.jsonl")
[ "$at_kill" -lt "$PAIRS" ] || fail "the kill came after the end ($at_kill requests)"

start_notifier second --demo --routes "$WORK/routes.json"
all_pairs() {
    python3 -c '
import json, sys
pairs = {(r["path"], r["webhook_id"]) for r in map(json.loads, open(sys.argv[1])) if r}
sys.exit(0 if len(pairs) >= int(sys.argv[2]) else 1)' "$WORK/recv.jsonl" "$PAIRS"
}
wait_until 120 all_pairs || fail "not every pair arrived: $(tail -2 "$WORK/second.log")"
grep -q 'fac=RESUME.*alert-endpoint pairs already final' "$WORK/second.log" \
    || fail "the restarted notifier did not rebuild what was delivered: $(grep RESUME "$WORK/second.log")"
grep 'fac=RESUME' "$WORK/second.log" | sed 's/^.*msg=/second notifier: /'
python3 - "$WORK/recv.jsonl" "$N" "$at_kill" "$MAX_INFLIGHT" <<'PY' || fail "crash recovery"
import json, sys, collections
c = collections.Counter((r["path"], r["webhook_id"]) for r in map(json.loads, open(sys.argv[1])))
n, at_kill, max_inflight = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
missing = [(p, "c-%d" % i) for i in range(n) for p in ("/a", "/b", "/c") if c[(p, "c-%d" % i)] == 0]
twice = sum(1 for v in c.values() if v > 1)
print("killed -9 after %d requests; after restart: %d alert-endpoint pairs seen of %d, %d missing, "
      "%d delivered twice or more (%d extra requests); limit notifier.max.inflight = %d"
      % (at_kill, len(c), 3 * n, len(missing), twice, sum(c.values()) - len(c), max_inflight))
sys.exit(1 if missing or twice > max_inflight else 0)
PY
kill "$NOTIFIER_PID"
wait "$NOTIFIER_PID" || fail "notifier exit status $? (a sanitizer report in its log?)"
echo "1 passed, 0 failed"
