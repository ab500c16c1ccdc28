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

-- audit() calls fast_evaluate() straight from its query, evaluate() only where it defers.
CREATE OR REPLACE FUNCTION landpolicy.audit_rows(target regclass, source regclass, only_rule text DEFAULT NULL)
RETURNS TABLE (row_key text, v landpolicy.violation)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    a landpolicy.attachment;
    c record;
    o jsonb;
    found_any boolean := false;
    col_use text;
    col_pv text;
    use_is_text boolean;
    use_problem text;
BEGIN
    FOR a IN SELECT * FROM landpolicy.attachment x WHERE x.target = audit_rows.target AND (only_rule IS NULL OR x.rule = only_rule) ORDER BY x.rule LOOP
        found_any := true;
        o := a.options;
        SELECT * INTO c FROM landpolicy.rule_catalog() rc WHERE rc.id = a.rule;
        IF c.kind = 'log' THEN
            RAISE NOTICE 'the change log records; it has nothing to audit (see landpolicy.change_log)';
            CONTINUE;
        END IF;
        IF c.kind = 'ledger' THEN
            RAISE NOTICE 'rule % keeps running totals: see its status view and landpolicy.verify() rather than a row audit', a.rule;
            CONTINUE;
        END IF;
        IF c.whole_row AND a.rule NOT IN ('R2.5', 'R2.6') THEN
            -- the other whole-row guards, each row judged as the guard judges it
            RETURN QUERY EXECUTE format(
                'SELECT %s, v FROM %s t,
                        LATERAL landpolicy.row_rule_check(%L, %L, to_jsonb(t), %s, %s) v',
                CASE WHEN o ? 'key' THEN format('t.%I::text', o->>'key') ELSE 't.ctid::text' END,
                source, a.rule, o,
                CASE WHEN o ? 'geom' THEN format('t.%I', o->>'geom') ELSE 'NULL::geometry' END,
                -- the row's own date, as the guard takes it
                CASE WHEN o ? 'date' THEN format('coalesce(t.%I::date, current_date)', o->>'date') ELSE 'current_date' END);
            CONTINUE;
        END IF;
        IF c.whole_row THEN
            -- the survey rules: every removal without a survey reference, judged as the guard would
            RETURN QUERY EXECUTE format(
                'SELECT %s, s FROM %s t,
                        LATERAL landpolicy.survey_check(%L, %L, to_jsonb(t), t.%I, coalesce(%s, current_date)) s
                 WHERE landpolicy.pbf_direction(t.%I::text) = ''out'' AND t.%I IS NULL',
                CASE WHEN o ? 'key' THEN format('t.%I::text', o->>'key') ELSE 't.ctid::text' END,
                source, a.rule, o, o->>'geom',
                CASE WHEN o ? 'date' THEN format('t.%I::date', o->>'date') ELSE 'NULL::date' END,
                o->>'direction', o->>'survey');
            CONTINUE;
        END IF;
        -- a use held as text is read with to_landclass(), so that a bad code is reported, not an abort
        use_is_text := o ? 'use' AND (SELECT pa.atttypid FROM pg_attribute pa WHERE pa.attrelid = source AND pa.attname = o->>'use')
                                     IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype);
        col_use := CASE WHEN NOT o ? 'use' THEN 'NULL::landpolicy.landclass'
                        WHEN use_is_text THEN format('landpolicy.to_landclass(t.%I::text)', o->>'use')
                        ELSE format('t.%I', o->>'use') END;
        use_problem := CASE WHEN use_is_text
                            THEN format('CASE WHEN t.%I IS NULL THEN %L ELSE %L || t.%I END', o->>'use',
                                        format('the planned use (column %s) is NULL', o->>'use'),
                                        format('the planned use (column %s) is not a land class code: ', o->>'use'), o->>'use')
                            ELSE quote_literal(format('the planned use (column %s) is NULL', o->>'use')) END;
        col_pv := CASE WHEN o ? 'pv' THEN format('coalesce(t.%I, false)', o->>'pv') ELSE 'false' END;
        -- One statement per attached rule over the whole table.  A row the guard would refuse as
        -- uncheckable (no use, a bad geometry) is reported as such; the rest are evaluated.
        RETURN QUERY EXECUTE format(
            'SELECT %1$s, x::landpolicy.violation
             FROM %2$s t
             CROSS JOIN LATERAL (SELECT CASE WHEN %3$L AND %4$s IS NULL THEN %5$s
                                             WHEN %6$L IN (''R1.1'', ''R2.1'') AND landpolicy.lc_three_class(%4$s) IS NULL
                                             THEN ''the planned use is a first-level class that mixes 三大类''
                                             WHEN landpolicy.rule_applies(%6$L, %4$s, %7$s)
                                             THEN coalesce(landpolicy.geometry_problem(t.%8$I),
                                                           CASE WHEN ST_Dimension(t.%8$I) <> 2
                                                                THEN ''a rule checks areas, and the geometry is a '' || GeometryType(t.%8$I) END)
                                        END AS problem) p
             CROSS JOIN LATERAL unnest(
                 CASE WHEN p.problem IS NOT NULL
                      THEN ARRAY[ROW(%6$L, ''error'', %6$L || '' '' || p.problem, NULL, NULL, NULL, NULL)::landpolicy.violation]
                      -- the fast path straight away (no plpgsql call a row); evaluate() where it defers
                      ELSE coalesce(landpolicy.fast_evaluate(%6$L, t.%8$I, %4$s, coalesce(%9$s, current_date), %10$s, %11$s, %12$s, %7$s),
                                    ARRAY(SELECT e FROM landpolicy.evaluate(%6$L, t.%8$I, %4$s, %9$s, %10$s, %11$s, %12$s, %7$s) e)) END) AS x',
            CASE WHEN o ? 'key' THEN format('t.%I::text', o->>'key') ELSE 't.ctid::text' END,
            source,
            'use' = ANY (c.inputs), col_use, use_problem,
            a.rule, col_pv, o->>'geom',
            CASE WHEN o ? 'date' THEN format('t.%I::date', o->>'date') ELSE 'current_date' END,
            CASE WHEN o ? 'jurisdiction' THEN format('t.%I', o->>'jurisdiction') ELSE 'NULL::landpolicy.admincode' END,
            CASE WHEN o ? 'slope_grade' THEN format('t.%I::int4', o->>'slope_grade') ELSE 'NULL::int4' END,
            CASE WHEN o ? 'review' THEN format('t.%I IS NOT NULL', o->>'review') ELSE 'false' END);
    END LOOP;
    IF NOT found_any AND only_rule IS NULL THEN
        RAISE EXCEPTION 'no rule is attached to %', target USING ERRCODE = 'undefined_object',
            HINT = 'Attach one with landpolicy.attach(), or use landpolicy.check() for a dry run.';
    END IF;
