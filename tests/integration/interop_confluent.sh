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
# DUBAN_INTEROP_REGISTRY=apicurio (the CTest realkafka.interop_confluent_apicurio)
# uses a real registry instead of duban-fake-registry: Apicurio Registry from
# Maven Central through its Confluent-compatible API (scripts/apicurio.sh).
# Seven unrelated schemas are registered first, so duban's ids (8 and up)
# cannot be its built-in ones (1 to 6) by chance. Skipped (77) when Java,
# Maven or the archive cannot be had.
source "$(dirname "$0")/lib/common.bash"
REGISTRY=${DUBAN_INTEROP_REGISTRY:-fake}
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
case $REGISTRY in
fake)
    "$DUBAN_BIN_DIR/duban-fake-registry" --first-id 100 --url-file "$WORK/registry.url" \
        >/dev/null 2>"$WORK/registry.err" &
    BG_PIDS+=($!)
    wait_until 10 test -s "$WORK/registry.url" || true   # judged below, with its stderr
    REG=$(head -1 "$WORK/registry.url")
    [ -n "$REG" ] || fail "duban-fake-registry did not start: $(cat "$WORK/registry.err")"
    ;;
apicurio)
    APICURIO=$DUBAN_SRC_DIR/scripts/apicurio.sh
    if ! "$APICURIO" fetch >/dev/null 2>"$WORK/registry.err"; then
        echo "SKIP: Apicurio Registry could not be had (Java, Maven or the archive):" \
             "$(tail -2 "$WORK/registry.err" | paste -sd' ')"
        exit 77
    fi
    # the registry is a setsid JVM: stop it before the scratch dir goes
    trap '"$APICURIO" stop --dir "$WORK/apicurio" >/dev/null 2>&1 || true; cleanup' EXIT
    REG=$("$APICURIO" start --dir "$WORK/apicurio" --port 0 2>"$WORK/registry.err") \
        || fail "Apicurio Registry did not start: $(tail -5 "$WORK/registry.err")"
    # ids 1..7 go to other schemas, as on a registry that other teams use
    for i in 1 2 3 4 5 6 7; do
        body=$(python3 -c 'import json, sys; print(json.dumps({"schema": json.dumps(
            {"type": "enum", "name": "Other" + sys.argv[1], "symbols": ["A"]})}))' "$i")
        curl -sf -XPOST -H 'Content-Type: application/vnd.schemaregistry.v1+json' --data "$body" \
            "$REG/subjects/other-$i-value/versions" >>"$WORK/others.json" \
            || fail "registering an unrelated schema in Apicurio failed"
        echo >>"$WORK/others.json"
    done
    ;;
*) fail "DUBAN_INTEROP_REGISTRY is fake or apicurio, not $REGISTRY" ;;
esac

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
if [ "$REGISTRY" = apicurio ]; then
    # every id duban wrote is one Apicurio gave its schemas, past the others' 1..7
    ids=""
    for t in documents tasks task-status alerts deliveries dlq; do
        id=$(curl -sf "$REG/subjects/duban.$t.v1-value/versions/latest" \
             | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') \
            || fail "Apicurio has no subject duban.$t.v1-value"
        [ "$id" -ge 8 ] || fail "duban.$t.v1-value has id $id, one of the unrelated schemas'"
        ids+="${ids:+, }duban.$t.v1-value=$id"
    done
    echo "Apicurio Registry subjects and ids: $ids"
fi

# The checker must notice a difference: one task's text changed.
python3 "$DUBAN_SRC_DIR/tests/integration/lib/interop_events.py" change-text "$WORK/events.jsonl" >"$WORK/events.changed.jsonl"
if "$PY" "$DUBAN_SRC_DIR/tests/integration/interop_confluent.py" "$BOOTSTRAP" "$REG" \
        "$WORK/events.changed.jsonl" >"$WORK/bad.out" 2>"$WORK/bad.err"; then
    fail "the checker accepted events that differ: $(cat "$WORK/bad.out")"
fi
echo "a changed task text is rejected: $(grep -m1 FAIL "$WORK/bad.err")"
echo "1 passed, 0 failed"
