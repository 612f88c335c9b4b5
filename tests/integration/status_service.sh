#!/usr/bin/env bash
# duban-status end to end over real HTTP against duban-broker:
#   - tokens: `token add` prints a token the file never holds, `token list`,
#     `token revoke` (the running server refuses it within a second);
#   - the workflow (status_workflow.py): every edge of the transition table
#     taken, every other (from, to, role) refused with 403/409 (allowed
#     named), comments and due dates required, every permission rule, the
#     read API and its filters, a correction, Idempotency-Key, bad bodies
#     and odd paths;
#   - the broker down: a write gets 503 within status.delivery.timeout.ms
#     and healthz says the broker is unreachable; both recover with it;
#   - the topics hold exactly the events answered 202 (keyed by task_id);
#   - a restart rebuilds the state and answers a retried key again;
#   - the CLI `report` still produces; SIGTERM exits 0; no token is logged.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/status.bash"
start_broker --partitions 4
STATUS="$DUBAN_BIN_DIR/duban-status"
PY="$DUBAN_SRC_DIR/tests/integration/status_workflow.py"
TOKENS="$WORK/tokens.jsonl"

python3 "$PY" tasks "$WORK" >"$WORK/tasks.jsonl"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/tasks.jsonl" 2>"$WORK/produce.log" \
    || fail "produce tasks: $(tail -3 "$WORK/produce.log")"

# --- tokens ---
declare -A TOK=()
add_token() {   # add_token ROLE NAME
    TOK[$2]=$(status_token "$1" "$2")
    [[ "${TOK[$2]}" =~ ^dbn_[0-9a-f]{48}$ ]] || fail "token add printed '${TOK[$2]}'"
}
add_token department 区卫生健康局
add_token department 区财政局
add_token department 区民政局
add_token supervisor 区政府督查室
add_token department 区统计局
for name in "${!TOK[@]}"; do
    grep -q "${TOK[$name]#dbn_}" "$TOKENS" && fail "the token file holds a token itself"
done
[ "$("$STATUS" --tokens "$TOKENS" token list | wc -l)" = 5 ] || fail "token list: $("$STATUS" --tokens "$TOKENS" token list)"
python3 -c 'import json,sys; json.dump(dict(a.split("=",1) for a in sys.argv[2:]), open(sys.argv[1],"w"), ensure_ascii=False)' \
    "$WORK/tokens.json" $(for n in "${!TOK[@]}"; do printf '%s=%s ' "$n" "${TOK[$n]}"; done)
set +e
"$STATUS" -b "$BOOTSTRAP" serve --listen 127.0.0.1:0 2>"$WORK/notokens.err"
rc=$?
"$STATUS" -b "$BOOTSTRAP" --tokens "$TOKENS" --set status.auth.tokens=x serve 2>"$WORK/legacy.err"
rc2=$?
set -e
[ "$rc" = 2 ] && grep -q 'status.tokens.file' "$WORK/notokens.err" || fail "serve without a token file: exit $rc"
[ "$rc2" = 2 ] && grep -q 'status.auth.tokens' "$WORK/legacy.err" || fail "serve with status.auth.tokens: exit $rc2"

start_status --now 2023-06-20T10:00:00+08:00 --set status.delivery.timeout.ms=2000

# --- the workflow, rights, reads, corrections, idempotency, bad input ---
python3 "$PY" main "$WORK" || fail "workflow checks failed"

# --- revocation: the running server refuses the token within a second ---
T_READ=$(enc '测试发〔2023〕9号#读.1')
get_code() { curl -s -o "$WORK/resp" -w '%{http_code}' -H "Authorization: Bearer $1" "http://$ADDR$2"; }
[ "$(get_code "${TOK[区统计局]}" /v1/overview)" = 200 ] || fail "a fresh token: $(cat "$WORK/resp")"
id=$("$STATUS" --tokens "$TOKENS" token list | awk -F'\t' '$3 == "区统计局" {print $1}')
"$STATUS" --tokens "$TOKENS" token revoke "$id" 2>>"$WORK/token.err" || fail "token revoke"
# refused within a second (the server rechecks the token file): poll for it
t0=$(date +%s%3N)
until [ "$(get_code "${TOK[区统计局]}" /v1/overview)" = 401 ]; do
    [ $(($(date +%s%3N) - t0)) -lt 1000 ] || fail "a revoked token: $(cat "$WORK/resp")"
    sleep 0.05
done
grep -q 'revoked' "$WORK/resp" || fail "401 does not say revoked: $(cat "$WORK/resp")"
"$STATUS" --tokens "$TOKENS" token list | grep -q "区统计局.*20" || fail "token list after revoke"

