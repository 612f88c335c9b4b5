#!/usr/bin/env bash
# Issue 5 acceptance: a DingTalk robot limited to 20 messages per window gets
# 500 alerts for one department. It receives digests, never more than 20 in
# a window, every alert is in some digest, and every request carries a valid
# DingTalk signature (checked by the vendor's documented Python recipe).
# The window is 3 s instead of a minute so the test runs in seconds.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
N=500 LIMIT=20 WINDOW_MS=3000 DIGEST=10
start_broker --partitions 4
start_receiver
cat >"$WORK/routes.json" <<JSON
{"endpoints":[{"id":"fgw-robot","url":"$RECV/robot/send?access_token=tok","format":"dingtalk",
   "secret":"SECdemo-secret","rate":{"limit":$LIMIT,"window_ms":$WINDOW_MS,"margin_ms":300},"digest_max":$DIGEST,
   "template":"{alert_id}：{status_phrase}"}],
 "routes":[{"department":"区发展和改革局","endpoints":["fgw-robot"]}]}
JSON
produce_alerts "$N" --prefix d --dept 区发展和改革局
start_notifier notifier --demo --routes "$WORK/routes.json"

all_delivered() {
    topic_json duban.deliveries.v1 | python3 -c '
import json, sys
n = sum(1 for l in sys.stdin if l.strip() and json.loads(l)["outcome"] == "DELIVERED")
sys.exit(0 if n >= int(sys.argv[1]) else 1)' "$N"
}
wait_until 90 all_delivered || fail "not all delivered: $(tail -2 "$WORK/notifier.log")"

python3 - "$WORK/recv.jsonl" "$N" "$LIMIT" "$WINDOW_MS" <<'PY' || fail "digests"
import json, sys, re, hmac, hashlib, base64, urllib.parse, collections
recv = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n, limit, window = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
secret = "SECdemo-secret"
seen = collections.Counter()
bad_sign = 0
for r in recv:
    text = json.loads(r["body"])["markdown"]["text"]
    for m in re.findall(r"\bd-(\d+)：", text):
        seen[int(m)] += 1
    # DingTalk's documented Python recipe for 加签
    string_to_sign = "{}\n{}".format(r["timestamp"], secret)
    code = hmac.new(secret.encode(), string_to_sign.encode(), digestmod=hashlib.sha256).digest()
    if urllib.parse.quote_plus(base64.b64encode(code)) != urllib.parse.quote_plus(r["sign"]):
        bad_sign += 1
times = sorted(r["t_ms"] for r in recv)
# at the receiver, in any window of the robot's limit (the notifier keeps a
# 300 ms margin in hand for delivery jitter)
worst = max(sum(1 for u in times if t <= u < t + window) for t in times)
digests = sum(1 for r in recv if "共" in json.loads(r["body"])["markdown"]["text"])
missing = [i for i in range(n) if seen[i] == 0]
print("requests %d (digests %d) over %.1f s for %d alerts; most in any %d ms window: %d (limit %d); "
      "alerts missing: %d; repeated: %d; bad signatures: %d"
      % (len(recv), digests, (times[-1] - times[0]) / 1000, n, window, worst, limit,
         len(missing), sum(1 for v in seen.values() if v > 1), bad_sign))
ok = worst <= limit and not missing and bad_sign == 0 and digests > 0 and len(recv) > limit
sys.exit(0 if ok else 1)
PY
echo "1 passed, 0 failed"
