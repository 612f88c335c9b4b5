#!/usr/bin/env bash
# bench/run.sh: every duban benchmark, each next to its baseline measured in
# the same run. Single-threaded where the measure is per core. Numbers go to
# stdout; copy them into README.md "Benchmarks" with the machine's load.
#   bench/run.sh [produce|parse|rules|alerter|notify|status|replay|verify|analytics|produce-kafka|rebuild-kafka|e2e-kafka]...
#                                  (default: all but the -kafka ones)
# produce-kafka starts a one-node Apache Kafka (scripts/kafka.sh, free ports,
# data in a temporary directory, removed afterwards) and runs, in the same
# run: duban-bench-produce (duban's Avro path and raw librdkafka, same sizes,
# idempotent, acks=all), then Kafka's own ProducerPerformance (the class
# behind kafka-producer-perf-test) with the same record size and acks=all.
# DUBAN_BENCH_KAFKA_N (default 200000) events per round, 3 rounds (the
# Java tool: 2 rounds of 3 N records, a JVM each).
# rebuild-kafka: the alerter's state rebuild from a real 4-partition
# duban.tasks.v1 (one Apache Kafka node, scripts/kafka.sh, data in a
# temporary directory, removed afterwards): duban-bench-alerter --skip-engine
# --bootstrap produces DUBAN_BENCH_REBUILD_TASKS (default 1000000) open tasks,
# starts duban-alerter (rebuild from the tasks), restarts it (rebuild again,
# alerts already sent read back), and prints each rebuild's time from
# assignment ("N partitions rebuilt in M ms" in the alerter's log); then the
# broker's disk use per task: the tasks topic's partition directories (du,
# allocated blocks) and its log segments' bytes, over the task count.
# e2e-kafka: the whole pipeline on a three-node cluster (bench/e2e_kafka.sh:
# gazette in, alerts due at 1,000/s on a simulated clock, webhook received;
# BROKERS=1 for one node).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
BIN=build/bin
export DUBAN_SHARED_DIR=${DUBAN_SHARED_DIR:-$(cd .. && pwd)/shared}
which=("$@")
[ ${#which[@]} -gt 0 ] || which=(produce parse rules alerter notify status replay verify analytics)
# kafka_start: a one-node Apache Kafka in a new temporary dir $W (free ports;
# stopped and removed by kafka_stop, and at exit); sets BS.
kafka_stop() { scripts/kafka.sh stop --dir "$W/kafka" >/dev/null 2>&1 || true; rm -rf "$W"; }
kafka_start() {
    W=$(mktemp -d)
    trap kafka_stop EXIT
    scripts/kafka.sh start --dir "$W/kafka" --port 0 --brokers 1 --bootstrap-file "$W/bs" >/dev/null
    BS=$(cat "$W/bs")
}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
for b in "${which[@]}"; do
    echo "== $b =="
    case $b in
    produce)
        W=$(mktemp -d)
        "$BIN/duban-broker" --partitions 4 --bootstrap-file "$W/bs" >/dev/null 2>&1 &
        broker=$!
        for _ in $(seq 50); do [ -s "$W/bs" ] && break; sleep 0.1; done
        # events in cache, as ingest encodes them; then cold from memory
        for distinct in 64 4096; do
            "$BIN/duban-bench-produce" -b @"$W/bs" -n 300000 --rounds 5 --distinct "$distinct" || true
        done
        kill "$broker"; wait "$broker" 2>/dev/null || true; rm -rf "$W" ;;
    produce-kafka)
        kafka_start
        N=${DUBAN_BENCH_KAFKA_N:-200000}
        # auto-create is off: duban's topics (duban.tasks.v1, 4 partitions)
        # by duban-topics, the baselines' topics with the same partitions
        "$BIN/duban-topics" -b "$BS" >/dev/null
        for t in bench.raw bench.perf; do
            scripts/kafka.sh run org.apache.kafka.tools.TopicCommand --bootstrap-server "$BS" \
                --create --if-not-exists --topic "$t" --partitions 4 >/dev/null
        done
        "$BIN/duban-bench-produce" -b "$BS" -n "$N" --rounds 3 --distinct 64 | tee "$W/duban.out"
        size=$(sed -n 's/.*mean encoded size \([0-9]*\) bytes.*/\1/p' "$W/duban.out")
        # a JVM per round: 3 N records each, so that its JIT warm-up weighs less
        echo "Kafka's ProducerPerformance (kafka-producer-perf-test), $((3 * N)) records of $size bytes, no key, acks=all, idempotent:"
        for r in 1 2; do
            scripts/kafka.sh run org.apache.kafka.tools.ProducerPerformance --topic bench.perf \
                --num-records "$((3 * N))" --record-size "${size:-534}" --throughput -1 \
                --producer-props bootstrap.servers="$BS" acks=all enable.idempotence=true 2>/dev/null \
                | tail -1 | sed "s/^/round $r: /"
        done
        kafka_stop; trap - EXIT ;;
    rebuild-kafka)
        kafka_start
        N=${DUBAN_BENCH_REBUILD_TASKS:-1000000}
        "$BIN/duban-topics" -b "$BS" --set topics.partitions=4 >/dev/null
        "$BIN/duban-bench-alerter" --skip-engine --tasks "$N" --bootstrap "$BS" --partitions 4
        data=$W/kafka/node-1/data
        used=$(du -sB1 "$data"/duban.tasks.v1-* | awk '{s += $1} END {print s}')
        logs=$(find "$data" -path '*/duban.tasks.v1-*' -name '*.log' -printf '%s\n' \
               | awk '{s += $1} END {print s}')
        alerts=$(du -sB1 "$data"/duban.alerts.v1-* | awk '{s += $1} END {print s}')
        echo "kafka disk: duban.tasks.v1 (4 partitions) $((used / 1048576)) MiB on disk =" \
             "$((used / N)) bytes/task; log segments $((logs / N)) bytes/task;" \
             "duban.alerts.v1 $((alerts / 1048576)) MiB"
        kafka_stop; trap - EXIT ;;
    parse) "$BIN/duban-bench-parse" ;;
    rules) "$BIN/duban-bench-rules" "$DUBAN_SHARED_DIR"/gazettes/*.txt ;;
    alerter) "$BIN/duban-bench-alerter" ;;
    notify) "$BIN/duban-bench-notify" ;;
    status) bench/status.sh "$BIN" ;;
    replay) bench/replay.sh "$BIN" ;;
    verify) bench/verify.sh "$BIN" ;;
    analytics) bench/analytics.sh "$BIN" ;;
    e2e-kafka) bench/e2e_kafka.sh "$BIN" ;;
    *) echo "unknown benchmark $b" >&2; exit 2 ;;
    esac
done
