# tests/integration/lib/faults.bash: the realkafka-faults tests' common part.
# Source after common.bash and notifier.bash. It gives a three-node Apache
# Kafka cluster (scripts/kafka.sh, RF 3, min.insync.replicas=2) in $WORK,
# the pipeline under test (duban-ingest over the gazettes again and again,
# duban-alerter on a simulated clock, duban-notifier delivering every alert
# to two endpoints of duban-receiver), what --simulate expects, and the
# final count by webhook-id.
# Clean-up: at exit, whatever happened, every client gets SIGTERM and, after
# 20 s, SIGKILL; then every Kafka node gets SIGKILL; then any process left
# whose command line names $WORK (every client is given -b @$WORK/bootstrap)
# is killed. A watchdog ends the test (and so cleans up) before CTest's
# timeout would kill the shell alone and leave the JVMs (they run in their
# own sessions) behind.
KAFKA="$DUBAN_SRC_DIR/scripts/kafka.sh"
KDIR=$WORK/kafka
GAZ=${DUBAN_SHARED_DIR:?}/gazettes
GAZETTES=("$GAZ"/000_55122fd70aed731a.txt "$GAZ"/001_695d6e90fcff097e.txt "$GAZ"/002_0222121a82854d09.txt)
NOW=2021-07-01T00:00:00+08:00
UNTIL=2023-07-01T09:00:00+08:00
SPEED=${DUBAN_FAULT_SPEED:-1500000}   # simulated ms per wall ms: ~42 s for the two years
FAULT_LIMIT=${DUBAN_FAULT_LIMIT:-780} # s; CTest's TIMEOUT for the label is 900
STOP_GRACE=${DUBAN_FAULT_STOP_GRACE:-20}
INGEST_PID_FILE=$WORK/ingest.pid

# stop_pid PID NAME [SECONDS]: SIGTERM, SIGKILL after SECONDS (STOP_GRACE).
# Appends "NAME exit STATUS after MS ms" or "NAME SIGKILL after MS ms" to
# $WORK/stops; returns 0 only when it exited by itself with status 0.
stop_pid() {
    local pid=$1 name=$2 limit=${3:-$STOP_GRACE} t0 rc=0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; rc=$?; echo "$name exit $rc (already)" >>"$WORK/stops"; return $rc; }
    t0=$(date +%s%3N)
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ $(($(date +%s%3N) - t0)) -lt $((limit * 1000)) ]; do
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        echo "$name SIGKILL after $(($(date +%s%3N) - t0)) ms" >>"$WORK/stops"
        return 1
    fi
    wait "$pid" 2>/dev/null || rc=$?
    echo "$name exit $rc after $(($(date +%s%3N) - t0)) ms" >>"$WORK/stops"
    return $rc
}

# kill_nodes: SIGKILL every node of the cluster still running (by its pid
# file, checked against its command line: pids are reused).
kill_nodes() {
    local n pid
    for n in 1 2 3; do
        pid=$(cat "$KDIR/node-$n/pid" 2>/dev/null) || continue
        grep -qs "$KDIR/node-$n/server.properties" "/proc/$pid/cmdline" && kill -KILL "$pid" 2>/dev/null
    done
    return 0
}

# reap_work: SIGKILL whatever still names $WORK in its command line.
reap_work() {
    local f pid left=""
    for f in /proc/[0-9]*/cmdline; do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        [ "$pid" != $$ ] || continue
        if tr '\0' ' ' 2>/dev/null <"$f" | grep -qF "$WORK"; then
            kill -KILL "$pid" 2>/dev/null && left+=" $pid"
        fi
    done
    [ -z "$left" ] || echo "clean-up: killed leftover processes$left" >&2
}

