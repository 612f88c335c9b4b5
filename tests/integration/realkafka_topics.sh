#!/usr/bin/env bash
# Real Kafka only (label realkafka): what the mock cannot show.
#  1. duban creates its topics itself (the cluster has auto.create.topics.enable
#     off): retention.ms=-1 on documents/tasks/status/alerts, the long
#     retention on deliveries and the DLQ, min.insync.replicas from config.
#  2. tasks/status/alerts that are not co-partitioned are refused, by
#     duban-topics check and by duban-alerter at start, naming the topics and
#     their counts.
#  3. duban-replay --since seeks with offsets-for-times (the mock answers -1):
#     only what was produced after the instant is printed.
#  4. duban-ingest on an empty cluster creates the topics it needs itself.
source "$(dirname "$0")/lib/common.bash"
[ "$REAL_KAFKA" = 1 ] || fail "run through the realkafka label (DUBAN_REAL_KAFKA_DIR unset)"
KAFKA="$DUBAN_SRC_DIR/scripts/kafka.sh"
start_broker --partitions 3
TOPICS_CMD=("$KAFKA" run org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP")

# 1. the topics an operator wants, created by duban (start_broker ran
#    duban-topics; here again with explicit keys after deleting them)
"${TOPICS_CMD[@]}" --delete --topic 'duban\..*' 2>>"$WORK/kafka.log"
wait_gone() { ! kcat -b "$BOOTSTRAP" -L 2>/dev/null | grep -q 'topic "duban\.'; }
wait_until 10 wait_gone || fail "topics not deleted"
echo '{"type":"x"}' | timeout 30 kcat -b "$BOOTSTRAP" -P -t duban.tasks.v1 -X message.timeout.ms=3000 2>/dev/null || true
kcat -b "$BOOTSTRAP" -L 2>/dev/null | grep -q 'topic "duban\.tasks' \
    && fail "the cluster auto-created a topic: the test needs auto-create off"
"$DUBAN_BIN_DIR/duban-topics" -b "$BOOTSTRAP" check >"$WORK/check.out" 2>"$WORK/check.log" \
    && fail "duban-topics check passed with no topics"
grep -q 'does not exist' "$WORK/check.log" || fail "check: $(cat "$WORK/check.log")"
"$DUBAN_BIN_DIR/duban-topics" -b "$BOOTSTRAP" --set topics.partitions=3 \
    --set topics.min.insync.replicas=1 --set topics.long.retention.ms=31536000000 \
    >"$WORK/create.out" 2>"$WORK/create.log" || fail "duban-topics: $(cat "$WORK/create.log")"
grep -q '6 created' "$WORK/create.log" || fail "created: $(cat "$WORK/create.log")"
[ "$(grep -c 'partitions=3 replicas=1' "$WORK/create.out")" -eq 6 ] || fail "$(cat "$WORK/create.out")"
"$KAFKA" run kafka.admin.ConfigCommand --bootstrap-server "$BOOTSTRAP" --describe \
    --entity-type topics >"$WORK/configs.txt" 2>>"$WORK/kafka.log"
python3 - "$WORK/configs.txt" <<'PY' || fail "topic configs"
import re, sys
conf, topic = {}, None
for line in open(sys.argv[1]):
    m = re.match(r"Dynamic configs for topic (\S+) are:", line)
    if m:
        topic = m.group(1); conf[topic] = {}
    m = re.match(r"\s+([a-z.]+)=(\S+) sensitive", line)
    if m and topic:
        conf[topic][m.group(1)] = m.group(2)
want = {t: "-1" for t in ("duban.documents.v1", "duban.tasks.v1", "duban.task-status.v1", "duban.alerts.v1")}
want.update({"duban.deliveries.v1": "31536000000", "duban.dlq.v1": "31536000000"})
bad = [(t, conf.get(t)) for t, r in want.items()
       if conf.get(t, {}).get("retention.ms") != r or conf[t].get("min.insync.replicas") != "1"]
for t in sorted(want):
    print("%s retention.ms=%s min.insync.replicas=%s" % (t, conf.get(t, {}).get("retention.ms"),
          conf.get(t, {}).get("min.insync.replicas")))
sys.exit(1 if bad else 0)
PY
# a second run creates nothing and warns about a setting that differs
"$DUBAN_BIN_DIR/duban-topics" -b "$BOOTSTRAP" --set topics.min.insync.replicas=2 \
    >/dev/null 2>"$WORK/again.log" || fail "second run: $(cat "$WORK/again.log")"
grep -q '0 created' "$WORK/again.log" || fail "second run created topics"
grep -q 'duban.tasks.v1 has min.insync.replicas=1; duban.s layout wants 2' "$WORK/again.log" \
    || fail "no warning about min.insync.replicas: $(cat "$WORK/again.log")"

# 2. co-partitioning: task-status re-made with 2 partitions
"${TOPICS_CMD[@]}" --delete --topic duban.task-status.v1 2>>"$WORK/kafka.log"
status_gone() { ! kcat -b "$BOOTSTRAP" -L 2>/dev/null | grep -q 'topic "duban.task-status'; }
wait_until 10 status_gone || true   # duban-topics check below tells a topic still there
"${TOPICS_CMD[@]}" --create --topic duban.task-status.v1 --partitions 2 >>"$WORK/kafka.log" 2>&1
want='topics are not co-partitioned: duban.tasks.v1 has 3, duban.task-status.v1 has 2, duban.alerts.v1 has 3 partitions'
"$DUBAN_BIN_DIR/duban-topics" -b "$BOOTSTRAP" check >/dev/null 2>"$WORK/mismatch.log" \
    && fail "duban-topics accepted 3/2/3 partitions"
grep -qF "$want" "$WORK/mismatch.log" || fail "message: $(cat "$WORK/mismatch.log")"
set +e
timeout 60 "$DUBAN_BIN_DIR/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" 2>"$WORK/alerter.log"
rc=$?
set -e
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "duban-alerter started on 3/2/3 partitions (exit $rc)"
grep -qF "$want" "$WORK/alerter.log" || fail "alerter: $(tail -3 "$WORK/alerter.log")"
echo "refused: $(grep -o 'topics are not co-partitioned[^"]*' "$WORK/mismatch.log" | head -c 120)…"