END
$$;

-- Partitions: the event trigger reads which partitions an ALTER TABLE attached or detached from the
-- command itself (0.1.0 guessed the attached ones from pg_inherits rows the transaction wrote), and a
-- layer whose source is partitioned keeps sync triggers on every partition.
CREATE FUNCTION landpolicy.partition_changes(cmd pg_ddl_command, OUT op text, OUT part regclass)
RETURNS SETOF record AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
REVOKE ALL ON FUNCTION landpolicy.partition_changes(pg_ddl_command) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.partition_changes(pg_ddl_command) IS
    'internal: the tables an ALTER TABLE command (from pg_event_trigger_ddl_commands()) attached or detached as partitions';

CREATE FUNCTION landpolicy.layer_sync_tables(source regclass) RETURNS SETOF regclass
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    SELECT source
    UNION
    SELECT p.relid FROM pg_catalog.pg_partition_tree(source) p
$$;
COMMENT ON FUNCTION landpolicy.layer_sync_tables(regclass) IS
    'a layer source and, if it is partitioned, all its partitions: the tables that carry the layer''s sync triggers';

CREATE FUNCTION landpolicy.layer_add_triggers(l landpolicy.layer) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    t regclass;
    trig text := 'landpolicy_layer_' || l.kind;
BEGIN
    FOR t IN SELECT * FROM landpolicy.layer_sync_tables(l.source) LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgrelid = t AND tg.tgname = trig || '_ins');
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_ins', t, l.kind);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_upd', t, l.kind);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_del', t, l.kind);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_trunc', t, l.kind);
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I',
                       t, trig || '_ins', trig || '_upd', trig || '_del', trig || '_trunc');
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.layer_add_triggers(landpolicy.layer) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.layer_add_triggers(landpolicy.layer) IS
    'internal: put a layer''s sync triggers on its source and on every partition of it that lacks them';

