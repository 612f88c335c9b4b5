#!/usr/bin/env bash
# Issue 14 acceptance, duban-analytics' per-department figures on SQLite and
# on a real PostgreSQL server this test starts (initdb + pg_ctl; a server that
# cannot start fails the test). A scripted history: the three gazettes through
# duban-ingest; status changes (completed on time, completed late, extended
# then completed, extended and still open, cancelled, reopened, in progress);
# the alerts duban-alerter --simulate gives for it; duban-notifier delivering
# them to a duban-receiver whose "eco" endpoint always answers 500 (those
# alerts are sent, never delivered). duban-analytics loads every topic into
# SQLite and into PostgreSQL; department_figures on both equal the figures
# computed here, independently, from the events read back with duban-replay
# and the holiday files in data/calendar (as of the latest event, and as of
# an explicit --as-of); loading the same topics again changes nothing; and
# `report` gives the same page from either store.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
source "$(dirname "$0")/lib/postgres.bash"
B=$DUBAN_BIN_DIR
GAZ=${DUBAN_SHARED_DIR:?}/gazettes
ECO=市生态环境局大武口分局

start_postgres -c fsync=off
start_broker --partitions 4
start_receiver --rule '/eco=500'
cat >"$WORK/routes.json" <<JSON
{"endpoints":[$(json_endpoint office),
              $(json_endpoint eco ',"retry":{"max_attempts":2,"base_ms":50,"max_ms":100},"breaker":{"failures":1000}')],
 "routes":[{"department":"$ECO","endpoints":["eco"]}],
 "default":["office"]}
JSON

# ---- the history ----
"$B/duban-ingest" --dry-run "$GAZ"/0*.txt >"$WORK/ingest.jsonl" 2>"$WORK/ingest.err"
"$B/duban-ingest" -b "$BOOTSTRAP" "$GAZ"/0*.txt >/dev/null 2>>"$WORK/ingest.err" \
    || fail "ingest: $(tail -3 "$WORK/ingest.err")"
python3 - "$WORK/ingest.jsonl" >"$WORK/status.jsonl" <<'PY' || fail "choosing tasks"
import json, sys
tasks = sorted((e for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
                if e["type"] == "TaskAssigned" and e["doc_id"] == "石大政办发〔2021〕58号"
                and e["due_date"] == "2021-12-31" and e["lead_departments"]),
               key=lambda e: e["task_id"])
assert len(tasks) >= 10, len(tasks)
n = 0
def change(t, to, at, new_due=None):
    global n
    n += 1
    print(json.dumps({"type": "TaskStatusChanged", "event_id": "st%02d" % n, "occurred_at": at,
        "schema_version": 1, "source": {"file": "cli:test", "line": 0, "offset": -1},
        "task_id": t["task_id"], "from_status": None, "to_status": to, "new_due_date": new_due,
        "actor": t["lead_departments"][0], "comment": None}, ensure_ascii=False))
a, b, c, d, e, f, g, h = tasks[:8]
change(a, "IN_PROGRESS", "2021-12-20T10:00:00+08:00")
change(a, "COMPLETED", "2021-12-29T10:00:00+08:00")               # on time
change(b, "EXTENDED", "2021-12-28T15:00:00+08:00", "2022-01-10")
change(b, "COMPLETED", "2022-01-07T11:00:00+08:00")               # on time after the extension
change(c, "COMPLETED", "2022-01-06T16:30:00+08:00")               # late: 3 working days (1-3 Jan off)
change(d, "CANCELLED", "2021-12-21T09:00:00+08:00")
change(e, "IN_PROGRESS", "2021-12-22T09:00:00+08:00")             # open, overdue
change(f, "EXTENDED", "2021-12-30T09:00:00+08:00", "2022-01-12")  # open, due soon on 5 Jan
change(g, "COMPLETED", "2021-12-24T09:00:00+08:00")
change(g, "REOPENED", "2022-01-04T09:00:00+08:00")                # open again
change(h, "COMPLETED", "2022-01-17T09:00:00+08:00")               # late: 11 working days
PY
"$B/duban-produce-json" -b "$BOOTSTRAP" "$WORK/status.jsonl" 2>>"$WORK/produce.log" \
    || fail "status: $(tail -3 "$WORK/produce.log")"
