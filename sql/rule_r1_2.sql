-- R1.2 补充耕地不得占用生态保护红线、林地、湿地、河湖: a row whose use is cultivated land (0101 水田,
-- 0102 水浇地, 0103 旱地) may not overlap the red line, forest, wetland or river/lake areas.  All four
-- layers are required (a missing one fails closed); no exemption applies.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
-- errors without CONTEXT: the call stack inside the extension is not what these cases prove
\set SHOW_CONTEXT never

-- four reference layers, each a 1 km square in a row along y 2890000-2891000:
-- red line x 40500000-40501000, forest 40502000-40503000, wetland 40504000-40505000, water 40506000-40507000
CREATE TABLE stbhhx (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE ld (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE sd (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE hhsm (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
INSERT INTO stbhhx (geom) VALUES (ST_Multi(ST_MakeEnvelope(40500000, 2890000, 40501000, 2891000, 4528)));
INSERT INTO ld (geom) VALUES (ST_Multi(ST_MakeEnvelope(40502000, 2890000, 40503000, 2891000, 4528)));
INSERT INTO sd (geom) VALUES (ST_Multi(ST_MakeEnvelope(40504000, 2890000, 40505000, 2891000, 4528)));
INSERT INTO hhsm (geom) VALUES (ST_Multi(ST_MakeEnvelope(40506000, 2890000, 40507000, 2891000, 4528)));
SELECT landpolicy.register_layer('eco_redline', 'stbhhx');
SELECT landpolicy.register_layer('forest', 'ld');
SELECT landpolicy.register_layer('wetland', 'sd');
SELECT landpolicy.register_layer('water_area', 'hhsm');
SELECT kind, source, features, pieces FROM landpolicy.layers ORDER BY kind;

CREATE TABLE bcgd (id serial PRIMARY KEY, xzqdm landpolicy.admincode, use landpolicy.landclass,
                   approved_on date, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('bcgd', 'R1.2', '{"use": "use", "date": "approved_on", "jurisdiction": "xzqdm"}');
SELECT id, layers, optional_layers, exemption_kinds FROM landpolicy.rules WHERE id = 'R1.2';

-- a box 1 m tall reaching w metres west over a layer's east edge x_edge (overlap w m²), 100 m east of it
CREATE FUNCTION pg_temp.box(x_edge float8, w float8) RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(x_edge - w, 2890500, x_edge + 100, 2890501, 4528) $$;

-- eco_redline (east edge x = 40501000), paddy 0101
-- clear miss passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.box(40501500, 0));
-- touching the boundary passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.box(40501000, 0));
-- overlap exactly at the tolerance (1 m², overlap.tolerance_m2) passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.box(40501000, 1.0));
-- 1.1 m² fails, naming the red line
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.box(40501000, 1.1));
-- arbor forest 0301 is not cultivated: 100 × 100 m inside the red line is not this rule's concern
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0301', '2026-01-01', ST_MakeEnvelope(40500400, 2890400, 40500500, 2890500, 4528));

-- forest (east edge x = 40503000), irrigated 0102
-- clear miss passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0102', '2026-01-01', pg_temp.box(40503500, 0));
-- touching the boundary passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0102', '2026-01-01', pg_temp.box(40503000, 0));
-- overlap exactly at the tolerance passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0102', '2026-01-01', pg_temp.box(40503000, 1.0));
-- 1.1 m² fails, naming forest land
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0102', '2026-01-01', pg_temp.box(40503000, 1.1));
-- 0301 on the same spot passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0301', '2026-01-01', ST_MakeEnvelope(40502400, 2890400, 40502500, 2890500, 4528));

-- wetland (east edge x = 40505000), dry land 0103
-- clear miss passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0103', '2026-01-01', pg_temp.box(40505500, 0));
-- touching the boundary passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0103', '2026-01-01', pg_temp.box(40505000, 0));
-- overlap exactly at the tolerance passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0103', '2026-01-01', pg_temp.box(40505000, 1.0));
-- 1.1 m² fails, naming wetland
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0103', '2026-01-01', pg_temp.box(40505000, 1.1));
-- 0301 on the same spot passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0301', '2026-01-01', ST_MakeEnvelope(40504400, 2890400, 40504500, 2890500, 4528));

-- water_area (east edge x = 40507000), paddy 0101
-- clear miss passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.box(40507500, 0));
-- touching the boundary passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.box(40507000, 0));
-- overlap exactly at the tolerance passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.box(40507000, 1.0));
-- 1.1 m² fails, naming the river or lake area
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', pg_temp.box(40507000, 1.1));
-- 0301 on the same spot passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0301', '2026-01-01', ST_MakeEnvelope(40506400, 2890400, 40506500, 2890500, 4528));

