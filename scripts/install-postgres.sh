#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries when no initdb is found. odoo-stream never uses the
# cluster the package may create: tests and `npm start` run their own private cluster.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-postgres: PostgreSQL server binaries are missing; run as root or: sudo apt-get install postgresql" >&2
  exit 1
fi
echo "install-postgres: installing PostgreSQL server binaries with apt-get" >&2
mkdir -p /etc/postgresql-common
grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf ||
  echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
ls /usr/lib/postgresql/*/bin/initdb >/dev/null
