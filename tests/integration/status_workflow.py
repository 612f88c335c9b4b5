#!/usr/bin/env python3
"""The HTTP side of integration.status_service: duban-status's workflow over
real HTTP against duban-broker. Run by status_service.sh, which started the
broker and the service and wrote the tasks (tasks.jsonl) and tokens.

usage: status_workflow.py PHASE WORK_DIR
  PHASE tasks     print the test's TaskAssigned events (JSON Lines)
  PHASE main      every check below; writes WORK_DIR/accepted.jsonl (the
                  202 answers: event_id, topic, task_id) and
                  WORK_DIR/idem.json (a request to replay after a restart)
  PHASE restart   after a restart: the state and the Idempotency-Key are back

The rules are written out here from issue 16, independently of the C table
(producers/status/status_flow.c): for every status a task can be in, every
target status and every role (lead, cooperating, supervisor), the answer
must be 202 for a legal edge (each taken on a task of its own), else 403
when the role never sets that status, else 409 naming current_status and
allowed; a legal edge without the comment it needs is 400."""
import http.client
import json
import sys
import urllib.parse

WORK = sys.argv[2]
DOC = "测试发〔2023〕9号"
LEAD, COOP, OTHER, SUP = "区卫生健康局", "区财政局", "区民政局", "区政府督查室"

ST = ["ASSIGNED", "ACCEPTED", "IN_PROGRESS", "COMPLETED", "EXTENSION_REQUESTED", "EXTENDED",
      "CANCELLED", "REOPENED", "COMPLETION_REQUESTED"]
# (from, to): roles that may take it; "c" needs a comment for those roles,
# "cc" only for cooperating, "d" a new due date.
RULES = {
    ("ASSIGNED", "ACCEPTED"): ("L", ""),
    ("ACCEPTED", "IN_PROGRESS"): ("LC", "cc"), ("IN_PROGRESS", "IN_PROGRESS"): ("LC", "cc"),
    ("EXTENDED", "IN_PROGRESS"): ("LC", "cc"), ("REOPENED", "IN_PROGRESS"): ("LC", "cc"),
    ("ACCEPTED", "EXTENSION_REQUESTED"): ("L", "c"), ("IN_PROGRESS", "EXTENSION_REQUESTED"): ("L", "c"),
    ("EXTENDED", "EXTENSION_REQUESTED"): ("L", "c"), ("REOPENED", "EXTENSION_REQUESTED"): ("L", "c"),
    ("ACCEPTED", "COMPLETION_REQUESTED"): ("L", "c"), ("IN_PROGRESS", "COMPLETION_REQUESTED"): ("L", "c"),
    ("EXTENDED", "COMPLETION_REQUESTED"): ("L", "c"), ("REOPENED", "COMPLETION_REQUESTED"): ("L", "c"),
    ("EXTENSION_REQUESTED", "EXTENDED"): ("S", "d"), ("EXTENSION_REQUESTED", "IN_PROGRESS"): ("S", "c"),
    ("COMPLETION_REQUESTED", "COMPLETED"): ("S", ""), ("COMPLETION_REQUESTED", "IN_PROGRESS"): ("S", "c"),
    ("COMPLETED", "REOPENED"): ("S", "c"), ("CANCELLED", "REOPENED"): ("S", "c"),
}
for f in ["ASSIGNED", "ACCEPTED", "IN_PROGRESS", "COMPLETION_REQUESTED", "EXTENSION_REQUESTED",
          "EXTENDED", "REOPENED"]:
    RULES[(f, "CANCELLED")] = ("S", "c")
