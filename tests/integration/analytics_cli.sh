#!/usr/bin/env bash
# Issue 14 item 6: what a user trips on in duban-analytics.
#   - --csv DIR creates DIR (nested, with a trailing slash as in the README);
#     a DIR that cannot be made fails naming it;
#   - dead_letters holds, after one --exit-at-end run, every dead letter on
#     duban.dlq.v1, including the ones that run wrote itself;
#   - CSV-only mode with a mistyped --db fails (exit 1, naming it) and
#     creates no file; a SQLite file that is not a store is refused;
#   - --db alone is a usage error (exit 2) and creates no file;
#   - an immediate second run (default session timeout) finishes in < 15 s
#     (45 s before) and says what it waits for;
#   - task_current.effective_due_date follows EXTENDED, so the README's
#     "overdue, extensions respected" query is one query.
source "$(dirname "$0")/lib/common.bash"
A="$DUBAN_BIN_DIR/duban-analytics"
G="${DUBAN_SHARED_DIR:-/work/shared}/gazettes"
start_broker --partitions 4
"$DUBAN_BIN_DIR/duban-ingest" --dry-run "$G"/*.txt >"$WORK/dry.jsonl" 2>/dev/null || fail "dry run"
"$DUBAN_BIN_DIR/duban-ingest" -b "$BOOTSTRAP" "$G"/*.txt >/dev/null 2>"$WORK/ingest.log" \
    || fail "ingest: $(tail -3 "$WORK/ingest.log")"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# three tasks due 2021-12-31: A completed, B extended to 2022-01-10, C open
read -r TA TB TC < <(python3 - "$WORK/dry.jsonl" <<'PY'
import json, sys
ids = sorted(e["task_id"] for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
             if e["type"] == "TaskAssigned" and e.get("due_date") == "2021-12-31")
print(ids[0], ids[1], ids[2])
PY
)
S=("$DUBAN_BIN_DIR/duban-status" -b "$BOOTSTRAP" report --force)   # a made-up history: no transition check
"${S[@]}" --task "$TA" --to COMPLETED --actor 区卫健局 --at 2021-12-29T10:00:00+08:00 >/dev/null 2>&1 \
    || fail "status A"
"${S[@]}" --task "$TB" --to EXTENDED --new-due-date 2022-01-10 --actor 区政府督查室 \
    --at 2021-12-29T15:00:00+08:00 >/dev/null 2>&1 || fail "status B"
# an undecodable message: the run dead-letters it itself
printf 'duban.task-status.v1\tbad\t01020304\n' >"$WORK/bad.raw"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" --raw "$WORK/bad.raw" 2>/dev/null || fail "raw"

"$A" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --db "$WORK/a.db" --exit-at-end --csv "$WORK/out/csv/" \
    2>"$WORK/an1.log" || fail "analytics: $(grep -v '^%' "$WORK/an1.log" | tail -3)"
[ -s "$WORK/out/csv/tasks.csv" ] && [ -s "$WORK/out/csv/task_current.csv" ] \
    || fail "--csv did not create out/csv/ with the tables"
ok "--csv out/csv/ created, $(ls "$WORK/out/csv" | wc -l) files"
touch "$WORK/file"
rc=0
"$A" --db "$WORK/a.db" --csv "$WORK/file/sub" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && grep -q -- "--csv $WORK/file/sub" "$WORK/err" || fail "--csv under a file: exit $rc, $(cat "$WORK/err")"
ok "--csv under a regular file: exit 1, $(grep -o 'msg=.*' "$WORK/err" | head -1)"

dlq=$("$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.dlq.v1 --exit-at-end 2>/dev/null | wc -l)
rows=$(sqlite3 "$WORK/a.db" "select count(*) from dead_letters")
[ "$dlq" -ge 1 ] && [ "$rows" = "$dlq" ] || fail "dead_letters has $rows rows, duban.dlq.v1 $dlq messages"
sqlite3 "$WORK/a.db" "select reason from dead_letters" | grep -q 'magic byte' || fail "the dead letter"
ok "dead_letters after one run: $rows of $dlq dead letters (written by that run)"

rc=0
"$A" --db "$WORK/typo.db" --csv "$WORK/out2" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && grep -q "typo.db: no such store" "$WORK/err" || fail "mistyped --db: exit $rc, $(cat "$WORK/err")"
[ ! -e "$WORK/typo.db" ] || fail "mistyped --db created $WORK/typo.db"
sqlite3 "$WORK/other.db" "create table t(x)"
rc=0
"$A" --db "$WORK/other.db" --csv "$WORK/out2" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && grep -q "not a duban-analytics store" "$WORK/err" || fail "other sqlite file: exit $rc"
[ "$(sqlite3 "$WORK/other.db" "select count(*) from sqlite_master")" = 1 ] || fail "other.db was given tables"
"$A" --db "$WORK/a.db" --csv "$WORK/out3" 2>/dev/null || fail "export-only from the real store"
[ "$(wc -l <"$WORK/out3/tasks.csv")" = "$(wc -l <"$WORK/out/csv/tasks.csv")" ] || fail "export-only rows"
ok "CSV-only: a mistyped --db fails and creates nothing; another SQLite file is refused; the store exports"

rc=0
"$A" --db "$WORK/alone.db" 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] && grep -q -- "--db $WORK/alone.db alone does nothing" "$WORK/err" || fail "--db alone: exit $rc"
[ ! -e "$WORK/alone.db" ] || fail "--db alone created the file"
ok "--db alone: usage error, nothing created"

# an immediate second run in the same group, librdkafka's default session
# timeout (no GROUP_OPTS): it waited 45 s in silence before
"$A" -b "$BOOTSTRAP" --db "$WORK/b.db" --exit-at-end 2>/dev/null || fail "first run"
t0=$(date +%s%N)
"$A" -b "$BOOTSTRAP" --db "$WORK/b.db" --exit-at-end 2>"$WORK/second.log" || fail "second run"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 15000 ] || fail "second run took $ms ms"
if [ "$ms" -gt 3000 ]; then
    grep -q 'waiting .* for consumer group duban-analytics to assign partitions' "$WORK/second.log" \
        || fail "second run waited $ms ms without saying why"
fi
ok "an immediate second run took $ms ms ($(grep -c 'fac=GROUP' "$WORK/second.log") waiting lines)"

python3 - "$WORK/a.db" "$TA" "$TB" "$TC" <<'PY' || fail "effective_due_date"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ta, tb, tc = sys.argv[2:5]
row = lambda t: db.execute("select status, due_date, effective_due_date from task_current where task_id=?", (t,)).fetchone()
assert row(ta) == ("COMPLETED", "2021-12-31", "2021-12-31"), row(ta)
assert row(tb) == ("EXTENDED", "2021-12-31", "2022-01-10"), row(tb)
assert row(tc) == ("ASSIGNED", "2021-12-31", "2021-12-31"), row(tc)
# the README's query, on 2022-01-05 instead of date('now')
q = ("select task_id, effective_due_date from task_current where status not in ('COMPLETED', 'CANCELLED')"
     " and effective_due_date < '2022-01-05'")
overdue = {r[0] for r in db.execute(q)}
assert tc in overdue and ta not in overdue and tb not in overdue, (len(overdue))
print("overdue on 2022-01-05 respecting extensions: %d tasks (B, extended, is not)" % len(overdue))
PY
grep -qF "effective_due_date < date('now')\"  # overdue, extensions respected" "$DUBAN_SRC_DIR/README.md" \
    || fail "the README no longer has the query this test runs"
ok "task_current.effective_due_date follows EXTENDED; the README's overdue query is one query"
echo "$passed passed, 0 failed"
