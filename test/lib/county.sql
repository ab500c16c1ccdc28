-- A small county that uses every kind of landpolicy configuration, for the tests that carry a
-- database across a boundary and check that it comes back identical and working: test/dump_restore.sh
-- (pg_dump / pg_restore) and test/upgrade.sh (ALTER EXTENSION UPDATE from the previous release).
-- Loaded after CREATE EXTENSION landpolicy by county_create (test/lib/county.sh); it uses only what
-- every release since 0.1.0 has.
--
--   * two registered layers: eco_redline (table redline) and pbf (table yjjbnt, with its township
--     column), their pieces in landpolicy.layer_piece_<kind>;
--   * a project table guarded by R1.1 (reject) and R2.1 (record mode), with one logged violation;
--   * a user policy_param row for Fujian ('35') and an R1.1 exemption (major_project);
--   * R2.3 on a PBF adjustment table with removals and a supplement booked in the ledger, and a
--     pbf_baseline row for the township;
--   * a quota row and an R4.1-guarded approvals table with one approval booked;
--   * the change log on a parcel table, with one logged class change.
SET client_min_messages = warning;
SET landpolicy.lang = 'en';
-- a w × h m box at (x, y) metres from (40500000, 2890000) in EPSG:4528
CREATE FUNCTION mkbox(x float8, y float8, w float8, h float8) RETURNS geometry
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public
AS $$ SELECT ST_MakeEnvelope(40500000 + x, 2890000 + y, 40500000 + x + w, 2890000 + y + h, 4528) $$;

-- layers: the red line a 1 km square at the origin, PBF a 1 km square 10 km east (township 350121101)
CREATE TABLE redline (id int PRIMARY KEY, name text, geom geometry(Polygon, 4528));
INSERT INTO redline VALUES (1, '红线一', mkbox(0, 0, 1000, 1000));
SELECT landpolicy.register_layer('eco_redline', 'redline');
CREATE TABLE yjjbnt (id int PRIMARY KEY, township landpolicy.admincode, geom geometry(Polygon, 4528));
INSERT INTO yjjbnt VALUES (1, '350121101', mkbox(10000, 0, 1000, 1000));
SELECT landpolicy.register_layer('pbf', 'yjjbnt', '{"township": "township"}');

-- projects: R1.1 rejects, R2.1 records
CREATE TABLE project (id serial PRIMARY KEY, name text, use landpolicy.landclass, approved_on date,
                      geom geometry(Polygon, 4528));
SELECT landpolicy.attach('project', 'R1.1', '{"use": "use", "date": "approved_on"}');
SELECT landpolicy.attach('project', 'R2.1', '{"use": "use", "date": "approved_on", "mode": "record"}');
INSERT INTO project (name, use, approved_on, geom) VALUES ('厂房', '0601', '2026-03-01', mkbox(3000, 0, 100, 100));
INSERT INTO project (name, use, approved_on, geom) VALUES ('占用基本农田', '0601', '2026-03-02', mkbox(10100, 100, 10, 10));

-- a provincial override and an exemption in the red line's north-east corner, for 2026
INSERT INTO landpolicy.policy_param (key, jurisdiction, value, unit, basis, note)
VALUES ('overlap.tolerance_m2', '35', 2, 'm2', '福建省 (dump test)', 'dump_restore test row');
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid, note)
VALUES ('R1.1', 'major_project', '闽政文〔2026〕1号', '福建省人民政府', mkbox(800, 800, 200, 200), '[2026-01-01,2027-01-01)', 'dump test');

-- R2.3: 5 % of 1 000 000 m² designated = 50 000 m²; 40 000 m² removed, 5 000 m² supplemented
INSERT INTO landpolicy.pbf_baseline (township, designated_m2, source) VALUES ('350121101', 1000000, 'dump test');
CREATE TABLE pbf_adjustment (id serial PRIMARY KEY, township landpolicy.admincode, direction text, recorded_on date,
                             geom geometry(Polygon, 4528));
SELECT landpolicy.attach('pbf_adjustment', 'R2.3', '{"township": "township", "direction": "direction", "date": "recorded_on"}');
INSERT INTO pbf_adjustment (township, direction, recorded_on, geom) VALUES
    ('350121101', 'out', '2026-02-01', mkbox(30000, 0, 300, 100)),
    ('350121101', 'out', '2026-02-02', mkbox(30000, 200, 100, 100)),
    ('350121101', 'in', '2026-02-03', mkbox(30000, 400, 50, 100));

-- R4.1: 15 mu = 10 000 m² for 350121 in 2026; 6 000 m² approved
INSERT INTO landpolicy.quota (county, year, amount, unit, basis) VALUES ('350121', 2026, 15, 'mu', 'dump test');
CREATE TABLE approval (id serial PRIMARY KEY, county landpolicy.admincode, approved_on date, area_m2 numeric);
SELECT landpolicy.attach('approval', 'R4.1', '{"county": "county", "date": "approved_on", "area": "area_m2"}');
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-03-01', 6000);

-- the change log: one class change of parcel 1
CREATE TABLE dltb (id int PRIMARY KEY, xzq landpolicy.admincode, dlbm landpolicy.landclass, bgrq date,
                   geom geometry(Polygon, 4528));
INSERT INTO dltb VALUES (1, '350121101', '0101', '2026-01-01', mkbox(20000, 0, 100, 100)),
                        (2, '350121101', '0301', '2026-01-01', mkbox(20200, 0, 100, 100));
SELECT landpolicy.attach('dltb', 'change_log', '{"class": "dlbm", "admin": "xzq", "date": "bgrq", "key": "id"}');
UPDATE dltb SET dlbm = '0201', bgrq = '2026-04-01' WHERE id = 1;
