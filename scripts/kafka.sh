#!/usr/bin/env bash
# scripts/kafka.sh: a durable local Apache Kafka (KRaft) cluster on 127.0.0.1,
# for running duban on a real broker. The broker comes from Maven Central
# (docker/kafka/pom.xml, copied into a cache folder by `mvn
# dependency:copy-dependencies`; no tarball download); data lives in a
# directory of your choice and survives stop/start.
#
#   scripts/kafka.sh start  [--dir DIR] [--brokers 1|3] [--port BASE]
#                           [--bootstrap-file FILE] [--heap 512m]
#   scripts/kafka.sh stop   [--dir DIR]            SIGTERM, then SIGKILL after 60 s
#   scripts/kafka.sh status [--dir DIR]            exit 0 when every node runs
#   scripts/kafka.sh kill   [--dir DIR] NODE       SIGKILL one node (fault tests)
#   scripts/kafka.sh fetch                         only fetch the jars
#   scripts/kafka.sh run    CLASS [ARGS...]        a Java tool on the Kafka class path
#
# The first `start` on an empty DIR picks the ports (BASE, default 9092; 0 =
# free ports found at that moment), formats KRaft storage and remembers both
# in DIR/cluster.env; later starts reuse them, and start only starts the nodes
# that are not running (so it also brings back a node after `kill`). With
# --brokers 3 every node is broker and controller, with a three-voter quorum.
# The bootstrap servers are printed as the first line on stdout and written
# to DIR/bootstrap and to --bootstrap-file (as duban-broker does), so every
# duban program takes `-b @FILE`.
# Environment: DUBAN_KAFKA_DIR (default DIR, ./duban-kafka), DUBAN_KAFKA_CACHE
# (jars; default ~/.cache/duban/kafka-VERSION), DUBAN_KAFKA_HEAP (512m).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
POM=$SRC/docker/kafka/pom.xml
LOG4J=$SRC/docker/kafka/log4j2.properties

TOOL=kafka.sh
# shellcheck source=lib/java_tools.bash
source "$SRC/scripts/lib/java_tools.bash"

kafka_version() { pom_property "$POM" kafka.version; }

# fetch: the jars into the cache folder once; sets CP.
fetch() {
    install_missing java:default-jre-headless mvn:maven kcat:kcat
    local version cache
    version=$(kafka_version)
    cache=${DUBAN_KAFKA_CACHE:-$(maven_cache_dir "kafka-$version")}
    if maven_cache_stale "$cache"; then
        say "fetching Apache Kafka $version with Maven into $cache"
        maven_run "$cache" dependency:copy-dependencies -DincludeScope=runtime \
            -DoutputDirectory="$cache/libs"
        touch "$cache/.complete"
    fi
    CP="$cache/libs/*"
}

