#!/usr/bin/env bash
# Issue 12 acceptance, fair turns: three endpoints a, b, c (in that file
# order) and a backlog: first 6,000 alerts for a, then one for c, one for b,
# then 600 for b and c in turn. Each endpoint receives its first request
# within one second of the first request of all; the order of first
# requests is not the file order but the order in which the endpoints got
# work (a, c, b); and b and c are not held behind a's backlog: their first
# requests arrive before a has received half of its alerts. (The old
# scheduler served the endpoints in file order and gave a every slot until
# its queue was empty: b and c waited for all of a's 6,000, seconds.) One
# partition keeps the alerts in the order they were produced.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
A=${DUBAN_FAIR_A:-6000} BC=600
start_broker --partitions 1
start_receiver --quiet
route() { printf '{"department":"D-%s","endpoints":["%s"]}' "$1" "$1"; }
cat >"$WORK/routes.json" <<JSON
{"endpoints":[$(json_endpoint a),$(json_endpoint b),$(json_endpoint c)],
 "routes":[$(route a),$(route b),$(route c)]}
JSON
produce_alerts "$A" --prefix fa --dept D-a
produce_alerts 1 --prefix first-c --dept D-c
produce_alerts 1 --prefix first-b --dept D-b
produce_alerts "$BC" --prefix fbc --dept D-b --dept D-c
N=$((A + 2 + BC))
start_notifier notifier --demo --routes "$WORK/routes.json"

all_received() { [ "$(wc -l <"$WORK/recv.jsonl" 2>/dev/null || echo 0)" -ge "$N" ]; }
wait_until 120 all_received || fail "not every alert arrived: $(tail -2 "$WORK/notifier.log")"

python3 - "$WORK/recv.jsonl" "$N" "$A" <<'PY' || fail "fair turns"
import json, sys
recv = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n, a_alerts = int(sys.argv[2]), int(sys.argv[3])
first, count_a, a_before = {}, 0, {}
for i, r in enumerate(recv):
    p = r["path"]
    if p not in first:
        first[p] = (r["t_ms"], i)
        a_before[p] = count_a      # requests a had received before p's first
    count_a += p == "/a"
t0 = min(t for t, _ in first.values())
order = [p for p, _ in sorted(first.items(), key=lambda kv: kv[1][1])]
lag = {p: first[p][0] - t0 for p in first}
ids = {r["webhook_id"] for r in recv}
print("first requests, in order: %s; ms after the first of all: %s; "
      "requests a had received before b's and c's first: %d, %d; alerts received: %d of %d"
      % (order, lag, a_before.get("/b", -1), a_before.get("/c", -1), len(ids), n))
errors = []
def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond: errors.append(what)
expect(sorted(first) == ["/a", "/b", "/c"], "every endpoint received requests")
expect(all(v <= 1000 for v in lag.values()), "each endpoint's first request within 1 s of the first of all")
expect(order != ["/a", "/b", "/c"], "the first requests do not follow the file order: %s" % order)
expect(order.index("/c") < order.index("/b"), "c, which got work before b, was served before b")
half = a_alerts // 2
expect(a_before.get("/b", half) < half and a_before.get("/c", half) < half,
       "b and c were not held behind a's backlog (first requests before a's %d-th)" % half)
expect(len(ids) == n, "every alert delivered")
sys.exit(1 if errors else 0)
PY
# the per-endpoint figures of the last fac=STATS lines (written at shutdown)
kill "$NOTIFIER_PID"
wait "$NOTIFIER_PID" || fail "notifier exit status $? (a sanitizer report in its log?)"
python3 - "$WORK/notifier.log" "$A" "$BC" <<'PY' || fail "per-endpoint STATS"
import re, sys
a, bc = int(sys.argv[2]), int(sys.argv[3])
want = {"a": a, "b": 1 + (bc + 1) // 2, "c": 1 + bc // 2}
last = {}
for line in open(sys.argv[1]):
    m = re.search(r'fac=STATS msg="endpoint" endpoint="(\w+)" (.*)', line)
    if m:
        last[m.group(1)] = dict(kv.split("=") for kv in m.group(2).split())
print("last STATS per endpoint:", last)
ok = all(last.get(e, {}).get("delivered") == str(want[e]) and last[e]["queued"] == "0"
         and last[e]["in_flight"] == "0" and last[e]["retrying"] == "0"
         and last[e]["oldest_queued_ms"] == "0" for e in want)
sys.exit(0 if ok else 1)
PY
echo "1 passed, 0 failed"
