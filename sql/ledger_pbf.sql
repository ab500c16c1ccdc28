-- R2.3 the 5 % PBF adjustment cap per township, R2.4 supplement before removal (先补后调), no worse
-- quality (占优补优) and measured areas (可实测): ledgers booked by the guards, checked by verify().
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

-- the acceptance example
CREATE TABLE pbf_adjustment (id serial PRIMARY KEY, township landpolicy.admincode NOT NULL,
  direction text NOT NULL CHECK (direction IN ('out', 'in')), grade int,
  recorded_on date NOT NULL, geom geometry(MultiPolygon, 4528) NOT NULL);
INSERT INTO landpolicy.pbf_baseline (township, designated_m2) VALUES ('350121101', 1000000);
SELECT landpolicy.attach('pbf_adjustment', 'R2.3', '{"township": "township", "direction": "direction",
  "grade": "grade", "date": "recorded_on", "geom": "geom"}');
SELECT landpolicy.attach('pbf_adjustment', 'R2.4', '{"township": "township", "direction": "direction",
  "grade": "grade", "date": "recorded_on", "geom": "geom"}');

-- a w × h m box at x metres east of the origin, as a multipolygon
CREATE FUNCTION pg_temp.box(x float8, w float8, h float8) RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_Multi(ST_MakeEnvelope(40500000 + x, 2890000, 40500000 + x + w, 2890000 + h, 4528)) $$;

-- removal before any supplement fails R2.4 (先补后调)
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'out', 5, '2026-01-05', pg_temp.box(0, 100, 100));
-- 60000 m² supplemented (grade 3), then removals of 50000 m² (grade 5) pass: exactly at the 5 % cap
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'in', 3, '2026-01-10', pg_temp.box(0, 300, 200));
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'out', 5, '2026-02-10', pg_temp.box(1000, 200, 150));
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'out', 5, '2026-02-11', pg_temp.box(2000, 200, 100));
SELECT township, removed_m2, supplemented_m2, cap_m2, headroom_m2, pct_of_cap_used, removed_mu, cap_mu FROM landpolicy.pbf_adjustment_status;
-- one more m² fails R2.3 (23514, constraint R2.3)
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'out', 5, '2026-02-12', pg_temp.box(3000, 1, 1));
DO $$
DECLARE st text; con text;
BEGIN
    INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'out', 5, '2026-02-12', pg_temp.box(3000, 1, 1));
EXCEPTION WHEN check_violation THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, con = CONSTRAINT_NAME;
    RAISE NOTICE 'sqlstate %, constraint %', st, con;
END $$;
SELECT * FROM landpolicy.verify();

-- deleting a supplement that removals depend on is refused (R2.4): 60000 in, 50000 out
DELETE FROM pbf_adjustment WHERE direction = 'in';
-- shrinking it below the removals is refused too
UPDATE pbf_adjustment SET geom = pg_temp.box(0, 200, 200) WHERE direction = 'in';
-- shrinking a removal is always allowed, and frees cap
UPDATE pbf_adjustment SET geom = pg_temp.box(2000, 100, 100) WHERE recorded_on = '2026-02-11';
SELECT township, removed_m2, headroom_m2 FROM landpolicy.pbf_adjustment_status;
-- an UPDATE of no mapped column books nothing
ALTER TABLE pbf_adjustment ADD COLUMN note text;
UPDATE pbf_adjustment SET note = 'checked' WHERE direction = 'out';
SELECT rule, scope, out_m2, in_m2, entries FROM landpolicy.ledger ORDER BY rule;

-- 占优补优: a supplement of worse grade than the removals fails
CREATE TABLE adj2 (LIKE pbf_adjustment INCLUDING ALL);
ALTER TABLE adj2 ALTER COLUMN id SET DEFAULT nextval('pbf_adjustment_id_seq');
INSERT INTO landpolicy.pbf_baseline (township, designated_m2) VALUES ('350121102', 1000000);
SELECT landpolicy.attach('adj2', 'R2.4', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on"}');
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'in', 6, '2026-03-01', pg_temp.box(5000, 100, 100));
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'out', 6, '2026-03-02', pg_temp.box(6000, 100, 50));
-- a removal of better land (grade 4) than the supplement (grade 6) fails
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'out', 4, '2026-03-03', pg_temp.box(7000, 10, 10));
-- a worse supplement (grade 9) lowers the average and fails
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'in', 9, '2026-03-04', pg_temp.box(8000, 100, 100));
-- a better one (grade 2) passes
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'in', 2, '2026-03-04', pg_temp.box(8000, 100, 100));
-- an UPDATE of a grade alone is judged too: grade 2 → 9 would make the supplements (6 and 9) worse than the removal (6)
UPDATE adj2 SET grade = 9 WHERE grade = 2 AND direction = 'in';
-- grade 2 → 6: the supplements average 6, no worse than the removal: passes
UPDATE adj2 SET grade = 6 WHERE grade = 2 AND direction = 'in';
SELECT direction, grade FROM adj2 ORDER BY id;
-- deleting a removal can leave the supplements worse than the removals that remain: judged too
BEGIN;
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'out', 8, '2026-03-04', pg_temp.box(8500, 10, 10));
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'out', 4, '2026-03-04', pg_temp.box(8600, 10, 10));
-- removals 6, 8, 4 average 6.00; without the grade-8 one they average 5.96, better than the supplements' 6
DELETE FROM adj2 WHERE direction = 'out' AND grade = 8;
ROLLBACK;
-- R2.4 needs grades; grades are 1-15; directions are out/in
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'in', NULL, '2026-03-05', pg_temp.box(9000, 10, 10));
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'in', 16, '2026-03-05', pg_temp.box(9000, 10, 10));
INSERT INTO adj2 (township, direction, grade, recorded_on, geom) VALUES ('350121102', 'in', 0, '2026-03-05', pg_temp.box(9000, 10, 10));

