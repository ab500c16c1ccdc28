-- R2.1 永久基本农田不得占用: construction use may not overlap permanent basic farmland (PBF), except
-- where an approved major_project exemption covers it, inside its scope and window.
-- R2.2 设施农业用地不得占用永久基本农田: facility agriculture (1202) never on PBF, no exemption at all.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
-- errors without CONTEXT: the call stack inside the extension is not what these cases prove
\set SHOW_CONTEXT never

-- PBF: a 1 km square with its south-west corner at (40500000, 2890000)
CREATE TABLE yjjbnt (id serial PRIMARY KEY, township landpolicy.admincode, geom geometry(MultiPolygon, 4528));
INSERT INTO yjjbnt (township, geom) VALUES ('350121101', ST_Multi(ST_MakeEnvelope(40500000, 2890000, 40501000, 2891000, 4528)));
SELECT landpolicy.register_layer('pbf', 'yjjbnt', '{"township": "township"}');
SELECT kind, source, township_column, features, pieces FROM landpolicy.layers ORDER BY kind;

CREATE TABLE project (id serial PRIMARY KEY, use landpolicy.landclass, approved_on date, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('project', 'R2.1', '{"use": "use", "date": "approved_on"}');
SELECT landpolicy.attach('project', 'R2.2', '{"use": "use", "date": "approved_on"}');
SELECT id, layers, exemption_kinds FROM landpolicy.rules WHERE id IN ('R2.1', 'R2.2') ORDER BY id;

-- a box 1 m tall reaching w metres west over the PBF's east edge (x = 40501000): overlap w m²
CREATE FUNCTION pg_temp.box(w float8, y float8 DEFAULT 2890500) RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(40501000 - w, y, 40501100, y + 1, 4528) $$;

-- R2.1, industrial use 0601
-- clear miss passes
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40502000, 2890000, 40502100, 2890100, 4528));
-- touching the boundary passes
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', pg_temp.box(0));
-- overlap exactly at the tolerance (1 m², overlap.tolerance_m2) passes
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', pg_temp.box(1.0));
-- 1.1 m² fails, naming PBF and the feature
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', pg_temp.box(1.1));
-- a rural homestead (0702, construction) 100 × 100 m inside PBF fails: 10000 m² (15 mu)
INSERT INTO project (use, approved_on, geom) VALUES ('0702', '2026-01-01', ST_MakeEnvelope(40500100, 2890100, 40500200, 2890200, 4528));

-- R2.2, facility agriculture 1202
-- clear miss passes
INSERT INTO project (use, approved_on, geom) VALUES ('1202', '2026-01-01', ST_MakeEnvelope(40502000, 2890200, 40502100, 2890300, 4528));
-- touching the boundary passes
INSERT INTO project (use, approved_on, geom) VALUES ('1202', '2026-01-01', pg_temp.box(0, 2890600));
-- overlap exactly at the tolerance passes
INSERT INTO project (use, approved_on, geom) VALUES ('1202', '2026-01-01', pg_temp.box(1.0, 2890600));
-- 1.1 m² fails under R2.2
INSERT INTO project (use, approved_on, geom) VALUES ('1202', '2026-01-01', pg_temp.box(1.1, 2890600));
-- 100 × 100 m of facility agriculture inside PBF fails: 10000 m² (15 mu)
INSERT INTO project (use, approved_on, geom) VALUES ('1202', '2026-01-01', ST_MakeEnvelope(40500100, 2890300, 40500200, 2890400, 4528));

-- agricultural uses that are neither construction nor facility agriculture pass both rules on PBF
-- paddy 0101
INSERT INTO project (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40500100, 2890500, 40500200, 2890600, 4528));
-- field ridge 1203 (other land, like 1202, but not a facility)
INSERT INTO project (use, approved_on, geom) VALUES ('1203', '2026-01-01', ST_MakeEnvelope(40500300, 2890500, 40500400, 2890600, 4528));
SELECT use, count(*) FROM project GROUP BY use ORDER BY use;

