#!/usr/bin/env bash
# Issue 14 item 6: duban-replay prints events straight from the Avro bytes,
# and its output is what it printed before (through avro-c and jansson, still
# there as --general-decoder). On duban-broker: the three shared gazettes
# through duban-ingest, status changes by duban-status (COMPLETED, EXTENDED),
# alerts, delivery attempts, status changes and dead letters of every shape
# (gen_events.py), an event whose strings need every JSON escape, and bad
# messages (wrong magic byte, invalid UTF-8 inside a string, a key that is
# not UTF-8) that duban-replay --dlq dead-letters itself. Then, over all six
# topics, with and without --meta: the same lines, the same DECODE errors and
# the same exit status both ways, and every event type printed.
source "$(dirname "$0")/lib/common.bash"
B=$DUBAN_BIN_DIR
G="${DUBAN_SHARED_DIR:-/work/shared}/gazettes"
start_broker --partitions 3

"$B/duban-ingest" --dry-run "$G"/*.txt >"$WORK/dry.jsonl" 2>/dev/null || fail "dry run"
"$B/duban-ingest" -b "$BOOTSTRAP" "$G"/*.txt >/dev/null 2>"$WORK/ingest.log" \
    || fail "ingest: $(tail -3 "$WORK/ingest.log")"
read -r TASK_A TASK_B < <(python3 - "$WORK/dry.jsonl" <<'PY'
import json, sys
ids = sorted(e["task_id"] for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
             if e["type"] == "TaskAssigned" and e.get("due_date"))
print(ids[0], ids[1])
PY
)
"$B/duban-status" -b "$BOOTSTRAP" report --force --task "$TASK_A" --from IN_PROGRESS --to COMPLETED \
    --actor 区卫健局 --comment '已完成 "按期"' --at 2021-12-29T10:00:00+08:00 >/dev/null \
    2>>"$WORK/status.log" || fail "status A: $(tail -3 "$WORK/status.log")"
"$B/duban-status" -b "$BOOTSTRAP" report --force --task "$TASK_B" --to EXTENDED \
    --new-due-date 2022-01-10 --actor 区政府督查室 --at 2021-12-29T15:00:00+08:00 >/dev/null \
    2>>"$WORK/status.log" || fail "status B: $(tail -3 "$WORK/status.log")"

# alerts, deliveries, status changes and dead letters of every shape
python3 "$DUBAN_SRC_DIR/tests/integration/gen_events.py" 60 TaskStatusChanged DeadlineAlert \
    DeliveryAttempt DeadLetter DocumentPublished >"$WORK/gen.jsonl"
# strings that need JSON escapes (quote, backslash, control characters,
# U+2028, a 4-byte character), a negative and a large number
python3 - >>"$WORK/gen.jsonl" <<'PY'
import json
odd = 'q"b\\s/\t\n\r\x01\x1f\x7f \u2028 \U0001F600 督办'
print(json.dumps({"type": "TaskStatusChanged", "event_id": odd, "occurred_at": "1970-01-01T00:00:00.001Z",
                  "schema_version": 2147483647, "source": {"file": odd, "line": -2147483648,
                  "offset": -9223372036854775807}, "task_id": odd, "from_status": None,
                  "to_status": "REOPENED", "new_due_date": "2099-12-31", "actor": odd, "comment": odd},
                 ensure_ascii=False))
PY
"$B/duban-produce-json" -b "$BOOTSTRAP" "$WORK/gen.jsonl" 2>"$WORK/produce.log" \
    || fail "produce: $(tail -3 "$WORK/produce.log")"

# bad messages: a wrong magic byte; a status event with a byte of its actor
# made invalid UTF-8; a good event whose key is not UTF-8
python3 - "$WORK/gen.jsonl" >"$WORK/one.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if json.loads(line)["type"] == "TaskStatusChanged":
        print(line, end=""); break
PY
"$B/duban-produce-json" --encode-only "$WORK/one.jsonl" >"$WORK/one.raw" 2>/dev/null \
    || fail "encode-only"
python3 - "$WORK/one.raw" >"$WORK/bad.raw" <<'PY'
import sys
topic, key, hexbody = open(sys.argv[1]).read().rstrip("\n").split("\t")
body = bytearray.fromhex(hexbody)
at = body.find("区".encode())          # the actor (first department name)
assert at > 0
bad = bytearray(body); bad[at] = 0xff
out = sys.stdout.buffer
out.write(b"duban.tasks.v1\tbad-magic\t01000000010203\n")
out.write(("%s\t%s\t%s\n" % (topic, key, bad.hex())).encode())
out.write(topic.encode() + b"\tkey-\xff\xfe\t" + hexbody.encode() + b"\n")
PY
"$B/duban-produce-json" -b "$BOOTSTRAP" --raw "$WORK/bad.raw" 2>>"$WORK/produce.log" \
    || fail "produce raw: $(tail -3 "$WORK/produce.log")"
# duban-replay itself dead-letters the two undecodable ones (exit 3)
rc=0
"$B/duban-replay" -b "$BOOTSTRAP" --exit-at-end --dlq --topic duban.tasks.v1 \
    --topic duban.task-status.v1 >/dev/null 2>"$WORK/dlq.log" || rc=$?
[ "$rc" = 3 ] || fail "replay --dlq exit $rc, want 3: $(tail -3 "$WORK/dlq.log")"

# ---- the comparison ----
passed=0
for meta in "" --meta; do
    rc_new=0 rc_old=0
    "$B/duban-replay" -b "$BOOTSTRAP" --exit-at-end $meta >"$WORK/new.out" 2>"$WORK/new.err" \
        || rc_new=$?
    "$B/duban-replay" -b "$BOOTSTRAP" --exit-at-end --general-decoder $meta >"$WORK/old.out" \
        2>"$WORK/old.err" || rc_old=$?
    [ "$rc_new" = 3 ] && [ "$rc_old" = 3 ] || fail "exit $rc_new and $rc_old, want 3 both ways"
    # partitions interleave differently from run to run: compare sorted lines
    # (with --meta each line names its topic, partition and offset)
    sort "$WORK/new.out" >"$WORK/new.sorted"
    sort "$WORK/old.out" >"$WORK/old.sorted"
    if ! cmp -s "$WORK/new.sorted" "$WORK/old.sorted"; then
        diff "$WORK/old.sorted" "$WORK/new.sorted" | head -4 | cut -c1-300
        fail "direct output${meta:+ with $meta} differs from the general decoder's"
    fi
    for f in new old; do
        grep 'fac=DECODE' "$WORK/$f.err" | sed 's/^ts=[^ ]* //' | sort >"$WORK/$f.decode"
    done
    cmp -s "$WORK/new.decode" "$WORK/old.decode" || fail "DECODE errors differ: $(diff "$WORK/old.decode" "$WORK/new.decode")"
    grep -q 'invalid UTF-8' "$WORK/new.decode" && grep -q 'magic byte' "$WORK/new.decode" \
        || fail "the two bad messages are not reported: $(cat "$WORK/new.decode")"
    python3 - "$WORK/new.out" "$meta" <<'PY' || fail "output content${meta:+ with $meta}"
import json, sys, collections
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
types = collections.Counter(e["type"] for e in lines)
want = {"DocumentPublished", "TaskAssigned", "TaskStatusChanged", "DeadlineAlert",
        "DeliveryAttempt", "DeadLetter"}
assert set(types) == want, types
assert types["TaskAssigned"] > 300, types            # the gazettes' tasks
assert any(e["type"] == "DeadLetter" and e["source"]["file"] == "duban-replay" for e in lines), \
    "no dead letter written by duban-replay --dlq"
assert any(e["type"] == "TaskStatusChanged" and e.get("new_due_date") == "2022-01-10" for e in lines)
assert any(e.get("actor", "").startswith('q"b\\s/\t\n') for e in lines), "the escaped event"
if sys.argv[2]:
    keys = [e["_kafka"]["key"] for e in lines]
    assert None in keys, "the key that is not UTF-8 prints as null"
    assert all(set(e["_kafka"]) == {"topic", "partition", "offset", "timestamp", "key"} for e in lines)
print("%d lines: %s" % (len(lines), dict(types)))
PY
    passed=$((passed + 1))
    echo "ok: ${meta:-plain} output equal to the general decoder's ($(wc -l <"$WORK/new.out") lines)"
done
echo "$passed passed, 0 failed"
