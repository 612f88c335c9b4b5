#!/usr/bin/env bash
# docker/docker-compose.yml is a valid Compose file (docker-compose config;
# no container is started: no engine is needed) and every duban service in it
# talks to the compose Kafka and Schema Registry. Without docker-compose
# (Debian package docker-compose) it prints SKIP and passes.
set -euo pipefail
SRC=${DUBAN_SRC_DIR:-$(pwd)}
FILE=$SRC/docker/docker-compose.yml
if ! command -v docker-compose >/dev/null; then
    echo "SKIP docker_compose_config: docker-compose not installed (apt-get install docker-compose)"
    exit 0
fi
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
docker-compose -f "$FILE" config >"$OUT"
services=$(docker-compose -f "$FILE" config --services | sort | tr '\n' ' ')
echo "services: $services"
status=0
for svc in kafka schema-registry duban-ingest duban-status duban-alerter duban-notifier duban-receiver; do
    case " $services " in *" $svc "*) ;; *) echo "FAIL: service $svc missing"; status=1 ;; esac
done
# Each Kafka client service: -b kafka:9092 and the registry URL.
for svc in duban-ingest duban-status duban-alerter duban-notifier; do
    block=$(awk -v s="  $svc:" '$0==s{on=1;next} on&&/^  [a-z]/{on=0} on' "$OUT")
    grep -q 'kafka:9092' <<<"$block" || { echo "FAIL: $svc not pointed at kafka:9092"; status=1; }
    grep -q 'schema.registry.url=http://schema-registry:8081' <<<"$block" ||
        { echo "FAIL: $svc has no schema.registry.url"; status=1; }
done
# The programs the services run should be programs this repository builds.
for prog in $(grep -o 'duban-[a-z-]*' "$OUT" | grep -v -e '^duban-.*:' | sort -u); do
    name=${prog#duban-}
    if [ "$name" = latest ]; then continue; fi
    found=0
    for d in producers consumers tools bench; do [ -f "$SRC/$d/$name/main.c" ] && found=1; done
    if [ "$found" = 0 ]; then
        echo "WARN: compose runs $prog, which no producers/ consumers/ tools/ folder builds yet"
    fi
done
[ "$status" = 0 ] && echo "docker-compose.yml: valid (docker-compose $(docker-compose version --short)); not run: no Docker engine here"
exit "$status"
