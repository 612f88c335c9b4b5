#!/usr/bin/python3
"""Decodes duban messages taken off Kafka by kcat with Apache Avro's own Python
implementation (Debian's python3-avro) and compares them, field by field, with
the JSON events that were produced. Used by interop_kcat_avro.sh.

usage: interop_avro_check.py [--registry URL] SCHEMA_DIR EVENTS.jsonl DUMP...

Each DUMP is kcat output for one topic in the format '%t %p %o %K %S\\n%k%s\\n'
(a text header line, then the raw key and payload bytes and a newline). Every message must
be: magic byte 0, a 4-byte big-endian schema id naming one of the built-in
ids (1..6 in common/wire/event.h order), and an Avro binary body that the schema
of that id reads to the last byte. With --registry, ids are instead looked up
in that Schema Registry (GET /schemas/ids/{id}, Confluent's REST API) and
must not be built-in ids. Exit status 0 only when every input event
came back exactly once, equal, on its type's topic."""
import base64
import datetime
import io
import json
import struct
import sys
import urllib.request

import avro.io
import avro.schema

TYPES = ["DocumentPublished", "TaskAssigned", "TaskStatusChanged",
         "DeadlineAlert", "DeliveryAttempt", "DeadLetter"]
TOPICS = {"DocumentPublished": "duban.documents.v1", "TaskAssigned": "duban.tasks.v1",
          "TaskStatusChanged": "duban.task-status.v1", "DeadlineAlert": "duban.alerts.v1",
          "DeliveryAttempt": "duban.deliveries.v1", "DeadLetter": "duban.dlq.v1"}
# Message keys named by DESIGN.md's flow.
KEYS = {"DocumentPublished": "doc_id", "TaskAssigned": "task_id",
        "TaskStatusChanged": "task_id", "DeadlineAlert": "task_id"}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg, file=sys.stderr)


def read_dump(path):
    """Yields (topic, partition, offset, key bytes|None, payload bytes)."""
    data = open(path, "rb").read()
    pos = 0
    while pos < len(data):
        nl = data.index(b"\n", pos)
        topic, part, off, klen, vlen = data[pos:nl].decode().split(" ")
        pos = nl + 1
        klen, vlen = int(klen), int(vlen)
        key = None
        if klen >= 0:
            key = data[pos:pos + klen]
            pos += klen
        if vlen < 0:
            raise ValueError("%s: null payload at %s/%s@%s" % (path, topic, part, off))
        value = data[pos:pos + vlen]
        if len(value) != vlen:
            raise ValueError("%s: truncated dump" % path)
        pos += vlen
        if data[pos:pos + 1] != b"\n":
            raise ValueError("%s: no newline after the payload at %s/%s@%s" % (path, topic, part, off))
        pos += 1
        yield topic, int(part), int(off), key, value


def to_millis(v):
    if isinstance(v, int):
        return v
    return int(round((datetime.datetime.fromisoformat(v) - EPOCH).total_seconds() * 1000))


def compare(schema, want, got, path):
    """want: the JSON of the input event; got: what python-avro decoded."""
    t = schema.type
    logical = schema.get_prop("logicalType")
    if t == "union":
        if want is None:
            if got is not None:
                fail("%s: want null, got %r" % (path, got))
            return
        branches = [s for s in schema.schemas if s.type != "null"]
        compare(branches[0], want, got, path)
    elif t == "record":
        if not isinstance(got, dict):
            fail("%s: not a record: %r" % (path, got))
            return
        for f in schema.fields:
            # a field the JSON form leaves out is the schema's default (additive fields)
            dflt = f.default if getattr(f, "has_default", False) else None
            compare(f.type, want.get(f.name, dflt) if isinstance(want, dict) else None,
                    got.get(f.name), path + "." + f.name)
        extra = set(got) - {f.name for f in schema.fields}
        if extra:
            fail("%s: fields not in the schema: %s" % (path, sorted(extra)))
    elif t == "array":
        if not isinstance(got, list) or len(got) != len(want or []):
            fail("%s: want %r, got %r" % (path, want, got))
            return
        for i, (w, g) in enumerate(zip(want, got)):
            compare(schema.items, w, g, "%s[%d]" % (path, i))
    elif logical == "date":
        g = got.isoformat() if isinstance(got, datetime.date) else \
            (EPOCH.date() + datetime.timedelta(days=got)).isoformat()
        if g != want:
            fail("%s: want date %s, got %s" % (path, want, g))
    elif logical == "timestamp-millis":
        g = got if isinstance(got, int) else \
            int(round((got - EPOCH).total_seconds() * 1000))
        if g != to_millis(want):
            fail("%s: want %s (%d ms), got %d ms" % (path, want, to_millis(want), g))
    elif t == "bytes":
        if got != base64.b64decode(want):
            fail("%s: bytes differ: want %r, got %r" % (path, base64.b64decode(want), got))
    elif t in ("string", "enum", "int", "long", "boolean"):
        if type(got) is not type(want) or got != want:
            fail("%s: want %r, got %r" % (path, want, got))
    else:
        fail("%s: schema type %s not handled by this checker" % (path, t))


