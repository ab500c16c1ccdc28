-- The land-class change log: edits made with plain SQL are recorded without the user calling
-- anything; splits and merges are logged as class changes of their parts; the log is append-only.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

CREATE TABLE dltb (id serial PRIMARY KEY, xzq admincode, dlbm landclass, zldj int, bgrq date, geom geometry(Polygon, 4528));
INSERT INTO dltb (xzq, dlbm, zldj, bgrq, geom) VALUES
    ('350121101', '0101', 5, '2025-01-01', ST_MakeEnvelope(0, 0, 100, 100, 4528)),
    ('350121101', '0301', NULL, '2025-01-01', ST_MakeEnvelope(200, 0, 300, 100, 4528)),
    ('350121101', '0103', 8, '2025-01-01', ST_MakeEnvelope(400, 0, 500, 100, 4528)),
    ('350121101', '0201', NULL, '2025-01-01', ST_MakeEnvelope(600, 0, 700, 100, 4528));
SELECT landpolicy.attach('dltb', 'change_log', '{"class": "dlbm", "admin": "xzq", "grade": "zldj", "date": "bgrq"}');
SELECT id, kind FROM landpolicy.rules WHERE id = 'change_log';

-- an UPDATE of the class logs the parcel's area as a change; other updates log nothing
UPDATE dltb SET dlbm = '0201', bgrq = '2025-03-01' WHERE id = 1;
UPDATE dltb SET zldj = 6 WHERE id = 3;
UPDATE dltb SET geom = ST_MakeEnvelope(400, 0, 500, 90, 4528) WHERE id = 3;
-- a class change together with a reshaping logs the part that kept its place
UPDATE dltb SET dlbm = '0103', geom = ST_MakeEnvelope(600, 0, 650, 100, 4528) WHERE id = 4;
UPDATE dltb SET dlbm = '0201', geom = ST_MakeEnvelope(600, 0, 700, 100, 4528) WHERE id = 4;

-- a split: parcel 2 (forest) cut in two; one half becomes paddy, one stays forest
BEGIN;
DELETE FROM dltb WHERE id = 2;
INSERT INTO dltb (xzq, dlbm, zldj, bgrq, geom) VALUES
    ('350121101', '0101', 4, '2025-05-01', ST_MakeEnvelope(200, 0, 250, 100, 4528)),
    ('350121101', '0301', NULL, '2025-05-01', ST_MakeEnvelope(250, 0, 300, 100, 4528));
COMMIT;
-- a merge: parcels 3 and 4 become one industrial parcel
BEGIN;
DELETE FROM dltb WHERE id IN (3, 4);
INSERT INTO dltb (xzq, dlbm, bgrq, geom) VALUES ('350121101', '0601', '2025-07-01', ST_MakeEnvelope(400, 0, 700, 100, 4528));
COMMIT;
-- a rolled-back split leaves no trace
BEGIN;
DELETE FROM dltb WHERE id = 1;
INSERT INTO dltb (xzq, dlbm, bgrq, geom) VALUES ('350121101', '0702', '2025-08-01', ST_MakeEnvelope(0, 0, 100, 100, 4528));
ROLLBACK;
-- a parcel redrawn somewhere else with another class changed no land where it was: nothing logged
INSERT INTO dltb (xzq, dlbm, bgrq, geom) VALUES ('350121101', '0301', '2025-08-15', ST_MakeEnvelope(3000, 0, 3100, 100, 4528));
UPDATE dltb SET dlbm = '0102', geom = ST_MakeEnvelope(4000, 0, 4100, 100, 4528) WHERE bgrq = '2025-08-15';
-- a plain delete or a new parcel is not a class change
DELETE FROM dltb WHERE id = 6;
INSERT INTO dltb (xzq, dlbm, bgrq, geom) VALUES ('350121101', '0103', '2025-09-01', ST_MakeEnvelope(1000, 0, 1100, 100, 4528));

SELECT parcel_key, parent_key, admin, from_class, to_class, area_m2, grade_before, grade_after, changed_on, kind, by_role = session_user AS by_me
FROM landpolicy.change_log WHERE target = 'dltb'::regclass ORDER BY id;
SELECT count(*) AS pending FROM landpolicy.change_pending;

-- the balances over the log (out grades are the grades before, in grades the grades after)
SELECT (inout_balance(from_class, to_class, area_m2,
                      CASE balance_direction('inout', from_class, to_class) WHEN 'in' THEN grade_after ELSE grade_before END)).*
FROM landpolicy.change_log WHERE target = 'dltb'::regclass;

-- with a parent-key column, children are matched to their parents by it, not by overlap
CREATE TABLE dltb2 (id int PRIMARY KEY, parent int, xzq admincode DEFAULT '350121102', dlbm landclass, geom geometry(Polygon, 4528));
INSERT INTO dltb2 (id, parent, dlbm, geom) VALUES (1, NULL, '0102', ST_MakeEnvelope(0, 0, 100, 100, 4528));
SELECT landpolicy.attach('dltb2', 'change_log', '{"class": "dlbm", "admin": "xzq", "parent": "parent", "key": "id"}');
BEGIN;
DELETE FROM dltb2 WHERE id = 1;
INSERT INTO dltb2 (id, parent, dlbm, geom) VALUES (2, 1, '1202', ST_MakeEnvelope(0, 0, 30, 100, 4528)), (3, 1, '0102', ST_MakeEnvelope(30, 0, 100, 100, 4528));
COMMIT;
SELECT parcel_key, parent_key, from_class, to_class, area_m2, kind FROM landpolicy.change_log WHERE target = 'dltb2'::regclass;

-- the log is append-only, and a logged table cannot be truncated
UPDATE landpolicy.change_log SET area_m2 = 0;
DELETE FROM landpolicy.change_log WHERE target = 'dltb'::regclass;
TRUNCATE landpolicy.change_log;
TRUNCATE dltb;
-- bad input
INSERT INTO dltb (xzq, dlbm, bgrq, geom) VALUES ('350121101', NULL, '2025-09-01', ST_MakeEnvelope(2000, 0, 2100, 100, 4528));
SELECT landpolicy.attach('dltb', 'change_log', '{"class": "xzq", "admin": "xzq"}');

SELECT landpolicy.detach('dltb', 'change_log');
SELECT landpolicy.detach('dltb2', 'change_log');
SELECT tgname FROM pg_trigger WHERE tgrelid IN ('dltb'::regclass, 'dltb2'::regclass) AND NOT tgisinternal;
DROP TABLE dltb, dltb2;
