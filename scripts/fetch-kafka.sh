#!/usr/bin/env bash
# Fetches the Apache Kafka broker and tools jars from Maven Central into .cache/kafka/<version>/libs,
# only when they are not there yet. Prints the libs folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pom="$root/scripts/kafka/pom.xml"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")"
cache="${KAFKA_CACHE_DIR:-$root/.cache/kafka}/$version"
libs="$cache/libs"

if [ -f "$cache/.complete" ]; then
  echo "$libs"
  exit 0
fi
command -v mvn >/dev/null || { echo "fetch-kafka: Maven (mvn) is needed to fetch the Kafka jars; install it (apt-get install maven)" >&2; exit 1; }
command -v java >/dev/null || { echo "fetch-kafka: Java 17 is needed to run Kafka; install it (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }

echo "fetch-kafka: fetching Apache Kafka $version from Maven Central into $libs" >&2
rm -rf "$libs"
mkdir -p "$libs"
# Maven's output (colour resets even in quiet mode) is shown only when the fetch fails.
if ! out="$(mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" 2>&1)"; then
  printf '%s\n' "$out" >&2
  echo "fetch-kafka: Maven could not fetch the Kafka jars (see above)" >&2
  exit 1
fi
[ -f "$libs/kafka_2.13-$version.jar" ] || { echo "fetch-kafka: kafka_2.13-$version.jar missing after the fetch" >&2; exit 1; }
touch "$cache/.complete"
echo "$libs"
