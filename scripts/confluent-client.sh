#!/usr/bin/env bash
# scripts/confluent-client.sh: Confluent's Python client (confluent-kafka from
# PyPI, with its Schema Registry client and Avro serdes) in a virtual
# environment of its own, for the interop test that reads duban's topics with
# it (tests/integration/interop_confluent.sh). Installs python3-venv from
# Debian if missing, then the version pinned in
# tests/integration/confluent-requirements.txt, once. Prints the venv's
# python on stdout.
# Environment: DUBAN_CONFLUENT_VENV (default ~/.cache/duban/confluent-venv).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
REQ=$SRC/tests/integration/confluent-requirements.txt
VENV=${DUBAN_CONFLUENT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/duban/confluent-venv}
say() { echo "confluent-client.sh: $*" >&2; }

if [ ! -x "$VENV/bin/python" ] || [ "$REQ" -nt "$VENV/.complete" ]; then
    if ! /usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null; then
        say "installing python3-venv"
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
    fi
    say "installing $(grep -v '^#' "$REQ" | paste -sd' ') into $VENV"
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    /usr/bin/python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ" >"$VENV.log" 2>&1 \
        || { say "pip install failed: $(tail -3 "$VENV.log")"; exit 1; }
    touch "$VENV/.complete"
fi
"$VENV/bin/python" -c 'import confluent_kafka.schema_registry.avro' \
    || { say "confluent_kafka does not import in $VENV"; exit 1; }
echo "$VENV/bin/python"
