#!/usr/bin/env bash
# Issue 14 item 3: `duban-analytics report`, one self-contained HTML page.
# The three gazettes are ingested through the embedded broker, six tasks get
# status changes (done on time, done late, done on time by the approved
# request's day, extended, cancelled, and one completed after the report's
# day), duban-analytics builds the store, and the report for 2022-06-30 is
#   - self-contained: no http(s) or protocol-relative src/href, no script,
#     no stylesheet link, no @import or url();
#   - rendered by headless Chromium (a screenshot, and the DOM it built): the
#     board lists exactly the departments of the store (asked with sqlite3),
#     and its red, open, done-on-time, done-late and cooperating figures, the
#     on-time rates and the last point of the overdue chart equal figures
#     computed here in Python from the store's raw tables; the review list
#     has every task ingest flagged (counted from the dry run);
#   - made from a store older than tasks.review too (the column is added and
#     filled from the kept events);
#   - refused with exit 2 for usage errors, exit 1 for a --db that is no store.
# Chromium missing or failing is a failure, never a skip (CI installs it).
# DUBAN_REPORT_PNG=path keeps the screenshot there (docs/report.png is one).
source "$(dirname "$0")/lib/common.bash"
A="$DUBAN_BIN_DIR/duban-analytics"
G="${DUBAN_SHARED_DIR:-/work/shared}/gazettes"
NOW=2022-06-30T12:00:00+08:00
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
command -v chromium >/dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"

