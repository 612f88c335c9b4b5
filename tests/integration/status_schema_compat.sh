#!/usr/bin/env bash
# TaskStatusChanged with COMPLETION_REQUESTED stays compatible with what was
# written before (Apache Avro's own Python implementation, python3-avro):
#   - the symbol is appended: every earlier symbol keeps its index, so an
#     event with one of them encodes to the same bytes under both schemas,
#     and each schema reads the other's bytes of it;
#   - the enum has a default (IN_PROGRESS, itself a symbol);
#   - duban's encoder (duban-produce-json --encode-only) writes a
#     COMPLETION_REQUESTED event that python3-avro reads back equal with the
#     new schema;
#   - a reader with the schema of before cannot read COMPLETION_REQUESTED:
#     the README says so and says to upgrade readers first. Checked here so
#     that the README stays true.
# The schema of before is kept in tests/fixtures/schemas/TaskStatusChanged.v1.avsc.
source "$(dirname "$0")/lib/common.bash"
cat >"$WORK/events.jsonl" <<'EOF'
{"type":"TaskStatusChanged","event_id":"e1","occurred_at":"2023-06-20T10:00:00+08:00","schema_version":1,"source":{"file":"http:区卫生健康局","line":0,"offset":-1},"task_id":"测试发〔2023〕1号#一.1","from_status":"IN_PROGRESS","to_status":"COMPLETION_REQUESTED","new_due_date":null,"actor":"区卫生健康局","comment":"已完成"}
EOF
"$DUBAN_BIN_DIR/duban-produce-json" --encode-only "$WORK/events.jsonl" >"$WORK/encoded.tsv" 2>"$WORK/encode.log" \
    || fail "encode: $(cat "$WORK/encode.log")"
"$DEBIAN_PYTHON" - "$DUBAN_SRC_DIR/schemas/TaskStatusChanged.avsc" \
    "$DUBAN_SRC_DIR/tests/fixtures/schemas/TaskStatusChanged.v1.avsc" "$WORK/encoded.tsv" <<'PY' || fail "schema compatibility"
import datetime, io, json, sys
import avro.errors, avro.io, avro.schema

new_text, old_text = open(sys.argv[1]).read(), open(sys.argv[2]).read()
new, old = avro.schema.parse(new_text), avro.schema.parse(old_text)
enum_new = json.loads(new_text)["fields"][5]["type"][1]
enum_old = json.loads(old_text)["fields"][5]["type"][1]
assert enum_new["symbols"][:len(enum_old["symbols"])] == enum_old["symbols"], "symbols reordered"
assert enum_new["symbols"][len(enum_old["symbols"]):] == ["COMPLETION_REQUESTED"], enum_new["symbols"]
assert enum_new.get("default") == "IN_PROGRESS" and "IN_PROGRESS" in enum_new["symbols"]

def enc(schema, rec):
    b = io.BytesIO()
    avro.io.DatumWriter(schema).write(rec, avro.io.BinaryEncoder(b))
    return b.getvalue()

def dec(writer, reader, data):
    return avro.io.DatumReader(writer, reader).read(avro.io.BinaryDecoder(io.BytesIO(data)))

at = datetime.datetime(2023, 6, 20, 2, 0, tzinfo=datetime.timezone.utc)
base = dict(event_id="x", occurred_at=at, schema_version=1,
            source=dict(file="http:a", line=0, offset=-1), task_id="d#1",
            new_due_date=None, actor="a", comment=None)
n = 0
for frm in enum_old["symbols"] + [None]:
    for to in enum_old["symbols"]:
        rec = dict(base, from_status=frm, to_status=to)
        b_old, b_new = enc(old, rec), enc(new, rec)
        assert b_old == b_new, (frm, to)
        assert dec(old, new, b_old)["to_status"] == to and dec(new, old, b_new)["to_status"] == to
        n += 1
print("%d old events: same bytes under both schemas, each read by the other" % n)

topic, key, hexbytes = open(sys.argv[3]).read().rstrip("\n").split("\t")
raw = bytes.fromhex(hexbytes)
assert topic == "duban.task-status.v1" and raw[0] == 0, (topic, raw[:5])
got = dec(new, new, raw[5:])
assert got["to_status"] == "COMPLETION_REQUESTED" and got["from_status"] == "IN_PROGRESS", got
assert got["comment"] == "已完成" and got["actor"] == "区卫生健康局", got
print("duban's COMPLETION_REQUESTED event read back by python3-avro")
try:
    dec(new, old, raw[5:])
    raise SystemExit("a reader of before read COMPLETION_REQUESTED: the README is wrong")
except avro.errors.SchemaResolutionException:
    print("a reader of before cannot read it (as the README says: upgrade readers first)")
PY
echo "1 passed, 0 failed"
