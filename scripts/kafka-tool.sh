#!/usr/bin/env bash
# Runs one of Apache Kafka's own command-line tools from the jar cache (fetched when missing).
#   scripts/kafka-tool.sh topics --bootstrap-server 127.0.0.1:9092 --list
#   scripts/kafka-tool.sh consumer-groups --bootstrap-server 127.0.0.1:9092 --describe --all-groups
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<USAGE
usage: scripts/kafka-tool.sh <tool> [arguments of that tool]

tools:
  topics             org.apache.kafka.tools.TopicCommand (kafka-topics.sh)
  consumer-groups    org.apache.kafka.tools.consumer.group.ConsumerGroupCommand (kafka-consumer-groups.sh)
  console-consumer   org.apache.kafka.tools.consumer.ConsoleConsumer (kafka-console-consumer.sh)
  console-producer   kafka.tools.ConsoleProducer (kafka-console-producer.sh)
  get-offsets        org.apache.kafka.tools.GetOffsetShell (kafka-get-offsets.sh)
  storage            kafka.tools.StorageTool (kafka-storage.sh)
  <main class>       any other main class on the Kafka classpath
USAGE
}

[ $# -ge 1 ] || { usage >&2; exit 2; }
case "$1" in
  -h|--help) usage; exit 0 ;;
  topics) main=org.apache.kafka.tools.TopicCommand ;;
  consumer-groups) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  console-consumer) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  console-producer) main=kafka.tools.ConsoleProducer ;;
  get-offsets) main=org.apache.kafka.tools.GetOffsetShell ;;
  storage) main=kafka.tools.StorageTool ;;
  *.*) main="$1" ;;
  *) echo "kafka-tool: unknown tool '$1'" >&2; usage >&2; exit 2 ;;
esac
shift
libs="$("$root/scripts/fetch-kafka.sh")"
exec java -Dlog4j.configuration="file:$root/scripts/kafka/tools-log4j.properties" -cp "$libs/*" "$main" "$@"
