# tests/integration/lib/notifier.bash: helpers for the duban-notifier tests.
# Source after common.bash.

# start_receiver [args]: a duban-receiver logging to $WORK/recv.jsonl; sets RECV.
start_receiver() {
    bg "$DUBAN_BIN_DIR/duban-receiver" --port-file "$WORK/recv.url" --log "$WORK/recv.jsonl" \
        "$@" >"$WORK/recv.out" 2>"$WORK/recv.err"
    local i
    for i in $(seq 50); do [ -s "$WORK/recv.url" ] && break; sleep 0.1; done
    [ -s "$WORK/recv.url" ] || fail "duban-receiver did not start: $(cat "$WORK/recv.err")"
    RECV=$(cat "$WORK/recv.url")
}

# start_notifier NAME [args]: a duban-notifier in the background, log in
# $WORK/NAME.log; sets NOTIFIER_PID.
start_notifier() {
    local name=$1; shift
    "$DUBAN_BIN_DIR/duban-notifier" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" \
        --set notifier.commit.interval.ms=200 "$@" 2>"$WORK/$name.log" &
    NOTIFIER_PID=$!
    BG_PIDS+=("$NOTIFIER_PID")
}

stop_notifier() {
    kill "$NOTIFIER_PID" 2>/dev/null || true
    wait "$NOTIFIER_PID" 2>/dev/null || true
}

# produce_alerts ARGS...: notifier_alerts.py ARGS | duban-produce-json.
produce_alerts() {
    python3 "$DUBAN_SRC_DIR/tests/integration/notifier_alerts.py" "$@" \
        | "$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" 2>>"$WORK/produce.log" \
        || fail "produce: $(tail -3 "$WORK/produce.log")"
}

# topic_json TOPIC: the topic's events as JSON Lines on stdout.
topic_json() {
    "$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic "$1" --from-beginning \
        --exit-at-end 2>>"$WORK/replay.log"
}

# recv_count PATH: requests the receiver logged for PATH.
recv_count() {
    [ -f "$WORK/recv.jsonl" ] || { echo 0; return; }
    python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if l.strip() and json.loads(l)["path"] == sys.argv[2]))' \
        "$WORK/recv.jsonl" "$1"
}

# json_endpoint ID [EXTRA]: a routes-file endpoint "ID" of format json at
# $RECV/ID, signed with a test secret; EXTRA (',"timeout_ms":600' ...) is
# added inside the object.
json_endpoint() {
    printf '{"id":"%s","url":"%s/%s","format":"json","secrets":["%s"]%s}' \
        "$1" "$RECV" "$1" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw "${2:-}"
}

# stats_settled LOG MARK: a STATS line written after line MARK of LOG says
# no alert is open and nothing is queued, so every alert the notifier had
# read by then has its final outcome (take MARK once the alert is known to
# have been read). STATS comes every 5 s: wait_until 15 on it.
stats_settled() {
    tail -n +"$(($2 + 1))" "$1" | grep 'fac=STATS' | grep -q 'open_alerts=0 queued=0'
}
