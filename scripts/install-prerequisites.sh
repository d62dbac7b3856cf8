#!/usr/bin/env bash
# What odoo-stream needs beyond npm packages, installed only when missing:
#   Java 17 and Maven (to fetch and run the Apache Kafka jars), the Kafka jars themselves,
#   Debian's PostgreSQL server binaries (for the private cluster), and, with --tests,
#   docker-compose (the tests check docker/docker-compose.yml with `docker compose config`),
#   Debian's python3-confluent-kafka and python3-avro (the tests run examples/python), and
#   Debian's chromium (the dashboard's tests drive it with playwright-core).
# Runs before `npm start` and `npm test`; a second run does nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for_tests=false
[ "${1:-}" = "--tests" ] && for_tests=true

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
if $for_tests && ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
  missing+=(docker-compose)
fi
if $for_tests && ! /usr/bin/python3 -c 'import confluent_kafka, avro' >/dev/null 2>&1; then
  missing+=(python3-confluent-kafka python3-avro)
fi
if $for_tests && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "odoo-stream needs: ${missing[*]}; install them (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash "$root/scripts/install-postgres.sh"
bash "$root/scripts/fetch-kafka.sh" >/dev/null
