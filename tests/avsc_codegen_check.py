#!/usr/bin/env python3
"""unit.avsc_codegen: the direct Avro codecs follow schemas/*.avsc, and only them.

Usage: avsc_codegen_check.py BUILD/compile_commands.json SRC BUILD/common/gen

The codecs' tables and the TaskAssigned writer are generated from the .avsc
at build time (cmake/avsc_codegen.py, common/CMakeLists.txt). This test:
  - regenerates them from schemas/ and finds the build's copies identical;
  - changes a copy of schemas/ one way at a time, regenerates into a temp
    dir, and checks the generated text changed accordingly (a renamed field
    gets its new name and index, a moved field its new place, a union's null
    branch, an added symbol, a default), or that the generator refuses the
    schema naming the file and the field;
  - compiles the two hand-written sides (common/alert/task_event.c, the
    decoder's bindings; common/ingest/task_assigned.c, the writer's
    accessors) against each regenerated copy with the build's own flags
    (-fsyntax-only, -Werror): a change to a field C code does not bind
    compiles unchanged, and one to a field it binds (renamed, retyped, a
    symbol added) fails naming it, so no schema change can misread bytes;
  - the hand-built JSON of DeadlineAlert (common/alert/alerter.c) and
    TaskStatusChanged (producers/status/status_{intake,check,state,api}.c)
    takes every key from the generated names (DUBAN_AVSC_*_KEY): compiled
    the same way, they fail naming the field when it is renamed (top level
    or nested) or retyped, and compile when fields only move or are added;
    so do the readers of these records' JSON and of DeliveryAttempt's
    (READERS: the audit, the notifier, the analytics store, ...), among
    them the notifier's webhook formats (common/notify/webhook_format.c),
    which are below the wire layer and see only the generated keys
    (gen/keys/avsc_keys.h), not the tables;
  - the JSON side too: the JSON writer generated next to the Avro writer
    names every field as the .avsc does (a renamed or added field shows in
    it, and task_assigned.c fails until it binds it), and a small program
    linked from task_assigned.c, task_event.c and the tables regenerated
    from a copy writes a sealed TaskAssigned as JSON and reads it back:
    its keys follow the copy's order (a moved field moves in the JSON) and
    the reader, which looks members up by the tables' names, finds them.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layering_check import syntax_only  # noqa: E402  (the same compile probe)

CODEC_SCHEMAS = ["TaskAssigned.avsc", "TaskStatusChanged.avsc", "DeadlineAlert.avsc",
                 "DeliveryAttempt.avsc"]
WRITER = "TaskAssigned=duban_task_assigned_t"
# The C that builds or reads DeadlineAlert and TaskStatusChanged JSON member by
# member, every key through DUBAN_AVSC_<RECORD>_KEY (avsc.h).
ALERT_JSON = ("common/alert/alerter.c",)
STATUS_JSON = ("producers/status/status_intake.c", "producers/status/status_check.c",
               "producers/status/status_state.c", "producers/status/status_api.c")
JSON_BUILDERS = ALERT_JSON + STATUS_JSON
# Readers of these records' JSON (and DeliveryAttempt's), keys through the
# same macros: a renamed field fails them too. webhook_format.c is below the
# wire layer and sees only the keys (gen/keys/avsc_keys.h), not the tables.
WEBHOOK = "common/notify/webhook_format.c"
READERS = ("common/wire/event.c", WEBHOOK, "consumers/alerter/service.c",
           "consumers/analytics/store.c", "consumers/audit/timeline.c",
           "consumers/audit/verify.c", "consumers/notifier/notifier.c",
           "consumers/notifier/resume.c")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def generate(src, schemas, out):
    """Runs the generator as the build does; (exit code, stderr, {file: text})."""
    gen = os.path.join(src, "cmake", "avsc_codegen.py")
    files = [os.path.join(schemas, s) for s in CODEC_SCHEMAS]
    texts, err, rc = {}, "", 0
    for args, sub in (([], ""), (["--writer", WRITER, "--writers-only"], "ingest"),
                      (["--keys-only"], "keys")):
        r = subprocess.run([sys.executable, gen, "--out", os.path.join(out, sub), *args, *files],
                           capture_output=True, text=True)
        rc, err = rc or r.returncode, err + r.stderr
    for sub in ("", "ingest", "keys"):
        d = os.path.join(out, sub)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            if os.path.isfile(os.path.join(d, name)):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    texts[os.path.join(sub, name)] = f.read()
    return rc, err, texts


class Compiler:
    """task_event.c / task_assigned.c with the build's flags, generated dir swapped."""

    def __init__(self, db, src, build_gen):
        with open(db, encoding="utf-8") as f:
            entries = json.load(f)
        self.cmds, self.build_gen = {}, os.path.realpath(build_gen)
        for rel in (("common/alert/task_event.c", "common/ingest/task_assigned.c") +
                    JSON_BUILDERS + READERS):
            path = os.path.realpath(os.path.join(src, rel))
            for e in entries:
                if os.path.realpath(os.path.join(e["directory"], e["file"])) == path:
                    argv = e.get("arguments") or shlex.split(e["command"])
                    self.cmds[rel] = (path, e["directory"], argv)
            if rel not in self.cmds:
                raise SystemExit("%s is not in %s" % (rel, db))

    def argv(self, rel, gen, probe=None):
        """rel's flags, the generated dirs swapped for gen's, checking probe."""
        path, directory, argv = self.cmds[rel]
        out = []
        for a in syntax_only(argv, path, probe or path):
            if a.startswith("-I") and os.path.realpath(a[2:]).startswith(self.build_gen):
                a = "-I" + os.path.normpath(os.path.join(
                    gen, os.path.relpath(os.path.realpath(a[2:]), self.build_gen)))
            out.append(a)
        return out + ["-Werror"], directory

    def compile(self, rel, gen):
        argv, directory = self.argv(rel, gen)
        r = subprocess.run(argv, cwd=directory, capture_output=True, text=True)
        return r.returncode, r.stderr

    def program(self, gen, driver, exe, libs):
        """Links driver (C, with both sides' headers) with task_assigned.c,
        task_event.c and avsc_gen.c compiled against gen, before the build's
        libraries (whose own copies are then not pulled in)."""
        objs = []
        for rel, probe, extra in (
                ("common/ingest/task_assigned.c", None, []),
                ("common/alert/task_event.c", None, []),
                ("common/alert/task_event.c", os.path.join(gen, "avsc_gen.c"), []),
                ("common/ingest/task_assigned.c", driver,
                 ["-I" + os.path.dirname(self.cmds["common/alert/task_event.c"][0])])):
            argv, directory = self.argv(rel, gen, probe)
            obj = os.path.join(os.path.dirname(exe), "o%d.o" % len(objs))
            argv = [a for a in argv if a != "-fsyntax-only"]
            argv = argv[:-2] + extra + ["-c", argv[-2], "-o", obj, "-Werror"]
            r = subprocess.run(argv, cwd=directory, capture_output=True, text=True)
            if r.returncode:
                return r.returncode, r.stderr
            objs.append(obj)
        r = subprocess.run(["cc", *objs, "-o", exe, *libs], capture_output=True, text=True)
        return r.returncode, r.stderr


