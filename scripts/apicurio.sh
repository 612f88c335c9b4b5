#!/usr/bin/env bash
# scripts/apicurio.sh: a real Schema Registry on 127.0.0.1, Apicurio Registry
# 3.0.9 from Maven Central (docker/apicurio/pom.xml; `mvn dependency:copy`
# copies the application's archive into a cache folder once, no other
# download), run with Debian's Java 17 as scripts/kafka.sh runs Kafka. duban
# talks to it through its Confluent-compatible API: the URL printed is
# http://127.0.0.1:PORT/apis/ccompat/v7, the value for schema.registry.url.
#
#   scripts/apicurio.sh start  [--dir DIR] [--port PORT] [--url-file FILE] [--heap 384m]
#   scripts/apicurio.sh stop   [--dir DIR]       SIGTERM, then SIGKILL after 30 s
#   scripts/apicurio.sh status [--dir DIR]       exit 0 when it runs and answers
#   scripts/apicurio.sh fetch                    only fetch and unpack the archive
#
# Storage is Apicurio's default: H2 in memory. The schemas live as long as the
# process; a restart starts with an empty registry (and ids from 1 again).
# DIR holds the pid, the port and the log. --port 0 picks a free port (the
# default is 8080). The URL is printed on stdout and written to DIR/url and to
# --url-file.
# Environment: DUBAN_APICURIO_DIR (default ./duban-apicurio),
# DUBAN_APICURIO_CACHE (default ~/.cache/duban/apicurio-VERSION).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
POM=$SRC/docker/apicurio/pom.xml

TOOL=apicurio.sh
# shellcheck source=lib/java_tools.bash
source "$SRC/scripts/lib/java_tools.bash"

apicurio_version() { pom_property "$POM" apicurio.version; }

# fetch: the archive into the cache folder and unpacked there, once; sets JAR.
fetch() {
    install_missing java:default-jre-headless mvn:maven curl:curl
    local version cache
    version=$(apicurio_version)
    cache=${DUBAN_APICURIO_CACHE:-$(maven_cache_dir "apicurio-$version")}
    if maven_cache_stale "$cache"; then
        say "fetching Apicurio Registry $version with Maven into $cache"
        rm -rf "$cache/app"
        mkdir -p "$cache/app"
        maven_run "$cache" dependency:copy -DoutputDirectory="$cache"
        tar xzf "$cache/apicurio-registry-app.tar.gz" -C "$cache/app" \
            || die "cannot unpack $cache/apicurio-registry-app.tar.gz"
        rm -f "$cache/apicurio-registry-app.tar.gz"
        touch "$cache/.complete"
    fi
    JAR=$(ls "$cache"/app/apicurio-registry-app-*-runner.jar 2>/dev/null | head -1)
    [ -n "$JAR" ] || die "no runner jar in $cache/app"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

registry_pid() {
    local pid
    [ -f "$DIR/pid" ] || return 1
    pid=$(cat "$DIR/pid")
    kill -0 "$pid" 2>/dev/null || return 1
    # the pid must still be our java (pids are reused)
    grep -q "duban.apicurio.dir=$DIR" "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

registry_url() { echo "http://127.0.0.1:$(cat "$DIR/port")/apis/ccompat/v7"; }

answers() { curl -sf -m 2 -o /dev/null "$(registry_url)/subjects"; }

publish_url() {
    local url
    url=$(registry_url)
    echo "$url" >"$DIR/url"
    if [ -n "$URL_FILE" ]; then echo "$url" >"$URL_FILE.tmp" && mv "$URL_FILE.tmp" "$URL_FILE"; fi
    echo "$url"
}

cmd_start() {
    fetch
    mkdir -p "$DIR"
    if registry_pid >/dev/null; then
        say "already running in $DIR"
        publish_url
        return 0
    fi
    local port=$PORT
    [ "$port" != 0 ] || port=$(free_port)
    echo "$port" >"$DIR/port"
    # setsid: the registry outlives this script and a test's process group.
    setsid java -Xmx"$HEAP" -Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        -Dduban.apicurio.dir="$DIR" \
        -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
        -Dquarkus.log.console.color=false \
        -jar "$JAR" >"$DIR/registry.log" 2>&1 </dev/null &
    echo $! >"$DIR/pid"
    local i
    for i in $(seq 240); do
        answers && break
        registry_pid >/dev/null || die "the registry exited: $(tail -5 "$DIR/registry.log")"
        sleep 0.5
    done
    answers || die "the registry in $DIR does not answer after 120 s (see $DIR/registry.log)"
    say "Apicurio Registry $(apicurio_version) up (pid $(cat "$DIR/pid"))"
    publish_url
}

cmd_stop() {
    local pid i
    pid=$(registry_pid) || { say "not running in $DIR"; rm -f "$DIR/pid"; return 0; }
    kill -TERM "$pid"
    for i in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { say "pid $pid did not stop in 30 s: SIGKILL"; kill -KILL "$pid"; }
    rm -f "$DIR/pid"
    say "stopped"
}

cmd_status() {
    local pid
    pid=$(registry_pid) || { echo "stopped"; return 3; }
    answers || { echo "running (pid $pid) but not answering at $(registry_url)"; return 3; }
    echo "running (pid $pid) at $(registry_url)"
}

CMD=${1:-}
[ -n "$CMD" ] && shift
DIR=${DUBAN_APICURIO_DIR:-duban-apicurio}
PORT=8080 URL_FILE="" HEAP=384m
while [ $# -gt 0 ]; do
    case $1 in
        --dir) DIR=${2:?--dir DIR}; shift 2 ;;
        --port) PORT=${2:?--port PORT}; shift 2 ;;
        --url-file) URL_FILE=${2:?--url-file FILE}; shift 2 ;;
        --heap) HEAP=${2:?--heap SIZE}; shift 2 ;;
        *) die "unknown argument $1" ;;
    esac
done
[ "$CMD" != start ] || mkdir -p "$DIR" || die "cannot create --dir $DIR"
if [ -d "$DIR" ]; then DIR=$(cd "$DIR" && pwd); fi
case $CMD in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    fetch) fetch; echo "$JAR" ;;
    help|--help|-h) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) sed -n '9,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