CREATE FUNCTION landpolicy.layer_prune(l landpolicy.layer) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    gone bigint;
BEGIN
    EXECUTE format('DELETE FROM landpolicy.layer_piece p WHERE p.kind = $1
                    AND NOT EXISTS (SELECT 1 FROM %s s WHERE s.%I::text = p.source_key)', l.source, l.key_column)
      USING l.kind;
    GET DIAGNOSTICS gone = ROW_COUNT;
    IF gone > 0 THEN
        PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || l.kind)::regclass);
    END IF;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.layer_prune(landpolicy.layer) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.layer_prune(landpolicy.layer) IS
    'internal: drop a layer''s pieces whose feature is no longer in its source';

CREATE OR REPLACE FUNCTION landpolicy.layer_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
BEGIN
    SELECT * INTO l FROM landpolicy.layer WHERE kind = TG_ARGV[0];
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- a table detached from a partitioned source keeps its triggers, which no longer count
    IF TG_RELID <> l.source AND TG_RELID NOT IN (SELECT * FROM landpolicy.layer_sync_tables(l.source)) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        IF TG_RELID = l.source THEN
            DELETE FROM landpolicy.layer_piece WHERE kind = l.kind;
            PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || l.kind)::regclass);
        ELSE
            PERFORM landpolicy.layer_prune(l);     -- one partition's rows went
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('DELETE FROM landpolicy.layer_piece WHERE kind = $1 AND source_key IN (SELECT o.%I::text FROM old_rows o)',
                       l.key_column) USING l.kind;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        EXECUTE landpolicy.layer_pieces_sql(l, 'new_rows');
    END IF;
    -- every backend's cached copy of the layer is stale from this commit on
    PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || l.kind)::regclass);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION landpolicy.register_layer(kind text, source regclass, options jsonb DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
    known_options text[] := ARRAY['geom', 'key', 'township', 'slope_grade', 'class_column', 'classes'];
    bad text;
    srids int4[];
BEGIN
    IF kind IS NULL OR kind !~ '^[a-z][a-z0-9_]{0,39}$' THEN
        RAISE EXCEPTION 'invalid layer kind: "%"', kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A kind is lower-case letters, digits and _ (eco_redline, eco_core, pbf, udb, forest, wetland, water_area, water_source, cultivated, slope, or your own).';
    END IF;
    IF source IS NULL THEN
        RAISE EXCEPTION 'register_layer: source table must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = source), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table % to register it as a layer', source USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM landpolicy.layer x WHERE x.kind = register_layer.kind) THEN
        RAISE EXCEPTION 'reference layer "%" is already registered (source %)', kind,
                (SELECT x.source FROM landpolicy.layer x WHERE x.kind = register_layer.kind)
            USING ERRCODE = 'duplicate_object', HINT = format('Unregister it first: SELECT landpolicy.unregister_layer(%L);', kind);
    END IF;
    SELECT k INTO bad FROM jsonb_object_keys(coalesce(options, '{}')) k WHERE k <> ALL (known_options) LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown register_layer option "%"', bad
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Options are ' || array_to_string(known_options, ', ') || '.';
    END IF;

    l.kind := kind;
    l.source := source;
    l.geom_column := coalesce(options->>'geom', landpolicy.sole_column(source, 'geometry', 'geom'));
    l.key_column := coalesce(options->>'key', landpolicy.primary_key_column(source));
    l.township_column := options->>'township';
    l.slope_column := options->>'slope_grade';
    l.class_column := options->>'class_column';
    PERFORM landpolicy.column_of_type(source, l.geom_column, ARRAY['geometry'], 'geom');
    PERFORM landpolicy.column_of_type(source, l.key_column, NULL, 'key');
    IF l.township_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.township_column, ARRAY['admincode', 'text', 'character varying', 'character'], 'township');
    END IF;
    IF kind = 'slope' AND l.slope_column IS NULL THEN
        RAISE EXCEPTION 'a slope layer needs its slope-grade column' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Name it in the options: {"slope_grade": "pdjb"} (GDPDJB grade 1-5).';
    END IF;
    IF l.slope_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.slope_column, ARRAY['smallint', 'integer', 'bigint', 'numeric', 'text', 'character varying', 'character'], 'slope_grade');
    END IF;
    IF l.class_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.class_column, ARRAY['landclass', 'text', 'character varying', 'character'], 'class_column');
        l.classes := coalesce((SELECT array_agg(c::landpolicy.landclass) FROM jsonb_array_elements_text(options->'classes') c),
                              CASE WHEN kind = 'cultivated' THEN ARRAY['01']::landpolicy.landclass[] END);
        IF l.classes IS NULL THEN
            RAISE EXCEPTION 'option class_column needs the classes that belong to the layer'
                USING ERRCODE = 'invalid_parameter_value', HINT = 'For example {"class_column": "dlbm", "classes": ["0301", "0302"]}.';
        END IF;
    END IF;

    -- The layer's SRID: the column's, or the one SRID its rows share.
    SELECT gc.srid INTO l.srid FROM geometry_columns gc
     WHERE (quote_ident(gc.f_table_schema) || '.' || quote_ident(gc.f_table_name))::regclass = source
       AND gc.f_geometry_column = l.geom_column;
    IF coalesce(l.srid, 0) = 0 THEN
        EXECUTE format('SELECT array_agg(DISTINCT ST_SRID(%I)) FROM %s', l.geom_column, source) INTO srids;
        IF cardinality(srids) > 1 OR 0 = ANY (srids) THEN
            RAISE EXCEPTION 'layer source %.% has no single SRID (found %)', source, l.geom_column, srids
                USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the column a type with an SRID, e.g. geometry(MultiPolygon, 4528).';
        END IF;
        l.srid := coalesce(srids[1], 0);
        IF l.srid = 0 THEN
            RAISE EXCEPTION 'layer source %.% is empty and its column has no SRID', source, l.geom_column
                USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the column a type with an SRID, e.g. geometry(MultiPolygon, 4528).';
        END IF;
    END IF;
    PERFORM landpolicy.srid_units(l.srid);

    l.registered_at := now();
    l.registered_by := current_user;
    EXECUTE format('CREATE TABLE landpolicy.%I PARTITION OF landpolicy.layer_piece FOR VALUES IN (%L)', 'layer_piece_' || kind, kind);
    EXECUTE format('CREATE INDEX %I ON landpolicy.%I USING gist (geom)', 'layer_piece_' || kind || '_geom', 'layer_piece_' || kind);
    EXECUTE format('CREATE INDEX %I ON landpolicy.%I (source_key)', 'layer_piece_' || kind || '_key', 'layer_piece_' || kind);
    EXECUTE landpolicy.layer_pieces_sql(l, source::text);
    EXECUTE format('ANALYZE landpolicy.%I', 'layer_piece_' || kind);

    -- on the source and, if it is partitioned, on every partition (new ones get them from on_ddl_end)
    PERFORM landpolicy.layer_add_triggers(l);
    -- recorded last: from here on the triggers are guarded against being dropped or disabled
    INSERT INTO landpolicy.layer VALUES (l.*);
