-- The rest of the rulebook, each rule at and past its limit: R6.1 guard houses, R6.2 facilities on
-- general cultivated land, R6.3 filing, R7.1/R7.2 temporary land, R8.2 completion, R8.3 resettle
-- before demolishing, R4.7 reclaim before building, R5.1 one household one homestead, R4.5 UDB
-- reserve, R4.3 rural shares, R2.1's dated provincial exemption, and rules_in_force().
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
SET datestyle = 'ISO';
\set SHOW_CONTEXT never

-- R6.1 看护房: Fujian is a southern province (facility.region): single storey, ≤ 15 m²; ≤ 40 m² with a greenhouse over 2 mu
CREATE TABLE khf (id serial PRIMARY KEY, xzq admincode, storeys int, area_m2 numeric, dp_m2 numeric);
SELECT attach('khf', 'R6.1', '{"storeys": "storeys", "area": "area_m2", "greenhouse_area": "dp_m2", "jurisdiction": "xzq"}');
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('350121', 1, 15);
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('350121', 1, 15.01);
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('350121', 2, 10);
INSERT INTO khf (xzq, storeys, area_m2, dp_m2) VALUES ('350121', 1, 40, 2 * 10000.0 / 15 + 0.01);
INSERT INTO khf (xzq, storeys, area_m2, dp_m2) VALUES ('350121', 1, 40.01, 2 * 10000.0 / 15 + 0.01);
INSERT INTO khf (xzq, storeys, area_m2, dp_m2) VALUES ('350121', 1, 16, 2 * 10000.0 / 15);
-- a province with no region row: the limit is unknown, so the row is refused rather than guessed
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('210102', 1, 10);
INSERT INTO policy_param (key, jurisdiction, value_text, unit, basis) VALUES ('facility.region', '21', 'north', 'region', 'test: Liaoning is northern');
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('210102', 1, 22.5);
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('210102', 1, 22.6);
DELETE FROM policy_param WHERE key = 'facility.region' AND NOT builtin;

-- R6.3 备案上图: facility land needs its filing reference and date
CREATE TABLE sshy (id serial PRIMARY KEY, dlbm landclass, bah text, barq date, geom geometry(Polygon, 4528));
SELECT attach('sshy', 'R6.3', '{"use": "dlbm", "filing": "bah", "filing_date": "barq"}');
INSERT INTO sshy (dlbm, bah, barq) VALUES ('1202', '闽侯设施备〔2026〕1号', '2026-02-01');
INSERT INTO sshy (dlbm, bah, barq) VALUES ('1202', NULL, '2026-02-01');
INSERT INTO sshy (dlbm, bah, barq) VALUES ('1202', 'x', NULL);
INSERT INTO sshy (dlbm) VALUES ('0101');
SELECT detach('sshy', 'R6.3');