ROLE_TOKEN = {"L": LEAD, "C": COOP, "S": SUP}
# How a fresh task reaches each status: (role, to) steps.
PATH = {
    "ASSIGNED": [], "ACCEPTED": [("L", "ACCEPTED")],
    "IN_PROGRESS": [("L", "ACCEPTED"), ("L", "IN_PROGRESS")],
    "EXTENSION_REQUESTED": [("L", "ACCEPTED"), ("L", "EXTENSION_REQUESTED")],
    "EXTENDED": [("L", "ACCEPTED"), ("L", "EXTENSION_REQUESTED"), ("S", "EXTENDED")],
    "COMPLETION_REQUESTED": [("L", "ACCEPTED"), ("L", "COMPLETION_REQUESTED")],
    "COMPLETED": [("L", "ACCEPTED"), ("L", "COMPLETION_REQUESTED"), ("S", "COMPLETED")],
    "CANCELLED": [("S", "CANCELLED")], "REOPENED": [("S", "CANCELLED"), ("S", "REOPENED")],
}
LEGAL = [(f, t, r) for (f, t), (roles, _) in RULES.items() for r in roles]
PROBE_TASKS = {st: "%s#探.%d" % (DOC, i) for i, st in enumerate(ST)}
EDGE_TASKS = {e: "%s#边.%d" % (DOC, i) for i, e in enumerate(LEGAL)}
T_READ, T_RED, T_FIX, T_IDEM = (DOC + "#读.1", DOC + "#读.2", DOC + "#改.1", DOC + "#幂.1")

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg, file=sys.stderr)


def task_event(task_id, lead, coop, due, review=()):
    return {"type": "TaskAssigned", "event_id": "ev-" + task_id, "occurred_at": "2023-06-01T00:00:00+08:00",
            "schema_version": 1, "task_id": task_id, "doc_id": DOC, "outline_path": task_id.split("#")[1],
            "text": "测试任务 " + task_id, "lead_units": [lead], "cooperating_units": [coop] if coop else [],
            "lead_departments": [lead], "cooperating_departments": [coop] if coop else [],
            "deadline_text": "限期", "due_date": due, "deadline_kind": "DATED", "recurrence": None,
            "milestones": [], "content_sha256": "c-" + task_id, "doc_title": "测试文件",
            "issuers": ["区政府办公室"], "review": list(review), "correction": None,
            "source": {"file": "t.txt", "line": 1, "offset": 0}}


def phase_tasks():
    ids = list(PROBE_TASKS.values()) + list(EDGE_TASKS.values()) + [T_READ, T_IDEM]
    for t in ids:
        print(json.dumps(task_event(t, LEAD, COOP, "2023-06-30"), ensure_ascii=False))
    print(json.dumps(task_event(T_RED, LEAD, COOP, "2023-06-15"), ensure_ascii=False))
    print(json.dumps(task_event(T_FIX, "某某", None, "2023-06-30", ["UNKNOWN_UNIT"]), ensure_ascii=False))


class Client:
    def __init__(self, addr, tokens):
        self.host, port = addr.rsplit(":", 1)
        self.port = int(port)
        self.tokens = tokens
        self.conn = None
        self.accepted = []

    def req(self, method, path, body=None, who=None, headers=None):
        h = dict(headers or {})
        if who:
            h["Authorization"] = "Bearer " + self.tokens[who]
        data = json.dumps(body, ensure_ascii=False).encode() if isinstance(body, dict) else body
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                raw = r.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        try:
            j = json.loads(raw) if raw else None
        except ValueError:
            j = None
        return r.status, j, r

    def status(self, task_id, who, to, comment=None, due=None, **extra):
        body = {"to_status": to}
        if comment:
            body["comment"] = comment
        if due:
            body["new_due_date"] = due
        body.update(extra)
        code, j, _ = self.req("POST", tpath(task_id) + "/status", body, who)
        if code == 202:
            self.accepted.append({"event_id": j["event_id"], "topic": j["topic"], "task_id": task_id,
                                  "to_status": to})
        return code, j


def tpath(task_id):
    return "/v1/tasks/" + urllib.parse.quote(task_id, safe="")


def step(c, task_id, role, to):
    code, j = c.status(task_id, ROLE_TOKEN[role], to, comment="说明", due="2023-09-30" if to == "EXTENDED" else None)
    check(code == 202, "path %s: %s -> %s: %s %s" % (task_id, role, to, code, j))


