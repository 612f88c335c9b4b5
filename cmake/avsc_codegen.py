#!/usr/bin/env python3
"""The Avro codecs' C tables, generated from schemas/*.avsc at build time.

Usage: avsc_codegen.py --out DIR [--writer NAME=CTYPE ...] [--writers-only | --keys-only]
                      SCHEMA.avsc ...

Writes into DIR (only files whose text changed, so nothing rebuilds for
nothing; --writers-only: only the writers; --keys-only: only avsc_keys.h):
  avsc_gen.h, avsc_gen.c   for each schema: its fields depth first as a
        duban_avsc_field_t table (common/wire/avsc.h: name, kind, the null
        branch of a ["null", X] union, nested record fields, enum symbols,
        default), an index per entry (DUBAN_AVSC_<RECORD>__<FIELD>[__<SUB>])
        and a C enum per Avro enum (duban_avsc_<enum>_t:
        DUBAN_AVSC_<ENUM>_<SYMBOL> = its index). The wire layer's.
  avsc_keys.h   constants only, for every layer (the build puts it in a
        folder of its own, seen from core up): the kinds
        (duban_avsc_kind_t), each entry's kind as a constant
        (DUBAN_AVSC_KIND__<RECORD>__<FIELD>...) for compile-time checks, its
        name as a string literal (DUBAN_AVSC_NAME__<RECORD>__<FIELD>...: the
        JSON key that C building or reading these records' JSON form uses),
        and the checked key macros DUBAN_AVSC_KEY and
        DUBAN_AVSC_<RECORD>_KEY(FIELD, KIND). avsc_gen.h includes it.
  avsc_write_<record>.h    for each --writer NAME=CTYPE: a static function
        duban_avsc_write_<record>(duban_buf_t *out, const CTYPE *v) writing
        the record's Avro binary body field by field in the schema's order.
        It reads every value through an accessor named after the field's
        path (field_<path>, field_has_<path> for a union with null,
        field_count_<path> for an array), which the including file defines.
        Next to it, duban_avsc_json_<record>(o, v, f) writes top-level
        field f's JSON form (,"name":value; common/wire/avsc_json.h) through
        the same accessors, so the JSON side has the schema's names too.

A field renamed in an .avsc renames its index, its kind constant and its
accessor, so C code that binds the old name stops compiling instead of
reading the wrong bytes; fields no C code binds need no edit at all. A type
the codecs do not know (maps, bytes, unions other than ["null", X], ...)
stops the build with the file and the field named. Exit 0, or 1 with the
reason on stderr.
"""
import json
import os
import re
import sys

KINDS = {  # (Avro type, logicalType) -> kind
    ("string", None): "STRING",
    ("int", None): "INT",
    ("long", None): "LONG",
    ("boolean", None): "BOOLEAN",
    ("long", "timestamp-millis"): "TIMESTAMP",
    ("int", "date"): "DATE",
}
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


class SchemaError(Exception):
    pass


def snake(name):
    """TaskAssigned -> task_assigned, deadline_kind -> deadline_kind."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def c_string(text):
    """A C string literal of text (UTF-8 kept; quotes, backslashes, controls escaped)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class Field:
    """One entry: a field, with its record's fields (nested) when it has one."""

    def __init__(self, name, kind, null_branch, type_name=None, symbols=None,
                 children=(), default=None, has_default=False, type_text=""):
        self.name, self.kind, self.null_branch = name, kind, null_branch
        self.type_name, self.symbols, self.children = type_name, symbols, list(children)
        self.default, self.has_default, self.type_text = default, has_default, type_text

    def entries(self):
        return 1 + sum(c.entries() for c in self.children)


