-- The fast path (prepared GEOS geometries in an STRtree, per backend) gives the SQL path's overlap
-- areas and verdicts on thousands of random parcels — inside, outside, crossing several pieces,
-- touching, near the tolerance — and falls back to the SQL path where it cannot decide.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

-- a red line of wobbly polygons (2000+ vertices each, subdivided into pieces), two of them overlapping
CREATE TABLE hx (id int PRIMARY KEY, geom geometry(MultiPolygon, 4528));
INSERT INTO hx
SELECT i, ST_Multi(ST_MakeValid(ST_MakePolygon(ST_AddPoint(l, ST_StartPoint(l)))))
FROM (SELECT i, ST_MakeLine(ARRAY(
          SELECT ST_Point(40500000 + (i % 3) * 3000 + (1000 + 150 * sin(a * 7 + i) + 80 * cos(a * 23)) * cos(a),
                          2890000 + (i / 3) * 3000 + (1000 + 150 * sin(a * 7 + i) + 80 * cos(a * 23)) * sin(a), 4528)
          FROM generate_series(0, 1999) k, LATERAL (SELECT 2 * pi() * k / 2000 AS a) x)) AS l
      FROM generate_series(0, 5) i) s;
INSERT INTO hx VALUES (7, ST_Multi(ST_Buffer(ST_Point(40501000, 2890000, 4528), 600, 32)));
SELECT landpolicy.register_layer('eco_redline', 'hx');
SELECT kind, features, pieces > features AS subdivided FROM landpolicy.layers;

-- 3000 random boxes over the area, 1 to 300 m a side; plus slivers at the tolerance
SELECT setseed(0.42);
CREATE TABLE box AS
SELECT i, ST_MakeEnvelope(x, y, x + w, y + h, 4528) AS geom
FROM (SELECT i, 40498000 + random() * 10000 AS x, 2888000 + random() * 7000 AS y,
             1 + random() * 299 AS w, 1 + random() * 299 AS h FROM generate_series(1, 3000) i) s;
INSERT INTO box VALUES (3001, ST_MakeEnvelope(40501000 - 1, 2890000, 40501000, 2890001, 4528));

-- the overlap areas agree with the SQL path's to a millionth of a m², features too
SELECT count(*) AS boxes,
       count(*) FILTER (WHERE f IS NULL) AS deferred,
       count(*) FILTER (WHERE (s).overlap_m2 > 0) AS overlapping,
       count(*) FILTER (WHERE (s).overlap_m2 > 0 AND (s).overlap_m2 < landpolicy.measured_area(b.geom) - 1e-6) AS crossing,
       count(*) FILTER (WHERE abs((f).overlap_m2 - (s).overlap_m2) > 1e-6) AS area_differs,
       count(*) FILTER (WHERE (f).features IS DISTINCT FROM (s).features) AS features_differ
FROM box b, LATERAL (SELECT landpolicy.fast_overlap('eco_redline', b.geom) AS f,
                            landpolicy.layer_overlap('eco_redline', b.geom, 'R1.1', '{}', current_date) AS s) x;

