#!/usr/bin/env bash
# Issue 11: extraction on documents the rules were not written for. Scores
# duban-ingest --dry-run against the hand-read gold files of tests/corpus/
# (dev: the part rules are written against; test: scored only, never read
# while writing rules) and prints both, with issue 11's goals (documents 98,
# tasks 95, lead 90, due 92; review flags on >= 80 % of wrong tasks and on
# < 10 % of right ones) marked PASS/FAIL by tests/gold/score.py --goals corpus.
# The test fails when a part falls below the floor recorded here: the level
# reached when the floor was last raised, so that a rule that helps one
# document and costs others shows up. The floors are not the goals. A new
# batch of pages can lower a part's level (its pages are new layouts): the
# floor is then set again from the level after that batch's dev rules
# (batches n and o, 2026-12-05: dev 90/88/98/98 -> 88/86/98/98; after p and
# q to x: dev lead and due 97; test due 92). The review flags' goal on
# right tasks (< 10 %, a NO_LEAD the gold confirms not counted: see
# tests/gold/score.py) is met on both parts and enforced as a goal. Batches
# y, z, aa (27 pages) lowered dev tasks to 89 (aa03: a mirror site's mojibake).
# Batches ab, ac (20 pages, 2026-12-05) lowered test documents to 83.6 (ab's
# test half: 0 of 2 documents found at first sight); floor 85 -> 84.
# A page that names a document and yields no task is kept as that document
# (2026-12-06): documents dev 94.8 -> 97.8, test 84.3 -> 88.1; floors 97, 87.
# Batches ad, ae (24 pages, 2026-12-06; first sight: dev 14 of 37 tasks,
# test 21 of 48) lowered dev tasks to 88.9, test tasks to 75.7 and test
# lead to 91.1: floors dev tasks 88, test 88/75/91/92. After their dev
# rules: dev 98.6/91.3/98.5/98.3 -> floors 98/91/98/98.
# Batch ag (12 pages, 2026-12-06; first sight: dev 4 of 9 tasks, test 10 of
# 16, and still 10 of 16 after the rules its dev half led to) lowered test
# tasks to 74.9: floor 75 -> 74. Batch ah (12 pages; first sight: dev 13 of
# 21 tasks, test 4 of 7 documents and 9 of 12 tasks) lowered test documents
# to 87.7 and, with ag, dev due dates to 97.9: floors test documents 87, dev
# due 97. Batches ai and aj (24 pages; first sight: dev 9 of 22 tasks, test
# 20 of 47, lead 13 of 20) and the removal of two test pages that repeated
# others lowered test tasks to 72.3 and lead to 90.8, dev documents to 97.1:
# floors test 87/72/90/92, dev documents 97. Batches ak and al (22 pages;
# first sight: dev 19 of 37 tasks, test 24 of 34) lowered dev tasks to 89.1:
# floor 91 -> 89. Batches am and an (24 pages; first sight: dev 28 of 40
# tasks, test 16 of 33) lowered test tasks to 71.2 and test due dates to
# 92.0: floors test tasks 71, due 91.
# Batches ao and ap (20 pages; first sight: dev 13 of 18 tasks, test 13 of
# 15) left every part above its floor (dev 97.5/89.0/98.5/97.4, test
# 89.1/71.5/91.2/92.2): floors unchanged.
# Batches aq and ar (24 pages; first sight: dev 11 of 25 tasks, 8 of 11
# documents, test 22 of 30) lowered dev documents to 96.3 (two news pages
# whose documents are named only inside a sentence): floor dev documents
# 97 -> 96; dev tasks are at 90.4 after the session's rules: floor 89 -> 90.
# Batches as, at, au, av (29 pages, 2026-12-07; first sight: dev 5 of 10, 19
# of 19, 7 of 17, 1 of 13 tasks; test 7 of 7, 5 of 6, 4 of 4, 5 of 5) left
# dev tasks at 89.8 after the rules their dev halves led to (av03, a 责任清单
# page of unit and duty lines, not read yet): floor dev tasks 90 -> 89.
# Batch aw (7 pages; first sight: dev 2 of 6 tasks, test 9 of 15, lead 3
# of 9) left every part at or above its floor (dev 96.5/89.3/98.6/97.4,
# test 89.7/73.4/90.2/92.7): floors unchanged.
# Batch ax (11 pages, 2026-12-07; first sight at aa148f0: dev 9 of 20 tasks,
# test 14 of 16), after that day's rules (dev 97.9/90.0/98.7/97.5, test
# 90.3/73.8/90.2/92.7): floors dev 97/90/98/97, test 90/73/90/92. Batch ay
# (12 pages; first sight at 4c3a558: dev 10 of 11 tasks, test 5 of 7) left
# every part above them (dev 97.9/91.2/98.8/97.6, test 90.5/73.8/90.3/92.8).
# Batch az (10 pages; first sight at e63e9cc: dev 8 of 13 tasks, test 12 of
# 12 but due dates 5 of 12) lowered test due dates to 91.8 (dev rules from
# it: 97.9/91.4/98.7/97.6, test 90.7/74.7/90.6/91.8): floor test due 92 -> 91.
# Batch ba (12 pages; first sight at 584b2f9: dev 9 of 14 tasks, test 7 of
# 10, 4 of 5 documents) left every part at or above them (dev
# 98.0/91.1/98.8/97.8, test 90.5/74.7/90.7/91.7). Batch bb (8 pages; first
# sight at c99347f: dev 6 of 11 tasks, test 10 of 14) left every part above
# them (dev 97.6/90.9/98.6/97.8, test 90.2/74.6/90.7/91.4). Batch bc (6
# pages; first sight at e335d8e: dev 6 of 14 tasks, test 3 of 6) too (dev
# 97.7/90.8/98.7/97.5, test 90.0/74.4/90.7/91.4).
# Batch bd (9 pages; first sight at e0300fa: dev 3 of 11 tasks, 2 of 4
# documents, test 6 of 8, 2 of 3 documents) takes documents found below
# their floors with the parser of e0300fa (dev 96.9/90.5/98.6/97.6, test
# 89.7/74.4/90.7/91.5): the collector left the floors to the rule writer.
# With the rules of 2026-12-07 afternoon (97eb9c0: dev 97.3/91.2/98.6/97.9,
# test 89.7/74.5/90.5/91.7) the test documents stay below 90 (the batch's
# test half: 1 of 3 documents not found at first sight, and not since):
# floor test documents 90 -> 89.
# Batch be (12 pages; first sight at ada39b5: dev 28 of 28 tasks, 2 of 2
# documents, test 6 of 14 tasks, 2 of 2 documents) leaves every part at
# or above its floor with the parser of ada39b5 (dev 97.3/91.5/98.6/97.5,
# test 89.8/74.0/90.6/91.6): floors unchanged.
# Batch bf (11 pages; first sight at e6c4e61: dev 5 of 24 tasks, 1 of 2
# documents, test 11 of 23 tasks, 1 of 1 document) leaves every part at
# or above its floor with the parser of e6c4e61 (dev 97.0/90.0/98.4/97.7,
# test 90.2/73.5/90.5/91.8; dev tasks at the floor, 875 of 972):
# floors unchanged.
# Batch bg (12 pages; first sight at 43bb7d1: dev 7 of 10 tasks, 4 of 4
# documents, test 7 of 11 tasks, 3 of 4 documents) leaves every part at
# or above its floor with the parser of 43bb7d1 (dev 97.4/91.5/98.2/97.6,
# test 90.0/74.8/90.6/91.8): floors unchanged.
# After the dev rules of batches bd-bg (2026-12-07 evening: dev
# 97.4/91.8/98.3/97.7, test 90.0/74.8/90.6/91.8): floors dev tasks 90 -> 91,
# test tasks 73 -> 74.
# Batch bh (10 pages; first sight at 2b5b5ac: dev 8 of 11 tasks, 1 of 2
# documents, test 5 of 12 tasks, 2 of 2 documents) leaves every part at
# or above its floor with the parser of 2b5b5ac (dev 97.0/91.7/98.4/97.7,
# test 90.0/74.3/90.2/91.8): floors unchanged.
# Batch bi (10 pages; first sight at 010d88a: dev 17 of 20 tasks, 3 of 4
# documents, test 5 of 7 tasks, 3 of 3 documents) leaves every part at
# or above its floor with the parser of 010d88a (dev 97.1/91.8/98.2/97.5,
# test 90.1/74.8/90.5/91.9): floors unchanged.
# Batch bj (10 pages; first sight at 7f9cc70: dev 13 of 15 tasks, 1 of 2
# documents, test 7 of 12 tasks, 1 of 3 documents) leaves every part at
# or above its floor with the parser of 7f9cc70 (dev 97.1/91.8/98.4/97.8,
# test 89.9/74.1/90.3/91.9): floors unchanged.
# Batch bk (9 pages; first sight at 7f9cc70: dev 5 of 6 tasks, 5 of 5
# documents, test 6 of 6 tasks, 4 of 4 documents) leaves every part at
# or above its floor with the parser of 7f9cc70 (dev 97.5/91.9/98.2/97.5,
# test 90.7/74.5/90.2/91.6): floors unchanged.
# Batch bm (3 pages; first sight at b267ee7: dev 1 of 3 tasks, 2 of 2
# documents, test 1 of 1 task, 1 of 1 document) leaves every part at
# or above its floor with the parser of b267ee7 (dev 97.5/91.8/98.4/97.6,
# test 90.4/74.3/90.4/91.7): floors unchanged.
# Batch bl (6 pages; first sight at b267ee7: dev 15 of 15 tasks, 1 of 1
# documents, test 7 of 11 tasks, 3 of 3 documents) leaves every part at
# or above its floor with the parser of b267ee7 (dev 97.5/92.1/98.1/97.6,
# test 90.5/74.2/90.1/91.5): floors unchanged.
# Batch bn (6 pages; first sight at 5484208: dev 25 of 26 tasks, 2 of 2
# documents, test 3 of 6 tasks, 3 of 3 documents): its collector ran only
# the first-sight scoring of the batch's two halves, so the parts' levels
# with the batch and the floors are left to the rule writer. With the batch
# and the parser of 5484208: dev 97.6/92.2/98.4/97.7, test 90.6/74.5/90.3/91.6
# (every part at or above its floor). The composed unit labels of 81b3ef1
# (2026-12-07, late: any role word before any unit noun, one reader for
# clauses and table headers; perturb.py labels-synonyms: test rewrite
# 0.918 -> 0.991 of the original's tasks, dev 0.950 -> 0.998, gazettes
# 0.914 -> 1.000) found 4 more test tasks but moved 2 exact leads and 2
# exact due dates the other way (test 90.6/74.9/89.5/90.8 with 5af79fb; dev
# unchanged but bn03, 97.6/92.2/98.4/97.7): kept on the rewrites' evidence,
# floors test lead 90 -> 89 and due 91 -> 90.
# Batches bo (2 pages; first sight at 78749b7: dev 1 of 1 task, 1 of 1
# document, test 2 of 4 tasks, no documents) and bp (3 pages; first
# sight at 78749b7: dev 1 of 3 tasks, 0 of 1 documents, test 3 of 4
# tasks, no document): their collectors ran only the
# first-sight scoring of the batch's two halves. On the 695 pages with
# them: the parser of 5484208 dev 97.2/92.1/98.4/97.6, test
# 90.6/74.4/89.6/91.5; main at 6aca03f (the late rules, and records whose
# first key carries its value, for bp03) dev 97.6/92.2/98.4/97.6, test
# 90.6/74.8/88.8/90.7: the test part's lead exact falls under 89 (4 more
# tasks found with 2 fewer exact leads since 5484208, and the new test
# halves' 5 tasks, none with an exact lead at first sight): floor test
# lead 89 -> 88. After 39c2d03 (a line's "：一是…；二是…" cut before each
# N是): dev 98.3/92.5/98.4/97.5, test 91.0/75.4/88.9/90.6; floors unchanged.
# Env: DUBAN_BIN_DIR, DUBAN_SRC_DIR.
set -u
SRC="${DUBAN_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BIN="${DUBAN_BIN_DIR:-}"
[ -n "$BIN" ] || { echo "corpus_score: DUBAN_BIN_DIR is not set" >&2; exit 2; }
[ -x "$BIN/duban-ingest" ] || { echo "corpus_score: no $BIN/duban-ingest"; echo "0 passed, 2 failed"; exit 1; }

