-- Guards around the rules: check() (the dry run), audit() (rows already in a table), bad input
-- through a guard, and the errors of attach() and register_layer().
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
-- errors without CONTEXT: the call stack inside the extension is not what these cases prove
\set SHOW_CONTEXT never

-- reference layers, 1 km squares in a row along y 2890000-2891000, from x = 40500000 eastwards:
-- red line, PBF, forest, wetland, river/lake, water source, cultivated land
CREATE TABLE stbhhx (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE yjjbnt (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE ld (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE sd (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE hhsm (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE sydbhq (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE gd (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
INSERT INTO stbhhx (geom) VALUES (ST_Multi(ST_MakeEnvelope(40500000, 2890000, 40501000, 2891000, 4528)));
INSERT INTO yjjbnt (geom) VALUES (ST_Multi(ST_MakeEnvelope(40501000, 2890000, 40502000, 2891000, 4528)));
INSERT INTO ld (geom) VALUES (ST_Multi(ST_MakeEnvelope(40502000, 2890000, 40503000, 2891000, 4528)));
INSERT INTO sd (geom) VALUES (ST_Multi(ST_MakeEnvelope(40503000, 2890000, 40504000, 2891000, 4528)));
INSERT INTO hhsm (geom) VALUES (ST_Multi(ST_MakeEnvelope(40504000, 2890000, 40505000, 2891000, 4528)));
INSERT INTO sydbhq (geom) VALUES (ST_Multi(ST_MakeEnvelope(40505000, 2890000, 40506000, 2891000, 4528)));
INSERT INTO gd (geom) VALUES (ST_Multi(ST_MakeEnvelope(40506000, 2890000, 40507000, 2891000, 4528)));

-- 100 m tall boxes along y 2890000-2890100: one across the red line / PBF edge (100 m each side), one far away
CREATE FUNCTION pg_temp.edge() RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528) $$;
CREATE FUNCTION pg_temp.away() RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528) $$;

-- check(): no layer registered at all, asking for R2.1 by name: an error naming the missing PBF layer
SELECT rule, measured FROM landpolicy.check(pg_temp.edge(), '0601', NULL, '2026-01-01', '{"rules": ["R2.1"]}');
-- ... and for R1.2 and a paddy row: an error naming the first missing layer
SELECT rule, measured FROM landpolicy.check(pg_temp.edge(), '0101', NULL, '2026-01-01', '{"rules": ["R1.2"]}');

SELECT landpolicy.register_layer('eco_redline', 'stbhhx');
SELECT landpolicy.register_layer('pbf', 'yjjbnt');

-- with the red line and PBF registered: industry across their common edge breaks R1.1 and R2.1,
-- 10000 m² each; the rules whose layers are missing are named in a NOTICE
SELECT rule, severity, measured, "limit", detail->>'layer' AS layer, message
FROM landpolicy.check(pg_temp.edge(), '0601', NULL, '2026-01-01');
-- facility agriculture on the same spot breaks R2.2 only
SELECT rule, measured, "limit", detail->>'layer' AS layer FROM landpolicy.check(pg_temp.edge(), '1202', NULL, '2026-01-01');
-- paddy there breaks none of the rules that could be checked
SELECT rule, measured FROM landpolicy.check(pg_temp.edge(), '0101', NULL, '2026-01-01');
-- the dry run wrote nothing
SELECT count(*) AS logged FROM landpolicy.violation_log;
-- options.rules restricts the rules (and no NOTICE: nothing was skipped)
SELECT rule, measured FROM landpolicy.check(pg_temp.edge(), '0601', NULL, '2026-01-01', '{"rules": ["R2.1"]}');
SELECT rule, measured FROM landpolicy.check(pg_temp.edge(), '0601', NULL, '2026-01-01', '{"rules": ["R2.2", "R1.1"]}');
-- a rule named explicitly whose layer is missing: an error naming it
SELECT rule, measured FROM landpolicy.check(pg_temp.edge(), '0101', NULL, '2026-01-01', '{"rules": ["R1.2"]}');
SELECT rule, measured FROM landpolicy.check(pg_temp.edge(), '0101', NULL, '2026-01-01', '{"rules": ["R3.3"]}');
-- ... but only for a row the rule concerns: industry is no matter for R1.2
SELECT rule, measured FROM landpolicy.check(pg_temp.edge(), '0601', NULL, '2026-01-01', '{"rules": ["R1.2"]}');

SELECT landpolicy.register_layer('forest', 'ld');
SELECT landpolicy.register_layer('wetland', 'sd');
SELECT landpolicy.register_layer('water_area', 'hhsm');
SELECT landpolicy.register_layer('water_source', 'sydbhq');
SELECT landpolicy.register_layer('cultivated', 'gd');
SELECT kind, source, features FROM landpolicy.layers ORDER BY kind;

-- every rule whose layers are registered: paddy (slope grade 1) from the red line across PBF into the forest breaks R1.2 twice
SELECT rule, measured, detail->>'layer' AS layer, message
FROM landpolicy.check(ST_MakeEnvelope(40500900, 2890000, 40502100, 2890100, 4528), '0101', NULL, '2026-01-01', '{"slope_grade": 1}');
-- paddy without a slope grade, and no slope layer: R3.3 cannot judge it, an error
SELECT rule, measured FROM landpolicy.check(pg_temp.away(), '0101', NULL, '2026-01-01');
-- {"slope_grade": 5}: R3.3 refuses grade 5
SELECT rule, measured, "limit", message FROM landpolicy.check(pg_temp.away(), '0101', NULL, '2026-01-01', '{"slope_grade": 5}');
-- {"slope_grade": 4} without review: R3.3 asks for one
SELECT rule, measured, "limit", message FROM landpolicy.check(pg_temp.away(), '0101', NULL, '2026-01-01', '{"slope_grade": 4}');
-- {"slope_grade": 4, "review": "x"}: passes
SELECT rule, measured FROM landpolicy.check(pg_temp.away(), '0101', NULL, '2026-01-01', '{"slope_grade": 4, "review": "闽自然资复〔2026〕1号"}');
-- {"slope_grade": 4, "review": null}: a NULL review is no review (as a NULL review column is in a guard): refused
SELECT rule, measured, "limit", message FROM landpolicy.check(pg_temp.away(), '0101', NULL, '2026-01-01', '{"slope_grade": 4, "review": null}');
-- {"slope_grade": 4, "review": "x"} inside the water source: refused all the same
SELECT rule, measured, "limit", message
FROM landpolicy.check(ST_MakeEnvelope(40505400, 2890400, 40505500, 2890500, 4528), '0101', NULL, '2026-01-01', '{"slope_grade": 4, "review": "闽自然资复〔2026〕1号"}');
-- {"pv": true}: a PV array on cultivated land breaks R3.4
SELECT rule, measured, detail->>'layer' AS layer, message
FROM landpolicy.check(ST_MakeEnvelope(40506400, 2890400, 40506500, 2890500, 4528), '1201', NULL, '2026-01-01', '{"pv": true}');
-- {"pv": false}, or no pv at all: not a PV array, nothing
SELECT rule, measured FROM landpolicy.check(ST_MakeEnvelope(40506400, 2890400, 40506500, 2890500, 4528), '1201', NULL, '2026-01-01', '{"pv": false}');
SELECT rule, measured FROM landpolicy.check(ST_MakeEnvelope(40506400, 2890400, 40506500, 2890500, 4528), '1201', NULL, '2026-01-01');
-- an unknown option key: an error
SELECT rule FROM landpolicy.check(pg_temp.away(), '0601', NULL, '2026-01-01', '{"colour": "red"}');
-- an unknown rule: an error
SELECT rule FROM landpolicy.check(pg_temp.away(), '0601', NULL, '2026-01-01', '{"rules": ["R1.1", "R9.9"]}');
-- a geometry that cannot be checked: an error
SELECT rule FROM landpolicy.check(NULL, '0601', NULL, '2026-01-01');
SELECT rule FROM landpolicy.check('SRID=4528;POLYGON((40500000 2890000,40500010 2890010,40500010 2890000,40500000 2890010,40500000 2890000))', '0601', NULL, '2026-01-01');
-- still nothing written
SELECT count(*) AS logged FROM landpolicy.violation_log;

-- audit(): rows written before any rule was attached
CREATE TABLE xm (id int PRIMARY KEY, use landpolicy.landclass, approved_on date, geom geometry(Polygon, 4528));
INSERT INTO xm VALUES
    (1, '0601', '2026-01-01', ST_MakeEnvelope(40500100, 2890100, 40500200, 2890200, 4528)),  -- industry in the red line
    (2, '0601', '2026-01-01', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528)),  -- industry across red line and PBF
    (3, '1202', '2026-01-01', ST_MakeEnvelope(40501400, 2890400, 40501500, 2890500, 4528)),  -- facility agriculture on PBF
    (4, '0101', '2026-01-01', ST_MakeEnvelope(40501400, 2890600, 40501500, 2890700, 4528)),  -- paddy on PBF: fine
    (5, '0601', '2026-01-01', ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528)),  -- industry far away: fine
    (6, '0601', '2026-01-01', 'SRID=4528;POLYGON((40500000 2890000,40500010 2890010,40500010 2890000,40500000 2890010,40500000 2890000))'),  -- self-intersecting
    (7, '0601', '2026-01-01', NULL),                                                          -- no geometry
    (8, NULL,   '2026-01-01', ST_MakeEnvelope(40500300, 2890300, 40500400, 2890400, 4528)),  -- no use
    (9, '0601', '2025-06-01', ST_MakeEnvelope(40501600, 2890600, 40501700, 2890700, 4528));  -- industry on PBF, an earlier date
-- an R2.1 exemption in 2026 over row 9's place: its 2025 date is outside the window, so it is still reported
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R2.1', 'major_project', '自然资预审字〔2026〕9号', '自然资源部', ST_MakeEnvelope(40501600, 2890600, 40501700, 2890700, 4528), '[2026-01-01,2027-01-01)');
-- a table with no rule attached cannot be audited
SELECT * FROM landpolicy.audit('xm');
SELECT landpolicy.attach('xm', 'R1.1', '{"use": "use", "date": "approved_on"}');
SELECT landpolicy.attach('xm', 'R2.1', '{"use": "use", "date": "approved_on"}');
SELECT landpolicy.attach('xm', 'R2.2', '{"use": "use", "date": "approved_on"}');
-- every violation of every attached rule, by row key; rows that cannot be checked are reported, not skipped
SELECT row_key, (v).rule, (v).measured, (v).message
FROM landpolicy.audit('xm') WHERE row_key <> '8' ORDER BY row_key::int, (v).rule;
-- the row without a use cannot be checked by any of the three rules (the guard would refuse it): reported for each
SELECT row_key, (v).rule FROM landpolicy.audit('xm') WHERE row_key = '8' ORDER BY (v).rule;
-- the audit wrote nothing and changed nothing
SELECT count(*) AS logged FROM landpolicy.violation_log;
SELECT count(*) AS rows_in FROM xm;
SELECT landpolicy.detach('xm', 'R1.1');
SELECT landpolicy.detach('xm', 'R2.1');
SELECT landpolicy.detach('xm', 'R2.2');
-- once every rule is detached, audit() is an error again
SELECT * FROM landpolicy.audit('xm');

-- bad input through the guard: an unconstrained geometry column, R2.1 attached
CREATE TABLE xm2 (id serial PRIMARY KEY, use landpolicy.landclass, geom geometry);
SELECT landpolicy.attach('xm2', 'R2.1', '{"use": "use"}');
-- NULL geometry: an error
INSERT INTO xm2 (use, geom) VALUES ('0601', NULL);
-- empty geometry: an error
INSERT INTO xm2 (use, geom) VALUES ('0601', 'SRID=4528;POLYGON EMPTY');
-- self-intersecting geometry: an error naming the spot
INSERT INTO xm2 (use, geom) VALUES ('0601', 'SRID=4528;POLYGON((40510000 2890000,40510010 2890010,40510010 2890000,40510000 2890010,40510000 2890000))');
-- a LINESTRING: an error, a rule checks areas
INSERT INTO xm2 (use, geom) VALUES ('0601', 'SRID=4528;LINESTRING(40510000 2890000,40510100 2890100)');
-- SRID 0: an error
INSERT INTO xm2 (use, geom) VALUES ('0601', 'POLYGON((40510000 2890000,40510100 2890000,40510100 2890100,40510000 2890100,40510000 2890000))');
-- NULL use: an error
INSERT INTO xm2 (use, geom) VALUES (NULL, ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528));
-- a row the rule does not concern is not inspected: paddy without a geometry passes R2.1
INSERT INTO xm2 (use, geom) VALUES ('0101', NULL);
-- a good row passes
INSERT INTO xm2 (use, geom) VALUES ('0601', ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528));
SELECT id, use, ST_AsText(geom) FROM xm2 ORDER BY id;
SELECT landpolicy.detach('xm2', 'R2.1');

-- attach() errors, one per statement
CREATE TABLE at (id serial PRIMARY KEY, use landpolicy.landclass, use_txt text, approved_on date, approved_txt text,
                 pdjb_txt text, pv_txt text, geom geometry(Polygon, 4528));
CREATE TABLE at2 (id serial PRIMARY KEY, use landpolicy.landclass, geom geometry(Polygon, 4528), geom_old geometry(Polygon, 4528));
-- unknown rule
SELECT landpolicy.attach('at', 'R9.9', '{"use": "use"}');
-- unknown option key
SELECT landpolicy.attach('at', 'R2.1', '{"use": "use", "colour": "red"}');
-- missing required input (R2.1 needs the use)
SELECT landpolicy.attach('at', 'R2.1', '{"date": "approved_on"}');
-- a column that does not exist
SELECT landpolicy.attach('at', 'R2.1', '{"use": "yongtu"}');
-- a column of the wrong type: a date as the use (text would do: see use_text.sql)
SELECT landpolicy.attach('at', 'R2.1', '{"use": "approved_on"}');
-- text as the date
SELECT landpolicy.attach('at', 'R2.1', '{"use": "use", "date": "approved_txt"}');
-- text as the slope grade
SELECT landpolicy.attach('at', 'R3.3', '{"use": "use", "slope_grade": "pdjb_txt"}');
-- text as the PV flag
SELECT landpolicy.attach('at', 'R3.4', '{"pv": "pv_txt"}');
-- an option a rule does not take (R2.1 has no slope grade)
SELECT landpolicy.attach('at', 'R2.1', '{"use": "use", "slope_grade": "pdjb_txt"}');
-- mode 'maybe'
SELECT landpolicy.attach('at', 'R2.1', '{"use": "use", "mode": "maybe"}');
-- two geometry columns and no "geom" option
SELECT landpolicy.attach('at2', 'R2.1', '{"use": "use"}');
-- NULL rule
SELECT landpolicy.attach('at', NULL, '{"use": "use"}');
-- none of them left an attachment or a trigger behind
SELECT count(*) AS attachments FROM landpolicy.attachment WHERE target IN ('at'::regclass, 'at2'::regclass);
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid IN ('at'::regclass, 'at2'::regclass) AND NOT tgisinternal;
-- naming the geometry column makes the two-geometry table attachable
SELECT landpolicy.attach('at2', 'R2.1', '{"use": "use", "geom": "geom"}');
SELECT target, rule, mode, options FROM landpolicy.attachments WHERE target = 'at2'::regclass;
SELECT landpolicy.detach('at2', 'R2.1');

-- register_layer() errors, one per statement
CREATE TABLE udb2 (id serial PRIMARY KEY, dlbm text, geom geometry(MultiPolygon, 4528), geom_old geometry(MultiPolygon, 4528));
CREATE TABLE udb_nopk (bsm text, geom geometry(MultiPolygon, 4528));
CREATE TABLE pd_nograde (id serial PRIMARY KEY, pdjb int, geom geometry(MultiPolygon, 4528));
-- a kind with capitals
SELECT landpolicy.register_layer('Forest', 'ld');
-- a kind with a hyphen
SELECT landpolicy.register_layer('eco-redline', 'stbhhx');
-- a kind already registered
SELECT landpolicy.register_layer('eco_redline', 'stbhhx');
-- two geometry columns and no "geom" option
SELECT landpolicy.register_layer('udb', 'udb2');
-- no primary key and no "key" option
SELECT landpolicy.register_layer('udb', 'udb_nopk');
-- a slope layer without its slope_grade option
SELECT landpolicy.register_layer('slope', 'pd_nograde');
-- an unknown option
SELECT landpolicy.register_layer('udb', 'udb2', '{"geom": "geom", "colour": "red"}');
-- class_column without the classes (only a cultivated layer has a default)
SELECT landpolicy.register_layer('forest2', 'udb2', '{"geom": "geom", "class_column": "dlbm"}');
-- none of them registered anything
SELECT kind FROM landpolicy.layer ORDER BY kind;
SELECT count(*) AS partitions FROM pg_inherits WHERE inhparent = 'landpolicy.layer_piece'::regclass;
-- with "geom" and "key" named, the same tables register
SELECT landpolicy.register_layer('udb', 'udb2', '{"geom": "geom"}');
SELECT landpolicy.register_layer('udb_b', 'udb_nopk', '{"key": "bsm"}');
SELECT kind, source, geom_column, key_column FROM landpolicy.layers WHERE kind LIKE 'udb%' ORDER BY kind;
SELECT landpolicy.unregister_layer('udb');
SELECT landpolicy.unregister_layer('udb_b');

SELECT landpolicy.unregister_layer('eco_redline');
SELECT landpolicy.unregister_layer('pbf');
SELECT landpolicy.unregister_layer('forest');
SELECT landpolicy.unregister_layer('wetland');
SELECT landpolicy.unregister_layer('water_area');
SELECT landpolicy.unregister_layer('water_source');
SELECT landpolicy.unregister_layer('cultivated');
DELETE FROM landpolicy.exemption;
DELETE FROM landpolicy.violation_log;
SELECT count(*) AS attachments_left FROM landpolicy.attachment;
DROP TABLE stbhhx, yjjbnt, ld, sd, hhsm, sydbhq, gd, xm, xm2, at, at2, udb2, udb_nopk, pd_nograde;