fault_cleanup() {
    local rc=$? pid
    set +e
    trap - EXIT TERM INT HUP
    [ -z "${WATCHDOG:-}" ] || kill "$WATCHDOG" 2>/dev/null
    touch "$WORK/ingest.stop"
    for pid in "${BG_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null && stop_pid "$pid" "pid $pid" >/dev/null 2>&1
    done
    pid=$(cat "$INGEST_PID_FILE" 2>/dev/null) && kill -0 "$pid" 2>/dev/null \
        && stop_pid "$pid" duban-ingest >/dev/null 2>&1
    kill_nodes
    reap_work
    BG_PIDS=()
    cleanup
    exit $rc
}
trap fault_cleanup EXIT
trap 'echo "FAIL: signalled" >&2; exit 143' TERM INT HUP
# (short sleeps: a watchdog killed at exit leaves no long sleep behind)
( end=$((SECONDS + FAULT_LIMIT)); while [ $SECONDS -lt $end ]; do sleep 1; done
  echo "FAIL: over DUBAN_FAULT_LIMIT=$FAULT_LIMIT s: stopping" >&2
  kill -TERM $$ ) &
WATCHDOG=$!

# start_cluster: three nodes, duban's topics with 4 partitions, RF 3,
# min.insync.replicas=2; sets BOOTSTRAP and BS (@file, for duban's programs).
start_cluster() {
    "$KAFKA" start --dir "$KDIR" --brokers 3 --port 0 --bootstrap-file "$WORK/bootstrap" \
        >/dev/null 2>"$WORK/kafka.log" || fail "cluster: $(tail -5 "$WORK/kafka.log")"
    BOOTSTRAP=$(cat "$WORK/bootstrap")
    BS=@$WORK/bootstrap
    "$DUBAN_BIN_DIR/duban-topics" -b "$BS" --set topics.partitions=4 \
        --set topics.replication.factor=3 --set topics.min.insync.replicas=2 \
        >"$WORK/topics.out" 2>"$WORK/topics.log" || fail "duban-topics: $(cat "$WORK/topics.log")"
    [ "$(grep -c 'partitions=4 replicas=3' "$WORK/topics.out")" -eq 6 ] \
        || fail "topics not RF 3: $(cat "$WORK/topics.out")"
    [ "$(brokers_listed)" = 3 ] || fail "the cluster does not list 3 brokers"
}

brokers_listed() { kcat -b "$BOOTSTRAP" -L -m 5 2>/dev/null | sed -n 's/^ \([0-9]*\) brokers:$/\1/p'; }