class Parser:
    """Reduces one .avsc to Fields, resolving named types (enums, records)."""

    def __init__(self, path, enums):
        self.path, self.named, self.enums = path, {}, enums

    def fail(self, where, what):
        raise SchemaError("%s: %s: %s" % (os.path.basename(self.path), where, what))

    def define(self, t, where):
        name = t.get("name")
        if not isinstance(name, str):
            self.fail(where, "a %s without a name" % t.get("type"))
        short = name.rsplit(".", 1)[-1]
        ns = t.get("namespace")
        self.named[short] = t
        self.named[name] = t
        if ns:
            self.named[ns + "." + short] = t
        return short

    def resolve(self, t, where):
        if isinstance(t, str) and t not in PRIMITIVES:
            if t not in self.named:
                self.fail(where, "unknown type %r" % t)
            return self.named[t]
        return t

    def enum(self, t, where):
        name = self.define(t, where)
        symbols = t.get("symbols")
        if not isinstance(symbols, list) or not symbols or \
                not all(isinstance(s, str) for s in symbols):
            self.fail(where, "enum %s without a list of symbols" % name)
        if name in self.enums and self.enums[name] != symbols:
            self.fail(where, "enum %s defined twice with different symbols" % name)
        self.enums[name] = symbols
        return name, symbols

    def record_fields(self, t, where):
        fields = t.get("fields")
        if not isinstance(fields, list):
            self.fail(where, "record without fields")
        out, seen = [], set()
        for jf in fields:
            name = jf.get("name") if isinstance(jf, dict) else None
            if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                self.fail(where, "a field without a valid name")
            if name in seen:
                self.fail(where, "field %s twice" % name)
            seen.add(name)
            out.append(self.field(name, jf.get("type"), jf, where + "." + name))
        return out

    def describe(self, t):
        if isinstance(t, list):
            return "[" + ", ".join(self.describe(b) for b in t) + "]"
        if isinstance(t, dict):
            if t.get("type") in ("record", "enum"):
                return "%s %s" % (t["type"], t.get("name", "").rsplit(".", 1)[-1])
            if t.get("type") == "array":
                return "array<%s>" % self.describe(t.get("items"))
            if t.get("logicalType"):
                return "%s (%s)" % (t.get("type"), t["logicalType"])
            return self.describe(t.get("type"))
        return str(t)

    def field(self, name, t, jf, where):
        text = self.describe(t)
        null_branch = -1
        if isinstance(t, list):
            if len(t) != 2 or "null" not in t or t[0] == t[1]:
                self.fail(where, "union %s: the codecs know only [\"null\", X]" % text)
            null_branch = t.index("null")
            t = t[1 - null_branch]
        f = self.value(name, t, where)
        f.null_branch, f.type_text = null_branch, text
        f.has_default = "default" in jf
        f.default = jf.get("default")
        return f

    def value(self, name, t, where):
        t = self.resolve(t, where)
        if isinstance(t, str):
            t = {"type": t}
        if not isinstance(t, dict):
            self.fail(where, "type %s is not one the codecs know" % self.describe(t))
        kind = t.get("type")
        if isinstance(kind, (dict, list)) or kind in self.named:
            return self.value(name, kind, where)   # {"type": <a type>}
        if kind == "enum":
            type_name, symbols = self.enum(t, where)
            return Field(name, "ENUM", -1, type_name=type_name, symbols=symbols)
        if kind == "record":
            type_name = self.define(t, where)
            return Field(name, "RECORD", -1, type_name=type_name,
                         children=self.record_fields(t, where))
        if kind == "array":
            items = self.resolve(t.get("items"), where)
            if items == "string" or items == {"type": "string"}:
                return Field(name, "STRINGS", -1)
            if isinstance(items, dict) and items.get("type") == "record":
                type_name = self.define(items, where)
                return Field(name, "RECORDS", -1, type_name=type_name,
                             children=self.record_fields(items, where))
            self.fail(where, "array of %s: the codecs know arrays of string and of records"
                      % self.describe(items))
        logical = t.get("logicalType")
        if not isinstance(kind, str) or (kind, logical) not in KINDS:
            self.fail(where, "type %s is not one the codecs know (string, int, long, boolean, "
                      "long timestamp-millis, int date, enums, records, arrays of string or "
                      "records, [\"null\", X])" % self.describe(t))
        return Field(name, KINDS[(kind, logical)], -1)


