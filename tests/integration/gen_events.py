#!/usr/bin/env python3
"""Writes N events of every duban type as JSON Lines (deterministic), in the
canonical form duban-replay prints, for round-trip tests and benchmarks.
Usage: gen_events.py N [TYPE...]"""
import json, sys, hashlib, datetime

TZ = datetime.timezone(datetime.timedelta(hours=8))
DEPTS = ["区卫健局", "区财政局", "区发改局", "区教育局", "区民政局", "区住建局", "各镇", "各街道"]
TEXTS = ["实施赛事活动提升行动，推进全民健身场地设施建设", "完善基层医疗卫生服务体系",
         "加强城乡环境综合整治（牵头单位：区住建局）", "每季度报送工作进展情况"]

def iso(ms):
    dt = datetime.datetime.fromtimestamp(ms / 1000, TZ)
    s = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if ms % 1000:
        s += ".%03d" % (ms % 1000)
    return s + "+08:00"

def date(days):
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=days)).isoformat()

def h(*parts):
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()

def envelope(t, i):
    ms = 1666800000000 + i * 60000 + (i % 7)
    return {"type": t, "event_id": h(t, i), "occurred_at": iso(ms), "schema_version": 1,
            "source": {"file": "000_55122fd70aed731a.txt", "line": 100 + i % 5000, "offset": 4096 + i}}

def doc(i):
    e = envelope("DocumentPublished", i)
    e.update(doc_id="石大政发〔2022〕%d号" % i, doc_number="石大政发〔2022〕%d号" % i,
             title="大武口区人民政府关于印发第%d号实施方案的通知" % i,
             issuers=["大武口区人民政府"], issue_date=date(19300 + i % 400),
             recipients=["各镇人民政府", "各街道办事处", "区直各部门"],
             attached_plan_title=None if i % 3 else "大武口区全民健身实施计划（2021—2025年）",
             body_sha256=h("body", i), task_count=i % 40)
    return e

def task(i):
    e = envelope("TaskAssigned", i)
    kind = ["DATED", "RECURRING", "OPEN_ENDED", "NONE"][i % 4]
    e.update(task_id="石大政发〔2022〕%d号#二.(%d).%d" % (i // 50, i % 50, i % 3),
             doc_id="石大政发〔2022〕%d号" % (i // 50), outline_path="二.(%d).%d" % (i % 50, i % 3),
             text=TEXTS[i % 4], lead_units=[DEPTS[i % 6]], cooperating_units=DEPTS[6:8] if i % 2 else [],
             lead_departments=[DEPTS[i % 6]], cooperating_departments=DEPTS[6:8] if i % 2 else [],
             deadline_text="2023年6月底前" if kind == "DATED" else None,
             due_date=date(19538 + i % 100) if kind == "DATED" else None, deadline_kind=kind,
             recurrence={"period": "QUARTERLY", "month": 0, "day": 0, "text": "每季度"} if kind == "RECURRING" else None,
             milestones=[{"text": "2023年3月底前", "due_date": "2023-03-31"}, {"text": "2023年6月底前", "due_date": "2023-06-30"}] if i % 8 == 0 else [],
             content_sha256=h("content", i), doc_title="关于印发第%d号实施方案的通知" % (i // 50),
             issuers=["大武口区人民政府办公室"],
             review=["NO_LEAD"] if i % 5 == 0 else [],
             correction={"author": "区委督查室", "reason": "牵头单位更正"} if i % 7 == 0 else None)
    return e

STATUSES = ["ASSIGNED", "ACCEPTED", "IN_PROGRESS", "COMPLETED", "EXTENSION_REQUESTED", "EXTENDED", "CANCELLED", "REOPENED"]

def status(i):
    e = envelope("TaskStatusChanged", i)
    to = STATUSES[i % 8]
    e["source"] = {"file": "http:user%d" % (i % 10), "line": 0, "offset": -1}
    e.update(task_id="石大政发〔2022〕%d号#二.(%d).%d" % (i // 50, i % 50, i % 3),
             from_status=None if i % 5 == 0 else STATUSES[(i + 7) % 8], to_status=to,
             new_due_date=date(19600 + i % 30) if to == "EXTENDED" else None,
             actor=DEPTS[i % 6], comment=None if i % 2 else "已按要求推进")
    return e

def alert(i):
    e = envelope("DeadlineAlert", i)
    kinds = ["DUE_SOON", "DUE_TODAY", "OVERDUE", "ESCALATION", "PAST_DUE_AT_ISSUE"]
    k = kinds[i % 5]
    e.update(alert_id=h("alert", i)[:32], task_id="石大政发〔2022〕%d号#二.(%d)" % (i // 50, i % 50),
             doc_id="石大政发〔2022〕%d号" % (i // 50), departments=DEPTS[: 1 + i % 4], kind=k,
             level={"DUE_SOON": "YELLOW", "DUE_TODAY": "YELLOW"}.get(k, "RED") if i % 7 else "GREEN",
             due_date=date(19538 + i % 100), days_left=3 - i % 9, fire_at=iso(1687741200000 + i * 1000),
             threshold_days=7 if k == "DUE_SOON" else None, late=bool(i % 11 == 0),
             doc_title="关于印发第%d号实施方案的通知" % (i // 50), task_text=TEXTS[i % 4],
             outline_path="二.(%d)" % (i % 50), lead_departments=DEPTS[:1], cooperating_departments=DEPTS[1:1 + i % 3],
             supervisors=["区人民政府办公室"] if k in ("OVERDUE", "ESCALATION") else [],
             deadline_text="2023年6月底前" if i % 2 else None)
    return e

def delivery(i):
    e = envelope("DeliveryAttempt", i)
    e["source"] = {"file": "duban-notifier", "line": 0, "offset": -1}
    e.update(alert_id=h("alert", i)[:32], endpoint_id="dingtalk-%d" % (i % 4), department=DEPTS[i % 6],
             attempt=1 + i % 3, http_status=[200, 500, 429, 0][i % 4], error=None if i % 4 == 0 else "HTTP %d" % i,
             latency_ms=i % 900, outcome=["DELIVERED", "RETRYING", "DEAD_LETTERED", "DISABLED"][i % 4], digest_size=1 + i % 5)
    return e

def dead(i):
    import base64
    e = envelope("DeadLetter", i)
    e["source"] = {"file": "duban-alerter", "line": 0, "offset": -1}
    e.update(original_topic="duban.tasks.v1", partition=i % 4, offset=i,
             key=None if i % 3 == 0 else base64.b64encode(("key%d" % i).encode()).decode(),
             payload=base64.b64encode(bytes([i % 256, 0, 1, 2])).decode(), reason="wrong magic byte: 0x%02x" % (i % 256))
    return e

GEN = {"DocumentPublished": doc, "TaskAssigned": task, "TaskStatusChanged": status,
       "DeadlineAlert": alert, "DeliveryAttempt": delivery, "DeadLetter": dead}

def main():
    n = int(sys.argv[1])
    types = sys.argv[2:] or list(GEN)
    out = sys.stdout
    for i in range(n):
        for t in types:
            out.write(json.dumps(GEN[t](i), ensure_ascii=False, separators=(",", ":")) + "\n")

if __name__ == "__main__":
    main()