cat "$WORK/ingest.jsonl" "$WORK/status.jsonl" >"$WORK/events.jsonl"
"$B/duban-alerter" --simulate --until 2022-01-15T09:00:00+08:00 <"$WORK/events.jsonl" \
    >"$WORK/alerts.sim.jsonl" 2>"$WORK/alerter.log" || fail "alerter: $(tail -3 "$WORK/alerter.log")"
[ "$(wc -l <"$WORK/alerts.sim.jsonl")" -gt 50 ] || fail "too few alerts: $(wc -l <"$WORK/alerts.sim.jsonl")"
"$B/duban-produce-json" -b "$BOOTSTRAP" "$WORK/alerts.sim.jsonl" 2>>"$WORK/produce.log" \
    || fail "alerts: $(tail -3 "$WORK/produce.log")"
start_notifier notifier --demo --routes "$WORK/routes.json"
all_final() {
    topic_json duban.alerts.v1 >"$WORK/alerts.jsonl"
    topic_json duban.deliveries.v1 >"$WORK/deliveries.jsonl"
    python3 - "$WORK/alerts.jsonl" "$WORK/deliveries.jsonl" "$ECO" <<'PY'
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
final = {(d["alert_id"], d["endpoint_id"]) for d in map(json.loads, open(sys.argv[2], encoding="utf-8"))
         if d["outcome"] != "RETRYING"}
want = set()
for a in alerts:
    eps = {"eco" if x == sys.argv[3] else "office" for x in a["departments"]} or {"office"}
    want |= {(a["alert_id"], e) for e in eps}
sys.exit(0 if alerts and want <= final else 1)
PY
}
wait_until 120 all_final || fail "deliveries not final: $(tail -3 "$WORK/notifier.log")"
stop_notifier
echo "history: $(wc -l <"$WORK/status.jsonl") status changes, $(wc -l <"$WORK/alerts.jsonl") alerts, $(wc -l <"$WORK/deliveries.jsonl") delivery attempts"

# ---- into both stores, twice ----
load() { # NAME DB GROUP [more args]
    local name=$1 db=$2 group=$3; shift 3
    "$B/duban-analytics" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --db "$db" --group "$group" \
        --exit-at-end --csv "$WORK/$name" "$@" 2>"$WORK/$name.log" \
        || fail "analytics $name: $(grep -v -e REBALANCE -e CONFWARN "$WORK/$name.log" | tail -3)"
}
load sqlite1 "$WORK/a.db" g1
load pg1 "$PG_URL" p1
"$B/duban-analytics" --db "$WORK/a.db" --as-of 2022-01-05T12:00:00+08:00 --csv "$WORK/sqlite_asof" \
    2>"$WORK/asof.log" || fail "--as-of on SQLite: $(tail -3 "$WORK/asof.log")"
"$B/duban-analytics" --db "$PG_URL" --as-of 2022-01-05T12:00:00+08:00 --csv "$WORK/pg_asof" \
    2>>"$WORK/asof.log" || fail "--as-of on PostgreSQL: $(tail -3 "$WORK/asof.log")"
# the same log again, from the beginning (another group), into the same stores
load sqlite2 "$WORK/a.db" g2
load pg2 "$PG_URL" p2
"$B/duban-replay" -b "$BOOTSTRAP" --meta --exit-at-end >"$WORK/all.jsonl" 2>>"$WORK/replay.log" \
    || fail "replay"

python3 - "$WORK" "$DUBAN_SRC_DIR/data/calendar" <<'PY' || fail "figures"
import csv, datetime as dt, glob, json, os, sys
w, caldir = sys.argv[1], sys.argv[2]
errors = []
def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        errors.append(what)

# the working-day calendar, from the holiday files
off = {}
for path in sorted(glob.glob(os.path.join(caldir, "holidays-*.json"))):
    for day in json.load(open(path, encoding="utf-8"))["days"]:
        off[day["date"]] = day["isOffDay"]
def workday(d):
    k = d.isoformat()
    return not off[k] if k in off else d.weekday() < 5
