#!/usr/bin/env bash
# Issue 12 acceptance, a hung endpoint does not slow the others: endpoint h
# (first in the file) never answers (its requests time out after 4 s and
# are retried), a and b answer at once; every alert goes to all three.
# a and b receive every alert, all of it before h's first requests have
# even timed out, while h's timeouts are recorded as RETRYING on
# duban.deliveries.v1 and h is asked again (the fault did happen). Under
# the old scheduler h, first in the file, took every slot and a and b
# waited for its timeouts.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
N=${DUBAN_HUNG_N:-800} TIMEOUT_MS=4000
start_broker --partitions 4
start_receiver --quiet --rule /h=hang:60
ep() { json_endpoint "$1" ',"timeout_ms":'$TIMEOUT_MS',"breaker":{"failures":100000},
                        "retry":{"max_attempts":3,"base_ms":200,"max_ms":400}'; }
cat >"$WORK/routes.json" <<JSON
{"endpoints":[$(ep h),$(ep a),$(ep b)],
 "routes":[{"department":"D","endpoints":["h","a","b"]}]}
JSON
produce_alerts "$N" --prefix h --dept D
start_notifier notifier --demo --routes "$WORK/routes.json"

healthy_done() {
    python3 -c '
import json, sys
seen = {"/a": set(), "/b": set()}
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"] in seen: seen[r["path"]].add(r["webhook_id"])
sys.exit(0 if all(len(s) >= int(sys.argv[2]) for s in seen.values()) else 1)' "$WORK/recv.jsonl" "$N"
}
h_retried() { # h timed out (RETRYING on the audit trail) and was asked again
    topic_json duban.deliveries.v1 >"$WORK/deliveries.jsonl"
    python3 - "$WORK/deliveries.jsonl" <<'PY'
import json, sys
d = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if any(x["endpoint_id"] == "h" and x["outcome"] == "RETRYING" for x in d) else 1)
PY
}
# on failure too, stop the notifier before the broker goes
trap 'stop_notifier; cleanup' EXIT
wait_until 60 healthy_done || fail "a and b did not get every alert: $(tail -2 "$WORK/notifier.log")"
wait_until 60 h_retried || fail "h never timed out"
second_wave() { [ "$(recv_count /h)" -gt 0 ] && python3 - "$WORK/recv.jsonl" "$TIMEOUT_MS" <<'PY'
import json, sys
h = [json.loads(l)["t_ms"] for l in open(sys.argv[1]) if l.strip() and json.loads(l)["path"] == "/h"]
sys.exit(0 if h and max(h) >= min(h) + int(sys.argv[2]) else 1)
PY
}
wait_until 30 second_wave || fail "h was not asked again after its timeouts"

python3 - "$WORK/recv.jsonl" "$WORK/deliveries.jsonl" "$N" "$TIMEOUT_MS" <<'PY' || fail "hung endpoint"
import json, sys
recv = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
dl = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
n, timeout = int(sys.argv[3]), int(sys.argv[4])
t = lambda p: [r["t_ms"] for r in recv if r["path"] == p]
h, a, b = t("/h"), t("/a"), t("/b")
start = min(a + b + h)
done_ab = max(max(a), max(b))
first_timeout = min(h) + timeout
# while a and b are both at most half done, all three have work: h's share is 64/3
half_ab = max(sorted(a)[len(a) // 2], sorted(b)[len(b) // 2])
h_busy = sum(1 for x in h if x <= half_ab)
retrying = [x for x in dl if x["endpoint_id"] == "h" and x["outcome"] == "RETRYING"]
print("a and b: %d requests each in %d ms (%.0f alerts/s each); h: first request at +%d ms, "
      "its first timeout at +%d ms, %d requests to h until a and b were half done; %d RETRYING for h "
      "(e.g. %r)" % (n, done_ab - start, n * 1000.0 / max(1, done_ab - start), min(h) - start,
                     first_timeout - start, h_busy, len(retrying), retrying[0]["error"]))
errors = []
def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond: errors.append(what)
expect(len({r["webhook_id"] for r in recv if r["path"] == "/a"}) == n and
       len({r["webhook_id"] for r in recv if r["path"] == "/b"}) == n, "a and b received every alert")
expect(done_ab < first_timeout, "a and b were done before h's first request timed out")
expect(any("imeout" in (x["error"] or "") or "timed out" in (x["error"] or "") for x in retrying),
       "h's attempts timed out and are retried")
expect(h_busy <= 21, "h held no more than its share (64/3) while all three had work: %d requests" % h_busy)
expect(max(h) >= min(h) + timeout, "h was asked again after its timeouts")
sys.exit(1 if errors else 0)
PY
kill "$NOTIFIER_PID"   # while the broker is up (h's requests hold it up to 5 s)
wait "$NOTIFIER_PID" || fail "notifier exit status $? (a sanitizer report in its log?)"
echo "1 passed, 0 failed"
