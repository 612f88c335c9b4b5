#!/usr/bin/env bash
# scripts/test.sh: the README's test command. Installs what is missing,
# builds with -Werror, and runs the whole CTest suite (unit, fixtures,
# fuzz-corpus replays, integration tests with real processes over sockets).
#   scripts/test.sh            build/ and ctest
#   scripts/test.sh --asan     the same under AddressSanitizer + UBSan (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
# docker-compose validates docker/docker-compose.yml (no engine needed).
export DUBAN_EXTRA_PACKAGES="docker-compose ${DUBAN_EXTRA_PACKAGES:-}"
if [ "${1:-}" = "--asan" ]; then
    scripts/setup.sh build-asan -DDUBAN_SANITIZE=ON -DDUBAN_WERROR=ON
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    cd build-asan
else
    scripts/setup.sh build -DDUBAN_WERROR=ON
    cd build
fi
ctest --output-on-failure -j2 --timeout 600