-- the verdicts of the guard agree too: each box inserted with the fast path on and off
CREATE TABLE xm (id serial PRIMARY KEY, use landclass, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('xm', 'R1.1', '{"use": "use"}');
CREATE FUNCTION pg_temp.verdict(g geometry, fast boolean) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('landpolicy.fast_path', fast::text, true);
    INSERT INTO xm (use, geom) VALUES ('0601', g);
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'rolled back';
EXCEPTION
    WHEN check_violation THEN RETURN SQLERRM;
    WHEN raise_exception THEN RETURN 'pass';
END
$$;
SELECT count(*) AS checked, count(*) FILTER (WHERE fast <> slow) AS verdicts_differ,
       count(*) FILTER (WHERE fast LIKE 'R1.1%') AS refused
FROM (SELECT pg_temp.verdict(geom, true) AS fast, pg_temp.verdict(geom, false) AS slow FROM box WHERE i % 3 = 0 OR i = 3001) v;

-- check() and audit() share the fast path: evaluate() asks fast_evaluate() first, which decides the
-- boxes the guard decides and returns the SQL path's violations (facts() and rule_judge()): the
-- same messages, figures and details, the measured area to a millionth of a m² (GEOS and PostGIS
-- sum the pieces in different orders)
CREATE FUNCTION pg_temp.same_violations(a landpolicy.violation[], b landpolicy.violation[]) RETURNS boolean
LANGUAGE sql AS $$
    SELECT cardinality(a) = cardinality(b)
       AND bool_and(x.rule = y.rule AND x.severity = y.severity AND x.message = y.message AND x.basis = y.basis
                    AND x."limit" = y."limit" AND x.detail = y.detail AND abs(x.measured - y.measured) <= 1e-6)
                    IS NOT FALSE
    FROM unnest(a) WITH ORDINALITY x, unnest(b) WITH ORDINALITY y WHERE x.ordinality = y.ordinality
$$;
SELECT count(*) AS boxes,
       count(*) FILTER (WHERE f IS NULL) AS deferred,
       count(*) FILTER (WHERE cardinality(f) > 0) AS violating,
       count(*) FILTER (WHERE NOT pg_temp.same_violations(f, s)) AS differ
FROM box b,
     LATERAL (SELECT landpolicy.fast_evaluate('R1.1', b.geom, '0601', '2026-01-01', NULL, NULL, false, false) AS f) x,
     LATERAL (SELECT ARRAY(SELECT j FROM landpolicy.facts('R1.1', b.geom, '2026-01-01', NULL, '0601', false) fa,
                                         landpolicy.rule_judge('R1.1', '0601', false, NULL, false, fa.tolerance_m2,
                                                               fa.params, fa.measurements) j) AS s) y
WHERE b.i % 3 = 0 OR b.i = 3001;
-- with the fast path off, or for a use the rule does not concern
SET landpolicy.fast_path = off;
SELECT landpolicy.fast_evaluate('R1.1', geom, '0601', '2026-01-01', NULL, NULL, false, false) IS NULL AS off_defers FROM box WHERE i = 3001;
RESET landpolicy.fast_path;
SELECT landpolicy.fast_evaluate('R1.1', geom, '0101', '2026-01-01', NULL, NULL, false, false) AS paddy FROM box WHERE i = 3001;

-- a layer edit in this session is seen by the next write (the cache is rebuilt)
SELECT pg_temp.verdict(ST_MakeEnvelope(40520000, 2890000, 40520100, 2890100, 4528), true) AS before_edit;
INSERT INTO hx VALUES (8, ST_Multi(ST_MakeEnvelope(40520000, 2890000, 40521000, 2891000, 4528)));
SELECT pg_temp.verdict(ST_MakeEnvelope(40520000, 2890000, 40520100, 2890100, 4528), true) AS after_edit;
DELETE FROM hx WHERE id = 8;
SELECT pg_temp.verdict(ST_MakeEnvelope(40520000, 2890000, 40520100, 2890100, 4528), true) AS after_delete;

-- past the memory bound the fast path defers to the SQL path, with the same verdicts
SET landpolicy.layer_cache_kb = 1;
SELECT landpolicy.fast_overlap('eco_redline', geom) IS NULL AS deferred FROM box WHERE i = 1;
SELECT count(*) AS checked, count(*) FILTER (WHERE fast <> slow) AS verdicts_differ
FROM (SELECT pg_temp.verdict(geom, true) AS fast, pg_temp.verdict(geom, false) AS slow FROM box WHERE i % 50 = 0) v;
RESET landpolicy.layer_cache_kb;

-- parameters are cached by the window of dates over which they hold: a national tolerance of 50 m²
-- in force for June 2026 only lets a 25 m² overlap through on June's dates and on no other, in
-- whatever order the dates come, with the fast path on and off alike
INSERT INTO policy_param (key, valid, value, unit, basis)
VALUES ('overlap.tolerance_m2', '[2026-06-01,2026-07-01)', 50, 'm2', 'test: June only');
CREATE TABLE xd (id serial PRIMARY KEY, use landclass, d date, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('xd', 'R1.1', '{"use": "use", "date": "d"}');
CREATE FUNCTION pg_temp.verdict_on(d date, fast boolean) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('landpolicy.fast_path', fast::text, true);
    INSERT INTO xd (use, d, geom) VALUES ('0601', d, ST_MakeEnvelope(40501300, 2889700, 40501305, 2889705, 4528));
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'rolled back';
EXCEPTION
    WHEN check_violation THEN RETURN 'refused';
    WHEN raise_exception THEN RETURN 'pass';
END
$$;
SELECT d::text, pg_temp.verdict_on(d, true) AS fast, pg_temp.verdict_on(d, false) AS slow
FROM unnest(ARRAY['2026-06-15', '2026-05-31', '2026-06-01', '2026-06-30', '2026-07-01', '2026-06-20',
                  '2025-06-15', '2026-06-10']::date[]) WITH ORDINALITY AS t(d, n) ORDER BY n;
SELECT landpolicy.detach('xd', 'R1.1');
DROP TABLE xd;
DELETE FROM policy_param WHERE basis = 'test: June only';

-- where it cannot decide, the fast path defers: another SRID, an invalid geometry, exemptions on record
SELECT landpolicy.fast_overlap('eco_redline', ST_Transform(geom, 4490)) IS NULL AS other_srid FROM box WHERE i = 1;
SELECT landpolicy.fast_overlap('eco_redline', 'SRID=4528;POLYGON((40500000 2890000,40500010 2890010,40500010 2890000,40500000 2890010,40500000 2890000))') IS NULL AS invalid;
SELECT landpolicy.fast_overlap('no_such_layer', geom) IS NULL AS missing FROM box WHERE i = 1;
INSERT INTO exemption (rule, kind, doc_no, authority, scope, valid) VALUES
    ('R1.1', 'major_project', 'x', 'x', ST_MakeEnvelope(40500000, 2889000, 40501000, 2890000, 4528), '[2020-01-01,2030-01-01)');
SELECT pg_temp.verdict(ST_MakeEnvelope(40500500, 2889500, 40500600, 2889600, 4528), true) AS exempted_by_sql_path;
DELETE FROM exemption;

SELECT landpolicy.detach('xm', 'R1.1');
SELECT landpolicy.unregister_layer('eco_redline');
DROP TABLE hx, box, xm;
