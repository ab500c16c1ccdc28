-- landpolicy demo report: what the extension sees in the sample county (run demo/load.sql first).
--
--   psql -d DB -f demo/report.sql
--
-- Areas come from landpolicy.area_m2 / landpolicy.area_mu (1 亩 mu = 10000/15 m²);
-- m² are rounded to whole numbers, mu to 2 decimals, shares to 1 decimal.

\set ON_ERROR_STOP on

\echo
\echo '== (a) 乡镇图斑与面积 Parcels and area per township =='
WITH p AS (
  SELECT township::text AS code, landpolicy.area_m2(geom) AS m2, landpolicy.area_mu(geom) AS mu
  FROM demo.parcel
)
SELECT coalesce(t.code::text, '350121')                             AS "代码 code",
       coalesce(t.name_zh || ' ' || t.name_en, '闽侯县 Minhou County 合计 total') AS "乡镇 township",
       count(p.code)                                               AS "图斑数 parcels",
       round(coalesce(sum(p.m2), 0)::numeric)                      AS "面积 area m²",
       round(coalesce(sum(p.mu), 0)::numeric, 2)                   AS "面积 area mu (亩)"
FROM demo.township t
LEFT JOIN p ON p.code = t.code::text
GROUP BY ROLLUP ((t.code::text, t.name_zh, t.name_en))
ORDER BY grouping(t.code::text, t.name_zh, t.name_en), t.code::text;

\echo
\echo '== (b) 乡镇 × 三大类 Township × three main classes (农用地 agricultural / 建设用地 construction / 未利用地 unused) =='
WITH p AS (
  SELECT township::text AS code, landpolicy.lc_three_class(dlbm) AS cls,
         landpolicy.area_m2(geom) AS m2, landpolicy.area_mu(geom) AS mu
  FROM demo.parcel
),
agg AS (
  SELECT code, cls, grouping(code) AS is_total, count(*) AS n, sum(m2) AS m2, sum(mu) AS mu
  FROM p
  GROUP BY GROUPING SETS ((code, cls), (cls))
),
tot AS (
  SELECT code, sum(m2) AS m2 FROM p GROUP BY ROLLUP (code)
)
SELECT coalesce(a.code, '350121')                                   AS "代码 code",
       coalesce(t.name_zh || ' ' || t.name_en, '闽侯县 Minhou County 合计 total') AS "乡镇 township",
       CASE a.cls WHEN 'agricultural' THEN '农用地 agricultural'
                  WHEN 'construction' THEN '建设用地 construction'
                  WHEN 'unused'       THEN '未利用地 unused'
                  ELSE a.cls END                                    AS "三大类 class",
       a.n                                                          AS "图斑数 parcels",
       round(a.m2::numeric)                                         AS "面积 area m²",
       round(a.mu::numeric, 2)                                      AS "面积 area mu (亩)",
       round((100 * a.m2 / nullif(s.m2, 0))::numeric, 1)            AS "占比 share %"
FROM agg a
LEFT JOIN demo.township t ON t.code::text = a.code
JOIN tot s ON s.code IS NOT DISTINCT FROM a.code
ORDER BY a.is_total, a.code,
         array_position(ARRAY['agricultural', 'construction', 'unused'], a.cls), a.cls;

\echo
\echo '== (c) 一级类 First-level land classes, county-wide (三调 classification) =='
WITH p AS (
  SELECT landpolicy.lc_level1(dlbm)::text AS l1,
         landpolicy.area_m2(geom) AS m2, landpolicy.area_mu(geom) AS mu
  FROM demo.parcel
),
agg AS (
  SELECT l1, count(*) AS n, sum(m2) AS m2, sum(mu) AS mu FROM p GROUP BY l1
)
SELECT a.l1                                                         AS "一级类 level-1",
       landpolicy.lc_name(a.l1::landpolicy.landclass)               AS "名称 name",
       landpolicy.lc_name_en(a.l1::landpolicy.landclass)            AS "name (en)",
       a.n                                                          AS "图斑数 parcels",
       round(a.m2::numeric)                                         AS "面积 area m²",
       round(a.mu::numeric, 2)                                      AS "面积 area mu (亩)",
       round((100 * a.m2 / sum(a.m2) OVER ())::numeric, 1)          AS "占比 share %"
FROM agg a
ORDER BY a.l1;

\echo
\echo '== (d) 耕地 Cultivated land (0101 水田 paddy + 0102 水浇地 irrigated + 0103 旱地 dry) per township =='
WITH p AS (
  SELECT township::text AS code, dlbm::text AS dlbm, landpolicy.is_cultivated(dlbm) AS cult,
         landpolicy.area_m2(geom) AS m2, landpolicy.area_mu(geom) AS mu
  FROM demo.parcel
)
SELECT coalesce(t.code::text, '350121')                             AS "代码 code",
       coalesce(t.name_zh || ' ' || t.name_en, '闽侯县 Minhou County 合计 total') AS "乡镇 township",
       count(p.code) FILTER (WHERE p.cult)                          AS "耕地图斑 parcels",
       round(coalesce(sum(p.m2) FILTER (WHERE p.cult), 0)::numeric) AS "耕地 cultivated m²",
       round(coalesce(sum(p.mu) FILTER (WHERE p.cult), 0)::numeric, 2) AS "耕地 cultivated mu (亩)",
       round(coalesce(sum(p.mu) FILTER (WHERE p.cult AND p.dlbm = '0101'), 0)::numeric, 2) AS "水田 paddy mu",
       round(coalesce(sum(p.mu) FILTER (WHERE p.cult AND p.dlbm = '0102'), 0)::numeric, 2) AS "水浇地 irrigated mu",
       round(coalesce(sum(p.mu) FILTER (WHERE p.cult AND p.dlbm = '0103'), 0)::numeric, 2) AS "旱地 dry mu",
       round((100 * coalesce(sum(p.m2) FILTER (WHERE p.cult), 0)
                  / nullif(sum(p.m2), 0))::numeric, 1)              AS "占比 share %"
FROM demo.township t
LEFT JOIN p ON p.code = t.code::text
GROUP BY ROLLUP ((t.code::text, t.name_zh, t.name_en))
ORDER BY grouping(t.code::text, t.name_zh, t.name_en), t.code::text;
