#!/usr/bin/env bash
# scripts/setup.sh: install what duban needs on Debian 12, only what is
# missing (so a second run costs nothing), then configure and build.
#   scripts/setup.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
shift || true

# Build and run time: compiler, CMake, the four chosen libraries, and the
# three added ones (libmicrohttpd: HTTP receiver/fake registry, /metrics;
# OpenSSL: SHA-256/HMAC; iconv is in libc). Tests: kcat + python3-avro
# (interop), python3-prometheus-client (parses /metrics), wrk (benchmark
# baseline), clang + libclang-rt (libFuzzer, sanitizers), chromium (renders
# `duban-analytics report` headless: screenshot and DOM, analytics_report) with
# fonts-wqy-microhei (a CJK font, so the screenshot shows the Chinese labels).
# libpq-dev: duban-analytics' PostgreSQL backend (--db postgresql://...);
# postgresql: the server its tests and benchmark start themselves (initdb +
# pg_ctl in a temp dir; no system cluster used). valgrind: ingest_memcheck
# reads the parser under memcheck (uninitialised reads, which ASan misses).
PACKAGES=(gcc make cmake pkg-config librdkafka-dev libavro-dev libcurl4-openssl-dev
          libjansson-dev libmicrohttpd-dev libssl-dev libsqlite3-dev sqlite3 kcat python3 python3-avro
          python3-prometheus-client wrk libpq-dev postgresql
          clang libclang-rt-14-dev chromium fonts-wqy-microhei valgrind ${DUBAN_EXTRA_PACKAGES:-})
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cmake -S . -B "$BUILD_DIR" "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