def expected(frm, to, role):
    rule = RULES.get((frm, to))
    if not any(to == t and role in roles for (f, t), (roles, _) in RULES.items()):
        return 403
    if not rule or role not in rule[0]:
        return 409
    return 202


def every_edge(c):
    """Each legal edge on a task of its own; every other triple on the probes."""
    for (frm, to, role), task in EDGE_TASKS.items():
        for r, t in PATH[frm]:
            step(c, task, r, t)
        rule = RULES[(frm, to)]
        needs_comment = rule[1] == "c" or (rule[1] == "cc" and role == "C")
        if needs_comment:   # first without the comment: 400, nothing changes
            code, j = c.status(task, ROLE_TOKEN[role], to, due="2023-09-30" if "d" in rule[1] else None)
            check(code == 400 and j.get("field") == "comment",
                  "%s -> %s by %s without a comment: %s %s" % (frm, to, role, code, j))
        if "d" in rule[1]:
            code, j = c.status(task, ROLE_TOKEN[role], to, comment="x")
            check(code == 400 and j.get("field") == "new_due_date", "EXTENDED without a date: %s %s" % (code, j))
        code, j = c.status(task, ROLE_TOKEN[role], to, comment="依规办理",
                           due="2023-09-30" if "d" in rule[1] else None)
        check(code == 202, "legal %s -> %s by %s: %s %s" % (frm, to, role, code, j))
        code, j, _ = c.req("GET", tpath(task), who=SUP)
        check(code == 200 and j["status"] == to and j["history"][-1]["from_status"] == frm,
              "after %s -> %s: %s" % (frm, to, j and j.get("status")))
    probes = 0
    for frm, task in PROBE_TASKS.items():
        for r, t in PATH[frm]:
            step(c, task, r, t)
        for to in ST:
            for role in "LCS":
                want = expected(frm, to, role)
                if want == 202:
                    continue   # taken above, on a task of its own
                code, j = c.status(task, ROLE_TOKEN[role], to, comment="试探", due="2023-09-30" if to == "EXTENDED" else None)
                probes += 1
                check(code == want, "%s -> %s by %s: want %d, got %d %s" % (frm, to, role, want, code, j))
                if code == 409:
                    allowed = sorted(t for (f, t), (roles, _) in RULES.items() if f == frm and role in roles)
                    check(j.get("current_status") == frm and sorted(j.get("allowed", [])) == allowed,
                          "409 %s -> %s by %s names %s %s" % (frm, to, role, j.get("current_status"), j.get("allowed")))
        code, j, _ = c.req("GET", tpath(task), who=SUP)
        check(j["status"] == frm, "probe task %s moved to %s" % (frm, j["status"]))
    print("edges taken %d, refused triples probed %d" % (len(LEGAL), probes))