END
$$;
COMMENT ON FUNCTION landpolicy.register_layer(text, regclass, jsonb) IS
    'register a user table of polygons as a reference layer (options: geom, key, township, slope_grade, class_column, classes)';

CREATE OR REPLACE FUNCTION landpolicy.unregister_layer(kind text) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
    trig text := 'landpolicy_layer_' || kind;
    op text;
    t regclass;
BEGIN
    SELECT * INTO l FROM landpolicy.layer x WHERE x.kind = unregister_layer.kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'reference layer "%" is not registered', kind USING ERRCODE = 'undefined_object';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = l.source) AND NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = l.source), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table % to unregister its layer', l.source USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- forget the layer first: its triggers are then no longer guarded against being dropped
    DELETE FROM landpolicy.layer x WHERE x.kind = unregister_layer.kind;
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = l.source) THEN
        FOR t IN SELECT * FROM landpolicy.layer_sync_tables(l.source) LOOP
            FOREACH op IN ARRAY ARRAY['_ins', '_upd', '_del', '_trunc'] LOOP
                IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t AND tgname = trig || op) THEN
                    EXECUTE format('DROP TRIGGER %I ON %s', trig || op, t);
                END IF;
            END LOOP;
        END LOOP;
    END IF;
    EXECUTE format('DROP TABLE landpolicy.%I', 'layer_piece_' || kind);
