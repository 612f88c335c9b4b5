#!/usr/bin/env bash
# Issue 3 acceptance: ingest the three real gazettes into duban-broker; a
# consumer (duban-replay) reads back exactly the events --dry-run printed;
# ingesting again produces the same keys and hashes (idempotent re-ingest:
# every key and event_id appears once per ingest, never with other content).
source "$(dirname "$0")/lib/common.bash"
G="${DUBAN_SHARED_DIR:-/work/shared}/gazettes"
FILES=("$G/000_55122fd70aed731a.txt" "$G/001_695d6e90fcff097e.txt" "$G/002_0222121a82854d09.txt")
ING="$DUBAN_BIN_DIR/duban-ingest"
start_broker --partitions 3

"$ING" --dry-run "${FILES[@]}" >"$WORK/dry.jsonl" 2>/dev/null || fail "dry run"
n=$(wc -l <"$WORK/dry.jsonl")
"$ING" -b "$BOOTSTRAP" "${FILES[@]}" 2>"$WORK/ingest1.log" || fail "ingest: $(tail -5 "$WORK/ingest1.log")"
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.documents.v1 --topic duban.tasks.v1 \
    --exit-at-end >"$WORK/got1.jsonl" 2>"$WORK/replay1.log" || fail "replay: $(tail -5 "$WORK/replay1.log")"
python3 "$DUBAN_SRC_DIR/tests/integration/lib/canon.py" "$WORK/dry.jsonl" >"$WORK/dry.canon"
python3 "$DUBAN_SRC_DIR/tests/integration/lib/canon.py" "$WORK/got1.jsonl" >"$WORK/got1.canon"
if ! cmp -s "$WORK/dry.canon" "$WORK/got1.canon"; then
    diff "$WORK/dry.canon" "$WORK/got1.canon" | head -4 | cut -c1-400
    fail "events read back differ from --dry-run ($(wc -l <"$WORK/got1.jsonl") read, $n printed)"
fi
echo "ingest 1: $n events produced and read back equal to --dry-run"

"$ING" -b "$BOOTSTRAP" "${FILES[@]}" 2>"$WORK/ingest2.log" || fail "re-ingest: $(tail -5 "$WORK/ingest2.log")"
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.documents.v1 --topic duban.tasks.v1 \
    --meta --exit-at-end >"$WORK/got2.jsonl" 2>"$WORK/replay2.log" || fail "replay 2"
python3 - "$WORK/got2.jsonl" "$n" <<'PY' || fail "re-ingest is not idempotent"
import json, sys, collections
path, n = sys.argv[1], int(sys.argv[2])
by_key = collections.defaultdict(set)
count = collections.Counter()
for l in open(path, encoding="utf-8"):
    ev = json.loads(l)
    meta = ev.pop("_kafka")
    key = ev.get("task_id") or ev["doc_id"]
    assert meta["key"] == key, (meta["key"], key)
    by_key[key].add((ev["event_id"], ev.get("content_sha256") or ev["body_sha256"]))
    count[ev["event_id"]] += 1
total = sum(count.values())
if total != 2 * n:
    sys.exit(f"{total} events after two ingests, want {2 * n}")
changed = [k for k, v in by_key.items() if len(v) != 1]
if changed:
    sys.exit(f"{len(changed)} keys changed id/hash on re-ingest, e.g. {changed[0]}")
if any(c != 2 for c in count.values()):
    sys.exit("an event_id does not appear exactly once per ingest")
print(f"ingest 2: {len(by_key)} keys, same event_id and content hash as ingest 1")
PY
echo "2 passed, 0 failed"
