#!/usr/bin/env bash
# scripts/test.sh: the README's test command. Installs what is missing,
# builds with -Werror, and runs the whole CTest suite (unit, fixtures,
# fuzz-corpus replays, integration tests with real processes over sockets).
#   scripts/test.sh            build/ and ctest
#   scripts/test.sh --asan     the same under AddressSanitizer + UBSan (build-asan/)
#   scripts/test.sh --realkafka  the `realkafka` label: the integration tests that
#                              matter, on real Apache Kafka (scripts/kafka.sh, fetched
#                              with Maven; a CTest fixture starts and stops it)
#   scripts/test.sh --realkafka-faults  the fault tests on three real brokers
#                              (label realkafka-faults; not in .ci/run: three JVMs)
# The plain and --asan runs leave both real-Kafka labels out (ctest -LE realkafka
# is a regular expression: it matches realkafka-faults too).
set -euo pipefail
cd "$(dirname "$0")/.."
# docker-compose validates docker/docker-compose.yml (no engine needed).
export DUBAN_EXTRA_PACKAGES="docker-compose ${DUBAN_EXTRA_PACKAGES:-}"
LABELS=(-LE realkafka)
if [ "${1:-}" = "--realkafka" ] || [ "${1:-}" = "--realkafka-faults" ]; then
    scripts/setup.sh build -DDUBAN_WERROR=ON
    scripts/kafka.sh fetch >/dev/null   # Java, Maven, the Kafka jars (once)
    cd build
    LABELS=(-L "^${1#--}\$")   # exactly that label (-L is a regular expression)
elif [ "${1:-}" = "--asan" ]; then
    scripts/setup.sh build-asan -DDUBAN_SANITIZE=ON -DDUBAN_WERROR=ON
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    cd build-asan
else
    scripts/setup.sh build -DDUBAN_WERROR=ON
    cd build
fi
ctest --output-on-failure -j2 --timeout 600 "${LABELS[@]}"