# 3. duban-replay --since with offsets-for-times
start_broker --partitions 3
sed -n '1,3p' "$DUBAN_SRC_DIR/tests/fixtures/events/all_types.jsonl" | grep '"DocumentPublished"' >"$WORK/doc.jsonl" || true
[ -s "$WORK/doc.jsonl" ] || fail "no DocumentPublished in the fixture"
python3 - "$WORK/doc.jsonl" 40 a >"$WORK/a.jsonl" <<'PY'
import json, sys
ev = json.loads(open(sys.argv[1]).readline())
for i in range(int(sys.argv[2])):
    e = dict(ev); e["doc_id"] = "%s-%d" % (sys.argv[3], i); print(json.dumps(e, ensure_ascii=False))
PY
python3 - "$WORK/doc.jsonl" 25 b >"$WORK/b.jsonl" <<'PY'
import json, sys
ev = json.loads(open(sys.argv[1]).readline())
for i in range(int(sys.argv[2])):
    e = dict(ev); e["doc_id"] = "%s-%d" % (sys.argv[3], i); print(json.dumps(e, ensure_ascii=False))
PY
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/a.jsonl" 2>>"$WORK/produce.log" || fail "produce a"
since=$(( $(date +%s%3N) + 50 ))
while [ "$(date +%s%3N)" -le "$since" ]; do sleep 0.05; done   # batch b is stamped after $since
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/b.jsonl" 2>>"$WORK/produce.log" || fail "produce b"
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.documents.v1 --since "$since" \
    --exit-at-end >"$WORK/since.jsonl" 2>"$WORK/since.log" || fail "replay: $(tail -3 "$WORK/since.log")"
grep -q 'offsets-for-times: 3 of 3 partitions start at --since' "$WORK/since.log" \
    || fail "replay did not seek by time: $(grep SEEK "$WORK/since.log")"
got=$(python3 -c 'import json,sys; print(" ".join(sorted(json.loads(l)["doc_id"][0] for l in sys.stdin)))' <"$WORK/since.jsonl" | tr -d ' ')
[ "$got" = "$(printf 'b%.0s' $(seq 25))" ] || fail "--since printed $(wc -l <"$WORK/since.jsonl") events: $got"
# an instant after everything: nothing, and it still ends
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.documents.v1 \
    --since "$(( $(date +%s%3N) + 1000 ))" --exit-at-end >"$WORK/none.jsonl" 2>"$WORK/none.log" \
    || fail "replay: $(tail -3 "$WORK/none.log")"
[ ! -s "$WORK/none.jsonl" ] || fail "--since in the future printed $(wc -l <"$WORK/none.jsonl") events"
echo "replay --since: 25 of 65 events, by offsets-for-times"

# 4. duban-ingest as the first step on an empty cluster (auto-create off):
#    it creates duban's topics itself, and every task lands
"${TOPICS_CMD[@]}" --delete --topic 'duban\..*' 2>>"$WORK/kafka.log"
wait_until 10 wait_gone || fail "topics not deleted before the ingest step"
G="${DUBAN_SHARED_DIR:?}/gazettes/000_55122fd70aed731a.txt"
"$DUBAN_BIN_DIR/duban-ingest" -b "$BOOTSTRAP" --set topics.partitions=3 "$G" >/dev/null 2>"$WORK/ingest.log" \
    || fail "ingest into an empty cluster: $(tail -3 "$WORK/ingest.log")"
want=$("$DUBAN_BIN_DIR/duban-ingest" --dry-run "$G" 2>/dev/null | grep -c '"TaskAssigned"')
got=$("$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.tasks.v1 --exit-at-end 2>/dev/null | wc -l)
[ "$got" = "$want" ] || fail "ingest into an empty cluster: $got tasks on duban.tasks.v1, --dry-run gives $want"
"$DUBAN_BIN_DIR/duban-topics" -b "$BOOTSTRAP" check >/dev/null 2>"$WORK/check2.log" \
    || fail "topics after ingest: $(cat "$WORK/check2.log")"
echo "ingest into an empty cluster: topics created, $got of $want tasks on duban.tasks.v1"
echo "1 passed, 0 failed"