-- a big overlap: 100 × 100 m of irrigated land inside the wetland, 10000 m² (15 mu)
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0102', '2026-01-01', ST_MakeEnvelope(40504400, 2890400, 40504500, 2890500, 4528));
SELECT use, count(*) FROM bcgd GROUP BY use ORDER BY use;

-- no exemption applies to R1.2: any kind is refused at entry
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.2', 'major_project', '国函〔2026〕1号', '国务院', ST_MakeEnvelope(40504000, 2890000, 40505000, 2891000, 4528), '[2026-01-01,2027-01-01)');
-- and an R1.1 exemption over the red line does not let cultivated land in under R1.2
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.1', 'major_project', '国函〔2026〕2号', '国务院', ST_MakeEnvelope(40500000, 2890000, 40501000, 2891000, 4528), '[2026-01-01,2027-01-01)');
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-06-01', ST_MakeEnvelope(40500400, 2890400, 40500500, 2890500, 4528));

-- a missing required layer fails closed: every cultivated row is refused, naming the layer
SELECT landpolicy.unregister_layer('wetland');
-- paddy far from every layer
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528));
-- irrigated land far from every layer
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0102', '2026-01-01', ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528));
-- dry land far from every layer
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0103', '2026-01-01', ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528));
-- a non-cultivated row (0301) still passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0301', '2026-01-01', ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528));
SELECT landpolicy.register_layer('wetland', 'sd');
-- with the layer back, the paddy far away passes again
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528));

-- forest from a 三调 parcel table (地类图斑), filtered by class: only parcels within 03 林地 are forest.
-- six 100 × 100 m parcels along y 2892000-2892100, 200 m apart
SELECT landpolicy.unregister_layer('forest');
CREATE TABLE dltb (bsm text PRIMARY KEY, dlbm text NOT NULL, geom geometry(MultiPolygon, 4528));
INSERT INTO dltb VALUES
    ('1', '0301',  ST_Multi(ST_MakeEnvelope(40500000, 2892000, 40500100, 2892100, 4528))),  -- 乔木林地 arbor forest
    ('2', '0305',  ST_Multi(ST_MakeEnvelope(40500200, 2892000, 40500300, 2892100, 4528))),  -- 灌木林地 shrub forest
    ('3', '0307K', ST_Multi(ST_MakeEnvelope(40500400, 2892000, 40500500, 2892100, 4528))),  -- 可调整其他林地 adjustable other forest
    ('4', '0303',  ST_Multi(ST_MakeEnvelope(40500600, 2892000, 40500700, 2892100, 4528))),  -- 红树林地 mangrove: 三调 class 00 湿地
    ('5', '0101',  ST_Multi(ST_MakeEnvelope(40500800, 2892000, 40500900, 2892100, 4528))),  -- 水田 paddy
    ('6', '0201',  ST_Multi(ST_MakeEnvelope(40501000, 2892000, 40501100, 2892100, 4528)));  -- 果园 orchard
SELECT landpolicy.register_layer('forest', 'dltb', '{"class_column": "dlbm", "classes": ["03"]}');
SELECT kind, source, class_column, classes, features, pieces FROM landpolicy.layers WHERE kind = 'forest';
SELECT source_key, ST_Area(geom) FROM landpolicy.layer_piece WHERE kind = 'forest' ORDER BY source_key;
-- paddy on parcel 1 (0301) fails: 10000 m² of forest feature 1
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40500000, 2892000, 40500100, 2892100, 4528));
-- paddy on parcel 2 (0305) fails
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40500200, 2892000, 40500300, 2892100, 4528));
-- paddy on parcel 3 (0307K, a suffixed code within 03) fails
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40500400, 2892000, 40500500, 2892100, 4528));
-- paddy on parcel 4 (0303 mangrove, class 00 in 三调, not 03) passes: not forest
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40500600, 2892000, 40500700, 2892100, 4528));
-- paddy on parcel 5 (0101) passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40500800, 2892000, 40500900, 2892100, 4528));
-- paddy on parcel 6 (0201 orchard) passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40501000, 2892000, 40501100, 2892100, 4528));
-- a row across parcels 1 and 2 and the gap between them counts only the two forest parcels: 2 × 50 × 100 = 10000 m²
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0103', '2026-01-01', ST_MakeEnvelope(40500050, 2892000, 40500250, 2892100, 4528));
-- reclassifying a parcel moves it in or out of the layer: parcel 1 becomes paddy, parcel 5 becomes forest
UPDATE dltb SET dlbm = '0101' WHERE bsm = '1';
UPDATE dltb SET dlbm = '0301' WHERE bsm = '5';
SELECT source_key FROM landpolicy.layer_piece WHERE kind = 'forest' ORDER BY source_key;
-- paddy on parcel 1 now passes
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40500000, 2892000, 40500100, 2892100, 4528));
-- paddy on parcel 5 now fails, naming feature 5
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40500800, 2892000, 40500900, 2892100, 4528));

