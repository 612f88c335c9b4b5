#!/usr/bin/env bash
# scripts/demo.sh: duban end to end on the embedded default.
#   bundled gazettes -> duban-ingest -> duban-broker -> duban-alerter (a
#   simulated clock inside the gazettes' period, one day per second) ->
#   duban-notifier -> duban-receiver, which prints what each department was told.
# With DEMO_BOOTSTRAP=@FILE (or HOST:PORT) it runs on that Kafka instead of
# starting duban-broker, e.g. the real one of `scripts/kafka.sh start
# --bootstrap-file FILE`; duban-topics creates the topics there first.
# Environment: DUBAN_GAZETTES (default ../shared/gazettes), DEMO_START
# (simulated start, default 2021-09-01T08:00+08:00), DEMO_SPEED (simulated
# seconds per second, default 86400), DEMO_SECONDS (default 45).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
GAZETTES=${DUBAN_GAZETTES:-$SRC/../shared/gazettes}
START=${DEMO_START:-2021-09-01T08:00+08:00}
SPEED=${DEMO_SPEED:-86400}
SECONDS_TO_RUN=${DEMO_SECONDS:-45}

echo "== building (installs missing Debian packages first) =="
scripts/setup.sh build >/dev/null
BIN=$SRC/build/bin
W=$(mktemp -d "${TMPDIR:-/tmp}/duban-demo.XXXXXX")
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    echo "logs and data: $W"
}
trap cleanup EXIT
wait_file() { for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done; echo "no $1" >&2; exit 1; }

if [ -n "${DEMO_BOOTSTRAP:-}" ]; then
    case $DEMO_BOOTSTRAP in @*) cp "${DEMO_BOOTSTRAP#@}" "$W/bootstrap" ;; *) echo "$DEMO_BOOTSTRAP" >"$W/bootstrap" ;; esac
    "$BIN/duban-topics" -b @"$W/bootstrap" >/dev/null 2>"$W/topics.log" \
        || { cat "$W/topics.log" >&2; exit 1; }
    echo "== Kafka at $(cat "$W/bootstrap"); duban's topics checked or created =="
else
    "$BIN/duban-broker" --partitions 4 --bootstrap-file "$W/bootstrap" >/dev/null 2>"$W/broker.log" &
    PIDS+=($!)
    wait_file "$W/bootstrap"
    echo "== duban-broker (in-memory Kafka) at $(cat "$W/bootstrap") =="
fi

# The receiver prints one line per message: what each department was told.
"$BIN/duban-receiver" --port 0 --port-file "$W/receiver.url" --log "$W/receiver.jsonl" \
    2>"$W/receiver.log" &
PIDS+=($!)
wait_file "$W/receiver.url"
RECV=$(cat "$W/receiver.url")

# Routing: robots for a few departments (DingTalk, WeCom, Feishu formats), a
# signed CloudEvents JSON webhook for everyone else. Demo secrets only.
cat >"$W/routes.json" <<JSON
{"endpoints": [
  {"id": "office-json", "url": "$RECV/hooks/office", "format": "json",
   "secrets": ["whsec_ZHViYW4tZGVtby1vbmx5LW5vdC1hLXNlY3JldA=="]},
  {"id": "health-dingtalk", "url": "$RECV/robot/dingtalk?access_token=demo", "format": "dingtalk",
   "secrets": ["SECdemo-dingtalk"], "rate": {"limit": 20, "window_ms": 60000}},
  {"id": "education-wecom", "url": "$RECV/robot/wecom?key=demo", "format": "wecom",
   "rate": {"limit": 20, "window_ms": 60000}},
  {"id": "health-feishu", "url": "$RECV/robot/feishu/demo", "format": "feishu",
   "secrets": ["demo-feishu"], "rate": {"limit": 20, "window_ms": 60000}}],
 "routes": [
  {"department": "区卫生健康局", "aliases": ["区卫健局"], "endpoints": ["health-dingtalk"]},
  {"department": "区教育体育局", "endpoints": ["education-wecom"]},
  {"department": "市卫生健康局", "endpoints": ["health-feishu"]}],
 "default": ["office-json"]}
JSON

echo "== duban-ingest: $(ls "$GAZETTES"/*.txt | wc -l) gazettes =="
"$BIN/duban-ingest" -b @"$W/bootstrap" "$GAZETTES"/*.txt >/dev/null 2>"$W/ingest.log"
grep -E 'documents|delivered' "$W/ingest.log" | sed 's/^/  /'

echo "== duban-alerter from $START at ${SPEED}x; duban-notifier -> duban-receiver =="
GROUP=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=1000)
echo "== what departments were told (printed by duban-receiver), for ${SECONDS_TO_RUN}s =="
"$BIN/duban-alerter" -b @"$W/bootstrap" "${GROUP[@]}" --now "$START" --speed "$SPEED" \
    --set alerter.tick.ms=50 --set alerter.late.after.ms=3600000 2>"$W/alerter.log" &
SERVICES=($!)
"$BIN/duban-notifier" -b @"$W/bootstrap" "${GROUP[@]}" --demo --routes "$W/routes.json" \
    2>"$W/notifier.log" &
SERVICES+=($!)
PIDS+=("${SERVICES[@]}")
sleep "$SECONDS_TO_RUN"
kill "${SERVICES[@]}" 2>/dev/null || true
wait "${SERVICES[@]}" 2>/dev/null || true

echo "== summary =="
"$BIN/duban-replay" -b @"$W/bootstrap" --topic duban.alerts.v1 --exit-at-end >"$W/alerts.jsonl" 2>/dev/null
"$BIN/duban-replay" -b @"$W/bootstrap" --topic duban.deliveries.v1 --exit-at-end >"$W/deliveries.jsonl" 2>/dev/null
python3 - "$W" <<'PY'
import collections, json, os, sys
w = sys.argv[1]
load = lambda f: [json.loads(l) for l in open(os.path.join(w, f), encoding="utf-8") if l.strip()]
alerts, deliveries = load("alerts.jsonl"), load("deliveries.jsonl")
print("alerts on duban.alerts.v1: %d  %s" % (len(alerts), dict(collections.Counter(a["kind"] for a in alerts))))
print("delivery attempts on duban.deliveries.v1: %d  %s" % (len(deliveries), dict(collections.Counter(d["outcome"] for d in deliveries))))
told = collections.Counter(d["department"] for d in deliveries if d["outcome"] == "DELIVERED")
print("departments told most often:", ", ".join("%s %d" % kv for kv in told.most_common(8)))
PY
