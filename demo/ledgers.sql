-- landpolicy demo, part 3: accounts that cannot be overdrawn (run after guards.sql).
--
-- 白沙镇 (350121101) adjusts its 永久基本农田 (PBF) in a land-remediation project: supplements first
-- (补划), then removals (调出) up to the 5 % cap of its designated PBF, measured from the pbf layer.
-- The county approves new construction land against its 2026 plan quota.  Ledgers keep the
-- running totals; verify() recomputes them from the rows.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = "$user", public, landpolicy;

CREATE TABLE demo.pbf_adjustment (
  id          serial PRIMARY KEY,
  township    landpolicy.admincode NOT NULL,
  direction   text NOT NULL CHECK (direction IN ('out', 'in')),
  grade       int NOT NULL,
  recorded_on date NOT NULL,
  geom        geometry(MultiPolygon, 4528) NOT NULL
);
SELECT landpolicy.attach('demo.pbf_adjustment', 'R2.3', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on"}');
SELECT landpolicy.attach('demo.pbf_adjustment', 'R2.4', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on"}');

-- Supplements: the township's irrigated (0102) parcels that are not PBF, quality grade 3.
INSERT INTO demo.pbf_adjustment (township, direction, grade, recorded_on, geom)
SELECT p.township, 'in', 3, '2026-02-01', p.geom FROM demo.parcel p
WHERE p.township::text = '350121101' AND p.dlbm::text = '0102';

-- Removals: PBF parcels of the township (grade 5), smallest first, as many as fit under the cap.
CREATE TEMP TABLE candidate AS
SELECT y.id, y.geom, landpolicy.area_m2(y.geom) AS m2,
       sum(landpolicy.area_m2(y.geom)) OVER (ORDER BY landpolicy.area_m2(y.geom), y.id) AS running
FROM demo.yjjbnt y WHERE y.township::text = '350121101';
INSERT INTO demo.pbf_adjustment (township, direction, grade, recorded_on, geom)
SELECT '350121101', 'out', 5, '2026-03-01', c.geom FROM candidate c
WHERE c.running <= landpolicy.pbf_designated_m2('350121101') * landpolicy.param('pbf.adjust_cap_ratio', '350121101', '2026-03-01')
ORDER BY c.running;
RESET client_min_messages;

\echo
\echo == 永久基本农田调整台账 PBF adjustment ledger (R2.3, R2.4) ==
SELECT township AS "乡镇 township", designated_mu AS "划定 designated mu", supplemented_mu AS "补划 supplemented mu",
       removed_mu AS "调出 removed mu", cap_mu AS "上限 cap mu", headroom_mu AS "余量 headroom mu", pct_of_cap_used AS "已用 % used"
FROM landpolicy.pbf_adjustment_status;

\echo
\echo == 拒绝 The next removal would pass the 5 % cap (R2.3) ==
\set ON_ERROR_STOP off
INSERT INTO demo.pbf_adjustment (township, direction, grade, recorded_on, geom)
SELECT '350121101', 'out', 5, '2026-03-02', c.geom FROM candidate c
WHERE c.running > landpolicy.pbf_designated_m2('350121101') * landpolicy.param('pbf.adjust_cap_ratio', '350121101', '2026-03-02')
ORDER BY c.running LIMIT 1;
\set ON_ERROR_STOP on

\echo
\echo == 建设用地计划 Construction quota 2026 for 闽侯县 (R4.1): 3 mu, approvals against it ==
SET client_min_messages = warning;
CREATE TABLE demo.approval (
  id          serial PRIMARY KEY,
  county      landpolicy.admincode NOT NULL,
  name        text,
  approved_on date NOT NULL,
  geom        geometry(Polygon, 4528) NOT NULL
);
INSERT INTO landpolicy.quota (county, year, amount, unit, basis) VALUES ('350121', 2026, 3, 'mu', 'demo data');
SELECT landpolicy.attach('demo.approval', 'R4.1', '{"county": "county", "date": "approved_on", "geom": "geom"}');
RESET client_min_messages;
INSERT INTO demo.approval (county, name, approved_on, geom)
SELECT '350121', '白沙镇农机服务中心 Baisha farm-machinery centre', '2026-05-01', ST_MakeEnvelope(x, y, x + 40, y + 25, 4528)
FROM (SELECT ST_XMin(geom) + 7000 AS x, ST_YMin(geom) + 7000 AS y FROM demo.township WHERE code::text = '350121101') t;
\set ON_ERROR_STOP off
INSERT INTO demo.approval (county, name, approved_on, geom)
SELECT '350121', '南屿镇物流仓库 Nanyu warehouse', '2026-06-01', ST_MakeEnvelope(x, y, x + 40, y + 30, 4528)
FROM (SELECT ST_XMin(geom) + 7000 AS x, ST_YMin(geom) + 7000 AS y FROM demo.township WHERE code::text = '350121102') t;
INSERT INTO demo.approval (county, name, approved_on, geom)
SELECT '350121', '2027 年项目 a 2027 project', '2027-01-05', ST_MakeEnvelope(x, y, x + 10, y + 10, 4528)
FROM (SELECT ST_XMin(geom) + 7000 AS x, ST_YMin(geom) + 7000 AS y FROM demo.township WHERE code::text = '350121103') t;
\set ON_ERROR_STOP on
SELECT county AS "县 county", year AS "年 year", account AS "账户 account", quota_mu AS "指标 quota mu",
       used_mu AS "已批 used mu", headroom_mu AS "余量 headroom mu", pct_used AS "已用 % used"
FROM landpolicy.quota_status;

\echo
\echo == 核对 verify(): every ledger recomputed from its rows (no rows = consistent) ==
SELECT * FROM landpolicy.verify();
