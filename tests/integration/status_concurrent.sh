#!/usr/bin/env bash
# duban-status under concurrent writers on one partition: 16 clients, each on
# a task of its own, all the tasks in one partition of duban-broker, so a
# request's event is often just behind another request's and must wait for
# that one to be applied before it can apply its own (status_feed.h).
#   - every write is answered 202, and a GET right after it shows it (the
#     write is applied before its answer: read your own writes);
#   - no answer waited for the feed's fallback ("not yet applied");
#   - the topic holds exactly the 202 answers, at distinct offsets, each
#     task's in order, and the service's state (GET) holds each write once,
#     in order.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/status.bash"
start_broker --partitions 1
DOC='并发发〔2023〕1号'
NAMES=(A B C D E F G H I J K L M N O P)
status_simple_tasks "$DOC" "${NAMES[@]}"
TOK=$(status_token department 区卫生健康局)
start_status --now 2023-06-20T10:00:00+08:00
WRITES=40

python3 - "$ADDR" "$TOK" "$DOC" "$WRITES" "$WORK/answers.jsonl" "${NAMES[@]}" <<'PY' \
    || fail "concurrent writers"
import http.client, json, sys, threading, urllib.parse, datetime
addr, token, doc, writes, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
names = sys.argv[6:]
host, port = addr.split(":")
errors, answers, lock = [], [], threading.Lock()
start = datetime.datetime(2023, 6, 20, 9, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))

def client(name):
    tid = doc + "#" + name
    path = "/v1/tasks/" + urllib.parse.quote(tid, safe="")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    hdr = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    for i in range(writes + 1):
        at = (start + datetime.timedelta(seconds=i)).isoformat()
        body = {"to_status": "ACCEPTED" if i == 0 else "IN_PROGRESS", "occurred_at": at,
                "comment": "第%d次" % i}
        conn.request("POST", path + "/status", body=json.dumps(body, ensure_ascii=False).encode(),
                     headers=hdr)
        r = conn.getresponse()
        a = r.read().decode()
        if r.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
        if r.status != 202:
            errors.append("%s #%d: %d %s" % (name, i, r.status, a))
            return
        a = json.loads(a)
        conn.request("GET", path, headers=hdr)
        g = conn.getresponse()
        task = json.loads(g.read().decode())
        if g.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
        last = task["history"][-1] if task.get("history") else {}
        if last.get("event_id") != a["event_id"]:
            errors.append("%s #%d: the GET after the 202 does not show it: %s" % (name, i, last))
            return
        with lock:
            answers.append(dict(a, task_id=tid, n=i))

threads = [threading.Thread(target=client, args=(n,)) for n in names]
for t in threads: t.start()
for t in threads: t.join()
with open(out, "w") as f:
    for a in answers:
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
if errors:
    print("\n".join(errors[:5]), file=sys.stderr)
    sys.exit(1)
print("%d writes answered 202, each seen by the GET after it" % len(answers))
PY

! grep -q 'not yet applied' "$WORK/serve.log" || fail "a write waited for the feed's fallback: $(grep -m1 'not yet applied' "$WORK/serve.log")"
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.task-status.v1 --exit-at-end \
    2>/dev/null >"$WORK/topic.jsonl"
python3 - "$WORK/answers.jsonl" "$WORK/topic.jsonl" "$WRITES" "${#NAMES[@]}" <<'PY' || fail "the topic and the answers differ"
import json, sys
answers = [json.loads(l) for l in open(sys.argv[1])]
topic = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
writes, tasks = int(sys.argv[3]), int(sys.argv[4])
assert len(answers) == tasks * (writes + 1), len(answers)
offsets = [a["offset"] for a in answers]
assert len(set(offsets)) == len(offsets), "two answers name one offset"
assert sorted(a["event_id"] for a in answers) == sorted(e["event_id"] for e in topic), \
    "the events on the topic are not the 202 answers"
for t in {a["task_id"] for a in answers}:
    mine = [e for e in topic if e["task_id"] == t]
    comments = [e["comment"] for e in mine]
    assert comments == ["第%d次" % i for i in range(writes + 1)], (t, comments[:5])
    assert [e["from_status"] for e in mine][:2] == ["ASSIGNED", "ACCEPTED"], t
print("%d events on duban.task-status.v1 = the 202 answers, distinct offsets, each task's in order"
      % len(topic))
PY
# the state holds each write exactly once, in order (GET after all of them)
for n in "${NAMES[@]}"; do
    curl -s -H "Authorization: Bearer $TOK" "http://$ADDR/v1/tasks/$(enc "$DOC#$n")" >"$WORK/task.json"
    python3 - "$WORK/task.json" "$WRITES" <<'PY' || fail "task $n: $(head -c 300 "$WORK/task.json")"
import json, sys
t, writes = json.load(open(sys.argv[1])), int(sys.argv[2])
comments = [h.get("comment") for h in t["history"] if h.get("to_status")]
assert comments == ["第%d次" % i for i in range(writes + 1)], comments[:6]
assert t["status"] == "IN_PROGRESS", t["status"]
PY
done
echo "every task's history holds its $((WRITES + 1)) writes once, in order"
echo "PASS"
