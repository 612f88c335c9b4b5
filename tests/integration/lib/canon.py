#!/usr/bin/env python3
"""canon.py FILE...: prints each JSON line with sorted keys (minus "_kafka"),
sorted, so two event streams can be compared as multisets with diff/cmp."""
import json, sys
lines = []
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                ev = json.loads(line)
                ev.pop("_kafka", None)
                lines.append(json.dumps(ev, sort_keys=True, ensure_ascii=False))
lines.sort()
sys.stdout.write("\n".join(lines) + ("\n" if lines else ""))
