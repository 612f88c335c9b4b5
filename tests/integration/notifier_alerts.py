#!/usr/bin/env python3
"""notifier_alerts.py N [--dept D]... [--prefix P] [--now-ms]: N DeadlineAlert
events as JSON Lines for duban-produce-json. alert_id = P-<i>; departments
cycle through the --dept values (default 区发展和改革局). --now-ms stamps
occurred_at with the current time (for latency measurements)."""
import argparse, json, sys, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--dept", action="append")
    ap.add_argument("--prefix", default="alert")
    ap.add_argument("--now-ms", action="store_true")
    a = ap.parse_args()
    depts = a.dept or ["区发展和改革局"]
    out = sys.stdout
    for i in range(a.n):
        d = depts[i % len(depts)]
        occurred = int(time.time() * 1000) if a.now_ms else 1687741200000 + i
        ev = {"type": "DeadlineAlert", "event_id": "%s-ev-%d" % (a.prefix, i),
              "occurred_at": occurred, "schema_version": 1,
              "source": {"file": "test", "line": 0, "offset": -1},
              "alert_id": "%s-%d" % (a.prefix, i), "task_id": "石大政发〔2022〕56号#二.(%d)" % i,
              "doc_id": "石大政发〔2022〕56号", "departments": [d], "kind": "DUE_SOON",
              "level": "YELLOW", "due_date": "2023-06-30", "days_left": 3,
              "fire_at": "2023-06-27T09:00:00+08:00", "threshold_days": 3, "late": False,
              "doc_title": "石家庄市大兴区优化营商环境行动方案", "task_text": "完善企业服务机制",
              "outline_path": "二.(%d)" % i, "lead_departments": [d],
              "cooperating_departments": [], "supervisors": [], "deadline_text": "2023年6月底前"}
        out.write(json.dumps(ev, ensure_ascii=False, separators=(",", ":")) + "\n")

if __name__ == "__main__":
    main()
