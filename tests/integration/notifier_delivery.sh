#!/usr/bin/env bash
# Issue 5 acceptance, delivery behaviour against a real duban-receiver:
# retries on 500 / 429 (Retry-After honoured) / hang (timeout) / closed
# connection with the same webhook-id and backoff inside its bounds; 410
# disables the endpoint; 404 is final; after the retry budget the alert is on
# duban.dlq.v1 with the reason; every attempt is on duban.deliveries.v1; the
# json format's signatures verify with the npm standardwebhooks package
# (both rotation secrets); internal addresses are refused without --demo;
# and a restarted notifier finds every offset committed (nothing resent).
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"

start_broker --partitions 2
start_receiver --rule /ok=200 --rule '/flaky=500*2' --rule '/slow=429:1*1' --rule /gone=410 \
    --rule /bad=404 --rule /dead=500 --rule '/hang=hang:3' --rule '/close=close*2' --rule /brk=500

S1=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
S2=whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=
ep() { # id path
    printf '{"id":"%s","url":"%s%s","format":"json","secrets":["%s","%s"],"timeout_ms":600,
      "retry":{"max_attempts":4,"base_ms":200,"max_ms":1000},"breaker":{"failures":100}}' \
        "$1" "$RECV" "$2" "$S1" "$S2"
}
route() { printf '{"department":"%s","endpoints":["%s"]}' "$1" "$2"; }
cat >"$WORK/routes.json" <<JSON
{"endpoints":[$(ep ok /ok),$(ep flaky /flaky),$(ep slow /slow),$(ep gone /gone),
              $(ep bad /bad),$(ep dead /dead),$(ep hang /hang),$(ep close /close),
              {"id":"brk","url":"$RECV/brk","format":"json","secrets":["$S1","$S2"],"retry":{"max_attempts":5,"base_ms":100,"max_ms":400},
               "breaker":{"failures":2,"cooldown_ms":20000}}],
 "routes":[$(route D-ok ok),$(route D-flaky flaky),$(route D-slow slow),$(route D-gone gone),
           $(route D-bad bad),$(route D-dead dead),$(route D-hang hang),$(route D-close close),
           $(route D-brk brk)],
 "default":["ok"]}
JSON
cat >"$WORK/routes-safe.json" <<JSON
{"endpoints":[$(ep safe /safe)], "routes":[], "default":["safe"]}
JSON

produce_alerts 10 --prefix a --dept D-ok --dept D-flaky --dept D-slow --dept D-gone \
    --dept D-bad --dept D-dead --dept D-hang --dept D-close --dept D-unknown --dept D-brk
start_notifier notifier --demo --routes "$WORK/routes.json"
MAIN_PID=$NOTIFIER_PID
# the refusing notifier: no --demo, its own group, every endpoint on loopback
start_notifier safe --routes "$WORK/routes-safe.json" --set notifier.group=safe
SAFE_PID=$NOTIFIER_PID

final_count() {
    topic_json duban.deliveries.v1 >"$WORK/deliveries.jsonl"
    python3 - "$WORK/deliveries.jsonl" "$1" <<'PY'
import json, sys
n = sum(1 for l in open(sys.argv[1]) if l.strip()
        and json.loads(l)["outcome"] != "RETRYING")
sys.exit(0 if n >= int(sys.argv[2]) else 1)
PY
}
# 10 alerts to the main notifier + the same 10 refused by the safe one
wait_until 60 final_count 20 || fail "outcomes not final in time: $(tail -3 "$WORK/notifier.log")"

# 410 disabled the endpoint: a later alert for it is dead-lettered unsent
produce_alerts 1 --prefix late --dept D-gone
wait_until 30 final_count 22 || fail "late alert not final"

python3 - "$WORK/recv.jsonl" "$WORK/deliveries.jsonl" <<'PY' || fail "delivery behaviour"
import json, sys, collections
recv = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
dl = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
by_path = collections.defaultdict(list)
for r in recv:
    by_path[r["path"]].append(r)
main = [d for d in dl if d["endpoint_id"] != "safe"]
final = {d["alert_id"]: d for d in main if d["outcome"] != "RETRYING"}
errors = []
def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond: errors.append(what)
def gaps(path):
    t = [r["t_ms"] for r in by_path[path]]
    return [b - a for a, b in zip(t, t[1:])]
def ids(path):
    return {r["webhook_id"] for r in by_path[path]}
