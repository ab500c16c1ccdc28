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

-- ATTACH PARTITION: the event trigger audits the partitions the command's ATTACH PARTITION
-- subcommands name (0.1.0 guessed them from pg_inherits rows written by the transaction).
CREATE FUNCTION landpolicy.attached_partitions(cmd pg_ddl_command) RETURNS regclass[]
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
REVOKE ALL ON FUNCTION landpolicy.attached_partitions(pg_ddl_command) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.attached_partitions(pg_ddl_command) IS
    'internal: the tables an ALTER TABLE command (from pg_event_trigger_ddl_commands()) attached as partitions';
CREATE OR REPLACE FUNCTION landpolicy.on_ddl_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    k record;
    c record;
BEGIN
    IF to_regclass('landpolicy.attachment') IS NULL THEN
        RETURN;
    END IF;
    FOR c IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
        -- a trigger of landpolicy's may not be renamed away from its name
        IF c.command_tag = 'ALTER TRIGGER' AND c.classid = 'pg_trigger'::regclass THEN
            FOR k IN SELECT tg.tgname, tg.tgrelid::regclass::text AS tbl FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
                     WHERE tg.oid = c.objid AND p.pronamespace = 'landpolicy'::regnamespace
                       AND NOT EXISTS (SELECT 1 FROM landpolicy.kept_triggers() kt WHERE kt.tbl = tg.tgrelid AND kt.trig = tg.tgname)
            LOOP
                PERFORM landpolicy.refuse_trigger_change(k.tgname, k.tbl, 'renamed from a landpolicy trigger', 'rename it');
            END LOOP;
        END IF;
        -- a trigger under a landpolicy name must call landpolicy (CREATE OR REPLACE TRIGGER)
        IF c.command_tag = 'CREATE TRIGGER' AND c.classid = 'pg_trigger'::regclass THEN
            FOR k IN SELECT tg.tgname, tg.tgrelid::regclass::text AS tbl, kt.owner_of FROM pg_trigger tg
                     JOIN landpolicy.kept_triggers() kt ON kt.tbl = tg.tgrelid AND kt.trig = tg.tgname
                     JOIN pg_proc p ON p.oid = tg.tgfoid
                     WHERE tg.oid = c.objid AND p.pronamespace <> 'landpolicy'::regnamespace
            LOOP
                PERFORM landpolicy.refuse_trigger_change(k.tgname, k.tbl, k.owner_of, 'replace it with another function');
            END LOOP;
        END IF;
    END LOOP;
    -- ATTACH PARTITION under a guarded table: the rows the partition brings are judged as if
    -- inserted (the cloned triggers do not fire for them). Refused in reject mode, logged in record
    -- mode. The partitions are those the command's ATTACH PARTITION subcommands name.
    FOR k IN
        SELECT DISTINCT a.target, a.rule, a.mode, p.part
        FROM pg_event_trigger_ddl_commands() d
        CROSS JOIN LATERAL unnest(landpolicy.attached_partitions(d.command)) AS p(part)
        JOIN pg_class pc ON pc.oid = p.part AND pc.relkind IN ('r', 'p')
        CROSS JOIN LATERAL pg_catalog.pg_partition_ancestors(d.objid) an
        JOIN landpolicy.attachment a ON a.target = an.relid
        WHERE d.classid = 'pg_class'::regclass AND d.command_tag = 'ALTER TABLE'
        ORDER BY 1, 2
    LOOP
        -- each partition's rows are audited once: logged in record mode, counted in reject mode
        IF k.mode = 'record' THEN
            INSERT INTO landpolicy.violation_log (rule, target, row_key, violation, by_role)
            SELECT k.rule, k.part, r.row_key, r.v, session_user FROM landpolicy.audit_rows(k.target, k.part, k.rule) r;
            CONTINUE;
        END IF;
        SELECT count(*), min(r.row_key), (array_agg(r.v ORDER BY r.row_key))[1]
        INTO c FROM landpolicy.audit_rows(k.target, k.part, k.rule) r;
        IF c.count > 0 THEN
            RAISE EXCEPTION 'ATTACH PARTITION refused: % has % row(s) that break rule % attached to %', k.part, c.count, k.rule, k.target
                USING ERRCODE = 'check_violation', CONSTRAINT = k.rule,
                      DETAIL = format('Row %s: %s', c.min, (c.array_agg).message),
                      HINT = format('See SELECT * FROM landpolicy.audit_rows(%L, %L); correct those rows, or attach the rule in record mode to log them.', k.target::text, k.part::text);
        END IF;
    END LOOP;
    FOR k IN
        SELECT kt.trig, kt.tbl::regclass::text AS tbl, kt.owner_of, tg.tgenabled
        FROM landpolicy.kept_triggers() kt
        JOIN pg_trigger tg ON tg.tgrelid = kt.tbl AND tg.tgname = kt.trig
        -- the enabled state after ALTER TABLE (a CREATE TRIGGER is followed by its ENABLE ALWAYS, as in a restore)
        WHERE kt.tbl IN (SELECT d.objid FROM pg_event_trigger_ddl_commands() d
                         WHERE d.classid = 'pg_class'::regclass AND d.command_tag = 'ALTER TABLE')
          AND tg.tgenabled <> 'A'
    LOOP
        PERFORM landpolicy.refuse_trigger_change(k.trig, k.tbl, k.owner_of,
            CASE k.tgenabled WHEN 'D' THEN 'disable it' WHEN 'O' THEN 'leave it enabled for origin sessions only'
                             WHEN 'R' THEN 'leave it enabled for replicas only' END);
    END LOOP;
END
$$;
