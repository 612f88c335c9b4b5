#!/usr/bin/env bash
# Issue 14 item 6: what a user trips on in duban-replay's command line.
#   - an unreachable broker: exit non-zero with a message naming the broker,
#     within the 10 s metadata wait, and at SIGTERM within 2 s (with and
#     without --group);
#   - --topic nope.v1: exit 1 naming the topic, and the topic is not created
#     (with and without --group);
#   - --max-messages abc / -5 / 0 and --log-level loud: usage errors (exit 2)
#     naming the option; --max-messages 3 still prints exactly 3 events.
source "$(dirname "$0")/lib/common.bash"
R="$DUBAN_BIN_DIR/duban-replay"
start_broker --partitions 2
python3 "$DUBAN_SRC_DIR/tests/integration/gen_events.py" 5 TaskStatusChanged >"$WORK/ev.jsonl"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/ev.jsonl" 2>/dev/null || fail "produce"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# a port nothing listens on
DEAD=127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for mode in "" "--group g-dead"; do
    t0=$(date +%s%N)
    rc=0
    "$R" -b "$DEAD" $mode --exit-at-end >"$WORK/out" 2>"$WORK/err" || rc=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$rc" -ne 0 ] || fail "unreachable broker ($mode): exit 0"
    grep -v '^%' "$WORK/err" | grep 'fac=SETUP' | grep -q "no answer from the broker at $DEAD" \
        || fail "unreachable broker ($mode): no message naming $DEAD: $(grep SETUP "$WORK/err")"
    [ "$ms" -lt 25000 ] || fail "unreachable broker ($mode): took $ms ms (the wait is 10 s)"
    [ ! -s "$WORK/out" ] || fail "unreachable broker ($mode): printed something"
    ok "unreachable broker${mode:+ ($mode)}: exit $rc after $ms ms, message names $DEAD"

    "$R" -b "$DEAD" $mode >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    # TERM once the client is up and being refused (it waits for the broker)
    wait_until 30 grep -q 'Connection refused' "$WORK/err" \
        || fail "no connection attempt logged ($mode) in 30 s"
    t0=$(date +%s%N)
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$ms" -lt 2000 ] || fail "SIGTERM ($mode): took $ms ms"
    [ "$rc" -ne 0 ] || fail "SIGTERM before any answer ($mode): exit 0"
    grep -q 'fac=SETUP.*interrupted' "$WORK/err" \
        || fail "SIGTERM ($mode): not the broker wait that ended: $(grep fac= "$WORK/err")"
    ok "unreachable broker${mode:+ ($mode)}: SIGTERM honoured in $ms ms (exit $rc)"
done

for mode in "" "--group g-nope"; do
    rc=0
    "$R" -b "$BOOTSTRAP" --topic nope.v1 $mode --exit-at-end "${GROUP_OPTS[@]}" >"$WORK/out" \
        2>"$WORK/err" || rc=$?
    [ "$rc" = 1 ] || fail "--topic nope.v1 ($mode): exit $rc, want 1"
    grep -q 'no topic nope.v1 on the cluster' "$WORK/err" || fail "--topic nope.v1: $(cat "$WORK/err")"
    if kcat -L -b "$BOOTSTRAP" 2>/dev/null | grep -q 'topic "nope.v1"'; then
        fail "--topic nope.v1 ($mode) created the topic"
    fi
    ok "--topic nope.v1${mode:+ ($mode)}: exit 1, named, not created"
done
kcat -L -b "$BOOTSTRAP" 2>/dev/null | grep -q 'topic "duban.task-status.v1"' \
    || fail "kcat -L does not list duban's topics: the check above proves nothing"

for args in "--max-messages abc" "--max-messages -5" "--max-messages 0" "--max-messages 3x" \
            "--log-level loud"; do
    rc=0
    "$R" -b "$BOOTSTRAP" --exit-at-end $args >"$WORK/out" 2>"$WORK/err" || rc=$?
    opt=${args%% *}
    [ "$rc" = 2 ] || fail "$args: exit $rc, want 2"
    grep -q -- "$opt ${args#* }" "$WORK/err" || fail "$args: message does not name it: $(cat "$WORK/err")"
    [ ! -s "$WORK/out" ] || fail "$args: printed events"
    ok "$args: usage error (exit 2): $(head -1 "$WORK/err")"
done
"$R" -b "$BOOTSTRAP" --exit-at-end --topic duban.task-status.v1 --max-messages 3 >"$WORK/out" \
    2>/dev/null || fail "--max-messages 3"
[ "$(wc -l <"$WORK/out")" = 3 ] || fail "--max-messages 3 printed $(wc -l <"$WORK/out")"
ok "--max-messages 3 prints 3 events"
echo "$passed passed, 0 failed"
