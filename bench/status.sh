#!/usr/bin/env bash
# bench/status.sh: duban-status under wrk on duban-broker (issue 16's goal:
# >= 2,000 accepted changes/s with p99 <= 20 ms, >= 20,000 GET/s, on a 2-core
# machine shared by wrk, the service and the broker).
#   POST  progress reports (IN_PROGRESS -> IN_PROGRESS by the lead, legal
#         forever) over TASKS rotating tasks, each answered 202 only once the
#         event is delivered and applied; afterwards the events on
#         duban.task-status.v1 are counted and must equal the 202 answers.
#   GET   /v1/tasks/{id} over the same tasks.
# Usage: bench/status.sh [BIN_DIR]   (env: TASKS=2000 SECONDS_EACH=10 POST_CONNS=16 CONNS=32,
#        PERF_DATA=FILE: perf record the service during the GET run, or the
#        POST run with PERF_RUN=post)
set -euo pipefail
BIN=${1:-build/bin}
TASKS=${TASKS:-2000}
DUR=${SECONDS_EACH:-10}
CONNS=${CONNS:-32}
POST_CONNS=${POST_CONNS:-16}
W=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
            for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
"$BIN/duban-broker" --partitions 4 --bootstrap-file "$W/bs" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$W/bs" ] && break; sleep 0.1; done
# TASKS tasks, accepted and in progress (written straight to the topics)
python3 - "$TASKS" "$W" <<'PY'
import json, sys, urllib.parse
n, w = int(sys.argv[1]), sys.argv[2]
ev, paths = open(w + "/events.jsonl", "w"), open(w + "/paths.txt", "w")
for i in range(n):
    tid = "压测发〔2023〕1号#%d" % i
    ev.write(json.dumps({"type": "TaskAssigned", "event_id": "t%d" % i, "occurred_at": "2023-06-01T00:00:00+08:00",
        "schema_version": 1, "task_id": tid, "doc_id": "压测发〔2023〕1号", "outline_path": str(i),
        "text": "压测任务", "lead_units": ["区卫生健康局"], "cooperating_units": [],
        "lead_departments": ["区卫生健康局"], "cooperating_departments": ["区财政局"],
        "deadline_text": "6月底前", "due_date": "2023-06-30", "deadline_kind": "DATED", "recurrence": None,
        "milestones": [], "content_sha256": "c%d" % i, "doc_title": "压测", "issuers": ["区政府办公室"],
        "review": [], "correction": None, "source": {"file": "b.txt", "line": 1, "offset": 0}},
        ensure_ascii=False) + "\n")
    for k, to in enumerate(["ACCEPTED", "IN_PROGRESS"]):
        ev.write(json.dumps({"type": "TaskStatusChanged", "event_id": "s%d-%d" % (i, k),
            "occurred_at": "2023-06-02T09:00:00+08:00", "schema_version": 1,
            "source": {"file": "bench", "line": 0, "offset": -1}, "task_id": tid, "from_status": None,
            "to_status": to, "new_due_date": None, "actor": "区卫生健康局", "comment": None},
            ensure_ascii=False) + "\n")
    paths.write("/v1/tasks/" + urllib.parse.quote(tid, safe="") + "\n")
PY
"$BIN/duban-produce-json" -b @"$W/bs" "$W/events.jsonl" 2>/dev/null
TOKEN=$("$BIN/duban-status" --tokens "$W/tokens.jsonl" token add --department 区卫生健康局 2>/dev/null)
"$BIN/duban-status" -b @"$W/bs" --tokens "$W/tokens.jsonl" serve --listen 127.0.0.1:0 \
    --now 2023-06-20T10:00:00+08:00 >"$W/serve.out" 2>"$W/serve.log" &