def between(a, b):  # working days in (a, b], negative when b < a
    a, b = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    sign = 1 if b >= a else -1
    lo, hi = min(a, b), max(a, b)
    return sign * sum(workday(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
def t(s):
    return dt.datetime.fromisoformat(s)

events = [json.loads(l) for l in open(os.path.join(w, "all.jsonl"), encoding="utf-8")]
by_topic = {}
for e in events:
    by_topic.setdefault(e["_kafka"]["topic"], []).append(e)
tasks = {}
for e in by_topic["duban.tasks.v1"]:
    tasks[e["task_id"]] = e          # the latest version of each task, in log order
status = by_topic.get("duban.task-status.v1", [])
alerts = {a["alert_id"]: a for a in by_topic["duban.alerts.v1"]}
deliveries = by_topic["duban.deliveries.v1"]
latest = max(t(e["occurred_at"]) for e in events)

def figures(as_of):
    day = as_of.astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    out = {}
    for tid, task in tasks.items():
        if t(task["occurred_at"]) > as_of:
            continue
        mine = sorted((s for s in status if s["task_id"] == tid and t(s["occurred_at"]) <= as_of),
                      key=lambda s: (t(s["occurred_at"]), s["event_id"]))
        st = mine[-1]["to_status"] if mine else "ASSIGNED"
        ext = [s for s in mine if s["to_status"] == "EXTENDED" and s["new_due_date"]
               and t(s["occurred_at"]) > t(task["occurred_at"])]
        due = ext[-1]["new_due_date"] if ext else task["due_date"]
        dated = due is not None and task["deadline_kind"] != "RECURRING"
        is_open = st not in ("COMPLETED", "CANCELLED")
        late = None
        if dated and st == "COMPLETED":
            done = [s for s in mine if s["to_status"] == "COMPLETED"][-1]
            late = between(due, done["occurred_at"][:10])
        sent = [a for a in alerts.values() if a["task_id"] == tid and t(a["fire_at"]) <= as_of]
        delivered = [a for a in sent if any(d["alert_id"] == a["alert_id"] and d["outcome"] == "DELIVERED"
                                            and t(d["occurred_at"]) <= as_of for d in deliveries)]
        row = {"tasks": 1, "open": int(is_open),
               "due_soon": int(dated and is_open and 0 <= between(day, due) <= 7),
               "overdue": int(dated and is_open and between(due, day) >= 1),
               "done_on_time": int(late is not None and late < 1),
               "done_late": int(late is not None and late >= 1),
               "late_days": [late] if late is not None and late >= 1 else [],
               "alerts_sent": len(sent), "alerts_delivered": len(delivered)}
        for role, key in (("lead", "lead_departments"), ("cooperating", "cooperating_departments")):
            for dep in set(task[key]):
                acc = out.setdefault((dep, role), {k: ([] if k == "late_days" else 0) for k in row})
                for k, v in row.items():
                    acc[k] = acc[k] + v
    for acc in out.values():
        done = acc["done_on_time"] + acc["done_late"]
        acc["on_time_rate"] = acc["done_on_time"] / done if done else None
        acc["mean_workdays_late"] = sum(acc["late_days"]) / len(acc["late_days"]) if acc["late_days"] else None
        del acc["late_days"]
    return out

def read(name):
    rows = list(csv.DictReader(open(os.path.join(w, name, "department_figures.csv"), encoding="utf-8", newline="")))
    return {(r["department"], r["role"]): r for r in rows}

def same(got, want, label):
    bad = []
    if set(got) != set(want):
        bad.append("departments differ: %s" % sorted(set(got) ^ set(want))[:5])
    for key in sorted(set(got) & set(want)):
        g, x = got[key], want[key]
        for k, v in x.items():
            if v is None or isinstance(v, float):
                ok = (g[k] == "") if v is None else (g[k] != "" and abs(float(g[k]) - v) < 1e-9)
            else:
                ok = g[k] != "" and int(float(g[k])) == v
            if not ok:
                bad.append("%s/%s %s: store %r, events %r" % (key[0], key[1], k, g[k], v))
    expect(not bad, "%s: %d (department, role) rows equal the figures from the events%s"
           % (label, len(want), "" if not bad else ": " + "; ".join(bad[:5])))

want = figures(latest)
asof = dt.datetime.fromisoformat("2022-01-05T12:00:00+08:00")
want_asof = figures(asof)
tot = lambda fig, k: sum(v[k] for (d, r), v in fig.items() if r == "lead")
print("as of %s (lead): open %d, overdue %d, done on time %d, late %d, alerts %d sent, %d delivered" % (
    latest.isoformat(), tot(want, "open"), tot(want, "overdue"), tot(want, "done_on_time"),
    tot(want, "done_late"), tot(want, "alerts_sent"), tot(want, "alerts_delivered")))
print("as of %s (lead): open %d, due soon %d, overdue %d, done on time %d, late %d" % (
    asof.isoformat(), tot(want_asof, "open"), tot(want_asof, "due_soon"), tot(want_asof, "overdue"),
    tot(want_asof, "done_on_time"), tot(want_asof, "done_late")))
# the history must exercise what the figures distinguish
expect(tot(want, "done_late") >= 2 and tot(want, "done_on_time") >= 2, "history has on-time and late completions")
expect(0 < tot(want, "alerts_delivered") < tot(want, "alerts_sent"), "some alerts sent but never delivered")
expect(tot(want_asof, "due_soon") >= 1 and tot(want_asof, "overdue") >= 1, "due soon and overdue on 2022-01-05")
for name in ("sqlite1", "pg1"):
    same(read(name), want, "%s, as of the latest event" % name)
    asof_col = {r["as_of"] for r in read(name).values()}
    expect(len(asof_col) == 1 and t(asof_col.pop()) == latest,
           "%s: as_of is the latest event's time %s" % (name, sorted(asof_col)))
for name in ("sqlite_asof", "pg_asof"):
    same(read(name), want_asof, "%s, --as-of 2022-01-05T12:00" % name)

# loading the log again changed nothing, on either backend: every table and view
def dump(name):
    res = {}
    for f in sorted(os.listdir(os.path.join(w, name))):
        rows = list(csv.reader(open(os.path.join(w, name, f), encoding="utf-8", newline="")))
        res[f] = (rows[0], sorted(map(tuple, rows[1:])))
    return res
for a, b in (("sqlite1", "sqlite2"), ("pg1", "pg2")):
    d1, d2 = dump(a), dump(b)
    changed = [f for f in d1 if d1[f] != d2.get(f)]
    expect(not changed and len(d1) == 10, "%s -> %s: all %d tables and views unchanged %s" % (a, b, len(d1), changed))
# and both backends hold the same rows
s, p = dump("sqlite1"), dump("pg1")
diff = [f for f in s if f not in ("department_figures.csv",) and s[f] != p.get(f)]
expect(not diff, "SQLite and PostgreSQL hold the same rows in every table %s" % diff)
sys.exit(1 if errors else 0)
PY

# `report` reads either backend through the same queries: the same page, with
# the tasks ingest flagged for review (tasks.review); a PostgreSQL store made
# before that column gets it when opened, filled from the events it keeps
report() { # DB OUT
    "$B/duban-analytics" report --db "$1" --out "$2" --now 2022-01-15T12:00:00+08:00 \
        2>>"$WORK/report.log" || fail "report: $(tail -3 "$WORK/report.log")"
}
report "$WORK/a.db" "$WORK/sqlite.html"
report "$PG_URL" "$WORK/pg.html"
flagged=$(grep -o '共 [0-9]* 项' "$WORK/sqlite.html" | tail -1)
[ -n "$flagged" ] && [ "$flagged" != "共 0 项" ] || fail "report: no review list ($flagged)"
cmp -s "$WORK/sqlite.html" "$WORK/pg.html" || fail "report: the PostgreSQL store's page differs"
"$PG_BIN/psql" -q "$PG_URL" -c "ALTER TABLE tasks DROP COLUMN review" >/dev/null \
    || fail "psql: drop tasks.review"
report "$PG_URL" "$WORK/pg_old.html"
cmp -s "$WORK/sqlite.html" "$WORK/pg_old.html" || fail "report: the upgraded PostgreSQL store's page differs"
echo "ok   report: the same page from SQLite and PostgreSQL ($flagged flagged), also after tasks.review is added to an older store"
echo "1 passed, 0 failed"
