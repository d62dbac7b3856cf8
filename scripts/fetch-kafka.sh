#!/usr/bin/env bash
# Fetches the Apache Kafka broker and tools jars from Maven Central into .cache/kafka/<version>/libs,
# only when they are not there yet. Prints the libs folder.
exec bash "$(dirname "${BASH_SOURCE[0]}")/fetch-jars.sh" kafka
