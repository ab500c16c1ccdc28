-- landpolicy 0.1.0 -> 0.2.0 (ALTER EXTENSION landpolicy UPDATE TO '0.2.0').
-- Every change to src/sql/ since 0.1.0 is repeated here, so that an updated database has the
-- same schema as a fresh 0.2.0 install: test/upgrade.sh compares the two.
\echo Use "ALTER EXTENSION landpolicy UPDATE TO '0.2.0'" to load this file. \quit
