#!/usr/bin/env python3
"""The layers of common/ are enforced by the build (common/CMakeLists.txt).

Usage: layering_check.py BUILD/compile_commands.json SRC/common

For every layer L and every layer H that L may not use (H is above L or a
sibling of it), a copy of one of L's sources with `#include "<a header of H>"`
added is compiled with the exact command the build uses for that source
(-fsyntax-only): it must fail, and fail on that include. The same probe must
compile once H's folder is visible: with H's own flags where H is above L
(H sees everything L sees), with L's flags plus H's folders for a sibling. So
the check can fail both ways: a layer that can see too much, or a probe that
does not compile for another reason. It also checks that each layer's
sources see exactly their own folder and the layers below it.

The generated headers (build/common/gen) are outside common/ and checked
apart: the records' JSON keys (avsc_keys.h, duban_schema_keys) compile in
every layer's first source, and the tables (avsc_gen.h) are refused below
the wire layer, so the keys reach notify without the wire layer.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

# Generated headers: the keys every layer sees, the tables only wire and up.
KEYS_HEADER, TABLES_HEADER, TABLES_LAYER = "avsc_keys.h", "avsc_gen.h", "wire"

# What each layer may include: itself and these (the layers below it).
BELOW = {
    "core": [],
    "wire": ["core"],
    "ingest": ["wire", "core"],
    "alert": ["wire", "core"],
    "notify": ["core"],
    "ops": ["core"],
}


def load_commands(path, common):
    """layer -> [(source, directory, argv)] for the layers' own sources."""
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)
    by_layer = {layer: [] for layer in BELOW}
    for e in entries:
        src = os.path.realpath(os.path.join(e["directory"], e["file"]))
        rel = os.path.relpath(src, common)
        layer = rel.split(os.sep)[0]
        if layer in by_layer and rel.count(os.sep) == 1:
            argv = e.get("arguments") or shlex.split(e["command"])
            by_layer[layer].append((src, e["directory"], argv))
    for layer in by_layer:
        by_layer[layer].sort()
    return by_layer


def syntax_only(argv, src, probe):
    """The build's command for src, turned into a syntax check of probe."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or os.path.realpath(a) == src or a == src:
            continue
        out.append(a)
    return out + ["-fsyntax-only", probe]


def include_dirs(argv, common):
    """The layers whose folders the command puts on the include path."""
    dirs = set()
    for i, a in enumerate(argv):
        d = None
        if a in ("-I", "-isystem") and i + 1 < len(argv):
            d = argv[i + 1]
        elif a.startswith("-I"):
            d = a[2:]
        if d:
            rel = os.path.relpath(os.path.realpath(d), common)
            if not rel.startswith(".."):
                dirs.add(rel)
    return dirs


def not_found(err, header):
    """Whether err is the compiler refusing the include of header: GCC says
    'No such file or directory', Clang 'file not found'."""
    return header in err and ("No such file" in err or "file not found" in err)


def compile_probe(tmp, src, directory, argv, header, extra=()):
    text = open(src, encoding="utf-8").read()
    at = text.find('#include "')
    probe_text = text[:at] + '#include "%s"\n' % header + text[at:]
    probe = os.path.join(tmp, os.path.basename(src))
    with open(probe, "w", encoding="utf-8") as f:
        f.write(probe_text)
    cmd = syntax_only(argv, src, probe) + list(extra)
    r = subprocess.run(cmd, cwd=directory, capture_output=True, text=True)
    return r.returncode, r.stderr


def main():
    db, common = sys.argv[1], os.path.realpath(sys.argv[2])
    layers = load_commands(db, common)
    failures, checks = [], 0
    for layer, cmds in layers.items():
        if not cmds:
            failures.append("%s: no sources in %s" % (layer, db))
            continue
        for src, _, argv in cmds:
            want = {layer, *BELOW[layer]}
            got = include_dirs(argv, common)
            checks += 1
            if got != want:
                failures.append("%s: sees %s, should see %s" % (
                    os.path.relpath(src, common), sorted(got), sorted(want)))
    with tempfile.TemporaryDirectory() as tmp:
        for low, cmds in layers.items():
            if not cmds:
                continue
            src, directory, argv = cmds[0]
            for high in BELOW:
                if high == low or high in BELOW[low] or not layers[high]:
                    continue
                header = sorted(h for h in os.listdir(os.path.join(common, high))
                                if h.endswith(".h"))[0]
                name = "%s includes %s/%s" % (os.path.relpath(src, common), high, header)
                rc, err = compile_probe(tmp, src, directory, argv, header)
                checks += 1
                if rc == 0:
                    failures.append("%s: compiled, but %s may not use %s" % (name, low, high))
                elif not not_found(err, header):
                    failures.append("%s: failed for another reason:\n%s" % (name, err))
                if low in BELOW[high]:       # high is above low: its own flags
                    _, hdir, hargv = layers[high][0]
                    rc, err = compile_probe(tmp, src, hdir, hargv, header)
                    how = "with %s's flags" % high
                else:                        # a sibling: low's flags + high's folders
                    rc, err = compile_probe(tmp, src, directory, argv, header,
                                            ["-I" + os.path.join(common, d)
                                             for d in [high, *BELOW[high]]])
                    how = "with %s's folders added" % high
                checks += 1
                if rc != 0:
                    failures.append("%s: does not compile %s either:\n%s" % (name, how, err))
                else:
                    print("ok %s: refused; compiles %s" % (name, how))
        for layer, cmds in layers.items():
            if not cmds:
                continue
            src, directory, argv = cmds[0]
            rel = os.path.relpath(src, common)
            rc, err = compile_probe(tmp, src, directory, argv, KEYS_HEADER)
            checks += 1
            if rc != 0:
                failures.append("%s includes %s: does not compile:\n%s" % (rel, KEYS_HEADER, err))
            else:
                print("ok %s: includes %s" % (rel, KEYS_HEADER))
            sees_tables = layer == TABLES_LAYER or TABLES_LAYER in BELOW[layer]
            rc, err = compile_probe(tmp, src, directory, argv, TABLES_HEADER)
            checks += 1
            if sees_tables and rc != 0:
                failures.append("%s includes %s: does not compile:\n%s"
                                % (rel, TABLES_HEADER, err))
            elif not sees_tables and rc == 0:
                failures.append("%s includes %s: compiled, but %s may not see the tables"
                                % (rel, TABLES_HEADER, layer))
            elif not sees_tables and not not_found(err, TABLES_HEADER):
                failures.append("%s includes %s: failed for another reason:\n%s"
                                % (rel, TABLES_HEADER, err))
            else:
                print("ok %s: %s %s" % (rel, "includes" if sees_tables else "refused",
                                        TABLES_HEADER))
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print("%d checks, %d failures" % (checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
