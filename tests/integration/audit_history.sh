#!/usr/bin/env bash
# Issue 14 acceptance, duban-audit on a scripted history: the three gazettes
# through duban-ingest, scripted status changes (COMPLETED, EXTENDED) and a
# supervisor's correction, duban-alerter on a simulated clock, duban-notifier
# delivering to a duban-receiver that fails the first requests of one
# endpoint (retried, then delivered). Then:
#   timeline  shows, for chosen tasks, the story the topics hold: assigned
#             with the gazette's file and line, the correction and status
#             changes with who made them, every alert, every delivery attempt
#             with endpoint and HTTP status, in time order (checked against
#             the topics read independently);
#   verify    passes on the history; on copies of the topics with one alert
#             removed, one delivery delayed, or one alert sent late and
#             twice, it reports exactly that (and how late) and exits 1;
#   digest    gives the same digest for the same range and for a faithful
#             copy; --check passes, and catches one changed message.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
B=$DUBAN_BIN_DIR
GAZ=${DUBAN_SHARED_DIR:?}/gazettes
START=2021-12-15T00:00:00+08:00
UNTIL=2022-01-15T00:00:00+08:00
SPEED=129600             # 1.5 simulated days per second: the month takes ~21 s
LATE_MS=86400000         # alerter.late.after.ms: a day (a tick is 50 ms = 1.8 h here)
ALERTER_SET=(--set alerter.tick.ms=50 --set alerter.late.after.ms=$LATE_MS)

start_broker --partitions 4
start_receiver --rule '/eco=500*6'
cat >"$WORK/routes.json" <<JSON
{"endpoints":[$(json_endpoint office),
              $(json_endpoint eco ',"retry":{"max_attempts":8,"base_ms":100,"max_ms":400},"breaker":{"failures":100}')],
 "routes":[{"department":"市生态环境局大武口分局","endpoints":["eco"]}],
 "default":["office"]}
JSON

