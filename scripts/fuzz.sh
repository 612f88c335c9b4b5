#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS]: build the libFuzzer targets with clang
# (ASan+UBSan) and run each for SECONDS over a copy of its corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
CC=clang scripts/setup.sh build-fuzz -DDUBAN_FUZZ=ON -DDUBAN_SANITIZE=ON -DDUBAN_WERROR=ON
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1:detect_leaks=1}
status=0
for target in build-fuzz/fuzz/fuzz_*; do
    [ -x "$target" ] || continue
    name=$(basename "$target")
    corpus=$(mktemp -d)
    cp -r tests/fuzz/corpus/"$name"/. "$corpus"/ 2>/dev/null || true
    echo "fuzz: $name for ${SECONDS_EACH}s"
    if ! "$target" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/ "$corpus" \
            >"build-fuzz/$name.log" 2>&1; then
        tail -40 "build-fuzz/$name.log"
        echo "fuzz: $name FAILED (artifact in build-fuzz/)"
        status=1
    else
        grep -E 'stat::number_of_executed_units|cov:' "build-fuzz/$name.log" | tail -2
    fi
    rm -rf "$corpus"
done
exit $status
