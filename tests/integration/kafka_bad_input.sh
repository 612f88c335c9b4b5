#!/usr/bin/env bash
# Issue 2 acceptance: a wrong magic byte, an unknown schema id and a
# truncated body each yield a clear error naming topic/partition/offset; the
# consumer does not crash, decodes the good messages around them, and (with
# --dlq) dead-letters each bad one with its reason in the headers.
source "$(dirname "$0")/lib/common.bash"
start_broker --partitions 1

python3 "$DUBAN_SRC_DIR/tests/integration/gen_events.py" 3 TaskAssigned >"$WORK/good.jsonl"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/good.jsonl" 2>/dev/null \
    || fail "producing good events"
# A valid TaskAssigned message, to damage: take it off the broker as hex.
good_hex=$(kcat -C -b "$BOOTSTRAP" -t duban.tasks.v1 -o beginning -c 1 -e -f '%s' 2>/dev/null | od -An -v -tx1 | tr -d ' \n')
[ -n "$good_hex" ] || fail "kcat read nothing"
len=${#good_hex}
{
    printf 'duban.tasks.v1\tbad-magic\t01%s\n' "${good_hex:2}"
    printf 'duban.tasks.v1\tunknown-id\t000000fa12%s\n' "${good_hex:10}"
    printf 'duban.tasks.v1\ttruncated\t%s\n' "${good_hex:0:$((len / 2))}"
    printf 'duban.tasks.v1\ttoo-short\t0000\n'
} >"$WORK/bad.raw"
"$DUBAN_BIN_DIR/duban-produce-json" --raw -b "$BOOTSTRAP" "$WORK/bad.raw" 2>/dev/null || fail "producing raw"
python3 "$DUBAN_SRC_DIR/tests/integration/gen_events.py" 5 TaskAssigned | tail -n 2 >"$WORK/good2.jsonl"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/good2.jsonl" 2>/dev/null || fail "producing"

set +e
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.tasks.v1 --exit-at-end --dlq \
    >"$WORK/out.jsonl" 2>"$WORK/err.log"
rc=$?
set -e
cat "$WORK/err.log" | grep DECODE || true
[ "$rc" -eq 3 ] || fail "replay exit status $rc, wanted 3 (undecodable messages seen)"
[ "$(wc -l <"$WORK/out.jsonl")" -eq 5 ] || fail "wanted the 5 good events, got $(wc -l <"$WORK/out.jsonl")"
grep -q 'topic=duban.tasks.v1 part=0 off=3 code="*wrong magic byte' "$WORK/err.log" || fail "no wrong-magic error naming offset 3"
grep -q 'off=4 code="*unknown schema id' "$WORK/err.log" || fail "no unknown-id error naming offset 4"
grep -q 'off=5 code="*truncated message' "$WORK/err.log" || fail "no truncated error naming offset 5"
grep -q 'off=6 code="*truncated message' "$WORK/err.log" || fail "no error for the 2-byte message at offset 6"

# The dead-letter topic holds the four, each with its reason in a header.
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.dlq.v1 --exit-at-end >"$WORK/dlq.jsonl" 2>/dev/null
[ "$(wc -l <"$WORK/dlq.jsonl")" -eq 4 ] || fail "wanted 4 dead letters, got $(wc -l <"$WORK/dlq.jsonl")"
python3 - "$WORK/dlq.jsonl" <<'PY' || fail "dead letters do not carry the originals"
import json, sys, base64
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
offsets = sorted(r["offset"] for r in rows)
assert offsets == [3, 4, 5, 6], offsets
for r in rows:
    assert r["original_topic"] == "duban.tasks.v1" and r["reason"], r
    assert base64.b64decode(r["payload"]), r
PY
headers=$(kcat -C -b "$BOOTSTRAP" -t duban.dlq.v1 -o beginning -e -f '%h\n' 2>/dev/null)
echo "$headers" | grep -q 'duban.reason=wrong magic byte' || fail "reason header missing: $headers"
echo "$headers" | grep -q 'duban.original.offset=4' || fail "offset header missing"
echo "4 passed, 0 failed"
