"""Reads every duban topic with Confluent's own Python client, as a third
party would: confluent-kafka's Consumer, its SchemaRegistryClient and its
AvroDeserializer (writer schema fetched by the id in each message's Confluent
header), the key with its StringDeserializer. Compares every event, field by
field, with the JSON events that were produced. Used by interop_confluent.sh;
runs in the venv of scripts/confluent-client.sh.

usage: interop_confluent.py BOOTSTRAP REGISTRY_URL EVENTS.jsonl

Every message on the six topics must deserialize, name a schema id the
registry has, carry an event that was produced (by event_id), be keyed as
DESIGN.md says and equal it, field by field along the registry's schema
(lib/interop_events.py); every produced event must come back exactly
once, on its type's topic. Exit status 0 only then."""
import json
import os
import sys

import confluent_kafka
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringDeserializer

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from interop_events import TOPICS, Checker  # noqa: E402


def main():
    bootstrap, registry, events_path = sys.argv[1:4]
    checker = Checker(events_path)
    fail = checker.fail
    client = SchemaRegistryClient({"url": registry})
    value_de = AvroDeserializer(client)   # no reader schema: the writer's, by id
    key_de = StringDeserializer("utf_8")
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "interop-confluent",
                         "enable.auto.commit": False, "enable.partition.eof": True})
    counts = {}
    for topic in TOPICS.values():
        md = consumer.list_topics(topic, timeout=30).topics[topic]
        if md.error:
            fail("%s: %s" % (topic, md.error))
            continue
        parts = []
        for p in sorted(md.partitions):
            lo, hi = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)
            if hi > lo:
                parts.append(TopicPartition(topic, p, lo))
        counts[topic] = 0
        if not parts:
            continue
        consumer.assign(parts)
        left = len(parts)
        while left:
            m = consumer.poll(30)
            if m is None:
                fail("%s: nothing within 30 s with %d partitions unread" % (topic, left))
                break
            if m.error():
                if m.error().code() == confluent_kafka.KafkaError._PARTITION_EOF:
                    left -= 1
                else:
                    fail("%s: %s" % (topic, m.error()))
                continue
            counts[topic] += 1
            where = "%s/%d@%d" % (topic, m.partition(), m.offset())
            try:
                got = value_de(m.value(), SerializationContext(topic, MessageField.VALUE))
                key = key_de(m.key(), SerializationContext(topic, MessageField.KEY))
                # the writer schema AvroDeserializer used, as the registry has it
                sid = int.from_bytes(m.value()[1:5], "big")
                schema = json.loads(client.get_schema(sid).schema_str)
            except Exception as e:  # noqa: BLE001 - any failure to read is the finding
                fail("%s: cannot deserialize: %s" % (where, e))
                continue
            checker.check(where, topic, key, schema, schema.get("name"), got)
        consumer.unassign()
    consumer.close()
    checker.finish()
    print("confluent-kafka %s (librdkafka %s), SchemaRegistryClient + AvroDeserializer: %s; "
          "%d events compared, %d failures"
          % (confluent_kafka.__version__, confluent_kafka.libversion()[0],
             ", ".join("%s %d" % (t, n) for t, n in counts.items()), len(checker.seen),
             len(checker.failures)))
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
