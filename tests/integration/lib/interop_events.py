"""tests/integration/lib/interop_events.py: what the interop checks share.
They decode duban's messages with someone else's Avro implementation
(interop_avro_check.py: Debian's python3-avro on kcat's raw bytes;
interop_confluent.py: Confluent's Python client) and hand each decoded event
to a Checker, which compares it field by field, following the writer's
schema as JSON, with the JSON event that was produced. Standard library only.
`interop_events.py change-text EVENTS.jsonl` prints the events with one task's
text changed, for the checks that a checker rejects a difference."""
import base64
import datetime
import json
import sys

TYPES = ["DocumentPublished", "TaskAssigned", "TaskStatusChanged",
         "DeadlineAlert", "DeliveryAttempt", "DeadLetter"]
TOPICS = {"DocumentPublished": "duban.documents.v1", "TaskAssigned": "duban.tasks.v1",
          "TaskStatusChanged": "duban.task-status.v1", "DeadlineAlert": "duban.alerts.v1",
          "DeliveryAttempt": "duban.deliveries.v1", "DeadLetter": "duban.dlq.v1"}
# Message keys named by DESIGN.md's flow.
KEYS = {"DocumentPublished": "doc_id", "TaskAssigned": "task_id",
        "TaskStatusChanged": "task_id", "DeadlineAlert": "task_id"}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def to_millis(v):
    if isinstance(v, int):
        return v
    return int(round((datetime.datetime.fromisoformat(v) - EPOCH).total_seconds() * 1000))


class Checker:
    """Every produced event (EVENTS.jsonl) must come back exactly once, on
    its type's topic, keyed as DESIGN.md says, equal to what was produced."""

    def __init__(self, events_path):
        self.events, self.seen, self.failures = {}, {}, []
        for line in open(events_path, encoding="utf-8"):
            if line.strip():
                ev = json.loads(line)
                self.events[ev["event_id"]] = ev

    def fail(self, msg):
        self.failures.append(msg)
        if len(self.failures) <= 20:
            print("FAIL " + msg, file=sys.stderr)

    def check(self, where, topic, key, schema, rtype, got):
        """One decoded message: schema is the writer's schema as JSON, rtype
        its record name, key the message key as text (None: no key)."""
        eid = got.get("event_id") if isinstance(got, dict) else None
        want = self.events.get(eid)
        if want is None:
            return self.fail("%s: event_id %r was not produced" % (where, eid))
        if eid in self.seen:
            self.fail("%s: event %s seen twice (also at %s)" % (where, eid, self.seen[eid]))
        self.seen[eid] = where
        if want["type"] != rtype:
            return self.fail("%s: the schema is %s, the event is a %s" % (where, rtype, want["type"]))
        if topic != TOPICS[want["type"]]:
            self.fail("%s: a %s on topic %s" % (where, want["type"], topic))
        kf = KEYS.get(want["type"])
        if kf and key != want[kf]:
            self.fail("%s: key %r, want %s %r" % (where, key, kf, want[kf]))
        self.compare(schema, {}, want, got, want["type"] + "(" + eid + ")")

    def finish(self):
        """Reports the events that never came back; True when all is well."""
        for eid, ev in self.events.items():
            if eid not in self.seen:
                self.fail("event %s (%s) never came back" % (eid, ev["type"]))
        return not self.failures

    def compare(self, schema, names, want, got, path):
        """want: the event's JSON; got: the decoded value (dates as
        datetime.date, timestamps as aware datetimes or ms, bytes as bytes)."""
        fail = self.fail
        if isinstance(schema, str):
            if schema in names:
                return self.compare(names[schema], names, want, got, path)
            schema = {"type": schema}
        if isinstance(schema, list):   # a union: null or one other branch
            if want is None:
                if got is not None:
                    fail("%s: want null, got %r" % (path, got))
                return None
            return self.compare([s for s in schema if s != "null"][0], names, want, got, path)
        t, logical = schema["type"], schema.get("logicalType")
        if isinstance(t, (dict, list)):
            return self.compare(t, names, want, got, path)
        if t in ("record", "enum") and "name" in schema:
            names[schema["name"]] = schema
            names[schema.get("namespace", "gov.duban") + "." + schema["name"]] = schema
        if t == "record":
            if not isinstance(got, dict):
                return fail("%s: not a record: %r" % (path, got))
            for f in schema["fields"]:
                # a field the JSON form leaves out is the schema's default (additive fields)
                w = want.get(f["name"], f.get("default")) if isinstance(want, dict) else None
                self.compare(f["type"], names, w, got.get(f["name"]), path + "." + f["name"])
            extra = set(got) - {f["name"] for f in schema["fields"]}
            if extra:
                fail("%s: fields not in the schema: %s" % (path, sorted(extra)))
        elif t == "array":
            if not isinstance(got, list) or len(got) != len(want or []):
                return fail("%s: want %r, got %r" % (path, want, got))
            for i, (w, g) in enumerate(zip(want, got)):
                self.compare(schema["items"], names, w, g, "%s[%d]" % (path, i))
        elif logical == "date":
            g = got.isoformat() if isinstance(got, datetime.date) else \
                (EPOCH.date() + datetime.timedelta(days=got)).isoformat()
            if g != want:
                fail("%s: want date %s, got %s" % (path, want, g))
        elif logical == "timestamp-millis":
            g = got if isinstance(got, int) else int(round((got - EPOCH).total_seconds() * 1000))
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
        return None


def change_one_text(events_path):
    """Prints the events with the first TaskAssigned's text changed: what a
    checker must reject."""
    done = False
    for line in open(events_path, encoding="utf-8"):
        e = json.loads(line)
        if not done and e["type"] == "TaskAssigned":
            e["text"] += "。"
            done = True
        print(json.dumps(e, ensure_ascii=False))


if __name__ == "__main__":
    # interop_events.py change-text EVENTS.jsonl
    if sys.argv[1:2] != ["change-text"] or len(sys.argv) != 3:
        sys.exit("usage: interop_events.py change-text EVENTS.jsonl")
    change_one_text(sys.argv[2])
