#!/usr/bin/env python3
"""gen_verify_history.py: a history for `duban-audit verify` (bench/verify.sh,
audit_verify_golden.sh), as JSON Lines for duban-produce-json.

  gen_verify_history.py tasks DIR TASKS
      DIR/tasks.jsonl: TASKS TaskAssigned (tests/integration/gen_events.py,
      one a minute from 2022-10-27) and, for one task in ten, status changes
      40 days after it was assigned (COMPLETED, EXTENDED to a new date,
      COMPLETION_REQUESTED and IN_PROGRESS ten days later, CANCELLED,
      IN_PROGRESS), each at its own instant (no two events share one).
  gen_verify_history.py routes FILE
      FILE: the notifier's routing file the history is delivered by: 区卫健局
      to endpoint wsj, 各镇 to towns, everyone else to office.
  gen_verify_history.py rest DIR N ROUTES
      Reads DIR/tasks.jsonl and DIR/alerts.jsonl (duban-alerter --simulate's
      output for it) and writes DIR/alerts-meta.jsonl (each alert stamped as
      sent 1 s after its fire_at: `_kafka.timestamp`, for --keep-meta),
      DIR/deliveries.jsonl (one DELIVERED attempt per (alert, endpoint) pair,
      the endpoints the routing file ROUTES gives the alert's departments,
      made 2 s after fire_at) and DIR/padding.jsonl (TaskAssigned that never
      alert, OPEN_ENDED and NONE, so that the events add up to exactly N;
      none when N is 0); prints the counts as shell assignments."""
import datetime, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_events  # noqa: E402

TZ = datetime.timezone(datetime.timedelta(hours=8))
DAY = 86400000


def ms_of(iso):
    return int(datetime.datetime.fromisoformat(iso).timestamp() * 1000)


def dump(out, e):
    out.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")


def status_event(i, k, to, at, new_due=None):
    e = gen_events.status(i)
    e["event_id"] = gen_events.h("bench-status", i, k)
    e["occurred_at"] = gen_events.iso(at)
    e["to_status"] = to
    e["new_due_date"] = new_due
    return e


def tasks(work, n):
    plans = [["COMPLETED"], ["EXTENDED"], ["COMPLETION_REQUESTED", "IN_PROGRESS"],
             ["CANCELLED"], ["IN_PROGRESS"]]
    count = statuses = 0
    with open(os.path.join(work, "tasks.jsonl"), "w", encoding="utf-8") as out:
        for i in range(n):
            t = gen_events.task(i)
            dump(out, t)
            count += 1
            if i % 10 != 3:
                continue
            at = ms_of(t["occurred_at"]) + 40 * DAY + 30000
            for k, to in enumerate(plans[(i // 10) % len(plans)]):
                due = gen_events.date(19600 + i % 30) if to == "EXTENDED" else None
                dump(out, status_event(i, k, to, at + k * 10 * DAY, due))
                statuses += 1
    print("TASKS=%d STATUSES=%d" % (count, statuses))


SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def routes(path):
    eps = [{"id": e, "url": "http://127.0.0.1:9/" + e, "format": "json", "secrets": [SECRET]}
           for e in ("office", "wsj", "towns")]
    r = {"endpoints": eps, "default": ["office"],
         "routes": [{"department": "区卫健局", "endpoints": ["wsj"]},
                    {"department": "各镇", "endpoints": ["towns"]}]}
    json.dump(r, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)


def load_routes(path):
    r = json.load(open(path, encoding="utf-8"))
    by_dept = {x["department"]: x["endpoints"] for x in r["routes"]}
    return by_dept, r["default"]


def endpoints_of(departments, by_dept, default):
    """The notifier's lookup (webhook_route.c) over the alert's departments."""
    eps = []
    for d in departments or [None]:
        for e in by_dept.get(d, default) if d is not None else default:
            if e not in eps:
                eps.append(e)
    return eps


def rest(work, n, routes):
    by_dept, default = load_routes(routes)
    tasks_n = sum(1 for _ in open(os.path.join(work, "tasks.jsonl"), encoding="utf-8"))
    alerts = deliveries = 0
    with open(os.path.join(work, "alerts.jsonl"), encoding="utf-8") as src, \
            open(os.path.join(work, "alerts-meta.jsonl"), "w", encoding="utf-8") as am, \
            open(os.path.join(work, "deliveries.jsonl"), "w", encoding="utf-8") as dl:
        for line in src:
            a = json.loads(line)
            fire = ms_of(a["fire_at"])
            a["_kafka"] = {"timestamp": gen_events.iso(fire + 1000)}
            dump(am, a)
            alerts += 1
            for ep in endpoints_of(a["departments"], by_dept, default):
                d = {"type": "DeliveryAttempt",
                     "event_id": gen_events.h("bench-delivery", a["alert_id"], ep),
                     "occurred_at": gen_events.iso(fire + 2000), "schema_version": 1,
                     "source": {"file": "duban-notifier", "line": 0, "offset": -1},
                     "alert_id": a["alert_id"], "endpoint_id": ep,
                     "department": a["departments"][0] if a["departments"] else "",
                     "attempt": 1, "http_status": 200, "error": None, "latency_ms": 40,
                     "outcome": "DELIVERED", "digest_size": 1}
                dump(dl, d)
                deliveries += 1
    total = tasks_n + alerts + deliveries
    if n == 0:   # no padding
        n = total
    if total > n:
        sys.exit("gen_verify_history.py: %d events without padding, more than N=%d: "
                 "fewer TASKS or an earlier UNTIL" % (total, n))
    # Padding: tasks that never alert (OPEN_ENDED, NONE), after the last one.
    pad = n - total
    i = sum(1 for line in open(os.path.join(work, "tasks.jsonl"), encoding="utf-8")
            if '"type":"TaskAssigned"' in line)
    with open(os.path.join(work, "padding.jsonl"), "w", encoding="utf-8") as out:
        written = 0
        while written < pad:
            if i % 4 in (2, 3):
                dump(out, gen_events.task(i))
                written += 1
            i += 1
    print("ALERTS=%d DELIVERIES=%d PADDING=%d" % (alerts, deliveries, pad))


if __name__ == "__main__":
    if sys.argv[1] == "tasks":
        tasks(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "routes":
        routes(sys.argv[2])
    else:
        rest(sys.argv[2], int(sys.argv[3]), sys.argv[4])
