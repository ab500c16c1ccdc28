-- When a guarded table or a layer's source table is dropped, forget what pointed at it: the
-- attachment goes (and its ledger is rebuilt from the tables that remain); the layer is
-- unregistered, so the rules that need it fail closed instead of judging by a dead copy.

CREATE FUNCTION landpolicy.on_sql_drop() RETURNS event_trigger
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
-- It runs for every DROP by anyone (owners of guarded tables are rarely superusers): as the owner.
REVOKE ALL ON FUNCTION landpolicy.on_sql_drop() FROM PUBLIC;
CREATE EVENT TRIGGER landpolicy_sql_drop ON sql_drop EXECUTE FUNCTION landpolicy.on_sql_drop();
ALTER EVENT TRIGGER landpolicy_sql_drop ENABLE ALWAYS;