# ---- the history ----
"$B/duban-ingest" --dry-run "$GAZ"/*.txt >"$WORK/ingest.jsonl" 2>"$WORK/ingest.err"
"$B/duban-ingest" -b "$BOOTSTRAP" "$GAZ"/*.txt >/dev/null 2>>"$WORK/ingest.err" \
    || fail "ingest: $(tail -3 "$WORK/ingest.err")"
# Three tasks of 石大政办发〔2021〕58号 due 2021-12-31 (first by task id): A is
# completed, B extended, C re-issued by a supervisor with another lead.
python3 - "$WORK/ingest.jsonl" "$WORK" <<'PY' || fail "choosing tasks"
import json, sys
work = sys.argv[2]
tasks = sorted((e for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
                if e["type"] == "TaskAssigned" and e["doc_id"] == "石大政办发〔2021〕58号"
                and e["due_date"] == "2021-12-31" and e["lead_departments"]),
               key=lambda e: e["task_id"])
a, b, c = tasks[0], tasks[1], tasks[2]
for name, t in (("A", a), ("B", b), ("C", c)):
    open("%s/task%s" % (work, name), "w", encoding="utf-8").write(t["task_id"])
    json.dump(t, open("%s/task%s.json" % (work, name), "w", encoding="utf-8"), ensure_ascii=False)
c = dict(c)
c["occurred_at"] = "2021-12-16T10:00:00+08:00"
c["lead_departments"] = ["市生态环境局大武口分局"]
c["correction"] = {"author": "区政府督查室", "reason": "牵头单位更正"}
c["content_sha256"] = "c" * 64
c["event_id"] = "correction-" + c["task_id"]
open(work + "/correction.jsonl", "w", encoding="utf-8").write(json.dumps(c, ensure_ascii=False) + "\n")
PY
TASK_A=$(cat "$WORK/taskA"); TASK_B=$(cat "$WORK/taskB"); TASK_C=$(cat "$WORK/taskC")
"$B/duban-produce-json" -b "$BOOTSTRAP" "$WORK/correction.jsonl" 2>>"$WORK/produce.log" \
    || fail "correction: $(tail -3 "$WORK/produce.log")"
"$B/duban-status" -b "$BOOTSTRAP" report --force --task "$TASK_A" --from IN_PROGRESS --to COMPLETED \
    --actor 区卫健局 --comment 已完成 --at 2021-12-29T10:00:00+08:00 >/dev/null 2>>"$WORK/status.log" \
    || fail "status A: $(tail -3 "$WORK/status.log")"
"$B/duban-status" -b "$BOOTSTRAP" report --force --task "$TASK_B" --from EXTENSION_REQUESTED \
    --to EXTENDED --new-due-date 2022-01-10 --actor 区政府督查室 --comment 同意延期 \
    --at 2021-12-29T15:00:00+08:00 >/dev/null 2>>"$WORK/status.log" \
    || fail "status B: $(tail -3 "$WORK/status.log")"

# The alerter's clock reads START 8 s after launch (joining takes ~3 s), then
# runs at SPEED up to UNTIL; verify is given the same clock.
ORIGIN=$(( $(date +%s%3N) + 8000 ))
CLOCK=(--now "$START" --speed "$SPEED" --clock-origin "$ORIGIN")
bg "$B/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" "${CLOCK[@]}" --until "$UNTIL" \
    "${ALERTER_SET[@]}" 2>"$WORK/alerter.log"
start_notifier notifier --demo --routes "$WORK/routes.json"

# Done when the clock is past UNTIL and every (alert, routed endpoint) pair
# of the window has a final outcome (computed here from the topics).
clock_done() { [ "$(date +%s%3N)" -gt $(( ORIGIN + 31 * 86400000 / SPEED + 2000 )) ]; }
wait_until 90 clock_done || fail "clock"
all_final() {
    topic_json duban.alerts.v1 >"$WORK/alerts.jsonl"
    topic_json duban.deliveries.v1 >"$WORK/deliveries.jsonl"
    python3 - "$WORK/alerts.jsonl" "$WORK/deliveries.jsonl" <<'PY'
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
final = {(d["alert_id"], d["endpoint_id"]) for d in map(json.loads, open(sys.argv[2], encoding="utf-8"))
         if d["outcome"] != "RETRYING"}
want = set()
for a in alerts:
    eps = {"eco" if d == "市生态环境局大武口分局" else "office" for d in a["departments"]} or {"office"}
    want |= {(a["alert_id"], e) for e in eps}
sys.exit(0 if alerts and want <= final else 1)
PY
}
wait_until 120 all_final || fail "deliveries not final: $(tail -3 "$WORK/notifier.log")"
stop_notifier
grep -q '"/eco"' "$WORK/recv.jsonl" || fail "the eco endpoint got nothing"
"$B/duban-replay" -b "$BOOTSTRAP" --meta --exit-at-end \
    --topic duban.tasks.v1 --topic duban.task-status.v1 --topic duban.alerts.v1 \
    --topic duban.deliveries.v1 >"$WORK/all-meta.jsonl" 2>>"$WORK/replay.log"
echo "history: $(wc -l <"$WORK/alerts.jsonl") alerts, $(wc -l <"$WORK/deliveries.jsonl") delivery attempts"

# ---- timeline ----
for t in A B C; do
    id=$(cat "$WORK/task$t")
    "$B/duban-audit" timeline -b "$BOOTSTRAP" --json "$id" >"$WORK/timeline$t.jsonl" \
        2>"$WORK/timeline$t.err" || fail "timeline $t: $(cat "$WORK/timeline$t.err")"
    "$B/duban-audit" timeline -b "$BOOTSTRAP" "$id" >"$WORK/timeline$t.txt" 2>/dev/null \
        || fail "timeline $t (table)"
done
python3 - "$WORK" <<'PY' || fail "timeline"
import json, sys
w = sys.argv[1]
alerts = [json.loads(l) for l in open(w + "/alerts.jsonl", encoding="utf-8")]
dels = [json.loads(l) for l in open(w + "/deliveries.jsonl", encoding="utf-8")]
errors = []
def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond: errors.append(what)
for t in "ABC":
    task = json.load(open("%s/task%s.json" % (w, t), encoding="utf-8"))
    rows = [json.loads(l) for l in open("%s/timeline%s.jsonl" % (w, t), encoding="utf-8")]
    text = open("%s/timeline%s.txt" % (w, t), encoding="utf-8").read()
    events = [r["event"] for r in rows]
    ats = [r["at"] for r in rows]
    # ISO-8601 with the same +08:00 offset sort as text within one timeline
    expect(ats == sorted(ats), "%s: rows in time order" % t)
    assigned = [r for r in rows if r["event"] == "assigned"]
    src = task["source"]
    expect(len(assigned) == 1 and ("gazette %s line %d" % (src["file"], src["line"])) in assigned[0]["detail"],
           "%s: assigned once, with gazette file and line %s:%d" % (t, src["file"], src["line"]))
    expect(("%s line %d" % (src["file"], src["line"])) in text, "%s: the table shows file and line" % t)
    expect(events[0] == "published", "%s: the document's publication first" % t)
    mine = sorted(a["alert_id"] for a in alerts if a["task_id"] == task["task_id"])
    shown = sorted(r["record"]["alert_id"] for r in rows if r["event"].startswith("alert "))
    expect(mine and shown == mine, "%s: every alert of the task (%d)" % (t, len(mine)))
    att = sorted((d["alert_id"], d["endpoint_id"], d["attempt"], d["http_status"], d["outcome"]) for d in dels if d["alert_id"] in mine)
    got = sorted((r["record"]["alert_id"], r["record"]["endpoint_id"], r["record"]["attempt"],
                  r["record"]["http_status"], r["record"]["outcome"]) for r in rows if r["event"].startswith("delivery "))
    expect(att and got == att, "%s: every delivery attempt with endpoint and HTTP status (%d)" % (t, len(att)))
    for r in rows:
        if r["event"].startswith("delivery "):
            expect(r["record"]["endpoint_id"] in r["who"] and ("HTTP %d" % r["record"]["http_status"]) in r["detail"],
                   "%s: a delivery row names endpoint and HTTP status" % t)
            break
a_rows = [json.loads(l) for l in open(w + "/timelineA.jsonl", encoding="utf-8")]
done = [r for r in a_rows if r["event"] == "IN_PROGRESS→COMPLETED"]
expect(len(done) == 1 and done[0]["who"] == "区卫健局" and "已完成" in done[0]["detail"],
       "A: the completion, with who and comment")
expect(not any(r["event"].startswith("alert ") and r["at"] > done[0]["at"] for r in a_rows),
       "A: no alert after the completion")
b_rows = [json.loads(l) for l in open(w + "/timelineB.jsonl", encoding="utf-8")]
ext = [r for r in b_rows if r["event"] == "EXTENSION_REQUESTED→EXTENDED"]
expect(len(ext) == 1 and ext[0]["who"] == "区政府督查室" and "2022-01-10" in ext[0]["detail"],
       "B: the extension, with who and the new due date")
due = {r["record"]["due_date"] for r in b_rows if r["event"].startswith("alert ")}
expect(due == {"2021-12-31", "2022-01-10"}, "B: alerts for the old due date, then the new one: %s" % sorted(due))
c_rows = [json.loads(l) for l in open(w + "/timelineC.jsonl", encoding="utf-8")]
corr = [r for r in c_rows if r["event"] == "corrected"]
expect(len(corr) == 1 and "区政府督查室" in corr[0]["detail"] and "牵头单位更正" in corr[0]["detail"]
       and corr[0]["who"].startswith("市生态环境局大武口分局"), "C: the correction, by whom and why, new lead")
expect(any(r["event"].startswith("delivery ") and r["record"]["endpoint_id"] == "eco" for r in c_rows),
       "C: after the correction its alerts go to the new lead's endpoint (eco)")
sys.exit(1 if errors else 0)
PY
"$B/duban-audit" timeline -b "$BOOTSTRAP" 'no-such-doc〔2099〕1号' >/dev/null 2>&1 \
    && fail "timeline of an unknown id exits 0"

# ---- verify ----
VERIFY=("$B/duban-audit" verify -b "$BOOTSTRAP" --since "$START" --until "$UNTIL" "${CLOCK[@]}"
        "${ALERTER_SET[@]}" --routes "$WORK/routes.json" --json)
"${VERIFY[@]}" >"$WORK/verify.jsonl" 2>"$WORK/verify.err" \
    || { head -20 "$WORK/verify.jsonl"; fail "verify failed on the history"; }
python3 - "$WORK/verify.jsonl" "$WORK/alerts.jsonl" "$START" "$UNTIL" <<'PY' || fail "verify summary"
import json, sys, datetime
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
p = lambda s: datetime.datetime.fromisoformat(s)
n = sum(1 for a in map(json.loads, open(sys.argv[2], encoding="utf-8"))
        if p(sys.argv[3]) <= p(a["fire_at"]) <= p(sys.argv[4]))
s = rows[-1]["summary"]
print(s)
sys.exit(0 if len(rows) == 1 and n > 100 and ("%d alerts expected, %d recorded" % (n, n)) in s else 1)
PY

"${VERIFY[@]}" --topic-prefix nothing. >/dev/null 2>&1 && fail "verify passed on empty topics"

# copy_topics PREFIX FILTER: the four topics copied to PREFIX<topic>, partition,
# key and timestamp kept, each event passed through the python FILTER (a
# function body over `e`, returning a list of events).
copy_topics() {
    python3 - "$WORK/all-meta.jsonl" "$2" "$WORK" <<'PY' || fail "copy filter"
import json, sys, datetime
ns = {"json": json, "datetime": datetime}
exec("def f(e):\n" + "\n".join("    " + l for l in sys.argv[2].splitlines()), ns)
out = {}
for line in open(sys.argv[1], encoding="utf-8"):
    for e in ns["f"](json.loads(line)):
        t = e["_kafka"]["topic"]
        if t not in out: out[t] = open("%s/copy-%s.jsonl" % (sys.argv[3], t), "w", encoding="utf-8")
        out[t].write(json.dumps(e, ensure_ascii=False) + "\n")
PY
    local t
    for t in duban.tasks.v1 duban.task-status.v1 duban.alerts.v1 duban.deliveries.v1; do
        "$B/duban-produce-json" -b "$BOOTSTRAP" --keep-meta --topic "$1$t" "$WORK/copy-$t.jsonl" \
            2>>"$WORK/produce.log" || fail "copy $t: $(tail -3 "$WORK/produce.log")"
    done
}
# pick: an alert of the window with one DELIVERED attempt on eco, and one on office
python3 - "$WORK/alerts.jsonl" "$WORK/deliveries.jsonl" "$START" "$WORK" <<'PY' || fail "picking alerts"
import json, sys, datetime
p = lambda s: datetime.datetime.fromisoformat(s)
alerts = [a for a in map(json.loads, open(sys.argv[1], encoding="utf-8")) if p(a["fire_at"]) > p(sys.argv[3])]
ok = {}
for d in map(json.loads, open(sys.argv[2], encoding="utf-8")):
    if d["outcome"] == "DELIVERED": ok.setdefault(d["alert_id"], []).append(d["endpoint_id"])
eco = sorted(a["alert_id"] for a in alerts if ok.get(a["alert_id"]) == ["eco"])
office = sorted(a["alert_id"] for a in alerts if ok.get(a["alert_id"]) == ["office"])
open(sys.argv[4] + "/gone", "w").write(eco[0])
open(sys.argv[4] + "/delayed", "w").write(office[0])
open(sys.argv[4] + "/twice", "w").write(office[1])
PY
GONE=$(cat "$WORK/gone"); DELAYED=$(cat "$WORK/delayed"); TWICE=$(cat "$WORK/twice")

# only_problems FILE PROBLEM:ALERT[:ENDPOINT]...: exactly these problems.
only_problems() {
    local file=$1; shift
    python3 - "$file" "$@" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
got = sorted("%s:%s%s" % (r["problem"], r["alert_id"], ":" + r["endpoint"] if r.get("endpoint") else "")
             for r in rows if "problem" in r)
want = sorted(sys.argv[2:])
for r in rows: print("  ", json.dumps(r, ensure_ascii=False)[:300])
sys.exit(0 if got == want else 1)
PY
}

copy_topics copy1. "
if e['type'] == 'DeadlineAlert' and e['alert_id'] == '$GONE': return []
return [e]"
"${VERIFY[@]}" --topic-prefix copy1. >"$WORK/verify1.jsonl" 2>>"$WORK/verify.err" \
    && fail "verify passed with an alert removed"
only_problems "$WORK/verify1.jsonl" "MISSING:$GONE" || fail "verify did not report exactly the missing alert"

copy_topics copy2. "
if e['type'] == 'DeliveryAttempt' and e['alert_id'] == '$DELAYED' and e['outcome'] == 'DELIVERED':
    t = datetime.datetime.fromisoformat(e['occurred_at']) + datetime.timedelta(hours=2)
    e['occurred_at'] = t.isoformat(timespec='milliseconds')
    e['_kafka']['timestamp'] = e['occurred_at']
return [e]"
"${VERIFY[@]}" --topic-prefix copy2. >"$WORK/verify2.jsonl" 2>>"$WORK/verify.err" \
    && fail "verify passed with a delivery delayed"
only_problems "$WORK/verify2.jsonl" "DELIVERY-LATE:$DELAYED:office" \
    || fail "verify did not report exactly the delayed delivery"
python3 - "$WORK/verify2.jsonl" <<'PY' || fail "the delay is not measured"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if '"problem"' in l][0]
print("  delayed by %.1f s" % (r["by_ms"] / 1000))
sys.exit(0 if 7200000 <= r["by_ms"] <= 7200000 + 60000 and "2h 0m" in r["detail"] else 1)
PY

# one alert sent 4 s later on the wall clock (6 simulated days), another twice
copy_topics copy3. "
if e['type'] == 'DeadlineAlert' and e['alert_id'] == '$DELAYED':
    t = datetime.datetime.fromisoformat(e['_kafka']['timestamp']) + datetime.timedelta(seconds=4)
    e['_kafka']['timestamp'] = t.isoformat(timespec='milliseconds')
if e['type'] == 'DeadlineAlert' and e['alert_id'] == '$TWICE': return [e, e]
return [e]"
"${VERIFY[@]}" --topic-prefix copy3. >"$WORK/verify3.jsonl" 2>>"$WORK/verify.err" \
    && fail "verify passed with a late and a duplicated alert"
only_problems "$WORK/verify3.jsonl" "LATE:$DELAYED" "DUPLICATED:$TWICE" \
    || fail "verify did not report exactly the late and the duplicated alert"
python3 - "$WORK/verify3.jsonl" "$SPEED" "$LATE_MS" <<'PY' || fail "lateness not measured on the alerter's clock"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if '"LATE"' in l][0]
print("  late by %.2f simulated days" % (r["by_ms"] / 86400000))
sys.exit(0 if 4000 * int(sys.argv[2]) <= r["by_ms"] <= 4000 * int(sys.argv[2]) + int(sys.argv[3]) else 1)
PY

# ---- digest ----
"$B/duban-audit" digest -b "$BOOTSTRAP" >"$WORK/digest1.txt" 2>>"$WORK/digest.err" || fail "digest"
"$B/duban-audit" digest -b "$BOOTSTRAP" >"$WORK/digest2.txt" 2>>"$WORK/digest.err" || fail "digest again"
cmp <(grep -v '^#' "$WORK/digest1.txt") <(grep -v '^#' "$WORK/digest2.txt") \
    || fail "the same range gave another digest"
[ "$(grep -vc '^#' "$WORK/digest1.txt")" -eq 24 ] || fail "digest: not 6 topics x 4 partitions"
"$B/duban-audit" digest -b "$BOOTSTRAP" --check "$WORK/digest1.txt" >"$WORK/check0.txt" \
    2>>"$WORK/digest.err" || { cat "$WORK/check0.txt"; fail "digest --check failed on the same log"; }
grep -F duban.alerts.v1 "$WORK/digest1.txt" >"$WORK/digest-alerts.txt"
# copy2 changed a delivery only: its alerts are a faithful copy
"$B/duban-audit" digest -b "$BOOTSTRAP" --topic-prefix copy2. --check "$WORK/digest-alerts.txt" \
    >"$WORK/check2.txt" 2>>"$WORK/digest.err" || { cat "$WORK/check2.txt"; fail "a faithful copy of the alerts does not check"; }
copy_topics copy4. "
if e['type'] == 'DeadlineAlert' and e['alert_id'] == '$TWICE': e['days_left'] += 1
return [e]"
"$B/duban-audit" digest -b "$BOOTSTRAP" --topic-prefix copy4. --check "$WORK/digest-alerts.txt" \
    >"$WORK/check4.txt" 2>>"$WORK/digest.err" && fail "digest --check missed a changed message"
cat "$WORK/check4.txt"
part=$(python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(l)
    if e["type"] == "DeadlineAlert" and e["alert_id"] == sys.argv[2]: print(e["_kafka"]["partition"])' \
    "$WORK/all-meta.jsonl" "$TWICE")
[ "$(grep -c '^DIFFERS' "$WORK/check4.txt")" -eq 1 ] && grep -q "^DIFFERS	duban.alerts.v1	$part	" "$WORK/check4.txt" \
    || fail "digest --check: not exactly the changed message's partition ($part)"
echo "1 passed, 0 failed"
