# Start and stop a throwaway PostgreSQL cluster on 127.0.0.1 for the tests.
# Sourced by .ci/run; usable by hand: `source .ci/postgres.sh && start_postgres`.
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
# user (created if missing) through runuser; otherwise as the current user.
# If a server already answers on the port (another checkout's, or an earlier run),
# it is reused and left running: start_postgres never deletes a live cluster, and
# stop_postgres stops only a server this shell started.
PG_PORT="${PG_PORT:-54329}"
PG_DIR="${PG_DIR:-/tmp/navigator-ci-pg}"

_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] && command -v initdb >/dev/null 2>&1; then
    dir=$(dirname "$(command -v initdb)")
  fi
  echo "$dir"
}

_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

_pg_as() {
  local user=$1; shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

_pg_export() {
  local bin=$1 user=$2
  export NAVIGATOR_TEST_POSTGRES_URL="postgresql+psycopg://navigator@127.0.0.1:$PG_PORT/navigator_test"
  export NAVIGATOR_TEST_PG_CTL="$bin/pg_ctl"
  export NAVIGATOR_TEST_PG_DATA="$PG_DIR/data"
  export NAVIGATOR_TEST_PG_USER="$user"
}

_pg_ensure_database() {
  local bin=$1 user=$2 exists
  exists=$(_pg_as "$user" "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U navigator -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'navigator_test'" 2>/dev/null || true)
  if [ "$exists" != "1" ]; then
    _pg_as "$user" "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U navigator navigator_test
  fi
}

start_postgres() {
  local bin user
  bin=$(_pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "ci: PostgreSQL is not installed (apt-get install postgresql)" >&2
    return 1
  fi
  user=$(_pg_user)
  if [ "$(id -u)" -eq 0 ] && ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home "$user"
  fi
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    _pg_ensure_database "$bin" "$user" || return 1
    _pg_export "$bin" "$user"
    echo "ci: reusing the PostgreSQL already running on 127.0.0.1:$PG_PORT"
    return 0
  fi
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then  # a stale cluster: stop it before replacing it
    _pg_as "$user" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR" && mkdir -p "$PG_DIR" && chown "$user" "$PG_DIR"
  _pg_as "$user" "$bin/initdb" -D "$PG_DIR/data" -U navigator --auth=trust --no-sync \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  if ! _pg_as "$user" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
    -o "-k $PG_DIR -h 127.0.0.1 -p $PG_PORT -c fsync=off -c max_connections=300" \
    start >/dev/null; then
    echo "ci: PostgreSQL did not start; its log says:" >&2
    tail -n 20 "$PG_DIR/log" >&2
    return 1
  fi
  _pg_ensure_database "$bin" "$user" || return 1
  _pg_export "$bin" "$user"
  NAVIGATOR_CI_PG_STARTED=1
  echo "ci: PostgreSQL on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  local bin
  [ "${NAVIGATOR_CI_PG_STARTED:-}" = 1 ] || return 0
  bin=$(_pg_bin)
  _pg_as "$(_pg_user)" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  NAVIGATOR_CI_PG_STARTED=
}