# Writes a TaskAssigned as JSON (task_assigned.c, sealed) and reads it back
# (task_event.c): the line, then what the reader found.
DRIVER = r"""
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "task_assigned.h"
#include "task_event.h"

int main(void)
{
    duban_strlist_t lead = {0}, issuers = {0};
    duban_deadline_t dl;
    memset(&dl, 0, sizeof(dl));
    dl.kind = DUBAN_DEADLINE_DATED;
    dl.due_date = 19538;
    strcpy(dl.text, "6月底前");
    if (duban_strlist_push(&lead, "区财政局") || duban_strlist_push(&issuers, "区政府"))
        return 1;
    duban_task_assigned_t ta = {
        .occurred_at = 1688000000000, .schema_version = 1, .task_id = "d#1", .doc_id = "d",
        .outline_path = "1", .text = "任务", .lead_departments = &lead, .deadline = &dl,
        .doc_title = "标题", .issuers = &issuers, .source_file = "f.txt", .source_line = 3,
        .source_offset = 42};
    duban_buf_t b;
    duban_buf_init(&b, 0);
    char err[256];
    if (duban_task_assigned_seal(&ta, &b, err, sizeof(err)))
        return fprintf(stderr, "seal: %s\n", err), 1;
    duban_buf_reset(&b);
    if (duban_task_assigned_write_json(&ta, &b, err, sizeof(err)))
        return fprintf(stderr, "write: %s\n", err), 1;
    printf("%.*s\n", (int)b.len, (const char *)b.data);
    json_t *j = json_loadb((const char *)b.data, b.len, 0, NULL);
    duban_task_event_t ev;
    duban_task_event_init(&ev);
    if (!j || duban_task_event_from_json(&ev, j, true, err, sizeof(err)))
        return fprintf(stderr, "read: %s\n", j ? err : "not JSON"), 1;
    printf("task_id=%s doc_title=%s lead=%s issuers=%s due=%d kind=%d line=%lld offset=%lld\n",
           ev.task_id, ev.doc_title, ev.lead_departments.count ? ev.lead_departments.data : "-",
           ev.issuers.count ? ev.issuers.data : "-", (int)ev.due_date, ev.deadline_kind,
           (long long)ev.source_line, (long long)ev.source_offset);
    duban_task_event_free(&ev);
    duban_buf_free(&b);
    duban_strlist_free(&lead);
    duban_strlist_free(&issuers);
    return 0;
}
"""
READ_BACK = ("task_id=d#1 doc_title=标题 lead=区财政局 issuers=区政府 due=19538 kind=1 "
             "line=3 offset=42")


