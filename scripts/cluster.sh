# Sourced by test.sh and demo.sh: a throwaway PostgreSQL 15 cluster that needs no system service.
# As root the server runs as the OS user postgres (initdb refuses root); otherwise as the caller.

PGBIN=/usr/lib/postgresql/15/bin
PG_CONFIG=$PGBIN/pg_config
export PGUSER=postgres

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# cluster_start DIR PORT: a fresh cluster in DIR listening only on a socket in DIR.
cluster_start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  as_server_user "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
max_prepared_transactions = 10
lc_messages = 'C'
CONF
  as_server_user "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  export PGHOST=$dir PGPORT=$port
}

cluster_stop() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] && as_server_user "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
  return 0
}

# build_and_install: compile with warnings as errors and install into the PostgreSQL 15 tree.
build_and_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  make -s PG_CONFIG=$PG_CONFIG >/dev/null
  $sudo make -s PG_CONFIG=$PG_CONFIG install >/dev/null
}