serve=$!
pids+=($serve)
for _ in $(seq 100); do [ -s "$W/serve.out" ] && break; sleep 0.1; done
ADDR=$(head -n 1 "$W/serve.out")
for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/healthz")" = 200 ] && break; sleep 0.1
done
cat >"$W/bench.lua" <<'LUA'
-- wrk script: rotating task paths; POST progress reports or GET the task.
local paths, i, counts = {}, 0, {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  mode, token = args[2], args[3]
  i = math.random(#paths)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  answered, accepted = 0, 0
end
function request()
  i = i % #paths + 1
  if mode == "post" then
    return wrk.format("POST", paths[i] .. "/status", nil, '{"to_status":"IN_PROGRESS"}')
  end
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  answered = answered + 1
  if status == 202 or status == 200 then accepted = accepted + 1 end
end
function done(summary, latency, requests)
  local a, n = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("accepted"); n = n + t:get("answered") end
  io.write(string.format("answers %d, accepted (200/202) %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    n, a, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
echo "duban-status: $TASKS tasks; POST wrk -t2 -c$POST_CONNS, GET wrk -t2 -c$CONNS, ${DUR}s each;" \
     "load $(cut -d' ' -f1-3 /proc/loadavg)"
perf_run() {   # perf_run RUN: profile the service during that run when asked
    if [ -n "${PERF_DATA:-}" ] && [ "${PERF_RUN:-get}" = "$1" ]; then
        perf record ${PERF_OPTS:--g} -p "$serve" -o "$PERF_DATA" -- sleep "$DUR" >/dev/null 2>&1 &
    fi
}
# CPU time (user + system, clock ticks) of a process so far: unlike the
# latency, it hardly depends on what else the machine runs.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
perf_run post
t0=$(cpu_ticks "$serve"); b0=$(cpu_ticks "${pids[0]}")
wrk -t2 -c"$POST_CONNS" -d"${DUR}s" -s "$W/bench.lua" "http://$ADDR" -- "$W/paths.txt" post "$TOKEN" \
    | tee "$W/post.out" | grep -E 'Requests/sec|answers'
sleep 1   # the requests wrk left in flight at its end finish
posts=$(sed -n 's/^answers \([0-9]*\),.*/\1/p' "$W/post.out")
echo "POST CPU per 1,000 answers: duban-status $(( ($(cpu_ticks "$serve") - t0) * 10000 / ${posts:-1} )) ms," \
     "duban-broker $(( ($(cpu_ticks "${pids[0]}") - b0) * 10000 / ${posts:-1} )) ms"
perf_run get
wrk -t2 -c"$CONNS" -d"${DUR}s" -s "$W/bench.lua" "http://$ADDR" -- "$W/paths.txt" get "$TOKEN" \
    | grep -E 'Requests/sec|answers'
# The server's count of 202 answers (wrk drops the answers in flight when it
# stops), then the events on the topic.
kill -TERM "$serve"
wait "$serve" || true
accepted=$(sed -n 's/.*writes answered 202: \([0-9]*\).*/\1/p' "$W/serve.log")
"$BIN/duban-replay" -b @"$W/bs" --topic duban.task-status.v1 --exit-at-end 2>/dev/null >"$W/topic.jsonl"
# Every event the topic took: the partitions' high watermarks (the last
# message's offset + 1). duban-broker keeps at most 5 MiB per partition and
# frees the oldest batches past it (README, the mock's limits), so a long
# run can read back fewer than it wrote; the watermarks still count them.
hw=$(kcat -C -b "$(cat "$W/bs")" -t duban.task-status.v1 -o -1 -e -q -f '%o\n' 2>/dev/null \
     | awk '{s += $1 + 1} END {print s + 0}')
events=$(( hw - 2 * TASKS ))
readable=$(( $(wc -l <"$W/topic.jsonl") - 2 * TASKS ))
[ "$readable" = "$events" ] || echo "POST: $((events - readable)) of the oldest events were freed by" \
    "duban-broker's 5 MiB per partition cap before they were read back (counted by the watermarks)"
refused=$(grep 'fac=HTTP.*status=[45]' "$W/serve.log" | grep -vc '/healthz' || true)
same=DIFFERENT
[ "$accepted" = "$events" ] && same=equal
echo "POST: the server answered 202 $accepted times, $events events on duban.task-status.v1" \
     "($same); $refused requests refused"
grep 'fac=HTTP.*status=[45]' "$W/serve.log" | grep -v '/healthz' | head -3 | cut -c1-300
[ "$same" = equal ]
