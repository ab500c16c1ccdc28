-- A guard cannot be quietly switched off: its triggers (and the layers' sync triggers) cannot be
-- dropped or disabled except through detach() / unregister_layer(), which are logged.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

CREATE TABLE hx (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO hx VALUES (1, ST_MakeEnvelope(0, 0, 1000, 1000, 4528));
SELECT register_layer('eco_redline', 'hx');
CREATE TABLE xm (id serial PRIMARY KEY, use landclass, geom geometry(Polygon, 4528));
SELECT attach('xm', 'R1.1', '{"use": "use"}');
CREATE TABLE adj (id serial PRIMARY KEY, township admincode, direction text, geom geometry(Polygon, 4528));
SELECT attach('adj', 'R2.3', '{"township": "township", "direction": "direction"}');

-- refused, one per statement
ALTER TABLE xm DISABLE TRIGGER "landpolicy_R1.1";
ALTER TABLE xm DISABLE TRIGGER ALL;
ALTER TABLE xm DISABLE TRIGGER USER;
ALTER TABLE xm ENABLE TRIGGER "landpolicy_R1.1";
ALTER TABLE xm ENABLE REPLICA TRIGGER "landpolicy_R1.1";
DROP TRIGGER "landpolicy_R1.1" ON xm;
DROP TRIGGER "landpolicy_R2.3_truncate" ON adj;
ALTER TABLE hx DISABLE TRIGGER landpolicy_layer_eco_redline_upd;
DROP TRIGGER landpolicy_layer_eco_redline_trunc ON hx;
ALTER TRIGGER "landpolicy_R1.1" ON xm RENAME TO not_a_guard;
CREATE OR REPLACE TRIGGER "landpolicy_R1.1" AFTER INSERT OR UPDATE ON xm FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
-- and in a replica session too (the event triggers are ENABLE ALWAYS)
SET session_replication_role = replica;
ALTER TABLE xm DISABLE TRIGGER "landpolicy_R1.1";
DROP TRIGGER "landpolicy_R1.1" ON xm;
RESET session_replication_role;
SELECT evtname, evtenabled FROM pg_event_trigger WHERE evtname LIKE 'landpolicy%' ORDER BY 1;
-- so the guard still works
INSERT INTO xm (use, geom) VALUES ('0601', ST_MakeEnvelope(100, 100, 200, 200, 4528));
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid IN ('xm'::regclass, 'adj'::regclass, 'hx'::regclass) AND NOT tgisinternal ORDER BY 1;

-- other DDL on guarded tables goes through
ALTER TABLE xm ADD COLUMN note text;
CREATE TRIGGER other AFTER INSERT ON xm FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
DROP TRIGGER other ON xm;

-- detach and unregister are the way out, and are logged
SELECT detach('xm', 'R1.1');
SELECT detach('adj', 'R2.3');
SELECT unregister_layer('eco_redline');
SELECT action, target, rule, by_role = session_user AS by_me FROM attachment_log
WHERE target IN ('xm', 'adj') ORDER BY id;
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgrelid IN ('xm'::regclass, 'adj'::regclass, 'hx'::regclass) AND NOT tgisinternal;
DROP TABLE xm, adj, hx;