def permissions(c):
    t = T_READ
    code, j = c.status(t, OTHER, "ACCEPTED")
    check(code == 403, "another department's token: %s %s" % (code, j))
    code, j = c.status(t, COOP, "COMPLETED")
    check(code == 403, "cooperating asks COMPLETED: %s" % code)
    for to, extra in [("COMPLETED", {}), ("CANCELLED", {"comment": "x"}), ("EXTENDED", {"due": "2023-09-30"}),
                      ("REOPENED", {"comment": "x"})]:
        code, j = c.status(t, LEAD, to, **extra)
        check(code == 403, "lead tries supervisor-only %s: %s" % (to, code))
    code, j, _ = c.req("POST", tpath(t) + "/correction", {"due_date": "2023-09-30", "reason": "x"}, LEAD)
    check(code == 403, "lead tries a correction: %s" % code)
    code, j = c.status(t, LEAD, "ACCEPTED", actor=COOP)
    check(code == 400 and j["field"] == "actor", "actor not the token's name: %s %s" % (code, j))
    code, j = c.status(t, LEAD, "ACCEPTED", from_status="IN_PROGRESS")
    check(code == 409 and j["field"] == "from_status", "stale from_status: %s %s" % (code, j))
    code, j = c.status(t, LEAD, "ACCEPTED", occurred_at="2023-05-01T09:00:00+08:00")
    check(code == 409 and j["field"] == "occurred_at", "occurred_at before the last change: %s %s" % (code, j))
    code, j = c.status(DOC + "#没有这项", SUP, "CANCELLED", comment="x")
    check(code == 404, "unknown task: %s" % code)
    code, j = c.status(t, LEAD, "ACCEPTED", from_status="ASSIGNED")
    check(code == 202, "lead accepts: %s %s" % (code, j))
    # 401s
    for hdr in [None, "Bearer nope", "Basic Zm9vOmJhcg==", "Bearer "]:
        code, j, r = c.req("POST", tpath(t) + "/status", {"to_status": "IN_PROGRESS"},
                           headers={"Authorization": hdr} if hdr else {})
        check(code == 401 and r.getheader("WWW-Authenticate"), "auth %r: %s" % (hdr, code))
    code, j, _ = c.req("GET", tpath(t))
    check(code == 401, "GET without a token: %s" % code)
    code, j, _ = c.req("GET", "/healthz")
    check(code == 200 and j["status"] == "ok", "healthz needs no token: %s %s" % (code, j))


def reads(c):
    code, j, _ = c.req("GET", tpath(T_READ), who=LEAD)
    check(code == 200 and j["status"] == "ACCEPTED" and j["due_date"] == "2023-06-30"
          and j["days_left"] == 7 and j["level"] == "GREEN" and j["level_zh"] == "绿"
          and j["history"][0]["actor"] == LEAD, "GET task as lead: %s %s" % (code, j))
    code, j, _ = c.req("GET", tpath(T_READ), who=COOP)
    check(code == 200, "GET task as cooperating: %s" % code)
    code, j, _ = c.req("GET", tpath(T_READ), who=OTHER)
    check(code == 403, "GET task as another department: %s" % code)
    code, j, _ = c.req("GET", tpath(DOC + "#没有这项"), who=SUP)
    check(code == 404, "GET unknown task: %s" % code)
    dept = "/v1/departments/" + urllib.parse.quote(LEAD, safe="") + "/tasks"
    code, j, _ = c.req("GET", dept + "?status=open&level=RED", who=LEAD)
    check(code == 200 and [t["task_id"] for t in j["tasks"]] == [T_RED] and j["tasks"][0]["days_left"] == -3,
          "open RED tasks of the lead: %s %s" % (code, j and [t["task_id"] for t in j.get("tasks", [])]))
    code, j, _ = c.req("GET", dept + "?status=COMPLETED", who=SUP)
    check(code == 200 and len(j["tasks"]) >= 2 and all(t["status"] == "COMPLETED" for t in j["tasks"]),
          "completed tasks as supervisor: %s" % code)
    code, j, _ = c.req("GET", "/v1/departments/" + urllib.parse.quote(COOP, safe="") + "/tasks?role=cooperating",
                       who=COOP)
    check(code == 200 and j["tasks"] and all(t["role"] == "cooperating" for t in j["tasks"]), "cooperating list")
    code, j, _ = c.req("GET", dept, who=COOP)
    check(code == 403, "another department's list: %s" % code)
    for q in ["?status=done", "?level=PURPLE", "?role=boss"]:
        code, j, _ = c.req("GET", dept + q, who=LEAD)
        check(code == 400, "bad filter %s: %s" % (q, code))
    code, j, _ = c.req("GET", "/v1/overview", who=SUP)
    rows = {r["department"]: r for r in j["departments"]}
    lead = rows.get(LEAD, {})
    check(code == 200 and lead.get("overdue") == 1 and lead.get("done_on_time", 0) >= 2
          and lead.get("completion_requested", 0) >= 1 and "某某" in rows,
          "overview as supervisor: %s %s" % (code, lead))
    code, j, _ = c.req("GET", "/v1/overview", who=LEAD)
    check(code == 200 and [r["department"] for r in j["departments"]] == [LEAD], "overview as department")
    code, j, _ = c.req("GET", "/v1/review", who=SUP)
    check(code == 200 and [t["task_id"] for t in j["tasks"]] == [T_FIX], "review list: %s" % j)
    code, j, _ = c.req("GET", "/v1/review", who=LEAD)
    check(code == 403, "review as department: %s" % code)