def registry_schema(url, sid, cache={}):
    """The schema a Confluent Schema Registry has under id sid."""
    if sid not in cache:
        with urllib.request.urlopen("%s/schemas/ids/%d" % (url, sid), timeout=10) as r:
            cache[sid] = avro.schema.parse(json.load(r)["schema"])
    return cache[sid]


def main():
    args = sys.argv[1:]
    registry = None
    if args and args[0] == "--registry":
        registry, args = args[1], args[2:]
    schema_dir, events_path, dumps = args[0], args[1], args[2:]
    schemas = []
    for name in TYPES:
        with open("%s/%s.avsc" % (schema_dir, name), encoding="utf-8") as f:
            schemas.append(avro.schema.parse(f.read()))
    events = {}
    for line in open(events_path, encoding="utf-8"):
        if line.strip():
            ev = json.loads(line)
            events[ev["event_id"]] = ev
    seen = {}
    count = 0
    for dump in dumps:
        for topic, part, off, key, value in read_dump(dump):
            where = "%s/%d@%d" % (topic, part, off)
            count += 1
            if len(value) < 5:
                fail("%s: %d bytes, shorter than the 5-byte header" % (where, len(value)))
                continue
            magic, sid = struct.unpack(">bI", value[:5])
            if magic != 0:
                fail("%s: magic byte %d, want 0" % (where, magic))
                continue
            if registry:
                if 1 <= sid <= len(TYPES):
                    fail("%s: schema id %d is a built-in id, not the registry's" % (where, sid))
                    continue
                try:
                    schema = registry_schema(registry, sid)
                except Exception as e:  # noqa: BLE001
                    fail("%s: registry has no schema id %d: %s" % (where, sid, e))
                    continue
                rtype = schema.name
            else:
                if not 1 <= sid <= len(TYPES):
                    fail("%s: schema id %d is not a built-in id" % (where, sid))
                    continue
                schema = schemas[sid - 1]
                rtype = TYPES[sid - 1]
            if schema.namespace != "gov.duban" or rtype not in TYPES:
                fail("%s: id %d is %s, not a duban event" % (where, sid, schema.fullname))
                continue
            body = io.BytesIO(value[5:])
            try:
                got = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(body))
            except Exception as e:  # noqa: BLE001 - any decode failure is the finding
                fail("%s: python-avro cannot decode id %d: %s" % (where, sid, e))
                continue
            if body.tell() != len(value) - 5:
                fail("%s: %d of %d body bytes left unread" %
                     (where, len(value) - 5 - body.tell(), len(value) - 5))
            eid = got.get("event_id")
            want = events.get(eid)
            if want is None:
                fail("%s: event_id %r was not produced" % (where, eid))
                continue
            if eid in seen:
                fail("%s: event %s seen twice (also at %s)" % (where, eid, seen[eid]))
            seen[eid] = where
            if want["type"] != rtype:
                fail("%s: id %d is %s, the event is a %s" % (where, sid, rtype, want["type"]))
                continue
            if topic != TOPICS[want["type"]]:
                fail("%s: a %s on topic %s" % (where, want["type"], topic))
            kf = KEYS.get(want["type"])
            if kf and (key is None or key.decode("utf-8") != want[kf]):
                fail("%s: key %r, want %s %r" % (where, key, kf, want[kf]))
            compare(schema, want, got, want["type"] + "(" + eid + ")")
    for eid, ev in events.items():
        if eid not in seen:
            fail("event %s (%s) never came back" % (eid, ev["type"]))
    print("interop: %d messages decoded by python-avro %s, %d events compared, %d failures" %
          (count, getattr(avro, "__version__", "?"), len(seen), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
