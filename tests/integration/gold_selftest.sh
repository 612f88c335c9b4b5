#!/usr/bin/env bash
# Proves the gold scorer (tests/gold/score.py) can fail: it must pass on a
# perfect fake output built from the gold set, and fail on a hand-made bad
# output and on fakes that break each threshold (incl. one parsed task
# containing two gold prefixes, which may match only one of them).
set -u
SRC="${DUBAN_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
GOLD="$SRC/tests/fixtures/gold"
SCORE="$SRC/tests/gold/score.py"
ST="$SRC/tests/gold/selftest"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0

# expect NAME EXPECTED_STATUS FILE PATTERN [extra score.py args]: PATTERN must appear in the output
expect() {
  local name="$1" want="$2" file="$3" pat="${4:-}"
  shift 4 || shift $#
  python3 "$SCORE" --gold-dir "$GOLD" --jsonl "$file" --quiet "$@" >"$TMP/$name.out" 2>&1
  local rc=$?
  local ok=1
  [ "$rc" -eq "$want" ] || ok=0
  if [ -n "$pat" ] && ! grep -q -- "$pat" "$TMP/$name.out"; then ok=0; fi
  if [ $ok -eq 1 ]; then
    pass=$((pass + 1)); echo "ok   $name (exit $rc)"
  else
    fail=$((fail + 1)); echo "FAIL $name: exit $rc (want $want), pattern '$pat'"
    sed 's/^/     /' "$TMP/$name.out" | tail -30
  fi
}

for v in perfect no-doc wrong-due wrong-lead far-lines merged not-tasks; do
  python3 "$ST/make_fake.py" "$GOLD" "$v" >"$TMP/$v.jsonl" || { echo "make_fake $v failed"; exit 1; }
done

expect perfect     0 "$TMP/perfect.jsonl"    "^4 passed, 0 failed"
expect bad         1 "$ST/bad.jsonl"          "FAIL\] documents found"
expect empty       1 /dev/null                "^0 passed, 4 failed"
expect no-doc      1 "$TMP/no-doc.jsonl"      "FAIL\] documents found"
expect wrong-due   1 "$TMP/wrong-due.jsonl"   "FAIL\] due date exact"
expect wrong-lead  1 "$TMP/wrong-lead.jsonl"  "FAIL\] lead units exact"
expect far-lines   1 "$TMP/far-lines.jsonl"   "FAIL\] tasks found"
# line tolerance lifted so that only the one-to-one rule can make it fail
expect merged      1 "$TMP/merged.jsonl"      "FAIL\] tasks found" --line-tolerance 100000
expect not-tasks   0 "$TMP/not-tasks.jsonl"   "not-task violations *[1-9]"
# the perfect fake must score exactly 100% everywhere
expect perfect-100 0 "$TMP/perfect.jsonl"     "due date exact *100\.0%"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