-- R6.2 (and R3.5): facilities on general cultivated land need a linked enter-exit "in" record
CREATE TABLE gd (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO gd VALUES (1, ST_MakeEnvelope(0, 0, 1000, 1000, 4528));
SELECT register_layer('cultivated', 'gd');
-- compensation recorded through the change log: forest → dry land 5000 m² (an "in"), paddy → orchard (an "out")
CREATE TABLE tb (id serial PRIMARY KEY, xzq admincode DEFAULT '350121101', dlbm landclass, geom geometry(Polygon, 4528));
INSERT INTO tb (dlbm, geom) VALUES ('0301', ST_MakeEnvelope(5000, 0, 5100, 50, 4528)), ('0101', ST_MakeEnvelope(5200, 0, 5300, 50, 4528));
SELECT attach('tb', 'change_log', '{"class": "dlbm", "admin": "xzq"}');
UPDATE tb SET dlbm = '0103' WHERE dlbm = '0301';
UPDATE tb SET dlbm = '0201' WHERE dlbm = '0101';
SELECT max(id) FILTER (WHERE to_class = '0103') AS in_id, max(id) FILTER (WHERE to_class = '0201') AS out_id
FROM change_log WHERE target = 'tb'::regclass \gset
SELECT attach('sshy', 'R6.2', '{"use": "dlbm", "balance_ref": "bah"}');
UPDATE sshy SET geom = ST_MakeEnvelope(2000, 0, 2010, 10, 4528);   -- off cultivated land: fine
\set VERBOSITY terse
-- (terse: the details name change-log ids, which depend on what ran before)
INSERT INTO sshy (dlbm, geom) VALUES ('1202', ST_MakeEnvelope(0, 0, 50, 100, 4528));
INSERT INTO sshy (dlbm, bah, geom) VALUES ('1202', :'out_id', ST_MakeEnvelope(0, 0, 50, 100, 4528));
INSERT INTO sshy (dlbm, bah, geom) VALUES ('1202', :'in_id', ST_MakeEnvelope(0, 0, 50, 100, 4528));
INSERT INTO sshy (dlbm, bah, geom) VALUES ('1202', :'in_id', ST_MakeEnvelope(0, 0, 50.1, 100, 4528));
INSERT INTO sshy (dlbm, geom) VALUES ('1006', ST_MakeEnvelope(100, 0, 110, 100, 4528));
INSERT INTO sshy (dlbm, geom) VALUES ('0601', ST_MakeEnvelope(100, 0, 110, 100, 4528));
\set VERBOSITY default
SELECT detach('sshy', 'R6.2');
SELECT detach('tb', 'change_log');

-- R7.1 / R7.2 临时用地
CREATE TABLE lsyd (id serial PRIMARY KEY, kssj date, jssj date, lx text, fkqx date, pzjg admincode, fkrq date, geom geometry(Polygon, 4528));
SELECT attach('lsyd', 'R7.1', '{"start": "kssj", "end": "jssj", "kind": "lx", "reclaim_due": "fkqx", "approver": "pzjg", "reclaimed": "fkrq"}');
INSERT INTO lsyd (kssj, jssj, pzjg, geom) VALUES ('2024-01-01', '2026-01-01', '350121', ST_MakeEnvelope(3000, 0, 3100, 100, 4528));
INSERT INTO lsyd (kssj, jssj, pzjg, geom) VALUES ('2024-01-01', '2026-01-02', '350121', ST_MakeEnvelope(3000, 0, 3100, 100, 4528));
INSERT INTO lsyd (kssj, jssj, lx, pzjg, geom) VALUES ('2024-01-01', '2028-01-01', '交通', '350121', ST_MakeEnvelope(3000, 0, 3100, 100, 4528));
INSERT INTO lsyd (kssj, jssj, lx, pzjg, geom) VALUES ('2024-01-01', '2028-01-02', 'transport', '350121', ST_MakeEnvelope(3000, 0, 3100, 100, 4528));
INSERT INTO lsyd (kssj, jssj, fkqx, pzjg, geom) VALUES ('2025-01-01', '2026-01-01', '2027-01-01', '350121', ST_MakeEnvelope(3000, 0, 3100, 100, 4528));
INSERT INTO lsyd (kssj, jssj, fkqx, pzjg, geom) VALUES ('2025-01-01', '2026-01-01', '2027-01-02', '350121', ST_MakeEnvelope(3000, 0, 3100, 100, 4528));
-- approval level: a township may not approve; on cultivated land a county may not either, a city may
INSERT INTO lsyd (kssj, jssj, pzjg, geom) VALUES ('2025-01-01', '2026-01-01', '350121101', ST_MakeEnvelope(3000, 0, 3100, 100, 4528));
INSERT INTO lsyd (kssj, jssj, pzjg, geom) VALUES ('2025-01-01', '2026-01-01', '350121', ST_MakeEnvelope(900, 0, 1100, 100, 4528));
INSERT INTO lsyd (kssj, jssj, pzjg, geom) VALUES ('2025-01-01', '2026-01-01', '3501', ST_MakeEnvelope(900, 0, 1100, 100, 4528));
INSERT INTO lsyd (kssj, jssj, pzjg, geom) VALUES ('2026-01-01', '2025-01-01', '3501', ST_MakeEnvelope(900, 0, 1100, 100, 4528));
-- past its reclamation deadline and not reclaimed: listed; reclaimed: not
UPDATE lsyd SET fkrq = '2026-06-01' WHERE jssj = '2028-01-01';
SELECT target, row_key, end_date, reclaim_by, days_overdue FROM temporary_overdue_at('2029-06-01');
SELECT (SELECT count(*) FROM temporary_overdue) = (SELECT count(*) FROM temporary_overdue_at(current_date)) AS view_is_today;

-- R8.2 (Fujian): completion within 3 years of approval, while S3 is in force
CREATE TABLE zzxm (id serial PRIMARY KEY, xzq admincode, pzrq date, wcrq date);
SELECT attach('zzxm', 'R8.2', '{"approved_on": "pzrq", "completion": "wcrq", "jurisdiction": "xzq"}');
INSERT INTO zzxm (xzq, pzrq, wcrq) VALUES ('350121', '2025-07-01', '2028-07-01');
INSERT INTO zzxm (xzq, pzrq, wcrq) VALUES ('350121', '2025-07-01', '2028-07-02');
INSERT INTO zzxm (xzq, pzrq, wcrq) VALUES ('360121', '2025-07-01', '2030-07-01');
INSERT INTO zzxm (xzq, pzrq, wcrq) VALUES ('350121', '2025-01-01', '2030-07-01');

-- R8.3 先安置、再拆旧
CREATE TABLE az (id text PRIMARY KEY, completed_on date);
INSERT INTO az VALUES ('A1', '2026-03-01'), ('A2', NULL);
CREATE TABLE cj (id serial PRIMARY KEY, azbh text, ccrq date);
SELECT attach('cj', 'R8.3', '{"resettlement": "azbh", "date": "ccrq", "resettlement_table": "az"}');
INSERT INTO cj (azbh, ccrq) VALUES ('A1', '2026-03-01');
INSERT INTO cj (azbh, ccrq) VALUES ('A1', '2026-02-28');
INSERT INTO cj (azbh, ccrq) VALUES ('A2', '2026-12-31');
INSERT INTO cj (azbh, ccrq) VALUES ('A9', '2026-12-31');
SELECT attach('cj', 'R8.3', '{"resettlement": "azbh", "date": "ccrq"}');

-- R4.7 增减挂钩: reclaim before building, per linkage project
CREATE TABLE gg (id serial PRIMARY KEY, xm text, lx text, mj numeric);
SELECT attach('gg', 'R4.7', '{"project": "xm", "kind": "lx", "area": "mj"}');
INSERT INTO gg (xm, lx, mj) VALUES ('P1', 'build', 1);
INSERT INTO gg (xm, lx, mj) VALUES ('P1', '复垦', 1000);
INSERT INTO gg (xm, lx, mj) VALUES ('P1', '新增', 1000);
INSERT INTO gg (xm, lx, mj) VALUES ('P1', 'build', 0.01);
DELETE FROM gg WHERE lx = '复垦';
INSERT INTO gg (xm, lx, mj) VALUES ('P1', 'sideways', 1);

-- R5.1 一户一宅 (Fujian's example standard area 120 m²)
CREATE TABLE zjd (id serial PRIMARY KEY, hh text, xzq admincode, mj numeric, yzr boolean DEFAULT false);
SELECT attach('zjd', 'R5.1', '{"household": "hh", "area": "mj", "jurisdiction": "xzq", "transferred": "yzr"}');
INSERT INTO zjd (hh, xzq, mj) VALUES ('H1', '350121101', 120);
INSERT INTO zjd (hh, xzq, mj) VALUES ('H1', '350121101', 80);
INSERT INTO zjd (hh, xzq, mj) VALUES ('H2', '350121101', 120.01);
INSERT INTO zjd (hh, xzq, mj, yzr) VALUES ('H3', '350121101', 80, true);
-- moving the homestead to another household that has none is fine; to one that has one is not
INSERT INTO zjd (hh, xzq, mj) VALUES ('H4', '350121101', 100);
UPDATE zjd SET hh = 'H5' WHERE hh = 'H4';
UPDATE zjd SET hh = 'H1' WHERE hh = 'H5';

-- R4.5 UDB incremental space: 100000 m² for 350121; by the end of 2025 at most 40 % used (35 % and 25 % kept);
-- by the end of 2026 at most 75 % − 4 years × 80 % × (35 % / 5) = 52.6 %
INSERT INTO udb_space VALUES ('350121', 100000, 'test');
CREATE TABLE zl (id serial PRIMARY KEY, xzq admincode, nd int, mj numeric);
SELECT attach('zl', 'R4.5', '{"county": "xzq", "year": "nd", "area": "mj"}');
INSERT INTO zl (xzq, nd, mj) VALUES ('350121', 2025, 40000);
INSERT INTO zl (xzq, nd, mj) VALUES ('350121', 2025, 0.01);
INSERT INTO zl (xzq, nd, mj) VALUES ('350121', 2026, 12600);
INSERT INTO zl (xzq, nd, mj) VALUES ('350121', 2026, 0.01);
-- an earlier year's use counts against every later year
INSERT INTO zl (xzq, nd, mj) VALUES ('350121', 2024, 1);
SELECT * FROM udb_reserve_check('350121', 2025);
SELECT * FROM udb_reserve_check('350121', 2026);
INSERT INTO zl (xzq, nd, mj) VALUES ('350122', 2026, 1);

-- R4.3 rural shares of the plan quotas
INSERT INTO quota (county, year, account, amount) VALUES ('350121', 2026, 'general', 90), ('350121', 2026, 'rural_industry', 10),
                                                       ('350122', 2026, 'general', 99.9), ('350122', 2026, 'rural_industry', 0.1);
SELECT * FROM rural_share_check('350121', 2026);
SELECT * FROM rural_share_check('350122', 2026);
SELECT * FROM rural_share_check('35', 2026);

-- R2.1: before 2024-01-02 a poverty-area project with provincial approval (S0 §4) may occupy PBF
CREATE TABLE jbnt (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO jbnt VALUES (1, ST_MakeEnvelope(10000, 0, 11000, 1000, 4528));
SELECT register_layer('pbf', 'jbnt');
CREATE TABLE xm (id serial PRIMARY KEY, use landclass, pzrq date, geom geometry(Polygon, 4528));
SELECT attach('xm', 'R2.1', '{"use": "use", "date": "pzrq"}');
INSERT INTO exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R2.1', 'provincial_poverty', '闽政文〔2023〕88号', '福建省人民政府', ST_MakeEnvelope(10000, 0, 10100, 100, 4528), '[2023-01-01,2025-01-01)');
INSERT INTO xm (use, pzrq, geom) VALUES ('1003', '2024-01-01', ST_MakeEnvelope(10000, 0, 10100, 100, 4528));
INSERT INTO xm (use, pzrq, geom) VALUES ('1003', '2024-01-02', ST_MakeEnvelope(10000, 0, 10100, 100, 4528));

-- what is in force: Fujian and Jiangxi, on either side of the windows
SELECT r.rule, f1.in_force AS fujian_2024_01_01, f2.in_force AS fujian_2026_01_01, f3.in_force AS fujian_2030_06_24,
       j.in_force AS jiangxi_2026_01_01, r.kind
FROM rules_in_force('350121', '2025-12-31') r
JOIN rules_in_force('350121', '2024-01-01') f1 USING (rule)
JOIN rules_in_force('350121', '2026-01-01') f2 USING (rule)
JOIN rules_in_force('350121', '2030-06-24') f3 USING (rule)
JOIN rules_in_force('360121', '2026-01-01') j USING (rule)
WHERE r.rule IN ('R2.3', 'R2.6', 'R4.1', 'R4.2', 'R4.5', 'R5.1', 'R6.1', 'R8.2', 'R1.4', 'R3.2')
ORDER BY 1;
SELECT rule, in_force, missing FROM rules_in_force('360121', '2026-01-01') WHERE cardinality(missing) > 0 ORDER BY 1;
-- every rule id of POLICY.md is in the catalog
SELECT count(*) AS rules, count(*) FILTER (WHERE kind = 'guard') AS guards, count(*) FILTER (WHERE kind = 'ledger') AS ledgers,
       count(*) FILTER (WHERE kind IN ('aggregate', 'report')) AS aggregates_and_reports,
       count(*) FILTER (WHERE kind = 'not checkable') AS not_checkable
FROM rules WHERE id ~ '^R';
SELECT attach('xm', 'R3.2', '{}');
SELECT attach('xm', 'R1.4', '{}');

SELECT * FROM verify();
SELECT count(detach(target, rule)) AS detached FROM attachments WHERE target::text IN ('khf', 'sshy', 'lsyd', 'zzxm', 'cj', 'gg', 'zjd', 'zl', 'xm');
SELECT unregister_layer('cultivated');
SELECT unregister_layer('pbf');
DELETE FROM exemption;
DELETE FROM quota;
DELETE FROM udb_space;
DROP TABLE khf, sshy, gd, tb, lsyd, zzxm, az, cj, gg, zjd, zl, jbnt, xm;
