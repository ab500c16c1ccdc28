-- R1.1 生态保护红线: no construction inside the ecological protection red line; nothing at all in
-- a nature-reserve core zone without a core_permit.  The acceptance example of the guards issue.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

CREATE TABLE stbhhx (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
CREATE TABLE yjjbnt (id serial PRIMARY KEY, township landpolicy.admincode, geom geometry(MultiPolygon, 4528));
CREATE TABLE project (id serial PRIMARY KEY, county landpolicy.admincode, use landpolicy.landclass,
                      approved_on date, geom geometry(Polygon, 4528));
SELECT landpolicy.register_layer('eco_redline', 'stbhhx');
SELECT landpolicy.register_layer('pbf', 'yjjbnt', '{"township": "township"}');
SELECT landpolicy.attach('project', 'R1.1', '{"geom": "geom", "use": "use", "date": "approved_on"}');
SELECT landpolicy.attach('project', 'R2.1', '{"geom": "geom", "use": "use", "date": "approved_on"}');

-- the red line: a 1 km square with its south-west corner at (40500000, 2890000)
INSERT INTO stbhhx (geom) VALUES
    ('SRID=4528;MULTIPOLYGON(((40500000 2890000,40501000 2890000,40501000 2891000,40500000 2891000,40500000 2890000)))');
SELECT kind, source, features, pieces FROM landpolicy.layers ORDER BY kind;

-- a box to the east of the red line's east edge (x = 40501000), overlapping it by w metres, 1 m tall
CREATE FUNCTION pg_temp.box(w float8, x_east float8 DEFAULT 40501100) RETURNS geometry
LANGUAGE sql AS $$ SELECT ST_MakeEnvelope(40501000 - w, 2890500, x_east, 2890501, 4528) $$;

-- clear miss passes
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40502000, 2890000, 40502100, 2890100, 4528));
-- touching the boundary passes
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', pg_temp.box(0));
-- overlap just under the tolerance (1 m², overlap.tolerance_m2) passes
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', pg_temp.box(0.9));
-- overlap exactly at the tolerance passes
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', pg_temp.box(1.0));
-- just over the tolerance fails
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', pg_temp.box(1.1));
-- a big overlap fails, naming the feature and the area in m² and mu
INSERT INTO project (use, approved_on, geom) VALUES ('05H1', '2026-01-01', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528));
-- a use that is not construction land is not this rule's concern
INSERT INTO project (use, approved_on, geom) VALUES ('0301', '2026-01-01', ST_MakeEnvelope(40500100, 2890100, 40500200, 2890200, 4528));
SELECT count(*) AS rows_in FROM project;

-- what a client sees: SQLSTATE 23514, constraint name = rule id, the rule id in the message
DO $$
DECLARE st text; con text; msg text; tab text;
BEGIN
    INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528));
EXCEPTION WHEN check_violation THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, con = CONSTRAINT_NAME, msg = MESSAGE_TEXT, tab = TABLE_NAME;
    RAISE NOTICE 'sqlstate %, constraint %, table %, message starts "%"', st, con, tab, left(msg, 4);
END $$;

-- exemptions: only the kinds R1.1 allows, only inside their scope, only in their window
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.1', 'major_project', '国函〔2026〕1号', '国务院', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528), '[2026-01-01,2027-01-01)');
-- the exempted half (50 × 100 m) no longer counts, the other half still does
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-06-01', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528));
-- wholly inside the scope: passes
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-06-01', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- the same place after the window closes: fails
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2027-01-01', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- and before it opens: fails
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2025-12-31', ST_MakeEnvelope(40500900, 2890000, 40500950, 2890100, 4528));
-- an exemption of a kind the rule allows only in the core zone does not open the red line
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.1', 'core_permit', '闽林〔2026〕9号', '福建省林业局', ST_MakeEnvelope(40500000, 2890900, 40500100, 2891000, 4528), '[2026-01-01,2027-01-01)');
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-06-01', ST_MakeEnvelope(40500000, 2890900, 40500100, 2891000, 4528));
-- exemption kinds a rule does not know are refused at entry
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.1', 'mayor_said_so', 'x', 'x', ST_MakeEnvelope(0, 0, 1, 1, 4528), '[2026-01-01,2027-01-01)');
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R2.2', 'major_project', 'x', 'x', ST_MakeEnvelope(0, 0, 1, 1, 4528), '[2026-01-01,2027-01-01)');
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.1', 'major_project', 'x', 'x', 'SRID=4528;POLYGON((0 0,10 10,10 0,0 10,0 0))', '[2026-01-01,2027-01-01)');

