#!/usr/bin/env bash
# Issue 16 end to end with a simulated clock: the workflow in duban-status
# drives the reminders. Four tasks due 2023-06-30 (the Dragon Boat Festival:
# Jun 22-24 off, Sun Jun 25 worked), their changes made over HTTP with the
# times they happened (occurred_at):
#   P  completion requested Jun 19, rejected Jun 28: the reminders of the
#      pause (Jun 20, Jun 27) are not sent, the ladder resumes (Jun 30 on);
#   A  completion requested Jun 26, approved Jun 28: nothing after Jun 20;
#   F  assigned to the wrong lead (区某某局), corrected to 区民政局 on Jun 21:
#      the next alert and all after go to 区民政局's endpoint, none to the old;
#   E  extension granted Jun 28 to Jul 31: the ladder restarts on the new date.
# duban-alerter --simulate over the topics must give exactly the alerts
# written below by hand; the alerter service on a running simulated clock
# (Jun 1 -> Aug 1 in a few seconds) sends the same alert ids; duban-notifier
# delivers them to a receiver with one path per department.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
source "$(dirname "$0")/lib/status.bash"
start_broker --partitions 2
DOC='测试发〔2023〕7号'
UNTIL=2023-08-01T09:00:00+08:00

status_simple_tasks "$DOC" P A F:区某某局 E
HL=$(status_token department 区卫生健康局)
MZ=$(status_token department 区民政局)
SUP=$(status_token supervisor 区政府督查室)
start_status --now 2023-08-01T10:00:00+08:00
# post TASK TOKEN JSON [PATH]: a change (or, with PATH=correction, a correction); must be 202
post() {
    local code
    code=$(curl -s -o "$WORK/resp" -w '%{http_code}' -H "Authorization: Bearer $2" -d "$3" \
        "http://$ADDR/v1/tasks/$(enc "$DOC#$1")/${4:-status}")
    [ "$code" = 202 ] || fail "$1 $3: $code $(cat "$WORK/resp")"
}
at() { printf '"occurred_at":"2023-%s:00+08:00"' "$1"; }
post P "$HL" "{\"to_status\":\"ACCEPTED\",$(at 06-02T09:00)}"
post A "$HL" "{\"to_status\":\"ACCEPTED\",$(at 06-02T09:00)}"
post E "$HL" "{\"to_status\":\"ACCEPTED\",$(at 06-02T09:00)}"
post P "$HL" "{\"to_status\":\"COMPLETION_REQUESTED\",\"comment\":\"已完成\",$(at 06-19T10:00)}"
post F "$SUP" "{\"lead_departments\":[\"区民政局\"],\"reason\":\"牵头单位识别有误\",$(at 06-21T10:00)}" correction
post F "$MZ" "{\"to_status\":\"ACCEPTED\",$(at 06-21T11:00)}"
post A "$HL" "{\"to_status\":\"COMPLETION_REQUESTED\",\"comment\":\"已完成\",$(at 06-26T10:00)}"
post E "$HL" "{\"to_status\":\"EXTENSION_REQUESTED\",\"comment\":\"需要更多时间\",$(at 06-26T10:00)}"
post P "$SUP" "{\"to_status\":\"IN_PROGRESS\",\"comment\":\"材料不全，退回\",$(at 06-28T10:00)}"
post A "$SUP" "{\"to_status\":\"COMPLETED\",$(at 06-28T10:00)}"
post E "$SUP" "{\"to_status\":\"EXTENDED\",\"new_due_date\":\"2023-07-31\",$(at 06-28T10:00)}"

# --- the alerts, as a pure function of the log and the clock ---
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.tasks.v1 --topic duban.task-status.v1 \
    --exit-at-end >"$WORK/events.jsonl" 2>"$WORK/replay.log" || fail "replay"
"$DUBAN_BIN_DIR/duban-alerter" --simulate --until "$UNTIL" <"$WORK/events.jsonl" \
    >"$WORK/expected.jsonl" 2>"$WORK/simulate.log" || fail "simulate: $(tail -3 "$WORK/simulate.log")"
python3 - "$WORK/expected.jsonl" "$DOC" <<'PY' || fail "the simulated alerts are not the ones worked out by hand"
import json, sys
doc = sys.argv[2]
got = {}
for l in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(l)
    got.setdefault(a["task_id"].split("#")[1], []).append(
        "%s%s %s %s" % (a["kind"], "/%d" % a["threshold_days"] if a["kind"] == "DUE_SOON" else "",
                        a["fire_at"][:10], a["lead_departments"][0]))
H, M, W = "区卫生健康局", "区民政局", "区某某局"
tail = ["DUE_TODAY 2023-06-30", "OVERDUE 2023-07-03", "ESCALATION 2023-07-10", "ESCALATION 2023-07-17",
        "ESCALATION 2023-07-24", "ESCALATION 2023-07-31"]
want = {
    # paused Jun 19 - Jun 28: DUE_SOON/7 (Jun 20) and /3 (Jun 27) not sent
    "P": ["%s %s" % (t, H) for t in tail],
    # approved Jun 28: only what came before the request
    "A": ["DUE_SOON/7 2023-06-20 " + H],
    # corrected Jun 21: the first alert to the old lead, the rest to the new
    "F": ["DUE_SOON/7 2023-06-20 " + W, "DUE_SOON/3 2023-06-27 " + M] + ["%s %s" % (t, M) for t in tail],
    # extended Jun 28 to Jul 31: the old ladder up to then, a new one on Jul 31
    "E": ["DUE_SOON/7 2023-06-20 " + H, "DUE_SOON/3 2023-06-27 " + H, "DUE_SOON/7 2023-07-20 " + H,
          "DUE_SOON/3 2023-07-26 " + H, "DUE_TODAY 2023-07-31 " + H, "OVERDUE 2023-08-01 " + H],
}
for k in "PAFE":
    if got.get(k, []) != want[k]:
        print("task %s:\n  got  %s\n  want %s" % (k, got.get(k), want[k]))
        sys.exit(1)
print("simulated: %d alerts, as worked out by hand" % sum(len(v) for v in got.values()))
PY

# --- the services: a running simulated clock, Jun 1 -> Aug 1 in about 6 s ---
start_receiver
route() { printf '{"department":"%s","endpoints":["%s"]}' "$1" "$2"; }
ep() { printf '{"id":"%s","url":"%s/%s","format":"json","secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}' "$1" "$RECV" "$1"; }
cat >"$WORK/routes.json" <<JSON
{"endpoints":[$(ep hl),$(ep mz),$(ep wrong),$(ep office)],
 "routes":[$(route 区卫生健康局 hl),$(route 区民政局 mz),$(route 区某某局 wrong)],
 "default":["office"]}
JSON
start_notifier notifier --demo --routes "$WORK/routes.json"
ORIGIN=$(($(date +%s%3N) + 1000))
bg "$DUBAN_BIN_DIR/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --set alerter.tick.ms=50 \
    --set alerter.late.after.ms=86400000 --now 2023-06-01T00:00:00+08:00 --speed 1000000 \
    --clock-origin "$ORIGIN" --until "$UNTIL" 2>"$WORK/alerter.log"
want=$(wc -l <"$WORK/expected.jsonl")
alerts() { "$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.alerts.v1 --exit-at-end 2>/dev/null; }
enough_alerts() { [ "$(alerts | wc -l)" -ge "$want" ]; }
wait_until 60 enough_alerts || fail "the alerter sent $(alerts | wc -l) of $want alerts"
alerts >"$WORK/alerts.jsonl"
python3 - "$WORK/expected.jsonl" "$WORK/alerts.jsonl" <<'PY' || fail "the service's alerts differ from the simulation"
import json, sys
ids = lambda p: sorted(json.loads(l)["alert_id"] for l in open(p, encoding="utf-8"))
assert ids(sys.argv[1]) == ids(sys.argv[2]), (len(ids(sys.argv[1])), len(ids(sys.argv[2])))
PY
# every alert reaches each of its departments' endpoints
delivered() { [ -f "$WORK/recv.jsonl" ] && grep -c . "$WORK/recv.jsonl" || echo 0; }
pairs=$(python3 - "$WORK/expected.jsonl" <<'PY'
import json, sys
ep = {"区卫生健康局": "hl", "区民政局": "mz", "区某某局": "wrong"}
print(sum(len({ep.get(d, "office") for d in json.loads(l)["departments"]}) for l in open(sys.argv[1], encoding="utf-8")))
PY
)
all_delivered() { [ "$(delivered)" -ge "$pairs" ]; }
wait_until 60 all_delivered || fail "delivered $(delivered) of $pairs"
python3 - "$WORK/recv.jsonl" "$DOC" <<'PY' || fail "a correction did not move the alerts to the new lead's endpoint"
import json, sys
doc = sys.argv[2]
by_path = {}
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    a = json.loads(r["body"])["data"]
    by_path.setdefault(r["path"], []).append((a["task_id"].split("#")[1], a["kind"], a["fire_at"][:10]))
f_wrong = sorted(x for x in by_path.get("/wrong", []) if x[0] == "F")
f_mz = sorted(x for x in by_path.get("/mz", []) if x[0] == "F")
assert f_wrong == [("F", "DUE_SOON", "2023-06-20")], f_wrong
assert len(f_mz) == 7 and ("F", "DUE_SOON", "2023-06-27") in f_mz and all(x[2] >= "2023-06-27" for x in f_mz), f_mz
hl = {x[0] for x in by_path.get("/hl", [])}
assert hl == {"P", "A", "E"}, hl
print("F: 1 alert to the old lead's endpoint, then %d to 区民政局's" % len(f_mz))
PY
stop_notifier
echo "1 passed, 0 failed"