def load(path, enums):
    try:
        with open(path, encoding="utf-8") as f:
            root = json.load(f)
    except (OSError, ValueError) as e:
        raise SchemaError("%s: %s" % (path, e))
    p = Parser(path, enums)
    if not isinstance(root, dict) or root.get("type") != "record":
        p.fail("top level", "not a record")
    name = p.define(root, "top level")
    return name, p.record_fields(root, name)


def flatten(fields, prefix=()):
    """(path, Field) depth first."""
    for f in fields:
        path = prefix + (f.name,)
        yield path, f
        yield from flatten(f.children, path)


class Names:
    """Every C identifier generated, so that two never collide."""

    def __init__(self):
        self.seen = {}

    def add(self, ident, what):
        if ident in self.seen and self.seen[ident] != what:
            raise SchemaError("%s and %s would both be named %s in C" %
                              (self.seen[ident], what, ident))
        self.seen[ident] = what
        return ident


def entry_ident(record, path):
    return "DUBAN_AVSC_%s__%s" % (snake(record).upper(), "__".join(p.upper() for p in path))


def kind_ident(record, path):
    return "DUBAN_AVSC_KIND__%s__%s" % (snake(record).upper(), "__".join(p.upper() for p in path))


def name_ident(record, path):
    return "DUBAN_AVSC_NAME__%s__%s" % (snake(record).upper(), "__".join(p.upper() for p in path))


def gen_tables(records, enums, sources, names):
    """avsc_gen.h and avsc_gen.c texts."""
    head = "/* Generated by cmake/avsc_codegen.py from %s: do not edit\n" \
           " * (edit the .avsc; the build regenerates this file). */\n" % ", ".join(sources)
    h = [head, "#ifndef DUBAN_AVSC_GEN_H\n#define DUBAN_AVSC_GEN_H\n#include \"avsc.h\"\n"
               "#include \"avsc_keys.h\"   /* names, kinds, DUBAN_AVSC_<RECORD>_KEY */\n"]
    c = [head, "#include <stddef.h>\n#include \"avsc_gen.h\"\n"]
    for ename, symbols in sorted(enums.items()):
        tname = "duban_avsc_%s_t" % snake(ename)
        names.add(tname, "enum " + ename)
        h.append("\n/* enum %s: a symbol's index in the schema */\ntypedef enum {\n" % ename)
        for i, s in enumerate(symbols):
            ident = names.add("DUBAN_AVSC_%s_%s" % (snake(ename).upper(), s.upper()),
                              "%s.%s" % (ename, s))
            h.append("    %s = %d,\n" % (ident, i))
        h.append("} %s;\n" % tname)
        count = names.add("DUBAN_AVSC_%s__COUNT" % snake(ename).upper(), "%s's count" % ename)
        h.append("#define %s %d\n" % (count, len(symbols)))
        c.append("\nstatic const char *const %s_symbols[] = {%s, NULL};\n" %
                 (snake(ename), ", ".join(c_string(s) for s in symbols)))
    for rname, fields, source in records:
        var = "duban_avsc_%s" % snake(rname)
        names.add(var, "record " + rname)
        flat = list(flatten(fields))
        h.append("\n/* ---- %s (%s): %d entries, depth first ---- */\n" %
                 (rname, source, len(flat)))
        h.append("extern const duban_avsc_record_t %s;\nenum {\n" % var)
        for i, (path, f) in enumerate(flat):
            ident = names.add(entry_ident(rname, path), "%s.%s" % (rname, ".".join(path)))
            h.append("    %s = %d, /* %s */\n" % (ident, i, f.type_text))
        count = names.add("DUBAN_AVSC_%s__ENTRIES" % snake(rname).upper(), rname + "'s count")
        h.append("    %s = %d\n};\n" % (count, len(flat)))
        c.append("\nstatic const duban_avsc_field_t %s_fields[] = {\n" % snake(rname))
        for path, f in flat:
            c.append("    {%s, DUBAN_AVSC_%s, %d, %d, %d, %s, %s, %d, %s},\n" % (
                c_string(f.name), f.kind, f.null_branch, len(f.children), f.entries(),
                c_string(f.type_name) if f.type_name else "NULL",
                snake(f.type_name) + "_symbols" if f.symbols else "NULL",
                len(f.symbols or ()),
                c_string(json.dumps(f.default, ensure_ascii=False, separators=(",", ":")))
                if f.has_default else "NULL"))
        c.append("};\nconst duban_avsc_record_t %s = {%s, %s, %s_fields, %d, %d};\n" % (
            var, c_string(rname), c_string(source), snake(rname), len(fields), len(flat)))
    h.append("\n#endif\n")
    return "".join(h), "".join(c)