java_run() { java -Xmx256m -XX:+UseSerialGC -cp "$CP" "$@"; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---- cluster.env: NODES, CLUSTER_ID, BROKER_PORT_<n>, CONTROLLER_PORT_<n> ----
load_env() { [ -f "$DIR/cluster.env" ] && . "$DIR/cluster.env"; }

broker_port() { local v="BROKER_PORT_$1"; echo "${!v}"; }
controller_port() { local v="CONTROLLER_PORT_$1"; echo "${!v}"; }

bootstrap_list() {
    local n out=""
    for n in $(seq "$NODES"); do out+="${out:+,}127.0.0.1:$(broker_port "$n")"; done
    echo "$out"
}

new_cluster() {
    local base=$1 n
    mkdir -p "$DIR"
    {
        echo "NODES=$NODES"
        echo "CLUSTER_ID=$(java_run kafka.tools.StorageTool random-uuid)"
        for n in $(seq "$NODES"); do
            if [ "$base" = 0 ]; then
                echo "BROKER_PORT_$n=$(free_port)"
                echo "CONTROLLER_PORT_$n=$(free_port)"
            else
                echo "BROKER_PORT_$n=$((base + n - 1))"
                echo "CONTROLLER_PORT_$n=$((base + 100 + n - 1))"
            fi
        done
    } >"$DIR/cluster.env.tmp"
    mv "$DIR/cluster.env.tmp" "$DIR/cluster.env"
}

write_properties() {
    local n=$1 voters="" m rf isr
    rf=$((NODES < 3 ? NODES : 3))
    isr=$((NODES < 2 ? 1 : 2))
    for m in $(seq "$NODES"); do voters+="${voters:+,}$m@127.0.0.1:$(controller_port "$m")"; done
    cat >"$DIR/node-$n/server.properties" <<EOF
# written by scripts/kafka.sh; edit DIR/cluster.env or the script, not this file
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(broker_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(broker_port "$n")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/node-$n/data
# duban creates its own topics (Admin API), as on an operator's cluster
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=$rf
min.insync.replicas=$isr
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$isr
group.initial.rebalance.delay.ms=0
# a small machine: few threads
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
}

node_pid() {
    local f="$DIR/node-$1/pid" pid
    [ -f "$f" ] || return 1
    pid=$(cat "$f")
    kill -0 "$pid" 2>/dev/null || return 1
    # the pid must still be our java (pids are reused)
    grep -q "node-$1/server.properties" "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

start_node() {
    local n=$1 heap=$2
    mkdir -p "$DIR/node-$n"
    write_properties "$n"
    if [ ! -f "$DIR/node-$n/data/meta.properties" ]; then
        java_run kafka.tools.StorageTool format -t "$CLUSTER_ID" \
            -c "$DIR/node-$n/server.properties" >"$DIR/node-$n/format.log" 2>&1 \
            || die "formatting node $n failed: $(tail -3 "$DIR/node-$n/format.log")"
    fi
    # setsid: the node outlives this script and a test's process group.
    setsid java -Xmx"$heap" -Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        -Djava.awt.headless=true -Dkafka.logs.dir="$DIR/node-$n" \
        -Dlog4j2.configurationFile="$LOG4J" -cp "$CP" \
        kafka.Kafka "$DIR/node-$n/server.properties" \
        >"$DIR/node-$n/stdout.log" 2>&1 </dev/null &
    echo $! >"$DIR/node-$n/pid"
}

# ready: every node is up and Metadata lists all brokers.
cluster_ready() {
    local n
    for n in $(seq "$NODES"); do node_pid "$n" >/dev/null || return 1; done
    local brokers
    brokers=$(kcat -b "$(bootstrap_list)" -L -m 3 2>/dev/null | sed -n 's/^ \([0-9]*\) brokers:$/\1/p')
    [ "${brokers:-0}" -eq "$NODES" ]
}

publish_bootstrap() {
    local bs
    bs=$(bootstrap_list)
    echo "$bs" >"$DIR/bootstrap.tmp" && mv "$DIR/bootstrap.tmp" "$DIR/bootstrap"
    if [ -n "$BOOTSTRAP_FILE" ]; then
        echo "$bs" >"$BOOTSTRAP_FILE.tmp" && mv "$BOOTSTRAP_FILE.tmp" "$BOOTSTRAP_FILE"
    fi
    echo "$bs"
}

cmd_start() {
    fetch
    local want_nodes=$BROKERS
    if load_env; then
        [ -z "$want_nodes" ] || [ "$want_nodes" = "$NODES" ] \
            || die "$DIR holds a $NODES-node cluster; --brokers $want_nodes needs another --dir"
    else
        NODES=${want_nodes:-1}
        case $NODES in 1|3) ;; *) die "--brokers 1 or 3" ;; esac
        new_cluster "$PORT_BASE"
        load_env
    fi
    local n started=0
    for n in $(seq "$NODES"); do
        node_pid "$n" >/dev/null && continue
        start_node "$n" "$HEAP"
        started=$((started + 1))
    done
    local i
    for i in $(seq 240); do
        cluster_ready && break
        for n in $(seq "$NODES"); do
            node_pid "$n" >/dev/null \
                || die "node $n exited: $(tail -5 "$DIR/node-$n/stdout.log" "$DIR/node-$n/server.log" 2>/dev/null)"
        done
        sleep 0.5
    done
    cluster_ready || die "the cluster in $DIR is not ready after 120 s (see $DIR/node-*/server.log)"
    say "$NODES node(s) up in $DIR ($started started)"
    publish_bootstrap
}

cmd_stop() {
    load_env || die "no cluster in $DIR"
    local n pid pids=()
    for n in $(seq "$NODES"); do
        pid=$(node_pid "$n") || continue
        kill -TERM "$pid"
        pids+=("$pid")
    done
    local i
    for i in $(seq 120); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break
        sleep 0.5
    done
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null && { say "pid $pid did not stop in 60 s: SIGKILL"; kill -KILL "$pid"; }
    done
    for n in $(seq "$NODES"); do rm -f "$DIR/node-$n/pid"; done
    say "stopped (${#pids[@]} node(s)); data kept in $DIR"
}

cmd_kill() {
    load_env || die "no cluster in $DIR"
    local n=${1:?kill NODE}
    local pid
    pid=$(node_pid "$n") || die "node $n is not running"
    kill -KILL "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    echo "killed node $n (pid $pid)"
}

cmd_status() {
    load_env || { echo "no cluster in $DIR"; return 3; }
    local n pid up=0
    for n in $(seq "$NODES"); do
        if pid=$(node_pid "$n"); then
            echo "node $n: running (pid $pid) broker 127.0.0.1:$(broker_port "$n")"
            up=$((up + 1))
        else
            echo "node $n: stopped"
        fi
    done
    echo "bootstrap: $(bootstrap_list)"
    [ "$up" -eq "$NODES" ] || return 3
}

CMD=${1:-}
[ -n "$CMD" ] && shift
DIR=${DUBAN_KAFKA_DIR:-duban-kafka}
BROKERS="" PORT_BASE=9092 BOOTSTRAP_FILE="" HEAP=${DUBAN_KAFKA_HEAP:-512m}
ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --dir) DIR=${2:?--dir DIR}; shift 2 ;;
        --brokers) BROKERS=${2:?--brokers N}; shift 2 ;;
        --port) PORT_BASE=${2:?--port BASE}; shift 2 ;;
        --bootstrap-file) BOOTSTRAP_FILE=${2:?--bootstrap-file FILE}; shift 2 ;;
        --heap) HEAP=${2:?--heap SIZE}; shift 2 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done
[ "$CMD" != start ] || mkdir -p "$DIR" || die "cannot create --dir $DIR"
if [ -d "$DIR" ]; then DIR=$(cd "$DIR" && pwd); fi
case $CMD in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    kill) cmd_kill "${ARGS[@]}" ;;
    fetch) fetch; echo "$CP" ;;
    run) fetch; java_run "${ARGS[@]}" ;;
    help|--help|-h) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) sed -n '7,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
