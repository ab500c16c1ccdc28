-- The planned use in a text, varchar or char column (as 三调 tables carry DLBM, and as GIS clients
-- that know only built-in types can edit it) is read as landclass input reads it.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

CREATE TABLE hx (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO hx VALUES (1, ST_MakeEnvelope(0, 0, 1000, 1000, 4528));
SELECT register_layer('eco_redline', 'hx');
CREATE TABLE dltb (id int PRIMARY KEY, dlbm varchar(5), geom geometry(Polygon, 4528));
CREATE TABLE dltb_c (id int PRIMARY KEY, dlbm char(5), geom geometry(Polygon, 4528));
CREATE TABLE dltb_t (id int PRIMARY KEY, dlbm text, geom geometry(Polygon, 4528));
SET client_min_messages = warning;
SELECT attach(t, 'R1.1', '{"use": "dlbm", "key": "id"}') FROM unnest(ARRAY['dltb', 'dltb_c', 'dltb_t']::regclass[]) t;
RESET client_min_messages;

-- construction inside the red line: refused whatever the column type
INSERT INTO dltb VALUES (1, '0601', ST_MakeEnvelope(0, 0, 100, 100, 4528));
INSERT INTO dltb_c VALUES (1, '0601', ST_MakeEnvelope(0, 0, 100, 100, 4528));
INSERT INTO dltb_t VALUES (1, '0601', ST_MakeEnvelope(0, 0, 100, 100, 4528));
-- lower case and padding are read as the type reads them; farmland inside passes
INSERT INTO dltb_t VALUES (2, ' 1104k ', ST_MakeEnvelope(0, 0, 100, 100, 4528));
INSERT INTO dltb VALUES (2, '0101', ST_MakeEnvelope(0, 0, 100, 100, 4528));
-- an unknown code is an error, never a pass
INSERT INTO dltb VALUES (3, '9999', ST_MakeEnvelope(0, 0, 100, 100, 4528));
INSERT INTO dltb VALUES (3, '', ST_MakeEnvelope(0, 0, 100, 100, 4528));
-- a NULL use: refused as for a landclass column
INSERT INTO dltb VALUES (3, NULL, ST_MakeEnvelope(0, 0, 100, 100, 4528));
-- an update that turns farmland into construction is judged
UPDATE dltb SET dlbm = '0602' WHERE id = 2;
SELECT id, dlbm FROM dltb ORDER BY id;

-- audit() reads the text column the same way
SELECT detach('dltb_t', 'R1.1');
INSERT INTO dltb_t VALUES (3, '0601', ST_MakeEnvelope(0, 0, 100, 100, 4528)), (4, 'zz', ST_MakeEnvelope(0, 0, 100, 100, 4528));
SET client_min_messages = warning;
SELECT attach('dltb_t', 'R1.1', '{"use": "dlbm", "key": "id"}');
RESET client_min_messages;
SELECT row_key, (v).rule, (v).measured, (v).message FROM audit('dltb_t') WHERE (v).measured IS NULL ORDER BY row_key;
SELECT row_key, (v).rule, (v).measured FROM audit('dltb_t') ORDER BY row_key;
-- to_landclass(): a text code as a landclass, or NULL
SELECT to_landclass(' 0101 '), to_landclass('1104k'), to_landclass('zz') IS NULL AS zz_is_null, to_landclass('') IS NULL AS empty_is_null;
DELETE FROM dltb_t WHERE id = 4;
SELECT row_key, (v).rule, (v).measured FROM audit('dltb_t') ORDER BY row_key;

-- other types cannot serve as the use
CREATE TABLE dltb_i (id int PRIMARY KEY, dlbm int, geom geometry(Polygon, 4528));
SELECT attach('dltb_i', 'R1.1', '{"use": "dlbm"}');
DROP TABLE dltb, dltb_c, dltb_t, dltb_i;
SELECT unregister_layer('eco_redline');
DROP TABLE hx;