END
$$;
COMMENT ON FUNCTION landpolicy.unregister_layer(text) IS
    'drop a reference layer: its pieces and its triggers (rules that need it then fail closed)';

CREATE OR REPLACE FUNCTION landpolicy.kept_triggers()
RETURNS TABLE (tbl oid, trig name, owner_of text)
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    SELECT x.target::oid, t.trig::name, x.rule
    FROM landpolicy.attachment x
    JOIN landpolicy.rule_catalog() c ON c.id = x.rule
    CROSS JOIN LATERAL unnest(ARRAY['landpolicy_' || x.rule]
                              || CASE WHEN c.kind IN ('ledger', 'log') THEN ARRAY['landpolicy_' || x.rule || '_truncate'] ELSE '{}' END
                              || CASE WHEN c.kind = 'log' THEN ARRAY['landpolicy_' || x.rule || '_settle'] ELSE '{}' END) AS t(trig)
    UNION ALL
    -- the clones of a partitioned table's guard trigger on its partitions
    SELECT p.relid::oid, ('landpolicy_' || x.rule)::name, x.rule || ' on ' || x.target::text
    FROM landpolicy.attachment x
    CROSS JOIN LATERAL pg_catalog.pg_partition_tree(x.target) p
    WHERE p.level > 0
    UNION ALL
    -- a layer's sync triggers, on its source and every partition of it
    SELECT t::oid, ('landpolicy_layer_' || l.kind || s.suffix)::name, 'layer ' || l.kind
    FROM landpolicy.layer l
    CROSS JOIN LATERAL landpolicy.layer_sync_tables(l.source) t
    CROSS JOIN unnest(ARRAY['_ins', '_upd', '_del', '_trunc']) AS s(suffix)
$$;

CREATE OR REPLACE FUNCTION landpolicy.on_ddl_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    k record;
    c record;
    lay landpolicy.layer;
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
        CROSS JOIN LATERAL landpolicy.partition_changes(d.command) p
        JOIN pg_class pc ON pc.oid = p.part AND pc.relkind IN ('r', 'p')
        CROSS JOIN LATERAL pg_catalog.pg_partition_ancestors(d.objid) an
        JOIN landpolicy.attachment a ON a.target = an.relid
        WHERE d.classid = 'pg_class'::regclass AND d.command_tag = 'ALTER TABLE' AND p.op = 'attach'
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
    -- a layer on a partitioned source: a partition created or attached gets the sync triggers; the
    -- rows of a partition attached become pieces, those of one detached stop being pieces.  (Only
    -- those commands: a restore creates the triggers itself, after other ALTER TABLEs of the source.)
    FOR lay IN
        SELECT x.* FROM landpolicy.layer x
        WHERE x.kind IN (SELECT y.kind FROM landpolicy.layer y, pg_event_trigger_ddl_commands() d
                         WHERE d.classid = 'pg_class'::regclass AND d.command_tag IN ('CREATE TABLE', 'ALTER TABLE')
                           AND y.source IN (SELECT an.relid FROM pg_catalog.pg_partition_ancestors(d.objid) an)
                           AND (d.command_tag = 'CREATE TABLE'
                                OR EXISTS (SELECT 1 FROM landpolicy.partition_changes(d.command))))
    LOOP
        IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() d
                   WHERE d.command_tag = 'CREATE TABLE'
                      OR EXISTS (SELECT 1 FROM landpolicy.partition_changes(d.command) p WHERE p.op = 'attach')) THEN
            PERFORM landpolicy.layer_add_triggers(lay);
        END IF;
        FOR k IN SELECT p.op, p.part FROM pg_event_trigger_ddl_commands() d
                 CROSS JOIN LATERAL landpolicy.partition_changes(d.command) p
                 WHERE d.classid = 'pg_class'::regclass AND d.command_tag = 'ALTER TABLE'
                   AND d.objid IN (SELECT * FROM landpolicy.layer_sync_tables(lay.source))
                 ORDER BY p.op DESC      -- detach first
        LOOP
            IF k.op = 'detach' THEN
                PERFORM landpolicy.layer_prune(lay);
            ELSE
                EXECUTE landpolicy.layer_pieces_sql(lay, k.part::text);
                PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || lay.kind)::regclass);
            END IF;
        END LOOP;
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

