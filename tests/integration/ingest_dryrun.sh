#!/usr/bin/env bash
# duban-ingest --dry-run over the three real gazettes: the same bytes on every
# run, the contract's fields, source line/offset pointing at the item in the
# original file, GB18030 input giving the same ids and hashes as UTF-8 input,
# and a clear error (file + byte offset, non-zero exit) for an empty file,
# truncated UTF-8, binary data and a missing file.
source "$(dirname "$0")/lib/common.bash"
G="${DUBAN_SHARED_DIR:-/work/shared}/gazettes"
FILES=("$G/000_55122fd70aed731a.txt" "$G/001_695d6e90fcff097e.txt" "$G/002_0222121a82854d09.txt")
ING="$DUBAN_BIN_DIR/duban-ingest"
passed=0

"$ING" --dry-run "${FILES[@]}" >"$WORK/a.jsonl" 2>"$WORK/a.err" || fail "dry run: $(cat "$WORK/a.err")"
"$ING" --dry-run "${FILES[@]}" >"$WORK/b.jsonl" 2>/dev/null || fail "second dry run"
cmp -s "$WORK/a.jsonl" "$WORK/b.jsonl" || fail "two dry runs differ"
passed=$((passed + 1))
cat "$WORK/a.err"
for want in "000_55122fd70aed731a.txt: 20 documents" "001_695d6e90fcff097e.txt: 21 documents" \
            "002_0222121a82854d09.txt: 7 documents"; do
    grep -q "$want" "$WORK/a.err" || fail "summary lacks '$want'"
done
passed=$((passed + 1))

python3 - "$WORK/a.jsonl" "$G" <<'PY' || fail "contract check"
import json, sys, os
path, gdir = sys.argv[1], sys.argv[2]
doc_f = ["event_id", "occurred_at", "schema_version", "doc_id", "doc_number", "title", "issuers",
         "issue_date", "recipients", "attached_plan_title", "body_sha256", "task_count", "source"]
task_f = ["event_id", "occurred_at", "schema_version", "task_id", "doc_id", "outline_path", "text",
          "lead_units", "cooperating_units", "lead_departments", "cooperating_departments",
          "deadline_text", "due_date", "deadline_kind", "recurrence", "milestones",
          "content_sha256", "doc_title", "issuers", "source"]
starts = {}
def line_start(fname, line):
    if fname not in starts:
        data = open(os.path.join(gdir, fname), "rb").read()
        offs = [0] + [i + 1 for i, b in enumerate(data) if b == 10]
        starts[fname] = offs
    return starts[fname][line - 1]
ids, keys, doc, left, bad = set(), set(), None, 0, 0
for n, l in enumerate(open(path, encoding="utf-8"), 1):
    ev = json.loads(l)
    t = ev["type"]
    need = doc_f if t == "DocumentPublished" else task_f
    miss = [f for f in need if f not in ev]
    if miss:
        sys.exit(f"line {n}: {t} lacks {miss}")
    if ev["event_id"] in ids:
        sys.exit(f"line {n}: duplicate event_id")
    ids.add(ev["event_id"])
    src = ev["source"]
    if src["offset"] != line_start(src["file"], src["line"]):
        bad += 1
    if t == "DocumentPublished":
        if left:
            sys.exit(f"line {n}: previous document announced {left} more tasks")
        doc, left = ev, ev["task_count"]
        key = ev["doc_id"]
    else:
        assert ev["doc_id"] == doc["doc_id"] and ev["task_id"].startswith(doc["doc_id"] + "#")
        assert ev["deadline_kind"] in ("DATED", "RECURRING", "OPEN_ENDED", "NONE")
        assert ev["doc_title"] == doc["title"] and ev["issuers"] == doc["issuers"]
        left -= 1
        key = ev["task_id"]
    if key in keys:
        sys.exit(f"line {n}: duplicate key {key}")
    keys.add(key)
if bad:
    sys.exit(f"{bad} events whose source offset is not the start of their source line")
print(f"{len(ids)} events: fields, unique ids/keys, task counts and source offsets ok")
PY
passed=$((passed + 1))

# GB18030 input: same documents, task ids and content hashes as the UTF-8 file.
iconv -f UTF-8 -t GB18030 "${FILES[0]}" >"$WORK/gb.txt"
"$ING" --dry-run "$WORK/gb.txt" >"$WORK/gb.jsonl" 2>"$WORK/gb.err" || fail "GB18030: $(cat "$WORK/gb.err")"
grep -q "converted from GB18030" "$WORK/gb.err" || fail "GB18030 not reported"
"$ING" --dry-run "${FILES[0]}" >"$WORK/u.jsonl" 2>/dev/null
keyset() { python3 -c '
import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l); print(e.get("task_id") or e["doc_id"], e.get("content_sha256") or e["body_sha256"], e["source"]["line"])' "$1"; }
cmp -s <(keyset "$WORK/gb.jsonl") <(keyset "$WORK/u.jsonl") || fail "GB18030 input gives other ids/hashes/lines"
passed=$((passed + 1))

# Bad input: a clear error naming the file and byte offset, non-zero exit.
expect_error() { # file pattern...
    local f=$1; shift
    if "$ING" --dry-run "$f" >"$WORK/bad.out" 2>"$WORK/bad.err"; then fail "$f: exit 0"; fi
    local p
    for p in "$@"; do grep -q -- "$p" "$WORK/bad.err" || fail "$f: stderr lacks '$p': $(cat "$WORK/bad.err")"; done
    [ -s "$WORK/bad.out" ] && fail "$f: printed events"
    passed=$((passed + 1))
}
: >"$WORK/empty.txt"
expect_error "$WORK/empty.txt" "empty.txt" "byte offset 0"
printf '石大政发〔2022〕56\xe5\x8f' >"$WORK/cut.txt"
expect_error "$WORK/cut.txt" "cut.txt" "byte offset 24" "truncated"
head -c 4096 "$ING" >"$WORK/garbage.bin"
expect_error "$WORK/garbage.bin" "garbage.bin" "byte offset"
expect_error "$WORK/nonexistent.txt" "nonexistent.txt" "cannot open"

# A bad file among good ones: the good one is still ingested, exit is non-zero.
if "$ING" --dry-run "$WORK/empty.txt" "${FILES[2]}" >"$WORK/mix.jsonl" 2>/dev/null; then fail "mixed: exit 0"; fi
[ "$(grep -c DocumentPublished "$WORK/mix.jsonl")" -eq 7 ] || fail "mixed: good file not ingested"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
