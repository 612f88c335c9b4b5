# tests/integration/lib/common.bash: shared set-up for integration tests.
# Source it; it gives a scratch dir ($WORK), starts/stops duban-broker, and
# cleans up every process started through `bg` on exit.
# With DUBAN_REAL_KAFKA_DIR set (the CTest label `realkafka`), start_broker
# uses the real Kafka cluster the fixture started there instead (REAL_KAFKA=1):
# duban's topics are deleted and created again with the same partition count,
# and broker_cmd (the mock's fault injection) is not available.
set -euo pipefail
: "${DUBAN_BIN_DIR:?run through ctest (DUBAN_BIN_DIR unset)}"
: "${DUBAN_SRC_DIR:=$(pwd)}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/duban-test.XXXXXX")
BG_PIDS=()
# The mock broker's rebalances take session.timeout.ms - 1 s: keep it short.
GROUP_OPTS=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=1000)

# cleanup (on exit): SIGTERM to what bg started, newest first, so that the
# clients go before the broker they drain into (started first); each gets
# STOP_WAIT seconds to exit. One that does not is killed and named, and the
# test fails: a program that ignores SIGTERM is a defect, not a CTest timeout.
STOP_WAIT=${STOP_WAIT:-30}
cleanup() {
    local hung=0 i pid end
    for ((i = ${#BG_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${BG_PIDS[i]}
        kill "$pid" 2>/dev/null || continue
        end=$((SECONDS + STOP_WAIT))
        while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "FAIL: still running ${STOP_WAIT} s after SIGTERM, killed:" \
                 "$(ps -o args= -p "$pid" | cut -c1-100)" >&2
            kill -KILL "$pid" 2>/dev/null
            hung=1
        fi
        wait "$pid" 2>/dev/null || true
    done
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
    [ "$hung" = 0 ] || exit 1
}
trap cleanup EXIT

bg() { "$@" & BG_PIDS+=($!); }

fail() { echo "FAIL: $*" >&2; exit 1; }

# wait_until SECONDS CMD...: runs CMD every 0.5 s until it succeeds; returns 1
# when SECONDS pass first. Tests wait on a condition this way (an offset, a log
# line, a file, an HTTP answer), then `|| fail "what did not happen"`; never
# on a fixed sleep that hopes the thing happened.
wait_until() {
    local limit=$1; shift
    local end=$((SECONDS + limit))
    until "$@"; do
        [ "$SECONDS" -lt "$end" ] || return 1
        sleep 0.5
    done
}

# count_is N CMD...: true when CMD prints N. For wait_until, which runs it on
# every try: an argument "$(CMD)" would be read once, before the first.
count_is() { local want=$1; shift; [ "$("$@")" -eq "$want" ]; }

# clock_past MS: returns once the wall clock (epoch ms) is past MS, so that
# whatever is stamped from then on is strictly later (a condition on the
# clock, not a sleep that hopes it ticked). ms_iso MS: MS as UTC ISO-8601.
clock_past() { while [ "$(date +%s%3N)" -le "$1" ]; do :; done; }
ms_iso() { date -u -d "@$(($1 / 1000)).$(printf %03d $(($1 % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ; }

REAL_KAFKA=0
[ -z "${DUBAN_REAL_KAFKA_DIR:-}" ] || REAL_KAFKA=1

# start_real_kafka [--partitions N ...]: fresh topics on the fixture's cluster.
start_real_kafka() {
    local partitions=4
    while [ $# -gt 0 ]; do
        case $1 in --partitions) partitions=$2; shift 2 ;; *) shift ;; esac
    done
    BOOTSTRAP=$(bash "$DUBAN_SRC_DIR/tests/integration/lib/realkafka.sh" reset "$partitions" \
                2>"$WORK/broker.log") || fail "real Kafka: $(tail -5 "$WORK/broker.log")"
    echo "$BOOTSTRAP" >"$WORK/bootstrap"
    BROKER_CTL=""
}

# start_broker [extra args]: sets BOOTSTRAP and BROKER_CTL.
start_broker() {
    if [ "$REAL_KAFKA" = 1 ]; then start_real_kafka "$@"; return; fi
    BROKER_CTL="$WORK/broker.ctl"
    bg "$DUBAN_BIN_DIR/duban-broker" --bootstrap-file "$WORK/bootstrap" \
        --control "$BROKER_CTL" "$@" >"$WORK/broker.out" 2>"$WORK/broker.log"
    local i
    for i in $(seq 100); do [ -s "$WORK/bootstrap" ] && [ -p "$BROKER_CTL" ] && break; sleep 0.1; done
    [ -s "$WORK/bootstrap" ] || fail "duban-broker did not start: $(cat "$WORK/broker.log")"
    BOOTSTRAP=$(cat "$WORK/bootstrap")
}

# broker_cmd "down 1": sends a control command and waits for its answer.
broker_cmd() {
    [ "$REAL_KAFKA" = 0 ] || fail "broker_cmd '$*' needs duban-broker (mock fault injection)"
    local before
    before=$(wc -l <"$WORK/broker.out")
    echo "$*" >"$BROKER_CTL"
    local i
    for i in $(seq 50); do
        [ "$(wc -l <"$WORK/broker.out")" -gt "$before" ] && break
        sleep 0.1
    done
    tail -n 1 "$WORK/broker.out" | grep -q '^ok' || fail "broker command '$*': $(tail -n 1 "$WORK/broker.out")"
}

# The CPython that has Debian's python3-* packages (python3-avro).
DEBIAN_PYTHON=/usr/bin/python3