-- record mode: the row goes in, the violation is logged with table, row key, layer and area
SELECT landpolicy.attach('bcgd', 'R1.2', '{"use": "use", "date": "approved_on", "jurisdiction": "xzqdm", "mode": "record"}');
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0102', '2026-02-01', ST_MakeEnvelope(40506400, 2890400, 40506500, 2890500, 4528)) RETURNING use;
SELECT rule, target, row_key::int = (SELECT max(id) FROM bcgd) AS key_is_new_row, by_role = current_user AS by_me,
       (violation).measured, (violation)."limit", (violation).detail->>'layer' AS layer,
       (violation).detail->>'features' AS features, (violation).message
FROM landpolicy.violation_log;
-- a passing row in record mode logs nothing
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0102', '2026-02-01', ST_MakeEnvelope(40510000, 2890000, 40510100, 2890100, 4528));
SELECT count(*) AS logged FROM landpolicy.violation_log;
SELECT landpolicy.attach('bcgd', 'R1.2', '{"use": "use", "date": "approved_on", "jurisdiction": "xzqdm"}');

-- a provincial override: Fujian (35) tolerates overlaps up to 200 m²; the national value stays 1 m²
INSERT INTO landpolicy.policy_param (key, jurisdiction, value, unit, basis, note) VALUES
    ('overlap.tolerance_m2', '35', 200, 'm2', 'regression test: a provincial tolerance', 'rule_r1_2 test row');
SELECT landpolicy.param('overlap.tolerance_m2', '350121'), landpolicy.param('overlap.tolerance_m2', '440106'),
       landpolicy.param('overlap.tolerance_m2');
-- a Fujian row (闽侯县 350121) overlapping the red line by 150 m² (150 × 1 m) passes
INSERT INTO bcgd (xzqdm, use, approved_on, geom) VALUES ('350121', '0101', '2026-01-01', pg_temp.box(40501000, 150));
-- the same row in Guangdong (天河区 440106) fails against the national 1 m²
INSERT INTO bcgd (xzqdm, use, approved_on, geom) VALUES ('440106', '0101', '2026-01-01', pg_temp.box(40501000, 150));
-- the same row with no jurisdiction fails against the national 1 m²
INSERT INTO bcgd (xzqdm, use, approved_on, geom) VALUES (NULL, '0101', '2026-01-01', pg_temp.box(40501000, 150));
-- a Fujian row overlapping by 250 m² exceeds the provincial 200 m² and fails, quoting it
INSERT INTO bcgd (xzqdm, use, approved_on, geom) VALUES ('350121', '0101', '2026-01-01', pg_temp.box(40501000, 250));
DELETE FROM landpolicy.policy_param WHERE NOT builtin AND key = 'overlap.tolerance_m2' AND jurisdiction = '35';
-- with the override gone, the Fujian 150 m² row fails too
INSERT INTO bcgd (xzqdm, use, approved_on, geom) VALUES ('350121', '0101', '2026-01-01', pg_temp.box(40501000, 150));

-- messages in Chinese
SET landpolicy.lang = 'zh';
INSERT INTO bcgd (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40506400, 2890400, 40506500, 2890500, 4528));
SET landpolicy.lang = 'en';

SELECT landpolicy.detach('bcgd', 'R1.2');
SELECT landpolicy.unregister_layer('eco_redline');
SELECT landpolicy.unregister_layer('forest');
SELECT landpolicy.unregister_layer('wetland');
SELECT landpolicy.unregister_layer('water_area');
DELETE FROM landpolicy.exemption;
DELETE FROM landpolicy.violation_log;
SELECT count(*) AS test_params_left FROM landpolicy.policy_param WHERE note = 'rule_r1_2 test row';
DROP TABLE bcgd, stbhhx, ld, sd, hhsm, dltb;
