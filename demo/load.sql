-- landpolicy demo: a small synthetic county, 闽侯县 Minhou County (350121), Fuzhou, Fujian.
--
-- Run from the project root:   psql -d DB -f demo/load.sql
-- The township list (codes and names) is real (see demo/README.md); every geometry and every
-- land class below is synthetic. All "random" choices come from md5 of fixed keys, so re-runs
-- (and runs on other machines) give identical rows.
--
-- Layout (EPSG 4528, CGCS2000 3-degree Gauss-Kruger zone 40, metres):
--   16 townships, 8 km x 8 km blocks in a 4 x 4 grid, in code order from the north-west corner
--   x 40 414 000 .. 40 446 000, y 2 872 000 .. 2 904 000 (about lon 119.14-119.46, lat 25.95-26.24).
--   Each block is cut into 200 m cells (40 x 40); 200-400 cells per township hold one parcel each,
--   a rectangle 40-150 m a side lying inside its cell, so parcels never overlap.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'landpolicy') THEN
    CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
  END IF;
END $$;

BEGIN;

DROP SCHEMA IF EXISTS demo CASCADE;
CREATE SCHEMA demo;

-- deterministic uniform number in [0, 1) from a text key (first 28 bits of its md5)
CREATE FUNCTION pg_temp.rnd(key text) RETURNS float8
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT (('x' || substr(md5(key), 1, 7))::bit(28)::int)::float8 / 268435456.0 $$;

-- ---------------------------------------------------------------- townships
CREATE TABLE demo.township (
  code    landpolicy.admincode PRIMARY KEY,
  name_zh text,
  name_en text,
  geom    geometry(MultiPolygon, 4528)
);

CREATE TEMP TABLE township_csv (code text, name_zh text, name_en text);
\copy township_csv (code, name_zh, name_en) FROM 'demo/minhou_townships.csv' WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')

INSERT INTO demo.township (code, name_zh, name_en, geom)
SELECT code::landpolicy.admincode, name_zh, name_en,
       ST_Multi(ST_MakeEnvelope(40414000 + (i % 4) * 8000,     2904000 - (i / 4 + 1) * 8000,
                                40414000 + (i % 4 + 1) * 8000, 2904000 - (i / 4) * 8000, 4528))
FROM (SELECT c.*, (row_number() OVER (ORDER BY code) - 1)::int AS i FROM township_csv c) t
ORDER BY code;

-- ---------------------------------------------------------------- land-class weights
-- Landscape profile of each township: urban (county seat, university town, high-tech zone),
-- plain (Min River / Wulong River paddy plain), hill, mountain (north-west uplands).
CREATE TEMP TABLE profile (code text PRIMARY KEY, profile text NOT NULL);
INSERT INTO profile VALUES
  ('350121001', 'urban'),    -- 甘蔗街道
  ('350121101', 'hill'),     -- 白沙镇
  ('350121102', 'urban'),    -- 南屿镇
  ('350121103', 'plain'),    -- 尚干镇
  ('350121104', 'plain'),    -- 祥谦镇
  ('350121105', 'plain'),    -- 青口镇
  ('350121106', 'plain'),    -- 南通镇
  ('350121107', 'urban'),    -- 上街镇
  ('350121108', 'urban'),    -- 荆溪镇
  ('350121200', 'hill'),     -- 竹岐乡
  ('350121201', 'hill'),     -- 鸿尾乡
  ('350121202', 'mountain'), -- 洋里乡
  ('350121203', 'mountain'), -- 大湖乡
  ('350121204', 'mountain'), -- 廷坪乡
  ('350121206', 'mountain'), -- 小箬乡
  ('350121400', 'plain');    -- 江洋农场

