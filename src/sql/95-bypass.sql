-- Guards that cannot be quietly switched off: a guard trigger (or a layer's sync trigger) that is
-- dropped or disabled by anything but detach() / unregister_layer() is put back by refusing the
-- statement; attach and detach are logged.

CREATE TABLE landpolicy.attachment_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    by_role name NOT NULL DEFAULT session_user,
    action  text NOT NULL CHECK (action IN ('attach', 'detach', 'table dropped')),
    target  text NOT NULL,
    rule    text NOT NULL,
    options jsonb
);
COMMENT ON TABLE landpolicy.attachment_log IS
    'who attached and detached which rule on which table, and when (written by attach(), detach() and the drop event trigger, not by a trigger on attachment, so that a restore does not log twice)';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.attachment_log', '');
SELECT pg_catalog.pg_extension_config_dump('landpolicy.attachment_log_id_seq', '');
GRANT SELECT ON landpolicy.attachment_log TO PUBLIC;

-- The triggers landpolicy keeps on a table: each attachment's, each layer's sync triggers.
CREATE FUNCTION landpolicy.kept_triggers()
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

CREATE FUNCTION landpolicy.refuse_trigger_change(trig text, tbl text, owner_of text, what text) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    RAISE EXCEPTION 'trigger % on % belongs to landpolicy (%) and must stay in place, ENABLE ALWAYS', trig, tbl, owner_of
        USING ERRCODE = 'dependent_objects_still_exist',
              DETAIL = format('The statement would %s.', what),
              HINT = CASE WHEN owner_of LIKE 'layer %' THEN 'Use landpolicy.unregister_layer() to stop keeping a layer.'
                          ELSE 'Use landpolicy.detach() to remove a rule from a table; it is logged.' END;
END
$$;

CREATE FUNCTION landpolicy.partition_changes(cmd pg_ddl_command, OUT op text, OUT part regclass)
RETURNS SETOF record AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
REVOKE ALL ON FUNCTION landpolicy.partition_changes(pg_ddl_command) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.partition_changes(pg_ddl_command) IS
    'internal: the tables an ALTER TABLE command (from pg_event_trigger_ddl_commands()) attached or detached as partitions';

-- After ALTER TABLE, ALTER TRIGGER and CREATE TRIGGER: the tables touched keep their landpolicy
-- triggers, under their names, ENABLE ALWAYS, calling landpolicy's functions.
CREATE FUNCTION landpolicy.on_ddl_end() RETURNS event_trigger
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
REVOKE ALL ON FUNCTION landpolicy.on_ddl_end() FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.on_ddl_end() IS
    'event trigger: refuses DDL that disables, renames or replaces a guard trigger or a layer sync trigger';
CREATE EVENT TRIGGER landpolicy_ddl_end ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'ALTER TRIGGER', 'CREATE TRIGGER', 'CREATE TABLE')
    EXECUTE FUNCTION landpolicy.on_ddl_end();
-- replica sessions are held to it too
ALTER EVENT TRIGGER landpolicy_ddl_end ENABLE ALWAYS;
