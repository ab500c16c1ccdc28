#!/usr/bin/env bash
# `make valgrind`: the regress suite against a postmaster running under valgrind memcheck.
# Prints each valgrind error whose stack passes through landpolicy.so, and a count; exits
# non-zero if there is any.  (Errors wholly inside PostgreSQL, PostGIS or the dynamic loader —
# uninitialised WAL padding written by pwrite, glibc's SSE strncmp in dlopen — are not ours and
# are counted separately.)  Also fails if a regress test fails under valgrind.  About two minutes
# for the current suite.  With --no-build it uses the build already installed (test/valgrind.sh,
# run by make test after it installed).  The logs are kept, and their directory named, only when
# something failed.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
. scripts/cluster.sh
[ "${1:-}" = --no-build ] || build_and_install || exit 1
# LANDPOLICY_VALGRIND_TESTS: the regress tests to run (default: all of sql/)
tests=${LANDPOLICY_VALGRIND_TESTS:-$(ls sql/*.sql | sed 's|sql/||; s|\.sql$||' | sort)}

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
    --bindir=$PGBIN --dbname=valgrind_regress $tests >"$dir/regress.log" 2>&1
tail -3 "$dir/regress.log"
regress_ok=0; grep -qE 'All [0-9]+ tests passed' "$dir/regress.log" && regress_ok=1
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
if [ "$ours" -eq 0 ] && [ "$regress_ok" -eq 1 ]; then
  echo "valgrind: $ours error(s) in landpolicy code, $theirs elsewhere"
  rm -rf "$dir"
  exit 0
fi
echo "valgrind: $ours error(s) in landpolicy code, $theirs elsewhere; regress suite under valgrind $([ "$regress_ok" -eq 1 ] && echo passed || echo FAILED) (logs in $dir)"
exit 1
