-- Hostile geometries against the guards and the measurements: NaN and infinite coordinates, huge
-- coordinates, collapsed rings, a million vertices.  Each gives an error or a correct verdict;
-- none crashes the backend.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never
\set VERBOSITY terse

CREATE TABLE hx (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO hx VALUES (1, ST_MakeEnvelope(0, 0, 1000, 1000, 4528));
SELECT register_layer('eco_redline', 'hx');
CREATE TABLE xm (id serial PRIMARY KEY, use landclass, geom geometry(Polygon, 4528));
SELECT attach('xm', 'R1.1', '{"use": "use"}');

-- NaN and infinite coordinates, both paths
INSERT INTO xm (use, geom) VALUES ('0601', ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[ST_Point(0, 0), ST_Point('NaN', 10), ST_Point(10, 10), ST_Point(0, 0)])), 4528));
INSERT INTO xm (use, geom) VALUES ('0601', ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[ST_Point(0, 0), ST_Point('Infinity', 10), ST_Point(10, 10), ST_Point(0, 0)])), 4528));
SET landpolicy.fast_path = off;
INSERT INTO xm (use, geom) VALUES ('0601', ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[ST_Point(0, 0), ST_Point('NaN', 10), ST_Point(10, 10), ST_Point(0, 0)])), 4528));
RESET landpolicy.fast_path;
SELECT area_m2(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[ST_Point(0, 0), ST_Point('NaN', 10), ST_Point(10, 10), ST_Point(0, 0)])), 4528));
-- huge coordinates far from everything: a correct verdict (no overlap)
INSERT INTO xm (use, geom) VALUES ('0601', ST_MakeEnvelope(1e300, 1e300, 1.0000001e300, 1.0000001e300, 4528)) RETURNING id > 0 AS accepted;
-- a collapsed ring (zero area) and a ring that is a line
INSERT INTO xm (use, geom) VALUES ('0601', 'SRID=4528;POLYGON((100 100,200 200,100 100,100 100))');
INSERT INTO xm (use, geom) VALUES ('0601', 'SRID=4528;POLYGON((100 100,200 100,300 100,100 100))');
-- a million vertices: a circle of radius 400 m inside the red line is refused, one outside accepted
SELECT ST_NPoints(ST_Buffer(ST_Point(500, 500, 4528), 400, 250000)) AS vertices;
INSERT INTO xm (use, geom) VALUES ('0601', ST_Buffer(ST_Point(500, 500, 4528), 400, 250000));
INSERT INTO xm (use, geom) VALUES ('0601', ST_Buffer(ST_Point(5000, 5000, 4528), 400, 250000)) RETURNING ST_NPoints(geom) AS vertices_accepted;
-- a million-vertex red-line feature is subdivided into pieces of at most 128 vertices
INSERT INTO hx VALUES (2, ST_Buffer(ST_Point(20000, 20000, 4528), 1000, 250000));
SELECT max(ST_NPoints(geom)) <= 128 AS small_pieces, count(*) > 1000 AS many_pieces FROM landpolicy.layer_piece WHERE kind = 'eco_redline';
INSERT INTO xm (use, geom) VALUES ('0601', ST_MakeEnvelope(20990, 19990, 21100, 20010, 4528));
SELECT round(((landpolicy.fast_overlap('eco_redline', ST_MakeEnvelope(20990, 19990, 21100, 20010, 4528))).overlap_m2
              - (landpolicy.layer_overlap('eco_redline', ST_MakeEnvelope(20990, 19990, 21100, 20010, 4528), 'R1.1', '{}', current_date)).overlap_m2)::numeric, 6) AS fast_minus_sql;

-- landclass and admincode input that is not text-like at all
SELECT E'01\\x01'::landclass;
SELECT repeat('9', 300)::admincode;
SELECT repeat('0101', 75)::landclass;

SELECT count(*) AS rows_in FROM xm;
SELECT detach('xm', 'R1.1');
SELECT unregister_layer('eco_redline');
DROP TABLE xm, hx;
