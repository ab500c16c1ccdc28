-- Trust: the Security conventions of DESIGN.md held against roles that should not get through.
--   (a) nothing that runs as the extension's owner is executable by PUBLIC
--   (b) every non-C function has a fixed search_path, or is a helper no search_path can subvert
--   (c) a writer with INSERT on a guarded table is refused like anyone and can touch nothing else
--   (d) session_replication_role = replica does not switch a guard off
--   (e) a hostile search_path in a superuser's session runs none of the planted functions
-- Everything created here is dropped at the end (the regress tests share one database).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

-- try(statement): 'ok', or the error as "SQLSTATE [constraint] message".  No SET search_path: the
-- statement must run under the session's search_path (section e).  Its own body uses only text
-- operators that pg_catalog, searched first, matches exactly.
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
    con text;
    msg text;
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, con = CONSTRAINT_NAME, msg = MESSAGE_TEXT;
    RETURN st || coalesce(' [' || nullif(con, '') || ']', '') || ' ' || msg;
END
$$;
-- a w × h m box at (x, y) metres from (40500000, 2890000) in EPSG:4528, immune to the session's search_path
CREATE FUNCTION pg_temp.box(x float8, y float8, w float8, h float8) RETURNS geometry
LANGUAGE sql SET search_path = pg_catalog, public
AS $$ SELECT ST_MakeEnvelope(40500000 + x, 2890000 + y, 40500000 + x + w, 2890000 + y + h, 4528) $$;

