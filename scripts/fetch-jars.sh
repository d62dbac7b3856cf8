#!/usr/bin/env bash
# Fetches the jars a scripts/<set>/pom.xml lists (and their runtime dependencies) from Maven Central
# into .cache/<set>/<version>/libs, only when they are not there yet. Prints the libs folder.
#   scripts/fetch-jars.sh kafka      the broker and Kafka's command-line tools
#   scripts/fetch-jars.sh debezium   Kafka Connect and Debezium's PostgreSQL connector (benches)
# The pom names the version (<jars.version>) and one jar that a complete fetch holds (<jars.marker>).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
set_name="${1:?usage: scripts/fetch-jars.sh <kafka|debezium>}"
pom="$root/scripts/$set_name/pom.xml"
[ -f "$pom" ] || { echo "fetch-jars: no $pom" >&2; exit 2; }
property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$pom" | head -n 1; }
version="$(property jars.version)"
marker="$(property jars.marker | sed "s/\${jars.version}/$version/")"
if [ "$set_name" = kafka ]; then
  cache="${KAFKA_CACHE_DIR:-$root/.cache/kafka}/$version"
else
  cache="$root/.cache/$set_name/$version"
fi
libs="$cache/libs"

if [ -f "$cache/.complete" ]; then
  echo "$libs"
  exit 0
fi
command -v mvn >/dev/null || { echo "fetch-jars: Maven (mvn) is needed to fetch the $set_name jars; install it (apt-get install maven)" >&2; exit 1; }
command -v java >/dev/null || { echo "fetch-jars: Java 17 is needed to run $set_name; install it (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }

echo "fetch-jars: fetching $set_name $version from Maven Central into $libs" >&2
rm -rf "$libs"
mkdir -p "$libs"
# Maven's output (colour resets even in quiet mode) is shown only when the fetch fails.
if ! out="$(mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" 2>&1)"; then
  printf '%s\n' "$out" >&2
  echo "fetch-jars: Maven could not fetch the $set_name jars (see above)" >&2
  exit 1
fi
[ -f "$libs/$marker" ] || { echo "fetch-jars: $marker missing after the fetch" >&2; exit 1; }
touch "$cache/.complete"
echo "$libs"
