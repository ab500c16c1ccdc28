-- A reference layer whose source is a partitioned table (a province's red line partitioned by
-- county): the layer follows writes through the parent and straight into a partition, TRUNCATE of
-- one partition, partitions created, attached, detached and dropped; the partitions' sync triggers
-- cannot be switched off; unregister_layer() removes them all.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

-- features are 100 m squares on a line, feature n at x = 1000 n
CREATE FUNCTION pg_temp.sq(n int) RETURNS geometry LANGUAGE sql IMMUTABLE
AS $$ SELECT ST_MakeEnvelope(1000 * n, 0, 1000 * n + 100, 100, 4528) $$;
CREATE TABLE rl (id int, county text, geom geometry(Polygon, 4528), PRIMARY KEY (id, county)) PARTITION BY LIST (county);
CREATE TABLE rl_a PARTITION OF rl FOR VALUES IN ('a');
CREATE TABLE rl_b PARTITION OF rl FOR VALUES IN ('b') PARTITION BY LIST (id);   -- two levels
CREATE TABLE rl_b1 PARTITION OF rl_b FOR VALUES IN (3, 4);
INSERT INTO rl VALUES (1, 'a', pg_temp.sq(1)), (2, 'a', pg_temp.sq(2)), (3, 'b', pg_temp.sq(3));
SELECT register_layer('eco_redline', 'rl', '{"key": "id"}');
-- the features in the layer, as "id" list
CREATE FUNCTION pg_temp.features() RETURNS text LANGUAGE sql
AS $$ SELECT coalesce(string_agg(k, ',' ORDER BY k::int), '') FROM (SELECT DISTINCT source_key AS k FROM landpolicy.layer_piece WHERE kind = 'eco_redline') s $$;
SELECT pg_temp.features() AS registered;
SELECT tgrelid::regclass AS tbl, count(*) AS sync_triggers, string_agg(DISTINCT tgenabled::text, '') AS enabled
FROM pg_trigger WHERE tgname LIKE 'landpolicy_layer_eco_redline%' GROUP BY 1 ORDER BY 1::text;

-- a guard that reads the layer: R1.1 on projects
CREATE TABLE prj (id serial PRIMARY KEY, use landclass, geom geometry(Polygon, 4528));
SELECT attach('prj', 'R1.1', '{"use": "use"}');
CREATE FUNCTION pg_temp.refused_at(n int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO prj (use, geom) VALUES ('0601', ST_MakeEnvelope(1000 * n + 10, 10, 1000 * n + 20, 20, 4528));
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'rolled back';
EXCEPTION
    WHEN check_violation THEN RETURN true;
    WHEN raise_exception THEN RETURN false;
END
$$;

-- writes straight into a partition (and a sub-partition) are followed, as through the parent
INSERT INTO rl_a VALUES (5, 'a', pg_temp.sq(5));
INSERT INTO rl_b1 VALUES (4, 'b', pg_temp.sq(4));
SELECT pg_temp.features() AS after_inserts, pg_temp.refused_at(5) AS refused_at_5, pg_temp.refused_at(4) AS refused_at_4;
UPDATE rl_a SET geom = pg_temp.sq(6) WHERE id = 5;
SELECT pg_temp.refused_at(5) AS refused_at_5, pg_temp.refused_at(6) AS refused_at_6;
DELETE FROM rl_b1 WHERE id = 4;
SELECT pg_temp.features() AS after_delete, pg_temp.refused_at(4) AS refused_at_4;

-- TRUNCATE of one partition takes only its features out of the layer
TRUNCATE rl_b1;
SELECT pg_temp.features() AS after_truncating_b1;

-- a partition created later carries the sync triggers
CREATE TABLE rl_c PARTITION OF rl FOR VALUES IN ('c');
INSERT INTO rl_c VALUES (7, 'c', pg_temp.sq(7));
SELECT pg_temp.features() AS after_new_partition, pg_temp.refused_at(7) AS refused_at_7;

-- a table attached brings its features; detached, it takes them away and its writes no longer count
CREATE TABLE rl_d (LIKE rl);
INSERT INTO rl_d VALUES (8, 'd', pg_temp.sq(8));
ALTER TABLE rl ATTACH PARTITION rl_d FOR VALUES IN ('d');
SELECT pg_temp.features() AS after_attach, pg_temp.refused_at(8) AS refused_at_8;
ALTER TABLE rl DETACH PARTITION rl_d;
INSERT INTO rl_d VALUES (9, 'd', pg_temp.sq(9));
SELECT pg_temp.features() AS after_detach, pg_temp.refused_at(8) AS refused_at_8;
-- attached again (its old triggers kept), both rows come in
ALTER TABLE rl ATTACH PARTITION rl_d FOR VALUES IN ('d');
SELECT pg_temp.features() AS after_reattach;

-- a partition dropped takes its features along
DROP TABLE rl_c;
SELECT pg_temp.features() AS after_drop, pg_temp.refused_at(7) AS refused_at_7;

-- the partitions' sync triggers belong to landpolicy
ALTER TABLE rl_a DISABLE TRIGGER landpolicy_layer_eco_redline_ins;
DROP TRIGGER landpolicy_layer_eco_redline_del ON rl_b1;
SELECT tgrelid::regclass AS tbl, count(*) AS sync_triggers, string_agg(DISTINCT tgenabled::text, '') AS enabled
FROM pg_trigger WHERE tgname LIKE 'landpolicy_layer_eco_redline%' GROUP BY 1 ORDER BY 1::text;

-- the layer and the source agree at the end
SELECT pg_temp.features() = (SELECT string_agg(id::text, ',' ORDER BY id) FROM rl) AS layer_matches_source;

-- unregister_layer() removes the triggers from every partition
SELECT detach('prj', 'R1.1');
SELECT unregister_layer('eco_redline');
SELECT count(*) AS sync_triggers_left FROM pg_trigger WHERE tgname LIKE 'landpolicy_layer_eco_redline%';
DROP TABLE prj, rl, rl_d;