# The kinds an Avro type reduces to (KINDS, and the named and array types
# below it), in the order of duban_avsc_kind_t; the comment C shows.
KIND_ENUM = (
    ("STRING", ""), ("INT", ""), ("LONG", ""), ("BOOLEAN", ""),
    ("TIMESTAMP", "long, logicalType timestamp-millis"),
    ("DATE", "int, logicalType date"),
    ("ENUM", ""), ("RECORD", ""),
    ("STRINGS", "array of string"),
    ("RECORDS", "array of a record"),
)

KEY_MACRO = r"""/* The JSON key of entry e (TASK_STATUS_CHANGED__TO_STATUS, a generated
 * DUBAN_AVSC_<RECORD>__<PATH> without the prefix) as the .avsc spells it,
 * a string literal's value (const char *; an address constant, so it may
 * initialise a static table). For C that builds or reads a record's JSON
 * form member by member: a field renamed in the .avsc has no
 * DUBAN_AVSC_NAME__<e> any more, and one retyped so that it is no longer of
 * kind `kind` fails the assertion, so the build stops where the key is used
 * instead of a consumer meeting a missing member at run time. */
#define DUBAN_AVSC_KEY(e, kind)                                                          \
    (&(DUBAN_AVSC_NAME__##e)[0 * sizeof(struct {                                        \
        _Static_assert(DUBAN_AVSC_KIND__##e == (kind), #e " is not " #kind " in the .avsc"); \
        int unused;                                                                      \
    })])
"""


def gen_keys(records, sources, names):
    """avsc_keys.h: the records' JSON keys and their kinds, constants only.
    No table and nothing of the wire layer: every layer may include it
    (duban_schema_keys, common/CMakeLists.txt), so that C below the wire
    layer reading these records' JSON (the notifier's webhook formats)
    takes its keys from the .avsc as well."""
    h = ["/* Generated by cmake/avsc_codegen.py from %s: do not edit\n"
         " * (edit the .avsc; the build regenerates this file).\n"
         " * The records' JSON keys, checked at compile time: each entry's name as\n"
         " * a string literal (DUBAN_AVSC_NAME__<RECORD>__<FIELD>...), its kind\n"
         " * (DUBAN_AVSC_KIND__...) and a key macro per record\n"
         " * (DUBAN_AVSC_<RECORD>_KEY(FIELD, KIND), DUBAN_AVSC_KEY below).\n"
         " * Constants only, so that every layer may include it; the tables that\n"
         " * describe the records are in avsc_gen.h (wire layer, avsc.h). */\n"
         "#ifndef DUBAN_AVSC_KEYS_H\n#define DUBAN_AVSC_KEYS_H\n" % ", ".join(sources),
         "\n/* What an Avro type reduces to; for a union with null, its non-null\n"
         " * branch (cmake/avsc_codegen.py refuses the types it does not know). */\n"
         "typedef enum {\n"]
    for i, (kind, doc) in enumerate(KIND_ENUM):
        line = "    DUBAN_AVSC_%s%s%s" % (kind, " = 1" if i == 0 else "",
                                        "," if i + 1 < len(KIND_ENUM) else "")
        h.append(("%-31s/* %s */\n" % (line, doc)) if doc else line + "\n")
    h.append("} duban_avsc_kind_t;\n\n" + KEY_MACRO)
    for rname, fields, source in records:
        flat = list(flatten(fields))
        h.append("\n/* ---- %s (%s) ---- */\n" % (rname, source))
        h.append("/* Each entry's kind, for compile-time checks of what C binds to it. */\n")
        for path, f in flat:
            ident = names.add(kind_ident(rname, path), "the kind of %s.%s" %
                              (rname, ".".join(path)))
            h.append("#define %s DUBAN_AVSC_%s\n" % (ident, f.kind))
        h.append("/* Each entry's name as a string literal, for C that writes or reads\n"
                 " * the JSON form by key (DUBAN_AVSC_KEY). */\n")
        for path, f in flat:
            ident = names.add(name_ident(rname, path), "the name of %s.%s" %
                              (rname, ".".join(path)))
            h.append("#define %s %s\n" % (ident, c_string(f.name)))
        key = names.add("DUBAN_AVSC_%s_KEY" % snake(rname).upper(), rname + "'s key macro")
        h.append("/* %s(FIELD, KIND): a %s key, checked (DUBAN_AVSC_KEY). */\n"
                 "#define %s(e, kind) DUBAN_AVSC_KEY(%s__##e, DUBAN_AVSC_##kind)\n" %
                 (key, rname, key, snake(rname).upper()))
    h.append("\n#endif\n")
    return "".join(h)