def corrections(c):
    path = tpath(T_FIX) + "/correction"
    code, j, _ = c.req("POST", path, {"lead_departments": [LEAD], "reason": ""}, SUP)
    check(code == 400 and j["field"] == "reason", "correction without a reason: %s %s" % (code, j))
    code, j, _ = c.req("POST", path, {"reason": "x"}, SUP)
    check(code == 400, "correction of nothing: %s" % code)
    code, j = c.status(T_FIX, LEAD, "ACCEPTED")
    check(code == 403, "not yet the lead: %s" % code)
    code, j, _ = c.req("POST", path, {"lead_departments": [LEAD], "cooperating_departments": [COOP],
                                      "due_date": "2023-07-31", "reason": "牵头单位识别有误"}, SUP)
    check(code == 202 and j["topic"] == "duban.tasks.v1", "correction: %s %s" % (code, j))
    if code == 202:
        c.accepted.append({"event_id": j["event_id"], "topic": j["topic"], "task_id": T_FIX, "to_status": None})
    code, j, _ = c.req("POST", path, {"lead_departments": [LEAD], "reason": "again"}, SUP)
    check(code == 409, "a correction that changes nothing: %s" % code)
    code, j = c.status(T_FIX, LEAD, "ACCEPTED")
    check(code == 202, "the corrected lead accepts: %s %s" % (code, j))
    code, j, _ = c.req("GET", tpath(T_FIX), who=LEAD)
    kinds = [h["type"] for h in j["history"]]
    check(j["lead_departments"] == [LEAD] and j["due_date"] == "2023-07-31" and j["review"] == []
          and j["correction"] == {"author": SUP, "reason": "牵头单位识别有误"} and kinds == ["correction", "status"],
          "the corrected task: %s" % j)
    code, j, _ = c.req("GET", "/v1/review", who=SUP)
    check(j["tasks"] == [], "review after the correction: %s" % j)


def idempotency(c):
    key = {"Idempotency-Key": "retry-0001"}
    body = {"to_status": "ACCEPTED", "comment": "收到"}
    code1, j1, _ = c.req("POST", tpath(T_IDEM) + "/status", body, LEAD, key)
    code2, j2, r2 = c.req("POST", tpath(T_IDEM) + "/status", body, LEAD, key)
    check(code1 == 202 and code2 == 202 and j1 == j2 and r2.getheader("Idempotent-Replayed") == "true",
          "retry: %s %s / %s %s" % (code1, j1, code2, j2))
    if code1 == 202:
        c.accepted.append({"event_id": j1["event_id"], "topic": j1["topic"], "task_id": T_IDEM,
                           "to_status": "ACCEPTED"})
    code, j, _ = c.req("POST", tpath(T_IDEM) + "/status", {"to_status": "IN_PROGRESS"}, LEAD, key)
    check(code == 422, "the key for another request: %s" % code)
    code, j, _ = c.req("POST", tpath(T_IDEM) + "/status", body, COOP, key)
    check(code == 403, "another caller's key is its own (cooperating may not ACCEPT): %s" % code)
    # a refused request's answer is kept too
    key2 = {"Idempotency-Key": "retry-0002"}
    a = c.req("POST", tpath(T_IDEM) + "/status", {"to_status": "COMPLETED"}, LEAD, key2)
    b = c.req("POST", tpath(T_IDEM) + "/status", {"to_status": "COMPLETED"}, LEAD, key2)
    check(a[0] == 403 and b[0] == 403 and b[2].getheader("Idempotent-Replayed") == "true", "a 403 replayed")
    code, j, _ = c.req("POST", tpath(T_IDEM) + "/status", body, LEAD, {"Idempotency-Key": "bad key"})
    check(code == 400, "a key with a space: %s" % code)
    with open(WORK + "/idem.json", "w") as f:
        json.dump({"path": tpath(T_IDEM) + "/status", "body": body, "key": key, "answer": j1}, f)


