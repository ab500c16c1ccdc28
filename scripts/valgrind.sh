#!/usr/bin/env bash
# `make valgrind`: the regress suite against a postmaster running under valgrind memcheck.
# Prints each valgrind error whose stack passes through landpolicy.so, and a count; exits
# non-zero if there is any.  (Errors wholly inside PostgreSQL, PostGIS or the dynamic loader —
# uninitialised WAL padding written by pwrite, glibc's SSE strncmp in dlopen — are not ours and
# are counted separately.)  Slow: about a minute for the current suite.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
. scripts/cluster.sh
build_and_install || exit 1

dir=$(mktemp -d /tmp/landpolicy-valgrind.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
as_server_user "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = 54500
fsync = off
jit = off
max_connections = 20
lc_messages = 'C'
CONF
as_server_user bash -c "valgrind --quiet --trace-children=yes --error-limit=no --num-callers=40 \
    --log-file=$dir/vg.%p.log $PGBIN/postgres -D $dir/data >$dir/server.log 2>&1 &"
export PGHOST=$dir PGPORT=54500
for _ in $(seq 1 120); do pg_isready -q && break; sleep 2; done

"$(dirname "$($PG_CONFIG --pgxs)")/../../src/test/regress/pg_regress" --inputdir=. --outputdir="$dir/out" \
    --bindir=$PGBIN --dbname=valgrind_regress $(ls sql/*.sql | sed 's|sql/||; s|\.sql$||' | sort) | tail -3
as_server_user "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null

# Split each log into error records (blank-line separated) and keep those that mention us.
ours=0 theirs=0
for f in "$dir"/vg.*.log; do
  while IFS= read -r -d '' rec; do
    case "$rec" in
      *landpolicy*) ours=$((ours + 1)); printf '%s\n\n' "$rec" ;;
      *"=="*[A-Za-z]*) theirs=$((theirs + 1)) ;;
    esac
  done < <(awk 'BEGIN{RS="==[0-9]+== \n"; ORS="\0"} /[A-Za-z]/ {print}' "$f")
done
echo "valgrind: $ours error(s) in landpolicy code, $theirs elsewhere (logs in $dir)"
[ "$ours" -eq 0 ]
