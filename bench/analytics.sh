#!/usr/bin/env bash
# bench/analytics.sh: duban-analytics' ingest into SQLite and into
# PostgreSQL, each next to a bare insert loop on the same store in the same
# run (issue 14's goals: >= 100,000 events/s into SQLite, >= 30,000 into
# PostgreSQL). The events: the three gazettes' (duban-ingest --dry-run:
# documents and tasks), the alerts duban-alerter --simulate gives for them up
# to 2022-07-01, one status change and one delivery attempt per alert,
# repeated with fresh ids up to N events (mix ~ 1 task : 0.9 alert :
# 0.9 status : 0.9 delivery). duban-bench-analytics times the per-message path
# (Avro decode, upserts, batches of 20,000 per transaction) and the bare loop;
# PostgreSQL is a server this script starts (tests/integration/lib/postgres.bash,
# default settings: fsync on, synchronous_commit on) and stops.
# Usage: bench/analytics.sh [BIN_DIR]   (env: N=200000 ROUNDS=3)
set -euo pipefail
BIN=$(cd "${1:-build/bin}" && pwd)
N=${N:-200000}
ROUNDS=${ROUNDS:-3}
SRC=$(cd "$(dirname "$0")/.." && pwd)
export DUBAN_BIN_DIR=$BIN DUBAN_SRC_DIR=$SRC
source "$SRC/tests/integration/lib/common.bash"
source "$SRC/tests/integration/lib/postgres.bash"
GAZ=${DUBAN_SHARED_DIR:-$SRC/../shared}/gazettes
"$BIN/duban-ingest" --dry-run "$GAZ"/0*.txt >"$WORK/ingest.jsonl" 2>/dev/null
"$BIN/duban-alerter" --simulate --until 2022-07-01T09:00:00+08:00 <"$WORK/ingest.jsonl" \
    >"$WORK/alerts.jsonl" 2>/dev/null
python3 - "$WORK/ingest.jsonl" "$WORK/alerts.jsonl" "$N" >"$WORK/events.jsonl" <<'PY'
import json, sys
base = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
alerts = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
n, out, r = int(sys.argv[3]), 0, 0
src = {"file": "bench", "line": 0, "offset": -1}
while out < n:
    sfx = "~%d" % r
    for e in base + alerts:
        e = dict(e)
        for k in ("doc_id", "task_id", "alert_id", "event_id"):
            if e.get(k):
                e[k] += sfx
        rows = [e]
        if e["type"] == "DeadlineAlert":
            rows.append({"type": "TaskStatusChanged", "event_id": "s" + e["alert_id"],
                         "occurred_at": e["fire_at"], "schema_version": 1, "source": src,
                         "task_id": e["task_id"], "from_status": None, "to_status": "IN_PROGRESS",
                         "new_due_date": None, "actor": (e["departments"] or ["x"])[0], "comment": None})
            rows.append({"type": "DeliveryAttempt", "event_id": "d" + e["alert_id"],
                         "occurred_at": e["fire_at"], "schema_version": 1, "source": src,
                         "alert_id": e["alert_id"], "endpoint_id": "office",
                         "department": (e["departments"] or ["x"])[0], "attempt": 1,
                         "http_status": 200, "error": None, "latency_ms": 12,
                         "outcome": "DELIVERED", "digest_size": 0})
        for x in rows:
            if out < n:
                print(json.dumps(x, ensure_ascii=False))
                out += 1
    r += 1
PY
start_postgres
# the 148 MB of JSON just written is flushed first, so that the first round
# does not sync the page cache's writeback of it with its own commits
sync
echo "events: $(wc -l <"$WORK/events.jsonl"), $(du -k "$WORK/events.jsonl" | cut -f1) KiB of JSON; load $(cut -d' ' -f1 /proc/loadavg)"
for i in $(seq "$ROUNDS"); do
    rm -f "$WORK/bench.db"*
    "$BIN/duban-bench-analytics" --db "$WORK/bench.db" --events "$WORK/events.jsonl"
    "$BIN/duban-bench-analytics" --db "$PG_URL" --events "$WORK/events.jsonl"
done