-- relative weights (parcel counts) per profile
CREATE TEMP TABLE lc_weight (dlbm text, urban numeric, plain numeric, hill numeric, mountain numeric);
INSERT INTO lc_weight VALUES
  ('0101', 8,   26,  14,  8  ),  -- 水田 paddy
  ('0102', 2,   6,   3,   1  ),  -- 水浇地 irrigated
  ('0103', 2,   5,   6,   6  ),  -- 旱地 dry
  ('0201', 2,   5,   8,   6  ),  -- 果园 orchard
  ('0201K',0.5, 1,   1.5, 1  ),  -- 果园(可恢复) restorable orchard
  ('0202', 0,   1,   3,   5  ),  -- 茶园 tea
  ('0204', 1,   1,   1,   1  ),  -- 其他园地
  ('0301', 6,   8,   25,  40 ),  -- 乔木林地 arbor forest
  ('0302', 1,   2,   5,   8  ),  -- 竹林地 bamboo
  ('0305', 0,   1,   2,   3  ),  -- 灌木林地 shrub
  ('0307', 2,   2,   3,   3  ),  -- 其他林地
  ('0307K',0,   0.5, 0.5, 0.5),  -- 其他林地(可恢复)
  ('0404', 1,   1,   2,   3  ),  -- 其他草地 other grassland
  ('05H1', 4,   1,   0.5, 0  ),  -- 商业服务业设施用地
  ('0601', 8,   4,   2,   0.5),  -- 工业用地 industrial
  ('0701', 12,  2,   1,   0  ),  -- 城镇住宅用地 urban residential
  ('0702', 8,   8,   7,   5  ),  -- 农村宅基地 rural homestead
  ('08H2', 6,   1,   0.5, 0.5),  -- 科教文卫用地
  ('1003', 3,   2,   2,   1  ),  -- 公路用地 highway
  ('1004', 8,   4,   3,   2  ),  -- 城镇村道路用地 urban/village road
  ('1006', 2,   3,   3,   3  ),  -- 农村道路 rural road
  ('1101', 2,   2,   2,   1  ),  -- 河流水面 river
  ('1103', 0,   0,   1,   1  ),  -- 水库水面 reservoir
  ('1104', 3,   7,   4,   2  ),  -- 坑塘水面 pond
  ('1104A',0,   1,   0,   0  ),  -- 养殖坑塘 aquaculture pond
  ('1104K',0.5, 1,   0.5, 0.5),  -- 坑塘(可恢复) restorable pond
  ('1106', 1,   1,   0.5, 0  ),  -- 内陆滩涂 inland flat (wetland)
  ('1107', 1,   2,   1,   1  ),  -- 沟渠 ditch
  ('1201', 2,   0.5, 0.5, 0  ),  -- 空闲地 vacant
  ('1202', 1,   3,   2,   1  ),  -- 设施农用地 agricultural facility
  ('1206', 0.5, 0.5, 0.5, 0.5);  -- 裸土地 bare soil

-- cumulative intervals [lo, hi) per profile, and each profile's total
CREATE TEMP TABLE lc_pick AS
SELECT profile, dlbm,
       sum(w) OVER (PARTITION BY profile ORDER BY dlbm) - w AS lo,
       sum(w) OVER (PARTITION BY profile ORDER BY dlbm)     AS hi,
       sum(w) OVER (PARTITION BY profile)                   AS total
FROM (SELECT 'urban' AS profile, dlbm, urban AS w FROM lc_weight
      UNION ALL SELECT 'plain', dlbm, plain FROM lc_weight
      UNION ALL SELECT 'hill', dlbm, hill FROM lc_weight
      UNION ALL SELECT 'mountain', dlbm, mountain FROM lc_weight) s
WHERE w > 0;

-- ---------------------------------------------------------------- parcels
CREATE TABLE demo.parcel (
  id       serial PRIMARY KEY,
  township landpolicy.admincode NOT NULL REFERENCES demo.township,
  dlbm     landpolicy.landclass NOT NULL,
  geom     geometry(MultiPolygon, 4528) NOT NULL
);