-- the core zone of a nature reserve: any use at all is refused, unless a core_permit covers it
CREATE TABLE hxq (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO hxq VALUES (1, ST_MakeEnvelope(40503000, 2890000, 40503500, 2890500, 4528));
SELECT landpolicy.register_layer('eco_core', 'hxq');
INSERT INTO project (use, approved_on, geom) VALUES ('0301', '2026-06-01', ST_MakeEnvelope(40503400, 2890400, 40503600, 2890600, 4528));
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.1', 'core_permit', '林护许〔2026〕3号', '国家林业和草原局', ST_MakeEnvelope(40503400, 2890400, 40503500, 2890500, 4528), '[2026-01-01,2027-01-01)');
INSERT INTO project (use, approved_on, geom) VALUES ('0301', '2026-06-01', ST_MakeEnvelope(40503400, 2890400, 40503600, 2890600, 4528));
-- a national major project is not a core permit
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.1', 'major_project', '国函〔2026〕2号', '国务院', ST_MakeEnvelope(40503000, 2890000, 40503100, 2890100, 4528), '[2026-01-01,2027-01-01)');
INSERT INTO project (use, approved_on, geom) VALUES ('0301', '2026-06-01', ST_MakeEnvelope(40503000, 2890000, 40503100, 2890100, 4528));
SELECT landpolicy.unregister_layer('eco_core');

-- layer edits take effect on the next write: a new red-line polygon, edited, deleted, truncated
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40505000, 2890000, 40505100, 2890100, 4528));
INSERT INTO stbhhx (geom) VALUES ('SRID=4528;MULTIPOLYGON(((40505000 2890000,40506000 2890000,40506000 2891000,40505000 2891000,40505000 2890000)))');
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40505000, 2890000, 40505100, 2890100, 4528));
UPDATE stbhhx SET geom = ST_Multi(ST_Translate(geom, 0, 2000)) WHERE id = 2;
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40505000, 2890000, 40505100, 2890100, 4528));
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40505000, 2892000, 40505100, 2892100, 4528));
DELETE FROM stbhhx WHERE id = 2;
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40505000, 2892000, 40505100, 2892100, 4528));
SELECT kind, features, pieces FROM landpolicy.layers WHERE kind = 'eco_redline';

-- UPDATE: moving a row into the red line is checked like an insert
UPDATE project SET geom = ST_MakeEnvelope(40500500, 2890500, 40500600, 2890600, 4528) WHERE geom = ST_MakeEnvelope(40502000, 2890000, 40502100, 2890100, 4528);
-- changing the use of a row inside the red line to construction is checked too
UPDATE project SET use = '0601' WHERE use = '0301' AND ST_Intersects(geom, ST_MakeEnvelope(40500100, 2890100, 40500200, 2890200, 4528));

-- record mode: the row goes in, the violation is logged with table, row key and role
SELECT landpolicy.attach('project', 'R1.1', '{"geom": "geom", "use": "use", "date": "approved_on", "mode": "record"}');
INSERT INTO project (use, approved_on, geom) VALUES ('0702', '2026-02-01', ST_MakeEnvelope(40500200, 2890200, 40500300, 2890300, 4528)) RETURNING use;
SELECT rule, target, row_key::int = (SELECT max(id) FROM project) AS key_is_new_row, by_role = current_user AS by_me,
       (violation).measured, (violation)."limit", (violation).detail->>'features' AS features
FROM landpolicy.violation_log;
SELECT target, rule, mode, options FROM landpolicy.attachments ORDER BY rule;

-- back to reject: an UPDATE that touches no mapped column is not re-checked; one that does is
SELECT landpolicy.attach('project', 'R1.1', '{"geom": "geom", "use": "use", "date": "approved_on"}');
UPDATE project SET county = '350121' WHERE use = '0702' AND approved_on = '2026-02-01';
UPDATE project SET approved_on = '2026-02-02' WHERE use = '0702' AND approved_on = '2026-02-01';

-- messages in Chinese, English or both (the default)
SET landpolicy.lang = 'zh';
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528));
RESET landpolicy.lang;
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40500900, 2890000, 40501100, 2890100, 4528));
SET landpolicy.lang = 'klingon';
SET landpolicy.lang = 'en';

-- a missing layer fails closed
SELECT landpolicy.unregister_layer('eco_redline');
INSERT INTO project (use, approved_on, geom) VALUES ('0601', '2026-01-01', ST_MakeEnvelope(40509000, 2890000, 40509100, 2890100, 4528));
-- ... but only for rows the rule concerns
INSERT INTO project (use, approved_on, geom) VALUES ('0101', '2026-01-01', ST_MakeEnvelope(40509000, 2890000, 40509100, 2890100, 4528));

-- detach
SELECT landpolicy.detach('project', 'R1.1');
SELECT landpolicy.detach('project', 'R1.1');
SELECT tgname FROM pg_trigger WHERE tgrelid = 'project'::regclass ORDER BY 1;

SELECT landpolicy.detach('project', 'R2.1');
SELECT landpolicy.unregister_layer('pbf');
DELETE FROM landpolicy.exemption;
DELETE FROM landpolicy.violation_log;
DROP TABLE project, stbhhx, yjjbnt, hxq;
