#!/usr/bin/env bash
# duban-status against what an attacker tried on the intake (issue 16), over
# raw sockets (status_hardening.py): slowloris from one address does not
# starve another and is cut at the header deadline; a trickled body is cut
# at the body deadline; ambiguous framing is refused and the connection
# closed (no smuggled request served); an unauthenticated upload gets its
# 401 before any 100 Continue and is not read; bad bodies, headers and paths
# are refused with the right status. Then: nothing of it reached Kafka, the
# service is healthy, and the raw bytes of a URL reached the log escaped.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/status.bash"
start_broker --partitions 2
TOKEN=$(status_token department 区卫生健康局)
start_status --set status.http.max.connections=64 --set status.http.max.connections.per.address=8 \
    --set status.http.header.timeout.ms=1500 --set status.http.body.timeout.ms=1500 \
    --set status.http.idle.timeout.s=30
python3 "$DUBAN_SRC_DIR/tests/integration/status_hardening.py" "$ADDR" "$TOKEN" \
    '%E6%B5%8B%E8%AF%95%23%E4%B8%80' || fail "hardening checks: $(tail -3 "$WORK/serve.log")"

"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.task-status.v1 --topic duban.tasks.v1 \
    --exit-at-end >"$WORK/topic.jsonl" 2>"$WORK/replay.log" || fail "replay: $(cat "$WORK/replay.log")"
[ ! -s "$WORK/topic.jsonl" ] || fail "events reached Kafka: $(head -2 "$WORK/topic.jsonl")"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/healthz")" = 200 ] || fail "not healthy at the end"
LC_ALL=C grep -q $'\xff' "$WORK/serve.log" && fail "raw bytes of a URL in the log"
grep -q '\\xff\\u0001\\u001b\[31m' "$WORK/serve.log" || fail "the URL's bytes are not in the log, escaped"
grep -q 'headers not complete after 1500 ms' "$WORK/serve.log" || fail "no header-deadline line in the log"
grep -q "$TOKEN" "$WORK/serve.log" && fail "the token was logged"
echo "1 passed, 0 failed"
