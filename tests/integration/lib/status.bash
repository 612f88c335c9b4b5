# tests/integration/lib/status.bash: helpers for the duban-status tests.
# Source after common.bash (and start_broker).

# start_status [OPTIONS...]: duban-status serve on 127.0.0.1:0 with the
# token file $WORK/tokens.jsonl and OPTIONS (e.g. --now, --set), stderr
# appended to $WORK/serve.log; returns once /healthz answers 200. Sets ADDR
# and SERVE_PID.
start_status() {
    : >"$WORK/serve.out"
    bg "$DUBAN_BIN_DIR/duban-status" -b "$BOOTSTRAP" --tokens "$WORK/tokens.jsonl" \
        serve --listen 127.0.0.1:0 "$@" >"$WORK/serve.out" 2>>"$WORK/serve.log"
    SERVE_PID=$!
    local i
    for i in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
    ADDR=$(head -n 1 "$WORK/serve.out")
    [[ "$ADDR" =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "first stdout line is not HOST:PORT: '$ADDR' $(tail -3 "$WORK/serve.log")"
    for i in $(seq 150); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/healthz")" = 200 ] && return 0
        sleep 0.1
    done
    fail "healthz never 200: $(curl -s "http://$ADDR/healthz")"
}

# status_token ROLE NAME: `token add` into $WORK/tokens.jsonl; prints the token.
status_token() {
    "$DUBAN_BIN_DIR/duban-status" --tokens "$WORK/tokens.jsonl" token add "--$1" "$2" \
        2>>"$WORK/token.err" || fail "token add $2: $(cat "$WORK/token.err")"
}

# enc TEXT: TEXT percent-encoded, every byte that is not unreserved.
enc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$1"; }

# status_simple_tasks DOC NAME[:LEAD]...: one TaskAssigned per NAME (task
# DOC#NAME, led by LEAD or 区卫生健康局, due 2023-06-30) onto duban.tasks.v1
# ($WORK/tasks.jsonl).
status_simple_tasks() {
    python3 - "$@" >"$WORK/tasks.jsonl" <<'PY'
import json, sys
doc = sys.argv[1]
for arg in sys.argv[2:]:
    n, _, lead = arg.partition(":")
    lead = lead or "区卫生健康局"
    print(json.dumps({"type": "TaskAssigned", "event_id": "ev-" + n, "occurred_at": "2023-06-01T00:00:00+08:00",
        "schema_version": 1, "task_id": doc + "#" + n, "doc_id": doc, "outline_path": n, "text": "任务" + n,
        "lead_units": [lead], "cooperating_units": [], "lead_departments": [lead],
        "cooperating_departments": [], "deadline_text": "6月30日前", "due_date": "2023-06-30",
        "deadline_kind": "DATED", "recurrence": None, "milestones": [], "content_sha256": "c-" + n,
        "doc_title": "测试文件", "issuers": ["区政府办公室"], "review": [], "correction": None,
        "source": {"file": "t.txt", "line": 1, "offset": 0}}, ensure_ascii=False))
PY
    "$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/tasks.jsonl" 2>"$WORK/produce.log" \
        || fail "produce: $(cat "$WORK/produce.log")"
}