def link_libs(build):
    """The compiler, its link flags and the libraries a unit test links."""
    d = os.path.join(build, "tests")
    with open(os.path.join(d, "CMakeFiles", "test_task_event.dir", "link.txt"),
              encoding="utf-8") as f:
        argv = shlex.split(f.read())
    o = argv.index("-o")
    flags = [a for a in argv[1:o] if not a.endswith(".o")]
    libs = [os.path.normpath(os.path.join(d, a)) if a.endswith(".a") and not os.path.isabs(a)
            else a for a in argv[o + 2:]]
    return flags + libs


def json_keys(line):
    """The top-level keys of a JSON line, in order."""
    return [k for k, _ in json.loads(line, object_pairs_hook=list)]


def mutate(schemas, tmp, name, fn):
    """A copy of schemas/ with `name` changed by fn(parsed JSON) (in place)."""
    d = os.path.join(tmp, "schemas")
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(schemas, d)
    p = os.path.join(d, name)
    with open(p, encoding="utf-8") as f:
        doc = json.load(f)
    before = json.dumps(doc)
    fn(doc)
    assert json.dumps(doc) != before, "the change to %s did not apply" % name
    with open(p, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
    return d


def field(doc, name):
    return next(f for f in doc["fields"] if f["name"] == name)


def main():
    db, src, build_gen = sys.argv[1], sys.argv[2], sys.argv[3]
    schemas = os.path.join(src, "schemas")
    cc = Compiler(db, src, build_gen)
    with tempfile.TemporaryDirectory() as tmp:
        # 1. the build compiled what the .avsc says
        rc, err, base = generate(src, schemas, os.path.join(tmp, "base"))
        check(rc == 0 and set(base) == {"avsc_gen.h", "avsc_gen.c", "keys/avsc_keys.h",
                                        "ingest/avsc_write_task_assigned.h"},
              "the committed schemas generate: %s" % (err.strip() or sorted(base)))
        for name, text in base.items():
            try:
                with open(os.path.join(build_gen, name), encoding="utf-8") as f:
                    same = f.read() == text
            except OSError:
                same = False
            check(same, "build's %s is what schemas/ generates" % name)
        for rel in cc.cmds:
            rc, err = cc.compile(rel, os.path.join(tmp, "base"))
            check(rc == 0, "%s compiles against a fresh generation %s" % (rel, err))
        h, c = base["avsc_gen.h"], base["avsc_gen.c"]
        # no key spelled by hand where the generated names are the rule
        with open(os.path.join(schemas, "DeadlineAlert.avsc"), encoding="utf-8") as f:
            da_fields = [x["name"] for x in json.load(f)["fields"]]
        with open(os.path.join(src, ALERT_JSON[0]), encoding="utf-8") as f:
            text = f.read()
        check(not [x for x in da_fields if '"%s"' % x in text],
              "%s spells no DeadlineAlert key by hand %s" %
              (ALERT_JSON[0], [x for x in da_fields if '"%s"' % x in text]))
        with open(os.path.join(src, WEBHOOK), encoding="utf-8") as f:
            text = f.read()
        hand = re.findall(r'(?:jstr|json_object_get)\(a, "[^"]*"', text)
        check(not hand, "%s reads no DeadlineAlert member by a hand-spelled key %s" %
              (WEBHOOK, hand))
        only_status = ("from_status", "to_status", "new_due_date", "actor", "comment")
        for rel in STATUS_JSON:
            with open(os.path.join(src, rel), encoding="utf-8") as f:
                text = f.read()
            hand = [x for x in only_status if re.search(r'\(ev, "%s"' % x, text)]
            check(not hand, "%s reads or writes no TaskStatusChanged member by a "
                  "hand-spelled key %s" % (rel, hand))
        w = base["ingest/avsc_write_task_assigned.h"]
        check('{"review", DUBAN_AVSC_STRINGS, -1, 0, 1, NULL, NULL, 0, "[]"}' in c,
              "review's default [] is in the table")
        check("DUBAN_AVSC_DEADLINE_ALERT__EVENT_ID = 0," in h, "DeadlineAlert.event_id is entry 0")

        # the JSON side: the generated JSON writer names every field, and a
        # program built from the two sides writes and reads back the schema
        with open(os.path.join(schemas, "TaskAssigned.avsc"), encoding="utf-8") as f:
            ta_fields = [x["name"] for x in json.load(f)["fields"]]
        check(all(',\\"%s\\":' % x in w for x in ta_fields),
              "the JSON writer writes every TaskAssigned field by its .avsc name")
        driver = os.path.join(tmp, "driver.c")
        with open(driver, "w", encoding="utf-8") as f:
            f.write(DRIVER)
        libs = link_libs(os.path.dirname(os.path.abspath(db)))

        def run_program(what, gen, keys):
            exe = os.path.join(gen, "driver")
            rc, err = cc.program(gen, driver, exe, libs)
            check(rc == 0, "%s: the JSON writer and reader build %s" % (what, err[:600]))
            if rc:
                return
            r = subprocess.run([exe], capture_output=True, text=True)
            lines = r.stdout.splitlines()
            check(r.returncode == 0 and len(lines) == 2,
                  "%s: the program runs %s" % (what, r.stderr.strip()))
            if len(lines) == 2:
                got = json_keys(lines[0])
                check(got == keys, "%s: JSON keys in the .avsc's order %s" % (what, got))
                check(lines[1] == READ_BACK, "%s: the reader finds what was written (%s)"
                      % (what, lines[1]))

        order = ["type"] + [x for x in ta_fields if x != "source"] + ["source"]
        run_program("schemas/ as committed", os.path.join(tmp, "base"), order)

        n = [0]

        def case(what, schema, fn, expect_gen=None, compiles=(), fails=(), texts=(), keys=None):
            """fails: (file, text the compiler error must name); keys: build
            and run the JSON writer/reader program, expecting these keys."""
            n[0] += 1
            out = os.path.join(tmp, "gen%d" % n[0])
            rc, err, got = generate(src, mutate(schemas, tmp, schema, fn), out)
            if expect_gen:
                check(rc == 1 and all(s in err for s in expect_gen),
                      "%s: the generator refuses it (%s)" % (what, err.strip()))
                return
            check(rc == 0, "%s: generates %s" % (what, err.strip()))
            for fname, present, absent in texts:
                t = got.get(fname, "")
                check(all(p in t for p in present) and not any(a in t for a in absent),
                      "%s: %s has %s%s" % (what, fname, present,
                                            ", not %s" % list(absent) if absent else ""))
            for rel in compiles:
                rc, err = cc.compile(rel, out)
                check(rc == 0, "%s: %s compiles unchanged %s" % (what, rel, err[:400]))
            for rel, name in fails:
                rc, err = cc.compile(rel, out)
                check(rc != 0 and name in err, "%s: %s fails naming %s (exit %d) %s" %
                      (what, rel, name, rc, "" if rc else "compiled"))
            if keys:
                run_program(what, out, keys)

        both = ("common/alert/task_event.c", "common/ingest/task_assigned.c")
        case("a field only the status service binds renamed (TaskStatusChanged.comment -> "
             "remark)",
             "TaskStatusChanged.avsc", lambda d: field(d, "comment").update(name="remark"),
             texts=[("avsc_gen.h", ["DUBAN_AVSC_TASK_STATUS_CHANGED__REMARK = 12,"],
                     ["TASK_STATUS_CHANGED__COMMENT"]),
                    ("keys/avsc_keys.h", ['#define DUBAN_AVSC_NAME__TASK_STATUS_CHANGED__REMARK '
                                          '"remark"'], ["TASK_STATUS_CHANGED__COMMENT"]),
                    ("avsc_gen.c", ['{"remark", DUBAN_AVSC_STRING, 0,'], ['"comment"'])],
             compiles=both + ALERT_JSON, keys=order,
             fails=[(rel, "DUBAN_AVSC_NAME__TASK_STATUS_CHANGED__COMMENT")
                    for rel in ("producers/status/status_intake.c",
                                "producers/status/status_check.c",
                                "producers/status/status_state.c")])
        case("a TaskStatusChanged field renamed (event_id -> id)",
             "TaskStatusChanged.avsc", lambda d: field(d, "event_id").update(name="id"),
             compiles=both + ALERT_JSON,
             fails=[(rel, "DUBAN_AVSC_NAME__TASK_STATUS_CHANGED__EVENT_ID")
                    for rel in ("producers/status/status_intake.c",
                                "producers/status/status_api.c")])
        case("a TaskStatusChanged field retyped (new_due_date date -> string)",
             "TaskStatusChanged.avsc",
             lambda d: field(d, "new_due_date").update(type=["null", "string"]),
             compiles=("common/ingest/task_assigned.c",) + ALERT_JSON,
             fails=[(rel, "TASK_STATUS_CHANGED__NEW_DUE_DATE is not DUBAN_AVSC_DATE")
                    for rel in ("common/alert/task_event.c",
                                "producers/status/status_intake.c",
                                "producers/status/status_check.c",
                                "producers/status/status_state.c")])
        case("a DeadlineAlert field renamed (days_left -> days_remaining)",
             "DeadlineAlert.avsc", lambda d: field(d, "days_left").update(name="days_remaining"),
             texts=[("keys/avsc_keys.h",
                     ['#define DUBAN_AVSC_NAME__DEADLINE_ALERT__DAYS_REMAINING "days_remaining"'],
                     ["DEADLINE_ALERT__DAYS_LEFT"]),
                    ("avsc_gen.h", ["DUBAN_AVSC_DEADLINE_ALERT__DAYS_REMAINING = "],
                     ["DEADLINE_ALERT__DAYS_LEFT"])],
             compiles=both + STATUS_JSON,
             fails=[(rel, "DUBAN_AVSC_NAME__DEADLINE_ALERT__DAYS_LEFT")
                    for rel in ("common/alert/alerter.c", "consumers/analytics/store.c",
                                "consumers/audit/timeline.c", "consumers/audit/verify.c",
                                WEBHOOK)])
        case("a DeadlineAlert field the webhook formats read renamed "
             "(cooperating_departments -> co_departments)",
             "DeadlineAlert.avsc",
             lambda d: field(d, "cooperating_departments").update(name="co_departments"),
             compiles=both + STATUS_JSON + ("consumers/notifier/notifier.c",),
             fails=[(WEBHOOK, "DUBAN_AVSC_NAME__DEADLINE_ALERT__COOPERATING_DEPARTMENTS")])
        case("a DeadlineAlert field the webhook formats read retyped (due_date date -> "
             "string)", "DeadlineAlert.avsc", lambda d: field(d, "due_date").update(type="string"),
             compiles=("common/ingest/task_assigned.c",) + STATUS_JSON,
             fails=[(WEBHOOK, "DEADLINE_ALERT__DUE_DATE is not DUBAN_AVSC_DATE")])
        case("a DeliveryAttempt field renamed (endpoint_id -> endpoint)",
             "DeliveryAttempt.avsc", lambda d: field(d, "endpoint_id").update(name="endpoint"),
             compiles=both + JSON_BUILDERS,
             fails=[(rel, "DUBAN_AVSC_NAME__DELIVERY_ATTEMPT__ENDPOINT_ID")
                    for rel in ("consumers/analytics/store.c", "consumers/audit/timeline.c",
                                "consumers/audit/verify.c", "consumers/notifier/notifier.c",
                                "consumers/notifier/resume.c")])
        case("a nested DeadlineAlert field renamed (source.offset -> byte_offset)",
             "DeadlineAlert.avsc",
             lambda d: next(f for f in field(d, "source")["type"]["fields"]
                            if f["name"] == "offset").update(name="byte_offset"),
             compiles=("common/ingest/task_assigned.c",) + STATUS_JSON,
             fails=[("common/alert/alerter.c",
                     "DUBAN_AVSC_NAME__DEADLINE_ALERT__SOURCE__OFFSET"),
                    ("common/alert/task_event.c", "DUBAN_AVSC_DEADLINE_ALERT__SOURCE__OFFSET")])
        case("a DeadlineAlert field retyped (late boolean -> string)",
             "DeadlineAlert.avsc", lambda d: field(d, "late").update(type="string"),
             compiles=both + STATUS_JSON,
             fails=[("common/alert/alerter.c", "DEADLINE_ALERT__LATE is not DUBAN_AVSC_BOOLEAN")])
        case("a bound field renamed (TaskAssigned.doc_title -> doc_titel)",
             "TaskAssigned.avsc", lambda d: field(d, "doc_title").update(name="doc_titel"),
             texts=[("avsc_gen.h", ["DUBAN_AVSC_TASK_ASSIGNED__DOC_TITEL = 27,"],
                     ["TASK_ASSIGNED__DOC_TITLE"]),
                    ("ingest/avsc_write_task_assigned.h",
                     ["field_doc_titel(v)", 'duban_avsc_json_raw(o, ",\\"doc_titel\\":");'],
                     ["field_doc_title", '"doc_title'])],
             fails=[("common/alert/task_event.c", "DUBAN_AVSC_TASK_ASSIGNED__DOC_TITLE"),
                    ("common/ingest/task_assigned.c", "field_doc_titel")])
        case("a bound field retyped (TaskAssigned.doc_id string -> int)",
             "TaskAssigned.avsc", lambda d: field(d, "doc_id").update(type="int"),
             texts=[("keys/avsc_keys.h", ["KIND__TASK_ASSIGNED__DOC_ID DUBAN_AVSC_INT"], [])],
             fails=[("common/alert/task_event.c", "TASK_ASSIGNED__DOC_ID is not DUBAN_AVSC_STRING"),
                    ("common/ingest/task_assigned.c", "field_doc_id")])
        case("an enum symbol added (DeadlineKind LATER)",
             "TaskAssigned.avsc",
             lambda d: field(d, "deadline_kind")["type"]["symbols"].append("LATER"),
             texts=[("avsc_gen.h", ["DUBAN_AVSC_DEADLINE_KIND_LATER = 4,",
                                    "DUBAN_AVSC_DEADLINE_KIND__COUNT 5"], []),
                    ("avsc_gen.c", ['"OPEN_ENDED", "NONE", "LATER", NULL'], [])],
             fails=[("common/alert/task_event.c", "DUBAN_AVSC_DEADLINE_KIND_LATER")])
        case("a union's branches swapped (TaskAssigned.deadline_text [string, null])",
             "TaskAssigned.avsc", lambda d: field(d, "deadline_text").update(
                 type=["string", "null"], default="x"),
             texts=[("avsc_gen.c", ['{"deadline_text", DUBAN_AVSC_STRING, 1, 0, 1, NULL, '
                                    'NULL, 0, "\\"x\\""}'], []),
                    ("ingest/avsc_write_task_assigned.h",
                     ["if (field_has_deadline_text(v)) {   /* [string, null] */\n"
                      "        duban_avro_put_long(out, 0);"], [])],
             compiles=both)
        case("a field moved (DeadlineAlert.event_id last)", "DeadlineAlert.avsc",
             lambda d: d.update(fields=d["fields"][1:] + d["fields"][:1]),
             texts=[("avsc_gen.h", ["DUBAN_AVSC_DEADLINE_ALERT__EVENT_ID = 24,",
                                    "DUBAN_AVSC_DEADLINE_ALERT__OCCURRED_AT = 0,"], [])],
             compiles=both + JSON_BUILDERS + READERS)
        case("a field added (TaskStatusChanged.note, default null)", "TaskStatusChanged.avsc",
             lambda d: d["fields"].append({"name": "note", "type": ["null", "string"],
                                           "default": None}),
             texts=[("avsc_gen.h", ["DUBAN_AVSC_TASK_STATUS_CHANGED__NOTE = 13,",
                                    "DUBAN_AVSC_TASK_STATUS_CHANGED__ENTRIES = 14"], [])],
             compiles=both + JSON_BUILDERS)
        moved = [x for x in ta_fields if x != "doc_title"]
        moved.insert(moved.index("task_id") + 1, "doc_title")
        case("a field moved (TaskAssigned.doc_title after task_id)", "TaskAssigned.avsc",
             lambda d: d.update(fields=[field(d, x) for x in moved]),
             texts=[("avsc_gen.h", ["DUBAN_AVSC_TASK_ASSIGNED__DOC_TITLE = 8,"], [])],
             compiles=both,
             keys=["type"] + [x for x in moved if x != "source"] + ["source"])
        case("a field added to TaskAssigned (priority, default null)", "TaskAssigned.avsc",
             lambda d: d["fields"].append({"name": "priority", "type": ["null", "string"],
                                           "default": None}),
             texts=[("ingest/avsc_write_task_assigned.h",
                     ["if (field_has_priority(v)) {",
                      'duban_avsc_json_raw(o, ",\\"priority\\":");'], [])],
             compiles=("common/alert/task_event.c",),
             fails=[("common/ingest/task_assigned.c", "field_has_priority")])
        case("a logical type the codecs do not know (occurred_at time-millis)",
             "TaskStatusChanged.avsc",
             lambda d: field(d, "occurred_at")["type"].update(logicalType="time-millis"),
             expect_gen=["TaskStatusChanged.avsc", "TaskStatusChanged.occurred_at",
                         "time-millis"])
        case("a type the codecs do not know (a map)", "DeadlineAlert.avsc",
             lambda d: d["fields"].append({"name": "labels",
                                           "type": {"type": "map", "values": "string"}}),
             expect_gen=["DeadlineAlert.avsc", "DeadlineAlert.labels", "map"])
        case("two fields that would share a C name (source__file vs source.file)",
             "TaskAssigned.avsc",
             lambda d: d["fields"].append({"name": "source__file", "type": "string"}),
             expect_gen=["DUBAN_AVSC_TASK_ASSIGNED__SOURCE__FILE"])
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