-- ===== the configuration under test =====
-- red line: 1 km square at the origin; PBF: 1 km square 10 km east, township 350121101
CREATE TABLE sec_redline (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO sec_redline VALUES (1, pg_temp.box(0, 0, 1000, 1000));
CREATE TABLE sec_pbf (id int PRIMARY KEY, township landpolicy.admincode, geom geometry(Polygon, 4528));
INSERT INTO sec_pbf VALUES (1, '350121101', pg_temp.box(10000, 0, 1000, 1000));
SELECT landpolicy.register_layer('eco_redline', 'sec_redline');
SELECT landpolicy.register_layer('pbf', 'sec_pbf', '{"township": "township"}');
-- projects: R1.1 rejects, R2.1 records
CREATE TABLE sec_project (id serial PRIMARY KEY, use landpolicy.landclass, approved_on date, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('sec_project', 'R1.1', '{"use": "use", "date": "approved_on"}');
SELECT landpolicy.attach('sec_project', 'R2.1', '{"use": "use", "date": "approved_on", "mode": "record"}');
-- PBF adjustments: R2.3, 5 % of 1 000 000 m² = a cap of 50 000 m² removed
INSERT INTO landpolicy.pbf_baseline (township, designated_m2, source) VALUES ('350121101', 1000000, 'security test');
CREATE TABLE sec_adj (id serial PRIMARY KEY, township landpolicy.admincode, direction text, recorded_on date,
                      geom geometry(Polygon, 4528));
SELECT landpolicy.attach('sec_adj', 'R2.3', '{"township": "township", "direction": "direction", "date": "recorded_on"}');
-- parcels: the change log
CREATE TABLE sec_dltb (id int PRIMARY KEY, xzq landpolicy.admincode, dlbm landpolicy.landclass, bgrq date,
                       geom geometry(Polygon, 4528));
INSERT INTO sec_dltb VALUES (1, '350121101', '0101', '2026-01-01', pg_temp.box(20000, 0, 100, 100)),
                            (2, '350121101', '0301', '2026-01-01', pg_temp.box(20200, 0, 100, 100));
SELECT landpolicy.attach('sec_dltb', 'change_log', '{"class": "dlbm", "admin": "xzq", "date": "bgrq", "key": "id"}');

-- ===== (a) nothing that runs as the extension's owner is executable by PUBLIC =====
-- SECURITY DEFINER functions, and landpolicy.enforce(): a C trigger function that switches to the
-- extension's owner for its queries (guard.c, RunGuardQuery), so it is one in all but name.
SELECT p.oid::regprocedure AS runs_as_owner_and_public_may_execute
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                AND d.refclassid = 'pg_extension'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'landpolicy'
WHERE (p.prosecdef OR p.oid = 'landpolicy.enforce()'::regprocedure)
  AND has_function_privilege('public', p.oid, 'EXECUTE')
ORDER BY p.oid::regprocedure::text COLLATE "C";

-- ===== (b) fixed search_path =====
-- Every function of the extension that is not C (aggregates have no body of their own) either
-- sets search_path or is a helper whose every reference is one no schema can shadow: a function
-- or operator that pg_catalog (always searched first) matches exactly, or nothing at all.
SELECT p.oid::regprocedure AS without_search_path, l.lanname,
       CASE p.oid::regprocedure::text
           WHEN 'landpolicy.input(jsonb,jsonb,text)' THEN 'harmless: jsonb ->> text only'
           WHEN 'landpolicy.pbf_direction(text)' THEN 'harmless: lower(text), text = text, quote_literal(text)'
           WHEN 'landpolicy.quality_grade(text,text,boolean)' THEN 'harmless: text::int4, int4 comparisons'
           WHEN 'landpolicy.fmt(numeric)' THEN 'harmless: round(numeric, int4), trim_scale(numeric)'
           WHEN 'landpolicy.refuse_truncate()' THEN 'harmless: RAISE only'
           WHEN 'landpolicy.change_log_append_only()' THEN 'harmless: RAISE only'
           ELSE 'PROBLEM: references objects a schema earlier in the path can shadow' END AS verdict
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                AND d.refclassid = 'pg_extension'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'landpolicy'
WHERE l.lanname <> 'c' AND p.prokind <> 'a'
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
ORDER BY p.oid::regprocedure::text COLLATE "C";
-- the fixed paths end with pg_temp, so a caller's temporary objects shadow nothing either
SELECT DISTINCT c AS fixed_search_path
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                AND d.refclassid = 'pg_extension'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'landpolicy',
     unnest(p.proconfig) c
WHERE c LIKE 'search_path=%';

-- ===== (c) a writer: INSERT on the guarded tables, nothing else =====
CREATE ROLE lp_sec_writer;
GRANT INSERT, UPDATE ON sec_project, sec_adj TO lp_sec_writer;
GRANT USAGE ON SEQUENCE sec_project_id_seq, sec_adj_id_seq TO lp_sec_writer;
SET ROLE lp_sec_writer;
-- a valid project passes; one in the red line is refused with 23514 and constraint R1.1
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0601', '2026-03-01', pg_temp.box(3000, 0, 100, 100))$$);
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0601', '2026-03-01', pg_temp.box(400, 400, 100, 100))$$);
-- record mode (R2.1 on PBF) lets the row through and logs it, though the writer cannot write the log
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0601', '2026-03-02', pg_temp.box(10100, 100, 10, 10))$$);
-- the ledger is booked for the writer: 30 000 m² removed passes, 30 000 more would pass the cap
SELECT pg_temp.try($$INSERT INTO sec_adj (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-03-01', pg_temp.box(30000, 0, 300, 100))$$);
SELECT pg_temp.try($$INSERT INTO sec_adj (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-03-02', pg_temp.box(30000, 200, 300, 100))$$);
-- the copies of the layers are not the writer's to read
SELECT count(*) FROM landpolicy.layer_piece;
SELECT count(*) FROM landpolicy.layer_piece_eco_redline;
-- nor what the guards' cache holds: this session's guards built it as the owner, but the fast path
-- answers the writer nothing (NULL: the SQL path decides), and check() is refused the pieces
SELECT landpolicy.fast_evaluate('R1.1', pg_temp.box(400, 400, 100, 100), '0601', '2026-03-01', NULL, NULL, false, false) IS NULL AS fast_path_defers;
SELECT rule, measured FROM landpolicy.check(pg_temp.box(400, 400, 100, 100), '0601', NULL, '2026-03-01', '{"rules": ["R1.1"]}');
-- the extension's tables are not the writer's to write: one statement each
INSERT INTO landpolicy.ledger (rule, scope, period, out_m2) VALUES ('R2.3', '350121101', 0, 0);
UPDATE landpolicy.ledger SET out_m2 = 0;
DELETE FROM landpolicy.ledger;
INSERT INTO landpolicy.violation_log (rule, target, row_key, violation, by_role)
    VALUES ('R1.1', 'sec_project', '1', ROW('R1.1', 'error', 'x', NULL, NULL, NULL, NULL), 'x');
UPDATE landpolicy.violation_log SET row_key = 'x';
DELETE FROM landpolicy.violation_log;
INSERT INTO landpolicy.attachment (target, rule, options, mode) VALUES ('sec_project', 'R1.2', '{}', 'reject');
UPDATE landpolicy.attachment SET mode = 'record';
DELETE FROM landpolicy.attachment;
INSERT INTO landpolicy.layer (kind, source, geom_column, key_column, srid) VALUES ('forest', 'sec_project', 'geom', 'id', 4528);
UPDATE landpolicy.layer SET source = 'sec_project';
DELETE FROM landpolicy.layer;
INSERT INTO landpolicy.policy_param (key, value, unit, basis) VALUES ('overlap.tolerance_m2', 1000000, 'm2', 'x');
UPDATE landpolicy.policy_param SET value = 1000000 WHERE key = 'overlap.tolerance_m2';
DELETE FROM landpolicy.policy_param;
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid)
    VALUES ('R1.1', 'major_project', 'x', 'x', pg_temp.box(0, 0, 1000, 1000), '[2000-01-01,)');
UPDATE landpolicy.exemption SET valid = '[2000-01-01,)';
DELETE FROM landpolicy.exemption;
INSERT INTO landpolicy.change_log (target, parcel_key, from_class, to_class, area_m2, changed_on, kind, by_role)
    VALUES ('sec_dltb', '1', '0101', '0601', 1, '2026-01-01', 'update', 'x');
UPDATE landpolicy.change_log SET to_class = '0101';
DELETE FROM landpolicy.change_log;
INSERT INTO landpolicy.pbf_baseline (township, designated_m2) VALUES ('350121102', 1e12);
INSERT INTO landpolicy.quota (county, year, amount) VALUES ('350121', 2026, 1e12);
-- nor are rules and layers: attach, detach and register_layer need the table's owner
SELECT landpolicy.attach('sec_project', 'R1.2', '{"use": "use"}');
SELECT landpolicy.detach('sec_project', 'R1.1');
SELECT landpolicy.register_layer('forest', 'sec_project');
SELECT landpolicy.unregister_layer('eco_redline');
RESET ROLE;
-- what the writer did, seen by the owner: one logged R2.1 violation by lp_sec_writer, 30 000 m² booked
SELECT rule, row_key, (violation).rule AS violated, by_role FROM landpolicy.violation_log
WHERE target = 'sec_project'::regclass ORDER BY id;
SELECT scope, out_m2, entries FROM landpolicy.ledger WHERE rule = 'R2.3' AND scope = '350121101';

-- A role with no rights at all may not run guard queries as the extension's owner by hanging
-- landpolicy.enforce() on a table of its own: it would learn what the red line hides (the
-- overlap, to the m²) and write the violation log.  Whether CREATE TRIGGER is refused or the
-- trigger fails, neither may happen.
CREATE ROLE lp_sec_outsider;
CREATE SCHEMA sec_outside AUTHORIZATION lp_sec_outsider;
SET ROLE lp_sec_outsider;
CREATE TABLE sec_outside.t (id int PRIMARY KEY, use landpolicy.landclass, geom geometry(Polygon, 4528));
DO $$
DECLARE
    mode text;
    msg text;
BEGIN
    FOREACH mode IN ARRAY ARRAY['reject', 'record'] LOOP
        BEGIN
            EXECUTE format('CREATE TRIGGER probe_%s AFTER INSERT ON sec_outside.t FOR EACH ROW
                            EXECUTE FUNCTION landpolicy.enforce(''R1.1'', %L, ''geom'', ''use'', '''', '''', ''id'', '''', '''', '''')',
                           mode, mode);
            EXECUTE format('INSERT INTO sec_outside.t VALUES (%s, ''0601'', pg_temp.box(400, 400, 100, 100))',
                           CASE mode WHEN 'reject' THEN 1 ELSE 2 END);
            msg := 'no error';
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
        END;
        RAISE NOTICE '% mode: red line overlap revealed: %', mode, msg LIKE '%10000.00 m²%';
    END LOOP;
END
$$;
RESET ROLE;
SELECT count(*) AS log_rows_by_outsider FROM landpolicy.violation_log WHERE by_role = 'lp_sec_outsider';

-- ===== (d) session_replication_role = replica does not switch a guard off =====
SET session_replication_role = replica;
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0601', '2026-03-03', pg_temp.box(400, 400, 100, 100))$$);
SELECT pg_temp.try($$INSERT INTO sec_adj (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-03-03', pg_temp.box(30000, 400, 300, 100))$$);
-- the layer is still kept in step: the red line grows 1 km north, and the pieces follow
UPDATE sec_redline SET geom = pg_temp.box(0, 0, 1000, 2000) WHERE id = 1;
SELECT count(DISTINCT source_key) AS features, round(sum(public.ST_Area(geom))) AS area_m2
FROM landpolicy.layer_piece WHERE kind = 'eco_redline';
RESET session_replication_role;
SELECT tgrelid::regclass AS guarded, tgname, tgenabled
FROM pg_trigger
WHERE tgrelid IN ('sec_project'::regclass, 'sec_adj'::regclass, 'sec_dltb'::regclass, 'sec_redline'::regclass, 'sec_pbf'::regclass)
  AND NOT tgisinternal
ORDER BY tgrelid::regclass::text COLLATE "C", tgname COLLATE "C";

-- ===== (e) a hostile search_path =====
-- A role with no rights plants, in a schema of its own, functions and operators named like those
-- the extension calls inside its functions (PostGIS's, its own helpers', and operators pg_catalog
-- has no exact match for).  Each one, if it ran, would say so, count itself in a sequence (which a
-- rollback does not undo) and return a lie that lets rows through.
CREATE ROLE lp_sec_evil;
CREATE SCHEMA evil AUTHORIZATION lp_sec_evil;
SET ROLE lp_sec_evil;
CREATE SEQUENCE evil.hits;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
GRANT USAGE, UPDATE ON SEQUENCE evil.hits TO PUBLIC;
CREATE FUNCTION evil.hit(what text) RETURNS void LANGUAGE plpgsql
AS $$ BEGIN PERFORM pg_catalog.nextval('evil.hits'); RAISE NOTICE 'evil.% ran as %', what, current_user; END $$;
-- PostGIS
CREATE FUNCTION evil.st_intersects(geometry, geometry) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_intersects'); RETURN false; END $$;
CREATE FUNCTION evil.st_intersection(geometry, geometry) RETURNS geometry LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_intersection'); RETURN 'SRID=4528;POLYGON EMPTY'; END $$;
CREATE FUNCTION evil.st_area(geometry) RETURNS float8 LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_area'); RETURN 0; END $$;
CREATE FUNCTION evil.st_transform(geometry, integer) RETURNS geometry LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_transform'); RETURN $1; END $$;
CREATE FUNCTION evil.st_srid(geometry) RETURNS integer LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_srid'); RETURN 4528; END $$;
CREATE FUNCTION evil.st_makevalid(geometry) RETURNS geometry LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_makevalid'); RETURN 'SRID=4528;POLYGON EMPTY'; END $$;
CREATE FUNCTION evil.st_difference(geometry, geometry) RETURNS geometry LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_difference'); RETURN 'SRID=4528;POLYGON EMPTY'; END $$;
CREATE FUNCTION evil.st_isempty(geometry) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_isempty'); RETURN true; END $$;
CREATE FUNCTION evil.st_equals(geometry, geometry) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('st_equals'); RETURN true; END $$;
CREATE FUNCTION evil.overlaps_bbox(geometry, geometry) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('&&'); RETURN false; END $$;
CREATE OPERATOR evil.&& (FUNCTION = evil.overlaps_bbox, LEFTARG = geometry, RIGHTARG = geometry);
-- the extension's own helpers
CREATE FUNCTION evil.area_m2(geometry) RETURNS float8 LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('area_m2'); RETURN 0; END $$;
CREATE FUNCTION evil.measured_area(geometry) RETURNS float8 LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('measured_area'); RETURN 0; END $$;
CREATE FUNCTION evil.ledger_area(geometry) RETURNS numeric LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('ledger_area'); RETURN 0; END $$;
CREATE FUNCTION evil.checked_geometry(geometry) RETURNS geometry LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('checked_geometry'); RETURN $1; END $$;
CREATE FUNCTION evil.geometry_problem(geometry) RETURNS text LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('geometry_problem'); RETURN NULL; END $$;
CREATE FUNCTION evil.param(text, landpolicy.admincode, date) RETURNS numeric LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('param'); RETURN 1000000000; END $$;
CREATE FUNCTION evil.input(jsonb, jsonb, text) RETURNS text LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('input'); RETURN NULL; END $$;
CREATE FUNCTION evil.pbf_direction(text) RETURNS text LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('pbf_direction'); RETURN 'in'; END $$;
CREATE FUNCTION evil.mu(numeric) RETURNS numeric LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('mu'); RETURN 0; END $$;
CREATE FUNCTION evil.say(text, text) RETURNS text LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('say'); RETURN 'all is well'; END $$;
-- operators: text = text (pg_catalog has it exactly, searched first), numeric × integer and
-- numeric ÷ integer (pg_catalog has them only through a cast), landclass = landclass
CREATE FUNCTION evil.texteq(text, text) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('= (text, text)'); RETURN true; END $$;
CREATE OPERATOR evil.= (FUNCTION = evil.texteq, LEFTARG = text, RIGHTARG = text);
CREATE FUNCTION evil.num_mul_int(numeric, integer) RETURNS numeric LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('* (numeric, integer)'); RETURN 0; END $$;
CREATE OPERATOR evil.* (FUNCTION = evil.num_mul_int, LEFTARG = numeric, RIGHTARG = integer);
CREATE FUNCTION evil.num_div_int(numeric, integer) RETURNS numeric LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('/ (numeric, integer)'); RETURN 0; END $$;
CREATE OPERATOR evil./ (FUNCTION = evil.num_div_int, LEFTARG = numeric, RIGHTARG = integer);
CREATE FUNCTION evil.lc_eq(landpolicy.landclass, landpolicy.landclass) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('= (landclass, landclass)'); RETURN true; END $$;
CREATE OPERATOR evil.= (FUNCTION = evil.lc_eq, LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass);
RESET ROLE;

-- A superuser works with the planted schema first.  Every guard type fires and gives its usual
-- verdict; none of evil's functions runs.
SET search_path = evil, public, landpolicy;
-- row rule, reject mode (R1.1): a valid row passes, one in the red line is refused
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0601', '2026-04-01', pg_temp.box(3000, 500, 100, 100))$$);
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0601', '2026-04-01', pg_temp.box(400, 1400, 100, 100))$$);
-- row rule, record mode (R2.1): let through and logged
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0702', '2026-04-02', pg_temp.box(10500, 500, 20, 10))$$);
SELECT rule, (violation).measured FROM landpolicy.violation_log WHERE target = 'sec_project'::regclass ORDER BY id;
-- the dry run agrees
SELECT rule, measured FROM landpolicy.check(pg_temp.box(400, 1400, 100, 100), '0601', NULL, '2026-04-01', '{"rules": ["R1.1"]}');
-- ledger rule (R2.3): 20 000 m² more reaches the cap exactly and passes; 1 m² more is refused
SELECT pg_temp.try($$INSERT INTO sec_adj (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-04-01', pg_temp.box(30000, 600, 200, 100))$$);
SELECT pg_temp.try($$INSERT INTO sec_adj (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-04-02', pg_temp.box(30000, 800, 1, 1))$$);
SELECT scope, out_m2, entries FROM landpolicy.ledger WHERE rule = 'R2.3' AND scope = '350121101';
SELECT * FROM landpolicy.verify();
-- layer sync: the red line back to 1 km², and the pieces follow
UPDATE sec_redline SET geom = pg_temp.box(0, 0, 1000, 1000) WHERE id = 1;
SELECT count(DISTINCT source_key) AS features, round(sum(public.ST_Area(geom))) AS area_m2
FROM landpolicy.layer_piece WHERE kind = 'eco_redline';
-- change log: a class update is logged at once, a split when its constraint trigger fires (made
-- immediate here); rolled back, so that the log the other tests read is left as it was
BEGIN;
UPDATE sec_dltb SET dlbm = '0201', bgrq = '2026-04-01' WHERE id = 1;
DELETE FROM sec_dltb WHERE id = 2;
INSERT INTO sec_dltb VALUES (21, '350121101', '0101', '2026-04-02', pg_temp.box(20200, 0, 50, 100)),
                            (22, '350121101', '0301', '2026-04-02', pg_temp.box(20250, 0, 50, 100));
SET CONSTRAINTS ALL IMMEDIATE;
SELECT parcel_key, parent_key, from_class, to_class, area_m2, kind
FROM landpolicy.change_log WHERE target = 'sec_dltb'::regclass ORDER BY parcel_key;
ROLLBACK;
RESET search_path;
-- The writer too, in its own session with the planted schema first and temporary tables named
-- like types and tables the extension uses (a session's temporary schema is searched first for
-- those unless a search_path lists it), and a cast from numeric into its own "float8" (it owns
-- that type, so it may): the same verdicts, and the cast's function, which would run as whoever
-- evaluates the cast, never runs.
-- (A parameter row written and removed first, so that no backend answers from parameters it cached.)
INSERT INTO landpolicy.policy_param (key, value, unit, basis) VALUES ('security_test.flush', 1, 'none', 'security test');
DELETE FROM landpolicy.policy_param WHERE key = 'security_test.flush';
SET ROLE lp_sec_writer;
SET search_path = evil, public, landpolicy;
CREATE TEMP TABLE geometry (x int);
CREATE TEMP TABLE valid_detail (valid boolean DEFAULT true, reason text, location text);
CREATE TEMP TABLE int4 (x int);
CREATE TEMP TABLE float8 (x int);
CREATE TEMP TABLE date (x int);
CREATE TEMP TABLE jsonb (x int);
CREATE TEMP TABLE regclass (x int);
CREATE TEMP TABLE layer_piece (kind text, source_key text, township text, slope_grade int, geom text);
CREATE TEMP TABLE layer (kind text);
CREATE TEMP TABLE policy_param (key text, value numeric);
CREATE TEMP TABLE exemption (rule text);
CREATE TEMP TABLE attachment (target text, rule text);
CREATE TEMP TABLE ledger (rule text);
CREATE FUNCTION pg_temp.to_my_float8(numeric) RETURNS pg_temp.float8 LANGUAGE plpgsql
AS $$ BEGIN PERFORM evil.hit('cast numeric -> pg_temp.float8'); RETURN NULL; END $$;
CREATE CAST (numeric AS pg_temp.float8) WITH FUNCTION pg_temp.to_my_float8(numeric);
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0601', '2026-04-03', pg_temp.box(3000, 800, 100, 100))$$);
SELECT pg_temp.try($$INSERT INTO sec_project (use, approved_on, geom) VALUES ('0601', '2026-04-03', pg_temp.box(400, 400, 100, 100))$$);
SELECT pg_temp.try($$INSERT INTO sec_adj (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-04-03', pg_temp.box(30000, 900, 1, 1))$$);
DROP CAST (numeric AS pg_temp.float8);
DROP FUNCTION pg_temp.to_my_float8(numeric);
DROP TABLE pg_temp.geometry, pg_temp.valid_detail, pg_temp.int4, pg_temp.float8, pg_temp.date, pg_temp.jsonb,
           pg_temp.regclass, pg_temp.layer_piece, pg_temp.layer, pg_temp.policy_param, pg_temp.exemption,
           pg_temp.attachment, pg_temp.ledger;
RESET search_path;
RESET ROLE;
-- none of evil's functions ran in any of the guards
SELECT is_called AS evil_ran FROM evil.hits;

-- The status views format their figures with landpolicy.mu(), a SQL function without a fixed
-- search_path that is inlined into the reader's query: its m2 * 15 / 10000 is numeric × integer,
-- which pg_catalog matches only through a cast, so an exact operator in an earlier schema would
-- win.  A reader with the planted schema first must see the true figures (50 000 m² = 75 mu, the
-- cap 75 mu, no headroom), and evil must not run.
SET search_path = evil, public, landpolicy;
SELECT township, removed_m2, removed_mu, cap_mu, headroom_mu FROM landpolicy.pbf_adjustment_status WHERE township = '350121101';
RESET search_path;
SELECT is_called AS evil_ran FROM evil.hits;

-- ===== clean up =====
SELECT landpolicy.detach('sec_project', 'R1.1');
SELECT landpolicy.detach('sec_project', 'R2.1');
SELECT landpolicy.detach('sec_adj', 'R2.3');
SELECT landpolicy.detach('sec_dltb', 'change_log');
SELECT landpolicy.unregister_layer('eco_redline');
SELECT landpolicy.unregister_layer('pbf');
DELETE FROM landpolicy.violation_log WHERE target IN ('sec_project'::regclass, 'sec_outside.t'::regclass);
DELETE FROM landpolicy.pbf_baseline WHERE source = 'security test';
DROP TABLE sec_project, sec_adj, sec_dltb, sec_redline, sec_pbf;
SET client_min_messages = warning;
DROP SCHEMA evil CASCADE;
DROP SCHEMA sec_outside CASCADE;
RESET client_min_messages;
DROP OWNED BY lp_sec_writer, lp_sec_outsider, lp_sec_evil;
DROP ROLE lp_sec_writer;
DROP ROLE lp_sec_outsider;
DROP ROLE lp_sec_evil;
SELECT (SELECT count(*) FROM landpolicy.attachment) AS attachments, (SELECT count(*) FROM landpolicy.layer) AS layers,
       (SELECT count(*) FROM landpolicy.ledger) AS ledger_rows, (SELECT count(*) FROM landpolicy.violation_log) AS log_rows;
