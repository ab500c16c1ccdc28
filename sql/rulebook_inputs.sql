-- Incomplete and out-of-range inputs of the whole-row and ledger rules are refused, never passed
-- silently: R6.1 NULL storeys/area and no jurisdiction, R6.2/R6.3 NULL use, R7.1 a county approval
-- with no geometry, R8.2 without a jurisdiction, R4.5 years out of range; an UPDATE of an R8.3
-- table that leaves its inputs alone; audit() of a table with whole-row guards.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
SET datestyle = 'ISO';
\set SHOW_CONTEXT never

-- R6.1: storeys and area are required; so is the jurisdiction option
CREATE TABLE khf (id serial PRIMARY KEY, xzq admincode, storeys int, area_m2 numeric);
SELECT attach('khf', 'R6.1', '{"storeys": "storeys", "area": "area_m2"}');
SELECT attach('khf', 'R6.1', '{"storeys": "storeys", "area": "area_m2", "jurisdiction": "xzq"}');
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('350121', NULL, 10);
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('350121', 1, NULL);
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('350121', 1, 10);
SELECT count(*) AS guard_houses FROM khf;

-- R6.3 and R6.2: a NULL use is not a pass
CREATE TABLE sshy (id serial PRIMARY KEY, dlbm landclass, bah text, barq date, geom geometry(Polygon, 4528));
SELECT attach('sshy', 'R6.3', '{"use": "dlbm", "filing": "bah", "filing_date": "barq"}');
INSERT INTO sshy (dlbm, bah, barq) VALUES (NULL, NULL, NULL);
SELECT detach('sshy', 'R6.3');
CREATE TABLE gd (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO gd VALUES (1, ST_MakeEnvelope(0, 0, 1000, 1000, 4528));
SELECT register_layer('cultivated', 'gd');
SELECT attach('sshy', 'R6.2', '{"use": "dlbm", "balance_ref": "bah"}');
INSERT INTO sshy (dlbm, geom) VALUES (NULL, ST_MakeEnvelope(0, 0, 50, 100, 4528));
SELECT count(*) AS facilities FROM sshy;

-- R7.1: a county approval is measured against cultivated land, so it needs a geometry
CREATE TABLE lsyd (id serial PRIMARY KEY, kssj date, jssj date, pzjg admincode, geom geometry(Polygon, 4528));
SELECT attach('lsyd', 'R7.1', '{"start": "kssj", "end": "jssj", "approver": "pzjg"}');
INSERT INTO lsyd (kssj, jssj, pzjg, geom) VALUES ('2025-01-01', '2026-01-01', '350121', NULL);
-- a city approval is not measured: no geometry is fine
INSERT INTO lsyd (kssj, jssj, pzjg, geom) VALUES ('2025-01-01', '2026-01-01', '3501', NULL);
SELECT count(*) AS temporary_uses FROM lsyd;

-- R8.2: the three-year term is Fujian's, so the rule needs to know where the project is
CREATE TABLE zzxm (id serial PRIMARY KEY, xzq admincode, pzrq date, wcrq date);
SELECT attach('zzxm', 'R8.2', '{"approved_on": "pzrq", "completion": "wcrq"}');

-- R4.5: a year outside 1990–2100 would be booked and never judged; it is refused
INSERT INTO udb_space VALUES ('350121', 100000, 'test');
CREATE TABLE zl (id serial PRIMARY KEY, xzq admincode, nd int, mj numeric);
SELECT attach('zl', 'R4.5', '{"county": "xzq", "year": "nd", "area": "mj"}');
INSERT INTO zl (xzq, nd, mj) VALUES ('350121', 0, 99999999);
INSERT INTO zl (xzq, nd, mj) VALUES ('350121', 2101, 1);
INSERT INTO zl (xzq, nd, mj) VALUES ('350121', 2026, 1);
SELECT scope, period, out_m2, entries FROM ledger WHERE rule = 'R4.5' ORDER BY period;

-- R8.3: an UPDATE that touches none of the rule's columns goes through
CREATE TABLE az (id text PRIMARY KEY, completed_on date);
INSERT INTO az VALUES ('A1', '2026-03-01');
CREATE TABLE cj (id serial PRIMARY KEY, azbh text, ccrq date, note text);
SELECT attach('cj', 'R8.3', '{"resettlement": "azbh", "date": "ccrq", "resettlement_table": "az"}');
INSERT INTO cj (azbh, ccrq) VALUES ('A1', '2026-03-01');
UPDATE cj SET note = 'demolished';
SELECT azbh, ccrq, note FROM cj;
-- and one that moves the demolition before the resettlement is refused
UPDATE cj SET ccrq = '2026-02-28';

-- audit() of tables with whole-row guards: existing rows are judged by the same rules
SELECT detach('khf', 'R6.1');
INSERT INTO khf (xzq, storeys, area_m2) VALUES ('350121', 2, 10), ('350121', 1, 15.01);
SELECT attach('khf', 'R6.1', '{"storeys": "storeys", "area": "area_m2", "jurisdiction": "xzq"}');
SELECT row_key, (v).rule, (v).measured, (v)."limit" FROM audit('khf') ORDER BY row_key;
-- a clean table audits clean
SELECT count(*) AS findings FROM audit('cj');

SELECT detach(t, r) FROM (VALUES ('khf', 'R6.1'), ('sshy', 'R6.2'), ('lsyd', 'R7.1'), ('zl', 'R4.5'), ('cj', 'R8.3')) v(t, r);
SELECT unregister_layer('cultivated');
DELETE FROM udb_space;
DROP TABLE khf, sshy, gd, lsyd, zzxm, zl, az, cj;
SELECT count(*) AS attachments_left FROM attachment;