class Writer:
    """The straight-line writer of one record, reading through accessors."""

    def __init__(self, rname, ctype, names):
        self.rname, self.ctype, self.names = rname, ctype, names
        self.lines, self.accessors = [], []

    def accessor(self, prefix, path, ret, doc, nidx):
        ident = self.names.add("field_%s%s" % (prefix, "_".join(path)),
                               "the %saccessor of %s.%s" % (prefix.replace("_", " "),
                                                            self.rname, ".".join(path)))
        args = ", size_t" * nidx
        self.accessors.append("%s %s(const %s *%s)  %s" % (ret, ident, self.ctype, args, doc))
        return ident

    def out(self, depth, text):
        self.lines.append("    " * depth + text)

    def call(self, ident, idx):
        return "%s(%s)" % (ident, ", ".join(["v"] + idx))

    def field(self, f, path, idx, depth):
        where = "%s.%s" % (self.rname, ".".join(path))
        if f.null_branch >= 0:
            has = self.accessor("has_", path, "bool", "whether %s is not null" % where, len(idx))
            self.out(depth, "if (%s) {   /* %s */" % (self.call(has, idx), f.type_text))
            self.out(depth + 1, "duban_avro_put_long(out, %d);" % (1 - f.null_branch))
            self.value(f, path, idx, depth + 1)
            self.out(depth, "} else {")
            self.out(depth + 1, "duban_avro_put_long(out, %d);" % f.null_branch)
            self.out(depth, "}")
        else:
            self.value(f, path, idx, depth)

    def value(self, f, path, idx, depth):
        k = f.kind
        if k == "RECORD":
            for c in f.children:
                self.field(c, path + (c.name,), idx, depth)
            return
        if k in ("STRINGS", "RECORDS"):
            n = self.accessor("count_", path, "size_t", "items in %s.%s" %
                              (self.rname, ".".join(path)), len(idx))
            i = "i%d" % len(idx)
            self.out(depth, "{   /* %s */" % f.type_text)
            self.out(depth + 1, "size_t n%d = %s;" % (len(idx), self.call(n, idx)))
            self.out(depth + 1, "if (n%d) {" % len(idx))
            self.out(depth + 2, "duban_avro_put_long(out, (int64_t)n%d);" % len(idx))
            self.out(depth + 2, "for (size_t %s = 0; %s < n%d; %s++) {" % (i, i, len(idx), i))
            if k == "STRINGS":
                item = self.accessor("", path, "const char *", "item i, UTF-8", len(idx) + 1)
                self.out(depth + 3, "duban_avro_put_string(out, %s);" %
                         self.call(item, idx + [i]))
            else:
                for c in f.children:
                    self.field(c, path + (c.name,), idx + [i], depth + 3)
            self.out(depth + 2, "}")
            self.out(depth + 1, "}")
            self.out(depth + 1, "duban_avro_put_long(out, 0);")
            self.out(depth, "}")
            return
        ret, how = {
            "STRING": ("const char *", "duban_avro_put_string(out, %s);"),
            "INT": ("int32_t", "duban_avro_put_long(out, %s);"),
            "LONG": ("int64_t", "duban_avro_put_long(out, %s);"),
            "DATE": ("int32_t", "duban_avro_put_long(out, %s);"),
            "TIMESTAMP": ("int64_t", "duban_avro_put_long(out, %s);"),
            "BOOLEAN": ("bool", "duban_avro_put_boolean(out, %s);"),
            "ENUM": ("duban_avsc_%s_t" % snake(f.type_name or ""),
                     "duban_avro_put_long(out, (int64_t)%s);"),
        }[k]
        doc = {"STRING": "UTF-8", "DATE": "days since 1970-01-01",
               "TIMESTAMP": "ms since the epoch"}.get(k, "")
        acc = self.accessor("", path, ret, doc, len(idx))
        self.out(depth, how % self.call(acc, idx))

    def text(self, fields, source):
        for f in fields:
            self.field(f, (f.name,), [], 1)
        fn = "duban_avsc_write_%s" % snake(self.rname)
        guard = "DUBAN_AVSC_WRITE_%s_H" % snake(self.rname).upper()
        acc = "".join(" *   %s\n" % a.rstrip() for a in self.accessors)
        return ("/* Generated by cmake/avsc_codegen.py from %s: do not edit\n"
                " * (edit the .avsc; the build regenerates this file).\n"
                " * %s(out, v) appends the Avro binary body of a %s, field by field\n"
                " * in the schema's order; out's sticky error tells whether it fit.\n"
                " * Include it where these accessors are defined (static inline):\n%s"
                " */\n#ifndef %s\n#define %s\n#include <stdbool.h>\n#include <stddef.h>\n"
                "#include <stdint.h>\n#include \"avro_wire.h\"\n#include \"avsc_gen.h\"\n"
                "#include \"avsc_json.h\"\n\n"
                "static void %s(duban_buf_t *out, const %s *v)\n{\n%s\n}\n\n%s\n#endif\n" % (
                    source, fn, self.rname, acc, guard, guard, fn, self.ctype,
                    "\n".join(self.lines), JsonWriter(self.rname, self.ctype).text(fields)))


