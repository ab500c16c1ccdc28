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

-- check() and audit() share the guards' fast path: evaluate() asks fast_evaluate() first.
CREATE FUNCTION landpolicy.fast_evaluate(rule text, geom geometry, use landpolicy.landclass, at date,
                                         jurisdiction landpolicy.admincode, slope_grade int4, has_review bool, is_pv bool)
RETURNS landpolicy.violation[] AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
COMMENT ON FUNCTION landpolicy.fast_evaluate(text, geometry, landpolicy.landclass, date, landpolicy.admincode, int4, bool, bool) IS
    'the violations of one row under one row rule, decided by the guards'' fast path (cached, prepared layers); NULL where the SQL path must decide, when landpolicy.fast_path is off, and for a caller who may not read the layers';

CREATE OR REPLACE FUNCTION landpolicy.evaluate(rule text, geom geometry, use landpolicy.landclass, at date,
                                    jurisdiction landpolicy.admincode, slope_grade int4, has_review bool, is_pv bool)
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    f landpolicy.facts;
    fast landpolicy.violation[];
BEGIN
    IF NOT landpolicy.rule_applies(rule, use, is_pv) THEN
        RETURN;
    END IF;
    -- the fast path decides most rows in C, as the guards do; NULL where it must leave it to SQL
    fast := landpolicy.fast_evaluate(rule, geom, use, coalesce(at, current_date), jurisdiction,
                                     slope_grade, has_review, is_pv);
    IF fast IS NOT NULL THEN
        RETURN QUERY SELECT * FROM unnest(fast);
        RETURN;
    END IF;
    f := landpolicy.facts(rule, geom, coalesce(at, current_date), jurisdiction, use, is_pv);
    RETURN QUERY SELECT * FROM landpolicy.rule_judge(rule, use, is_pv, slope_grade, has_review,
                                                     f.tolerance_m2, f.params, f.measurements);
END
$$;
COMMENT ON FUNCTION landpolicy.evaluate(text, geometry, landpolicy.landclass, date, landpolicy.admincode, int4, bool, bool) IS
    'the violations one row would raise under one rule: the evaluation shared by guards, check() and audit() (the fast path first, then SQL)';