#            part  documents tasks lead due
FLOORS=("dev    97 91 98 97"
        "test   89 74 88 90")
pass=0 fail=0
for row in "${FLOORS[@]}"; do
  read -r part fdoc ftask flead fdue <<<"$row"
  out=$(python3 "$SRC/tests/gold/score.py" --bin-dir "$BIN" --goals corpus --quiet \
        --gold-dir "$SRC/tests/corpus/$part" --text-dir "$SRC/tests/corpus/$part" \
        --label "tests/corpus/$part" 2>&1)
  echo "== tests/corpus/$part =="
  echo "$out" | sed -n '/^SCORES/,$p' | grep -v '^[0-9]* passed'
  got=$(echo "$out" | python3 -c '
import re, sys
t = sys.stdin.read()
def pct(label):
    m = re.search(r"^\s+" + label + r"\s+([0-9.]+)%", t, re.M)
    return m.group(1) if m else "0"
m = re.search(r"\] right tasks flagged\s+([0-9.]+)%", t)
print(pct("documents found"), pct("tasks found"), pct("lead units exact"), pct("due date exact"),
      m.group(1) if m else "100")')
  read -r gdoc gtask glead gdue gfp <<<"$got"
  ok=$(python3 -c "print(int($gdoc >= $fdoc and $gtask >= $ftask and $glead >= $flead and $gdue >= $fdue and $gfp < 10))")
  if [ "$ok" = 1 ]; then
    pass=$((pass + 1)); echo "ok   $part: documents $gdoc, tasks $gtask, lead $glead, due $gdue (floors $fdoc/$ftask/$flead/$fdue); right tasks flagged $gfp (goal < 10)"
  else
    fail=$((fail + 1)); echo "FAIL $part: documents $gdoc, tasks $gtask, lead $glead, due $gdue (floors $fdoc/$ftask/$flead/$fdue); right tasks flagged $gfp (goal < 10)"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
