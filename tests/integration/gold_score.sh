#!/usr/bin/env bash
# Acceptance (issue 3, item 1): score duban-ingest --dry-run over the three real
# gazettes against the hand-built gold set tests/fixtures/gold/*.json.
# Fails below: documents 100% found, tasks found >= 95%, lead units exact >= 90%,
# due date exact >= 90%.  Env: DUBAN_BIN_DIR, DUBAN_SHARED_DIR, DUBAN_SRC_DIR.
set -u
SRC="${DUBAN_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
SHARED="${DUBAN_SHARED_DIR:-/work/shared}"
BIN="${DUBAN_BIN_DIR:-}"
if [ -z "$BIN" ]; then
  echo "gold_score: DUBAN_BIN_DIR is not set" >&2
  exit 2
fi
if [ ! -x "$BIN/duban-ingest" ]; then
  echo "gold_score: $BIN/duban-ingest does not exist: the parser is not built, score 0" >&2
  echo "0 passed, 4 failed"
  exit 1
fi
exec python3 "$SRC/tests/gold/score.py" --gold-dir "$SRC/tests/fixtures/gold" \
  --shared-dir "$SHARED" --bin-dir "$BIN"