def odd_requests(c):
    t = tpath(T_READ)
    for body, field in [(b"not json", "body"), (b"[1]", "body"), (b'{"to_status":"DONE"}', "to_status"),
                        (b'{"to_status":"IN_PROGRESS","comment":"a\\rb"}', "comment"),
                        (b'{"to_status":"IN_PROGRESS","comment":"\xff\xfe"}', "body")]:
        code, j, _ = c.req("POST", t + "/status", body, LEAD, {"Content-Type": "application/json"})
        check(code == 400 and j.get("field") == field, "body %r: %s %s" % (body, code, j))
    code, j, _ = c.req("POST", t + "/status", b'{"to_status":"IN_PROGRESS","pad":"' + b"x" * 70000 + b'"}', LEAD)
    check(code == 413, "a body over 64 KiB: %s" % code)
    code, j, _ = c.req("GET", t + "/status", who=LEAD)
    check(code == 405 and "POST" in (_.getheader("Allow") or ""), "GET on /status: %s" % code)
    code, j, r = c.req("PUT", t, b"{}", LEAD)
    check(code == 405 and "GET" in (r.getheader("Allow") or ""), "PUT on a task: %s" % code)
    code, j, _ = c.req("POST", "/v1/status", b"{}", LEAD)
    check(code == 404, "unknown path: %s" % code)
    for raw in ["/v1/tasks/a%23b%C2%85/status", "/v1/tasks/a%23b%E2%80%A8/status", "/v1/tasks/a%23b%zz/status",
                "/v1/tasks/a%23b%25/status", "/v1/tasks/a%23%FF%FE/status", "/v1/tasks/no-hash/status"]:
        code, j, _ = c.req("POST", raw, {"to_status": "ACCEPTED"}, LEAD)
        check(code == 400 and j.get("field") == "task_id", "odd path %s: %s %s" % (raw, code, j))


def phase_main(addr):
    tokens = json.load(open(WORK + "/tokens.json"))
    c = Client(addr, tokens)
    every_edge(c)
    permissions(c)
    reads(c)
    corrections(c)
    idempotency(c)
    odd_requests(c)
    with open(WORK + "/accepted.jsonl", "w") as f:
        for a in c.accepted:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    print("%d accepted, %d failures" % (len(c.accepted), len(failures)))


def phase_restart(addr):
    tokens = json.load(open(WORK + "/tokens.json"))
    c = Client(addr, tokens)
    idem = json.load(open(WORK + "/idem.json"))
    code, j, r = c.req("POST", idem["path"], idem["body"], LEAD, idem["key"])
    check(code == 202 and j == idem["answer"] and r.getheader("Idempotent-Replayed") == "true",
          "the retry after a restart: %s %s" % (code, j))
    code, j, _ = c.req("GET", tpath(T_FIX), who=SUP)
    check(code == 200 and j["lead_departments"] == [LEAD] and j["status"] == "ACCEPTED",
          "the corrected task after a restart: %s" % j)
    code, j, _ = c.req("GET", tpath(PROBE_TASKS["COMPLETED"]), who=SUP)
    check(code == 200 and j["status"] == "COMPLETED" and j["on_time"] is True, "a completed task after a restart")


if __name__ == "__main__":
    phase = sys.argv[1]
    if phase == "tasks":
        phase_tasks()
    else:
        addr = open(WORK + "/serve.out").readline().strip()
        (phase_main if phase == "main" else phase_restart)(addr)
    sys.exit(1 if failures else 0)