-- 可实测: a declared area must match the measured one within area.declared_tolerance_m2 (1 m²)
ALTER TABLE adj2 ADD COLUMN declared_m2 numeric;
SELECT landpolicy.attach('adj2', 'R2.4', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on", "declared_area": "declared_m2"}');
INSERT INTO adj2 (township, direction, grade, recorded_on, geom, declared_m2) VALUES ('350121102', 'in', 2, '2026-03-06', pg_temp.box(9000, 10, 10), 101);
INSERT INTO adj2 (township, direction, grade, recorded_on, geom, declared_m2) VALUES ('350121102', 'in', 2, '2026-03-06', pg_temp.box(9100, 10, 10), 101.5);
SELECT * FROM landpolicy.verify();

-- the cap is a share of the pbf layer in the township when pbf_baseline has no row
CREATE TABLE yjjbnt (id serial PRIMARY KEY, xzqdm landpolicy.admincode, geom geometry(MultiPolygon, 4528));
INSERT INTO yjjbnt (xzqdm, geom) VALUES ('350121103', pg_temp.box(20000, 1000, 200)), ('350121103', pg_temp.box(22000, 1000, 200));
SELECT landpolicy.register_layer('pbf', 'yjjbnt', '{"township": "xzqdm"}');
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121103', 'in', 3, '2026-04-01', pg_temp.box(30000, 200, 200));
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121103', 'out', 5, '2026-04-02', pg_temp.box(20000, 200, 100));
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121103', 'out', 5, '2026-04-02', pg_temp.box(20200, 1, 1));
-- without baseline or layer the township's cap is unknown: fail closed
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121104', 'in', 3, '2026-04-01', pg_temp.box(40000, 200, 200));
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121104', 'out', 5, '2026-04-02', pg_temp.box(41000, 10, 10));
SELECT township, designated_m2, removed_m2, cap_m2 FROM landpolicy.pbf_adjustment_status ORDER BY township;

-- before S1 (2024-08-05) no cap ratio is in force: the cap does not apply (R2.4 still does)
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'in', 3, '2024-01-01', pg_temp.box(50000, 100, 100));
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'out', 5, '2024-01-02', pg_temp.box(51000, 200, 100));
SELECT township, removed_m2, cap_m2 FROM landpolicy.pbf_adjustment_status WHERE township = '350121101';

-- TRUNCATE of a ledger-guarded table is refused
TRUNCATE pbf_adjustment;
-- record mode: the removal goes in and is logged; the ledger counts it
SELECT landpolicy.attach('pbf_adjustment', 'R2.3', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on", "mode": "record"}');
INSERT INTO pbf_adjustment (township, direction, grade, recorded_on, geom) VALUES ('350121101', 'out', 5, '2026-05-01', pg_temp.box(60000, 10, 10));
SELECT rule, (violation).measured, (violation)."limit" FROM landpolicy.violation_log;
SELECT * FROM landpolicy.verify();

-- verify() finds a ledger that disagrees with its rows; rebuild_ledger() mends it
UPDATE landpolicy.ledger SET out_m2 = out_m2 + 1 WHERE rule = 'R2.3' AND scope = '350121101';
SELECT * FROM landpolicy.verify();
SELECT landpolicy.rebuild_ledger('R2.3');
SELECT * FROM landpolicy.verify();

-- detaching rebuilds the ledger from the tables still attached
SELECT landpolicy.detach('adj2', 'R2.4');
SELECT rule, scope, out_m2, in_m2 FROM landpolicy.ledger WHERE scope = '350121102';
SELECT landpolicy.detach('pbf_adjustment', 'R2.3');
SELECT landpolicy.detach('pbf_adjustment', 'R2.4');
SELECT count(*) AS ledger_rows_left FROM landpolicy.ledger;
SELECT landpolicy.unregister_layer('pbf');
DELETE FROM landpolicy.pbf_baseline;
DELETE FROM landpolicy.violation_log;
DROP TABLE pbf_adjustment, adj2, yjjbnt;
