# Start and stop a throwaway PostgreSQL cluster on 127.0.0.1 for the tests.
# Sourced by .ci/run; usable by hand: `source .ci/postgres.sh && start_postgres`.
PG_PORT="${PG_PORT:-54329}"
PG_DIR="${PG_DIR:-/tmp/navigator-ci-pg}"

_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  echo "${dir:-$(dirname "$(command -v initdb)")}"
}

start_postgres() {
  local bin user
  bin=$(_pg_bin)
  user=postgres
  id "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user"
  rm -rf "$PG_DIR" && mkdir -p "$PG_DIR" && chown "$user" "$PG_DIR"
  runuser -u "$user" -- "$bin/initdb" -D "$PG_DIR/data" -U navigator --auth=trust >/dev/null
  runuser -u "$user" -- "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-k /tmp -h 127.0.0.1 -p $PG_PORT -c fsync=off" start >/dev/null
  runuser -u "$user" -- "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U navigator navigator_test
  export NAVIGATOR_TEST_POSTGRES_URL="postgresql+psycopg://navigator@127.0.0.1:$PG_PORT/navigator_test"
  export NAVIGATOR_TEST_PG_CTL="$bin/pg_ctl"
  export NAVIGATOR_TEST_PG_DATA="$PG_DIR/data"
  export NAVIGATOR_TEST_PG_USER="$user"
  echo "ci: PostgreSQL on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  local bin
  bin=$(_pg_bin)
  runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
}
