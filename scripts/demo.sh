#!/usr/bin/env bash
# `make demo`: a throwaway cluster in .demo/ with the sample county 闽侯县 (350121) loaded,
# landpolicy's view of it printed.  `make demo-stop` stops it and removes .demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=$root/.demo
port=54320
db=landpolicy_demo

scripts/bootstrap.sh
. scripts/cluster.sh

case "${1:-start}" in
  stop)
    cluster_stop "$dir"
    rm -rf "$dir"
    echo "demo stopped and removed"
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

build_and_install
cluster_stop "$dir"
rm -rf "$dir"
cluster_start "$dir" $port

export PGDATABASE=$db
psql -q -X -d postgres -c "CREATE DATABASE $db"
# landpolicy's operators (= on admincode, <@ on landclass …) live in its schema: put it on the path.
psql -q -X -d postgres -c "ALTER DATABASE $db SET search_path = \"\$user\", public, landpolicy"
psql -q -X -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning; CREATE EXTENSION landpolicy CASCADE"
psql -q -X -v ON_ERROR_STOP=1 -f demo/load.sql
psql -X -v ON_ERROR_STOP=1 -f demo/report.sql
psql -q -X -f demo/guards.sql
psql -q -X -f demo/ledgers.sql
psql -q -X -f demo/balances.sql

cat <<MSG

The demo database is running.
  connect:  psql -h $dir -p $port -U postgres $db
  stop:     make demo-stop
MSG