# --- the broker down: 503 in time, healthz says why; then recovery ---
broker_cmd down -1
t0=$(date +%s%N)
code=$(curl -s -o "$WORK/resp" -w '%{http_code}' -H "Authorization: Bearer ${TOK[区卫生健康局]}" \
    -d '{"to_status":"IN_PROGRESS","comment":"broker down"}' "http://$ADDR/v1/tasks/$T_READ/status")
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$code" = 503 ] || fail "broker down: wanted 503, got $code $(cat "$WORK/resp")"
grep -q '"event_id":"[0-9a-f]\{64\}"' "$WORK/resp" || fail "503 without the event_id: $(cat "$WORK/resp")"
[ "$ms" -lt 3500 ] || fail "the 503 came after $ms ms (status.delivery.timeout.ms=2000)"
echo "503 after $ms ms"
code=$(curl -s -o "$WORK/resp" -w '%{http_code}' "http://$ADDR/healthz")
[ "$code" = 503 ] && grep -q 'broker unreachable' "$WORK/resp" || fail "healthz with the broker down: $code $(cat "$WORK/resp")"
broker_cmd up -1
healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/healthz")" = 200 ]; }
wait_until 10 healthy || fail "healthz did not recover"
code=$(curl -s -o "$WORK/resp" -w '%{http_code}' -H "Authorization: Bearer ${TOK[区卫生健康局]}" \
    -d '{"to_status":"IN_PROGRESS","comment":"恢复后"}' "http://$ADDR/v1/tasks/$T_READ/status")
[ "$code" = 202 ] || fail "after the outage: $code $(cat "$WORK/resp")"
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(json.dumps({"event_id":a["event_id"],"topic":a["topic"],"task_id":sys.argv[2],"to_status":"IN_PROGRESS"},ensure_ascii=False))' \
    "$WORK/resp" '测试发〔2023〕9号#读.1' >>"$WORK/accepted.jsonl"

# --- the CLI report (a legal change: the service applies it in log order) ---
out=$("$STATUS" -b "@$WORK/bootstrap" report --task '测试发〔2023〕9号#读.1' --to IN_PROGRESS \
    --actor 区卫生健康局 --comment 命令行 --at 2023-06-20T10:30:00+08:00) || fail "CLI report failed"
python3 -c 'import json,sys; a=json.loads(sys.argv[1]); print(json.dumps({"event_id":a["event_id"],"topic":a["topic"],"task_id":"测试发〔2023〕9号#读.1","to_status":"IN_PROGRESS"},ensure_ascii=False))' \
    "$out" >>"$WORK/accepted.jsonl"
dry=$("$STATUS" -b "$BOOTSTRAP" report --dry-run --task 'a#1' --to COMPLETION_REQUESTED --actor 区卫生健康局)
case "$dry" in *'"to_status":"COMPLETION_REQUESTED"'*) ;; *) fail "--dry-run: $dry" ;; esac

# --- the topics hold exactly the accepted events ---
"$DUBAN_BIN_DIR/duban-replay" -b "@$WORK/bootstrap" --topic duban.task-status.v1 --topic duban.tasks.v1 \
    --exit-at-end --meta >"$WORK/topic.jsonl" 2>"$WORK/replay.log" || fail "replay: $(cat "$WORK/replay.log")"
python3 - "$WORK/accepted.jsonl" "$WORK/topic.jsonl" "$WORK/tasks.jsonl" <<'PY' || fail "the topics do not hold exactly the accepted events"
import json, sys, collections
acc = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
got = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
ingested = {json.loads(l)["event_id"] for l in open(sys.argv[3], encoding="utf-8")}
got = [e for e in got if e["event_id"] not in ingested]
print("accepted %d, on the topics %d" % (len(acc), len(got)))
want = collections.Counter((a["event_id"], a["topic"]) for a in acc)
have = collections.Counter((e["event_id"], e["_kafka"]["topic"]) for e in got)
assert want == have, (list(want - have)[:5], list(have - want)[:5])
by_id = {a["event_id"]: a for a in acc}
parts = {}
for e in got:
    a = by_id[e["event_id"]]
    assert e["task_id"] == a["task_id"] and e["_kafka"]["key"] == e["task_id"], e
    if e["type"] == "TaskStatusChanged":
        assert e["to_status"] == a["to_status"] and e["from_status"] is not None or e["source"]["file"].startswith("cli:"), e
        assert "broker down" not in (e["comment"] or ""), e
    else:
        assert e["correction"]["author"] == "区政府督查室", e
    parts.setdefault(e["task_id"], set()).add(e["_kafka"]["partition"])
assert all(len(p) == 1 for p in parts.values()), parts
PY

# --- a restart: the state is rebuilt, a retried key answered as before ---
kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
[ "$rc" = 0 ] || fail "duban-status serve exit status $rc after SIGTERM: $(tail -5 "$WORK/serve.log")"
start_status --now 2023-06-20T10:00:00+08:00 --set status.delivery.timeout.ms=2000
python3 "$PY" restart "$WORK" || fail "state or idempotency lost in the restart"
grep -q 'task state rebuilt' "$WORK/serve.log" || fail "no rebuild line in the log"
for name in "${!TOK[@]}"; do
    grep -q "${TOK[$name]}" "$WORK/serve.log" && fail "a bearer token was logged"
done
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "exit status after the second SIGTERM"
echo "1 passed, 0 failed"
