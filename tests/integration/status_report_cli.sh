#!/usr/bin/env bash
# duban-status `report`, the operator's CLI, against duban-broker: it
# rebuilds the task's state from the log as the service does and checks the
# transition table before it writes.
#   - a legal change is written once, with the task's real from_status;
#   - an illegal one (ACCEPTED -> COMPLETED), a change without the comment
#     the table wants, a stale --from, and a change for a task the log does
#     not hold are refused with exit 2 naming the current status and the
#     allowed ones, and nothing is written;
#   - --force writes an illegal change anyway and says so on stderr; the
#     next check starts from it (the state follows the log, whoever wrote);
#   - the service, started afterwards, holds the state the CLI checked.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/status.bash"
B=$DUBAN_BIN_DIR
start_broker --partitions 2
DOC='测试发〔2023〕9号'
A="$DOC#A"
status_simple_tasks "$DOC" A B

# report EXPECTED_EXIT ARGS...: runs the CLI; stdout in $WORK/out, stderr in $WORK/err
report() {
    local want=$1 rc=0; shift
    "$B/duban-status" -b "$BOOTSTRAP" report "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
    [ "$rc" = "$want" ] || fail "report $*: exit $rc (want $want): $(cat "$WORK/err" "$WORK/out")"
}
# events TASK: the TaskStatusChanged events of TASK on the topic, as "from>to" lines
events() {
    "$B/duban-replay" -b "$BOOTSTRAP" --topic duban.task-status.v1 --exit-at-end 2>/dev/null |
        python3 -c 'import json,sys
for l in sys.stdin:
    e = json.loads(l)
    if e.get("task_id") == sys.argv[1]: print("%s>%s" % (e["from_status"], e["to_status"]))' "$1"
}
refused_naming() {   # CURRENT ALLOWED...: the refusal names both
    grep -q "report refused" "$WORK/err" || fail "no refusal: $(cat "$WORK/err")"
    grep -q "current status $1" "$WORK/err" || fail "the refusal does not name $1: $(cat "$WORK/err")"
    shift
    grep -q "allowed from it: $*" "$WORK/err" || fail "the refusal does not list '$*': $(cat "$WORK/err")"
}

# legal: ASSIGNED -> ACCEPTED, on the topic once, from_status the real one
report 0 --task "$A" --to ACCEPTED --actor 区卫生健康局 --at 2023-06-02T09:00:00+08:00
grep -q '"event_id":"[0-9a-f]\{64\}","topic":"duban.task-status.v1"' "$WORK/out" || fail "receipt: $(cat "$WORK/out")"
[ "$(events "$A")" = "ASSIGNED>ACCEPTED" ] || fail "after the legal change: $(events "$A")"
echo "ok: a legal change is on the topic once"

# illegal: ACCEPTED -> COMPLETED (only a request approved by a supervisor completes)
report 2 --task "$A" --to COMPLETED --actor 区政府督查室 --at 2023-06-03T09:00:00+08:00
refused_naming ACCEPTED IN_PROGRESS EXTENSION_REQUESTED CANCELLED COMPLETION_REQUESTED
grep -q -- "--force" "$WORK/err" || fail "the refusal does not mention --force"
# the table's needs: CANCELLED wants a comment; a stale --from
report 2 --task "$A" --to CANCELLED --actor 区政府督查室 --at 2023-06-03T09:00:00+08:00
grep -q "comment: required" "$WORK/err" || fail "CANCELLED without comment: $(cat "$WORK/err")"
report 2 --task "$A" --from IN_PROGRESS --to COMPLETION_REQUESTED --comment 完成 \
    --actor 区卫生健康局 --at 2023-06-03T09:00:00+08:00
grep -q "from_status is IN_PROGRESS but the task is ACCEPTED" "$WORK/err" || fail "stale --from: $(cat "$WORK/err")"
# an occurred_at before the task's last change
report 2 --task "$A" --to IN_PROGRESS --actor 区卫生健康局 --at 2023-06-01T09:00:00+08:00
grep -q "occurred_at: before the task's last change" "$WORK/err" || fail "stale --at: $(cat "$WORK/err")"
[ "$(events "$A")" = "ASSIGNED>ACCEPTED" ] || fail "a refused change was written: $(events "$A")"
echo "ok: illegal changes refused (exit 2, current status and allowed named), nothing written"

# unknown task
report 2 --task "$DOC#Z" --to ACCEPTED --actor 区卫生健康局
grep -q "no such task $DOC#Z" "$WORK/err" || fail "unknown task: $(cat "$WORK/err")"
[ -z "$(events "$DOC#Z")" ] || fail "an unknown task's change was written"
echo "ok: an unknown task refused, nothing written"

# --force: written anyway, logged; the next check starts from it
report 0 --force --task "$A" --to COMPLETED --actor 区政府督查室 --at 2023-06-04T09:00:00+08:00
grep -q 'level=warn.*fac=REPORT.*--force.*without the transition check' "$WORK/err" \
    || fail "--force not logged: $(cat "$WORK/err")"
[ "$(events "$A" | tail -n 1)" = "None>COMPLETED" ] || fail "--force: $(events "$A")"
report 2 --task "$A" --to IN_PROGRESS --actor 区卫生健康局 --at 2023-06-05T09:00:00+08:00
refused_naming COMPLETED REOPENED
report 0 --task "$A" --to REOPENED --comment 复查不合格 --actor 区政府督查室 --at 2023-06-05T09:00:00+08:00
[ "$(events "$A" | tr '\n' ' ')" = "ASSIGNED>ACCEPTED None>COMPLETED COMPLETED>REOPENED " ] \
    || fail "after --force: $(events "$A" | tr '\n' ' ')"
echo "ok: --force writes and is logged; the next check starts from the forced status"

# the service rebuilds the same state
TOK=$(status_token supervisor 区政府督查室)
start_status --now 2023-06-20T10:00:00+08:00
curl -s -H "Authorization: Bearer $TOK" "http://$ADDR/v1/tasks/$(enc "$A")" >"$WORK/task.json"
grep -q '"status":"REOPENED"' "$WORK/task.json" || fail "the service's state: $(cat "$WORK/task.json")"
echo "ok: the service holds the state the CLI checked"
echo "PASS"
