#!/usr/bin/env bash
# Interop: the wire format is real Avro in Confluent framing, readable without
# duban. Events of every type (tests/fixtures/events/all_types.jsonl) are
# produced with duban-produce-json into duban-broker; kcat (Debian's package,
# librdkafka, no Avro support) takes the raw bytes off each topic; Apache
# Avro's Python implementation (Debian's python3-avro) checks the 5-byte
# header (magic 0, built-in schema id) and decodes the body with
# schemas/*.avsc; every field must equal the input (interop_avro_check.py).
# The same for what duban-ingest produces from the three real gazettes (its
# TaskAssigned bodies are written straight from a struct, not from JSON),
# against its own --dry-run output. Under the realkafka label each run gets
# fresh topics on the fixture's real Kafka instead of its own duban-broker.
set -euo pipefail
SRC=${DUBAN_SRC_DIR:-$(pwd)}
BIN=${DUBAN_BIN_DIR:-$SRC/build/bin}
EVENTS=$SRC/tests/fixtures/events/all_types.jsonl

for need in kcat /usr/bin/python3 "$BIN/duban-broker" "$BIN/duban-produce-json"; do
    command -v "$need" >/dev/null || { echo "interop_kcat_avro: missing $need" >&2; exit 1; }
done
/usr/bin/python3 -c 'import avro.io, avro.schema' ||
    { echo "interop_kcat_avro: python3-avro is not installed (apt-get install python3-avro)" >&2; exit 1; }

source "$(dirname "$0")/lib/common.bash"   # $WORK, bg and its clean-up, wait_until

TOPICS=(duban.documents.v1 duban.tasks.v1 duban.task-status.v1 duban.alerts.v1
        duban.deliveries.v1 duban.dlq.v1)

G="${DUBAN_SHARED_DIR:-$SRC/../shared}/gazettes"
GAZETTES=("$G/000_55122fd70aed731a.txt" "$G/001_695d6e90fcff097e.txt" "$G/002_0222121a82854d09.txt")
INGESTED=$WORK/ingest.jsonl
"$BIN/duban-ingest" --dry-run "${GAZETTES[@]}" >"$INGESTED" 2>/dev/null

# run NAME json|ingest [producer options...] -- [checker options...]
run() {
    local name=$1 dir=$WORK/$1 via=$2; shift 2
    local expected=$EVENTS
    [ "$via" = ingest ] && expected=$INGESTED
    local produce=() check=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do produce+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    check=("$@")
    mkdir -p "$dir"
    if [ -n "${DUBAN_REAL_KAFKA_DIR:-}" ]; then  # the realkafka label: fresh topics on real Kafka
        bash "$SRC/tests/integration/lib/realkafka.sh" reset 4 >"$dir/bootstrap" 2>"$dir/broker.err" || true
    else
        bg "$BIN/duban-broker" --partitions 4 --bootstrap-file "$dir/bootstrap" >"$dir/broker.out" 2>"$dir/broker.err"
    fi
    wait_until 10 test -s "$dir/bootstrap" || { echo "duban-broker wrote no bootstrap file" >&2; cat "$dir/broker.err" >&2; exit 1; }
    local bs; bs=$(head -1 "$dir/bootstrap")
    echo "== $name: broker $bs"
    if [ "$via" = ingest ]; then
        "$BIN/duban-ingest" -b "$bs" ${produce[@]+"${produce[@]}"} "${GAZETTES[@]}" 2>/dev/null
    else
        "$BIN/duban-produce-json" -b "$bs" ${produce[@]+"${produce[@]}"} <"$EVENTS"
    fi
    # One dump per topic: a text header line, then the raw key and payload
    # bytes, whose lengths the header gives (binary-safe), then a newline.
    local dumps=() topic
    for topic in "${TOPICS[@]}"; do
        timeout 60 kcat -C -q -b "$bs" -t "$topic" -o beginning -e -X fetch.wait.max.ms=10 -f '%t %p %o %K %S\n%k%s\n' \
            >"$dir/$topic.dump"
        echo "kcat $topic: $(grep -ac '^duban\.' "$dir/$topic.dump" || true) message(s)"
        dumps+=("$dir/$topic.dump")
    done
    /usr/bin/python3 "$SRC/tests/integration/interop_avro_check.py" ${check[@]+"${check[@]}"} \
        "$SRC/schemas" "$expected" "${dumps[@]}"
}

# 1. the embedded default: built-in registry, fixed ids 1..6
run builtin json
run ingest ingest

# The checker must notice a broken frame: magic byte 1 on the first message,
# then one flipped bit in the last byte of an Avro body.
for mode in magic body; do
    /usr/bin/python3 - "$WORK/builtin/duban.tasks.v1.dump" "$WORK/bad.dump" "$mode" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
nl = data.index(b"\n")
_, _, _, klen, vlen = data[:nl].split(b" ")
start = nl + 1 + max(int(klen), 0)
if sys.argv[3] == "magic":
    data[start] = 1
else:
    data[start + int(vlen) - 1] ^= 0x01
open(sys.argv[2], "wb").write(data)
PY
    if /usr/bin/python3 "$SRC/tests/integration/interop_avro_check.py" "$SRC/schemas" "$EVENTS" \
            "$WORK/bad.dump" >"$WORK/bad.out" 2>&1; then
        echo "FAIL: the checker accepted a corrupted frame ($mode)" >&2; cat "$WORK/bad.out" >&2; exit 1
    fi
    echo "corrupted frame ($mode) rejected: $(grep -m1 FAIL "$WORK/bad.out")"
done
# ... and a field that differs: one task's text changed in the expected events.
/usr/bin/python3 "$SRC/tests/integration/lib/interop_events.py" change-text "$EVENTS" >"$WORK/changed.jsonl"
if /usr/bin/python3 "$SRC/tests/integration/interop_avro_check.py" "$SRC/schemas" "$WORK/changed.jsonl" \
        "$WORK"/builtin/*.dump >"$WORK/bad.out" 2>&1; then
    echo "FAIL: the checker accepted events that differ" >&2; cat "$WORK/bad.out" >&2; exit 1
fi
echo "changed field rejected: $(grep -m1 FAIL "$WORK/bad.out")"

# 2. with schema.registry.url: ids registered in a Schema Registry (the fake
#    one, Confluent's REST API); python-avro fetches the writer schema by id
bg "$BIN/duban-fake-registry" --first-id 100 --url-file "$WORK/registry.url" >/dev/null 2>"$WORK/registry.err"
wait_until 10 test -s "$WORK/registry.url" || fail "duban-fake-registry did not start: $(cat "$WORK/registry.err")"
REG=$(head -1 "$WORK/registry.url")
run registry json --set "schema.registry.url=$REG" -- --registry "$REG"
run ingest-registry ingest --set "schema.registry.url=$REG" -- --registry "$REG"
subjects=$(/usr/bin/python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/subjects", timeout=10).read().decode())' "$REG")
for topic in "${TOPICS[@]}"; do
    case "$subjects" in *"\"$topic-value\""*) ;; *) echo "FAIL: subject $topic-value not registered: $subjects" >&2; exit 1 ;; esac
done
echo "registry subjects: $subjects"
