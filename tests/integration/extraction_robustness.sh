#!/usr/bin/env bash
# Issue 11: the same documents printed another way must give the same
# extraction. tests/gold/perturb.py rewrites every text of a gold set (ASCII
# or full-width punctuation, traditional characters, letter-spacing, NBSP,
# CRLF, blank lines added or removed, running text hard-wrapped at 38
# characters, or at a gazette's 28 with a typeset page's line-breaking
# rules), rewrites the gold to match, and scores each copy. The test
# fails when, on the three gazettes or the corpus's dev part, a variant's
# tasks-found or lead-exact figure falls below MIN_RATIO of the unchanged
# text's. The test part is scored and printed, never gated (it is only
# measured: see tests/corpus/README.md). Env: DUBAN_BIN_DIR, DUBAN_SRC_DIR,
# DUBAN_SHARED_DIR.
set -u
SRC="${DUBAN_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BIN="${DUBAN_BIN_DIR:-}"
SHARED="${DUBAN_SHARED_DIR:-$SRC/../shared}"
MIN_RATIO=0.95
[ -x "$BIN/duban-ingest" ] || { echo "extraction_robustness: no \$DUBAN_BIN_DIR/duban-ingest"; echo "0 passed, 1 failed"; exit 1; }
pass=0 fail=0
run() { # label gated args...
  local label=$1 gated=$2; shift 2
  echo "== $label"
  if [ "$gated" = 1 ]; then
    if python3 "$SRC/tests/gold/perturb.py" --bin-dir "$BIN" --label "$label" --min-ratio "$MIN_RATIO" "$@"; then
      pass=$((pass + 1)); echo "ok   $label: every variant at >= $MIN_RATIO of the original"
    else
      fail=$((fail + 1)); echo "FAIL $label"
    fi
  else
    python3 "$SRC/tests/gold/perturb.py" --bin-dir "$BIN" --label "$label" "$@" || true
  fi
}
run gazettes 1 --gold-dir "$SRC/tests/fixtures/gold" --text-dir "$SHARED/gazettes" --goals gazettes
run tests/corpus/dev 1 --gold-dir "$SRC/tests/corpus/dev" --goals corpus
run "tests/corpus/test (measured, not gated)" 0 --gold-dir "$SRC/tests/corpus/test" --goals corpus
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
