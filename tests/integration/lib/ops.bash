# tests/integration/lib/ops.bash: helpers for the ops endpoint tests
# (/metrics, /healthz on ops.listen). Source after common.bash.

"$DEBIAN_PYTHON" -c 'import prometheus_client' 2>/dev/null \
    || fail "python3-prometheus-client is missing (scripts/setup.sh installs it)"

# ops_url LOG: waits for the program's fac=OPS line in LOG; sets OPS.
ops_url() {
    local i
    for i in $(seq 100); do grep -q 'fac=OPS' "$1" 2>/dev/null && break; sleep 0.1; done
    OPS=$(grep -o 'http://127.0.0.1:[0-9]*' "$1" | head -1)
    [ -n "$OPS" ] || fail "no ops endpoint: $(tail -3 "$1")"
}

ops_health() { curl -s -o "$WORK/health.json" -w '%{http_code}' "$OPS/healthz"; }
ops_ready() { [ "$(ops_health)" = 200 ]; }
ops_not_ready() { [ "$(ops_health)" = 503 ]; }

# ops_scrape NAME [FAMILY=TYPE...]: /metrics into $WORK/NAME.txt, parsed by
# Debian's python3-prometheus-client (fails on bad format, on a sample line
# the parser did not return, and on a family not of the TYPE given; the
# parser drops a counter's _total) into $WORK/NAME.json
# {"family{label=value}...": value}.
ops_scrape() {
    local name=$1; shift
    curl -sf -D "$WORK/$name.headers" "$OPS/metrics" >"$WORK/$name.txt" || fail "GET /metrics"
    grep -qi '^content-type: text/plain; version=0.0.4' "$WORK/$name.headers" || fail "content type"
    "$DEBIAN_PYTHON" - "$WORK/$name.txt" "$WORK/$name.json" "$@" <<'PY' \
        || fail "/metrics is not Prometheus text format"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1], encoding="utf-8").read()
out, types = {}, {}
for fam in text_string_to_metric_families(text):
    types[fam.name] = fam.type
    for s in fam.samples:
        key = s.name + "".join("{%s=%s}" % kv for kv in sorted(s.labels.items()))
        out[key] = s.value
for want in sys.argv[3:]:
    fam, typ = want.split("=")
    assert types.get(fam) == typ, (fam, typ, types.get(fam))
lines = [l for l in text.splitlines() if l and not l.startswith("#")]
assert len(lines) == len(out), (len(lines), len(out))
json.dump(out, open(sys.argv[2], "w"))
PY
}

# ops_value NAME KEY: a sample of $WORK/NAME.json as an integer (-1: none).
ops_value() {
    python3 -c 'import json, sys; print(int(json.load(open(sys.argv[1])).get(sys.argv[2], -1)))' \
        "$WORK/$1.json" "$2"
}
