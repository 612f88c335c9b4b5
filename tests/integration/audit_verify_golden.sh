#!/usr/bin/env bash
# No change in what duban-audit verify reports: on a history with problems
# of every kind, its whole output (the problem lines and the summary, as
# text and as --json, with --routes and without, the whole history and a
# window) must equal tests/fixtures/audit_verify/, recorded from main's
# build before verify stopped building a JSON object per alert and read
# alerts and delivery attempts straight from the Avro bytes (issue 14).
# The history: 200 tasks and status changes (gen_verify_history.py), the
# alerts `duban-alerter --simulate` fires for them up to 2023-08-31, one
# DELIVERED attempt per (alert, routed endpoint) pair, then changed:
#   MISSING        3 alerts removed (two with their attempts: the pairs of
#                  the third still count in the summary)
#   DUPLICATED     2 alerts recorded twice
#   LATE           2 alerts sent 2 h after fire_at; one marked late=true
#   DIFFERS        one alert with days_left + 1, one with another department
#   UNEXPECTED     an alert the rules do not fire (another alert_id)
#   UNDELIVERED    3 alerts with no attempt; one whose attempts end
#                  DEAD_LETTERED (HTTP 500) after a RETRYING one; one pair of
#                  a two-endpoint alert without its attempt
#   DELIVERY-LATE  one first DELIVERED attempt 2 h after the alert was sent
# Every message's time is given (--keep-meta), so the output is the same
# from run to run. With --record the expected files are rewritten from
# this build instead (after an intended change; say why in the commit).
source "$(dirname "$0")/lib/common.bash"
B=$DUBAN_BIN_DIR
FIX=$DUBAN_SRC_DIR/tests/fixtures/audit_verify
GEN=$DUBAN_SRC_DIR/tests/integration/gen_verify_history.py
UNTIL=2023-08-31T23:00:00+08:00

start_broker --partitions 4
python3 "$GEN" routes "$WORK/routes.json"
python3 "$GEN" tasks "$WORK" 200 >/dev/null || fail "tasks"
"$B/duban-alerter" --simulate --until "$UNTIL" <"$WORK/tasks.jsonl" >"$WORK/alerts.jsonl" \
    2>"$WORK/simulate.log" || fail "simulate: $(tail -3 "$WORK/simulate.log")"
python3 "$GEN" rest "$WORK" 0 "$WORK/routes.json" >/dev/null || fail "history"

# The problems, chosen by sorted alert_id so that every run picks the same.
python3 - "$WORK" <<'PY' || fail "changing the history"
import json, sys, datetime
w = sys.argv[1]
alerts = [json.loads(l) for l in open(w + "/alerts-meta.jsonl", encoding="utf-8")]
dels = [json.loads(l) for l in open(w + "/deliveries.jsonl", encoding="utf-8")]
by_alert = {}
for d in dels:
    by_alert.setdefault(d["alert_id"], []).append(d)
ids = sorted(a["alert_id"] for a in alerts)
pairs2 = sorted(i for i in ids if len(by_alert.get(i, [])) == 2)
single = [i for i in ids if len(by_alert.get(i, [])) == 1]
missing, twice, late, flagged = single[0:3], single[3:5], single[5:7], single[7]
days, depts, unexpected = single[8], single[9], single[10]
no_attempt, dead, half, delayed = single[11:14], single[14], pairs2[0], single[15]
def shift(iso, hours):
    t = datetime.datetime.fromisoformat(iso) + datetime.timedelta(hours=hours)
    return t.isoformat(timespec="milliseconds")
out_a = []
for a in alerts:
    i = a["alert_id"]
    if i in missing:
        continue
    if i in late:
        a["_kafka"]["timestamp"] = shift(a["fire_at"], 2)
    if i == flagged:
        a["late"] = True
    if i == days:
        a["days_left"] += 1
    if i == depts:
        a["departments"] = a["departments"] + ["区审计局"]
    out_a.append(a)
    if i in twice:
        out_a.append(a)
    if i == unexpected:
        b = dict(a, alert_id="f" * 32, event_id="f" * 32)
        out_a.append(b)
out_d = []
for d in dels:
    i = d["alert_id"]
    if i in missing[1:] or i in no_attempt:
        continue
    if i == half and d["endpoint_id"] == by_alert[i][1]["endpoint_id"]:
        continue
    if i == dead:
        for k, (outcome, http) in enumerate((("RETRYING", 500), ("DEAD_LETTERED", 500))):
            out_d.append(dict(d, attempt=k + 1, outcome=outcome, http_status=http,
                              error="HTTP %d" % http, event_id="dead%d" % k + i[5:]))
        continue
    if i == delayed:
        d["occurred_at"] = shift(d["occurred_at"], 2)
    out_d.append(d)
with open(w + "/alerts-changed.jsonl", "w", encoding="utf-8") as f:
    for a in out_a:
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
with open(w + "/deliveries-changed.jsonl", "w", encoding="utf-8") as f:
    for d in out_d:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
for f in tasks alerts-changed deliveries-changed; do
    "$B/duban-produce-json" -b "$BOOTSTRAP" --keep-meta "$WORK/$f.jsonl" 2>>"$WORK/produce.log" \
        || fail "produce $f: $(tail -3 "$WORK/produce.log")"
done

# run NAME ARGS...: verify's stdout into $WORK/NAME; it must exit 1 (problems).
run() {
    local name=$1 rc=0; shift
    "$B/duban-audit" verify -b "$BOOTSTRAP" --until "$UNTIL" "$@" >"$WORK/$name" \
        2>>"$WORK/verify.err" || rc=$?
    [ "$rc" -eq 1 ] || fail "verify $name exited $rc, not 1: $(tail -3 "$WORK/verify.err")"
}
run routes.txt --routes "$WORK/routes.json"
run routes.jsonl --routes "$WORK/routes.json" --json
run window.txt --since 2023-03-01T00:00:00+08:00 --until 2023-07-15T00:00:00+08:00
run window.jsonl --since 2023-03-01T00:00:00+08:00 --until 2023-07-15T00:00:00+08:00 --json
names=(routes.txt routes.jsonl window.txt window.jsonl)

if [ "${1:-}" = "--record" ]; then
    mkdir -p "$FIX"
    for n in "${names[@]}"; do cp "$WORK/$n" "$FIX/$n"; done
    echo "recorded into $FIX: $(wc -l "${names[@]/#/$FIX/}" | tail -1)"
    exit 0
fi
bad=0
for n in "${names[@]}"; do
    if cmp -s "$FIX/$n" "$WORK/$n"; then
        echo "ok   $n ($(wc -l <"$WORK/$n") lines)"
    else
        echo "DIFF $n:"; diff "$FIX/$n" "$WORK/$n" | head -20; bad=1
    fi
done
[ "$bad" -eq 0 ] || fail "verify's output changed"
# every kind of problem is in the expected output
for p in MISSING UNEXPECTED DIFFERS DUPLICATED LATE UNDELIVERED DELIVERY-LATE; do
    grep -q "^$p " "$FIX/routes.txt" || fail "no $p in $FIX/routes.txt"
done
echo "1 passed, 0 failed"
