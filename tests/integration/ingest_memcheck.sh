#!/usr/bin/env bash
# The parser of untrusted text read under valgrind's memcheck: every gazette
# and every corpus page through duban-ingest --dry-run, failing on any read of
# uninitialised memory or any invalid access. AddressSanitizer does not see a
# read of memory that is allocated but never written (text.c once scanned a
# line with strspn before terminating it, and a06's output changed from run
# to run); memcheck does. Skipped (77) in the sanitizer build, whose binaries
# valgrind cannot run, and where valgrind is not installed.
# Env: DUBAN_BIN_DIR, DUBAN_SRC_DIR, DUBAN_SHARED_DIR, DUBAN_BUILD_DIR.
set -u
SRC="${DUBAN_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BIN="${DUBAN_BIN_DIR:?DUBAN_BIN_DIR is not set}"
SHARED="${DUBAN_SHARED_DIR:-$SRC/../shared}"
command -v valgrind >/dev/null || { echo "ingest_memcheck: valgrind not installed: skipped"; exit 77; }
if [ -n "${DUBAN_BUILD_DIR:-}" ] &&
   grep -q '^DUBAN_SANITIZE:BOOL=ON' "$DUBAN_BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
  echo "ingest_memcheck: sanitizer build, valgrind cannot run it: skipped"; exit 77
fi
files=("$SHARED"/gazettes/*.txt "$SHARED"/gazettes/*.md "$SRC"/tests/corpus/dev/*.txt
       "$SRC"/tests/corpus/test/*.txt)
log=$(mktemp); trap 'rm -f "$log"' EXIT
valgrind -q --error-exitcode=99 --track-origins=yes --log-file="$log" \
  "$BIN/duban-ingest" --dry-run "${files[@]}" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 0 ] || [ -s "$log" ]; then
  echo "ingest_memcheck: FAIL (rc $rc), memcheck says:"; head -60 "$log"; exit 1
fi
echo "ingest_memcheck: ${#files[@]} files parsed, memcheck clean"