start_broker --partitions 4
"$DUBAN_BIN_DIR/duban-ingest" --dry-run "$G"/*.txt >"$WORK/dry.jsonl" 2>/dev/null || fail "dry run"
"$DUBAN_BIN_DIR/duban-ingest" -b "$BOOTSTRAP" "$G"/*.txt >/dev/null 2>"$WORK/ingest.log" \
    || fail "ingest: $(tail -3 "$WORK/ingest.log")"

# six DATED tasks with a lead department, due 2021-09-01 .. 2022-06-10
python3 - "$WORK/dry.jsonl" >"$WORK/changes.txt" <<'PY'
import datetime as dt, json, sys
ev = [e for e in map(json.loads, open(sys.argv[1], encoding="utf-8")) if e["type"] == "TaskAssigned"]
pick = sorted((e["task_id"], e["due_date"]) for e in ev if e["deadline_kind"] == "DATED"
              and e["lead_departments"] and "2021-09-01" <= e["due_date"] <= "2022-06-10")
pick = [pick[i * (len(pick) // 6)] for i in range(6)]
def at(due, days):
    d = dt.date.fromisoformat(due) + dt.timedelta(days=days)
    return d.isoformat() + "T10:00:00+08:00"
(t1, d1), (t2, d2), (t3, d3), (t4, d4), (t5, d5), (t6, d6) = pick
rows = [(t1, "COMPLETED", at(d1, -2), ""),                 # on time
        (t2, "COMPLETED", at(d2, 10), ""),                 # late
        (t3, "COMPLETION_REQUESTED", at(d3, -1), ""),      # on time: the request's day counts
        (t3, "COMPLETED", at(d3, 5), ""),
        (t4, "EXTENDED", at(d4, -1), "2022-12-31"),        # not overdue on 2022-06-30
        (t5, "CANCELLED", at(d5, -3), ""),
        (t6, "COMPLETED", "2022-08-01T10:00:00+08:00", "")]  # after the report's day
for r in rows:
    print("\t".join(r))
PY
S=("$DUBAN_BIN_DIR/duban-status" -b "$BOOTSTRAP" report --force)   # a made-up history: no transition check
while IFS=$'\t' read -r task to at due; do
    extra=()
    [ -z "$due" ] || extra=(--new-due-date "$due")
    "${S[@]}" --task "$task" --to "$to" --actor 区政府督查室 --at "$at" "${extra[@]}" \
        >/dev/null 2>"$WORK/status.log" || fail "status $task $to: $(tail -2 "$WORK/status.log")"
done <"$WORK/changes.txt"
"$A" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --db "$WORK/a.db" --exit-at-end 2>"$WORK/an.log" \
    || fail "analytics: $(grep -v '^%' "$WORK/an.log" | tail -3)"

"$A" report --db "$WORK/a.db" --out "$WORK/report.html" --now "$NOW" 2>"$WORK/report.log" \
    || fail "report: $(cat "$WORK/report.log")"
size=$(wc -c <"$WORK/report.html")
[ "$size" -gt 10000 ] || fail "report is $size bytes"
ok "report written: $size bytes"

# self-contained: nothing fetched, nothing run
python3 - "$WORK/report.html" <<'PY' || fail "the report is not self-contained"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
bad = [p for p in (r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", r"<script", r"<link",
                   r"@import", r"url\(", r"<iframe", r"<img") if re.search(p, html, re.I)]
assert not bad, bad
assert html.count("<svg") >= 3, html.count("<svg")   # the board's bars, the chart, the rates
PY
ok "self-contained: no external src/href, script, link, @import or url(); inline SVG"

# headless Chromium: a screenshot, and the DOM it built
CH=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK/chromium")
export HOME="$WORK"
timeout 120 "${CH[@]}" --screenshot="$WORK/report.png" --window-size=1100,1500 \
    "file://$WORK/report.html" >"$WORK/shot.log" 2>&1 || fail "chromium --screenshot: $(tail -5 "$WORK/shot.log")"
python3 - "$WORK/report.png" <<'PY' || fail "screenshot"
import struct, sys
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", b[16:24])
assert (w, h) == (1100, 1500), (w, h)
assert len(b) > 20000, len(b)       # a blank page compresses to a few kB
PY
ok "chromium screenshot: 1100x1500 PNG, $(wc -c <"$WORK/report.png") bytes"
[ -z "${DUBAN_REPORT_PNG:-}" ] || cp "$WORK/report.png" "$DUBAN_REPORT_PNG"
timeout 120 "${CH[@]}" --dump-dom "file://$WORK/report.html" >"$WORK/dom.html" 2>"$WORK/dom.log" \
    || fail "chromium --dump-dom: $(tail -5 "$WORK/dom.log")"
grep -q '红黄绿灯' "$WORK/dom.html" || fail "the DOM has no board"

sqlite3 "$WORK/a.db" "select distinct department from task_departments" >"$WORK/depts.txt"
python3 - "$WORK/a.db" "$WORK/dom.html" "$WORK/depts.txt" "$WORK/dry.jsonl" "$NOW" <<'PY' || fail "figures"
import datetime as dt, html.parser, json, re, sqlite3, sys
db_path, dom_path, depts_path, dry_path, now = sys.argv[1:6]
today = dt.datetime.fromisoformat(now).date()

class Tables(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.tables = []; self.cell = None
    def handle_starttag(self, tag, attrs):
        if tag == "table": self.tables.append([])
        elif tag == "tr": self.tables[-1].append([])
        elif tag in ("td", "th"): self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th"): self.tables[-1][-1].append(self.cell.strip()); self.cell = None
    def handle_data(self, data):
        if self.cell is not None: self.cell += data
dom = open(dom_path, encoding="utf-8").read()
p = Tables(); p.feed(dom)
board, review = p.tables[0], p.tables[1]
rows = {r[0]: r for r in board[1:]}

# every department of the store (asked with sqlite3), and no other
store_depts = {l.rstrip("\n") for l in open(depts_path, encoding="utf-8") if l.strip()}
assert store_depts and set(rows) == store_depts, (len(store_depts), len(rows),
                                                 sorted(store_depts ^ set(rows))[:5])
print("board: all %d departments of the store" % len(store_depts))

# the figures, from the raw tables
db = sqlite3.connect(db_path)
inst = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(
    dt.timezone(dt.timedelta(hours=8)))
tasks = {t: dict(kind=k, due=d, at=inst(a), status="ASSIGNED", ext=None, req=None, done=None)
         for t, k, d, a in db.execute("select task_id, deadline_kind, due_date, occurred_at from tasks")}
changes = sorted((inst(a), t, to, nd) for t, to, nd, a in
                 db.execute("select task_id, to_status, new_due_date, occurred_at from task_status"))
for at, t, to, nd in changes:
    x = tasks[t]
    if at.date() > today:
        continue
    if to == "EXTENDED" and nd and at > x["at"]:
        x["ext"] = nd
    if to == "COMPLETION_REQUESTED":
        x["req"] = at
    if to == "COMPLETED":
        x["done"] = x["req"] if x["status"] == "COMPLETION_REQUESTED" and x["req"] else at
    x["status"] = to
def due(x):
    return x["ext"] or (x["due"] if x["kind"] == "DATED" else None)
def figures(x):
    if x["at"].date() > today:          # assigned after the report's day: left out
        return False, False, False, False
    open_ = x["status"] not in ("COMPLETED", "CANCELLED")
    red = open_ and due(x) is not None and dt.date.fromisoformat(due(x)) < today  # today works
    done = x["status"] == "COMPLETED"
    on_time = done and (due(x) is None or x["done"].date() <= dt.date.fromisoformat(due(x)))
    return open_, red, done and on_time, done and not on_time
want = {d: [0, 0, 0, 0, 0] for d in store_depts}   # red open on_time late coop
for t, d, role in db.execute("select task_id, department, role from task_departments"):
    o, r, ot, late = figures(tasks[t])
    w = want[d]
    if role == "lead":
        w[0] += r; w[1] += o; w[2] += ot; w[3] += late
    else:
        w[4] += o
for d, w in want.items():
    row = rows[d]
    red, yellow, green, open_, on_time, late, coop = (int(row[i]) for i in (1, 2, 3, 4, 6, 7, 8))
    got = [red, open_, on_time, late, coop]
    assert got == w and red + yellow + green == open_, (d, got, w, row)
total = [sum(f) for f in zip(*(figures(x) for x in tasks.values()))]
assert total[2] == 2 and total[3] == 1, total     # on time: two; late: one
assert total[1] > 0, total
print("board figures equal the raw tables': %d red, %d done on time, %d late"
      % (total[1], total[2], total[3]))
m = re.search(r"统计日 (\d+) 项", dom)
assert m and int(m.group(1)) == total[1], (m and m.group(1), total[1])
print("overdue chart ends at %s, the red count" % m.group(1))
for d, w in want.items():
    if w[2] + w[3]:
        label = "%.1f%%（%d/%d）" % (100.0 * w[2] / (w[2] + w[3]), w[2], w[2] + w[3])
        assert label in dom, (d, label)
flagged = sum(1 for e in map(json.loads, open(dry_path, encoding="utf-8"))
              if e["type"] == "TaskAssigned" and e.get("review"))
assert flagged and len(review) - 1 == flagged, (len(review) - 1, flagged)
assert any("未识别出牵头单位（NO_LEAD）" in r[1] for r in review[1:])
print("review list: %d tasks, as flagged by ingest" % flagged)
PY
ok "rendered DOM: every department of the store, figures equal the raw tables'"

# a store made before tasks.review: the column is added and filled
cp "$WORK/a.db" "$WORK/old.db"
sqlite3 "$WORK/old.db" "alter table tasks drop column review"
"$A" report --db "$WORK/old.db" --out "$WORK/old.html" --now "$NOW" 2>/dev/null || fail "report on an old store"
cmp -s "$WORK/report.html" "$WORK/old.html" || fail "the old store's report differs"
[ "$(sqlite3 "$WORK/old.db" "select count(*) from tasks where review <> ''")" = \
  "$(sqlite3 "$WORK/a.db" "select count(*) from tasks where review <> ''")" ] || fail "review backfill"
ok "a store without tasks.review gets it (from the kept events); same report"

# usage errors exit 2; a --db that is no store exits 1 and creates nothing
usage() {
    local want=$1 msg=$2 rc=0
    shift 2
    "$A" "$@" >/dev/null 2>"$WORK/err" || rc=$?
    [ "$rc" = "$want" ] && grep -q -- "$msg" "$WORK/err" || fail "$*: exit $rc, $(cat "$WORK/err")"
}
usage 2 "report: --db FILE|URL (an existing store) is required" report --out "$WORK/x.html"
usage 2 "report: --out FILE is required" report --db "$WORK/a.db"
usage 2 "report reads the store only" report --db "$WORK/a.db" --out "$WORK/x.html" -b "$BOOTSTRAP"
usage 2 "report reads the store only" report --db "$WORK/a.db" --out "$WORK/x.html" --as-of 2022-06-30
usage 2 "report: --now: not ISO 8601" report --db "$WORK/a.db" --out "$WORK/x.html" --now soon
usage 2 "belong to the report command" --db "$WORK/a.db" --out "$WORK/x.html"
usage 2 "unexpected argument reprot" reprot --db "$WORK/a.db"
usage 1 "typo.db: no such store" report --db "$WORK/typo.db" --out "$WORK/x.html"
[ ! -e "$WORK/typo.db" ] && [ ! -e "$WORK/x.html" ] || fail "a failed report left files"
usage 1 "--out $WORK/no/such/dir/r.html" report --db "$WORK/a.db" --out "$WORK/no/such/dir/r.html"
ok "usage errors exit 2; no store, or an --out that cannot be written, exit 1"
echo "$passed passed, 0 failed"
