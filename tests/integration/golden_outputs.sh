#!/usr/bin/env bash
# No behaviour change: the bytes duban prints for fixed inputs must hash to
# the values in tests/fixtures/golden_hashes.txt, which were taken from main
# before issue 15 reorganised common/ (the file says how). Checked outputs:
#   ingest_dry_run     duban-ingest --dry-run over the three shared gazettes
#   alerter_simulate   duban-alerter --simulate over that output (fixed clock)
#   produce_all_types  duban-produce-json --encode-only over all_types.jsonl
#   produce_ingest     duban-produce-json --encode-only over the ingest output
# With --record the file's hash lines are rewritten from this build instead
# (after an intended change; say why in the commit).
source "$(dirname "$0")/lib/common.bash"
G="${DUBAN_SHARED_DIR:-/work/shared}/gazettes"
HASHES="$DUBAN_SRC_DIR/tests/fixtures/golden_hashes.txt"
BIN=$DUBAN_BIN_DIR

"$BIN/duban-ingest" --dry-run "$G/000_55122fd70aed731a.txt" "$G/001_695d6e90fcff097e.txt" \
    "$G/002_0222121a82854d09.txt" >"$WORK/ingest_dry_run" 2>"$WORK/ingest.err" \
    || fail "ingest: $(cat "$WORK/ingest.err")"
"$BIN/duban-alerter" --simulate --until 2023-07-01T09:00:00+08:00 \
    <"$WORK/ingest_dry_run" >"$WORK/alerter_simulate" 2>"$WORK/alerter.err" \
    || fail "alerter: $(cat "$WORK/alerter.err")"
"$BIN/duban-produce-json" --encode-only "$DUBAN_SRC_DIR/tests/fixtures/events/all_types.jsonl" \
    >"$WORK/produce_all_types" 2>"$WORK/produce.err" || fail "produce-json: $(cat "$WORK/produce.err")"
"$BIN/duban-produce-json" --encode-only "$WORK/ingest_dry_run" \
    >"$WORK/produce_ingest" 2>"$WORK/produce.err" || fail "produce-json: $(cat "$WORK/produce.err")"

names=(ingest_dry_run alerter_simulate produce_all_types produce_ingest)
if [ "${1:-}" = "--record" ]; then
    grep '^#' "$HASHES" >"$WORK/hashes"
    for n in "${names[@]}"; do
        printf '%-18s %s\n' "$n" "$(sha256sum <"$WORK/$n" | cut -d' ' -f1)" >>"$WORK/hashes"
    done
    cp "$WORK/hashes" "$HASHES"
    echo "recorded into $HASHES"
    exit 0
fi

bad=0
for n in "${names[@]}"; do
    want=$(awk -v n="$n" '$1 == n { print $2 }' "$HASHES")
    [ -n "$want" ] || fail "$HASHES has no hash for $n"
    [ -s "$WORK/$n" ] || fail "$n: empty output"
    got=$(sha256sum <"$WORK/$n" | cut -d' ' -f1)
    if [ "$got" = "$want" ]; then
        echo "ok $n $(wc -l <"$WORK/$n") lines $got"
    else
        echo "FAIL: $n: sha256 $got, recorded $want" >&2
        bad=1
    fi
done
[ "$bad" = 0 ] || fail "output changed (re-record only if the change is intended: see $HASHES)"
