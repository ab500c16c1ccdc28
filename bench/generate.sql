-- bench/generate.sql — a synthetic county for the landpolicy benchmarks (bench/run.sh).
--
--   psql -v parcels=100000 -v redline_polygons=40 -v vertices=5000 -v pbf=2000 -v changes=5000000 \
--        -f bench/generate.sql
--
-- Every variable is optional (the defaults are the issue's default scenario).  The county is a
-- 50 km square in EPSG:4528 (CGCS2000 / 3-degree Gauss-Krüger zone 40) around 闽侯县, split into
-- 4 × 4 townships 350121101 … 350121116.  Output, all in schema bench:
--   eco_redline     :redline_polygons wobbly polygons of :vertices vertices, 2–4 km across, disjoint
--   pbf             :pbf wobbly polygons of 24–64 vertices, 300–800 m across, disjoint, with a township
--   parcels         :parcels disjoint rectangles 40–150 m a side, half construction use (0601, 0702,
--                   05H1), half agricultural (0101, 0301); a third of them touch the red line; ids
--                   are in random order, so ids 1..n are a random sample of n
--   land_change     :changes land-class changes (county, year, from, to, area, grade) for the
--                   balance aggregates
--   pbf_adjustment  empty; the table R2.3 is attached to for the ledger benchmark
--   landpolicy.pbf_baseline  the designated PBF of each township (its area in the pbf layer)
-- Deterministic: one setseed() and random() drawn in a fixed order (parallel query is off here).

\set ON_ERROR_STOP on
\if :{?parcels}
\else
  \set parcels 100000
\endif
\if :{?redline_polygons}
\else
  \set redline_polygons 40
\endif
\if :{?vertices}
\else
  \set vertices 5000
\endif
\if :{?pbf}
\else
  \set pbf 2000
\endif
\if :{?changes}
\else
  \set changes 5000000
\endif

SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;   -- random() must be drawn in one fixed order
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;

-- Re-runnable: take down what an earlier run attached and registered.
SELECT landpolicy.detach(a.target, a.rule) FROM landpolicy.attachment a
 JOIN pg_class c ON c.oid = a.target JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench';
SELECT landpolicy.unregister_layer(kind) FROM landpolicy.layer WHERE kind IN ('eco_redline', 'pbf');
DELETE FROM landpolicy.pbf_baseline WHERE township::text LIKE '350121%';
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

SELECT setseed(0.4528);

-- The county square and its 4 × 4 townships.
CREATE TABLE bench.county AS SELECT 40385000.0::float8 AS x0, 2865000.0::float8 AS y0, 50000.0::float8 AS side;
CREATE FUNCTION bench.township_at(x float8, y float8) RETURNS landpolicy.admincode
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (350121101 + least(3, greatest(0, floor((y - 2865000) / 12500)))::int * 4
                        + least(3, greatest(0, floor((x - 40385000) / 12500)))::int)::text::landpolicy.admincode $$;

-- A wobbly, star-shaped (hence valid) ring: radius r0 × (1 + Σ a_i sin(k_i t + φ_i)), |Σ a_i| ≤ 0.22.
CREATE FUNCTION bench.wobbly(cx float8, cy float8, r0 float8, n int, p1 float8, p2 float8, p3 float8, p4 float8)
RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ST_SetSRID(ST_MakePolygon(ST_MakeLine(array_agg(
               ST_MakePoint(cx + r * cos(t), cy + r * sin(t)) ORDER BY k))), 4528)
    FROM generate_series(0, n) k,
         LATERAL (SELECT 2 * pi() * (k % n) / n AS t) a,
         LATERAL (SELECT r0 * (1 + 0.12 * sin(3 * a.t + p1) + 0.06 * sin(7 * a.t + p2)
                                 + 0.03 * sin(19 * a.t + p3) + 0.01 * sin(97 * a.t + p4)) AS r) b
$$;

-- Ecological red line: one polygon per cell of a near-square grid, radius 1000–2000 m (2–4 km across).
CREATE TABLE bench.eco_redline (id int PRIMARY KEY, name text NOT NULL, geom geometry(Polygon, 4528) NOT NULL);
CREATE TEMP TABLE rl_param AS
SELECT i, 1000 + 1000 * random() AS r0, random() AS jx, random() AS jy,
       2 * pi() * random() AS p1, 2 * pi() * random() AS p2, 2 * pi() * random() AS p3, 2 * pi() * random() AS p4
FROM generate_series(0, :redline_polygons - 1) i ORDER BY i;
WITH g AS (SELECT ceil(sqrt(:redline_polygons))::int AS cols),
c AS (SELECT p.*, g.cols, ceil(:redline_polygons::float8 / g.cols)::int AS rows FROM rl_param p, g)
INSERT INTO bench.eco_redline
SELECT c.i + 1, format('HX-%s', c.i + 1),
       bench.wobbly(k.x0 + (c.i % c.cols + 0.5) * k.side / c.cols
                        + (c.jx - 0.5) * 2 * greatest(0, k.side / c.cols / 2 - 1.22 * c.r0 - 100),
                    k.y0 + (c.i / c.cols + 0.5) * k.side / c.rows
                        + (c.jy - 0.5) * 2 * greatest(0, k.side / c.rows / 2 - 1.22 * c.r0 - 100),
                    c.r0, :vertices, c.p1, c.p2, c.p3, c.p4)
FROM c, bench.county k;
CREATE INDEX ON bench.eco_redline USING gist (geom);

-- Permanent basic farmland: :pbf of the cells of a finer grid, one polygon each.
CREATE TABLE bench.pbf (id int PRIMARY KEY, township landpolicy.admincode NOT NULL, geom geometry(Polygon, 4528) NOT NULL);
CREATE TEMP TABLE pbf_param AS
SELECT i, random() AS pick, 150 + 250 * random() AS r0, 24 + (40 * random())::int AS n, random() AS jx, random() AS jy,
       2 * pi() * random() AS p1, 2 * pi() * random() AS p2, 2 * pi() * random() AS p3, 2 * pi() * random() AS p4
FROM generate_series(0, ceil(sqrt(:pbf))::int * ceil(sqrt(:pbf))::int - 1) i ORDER BY i;
WITH g AS (SELECT ceil(sqrt(:pbf))::int AS cols),
c AS (SELECT p.*, g.cols, k.side / g.cols AS cell, k.x0, k.y0 FROM pbf_param p, g, bench.county k
      ORDER BY p.pick LIMIT :pbf),
xy AS (SELECT c.*, c.x0 + (c.i % c.cols + 0.5) * c.cell + (c.jx - 0.5) * 2 * greatest(0, c.cell / 2 - 1.22 * c.r0 - 5) AS cx,
              c.y0 + (c.i / c.cols + 0.5) * c.cell + (c.jy - 0.5) * 2 * greatest(0, c.cell / 2 - 1.22 * c.r0 - 5) AS cy
       FROM c)
INSERT INTO bench.pbf
SELECT row_number() OVER (ORDER BY xy.i), bench.township_at(xy.cx, xy.cy),
       bench.wobbly(xy.cx, xy.cy, xy.r0, xy.n, xy.p1, xy.p2, xy.p3, xy.p4)
FROM xy;
CREATE INDEX ON bench.pbf USING gist (geom);

-- Parcels: strips 40–150 m high stacked up the square, each cut into rectangles 40–150 m wide
-- (1 m apart), each rectangle 40 m to the strip's height: disjoint by construction.
CREATE TEMP TABLE strip AS
SELECT j, h, sum(h + 1) OVER (ORDER BY j) - (h + 1) AS y
FROM (SELECT j, 40 + 110 * random() AS h FROM generate_series(0, 599) j ORDER BY j) s;
CREATE TEMP TABLE cell_raw AS
SELECT n / 600 AS j, n % 600 AS i, 40 + 110 * random() AS w, random() AS hr, random() AS pick, random() AS usepick
FROM generate_series(0, 600 * 600 - 1) n ORDER BY n;
CREATE TEMP TABLE cand AS
SELECT c.j, c.i, c.pick, c.usepick,
       ST_MakeEnvelope(k.x0 + c.x, k.y0 + s.y, k.x0 + c.x + c.w, k.y0 + s.y + 40 + (s.h - 40) * c.hr, 4528) AS geom
FROM (SELECT r.*, sum(r.w + 1) OVER (PARTITION BY r.j ORDER BY r.i) - (r.w + 1) AS x FROM cell_raw r) c
JOIN strip s USING (j), bench.county k
WHERE c.x + c.w <= k.side AND s.y + s.h <= k.side;
-- which candidates touch the red line (pieces of it, for speed: this is the generator, not a rule)
CREATE TEMP TABLE rl_piece AS SELECT ST_Subdivide(geom, 128) AS geom FROM bench.eco_redline;
CREATE INDEX ON rl_piece USING gist (geom);
ANALYZE rl_piece;
ANALYZE cand;
ALTER TABLE cand ADD COLUMN touches bool;
UPDATE cand c SET touches = EXISTS (SELECT 1 FROM rl_piece p WHERE ST_Intersects(p.geom, c.geom));

CREATE TABLE bench.parcels (
    id          int PRIMARY KEY,
    use         landpolicy.landclass NOT NULL,
    township    landpolicy.admincode NOT NULL,
    approved_on date NOT NULL,
    geom        geometry(Polygon, 4528) NOT NULL
);
-- a third from the candidates touching the red line (or all of them, if fewer), the rest from the others
WITH t AS (SELECT * FROM cand WHERE touches ORDER BY pick LIMIT round(:parcels / 3.0)),
o AS (SELECT * FROM cand WHERE NOT touches ORDER BY pick LIMIT :parcels - (SELECT count(*) FROM t)),
a AS (SELECT * FROM t UNION ALL SELECT * FROM o)
INSERT INTO bench.parcels
SELECT row_number() OVER (ORDER BY md5(a.j || '/' || a.i)),
       CASE WHEN a.usepick < 0.20 THEN '0601' WHEN a.usepick < 0.40 THEN '0702' WHEN a.usepick < 0.50 THEN '05H1'
            WHEN a.usepick < 0.80 THEN '0101' ELSE '0301' END::landpolicy.landclass,
       bench.township_at(ST_X(ST_Centroid(a.geom)), ST_Y(ST_Centroid(a.geom))),
       DATE '2025-01-01' + (a.j * 7 + a.i) % 365,
       a.geom
FROM a;
CREATE INDEX ON bench.parcels USING gist (geom);
SELECT count(*) AS made_parcels, count(*) >= :parcels AS enough_parcels FROM bench.parcels \gset
\if :enough_parcels
\else
  \echo 'the square holds only' :made_parcels 'parcels, fewer than the' :parcels 'asked for'
  DO $$ BEGIN RAISE EXCEPTION 'not enough parcels: make the square larger or ask for fewer'; END $$;
\endif

-- Balance aggregates: land-class changes in the 13 counties of 福州 over 2019–2025.
CREATE TABLE bench.land_change (
    id         bigint NOT NULL,
    county     landpolicy.admincode NOT NULL,
    year       int4 NOT NULL,
    from_class landpolicy.landclass NOT NULL,
    to_class   landpolicy.landclass NOT NULL,
    area_m2    float8 NOT NULL,
    grade      int4
);
INSERT INTO bench.land_change
SELECT g,
       (ARRAY['350102', '350103', '350104', '350105', '350111', '350112', '350121', '350122', '350123',
              '350124', '350125', '350128', '350181']::landpolicy.admincode[])[1 + floor(13 * random())::int],
       2019 + floor(7 * random())::int,
       c.cls[1 + floor(10 * random())::int],
       c.cls[1 + floor(10 * random())::int],
       10 + 5000 * random(),
       CASE WHEN random() < 0.9 THEN 1 + floor(15 * random())::int END
FROM generate_series(1, :changes) g,
     (SELECT ARRAY['0101', '0102', '0103', '0201', '0301', '0401', '1104', '0601', '0702', '0404']::landpolicy.landclass[] AS cls) c;

-- PBF adjustments (R2.3 ledger): the designated PBF of each township is its area in the pbf layer.
CREATE TABLE bench.pbf_adjustment (
    id          bigserial PRIMARY KEY,
    township    landpolicy.admincode NOT NULL,
    direction   text NOT NULL CHECK (direction IN ('out', 'in')),
    grade       int,
    recorded_on date NOT NULL,
    geom        geometry(MultiPolygon, 4528) NOT NULL
);
INSERT INTO landpolicy.pbf_baseline (township, designated_m2, source)
SELECT township, round(sum(ST_Area(geom))::numeric, 6), 'bench/generate.sql: area of the synthetic pbf layer'
FROM bench.pbf GROUP BY township;

-- Layers registered with the extension (it subdivides and indexes them itself).
SELECT landpolicy.register_layer('eco_redline', 'bench.eco_redline');
SELECT landpolicy.register_layer('pbf', 'bench.pbf', '{"township": "township"}');

VACUUM (FREEZE, ANALYZE) bench.eco_redline, bench.pbf, bench.parcels, bench.land_change, landpolicy.layer_piece;

-- What was made.
RESET client_min_messages;
SELECT 'eco_redline' AS layer, count(*) AS features, sum(ST_NPoints(geom)) AS vertices,
       round(min(sqrt(ST_Area(geom) / pi()) * 2)) AS min_across_m, round(max(sqrt(ST_Area(geom) / pi()) * 2)) AS max_across_m,
       bool_and(ST_IsValid(geom)) AS valid
FROM bench.eco_redline
UNION ALL
SELECT 'pbf', count(*), sum(ST_NPoints(geom)), round(min(sqrt(ST_Area(geom) / pi()) * 2)), round(max(sqrt(ST_Area(geom) / pi()) * 2)),
       bool_and(ST_IsValid(geom))
FROM bench.pbf;
SELECT count(*) AS parcels,
       count(*) FILTER (WHERE landpolicy.lc_three_class(use) = 'construction') AS construction,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM rl_piece r WHERE ST_Intersects(r.geom, p.geom))) AS touching_redline,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM bench.pbf r WHERE ST_Intersects(r.geom, p.geom))) AS touching_pbf,
       round(min(least(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom)))::numeric, 1) AS min_side_m,
       round(max(greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom)))::numeric, 1) AS max_side_m
FROM bench.parcels p;
SELECT count(*) AS land_changes, count(DISTINCT county) AS counties, count(DISTINCT year) AS years FROM bench.land_change;
