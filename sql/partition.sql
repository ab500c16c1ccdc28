-- Partitioned guarded tables: the guard reaches every partition, ATTACH PARTITION of a table whose
-- rows break a rule is refused (reject mode) or logged (record mode), the partitions' copies of a
-- guard trigger cannot be switched off, and running-total rules are refused on a partitioned table.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

CREATE TABLE hx (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO hx VALUES (1, ST_MakeEnvelope(0, 0, 1000, 1000, 4528));
SELECT register_layer('eco_redline', 'hx');
CREATE TABLE xm (id int, xzq text, use landclass, approved_on date, geom geometry(Polygon, 4528)) PARTITION BY LIST (xzq);
CREATE TABLE xm_a PARTITION OF xm FOR VALUES IN ('a');
SET client_min_messages = warning;
SELECT attach('xm', 'R1.1', '{"use": "use", "date": "approved_on", "key": "id"}');
RESET client_min_messages;

-- a write through the parent or straight into a partition is guarded
INSERT INTO xm VALUES (1, 'a', '0601', '2026-01-01', ST_MakeEnvelope(0, 0, 100, 100, 4528));
INSERT INTO xm_a VALUES (1, 'a', '0601', '2026-01-01', ST_MakeEnvelope(0, 0, 100, 100, 4528));
-- a partition created afterwards is guarded too
CREATE TABLE xm_c PARTITION OF xm FOR VALUES IN ('c');
INSERT INTO xm_c VALUES (1, 'c', '0601', '2026-01-01', ST_MakeEnvelope(0, 0, 100, 100, 4528));

-- ATTACH PARTITION of a table with a row inside the red line: refused, and nothing attached
CREATE TABLE xm_b (LIKE xm);
INSERT INTO xm_b VALUES (2, 'b', '0601', '2026-01-01', ST_MakeEnvelope(0, 0, 100, 100, 4528)),
                        (3, 'b', '0601', '2026-01-01', ST_MakeEnvelope(5000, 0, 5100, 100, 4528));
ALTER TABLE xm ATTACH PARTITION xm_b FOR VALUES IN ('b');
SELECT count(*) AS rows_in_xm FROM xm;
SELECT row_key, (v).rule, (v).measured FROM audit_rows('xm', 'xm_b');
-- corrected, it attaches; a later ALTER TABLE of the parent does not audit it again
UPDATE xm_b SET geom = ST_MakeEnvelope(2000, 0, 2100, 100, 4528) WHERE id = 2;
ALTER TABLE xm ATTACH PARTITION xm_b FOR VALUES IN ('b');
ALTER TABLE xm ADD COLUMN note text;
SELECT count(*) AS rows_in_xm FROM xm;

-- the partitions' copies of the guard trigger stay in place
ALTER TABLE xm_b DISABLE TRIGGER "landpolicy_R1.1";
ALTER TABLE xm_b ENABLE REPLICA TRIGGER "landpolicy_R1.1";
DROP TRIGGER "landpolicy_R1.1" ON xm_b;
SELECT tgrelid::regclass AS tbl, tgenabled FROM pg_trigger WHERE tgname = 'landpolicy_R1.1' ORDER BY tgrelid::regclass::text;

-- a partition detached is no longer part of the guarded table
ALTER TABLE xm DETACH PARTITION xm_b;
INSERT INTO xm_b VALUES (4, 'b', '0601', '2026-01-01', ST_MakeEnvelope(0, 0, 100, 100, 4528));
-- and cannot come back with that row
ALTER TABLE xm ATTACH PARTITION xm_b FOR VALUES IN ('b');
DELETE FROM xm_b WHERE id = 4;

-- record mode: the rows come in, each violation is logged against the partition
SELECT attach('xm', 'R1.1', '{"use": "use", "date": "approved_on", "key": "id", "mode": "record"}');
INSERT INTO xm_b VALUES (5, 'b', '0601', '2026-01-01', ST_MakeEnvelope(0, 0, 100, 100, 4528));
ALTER TABLE xm ATTACH PARTITION xm_b FOR VALUES IN ('b');
SELECT rule, target, row_key, (violation).measured FROM violation_log ORDER BY id;

-- only what ATTACH PARTITION brings is audited: a partition created in this transaction, whose
-- row the guard has just logged, is not audited (and logged) again by a later ALTER TABLE of the parent
BEGIN;
CREATE TABLE xm_d PARTITION OF xm FOR VALUES IN ('d');
INSERT INTO xm VALUES (6, 'd', '0601', '2026-01-01', ST_MakeEnvelope(0, 0, 100, 100, 4528));
ALTER TABLE xm ADD COLUMN note2 text;
COMMIT;
SELECT rule, target, row_key FROM violation_log WHERE row_key = '6' ORDER BY id;

-- rules that keep running totals: not on a partitioned table (a partition's TRUNCATE would skip them)
CREATE TABLE adj (id int, township admincode, direction text, recorded_on date, geom geometry(Polygon, 4528)) PARTITION BY LIST (township);
SELECT attach('adj', 'R2.3', '{"township": "township", "direction": "direction", "date": "recorded_on"}');

-- detach() from the parent removes the partitions' copies too
SELECT detach('xm', 'R1.1');
SELECT count(*) AS guard_triggers_left FROM pg_trigger WHERE tgname = 'landpolicy_R1.1';
DELETE FROM violation_log WHERE target IN ('xm_b'::regclass, 'xm_d'::regclass);
DROP TABLE xm, adj;
SELECT unregister_layer('eco_redline');
DROP TABLE hx;
