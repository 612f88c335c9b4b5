#!/usr/bin/env bash
# Issue 14 item 6: duban-replay's two time windows, and the README's example.
#   --occurred-since/--occurred-until filter on the event's occurred_at;
#   --since/--until on the Kafka message timestamp. On a real ingest of the
#   three gazettes: the README's example (tasks of the documents issued in
#   November 2022) returns exactly those tasks (computed here from
#   duban-ingest --dry-run), and --since/--until over the same month returns
#   the same tasks (ingest stamps the issue date). Delivery attempts produced
#   now with occurred_at in 2022: --since NOW returns all of them,
#   --occurred-since NOW none, and an occurred_at window exactly its share.
source "$(dirname "$0")/lib/common.bash"
R="$DUBAN_BIN_DIR/duban-replay"
G="${DUBAN_SHARED_DIR:-/work/shared}/gazettes"
start_broker --partitions 3
"$DUBAN_BIN_DIR/duban-ingest" --dry-run "$G"/*.txt >"$WORK/dry.jsonl" 2>/dev/null || fail "dry run"
t=$(date +%s%3N)
BEFORE=$(ms_iso "$t")
clock_past "$t"   # what is produced from here on is stamped after BEFORE
"$DUBAN_BIN_DIR/duban-ingest" -b "$BOOTSTRAP" "$G"/*.txt >/dev/null 2>"$WORK/ingest.log" \
    || fail "ingest: $(tail -3 "$WORK/ingest.log")"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# the README's example, word for word
EXAMPLE='duban-replay -b @bootstrap --topic duban.tasks.v1 --occurred-since 2022-11-01 --occurred-until 2022-12-01  # tasks of the documents issued in November 2022'
grep -qF -- "$EXAMPLE" "$DUBAN_SRC_DIR/README.md" || fail "the README no longer has the example this test runs"
args=$(sed 's/^duban-replay -b @bootstrap //; s/ *#.*//' <<<"$EXAMPLE")
# shellcheck disable=SC2086
"$R" -b "$BOOTSTRAP" $args --exit-at-end >"$WORK/occurred.jsonl" 2>"$WORK/r.err" \
    || fail "the README example: $(tail -2 "$WORK/r.err")"
"$R" -b "$BOOTSTRAP" --topic duban.tasks.v1 --since 2022-11-01 --until 2022-12-01 --exit-at-end \
    >"$WORK/since.jsonl" 2>/dev/null || fail "--since/--until"
"$R" -b "$BOOTSTRAP" --topic duban.tasks.v1 --since "$BEFORE" --exit-at-end \
    >"$WORK/written.jsonl" 2>/dev/null || fail "--since BEFORE"
python3 - "$WORK/dry.jsonl" "$WORK/occurred.jsonl" "$WORK/since.jsonl" "$WORK/written.jsonl" <<'PY' || fail "November 2022"
import json, sys
ids = lambda p: sorted(e["event_id"] for e in map(json.loads, open(p, encoding="utf-8")))
want = sorted(e["event_id"] for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
              if e["type"] == "TaskAssigned" and e["occurred_at"].startswith("2022-11"))
all_tasks = sorted(e["event_id"] for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
                   if e["type"] == "TaskAssigned")
got, since, written = ids(sys.argv[2]), ids(sys.argv[3]), ids(sys.argv[4])
assert len(want) > 50, len(want)
assert got == want, "README example: %d tasks, want %d" % (len(got), len(want))
assert since == [], "--since/--until November 2022: %d tasks, want none" % len(since)
assert written == all_tasks, "--since BEFORE: %d tasks, want %d" % (len(written), len(all_tasks))
docs = {e["doc_id"] for e in map(json.loads, open(sys.argv[2], encoding="utf-8"))}
print("%d tasks of %d documents issued in November 2022" % (len(got), len(docs)))
PY
ok "the README example returns the tasks of the documents issued in November 2022; --since/--until on that month none, --since the ingest all"

# produced now, occurred in 2022
t=$(date +%s%3N)
NOW=$(ms_iso "$t")
clock_past "$t"
python3 "$DUBAN_SRC_DIR/tests/integration/gen_events.py" 2000 DeliveryAttempt >"$WORK/del.jsonl"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/del.jsonl" 2>/dev/null || fail "produce"
count() { "$R" -b "$BOOTSTRAP" --topic duban.deliveries.v1 --exit-at-end "$@" 2>/dev/null | wc -l; }
n=$(count --since "$NOW")
[ "$n" = 2000 ] || fail "--since NOW: $n attempts, want 2000"
n=$(count --occurred-since "$NOW")
[ "$n" = 0 ] || fail "--occurred-since NOW: $n attempts, want 0"
ok "--since NOW returns the 2000 attempts written now; --occurred-since NOW none"
want=$(python3 - "$WORK/del.jsonl" <<'PY'
import json, sys, datetime
p = datetime.datetime.fromisoformat
lo, hi = p("2022-10-27T00:00:00+08:00"), p("2022-10-27T12:00:00+08:00")
print(sum(1 for e in map(json.loads, open(sys.argv[1], encoding="utf-8")) if lo <= p(e["occurred_at"]) < hi))
PY
)
n=$(count --occurred-since 2022-10-27T00:00+08:00 --occurred-until 2022-10-27T12:00+08:00)
[ "$want" -gt 0 ] && [ "$n" = "$want" ] || fail "occurred_at window: $n attempts, want $want"
n=$(count --since 2022-10-27T00:00+08:00 --until 2022-10-27T12:00+08:00)
[ "$n" = 0 ] || fail "--since/--until on 2022 for attempts written now: $n, want 0"
ok "an occurred_at window returns its $want attempts; the same window on message timestamps none"
rc=0
"$R" -b "$BOOTSTRAP" --occurred-since yesterday --exit-at-end >/dev/null 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] && grep -q -- '--occurred-since yesterday' "$WORK/err" || fail "bad --occurred-since: $rc"
ok "--occurred-since yesterday: usage error"
echo "$passed passed, 0 failed"
