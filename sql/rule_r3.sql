-- R3.3 补充耕地坡度限制: new cultivated land not on slope grade 5 (>25°) anywhere, not on grade 4
-- (15-25°) inside an important water-source area, and on grade 4 elsewhere only with a county
-- evaluation / provincial review reference.  The grade is the row's own (GDPDJB 1-5) or, when it has
-- none, the highest grade of a registered slope layer under it.
-- R3.4 光伏方阵不得占用耕地: a photovoltaic array may not overlap cultivated land.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
-- errors without CONTEXT: the call stack inside the extension is not what these cases prove
\set SHOW_CONTEXT never

-- important water-source area: a 1 km square with its south-west corner at (40500000, 2890000)
CREATE TABLE sydbhq (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
INSERT INTO sydbhq (geom) VALUES (ST_Multi(ST_MakeEnvelope(40500000, 2890000, 40501000, 2891000, 4528)));
-- slope map (坡度图), GDPDJB grades: 4 over the water source, then 2, 4, 5 in 1 km squares to the east
CREATE TABLE pdt (id int PRIMARY KEY, pdjb smallint, geom geometry(MultiPolygon, 4528));
INSERT INTO pdt VALUES
    (1, 4, ST_Multi(ST_MakeEnvelope(40500000, 2890000, 40501000, 2891000, 4528))),
    (2, 2, ST_Multi(ST_MakeEnvelope(40502000, 2890000, 40503000, 2891000, 4528))),
    (3, 4, ST_Multi(ST_MakeEnvelope(40503000, 2890000, 40504000, 2891000, 4528))),
    (4, 5, ST_Multi(ST_MakeEnvelope(40504000, 2890000, 40505000, 2891000, 4528)));
SELECT landpolicy.register_layer('water_source', 'sydbhq');
SELECT landpolicy.register_layer('slope', 'pdt', '{"slope_grade": "pdjb"}');
SELECT kind, source, slope_column, features, pieces FROM landpolicy.layers ORDER BY kind;
SELECT source_key, slope_grade FROM landpolicy.layer_piece WHERE kind = 'slope' ORDER BY source_key;
SELECT id, layers, optional_layers, inputs, optional_inputs, params FROM landpolicy.rules WHERE id IN ('R3.3', 'R3.4') ORDER BY id;

-- supplementary cultivated land (补充耕地) with its own slope grade column and review reference (复核文号)
CREATE TABLE bcgd (id serial PRIMARY KEY, xzqdm landpolicy.admincode, use landpolicy.landclass, approved_on date,
                   pdjb smallint, fhwh text, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('bcgd', 'R3.3', '{"use": "use", "date": "approved_on", "jurisdiction": "xzqdm", "slope_grade": "pdjb", "review": "fhwh"}');

-- a 100 × 100 m box far from the water source and the slope map, and one inside the water source
CREATE FUNCTION pg_temp.away() RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528) $$;
CREATE FUNCTION pg_temp.inwater() RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(40500400, 2890400, 40500500, 2890500, 4528) $$;
-- a box 1 m tall reaching w metres west over the water source's east edge (x = 40501000): overlap w m²
CREATE FUNCTION pg_temp.box(w float8) RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(40501000 - w, 2890500, 40501100, 2890501, 4528) $$;

-- the row's own grade (pdjb column)
-- grade 1 passes
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', 1, pg_temp.away());
-- grade 2 passes
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0102', '2026-01-01', 2, pg_temp.away());
-- grade 3 passes
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0103', '2026-01-01', 3, pg_temp.away());
-- grade 3 inside the water source passes
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', 3, pg_temp.inwater());
-- grade 5 is refused anywhere
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0103', '2026-01-01', 5, pg_temp.away());
-- grade 5 is refused even with a review reference
INSERT INTO bcgd (use, approved_on, pdjb, fhwh, geom) VALUES ('0103', '2026-01-01', 5, '闽自然资复〔2026〕1号', pg_temp.away());
-- grade 4 inside the water source is refused even with a review reference
INSERT INTO bcgd (use, approved_on, pdjb, fhwh, geom) VALUES ('0103', '2026-01-01', 4, '闽自然资复〔2026〕2号', pg_temp.inwater());
-- grade 4 elsewhere without a review reference is refused
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0103', '2026-01-01', 4, pg_temp.away());
-- grade 4 elsewhere with a review reference passes
INSERT INTO bcgd (use, approved_on, pdjb, fhwh, geom) VALUES ('0103', '2026-01-01', 4, '闽自然资复〔2026〕3号', pg_temp.away());
-- grade 4 with review touching the water source (not inside it) passes
INSERT INTO bcgd (use, approved_on, pdjb, fhwh, geom) VALUES ('0103', '2026-01-01', 4, '闽自然资复〔2026〕4号', pg_temp.box(0));
-- grade 4 with review overlapping the water source by exactly the tolerance (1 m²) passes: not inside it
INSERT INTO bcgd (use, approved_on, pdjb, fhwh, geom) VALUES ('0103', '2026-01-01', 4, '闽自然资复〔2026〕5号', pg_temp.box(1.0));
-- grade 4 with review overlapping the water source by 1.1 m² is inside it: refused
INSERT INTO bcgd (use, approved_on, pdjb, fhwh, geom) VALUES ('0103', '2026-01-01', 4, '闽自然资复〔2026〕6号', pg_temp.box(1.1));
-- an empty-string review is still a reference (the column is not NULL): passes
INSERT INTO bcgd (use, approved_on, pdjb, fhwh, geom) VALUES ('0101', '2026-01-01', 4, '', pg_temp.away());
-- arbor forest (0301) on grade 5 is not this rule's concern
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0301', '2026-01-01', 5, pg_temp.away());
-- ... nor is it without any grade at all
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0301', '2026-01-01', NULL, pg_temp.away());
-- the row's own grade wins over the slope map: grade 2 written on the grade-5 square passes
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', 2, ST_MakeEnvelope(40504400, 2890400, 40504500, 2890500, 4528));
-- grade 6 does not exist: an error
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', 6, pg_temp.away());
-- grade 0 does not exist: an error saying so
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', 0, pg_temp.away());
-- grade 0 on the grade-2 square: the same error, not the slope map's grade
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', 0, ST_MakeEnvelope(40502400, 2890400, 40502500, 2890500, 4528));
-- a negative grade: an error
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', -1, pg_temp.away());
-- before the parameters' window opens (2023-06-13) no slope limit is in force: the rule does not apply (as R2.3 before S1)
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2023-06-12', 1, pg_temp.away());

-- no grade on the row (pdjb NULL): the slope map decides, taking the highest grade under the row
-- inside the grade-2 square passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40502400, 2890400, 40502500, 2890500, 4528));
-- inside the grade-5 square is refused as grade 5
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40504400, 2890400, 40504500, 2890500, 4528));
-- across the grade-2 and grade-4 squares without review: refused as grade 4
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40502950, 2890400, 40503050, 2890500, 4528));
-- the same with review passes
INSERT INTO bcgd (use, approved_on, fhwh, geom) VALUES ('0101', '2026-01-01', '闽自然资复〔2026〕7号', ST_MakeEnvelope(40502950, 2890400, 40503050, 2890500, 4528));
-- across the grade-4 and grade-5 squares with review: refused as grade 5
INSERT INTO bcgd (use, approved_on, fhwh, geom) VALUES ('0101', '2026-01-01', '闽自然资复〔2026〕8号', ST_MakeEnvelope(40503950, 2890400, 40504050, 2890500, 4528));
-- inside the grade-2 square touching the grade-4 square: grade 2, passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40502900, 2890400, 40503000, 2890500, 4528));
-- grade 4 under the water source: refused even with review
INSERT INTO bcgd (use, approved_on, fhwh, geom) VALUES ('0101', '2026-01-01', '闽自然资复〔2026〕9号', pg_temp.inwater());
-- no grade on the row and no slope map under it: an error
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.away());
-- an edit of the slope map takes effect: the grade-2 square re-surveyed as grade 5
UPDATE pdt SET pdjb = 5 WHERE id = 2;
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40502400, 2890400, 40502500, 2890500, 4528));
UPDATE pdt SET pdjb = 2 WHERE id = 2;
-- an UPDATE that clears a row's own grade falls back to the slope map: grade 3 → NULL on the water source's grade 4
UPDATE bcgd SET pdjb = NULL WHERE pdjb = 3 AND ST_Equals(geom, pg_temp.inwater());
SELECT use, pdjb, fhwh IS NOT NULL AS reviewed, count(*) FROM bcgd GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- slope_grade unmapped: the slope map always decides
CREATE TABLE bcgd2 (id serial PRIMARY KEY, use landpolicy.landclass, approved_on date, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('bcgd2', 'R3.3', '{"use": "use", "date": "approved_on"}');
-- inside the grade-2 square passes
INSERT INTO bcgd2 (use, approved_on, geom) VALUES ('0102', '2026-01-01', ST_MakeEnvelope(40502400, 2890400, 40502500, 2890500, 4528));
-- inside the grade-4 square, with no review column mapped: refused
INSERT INTO bcgd2 (use, approved_on, geom) VALUES ('0102', '2026-01-01', ST_MakeEnvelope(40503400, 2890400, 40503500, 2890500, 4528));
-- inside the grade-5 square: refused
INSERT INTO bcgd2 (use, approved_on, geom) VALUES ('0102', '2026-01-01', ST_MakeEnvelope(40504400, 2890400, 40504500, 2890500, 4528));
-- without the slope map: no grade from anywhere, an error
SELECT landpolicy.unregister_layer('slope');
INSERT INTO bcgd2 (use, approved_on, geom) VALUES ('0102', '2026-01-01', ST_MakeEnvelope(40502400, 2890400, 40502500, 2890500, 4528));
-- the row's own grade still works without the slope map
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', 2, ST_MakeEnvelope(40502400, 2890400, 40502500, 2890500, 4528));
SELECT landpolicy.register_layer('slope', 'pdt', '{"slope_grade": "pdjb"}');

-- the thresholds are parameters: Guangdong (44) sets cultivated.max_slope_deg to 15°, so grade 4 is refused outright there
INSERT INTO landpolicy.policy_param (key, jurisdiction, valid, value, unit, basis, note) VALUES
    ('cultivated.max_slope_deg', '44', '[2023-06-13,)', 15, 'degree', 'regression test: a provincial slope limit', 'rule_r3 test row');
SELECT landpolicy.param('cultivated.max_slope_deg', '440106', '2026-01-01') AS guangdong,
       landpolicy.param('cultivated.max_slope_deg', '350121', '2026-01-01') AS fujian;
-- a Guangdong row (天河区 440106) on grade 4 with review: refused as over the maximum
INSERT INTO bcgd (xzqdm, use, approved_on, pdjb, fhwh, geom) VALUES ('440106', '0101', '2026-01-01', 4, '粤自然资复〔2026〕1号', pg_temp.away());
-- a Guangdong row on grade 3 passes
INSERT INTO bcgd (xzqdm, use, approved_on, pdjb, geom) VALUES ('440106', '0101', '2026-01-01', 3, pg_temp.away());
-- a Fujian row (闽侯县 350121) on grade 4 with review passes as before
INSERT INTO bcgd (xzqdm, use, approved_on, pdjb, fhwh, geom) VALUES ('350121', '0101', '2026-01-01', 4, '闽自然资复〔2026〕10号', pg_temp.away());
DELETE FROM landpolicy.policy_param WHERE NOT builtin AND key = 'cultivated.max_slope_deg' AND jurisdiction = '44';
-- with the override gone, the Guangdong grade-4 row with review passes
INSERT INTO bcgd (xzqdm, use, approved_on, pdjb, fhwh, geom) VALUES ('440106', '0101', '2026-01-01', 4, '粤自然资复〔2026〕2号', pg_temp.away());

-- record mode logs the slope verdict with its figures
SELECT landpolicy.attach('bcgd', 'R3.3', '{"use": "use", "date": "approved_on", "jurisdiction": "xzqdm", "slope_grade": "pdjb", "review": "fhwh", "mode": "record"}');
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0102', '2026-02-01', 5, pg_temp.away()) RETURNING id, pdjb;
SELECT rule, target, row_key::int = (SELECT max(id) FROM bcgd) AS key_is_new_row, (violation).measured, (violation)."limit",
       (violation).detail->>'slope_grade' AS slope_grade, (violation).detail->>'in_water_source' AS in_water_source
FROM landpolicy.violation_log;
SELECT landpolicy.attach('bcgd', 'R3.3', '{"use": "use", "date": "approved_on", "jurisdiction": "xzqdm", "slope_grade": "pdjb", "review": "fhwh"}');

-- a missing water-source layer fails closed for cultivated rows
SELECT landpolicy.unregister_layer('water_source');
-- grade 1 far from everything: refused, naming the layer
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0101', '2026-01-01', 1, pg_temp.away());
-- arbor forest still passes
INSERT INTO bcgd (use, approved_on, pdjb, geom) VALUES ('0301', '2026-01-01', 1, pg_temp.away());
SELECT landpolicy.register_layer('water_source', 'sydbhq');

-- R3.4: cultivated land from a 三调 parcel table; class_column alone means classes within 01 耕地
CREATE TABLE dltb (bsm text PRIMARY KEY, dlbm text NOT NULL, geom geometry(MultiPolygon, 4528));
INSERT INTO dltb VALUES
    ('A1', '0101', ST_Multi(ST_MakeEnvelope(40500000, 2892000, 40500100, 2892100, 4528))),  -- 水田 paddy
    ('A2', '0103', ST_Multi(ST_MakeEnvelope(40500200, 2892000, 40500300, 2892100, 4528))),  -- 旱地 dry land
    ('A3', '0201', ST_Multi(ST_MakeEnvelope(40500400, 2892000, 40500500, 2892100, 4528)));  -- 果园 orchard
SELECT landpolicy.register_layer('cultivated', 'dltb', '{"class_column": "dlbm"}');
SELECT kind, classes, features FROM landpolicy.layers WHERE kind = 'cultivated';

CREATE TABLE gf (id serial PRIMARY KEY, use landpolicy.landclass, pv boolean, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('gf', 'R3.4', '{"pv": "pv", "use": "use"}');
-- a box 1 m tall reaching w metres west over the paddy's east edge (x = 40500100): overlap w m²
CREATE FUNCTION pg_temp.pvbox(w float8) RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(40500100 - w, 2892050, 40500150, 2892051, 4528) $$;
-- a PV array clear of cultivated land passes
INSERT INTO gf (use, pv, geom) VALUES ('1201', true, ST_MakeEnvelope(40501000, 2892000, 40501100, 2892100, 4528));
-- touching the paddy passes
INSERT INTO gf (use, pv, geom) VALUES ('1201', true, pg_temp.pvbox(0));
-- overlapping it by exactly the tolerance (1 m²) passes
INSERT INTO gf (use, pv, geom) VALUES ('1201', true, pg_temp.pvbox(1.0));
-- overlapping it by 1.1 m² fails, naming cultivated land
INSERT INTO gf (use, pv, geom) VALUES ('1201', true, pg_temp.pvbox(1.1));
-- a PV array over the whole dry-land parcel fails: 10000 m² (15 mu)
INSERT INTO gf (use, pv, geom) VALUES ('1201', true, ST_MakeEnvelope(40500200, 2892000, 40500300, 2892100, 4528));
-- a PV array on the orchard passes (not cultivated land)
INSERT INTO gf (use, pv, geom) VALUES ('1201', true, ST_MakeEnvelope(40500400, 2892000, 40500500, 2892100, 4528));
-- a PV array with no use recorded (use is optional for R3.4) on the paddy fails
INSERT INTO gf (use, pv, geom) VALUES (NULL, true, ST_MakeEnvelope(40500000, 2892000, 40500100, 2892100, 4528));
-- not a PV array (pv false) on the paddy passes
INSERT INTO gf (use, pv, geom) VALUES ('0101', false, ST_MakeEnvelope(40500000, 2892000, 40500100, 2892100, 4528));
-- pv NULL counts as not PV: passes
INSERT INTO gf (use, pv, geom) VALUES ('0101', NULL, ST_MakeEnvelope(40500000, 2892000, 40500100, 2892100, 4528));
-- turning that row into a PV array is checked like an insert
UPDATE gf SET pv = true WHERE pv IS NULL;
SELECT use, pv, count(*) FROM gf GROUP BY 1, 2 ORDER BY 1, 2;
-- a missing cultivated layer fails closed for PV rows only
SELECT landpolicy.unregister_layer('cultivated');
INSERT INTO gf (use, pv, geom) VALUES ('1201', true, ST_MakeEnvelope(40501000, 2892000, 40501100, 2892100, 4528));
INSERT INTO gf (use, pv, geom) VALUES ('1201', false, ST_MakeEnvelope(40501000, 2892000, 40501100, 2892100, 4528));

SELECT landpolicy.detach('bcgd', 'R3.3');
SELECT landpolicy.detach('bcgd2', 'R3.3');
SELECT landpolicy.detach('gf', 'R3.4');
SELECT landpolicy.unregister_layer('water_source');
SELECT landpolicy.unregister_layer('slope');
DELETE FROM landpolicy.exemption;
DELETE FROM landpolicy.violation_log;
SELECT count(*) AS test_params_left FROM landpolicy.policy_param WHERE note = 'rule_r3 test row';
DROP TABLE bcgd, bcgd2, gf, sydbhq, pdt, dltb;
