#!/bin/sh
# Run the web tests on a throw-away PostgreSQL cluster: initdb into a temporary folder, listen on a
# Unix socket in that folder only (no TCP), run pytest against it, then stop and remove the cluster,
# also when the tests fail or the run is interrupted.
#
# Usage: tools/pgtest.sh [PYTEST ARGS...]   (default: tests/web)
#        tools/pgtest.sh --run COMMAND [ARGS...]   (any command, e.g. a benchmark, with SECURABLE_DB_* set)
# Installs Debian's postgresql package when missing (as root, or with sudo).
set -eu

PYTEST="${PYTEST:-.venv/bin/pytest}"

find_bin() {
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/pg_ctl" ]; then echo "$dir"; fi
  done | sort -V | tail -n 1
}

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql
  BIN="$(find_bin)"
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres system user.
if [ "$(id -u)" = 0 ]; then
  AS="runuser -u postgres --"
else
  AS=""
fi

DIR="$(mktemp -d /tmp/securable-pgtest.XXXXXX)"
[ -z "$AS" ] || chown postgres "$DIR"
chmod 700 "$DIR"

cleanup() {
  $AS "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

$AS "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log"; exit 1; }
# Throw-away data: no fsync; listen_addresses='' means no TCP socket at all.
$AS "$BIN/pg_ctl" -D "$DIR/data" -w -l "$DIR/server.log" \
  -o "-c listen_addresses='' -c unix_socket_directories='$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$DIR/server.log"; exit 1; }

export SECURABLE_DB_ENGINE=postgresql SECURABLE_DB_NAME=securable SECURABLE_DB_USER=postgres SECURABLE_DB_HOST="$DIR"
status=0
if [ "${1:-}" = "--run" ]; then
  shift
  "$@" || status=$?
else
  if [ "$#" = 0 ]; then set -- tests/web; fi
  "$PYTEST" -q -p no:cacheprovider "$@" || status=$?
fi
exit "$status"
