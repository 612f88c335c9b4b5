# tests/integration/lib/postgres.bash: a throw-away PostgreSQL server for a
# test or benchmark (Debian's postgresql package: initdb and pg_ctl from
# /usr/lib/postgresql/*/bin). Source after common.bash. start_postgres sets
# PG_URL; the server is stopped and its directory removed on exit. As root,
# the server runs as `nobody` (initdb refuses root). A server that cannot
# start is a failure, never a skip.

PG_DIR=""
PG_RUN=()

stop_postgres() {
    [ -n "$PG_DIR" ] || return 0
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
}

# start_postgres [-c name=value ...]: server settings go to postgres itself.
start_postgres() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] \
        || fail "PostgreSQL server not installed (Debian package postgresql; scripts/setup.sh)"
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/duban-pg.XXXXXX")
    chmod 755 "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then
        chown nobody "$PG_DIR"
        PG_RUN=(runuser -u nobody --)
    fi
    trap 'stop_postgres; cleanup' EXIT
    "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U duban -A trust -E UTF8 \
        --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || fail "initdb: $(tail -5 "$PG_DIR/initdb.log")"
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 $*" start >/dev/null 2>&1 \
        || fail "PostgreSQL did not start: $(tail -5 "$PG_DIR/server.log" 2>/dev/null)"
    PG_URL="postgresql://duban@127.0.0.1:$PG_PORT/postgres"
}
