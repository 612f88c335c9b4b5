#!/usr/bin/env bash
# unit.schema_check: duban-schema-check CHECK SCHEMAS passes on schemas/ and
# fails (exit 1, naming the file) on copies where one schema changed: a field
# renamed, an enum symbol added, a logical type dropped, a field moved.
set -euo pipefail
CHECK=$1 SCHEMAS=$2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/duban-schema-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
"$CHECK" "$SCHEMAS" || { echo "FAIL: the committed schemas do not pass"; exit 1; }
failed=0
# mutate FILE PYTHON-EXPR-ON-s: a copy of schemas/ with FILE changed; the check must fail.
mutate() {
    rm -rf "$WORK/s" && cp -r "$SCHEMAS" "$WORK/s"
    python3 - "$WORK/s/$1" "$2" <<'PY'
import sys
p, expr = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
t = eval(expr)
assert t != s, "the change did not apply"
open(p, "w", encoding="utf-8").write(t)
PY
    local rc=0
    "$CHECK" "$WORK/s" 2>"$WORK/err" || rc=$?
    if [ "$rc" -eq 1 ] && grep -q "$1" "$WORK/err"; then
        echo "ok: $1: $3"
    else
        echo "FAIL: $1: $3: exit $rc $(cat "$WORK/err")"; failed=1
    fi
}
mutate TaskAssigned.avsc 's.replace("\"name\": \"doc_title\"", "\"name\": \"doc_titel\"", 1)' "field renamed"
mutate TaskAssigned.avsc 's.replace("\"OPEN_ENDED\",", "\"OPEN_ENDED\", \"LATER\",", 1)' "enum symbol added"
mutate TaskStatusChanged.avsc 's.replace("\"logicalType\": \"timestamp-millis\"", "\"logicalType\": \"time-millis\"", 1)' "logical type changed"
mutate DeadlineAlert.avsc '__import__("json").dumps(dict(d, fields=d["fields"][1:] + d["fields"][:1]), ensure_ascii=False) if (d := __import__("json").loads(s)) else s' "first field moved last"
[ "$failed" = 0 ] && echo "1 passed, 0 failed"
exit "$failed"