expect(len(by_path["/ok"]) == 2, "/ok: one request per alert (D-ok and the unknown department's default route): %d" % len(by_path["/ok"]))
expect(final["a-0"]["outcome"] == "DELIVERED" and final["a-8"]["outcome"] == "DELIVERED", "/ok delivered")
expect(len(by_path["/flaky"]) == 3 and len(ids("/flaky")) == 1, "/flaky: 500, 500, 200 with one webhook-id: %d" % len(by_path["/flaky"]))
g = gaps("/flaky")
expect(len(g) == 2 and 100 <= g[0] <= 450 and 200 <= g[1] <= 650, "/flaky backoff within [base/2, base] then [base, 2 base] (+50 ms): %s" % g)
expect(final["a-1"]["outcome"] == "DELIVERED" and final["a-1"]["attempt"] == 3, "/flaky delivered at attempt 3")
g = gaps("/slow")
expect(len(by_path["/slow"]) == 2 and g and g[0] >= 1000, "/slow: 429 Retry-After: 1 honoured: %s" % g)
expect(len(by_path["/gone"]) == 1, "/gone: one request, then disabled: %d" % len(by_path["/gone"]))
expect(final["a-3"]["outcome"] == "DISABLED", "/gone outcome DISABLED")
expect(final.get("late-0", {}).get("outcome") == "DEAD_LETTERED", "alert after 410 dead-lettered unsent")
expect(len(by_path["/bad"]) == 1 and final["a-4"]["outcome"] == "DEAD_LETTERED", "/bad: 404 final after one request")
expect(len(by_path["/dead"]) == 4 and final["a-5"]["attempt"] == 4, "/dead: 4 attempts (the budget): %d" % len(by_path["/dead"]))
expect(final["a-5"]["outcome"] == "DEAD_LETTERED" and final["a-5"]["http_status"] == 500, "/dead dead-lettered with HTTP 500")
expect(len(by_path["/hang"]) == 4 and "Timeout" in (final["a-6"]["error"] or ""), "/hang: timed out 4 times: %s" % final["a-6"]["error"])
expect(len(by_path["/close"]) == 3 and final["a-7"]["outcome"] == "DELIVERED", "/close: two closed connections, then delivered")
expect(len(by_path["/brk"]) == 2 and final["a-9"]["attempt"] == 5 and final["a-9"]["error"] == "circuit open",
       "/brk: breaker opened after 2 failures, 3 more attempts failed fast unsent, then dead-lettered: %d requests" % len(by_path["/brk"]))
attempts = collections.Counter(d["alert_id"] for d in main)
expect(attempts["a-5"] == 4 and attempts["a-1"] == 3, "every attempt recorded on duban.deliveries.v1")
safe = [d for d in dl if d["endpoint_id"] == "safe"]
expect(len(safe) == 11 and all(d["outcome"] == "DEAD_LETTERED" and "address refused" in d["error"] for d in safe),
       "without --demo, 127.0.0.1 is refused after resolution (11 dead letters)")
expect("/safe" not in by_path, "nothing reached the receiver from the refusing notifier")
sys.exit(1 if errors else 0)
PY

topic_json duban.dlq.v1 >"$WORK/dlq.jsonl"
python3 - "$WORK/dlq.jsonl" <<'PY' || fail "dead letters"
import json, sys, base64
dlq = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
reasons = [d["reason"] for d in dlq]
ok = (any("endpoint dead: HTTP 500 after 4 attempts" in r for r in reasons)
      and any("endpoint bad: HTTP 404" in r for r in reasons)
      and any("endpoint gone: 410 Gone" in r for r in reasons)
      and any("endpoint gone: disabled" in r for r in reasons)
      and sum("address refused" in r for r in reasons) == 11
      and all(d["original_topic"] == "duban.alerts.v1" for d in dlq)
      and all(base64.b64decode(d["payload"])[0] == 0 for d in dlq))
print("dead letters: %d, reasons e.g. %s" % (len(dlq), reasons[:2]))
sys.exit(0 if ok else 1)
PY

# the json format verifies with the npm reference implementation, per secret
JS="$DUBAN_SRC_DIR/tests/js"
if [ ! -d "$JS/node_modules/standardwebhooks" ]; then
    (cd "$JS" && npm install --no-audit --no-fund >"$WORK/npm.log" 2>&1) || fail "npm install: $(tail -3 "$WORK/npm.log")"
fi
node "$JS/verify.js" "$S1" <"$WORK/recv.jsonl" || fail "standardwebhooks rejected a signature (secret 1)"
node "$JS/verify.js" "$S2" <"$WORK/recv.jsonl" || fail "standardwebhooks rejected a signature (secret 2)"
node "$JS/verify.js" whsec_d3Jvbmctc2VjcmV0 <"$WORK/recv.jsonl" >/dev/null 2>&1 \
    && fail "a wrong secret verified"

# restart: every offset was committed, nothing is sent again
kill "$MAIN_PID" "$SAFE_PID"
wait "$MAIN_PID" || fail "notifier exit status $?"
wait "$SAFE_PID" || fail "refusing notifier exit status $?"
before=$(wc -l <"$WORK/recv.jsonl")
start_notifier notifier2 --demo --routes "$WORK/routes.json"
wait_until 20 grep -q "assigned duban.alerts.v1" "$WORK/notifier2.log" || fail "restart did not join"
# Sentinels behind the old alerts on every partition that holds one: once the
# restarted notifier has delivered them all, it has read past every old
# offset (in order), so anything it was going to re-send has been sent.
ok_before=$(recv_count /ok)
produce_alerts 10 --prefix restart --dept D-ok
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.alerts.v1 --meta --exit-at-end \
    >"$WORK/alerts-meta.jsonl" 2>>"$WORK/replay.log"
python3 - "$WORK/alerts-meta.jsonl" <<'PY' || fail "the sentinels do not cover every partition"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
every = {e["_kafka"]["partition"] for e in events}
sentinel = {e["_kafka"]["partition"] for e in events if e["alert_id"].startswith("restart-")}
sys.exit(0 if every and every <= sentinel else 1)
PY
sentinels_in() { [ "$(recv_count /ok)" -ge $((ok_before + 10)) ]; }
wait_until 30 sentinels_in || fail "restarted notifier did not deliver the sentinels"
after=$(wc -l <"$WORK/recv.jsonl")
[ "$after" -eq $((before + 10)) ] || fail "restarted notifier re-sent $((after - before - 10)) requests"
echo "restart re-sent nothing ($before requests before it, then the 10 sentinels)"
# Stop it while the broker is still up (with the broker gone first, a
# notifier holding delivery records does not finish on SIGTERM).
kill "$NOTIFIER_PID"
wait "$NOTIFIER_PID" || fail "restarted notifier exit status $?"
echo "1 passed, 0 failed"
