#!/usr/bin/env bash
# duban-broker says when the mock drops data: 7,000 messages of 1 KiB into
# one partition (about 7 MiB, over the mock's 5 MiB per partition) give a
# warning naming topic and partition as the partition nears the cap, then one
# when its log start offset moves (it started dropping), and the dropped
# offsets are really gone (the low watermark is above 0). A partition that
# stays small gets no warning.
source "$(dirname "$0")/lib/common.bash"
start_broker --partitions 2
python3 -c '
import sys  # 1 KiB values
for i in range(7000):
    sys.stdout.write("%06d %s\n" % (i, "x" * 1017))' >"$WORK/big.txt"
head -n 4300 "$WORK/big.txt" >"$WORK/first.txt"     # ~4.3 MiB: past 80 % of the cap
tail -n +4301 "$WORK/big.txt" >"$WORK/rest.txt"
kcat -b "$BOOTSTRAP" -P -t duban.documents.v1 -p 0 <"$WORK/first.txt" || fail "kcat produce"
echo small | kcat -b "$BOOTSTRAP" -P -t duban.documents.v1 -p 1 || fail "kcat produce"
logged() { grep -q "$1" "$WORK/broker.log"; }
wait_until 10 logged 'nearing the mock' || fail "no warning as partition 0 neared the cap: $(tail -3 "$WORK/broker.log")"
logged 'dropping data' && fail "dropping reported at 4.3 MiB"
kcat -b "$BOOTSTRAP" -P -t duban.documents.v1 -p 0 <"$WORK/rest.txt" || fail "kcat produce"
wait_until 10 logged 'dropping data' || true   # judged below, with its topic and partition
grep 'fac=CAP' "$WORK/broker.log" || true
grep -q 'fac=CAP msg="nearing the mock.*topic=duban.documents.v1 part=0$' "$WORK/broker.log" \
    || fail "the nearing warning does not name topic and partition 0"
grep -q 'fac=CAP msg="dropping data.*topic=duban.documents.v1 part=0$' "$WORK/broker.log" \
    || fail "no warning naming partition 0 when it started dropping"
grep -q 'fac=CAP.*part=1$' "$WORK/broker.log" && fail "a warning for the small partition 1"
first=$(kcat -b "$BOOTSTRAP" -C -t duban.documents.v1 -p 0 -o beginning -c 1 -e 2>/dev/null | cut -c1-6)
[ "$first" != 000000 ] || fail "the oldest message is still there: nothing was dropped"
echo "partition 0 now starts at message $first: the mock dropped the oldest; both warnings logged"
echo "1 passed, 0 failed"
