-- Guards that cannot be quietly switched off: a guard trigger (or a layer's sync trigger) that is
-- dropped or disabled by anything but detach() / unregister_layer() is put back by refusing the
-- statement; attach and detach are logged.

CREATE TABLE landpolicy.attachment_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    by_role name NOT NULL DEFAULT session_user,
    action  text NOT NULL CHECK (action IN ('attach', 'detach')),
    target  text NOT NULL,
    rule    text NOT NULL,
    options jsonb
);
COMMENT ON TABLE landpolicy.attachment_log IS 'who attached and detached which rule on which table, and when';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.attachment_log', '');
SELECT pg_catalog.pg_extension_config_dump('landpolicy.attachment_log_id_seq', '');
GRANT SELECT ON landpolicy.attachment_log TO PUBLIC;

CREATE FUNCTION landpolicy.attachment_logged() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO landpolicy.attachment_log (action, target, rule, options) VALUES ('detach', OLD.target::text, OLD.rule, OLD.options);
        RETURN OLD;
    END IF;
    INSERT INTO landpolicy.attachment_log (action, target, rule, options) VALUES ('attach', NEW.target::text, NEW.rule, NEW.options);
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.attachment_logged() FROM PUBLIC;
CREATE TRIGGER attachment_logged AFTER INSERT OR UPDATE OR DELETE ON landpolicy.attachment
    FOR EACH ROW EXECUTE FUNCTION landpolicy.attachment_logged();
ALTER TABLE landpolicy.attachment ENABLE ALWAYS TRIGGER attachment_logged;

-- After ALTER TABLE and DROP TRIGGER: every attached rule's triggers must still be there and
-- ENABLE ALWAYS, and every layer's sync triggers too.
CREATE FUNCTION landpolicy.on_ddl_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    a record;
BEGIN
    IF to_regclass('landpolicy.attachment') IS NULL THEN
        RETURN;
    END IF;
    FOR a IN
        SELECT x.target::text AS target, x.rule, t.trig,
               (SELECT tg.tgenabled FROM pg_trigger tg WHERE tg.tgrelid = x.target AND tg.tgname = t.trig) AS enabled
        FROM landpolicy.attachment x
        JOIN landpolicy.rule_catalog() c ON c.id = x.rule
        CROSS JOIN LATERAL unnest(ARRAY['landpolicy_' || x.rule]
                                  || CASE WHEN c.kind IN ('ledger', 'log') THEN ARRAY['landpolicy_' || x.rule || '_truncate'] ELSE '{}' END
                                  || CASE WHEN c.kind = 'log' THEN ARRAY['landpolicy_' || x.rule || '_settle'] ELSE '{}' END) AS t(trig)
        UNION ALL
        SELECT l.source::text, 'layer ' || l.kind, t.trig,
               (SELECT tg.tgenabled FROM pg_trigger tg WHERE tg.tgrelid = l.source AND tg.tgname = t.trig)
        FROM landpolicy.layer l
        CROSS JOIN LATERAL unnest(ARRAY['_ins', '_upd', '_del', '_trunc']) AS s(suffix)
        CROSS JOIN LATERAL (SELECT 'landpolicy_layer_' || l.kind || s.suffix AS trig) t
        WHERE EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = l.source)
    LOOP
        IF a.enabled IS DISTINCT FROM 'A' THEN
            RAISE EXCEPTION 'trigger % on % belongs to landpolicy (%) and must stay in place, ENABLE ALWAYS',
                    a.trig, a.target, a.rule
                USING ERRCODE = 'dependent_objects_still_exist',
                      DETAIL = CASE WHEN a.enabled IS NULL THEN 'The statement would drop it.'
                                    ELSE format('The statement would leave it %s.',
                                                CASE a.enabled WHEN 'D' THEN 'disabled' WHEN 'O' THEN 'enabled for origin sessions only'
                                                               WHEN 'R' THEN 'enabled for replicas only' END) END,
                      HINT = CASE WHEN a.rule LIKE 'layer %' THEN 'Use landpolicy.unregister_layer() to stop keeping a layer.'
                                  ELSE 'Use landpolicy.detach() to remove a rule from a table; it is logged.' END;
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.on_ddl_end() FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.on_ddl_end() IS
    'event trigger: refuses DDL that drops or disables a guard trigger or a layer sync trigger outside detach()/unregister_layer()';
CREATE EVENT TRIGGER landpolicy_ddl_end ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'DROP TRIGGER')
    EXECUTE FUNCTION landpolicy.on_ddl_end();
