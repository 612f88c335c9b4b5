#!/usr/bin/env bash
# tests/integration/lib/realkafka.sh: the real Apache Kafka behind the CTest
# label `realkafka` (scripts/kafka.sh, data in $DUBAN_REAL_KAFKA_DIR, free
# ports). CTest runs `setup` and `cleanup` as the fixture around the label's
# tests; each test calls `reset N` (through start_broker in common.bash),
# which deletes duban's topics, so the offsets committed on them go too, and
# creates them again with N partitions as duban-topics does: every test starts
# from empty topics, as it does on a fresh duban-broker.
#   realkafka.sh setup | cleanup | reset PARTITIONS   (reset prints the bootstrap)
# DUBAN_REAL_KAFKA_BROKERS=3 starts three brokers (KRaft quorum of three).
set -euo pipefail
: "${DUBAN_REAL_KAFKA_DIR:?realkafka.sh needs DUBAN_REAL_KAFKA_DIR}"
SRC=${DUBAN_SRC_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
KAFKA=$SRC/scripts/kafka.sh
DIR=$DUBAN_REAL_KAFKA_DIR

duban_topics_listed() {
    kcat -b "$1" -L -m 5 2>/dev/null | grep -c 'topic "duban\.' || true
}

case ${1:-} in
    setup)
        [ ! -f "$DIR/cluster.env" ] || "$KAFKA" stop --dir "$DIR" >/dev/null 2>&1 || true
        rm -rf "$DIR"
        "$KAFKA" start --dir "$DIR" --port 0 --brokers "${DUBAN_REAL_KAFKA_BROKERS:-1}"
        ;;
    cleanup)
        "$KAFKA" stop --dir "$DIR"
        rm -rf "$DIR"
        ;;
    reset)
        partitions=${2:-4}
        [ -s "$DIR/bootstrap" ] || { echo "realkafka.sh: no cluster in $DIR (run the fixture)" >&2; exit 1; }
        bs=$(head -1 "$DIR/bootstrap")
        "$KAFKA" run org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --delete \
            --if-exists --topic 'duban\..*' >&2
        for _ in $(seq 100); do [ "$(duban_topics_listed "$bs")" -eq 0 ] && break; sleep 0.2; done
        [ "$(duban_topics_listed "$bs")" -eq 0 ] || { echo "realkafka.sh: duban's topics were not deleted" >&2; exit 1; }
        "$DUBAN_BIN_DIR/duban-topics" -b "$bs" --set topics.partitions="$partitions" \
            ${DUBAN_REAL_KAFKA_TOPIC_OPTS:-} >&2
        echo "$bs"
        ;;
    *) echo "usage: realkafka.sh setup | cleanup | reset PARTITIONS" >&2; exit 2 ;;
esac