# group_coordinator GROUP: the node leading GROUP's partition of
# __consumer_offsets (Utils.abs(GROUP.hashCode()) % offsets.topic.num.partitions,
# 10 in kafka.sh), i.e. the group's coordinator.
group_coordinator() {
    local part
    part=$(python3 -c '
import sys
h = 0
for c in sys.argv[1]:
    h = (31 * h + ord(c)) & 0xffffffff
h = h - (1 << 32) if h >= 1 << 31 else h
print((0 if h == -(1 << 31) else abs(h)) % 10)' "$1")
    kcat -b "$BOOTSTRAP" -L -t __consumer_offsets -m 5 2>/dev/null \
        | sed -n "s/^ *partition $part, leader \([0-9]*\),.*/\1/p"
}

# expect_alerts: what --simulate gives for the gazettes' events over the
# period, in $WORK/expected.ids; sets EXPECTED.
expect_alerts() {
    local g
    for g in "${GAZETTES[@]}"; do
        "$DUBAN_BIN_DIR/duban-ingest" --dry-run "$g" 2>/dev/null | grep -v '"DocumentPublished"' >>"$WORK/events.jsonl"
    done
    simulate_events
}

# simulate_events: --simulate over $WORK/events.jsonl (append status
# changes to it and call again), into $WORK/expected.{jsonl,ids}; sets EXPECTED.
simulate_events() {
    "$DUBAN_BIN_DIR/duban-alerter" --simulate --until "$UNTIL" <"$WORK/events.jsonl" \
        >"$WORK/expected.jsonl" 2>/dev/null
    python3 -c 'import json,sys; [print(json.loads(l)["alert_id"]) for l in sys.stdin]' \
        <"$WORK/expected.jsonl" | sort >"$WORK/expected.ids"
    EXPECTED=$(wc -l <"$WORK/expected.ids")
    [ "$EXPECTED" -gt 1000 ] || fail "too few expected alerts ($EXPECTED)"
}

# start_ingest_loop [--no-wait]: the gazettes once, then again and again
# until $WORK/ingest.stop exists; the running duban-ingest's pid is in
# $INGEST_PID_FILE; a pass that fails is counted in $WORK/ingest.fail ("ingest
# exit STATUS"), every pass in $WORK/ingest.passes. Returns when the first
# pass has ended, or at once with --no-wait.
start_ingest_loop() {
    : >"$WORK/ingest.log"
    ( while [ ! -f "$WORK/ingest.stop" ]; do
          "$DUBAN_BIN_DIR/duban-ingest" -b "$BS" "${GAZETTES[@]}" 2>>"$WORK/ingest.log" &
          echo $! >"$INGEST_PID_FILE"
          wait $! || echo "ingest exit $?" >>"$WORK/ingest.fail"
          echo "pass" >>"$WORK/ingest.passes"
      done ) 2>>"$WORK/ingest.loop.log" &
    BG_PIDS+=($!)
    INGEST_LOOP=$!
    [ "${1:-}" != --no-wait ] || return 0
    local _
    for _ in $(seq 300); do [ -s "$WORK/ingest.passes" ] && break; sleep 0.1; done
    [ -s "$WORK/ingest.passes" ] || fail "ingest did not finish a first pass: $(tail -3 "$WORK/ingest.log")"
}

stop_ingest_loop() {
    touch "$WORK/ingest.stop"
    wait "$INGEST_LOOP" || true
}

ingest_passes() { wc -l 2>/dev/null <"$WORK/ingest.passes" || echo 0; }

# write_routes: two endpoints of duban-receiver, every alert to both.
write_routes() {
    cat >"$WORK/routes.json" <<JSON
{"endpoints":[{"id":"fgw","url":"$RECV/fgw","format":"json",
   "secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]},
  {"id":"audit","url":"$RECV/audit","format":"json",
   "secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}],
 "routes":[], "default":["fgw","audit"]}
JSON
}

# run_notifier LOG: a duban-notifier on the routes (log appended to
# $WORK/LOG.log); sets NOTIFIER_PID.
run_notifier() {
    "$DUBAN_BIN_DIR/duban-notifier" -b "$BS" "${GROUP_OPTS[@]}" \
        --set notifier.commit.interval.ms=200 --demo --routes "$WORK/routes.json" \
        2>>"$WORK/$1.log" &
    NOTIFIER_PID=$!
    BG_PIDS+=("$NOTIFIER_PID")
}

# run_alerter LOG: a duban-alerter on the simulated clock that started at
# ORIGIN (set it once: a restarted alerter goes on with the same clock);
# sets ALERTER_PID. ALERTER_OPTS: more options.
ALERTER_OPTS=()
run_alerter() {
    "$DUBAN_BIN_DIR/duban-alerter" -b "$BS" "${GROUP_OPTS[@]}" --set alerter.tick.ms=50 "${ALERTER_OPTS[@]}" \
        --now "$NOW" --speed "$SPEED" --clock-origin "$ORIGIN" --until "$UNTIL" \
        2>>"$WORK/$1.log" &
    ALERTER_PID=$!
    BG_PIDS+=("$ALERTER_PID")
}

# start_pipeline: receiver, notifier, then the alerter (its clock starts
# 1 s later); sets ORIGIN and END_MS (when the simulated period ends).
start_pipeline() {
    start_receiver --quiet
    write_routes
    run_notifier notifier
    ORIGIN=$(($(date +%s%3N) + 1000))
    END_MS=$((ORIGIN + ($(date -d "$UNTIL" +%s%3N) - $(date -d "$NOW" +%s%3N)) / SPEED))
    run_alerter alerter
}

received() { wc -l 2>/dev/null <"$WORK/recv.jsonl" || echo 0; }

# start_all: the cluster, what --simulate expects, the ingest loop (its
# first pass ended) and the pipeline.
start_all() {
    start_cluster
    expect_alerts
    start_ingest_loop
    start_pipeline
}

# wait_deliveries NUM DEN BEFORE [LOG]: waits (120 s at most) until NUM/DEN
# of the deliveries (two per expected alert) have arrived at the receiver;
# fails otherwise, naming BEFORE and quoting $WORK/LOG.log (alerter).
wait_deliveries() {
    local want=$((2 * EXPECTED * $1 / $2))
    wait_until 120 deliveries_reached "$want" \
        || fail "too few deliveries before $3: $(received) of $want; $(tail -2 "$WORK/${4:-alerter}.log")"
}
deliveries_reached() { [ "$(received)" -ge "$1" ]; }

# wait_period_end: waits until the alerter has fired the whole simulated
# period: every alert --simulate gives (expected.ids) is on duban.alerts.v1.
# At most the period's remaining wall time (END_MS) plus 120 s; if some never
# come, final_count then says which are missing.
wait_period_end() {
    local left=$(( (END_MS - $(date +%s%3N)) / 1000 ))
    [ "$left" -gt 0 ] || left=0
    wait_until $((left + 120)) period_fired \
        || echo "the alerts topic still lacks $(period_missing) of $EXPECTED expected alerts"
}
period_missing() {
    topic_json duban.alerts.v1 | grep -o '"alert_id":"[^"]*"' | cut -d'"' -f4 | sort -u \
        | comm -23 <(sort -u "$WORK/expected.ids") - | wc -l
}
period_fired() { [ "$(period_missing)" -eq 0 ]; }

# all_delivered: every alert in the topic reached both endpoints.
all_delivered() {
    topic_json duban.alerts.v1 >"$WORK/alerts.jsonl"
    python3 - "$WORK/alerts.jsonl" "$WORK/recv.jsonl" <<'PY'
import json, sys
ids = {json.loads(l)["alert_id"] for l in open(sys.argv[1]) if l.strip()}
got = {(r["path"], r["webhook_id"]) for r in map(json.loads, open(sys.argv[2])) if r["status"] == 200}
sys.exit(0 if ids and all(("/fgw", i) in got and ("/audit", i) in got for i in ids) else 1)
PY
}

# stop_workers: SIGTERM to the notifier and the alerter; each must exit
# with status 0 within STOP_GRACE s. Prints how long each took.
stop_workers() {
    local ok=0
    stop_pid "$ALERTER_PID" duban-alerter || ok=1
    stop_pid "$NOTIFIER_PID" duban-notifier || ok=1
    echo "on SIGTERM: $(tail -2 "$WORK/stops" | paste -sd';' | sed 's/;/; /')"
    [ $ok = 0 ] || fail "a worker did not stop cleanly on SIGTERM: $(tail -2 "$WORK/stops")"
}

# stats_gap LOG SINCE_MS: the longest time (ms) without a notifier STATS
# line in $WORK/LOG.log from SINCE_MS (epoch ms) to its last line; the loop
# logs one every 5 s, so a long gap is a loop that stopped turning.
stats_gap() {
    python3 - "$WORK/$1.log" "$2" <<'PY'
import datetime, re, sys
since = int(sys.argv[2])
ts = []
for line in open(sys.argv[1], errors="replace"):
    if 'fac=STATS msg="notifier"' not in line:
        continue
    m = re.match(r"ts=(\S+)Z ", line)
    if m:
        t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f")
        ts.append(int(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000))
ts = [t for t in ts if t >= since - 10000]
print(max((b - a for a, b in zip(ts, ts[1:])), default=-1))
PY
}

# final_count MAX_TWICE [NOTE]: every alert in duban.alerts.v1 reached each
# endpoint, at most MAX_TWICE pairs twice (0: none), no unknown webhook-id;
# the topic holds exactly what --simulate gives, each alert once. Prints
# the counts; fails otherwise.
final_count() {
    local max_twice=$1 note=${2:-}
    wait_until 180 all_delivered || true
    topic_json duban.alerts.v1 >"$WORK/alerts.jsonl"
    python3 - "$WORK/alerts.jsonl" "$WORK/recv.jsonl" "$WORK/expected.ids" "$max_twice" "$note" <<'PY' \
        || fail "not every alert delivered, or delivered twice beyond $max_twice pairs"
import collections, json, sys
alerts = [json.loads(l)["alert_id"] for l in open(sys.argv[1]) if l.strip()]
recv = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
expected = {l.strip() for l in open(sys.argv[3]) if l.strip()}
max_twice = int(sys.argv[4])
topic_dups = sum(v - 1 for v in collections.Counter(alerts).values())
ok, twice_all = True, 0
for endpoint in ("/fgw", "/audit"):
    c = collections.Counter(r["webhook_id"] for r in recv if r["path"] == endpoint and r["status"] == 200)
    missing = [a for a in set(alerts) if c[a] == 0]
    twice = [k for k, v in c.items() if v > 1]
    unknown = [k for k in c if k not in set(alerts)]
    twice_all += len(twice)
    print("endpoint %s: %d alerts in the topic, %d received, %d distinct webhook-ids, %d missing, "
          "%d received twice or more, %d not in the topic"
          % (endpoint, len(set(alerts)), sum(c.values()), len(c), len(missing), len(twice), len(unknown)))
    ok = ok and not missing and not unknown
missing_sim = expected - set(alerts)
extra_sim = set(alerts) - expected
print("alerts topic: %d alerts, %d duplicated; --simulate gives %d: %d missing, %d extra%s"
      % (len(alerts), topic_dups, len(expected), len(missing_sim), len(extra_sim),
         "; " + sys.argv[5] if sys.argv[5] else ""))
print("pairs delivered twice: %d (allowed: %d)" % (twice_all, max_twice))
sys.exit(0 if ok and twice_all <= max_twice and topic_dups == 0 and not missing_sim
         and not extra_sim else 1)
PY
}

# group_offsets FILE GROUP...: the groups' committed offsets, one
# "GROUP TOPIC PARTITION OFFSET" line each, sorted, into FILE (Kafka's own
# ConsumerGroupCommand: librdkafka has no call that lists another group's
# offsets). A partition without a committed offset is left out.
group_offsets() {
    local out=$1 g args=(); shift
    for g in "$@"; do args+=(--group "$g"); done
    "$KAFKA" run org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
        --bootstrap-server "$BOOTSTRAP" --describe --offsets "${args[@]}" \
        >"$out.raw" 2>>"$WORK/kafka.log" || true
    awk '$2 ~ /^duban\./ && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { print $1, $2, $3, $4 }' \
        "$out.raw" | sort >"$out"
}

# offsets_kept BEFORE AFTER: every offset in BEFORE is in AFTER, equal or
# further on (a lost offset would be missing, or reset); prints a summary.
offsets_kept() {
    python3 - "$1" "$2" <<'PY'
import sys
def load(p):
    return {tuple(l.split()[:3]): int(l.split()[3]) for l in open(p) if l.strip()}
before, after = load(sys.argv[1]), load(sys.argv[2])
lost = [k for k in before if k not in after]
back = [k for k in before if k in after and after[k] < before[k]]
groups = sorted({k[0] for k in before})
print("committed offsets: %d partitions of %s before; after: %d missing, %d moved back, "
      "%d moved on" % (len(before), ", ".join(groups), len(lost), len(back),
                       sum(1 for k in before if k in after and after[k] > before[k])))
for k in lost + back:
    print("  %s %s [%s]: %d -> %s" % (k + (before[k], after.get(k, "none"))))
sys.exit(1 if not before or lost or back else 0)
PY
}
