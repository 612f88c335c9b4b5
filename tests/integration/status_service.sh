#!/usr/bin/env bash
# duban-status end to end: the HTTP intake (bearer auth on) and the CLI
# against duban-broker. Valid reports are answered 202 only once delivered;
# invalid, unauthorized, wrong-path and wrong-method requests get 400 (naming
# the field) / 401 / 404 / 405 and produce nothing; with the broker down a
# report gets 503 (HTTP) or exit 1 (CLI) and is not counted as accepted.
# Reading duban.task-status.v1 back must give exactly the accepted events,
# keyed by task_id, with the event_ids the service answered.
source "$(dirname "$0")/lib/common.bash"
start_broker --partitions 4
STATUS="$DUBAN_BIN_DIR/duban-status"
TOKEN=tok-$RANDOM$RANDOM
ACCEPTED="$WORK/accepted.tsv"   # event_id, task_id, to_status per accepted report
: >"$ACCEPTED"

bg "$STATUS" -b "$BOOTSTRAP" serve --listen 127.0.0.1:0 \
    --set "status.auth.tokens=other-token, $TOKEN" --set status.delivery.timeout.ms=1000 \
    >"$WORK/serve.out" 2>"$WORK/serve.log"
SERVE_PID=$!
for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
ADDR=$(head -n 1 "$WORK/serve.out")
[[ "$ADDR" =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "first stdout line is not HOST:PORT: '$ADDR' $(cat "$WORK/serve.log")"

# Percent-encodes every byte (the server decodes the path before routing).
enc() {
    local hex out="" i
    hex=$(printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n')
    for ((i = 0; i < ${#hex}; i += 2)); do out+="%${hex:i:2}"; done
    printf '%s' "$out"
}
# req METHOD PATH BODY [TOKEN]: sets CODE and writes the answer to $WORK/resp.
req() {
    local auth=()
    [ -n "${4:-}" ] && auth=(-H "Authorization: Bearer $4")
    CODE=$(curl -s -o "$WORK/resp" -w '%{http_code}' -X "$1" "${auth[@]}" \
        -H 'Content-Type: application/json' --data-binary "$3" "http://$ADDR$2")
}
declare -A ENC=()
post() {
    [ -n "${ENC[$1]:-}" ] || ENC[$1]=$(enc "$1")
    req POST "/v1/tasks/${ENC[$1]}/status" "$2" "${3-$TOKEN}"
}
# accepted TASK TO: the answer is a 202 with an event_id; remember it.
# (grep, not python: each python start costs a second on a loaded machine)
accepted() {
    [ "$CODE" = 202 ] || fail "$1 -> $2: wanted 202, got $CODE $(cat "$WORK/resp")"
    grep -q '"topic":"duban.task-status.v1"' "$WORK/resp" || fail "202 without the topic: $(cat "$WORK/resp")"
    local id
    id=$(grep -o '"event_id":"[0-9a-f]\{64\}"' "$WORK/resp" | cut -d'"' -f4)
    [ -n "$id" ] || fail "202 without an event_id: $(cat "$WORK/resp")"
    printf '%s\t%s\t%s\n' "$id" "$1" "$2" >>"$ACCEPTED"
}
# rejected CODE FIELD: the answer has that status, an error and names FIELD ("" = none).
rejected() {
    [ "$CODE" = "$1" ] || fail "wanted $1, got $CODE $(cat "$WORK/resp")"
    grep -q '"error":"[^"]' "$WORK/resp" || fail "no error message: $(cat "$WORK/resp")"
    if [ -n "$2" ]; then
        grep -q "\"field\":\"$2\"" "$WORK/resp" || fail "answer does not name field $2: $(cat "$WORK/resp")"
    else
        grep -q '"field"' "$WORK/resp" && fail "answer names a field: $(cat "$WORK/resp")"
    fi
    return 0
}

T1='石大政发〔2022〕56号#二.(一).3'
T2='石大政发〔2022〕56号#三.(二)/2'
T3='石大党办发〔2022〕68号#四.(一).3.(9)'

req GET /healthz ""
[ "$CODE" = 200 ] || fail "healthz: $CODE"

# --- accepted over HTTP ---
post "$T1" '{"to_status":"ACCEPTED","from_status":"ASSIGNED","actor":"区卫健局","unknown":[1,{"x":2}]}'
accepted "$T1" ACCEPTED
post "$T2" '{"to_status":"EXTENDED","from_status":"EXTENSION_REQUESTED","new_due_date":"2023-09-30","actor":"区政府督查室","comment":"同意延期。","occurred_at":"2023-06-30T09:00:00+08:00"}'
accepted "$T2" EXTENDED
# The event_id is the documented content hash.
want=$(printf '%s\x1f%s\x1f%s\x1f%s' "$T2" EXTENDED 2023-06-30T09:00:00+08:00 区政府督查室 | sha256sum | cut -c1-64)
grep -q "^$want" "$ACCEPTED" || fail "event_id of the EXTENDED report is not sha256(task_id, to_status, occurred_at, actor)"
# Ten at once (one thread per connection, each waiting for its own delivery).
pids=()
T3_ENC=$(enc "$T3")
for i in $(seq 10); do
    curl -s -o "$WORK/par.$i" -w '%{http_code}' -X POST -H "Authorization: Bearer other-token" \
        --data-binary "{\"to_status\":\"IN_PROGRESS\",\"actor\":\"区教育局\",\"comment\":\"第$i次\",\"occurred_at\":\"$(printf 2023-07-%02d "$i")T10:00:00+08:00\"}" \
        "http://$ADDR/v1/tasks/$T3_ENC/status" >"$WORK/par.$i.code" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for i in $(seq 10); do
    CODE=$(cat "$WORK/par.$i.code")
    cp "$WORK/par.$i" "$WORK/resp"
    accepted "$T3" IN_PROGRESS
done

# --- refused over HTTP: nothing of these may reach the topic ---
post "$T1" '{"to_status":"COMPLETED","actor":"区卫健局"}' ""
rejected 401 ""
post "$T1" '{"to_status":"COMPLETED","actor":"区卫健局"}' "wrong-$TOKEN"
rejected 401 ""
post "$T1" '{"to_status":"DONE","actor":"区卫健局"}'
rejected 400 to_status
post "$T1" '{"to_status":"EXTENDED","actor":"区卫健局"}'
rejected 400 new_due_date
post "$T1" '{"to_status":"EXTENDED","new_due_date":"2023-02-29","actor":"区卫健局"}'
rejected 400 new_due_date
post "$T1" '{"to_status":"COMPLETED","from_status":"FINISHED","actor":"区卫健局"}'
rejected 400 from_status
post "$T1" '{"to_status":"COMPLETED"}'
rejected 400 actor
post "$T1" '{"to_status":"COMPLETED","actor":"区卫健局","occurred_at":"last week"}'
rejected 400 occurred_at
post "$T1" 'to_status=COMPLETED&actor=x'
rejected 400 body
{ printf '{"to_status":"COMPLETED","actor":"a","pad":"'; head -c 70000 /dev/zero | tr '\0' x; printf '"}'; } >"$WORK/big.json"
post "$T1" "@$WORK/big.json"
rejected 400 body
post "no-outline-path" '{"to_status":"COMPLETED","actor":"区卫健局"}'
rejected 400 task_id
req GET "/v1/tasks/$(enc "$T1")/status" "" "$TOKEN"
rejected 405 ""
req PUT "/v1/tasks/$(enc "$T1")/status" '{"to_status":"COMPLETED","actor":"a"}' "$TOKEN"
rejected 405 ""
req POST "/v1/tasks/$(enc "$T1")" '{"to_status":"COMPLETED","actor":"a"}' "$TOKEN"
rejected 404 ""
req POST /v1/status '{"to_status":"COMPLETED","actor":"a"}' "$TOKEN"
rejected 404 ""

# --- the CLI ---
out=$("$STATUS" -b "@$WORK/bootstrap" report --task "$T1" --from ACCEPTED --to COMPLETED \
    --actor 区卫健局 --comment 已完成 --at 2023-08-01T16:00:00+08:00) || fail "CLI report failed"
echo "$out" >"$WORK/resp"
CODE=202 accepted "$T1" COMPLETED
# --dry-run prints the event and produces nothing.
dry=$("$STATUS" -b "$BOOTSTRAP" report --dry-run --task "$T1" --to REOPENED --actor 区卫健局)
case "$dry" in
    '{"type":"TaskStatusChanged","event_id":"'*'"source":{"file":"cli:区卫健局","line":0,"offset":-1}'*'"to_status":"REOPENED"'*) ;;
    *) fail "--dry-run output: $dry" ;;
esac
# Invalid: exit 2, message names the field, nothing produced.
set +e
"$STATUS" -b "$BOOTSTRAP" report --task "$T1" --to EXTENDED --actor 区卫健局 2>"$WORK/cli.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "CLI EXTENDED without a date: exit $rc, wanted 2"
grep -q 'new_due_date' "$WORK/cli.err" || fail "CLI error does not name new_due_date: $(cat "$WORK/cli.err")"

# --- the broker down: 503 / exit 1, and nothing counted ---
broker_cmd down -1
post "$T1" '{"to_status":"CANCELLED","actor":"区卫健局","comment":"broker down"}'
[ "$CODE" = 503 ] || fail "broker down: wanted 503, got $CODE $(cat "$WORK/resp")"
grep -q '"error":"not delivered to duban.task-status.v1: .*"event_id":"[0-9a-f]\{64\}"' "$WORK/resp" \
    || fail "503 does not say why or which event_id: $(cat "$WORK/resp")"
set +e
"$STATUS" -b "$BOOTSTRAP" --set status.delivery.timeout.ms=1000 report --task "$T1" \
    --to CANCELLED --actor 区卫健局 --comment "cli, broker down" >/dev/null 2>"$WORK/cli.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "CLI with the broker down: exit $rc, wanted 1"
broker_cmd up -1
# The service recovers once the broker is back.
post "$T2" '{"to_status":"COMPLETED","from_status":"EXTENDED","actor":"区政府督查室"}'
accepted "$T2" COMPLETED
req GET /healthz ""
[ "$CODE" = 200 ] || fail "healthz after the outage: $CODE $(cat "$WORK/resp")"

# --- exactly the accepted events are on the topic, keyed by task_id ---
"$DUBAN_BIN_DIR/duban-replay" -b "@$WORK/bootstrap" --topic duban.task-status.v1 --exit-at-end --meta \
    >"$WORK/topic.jsonl" 2>"$WORK/replay.log" || fail "replay: $(cat "$WORK/replay.log")"
python3 - "$ACCEPTED" "$WORK/topic.jsonl" <<'PY' || fail "topic does not hold exactly the accepted events"
import json, sys, collections
acc = [dict(zip(("event_id", "task_id", "to_status"), l.rstrip("\n").split("\t")))
       for l in open(sys.argv[1], encoding="utf-8")]
got = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
print("accepted %d, on the topic %d" % (len(acc), len(got)))
assert len(acc) == 14, len(acc)
want = collections.Counter(a["event_id"] for a in acc)
have = collections.Counter(e["event_id"] for e in got)
assert want == have, (want - have, have - want)
by_id = {a["event_id"]: a for a in acc}
parts = {}
for e in got:
    a = by_id[e["event_id"]]
    assert e["type"] == "TaskStatusChanged" and e["schema_version"] == 1, e
    assert e["task_id"] == a["task_id"] and e["to_status"] == a["to_status"], (e, a)
    assert e["_kafka"]["key"] == e["task_id"], e
    assert e["_kafka"]["topic"] == "duban.task-status.v1", e
    assert e["source"]["line"] == 0 and e["source"]["offset"] == -1, e
    chan = "cli" if e["comment"] == "已完成" else "http"
    assert e["source"]["file"] == chan + ":" + e["actor"], e
    assert (e["new_due_date"] is not None) == (e["to_status"] == "EXTENDED"), e
    assert "broker down" not in (e["comment"] or ""), e
    parts.setdefault(e["task_id"], set()).add(e["_kafka"]["partition"])
# one task, one partition (ordering per task)
assert all(len(p) == 1 for p in parts.values()), parts
ext = [e for e in got if e["to_status"] == "EXTENDED"][0]
assert ext["new_due_date"] == "2023-09-30" and ext["occurred_at"] == "2023-06-30T09:00:00+08:00", ext
assert ext["from_status"] == "EXTENSION_REQUESTED" and ext["comment"] == "同意延期。", ext
PY
# SIGTERM: a clean shutdown (exit 0; under ASan also no leaks), no token logged.
kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
[ "$rc" = 0 ] || fail "duban-status serve exit status $rc after SIGTERM: $(tail -5 "$WORK/serve.log")"
grep -q "$TOKEN" "$WORK/serve.log" && fail "the bearer token was logged"
echo "1 passed, 0 failed"