class JsonWriter:
    """The JSON writer of one record, one top-level field per call, through
    the same accessors as the Avro writer (common/wire/avsc_json.h spells
    the values)."""

    def __init__(self, rname, ctype):
        self.rname, self.ctype, self.lines = rname, ctype, []

    def out(self, depth, text):
        self.lines.append("    " * depth + text)

    @staticmethod
    def call(prefix, path, idx):
        return "field_%s%s(%s)" % (prefix, "_".join(path), ", ".join(["v"] + idx))

    def key(self, depth, name, first):
        self.out(depth, "duban_avsc_json_raw(o, %s);" %
                 c_string(("{" if first else ",") + '"%s":' % name))

    def field(self, f, path, idx, depth):
        if f.null_branch >= 0:
            self.out(depth, "if (%s) {   /* %s */" % (self.call("has_", path, idx), f.type_text))
            self.value(f, path, idx, depth + 1)
            self.out(depth, "} else {")
            self.out(depth + 1, 'duban_avsc_json_raw(o, "null");')
            self.out(depth, "}")
        else:
            self.value(f, path, idx, depth)

    def members(self, f, path, idx, depth):
        for i, c in enumerate(f.children):
            self.key(depth, c.name, i == 0)
            self.field(c, path + (c.name,), idx, depth)
        self.out(depth, 'duban_avsc_json_raw(o, "%s");' % ("}" if f.children else "{}"))

    def value(self, f, path, idx, depth):
        k, where = f.kind, c_string(".".join(path))
        if k == "RECORD":
            self.members(f, path, idx, depth)
            return
        if k in ("STRINGS", "RECORDS"):
            i = "i%d" % len(idx)
            self.out(depth, 'duban_avsc_json_raw(o, "[");')
            n = "n%d" % len(idx)
            self.out(depth, "for (size_t %s = 0, %s = %s; %s < %s; %s++) {" %
                     (i, n, self.call("count_", path, idx), i, n, i))
            self.out(depth + 1, "if (%s)" % i)
            self.out(depth + 2, 'duban_avsc_json_raw(o, ",");')
            if k == "STRINGS":
                self.out(depth + 1, "duban_avsc_json_string(o, %s, %s);" %
                         (where, self.call("", path, idx + [i])))
            else:
                self.members(f, path, idx + [i], depth + 1)
            self.out(depth, "}")
            self.out(depth, 'duban_avsc_json_raw(o, "]");')
            return
        acc = self.call("", path, idx)
        how = {
            "STRING": "duban_avsc_json_string(o, %s, %s);" % (where, acc),
            "INT": "duban_avsc_json_long(o, %s);" % acc,
            "LONG": "duban_avsc_json_long(o, %s);" % acc,
            "DATE": "duban_avsc_json_date(o, %s);" % acc,
            "TIMESTAMP": "duban_avsc_json_instant(o, %s);" % acc,
            "BOOLEAN": "duban_avsc_json_bool(o, %s);" % acc,
            "ENUM": "duban_avsc_json_symbol(o, duban_avsc_%s.fields[%s].symbols[%s]);" % (
                snake(self.rname), entry_ident(self.rname, path), acc),
        }[k]
        self.out(depth, how)

    def text(self, fields):
        self.out(1, "switch (f) {")
        for f in fields:
            self.out(1, "case %s:" % entry_ident(self.rname, (f.name,)))
            self.key(2, f.name, False)
            self.field(f, (f.name,), [], 2)
            self.out(2, "break;")
        self.out(1, "default:")
        self.out(2, "break;")
        self.out(1, "}")
        fn = "duban_avsc_json_%s" % snake(self.rname)
        return ("/* %s(o, v, f) appends ,\"name\":value of top-level field f\n"
                " * (DUBAN_AVSC_%s__<FIELD>, a field's first entry) in its JSON form\n"
                " * (avsc_json.h), through the accessors above; other f: nothing. */\n"
                "static void %s(duban_avsc_json_t *o, const %s *v, int f)\n{\n%s\n}\n" % (
                    fn, snake(self.rname).upper(), fn, self.ctype, "\n".join(self.lines)))


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main(argv):
    out, writers, schemas, only = None, {}, [], None
    it = iter(argv)
    for a in it:
        if a == "--out":
            out = next(it, None)
        elif a in ("--writers-only", "--keys-only"):
            only = a
        elif a == "--writer":
            spec = next(it, "")
            if "=" not in spec:
                raise SchemaError("--writer wants NAME=CTYPE, not %r" % spec)
            name, ctype = spec.split("=", 1)
            writers[name] = ctype
        else:
            schemas.append(a)
    if not out or not schemas:
        raise SchemaError("usage: avsc_codegen.py --out DIR [--writer NAME=CTYPE ...] "
                          "[--writers-only | --keys-only] SCHEMA.avsc ...")
    enums, records, names = {}, [], Names()
    for path in schemas:
        name, fields = load(path, enums)
        records.append((name, fields, os.path.basename(path)))
    # Every file's names are made in every mode, so that a collision stops
    # the build whichever file it would land in.
    header, source = gen_tables(records, enums, [r[2] for r in records], names)
    keys = gen_keys(records, [r[2] for r in records], names)
    texts = {"--keys-only": {"avsc_keys.h": keys}, "--writers-only": {},
             None: {"avsc_gen.h": header, "avsc_gen.c": source}}[only]
    by_name = {r[0]: r for r in records}
    for name, ctype in writers.items() if only != "--keys-only" else ():
        if name not in by_name:
            raise SchemaError("--writer %s: no such record among the schemas given" % name)
        _, fields, src = by_name[name]
        texts["avsc_write_%s.h" % snake(name)] = Writer(name, ctype, names).text(fields, src)
    os.makedirs(out, exist_ok=True)
    for fname, text in texts.items():
        write_if_changed(os.path.join(out, fname), text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SchemaError as e:
        print("avsc_codegen: %s" % e, file=sys.stderr)
        sys.exit(1)