CREATE OR REPLACE FUNCTION landpolicy.on_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    o record;
    k text;
    rules_touched text[] := '{}';
    r text;
    lay landpolicy.layer;
BEGIN
    IF to_regclass('landpolicy.attachment') IS NULL OR to_regclass('landpolicy.layer') IS NULL THEN
        RETURN;                 -- the extension itself is being dropped
    END IF;
    -- a guard or layer trigger dropped on its own (not with its table, not by detach/unregister) is refused
    FOR o IN
        SELECT d.address_names, kt.owner_of
        FROM pg_event_trigger_dropped_objects() d
        JOIN landpolicy.kept_triggers() kt
          ON kt.trig = d.address_names[3]
         AND kt.tbl = to_regclass(quote_ident(d.address_names[1]) || '.' || quote_ident(d.address_names[2]))
        WHERE d.object_type = 'trigger'
    LOOP
        PERFORM landpolicy.refuse_trigger_change(o.address_names[3], o.address_names[1] || '.' || o.address_names[2], o.owner_of, 'drop it');
    END LOOP;
    FOR o IN SELECT * FROM pg_event_trigger_dropped_objects() d WHERE d.object_type IN ('table', 'foreign table') LOOP
        WITH gone AS (DELETE FROM landpolicy.attachment a WHERE a.target = o.objid RETURNING a.rule),
             logged AS (INSERT INTO landpolicy.attachment_log (action, target, rule)
                        SELECT 'table dropped', o.object_identity, g.rule FROM gone g RETURNING rule)
        SELECT rules_touched || coalesce(array_agg(rule), '{}') INTO rules_touched FROM logged;
        FOR k IN SELECT l.kind FROM landpolicy.layer l WHERE l.source = o.objid LOOP
            EXECUTE format('DROP TABLE IF EXISTS landpolicy.%I', 'layer_piece_' || k);
            DELETE FROM landpolicy.layer l WHERE l.kind = k;
            RAISE WARNING 'reference layer "%" was registered on the dropped table %: it is unregistered, and rules that need it now fail closed',
                k, o.object_identity;
        END LOOP;
    END LOOP;
    -- a partition of a layer's partitioned source dropped: its features leave the layer.  The
    -- partition's sync triggers went with it, which names the layer.
    FOR lay IN
        SELECT x.* FROM landpolicy.layer x
        WHERE EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() d
                      WHERE d.object_type = 'trigger' AND d.address_names[3] = 'landpolicy_layer_' || x.kind || '_del')
    LOOP
        PERFORM landpolicy.layer_prune(lay);
    END LOOP;
    FOREACH r IN ARRAY ARRAY(SELECT DISTINCT x FROM unnest(rules_touched) x) LOOP
        IF r IN (SELECT c.id FROM landpolicy.rule_catalog() c WHERE c.kind = 'ledger') THEN
            PERFORM landpolicy.rebuild_ledger(r);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION landpolicy.on_sql_drop() IS
    'event trigger: forget attachments and layers of dropped tables (ledgers rebuilt, layers unregistered)';

-- the DDL event trigger also sees CREATE TABLE (a new partition of a layer's source)
DROP EVENT TRIGGER landpolicy_ddl_end;
CREATE EVENT TRIGGER landpolicy_ddl_end ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'ALTER TRIGGER', 'CREATE TRIGGER', 'CREATE TABLE')
    EXECUTE FUNCTION landpolicy.on_ddl_end();
-- replica sessions are held to it too
ALTER EVENT TRIGGER landpolicy_ddl_end ENABLE ALWAYS;

-- layers already on partitioned sources: their partitions get the sync triggers, and their pieces
-- are made whole (0.1.0 missed writes made straight into a partition)
DO $$
DECLARE
    lay landpolicy.layer;
BEGIN
    FOR lay IN SELECT x.* FROM landpolicy.layer x JOIN pg_catalog.pg_class c ON c.oid = x.source AND c.relkind = 'p' LOOP
        PERFORM landpolicy.layer_add_triggers(lay);
        DELETE FROM landpolicy.layer_piece WHERE kind = lay.kind;
        EXECUTE landpolicy.layer_pieces_sql(lay, lay.source::text);
        PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || lay.kind)::regclass);
    END LOOP;
END
$$;
