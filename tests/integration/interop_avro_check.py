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
import io
import json
import os
import struct
import sys
import urllib.request

import avro.io
import avro.schema

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from interop_events import TYPES, Checker  # noqa: E402


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
    checker = Checker(events_path)
    fail = checker.fail
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
            checker.check(where, topic, None if key is None else key.decode("utf-8"),
                          schema.to_json(), rtype, got)
    checker.finish()
    print("interop: %d messages decoded by python-avro %s, %d events compared, %d failures" %
          (count, getattr(avro, "__version__", "?"), len(checker.seen), len(checker.failures)))
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
