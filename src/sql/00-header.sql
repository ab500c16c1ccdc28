-- landpolicy install script, assembled by the Makefile from src/sql/NN-*.sql in order.
\echo Use "CREATE EXTENSION landpolicy CASCADE" to load this file. \quit

-- Only the owner writes configuration; everyone may look.
REVOKE ALL ON SCHEMA landpolicy FROM PUBLIC;
GRANT USAGE ON SCHEMA landpolicy TO PUBLIC;