WITH tw AS (
  SELECT t.code::text AS code, p.profile,
         ST_XMin(t.geom) AS x0, ST_YMin(t.geom) AS y0,
         200 + floor(pg_temp.rnd(t.code || '/n') * 201)::int AS n   -- 200..400 parcels
  FROM demo.township t JOIN profile p ON p.code = t.code::text
),
cell AS (                                                              -- the n chosen 200 m cells
  SELECT tw.*, gx.cx, gy.cy,
         row_number() OVER (PARTITION BY tw.code
                            ORDER BY pg_temp.rnd(tw.code || '/cell/' || cx || '/' || cy), cx, cy) AS k
  FROM tw CROSS JOIN generate_series(0, 39) AS gx(cx) CROSS JOIN generate_series(0, 39) AS gy(cy)
),
shape AS (
  SELECT code, profile, k,
         pg_temp.rnd(code || '/lc/' || k) AS r,
         x0 + cx * 200 AS cx0, y0 + cy * 200 AS cy0,
         round((40 + 110 * pg_temp.rnd(code || '/w/' || k))::numeric, 1)::float8 AS w,
         round((40 + 110 * pg_temp.rnd(code || '/h/' || k))::numeric, 1)::float8 AS h,
         pg_temp.rnd(code || '/ox/' || k) AS fx,
         pg_temp.rnd(code || '/oy/' || k) AS fy
  FROM cell WHERE k <= n
),
placed AS (                                                            -- 5 m margin inside the cell
  SELECT code, profile, k, r,
         round((cx0 + 5 + (190 - w) * fx)::numeric, 1)::float8 AS xmin,
         round((cy0 + 5 + (190 - h) * fy)::numeric, 1)::float8 AS ymin, w, h
  FROM shape
)
INSERT INTO demo.parcel (township, dlbm, geom)
SELECT p.code::landpolicy.admincode, l.dlbm::landpolicy.landclass,
       ST_Multi(ST_MakeEnvelope(p.xmin, p.ymin, p.xmin + p.w, p.ymin + p.h, 4528))
FROM placed p
JOIN lc_pick l ON l.profile = p.profile AND p.r * l.total >= l.lo AND p.r * l.total < l.hi
ORDER BY p.code, p.k;

CREATE INDEX parcel_geom_idx ON demo.parcel USING gist (geom);
CREATE INDEX parcel_township_idx ON demo.parcel (township);

-- ---------------------------------------------------------------- planned projects
CREATE TABLE demo.project (
  id          serial PRIMARY KEY,
  county      landpolicy.admincode,
  name        text,
  use         landpolicy.landclass,
  approved_on date,
  geom        geometry(Polygon, 4528)
);

-- Either a w x h rectangle placed at offset (dx, dy) from its township block's south-west corner,
-- or (anchor set) the box of the township's first parcel of class `anchor`, grown by w metres
-- on each side, so that the project surely meets land of that class.
INSERT INTO demo.project (county, name, use, approved_on, geom)
SELECT '350121'::landpolicy.admincode, v.name, v.use::landpolicy.landclass, v.approved_on::date,
       CASE WHEN v.anchor IS NULL
            THEN ST_MakeEnvelope(ST_XMin(t.geom) + v.dx, ST_YMin(t.geom) + v.dy,
                                 ST_XMin(t.geom) + v.dx + v.w, ST_YMin(t.geom) + v.dy + v.h, 4528)
            ELSE (SELECT ST_Expand(ST_Envelope(p.geom), v.w) FROM demo.parcel p
                  WHERE p.township::text = t.code::text AND p.dlbm::text = v.anchor ORDER BY p.id LIMIT 1)
       END
FROM (VALUES
  (1, '350121001', '甘蔗—白沙公路改扩建工程 Ganzhe–Baisha highway upgrade',        '1003', '2023-09-15', NULL,   3000, 4020, 9000,   60),
  (2, '350121102', '南屿镇工业园区扩区 Nanyu industrial park extension',            '0601', '2024-03-20', NULL,   2200, 2600, 1200,  900),
  (3, '350121105', '青口镇设施农业大棚 Qingkou greenhouse facility',                 '1202', '2025-05-10', '0101',    0,    0,   15,    0),
  (4, '350121107', '上街镇学校扩建 Shangjie school expansion',                       '08H2', '2022-11-01', NULL,   5000, 5200,  400,  300),
  (5, '350121200', '竹岐乡农房安置点 Zhuqi rural housing resettlement site',          '0702', '2025-08-01', '0103',    0,    0,   10,    0),
  (6, '350121204', '廷坪乡补充耕地项目 Tingping supplementary cultivated-land project', '0101', '2024-10-10', '0301',    0,    0,   25,    0)
) AS v(ord, township, name, use, approved_on, anchor, dx, dy, w, h)
JOIN demo.township t ON t.code::text = v.township
ORDER BY v.ord;

CREATE INDEX project_geom_idx ON demo.project USING gist (geom);

COMMIT;

ANALYZE demo.township;
ANALYZE demo.parcel;
ANALYZE demo.project;

SELECT (SELECT count(*) FROM demo.township) AS townships,
       (SELECT count(*) FROM demo.parcel)   AS parcels,
       (SELECT count(*) FROM demo.project)  AS projects;
