-- landpolicy 0.1.0 -> 0.2.0 (ALTER EXTENSION landpolicy UPDATE TO '0.2.0').
-- Every change to src/sql/ since 0.1.0 is repeated here, so that an updated database has the
-- same schema as a fresh 0.2.0 install: test/upgrade.sh compares the two.
\echo Use "ALTER EXTENSION landpolicy UPDATE TO '0.2.0'" to load this file. \quit

-- The guards' parameter cache keys each value by the window of dates over which it holds.
CREATE FUNCTION landpolicy.param_window(key text, jurisdiction landpolicy.admincode, at date,
                                        OUT value numeric, OUT valid daterange)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    -- every date on which a row that could answer for this key and jurisdiction starts or ends
    WITH bound AS (
        SELECT b AS d
        FROM landpolicy.policy_param p,
             LATERAL unnest(ARRAY[pg_catalog.lower(p.valid), pg_catalog.upper(p.valid)]) AS b
        WHERE p.key = param_window.key
          AND (p.jurisdiction IS NULL OR p.jurisdiction OPERATOR(landpolicy.@>) param_window.jurisdiction)
    )
    SELECT landpolicy.param(param_window.key, param_window.jurisdiction, param_window.at),
           pg_catalog.daterange((SELECT max(d) FROM bound WHERE d <= param_window.at),
                                (SELECT min(d) FROM bound WHERE d > param_window.at), '[)')
$$;
COMMENT ON FUNCTION landpolicy.param_window(text, landpolicy.admincode, date) IS
    'param(key, jurisdiction, at) and the dates around at over which that answer stays the same (no row that could answer starts or ends inside them)';
