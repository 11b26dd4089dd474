#!/usr/bin/env bash
# A private PostgreSQL server for the run catalog's tests: Debian's postgresql binaries, a cluster in a
# directory of its own, listening on 127.0.0.1 only, on a fixed non-default port, with a role and a
# database for the tests. Idempotent: a running server is reused, a stopped one restarted, a missing one
# created. Prints the Npgsql connection string on stdout (everything else goes to stderr).
#
#   run-scripts/postgres-test-server.sh          # start (or reuse) and print the connection string
#   run-scripts/postgres-test-server.sh --stop   # stop the server (the cluster directory stays)
#
# Environment: BEAMDAQ_PG_PORT (55432), BEAMDAQ_PG_DIR (/tmp/beamdaq-postgres-test-<user>).
# As root (CI) the cluster runs as the 'postgres' system user, because PostgreSQL refuses to run as root.
set -euo pipefail

port="${BEAMDAQ_PG_PORT:-55432}"
role="beamdaq_test"
password="beamdaq_test"
database="beamdaq_test"
connection="Host=127.0.0.1;Port=$port;Username=$role;Password=$password;Database=$database"

say() { echo "postgres-test-server: $*" >&2; }

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && bindir="$candidate"   # the newest wins (glob order)
done
if [ -z "$bindir" ]; then
  say "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (install Debian's 'postgresql' package: run-scripts/setup.sh)"
  exit 1
fi

# Who runs the server: ourselves, or 'postgres' when we are root.
if [ "$(id -u)" -eq 0 ]; then
  owner="postgres"
  if ! id "$owner" >/dev/null 2>&1; then
    say "running as root but there is no 'postgres' system user to run the server as"
    exit 1
  fi
  as_owner() { runuser -u "$owner" -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

dir="${BEAMDAQ_PG_DIR:-/tmp/beamdaq-postgres-test-$(id -un)}"
data="$dir/data"
socket="$dir/socket"
log="$dir/server.log"

# Superuser SQL through the cluster's own Unix socket (trusted locally; TCP needs the password).
admin_sql() { as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket" -p "$port" -d postgres -tA "$@"; }

stop_server() {
  if [ -f "$data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >&2 || true
  fi
}

if [ "${1:-}" = "--stop" ]; then
  stop_server
  exit 0
fi

# A server somebody already runs on this port with our role works as well as our own.
if PGPASSWORD="$password" "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U "$role" -d "$database" \
     -tA -c "select 1" >/dev/null 2>&1; then
  say "reusing the server on 127.0.0.1:$port"
  echo "$connection"
  exit 0
fi

mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$dir"; fi
chmod 700 "$dir"
as_owner mkdir -p "$socket"

if [ ! -f "$data/PG_VERSION" ]; then
  say "creating a cluster in $data ($bindir)"
  as_owner "$bindir/initdb" -D "$data" -U "$owner" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { say "initdb failed:"; cat "$dir/initdb.log" >&2; exit 1; }
fi

if ! as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  say "starting the server on 127.0.0.1:$port (log: $log)"
  # Only 127.0.0.1, a socket directory of our own (the system one may not be writable), small footprint.
  options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$socket"
  options+=" -c max_connections=60 -c shared_buffers=32MB -c fsync=off -c full_page_writes=off"
  if ! as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -o "$options" -w -t 60 start >&2; then
    say "the server did not start; the end of $log:"
    tail -n 20 "$log" >&2 || true
    exit 1
  fi
fi

# Role and database for the tests (idempotent). CREATEDB so that a test may make a database of its own.
admin_sql -c "do \$\$ begin
  if not exists (select from pg_roles where rolname = '$role') then
    create role $role login createdb password '$password';
  end if; end \$\$;" >/dev/null
if [ "$(admin_sql -c "select 1 from pg_database where datname = '$database'")" != "1" ]; then
  admin_sql -c "create database $database owner $role" >/dev/null
fi

if ! PGPASSWORD="$password" "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U "$role" -d "$database" \
     -tA -c "select 1" >/dev/null 2>&1; then
  say "the server runs but $role cannot log in over 127.0.0.1:$port; see $log"
  exit 1
fi
say "ready on 127.0.0.1:$port (cluster $data, owner $owner)"
echo "$connection"
