#!/usr/bin/env bash
# duban-analytics decodes each message straight from its Avro bytes
# (duban_serde_decode_row); what that reader refuses takes the general path,
# which words the error. Undecodable messages go to duban.dlq.v1 with the
# reason and the run goes on: a wrong magic byte, a body cut inside its first
# string, and a complete body whose event_id is not UTF-8, each followed on
# the same partition (same key) by a good event, which must be stored. The
# fixture events of every type are stored too; --exit-at-end exits 0.
source "$(dirname "$0")/lib/common.bash"
A="$DUBAN_BIN_DIR/duban-analytics"
start_broker --partitions 2
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$DUBAN_SRC_DIR/tests/fixtures/events/all_types.jsonl" \
    2>"$WORK/p.log" || fail "produce: $(tail -3 "$WORK/p.log")"
good=$(grep '"TaskStatusChanged"' "$DUBAN_SRC_DIR/tests/fixtures/events/all_types.jsonl" | head -1)
"$DUBAN_BIN_DIR/duban-produce-json" --encode-only <<<"$good" >"$WORK/good.raw" 2>/dev/null \
    || fail "encode"
python3 - "$WORK/good.raw" >"$WORK/bad.raw" <<'PY'
import sys
topic, key, hexs = open(sys.argv[1]).read().rstrip("\n").split("\t")
msg = bytes.fromhex(hexs)
eid = msg.index(b"c0ffee")                    # the event_id's first byte
bad_utf8 = msg[:eid] + b"\xff" + msg[eid + 1:]
def line(k, b): print("%s\t%s\t%s" % (topic, k, b.hex()))
for i, body in enumerate([b"\x01\x02\x03\x04", msg[:5] + b"\x0a\x41", bad_utf8]):
    line("k", body)
    # the good event again, with its own event_id, behind it on the same partition
    line("k", msg.replace(b"c0ffee0123456789", b"c0ffee012345678%d" % i))
PY
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" --raw "$WORK/bad.raw" 2>/dev/null || fail "raw"

"$A" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --db "$WORK/a.db" --exit-at-end 2>"$WORK/an.log" \
    || fail "analytics: $(grep -v '^%' "$WORK/an.log" | tail -3)"
grep -q '3 undecodable' "$WORK/an.log" || fail "undecodable count: $(grep ANALYTICS "$WORK/an.log")"
q() { sqlite3 "$WORK/a.db" "$1"; }
reasons=$(q "select reason from dead_letters where original_topic = 'duban.task-status.v1'")
echo "$reasons"
grep -q 'magic byte is 0x01' <<<"$reasons" || fail "no dead letter for the magic byte"
grep -q 'TaskStatusChanged body of 2 bytes (schema id 3) does not decode' <<<"$reasons" \
    || fail "no dead letter for the cut body"
grep -q 'TaskStatusChanged.event_id: invalid UTF-8' <<<"$reasons" \
    || fail "no dead letter for the invalid UTF-8"
[ "$(wc -l <<<"$reasons")" = 3 ] || fail "$(wc -l <<<"$reasons") dead letters, want 3"
for i in 0 1 2; do
    [ "$(q "select count(*) from task_status where event_id = 'c0ffee012345678$i'")" = 1 ] \
        || fail "the good event after bad message $i was not stored"
done
for t in documents tasks task_status alerts deliveries dead_letters; do
    [ "$(q "select count(*) from $t")" -ge 1 ] || fail "no rows in $t"
done
dlq=$("$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.dlq.v1 --exit-at-end 2>/dev/null \
      | grep -c 'duban.task-status.v1')
[ "$dlq" = 3 ] || fail "duban.dlq.v1 has $dlq dead letters from task-status, want 3"
echo "ok: 3 undecodable messages dead-lettered with their reasons, the events behind them stored"