-- exemptions: R2.1 allows major_project only; R2.2 allows none
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R2.1', 'limited_activity', '闽政〔2026〕1号', '福建省人民政府', ST_MakeEnvelope(40500000, 2890000, 40500100, 2890100, 4528), '[2026-01-01,2027-01-01)');
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R2.2', 'major_project', '国函〔2026〕3号', '国务院', ST_MakeEnvelope(40500000, 2890000, 40500100, 2890100, 4528), '[2026-01-01,2027-01-01)');
-- a major project pre-approved by the ministry: scope x 40500900-40500950, y 2890000-2890100, in 2026
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R2.1', 'major_project', '自然资预审字〔2026〕7号', '自然资源部', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528), '[2026-01-01,2027-01-01)');
SELECT rule, kind, doc_no, ST_Area(scope), valid FROM landpolicy.exemption ORDER BY id;
-- a 200 × 100 m road straddling the PBF edge: 10000 m² overlap, 5000 m² of it exempted, 5000 m² (7.50 mu) counted
INSERT INTO project (use, approved_on, geom) VALUES ('1003', '2026-06-01', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528));
-- wholly inside the scope, inside the window: passes
INSERT INTO project (use, approved_on, geom) VALUES ('1003', '2026-06-01', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- the last day of the window: passes
INSERT INTO project (use, approved_on, geom) VALUES ('1003', '2026-12-31', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- the same place once the window has closed (it ends before 2027-01-01): fails, nothing exempted
INSERT INTO project (use, approved_on, geom) VALUES ('1003', '2027-01-01', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- and before it opens: fails
INSERT INTO project (use, approved_on, geom) VALUES ('1003', '2025-12-31', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- in the window but outside the scope (elsewhere in the PBF): fails
INSERT INTO project (use, approved_on, geom) VALUES ('1003', '2026-06-01', ST_MakeEnvelope(40500500, 2890000, 40500550, 2890100, 4528));
-- an R2.1 exemption does not help an R2.2 row: facility agriculture inside the scope, in the window, fails
INSERT INTO project (use, approved_on, geom) VALUES ('1202', '2026-06-01', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));

-- a timestamp date column works like a date column
CREATE TABLE project_ts (id serial PRIMARY KEY, use landpolicy.landclass, approved_at timestamp, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('project_ts', 'R2.1', '{"use": "use", "date": "approved_at"}');
-- inside the scope, the last second of the window's last day: passes
INSERT INTO project_ts (use, approved_at, geom) VALUES ('1003', '2026-12-31 23:59:59', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- inside the scope, midnight at the window's end: fails
INSERT INTO project_ts (use, approved_at, geom) VALUES ('1003', '2027-01-01 00:00:00', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- the straddling road on a timestamp: same verdict as with a date, 5000 m² counted
INSERT INTO project_ts (use, approved_at, geom) VALUES ('1003', '2026-06-01 09:30:00', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528));
-- moving an exempted row's timestamp out of the window is checked like an insert
UPDATE project_ts SET approved_at = '2027-03-01 08:00:00' WHERE id = 1;
SELECT landpolicy.detach('project_ts', 'R2.1');

-- record mode: the rows go in, each violation is logged under its own rule
SELECT landpolicy.attach('project', 'R2.1', '{"use": "use", "date": "approved_on", "mode": "record"}');
SELECT landpolicy.attach('project', 'R2.2', '{"use": "use", "date": "approved_on", "mode": "record"}');
INSERT INTO project (use, approved_on, geom) VALUES ('1003', '2026-06-01', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528)) RETURNING id, use;
INSERT INTO project (use, approved_on, geom) VALUES ('1202', '2026-06-01', ST_MakeEnvelope(40500600, 2890600, 40500700, 2890700, 4528)) RETURNING id, use;
SELECT rule, target, row_key, by_role = current_user AS by_me, (violation).measured, (violation)."limit",
       (violation).detail->>'overlap_m2' AS overlap_m2, (violation).detail->>'exempted_m2' AS exempted_m2,
       (violation).detail->>'counted_mu' AS counted_mu
FROM landpolicy.violation_log ORDER BY id;
SELECT landpolicy.attach('project', 'R2.1', '{"use": "use", "date": "approved_on"}');
SELECT landpolicy.attach('project', 'R2.2', '{"use": "use", "date": "approved_on"}');

-- a missing PBF layer fails closed
SELECT landpolicy.unregister_layer('pbf');
-- construction far from where the PBF was: refused, naming the layer
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40509000, 2890000, 40509100, 2890100, 4528));
-- facility agriculture far away: refused too
INSERT INTO project (use, approved_on, geom) VALUES ('1202', '2026-01-01', ST_MakeEnvelope(40509000, 2890000, 40509100, 2890100, 4528));
-- paddy concerns neither rule and passes
INSERT INTO project (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40509000, 2890000, 40509100, 2890100, 4528));
-- with no exemption recorded at all, construction is refused just the same
DELETE FROM landpolicy.exemption;
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40509000, 2890000, 40509100, 2890100, 4528));
-- nothing got in while the layer was missing but the paddy
SELECT use, approved_on FROM project WHERE ST_XMin(geom) = 40509000 ORDER BY id;

SELECT landpolicy.detach('project', 'R2.1');
SELECT landpolicy.detach('project', 'R2.2');
DELETE FROM landpolicy.exemption;
DELETE FROM landpolicy.violation_log;
DROP TABLE project, project_ts, yjjbnt;
