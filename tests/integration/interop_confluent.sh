#!/usr/bin/env bash
# Interop (issue 13, item 5): an independent Confluent client reads every
# duban topic. Events of every type (tests/fixtures/events/all_types.jsonl,
# through duban-produce-json) and what duban-ingest makes of the three
# gazettes are produced with schema.registry.url set to duban-fake-registry;
# Confluent's Python client (confluent-kafka from PyPI, the version in
# confluent-requirements.txt, installed by scripts/confluent-client.sh) reads
# the six topics back with its SchemaRegistryClient and AvroDeserializer, and
# every event must come back once, keyed as DESIGN.md says and equal, field by
# field, to what was produced (interop_confluent.py). The checker must then
# reject the same topics against events with one field changed.
# Skipped (exit 77, CTest's SKIP_RETURN_CODE) with a message when the client
# is not installed and cannot be (no network to PyPI, no venv): run
# scripts/confluent-client.sh, or set DUBAN_CONFLUENT_PYTHON.
# On the mock by default; under the realkafka label on the fixture's cluster.
source "$(dirname "$0")/lib/common.bash"
PY=${DUBAN_CONFLUENT_PYTHON:-}
if [ -z "$PY" ]; then
    PY=$("$DUBAN_SRC_DIR/scripts/confluent-client.sh" 2>"$WORK/client.log") || PY=""
fi
if [ -z "$PY" ] || ! "$PY" -c 'import confluent_kafka.schema_registry.avro' 2>>"$WORK/client.log"; then
    echo "SKIP: Confluent's Python client (confluent-kafka) is not installed and could not be:" \
         "$(tail -2 "$WORK/client.log" | paste -sd' ')"
    exit 77
fi
start_broker --partitions 4
"$DUBAN_BIN_DIR/duban-fake-registry" --first-id 100 --url-file "$WORK/registry.url" \
    >/dev/null 2>"$WORK/registry.err" &
BG_PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/registry.url" ] && break; sleep 0.1; done
REG=$(head -1 "$WORK/registry.url")
[ -n "$REG" ] || fail "duban-fake-registry did not start: $(cat "$WORK/registry.err")"

G=${DUBAN_SHARED_DIR:?}/gazettes
GAZETTES=("$G/000_55122fd70aed731a.txt" "$G/001_695d6e90fcff097e.txt" "$G/002_0222121a82854d09.txt")
cp "$DUBAN_SRC_DIR/tests/fixtures/events/all_types.jsonl" "$WORK/events.jsonl"
"$DUBAN_BIN_DIR/duban-ingest" --dry-run "${GAZETTES[@]}" >>"$WORK/events.jsonl" 2>/dev/null
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" --set "schema.registry.url=$REG" \
    <"$DUBAN_SRC_DIR/tests/fixtures/events/all_types.jsonl" >/dev/null 2>"$WORK/produce.log" \
    || fail "duban-produce-json: $(tail -3 "$WORK/produce.log")"
"$DUBAN_BIN_DIR/duban-ingest" -b "$BOOTSTRAP" --set "schema.registry.url=$REG" "${GAZETTES[@]}" \
    2>"$WORK/ingest.log" || fail "duban-ingest: $(grep -v level=info "$WORK/ingest.log" | tail -3)"

"$PY" "$DUBAN_SRC_DIR/tests/integration/interop_confluent.py" "$BOOTSTRAP" "$REG" \
    "$WORK/events.jsonl" >"$WORK/check.out" 2>"$WORK/check.err" \
    || fail "the Confluent client disagrees: $(head -5 "$WORK/check.err"; cat "$WORK/check.out")"
cat "$WORK/check.out"

# The checker must notice a difference: one task's text changed.
python3 "$DUBAN_SRC_DIR/tests/integration/lib/interop_events.py" change-text "$WORK/events.jsonl" >"$WORK/events.changed.jsonl"
if "$PY" "$DUBAN_SRC_DIR/tests/integration/interop_confluent.py" "$BOOTSTRAP" "$REG" \
        "$WORK/events.changed.jsonl" >"$WORK/bad.out" 2>"$WORK/bad.err"; then
    fail "the checker accepted events that differ: $(cat "$WORK/bad.out")"
fi
echo "a changed task text is rejected: $(grep -m1 FAIL "$WORK/bad.err")"
echo "1 passed, 0 failed"
