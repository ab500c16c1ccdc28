-- landpolicy demo, part 2: guards on the sample county's project table (run after load.sql).
--
-- A synthetic 生态保护红线 ecological red line and 永久基本农田 permanent basic farmland (PBF) are
-- registered as reference layers; rules R1.1 (no construction in the red line) and R2.1 (no
-- occupation of PBF) are attached to demo.project.  Then: an audit of the projects already in the
-- table, an insert refused with its message, an exemption recorded and the same project let in.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = "$user", public, landpolicy;

BEGIN;
-- The red line: one block in 南屿镇 (350121102) and one in 廷坪乡 (350121204), in EPSG 4528.
CREATE TABLE demo.stbhhx (
  id    serial PRIMARY KEY,
  name  text,
  geom  geometry(MultiPolygon, 4528)
);
INSERT INTO demo.stbhhx (name, geom)
SELECT v.name, ST_Multi(ST_MakeEnvelope(ST_XMin(t.geom) + v.x0, ST_YMin(t.geom) + v.y0,
                                        ST_XMin(t.geom) + v.x1, ST_YMin(t.geom) + v.y1, 4528))
FROM (VALUES ('350121102', '旗山生态保护红线 Qishan red line', 1500, 2000, 3000, 4000),
             ('350121204', '廷坪水源涵养红线 Tingping water-conservation red line', 1000, 1000, 6000, 5000)) AS v(code, name, x0, y0, x1, y1)
JOIN demo.township t ON t.code::text = v.code;

-- PBF: about two thirds of the paddy (0101) parcels, chosen by a fixed hash.
CREATE TABLE demo.yjjbnt (
  id       serial PRIMARY KEY,
  township landpolicy.admincode NOT NULL,
  geom     geometry(MultiPolygon, 4528) NOT NULL
);
INSERT INTO demo.yjjbnt (township, geom)
SELECT p.township, p.geom FROM demo.parcel p
WHERE p.dlbm::text = '0101' AND ('x' || substr(md5('pbf' || p.id), 1, 2))::bit(8)::int % 3 <> 0;
COMMIT;

SELECT landpolicy.register_layer('eco_redline', 'demo.stbhhx');
SELECT landpolicy.register_layer('pbf', 'demo.yjjbnt', '{"township": "township"}');
SELECT landpolicy.attach('demo.project', 'R1.1', '{"geom": "geom", "use": "use", "date": "approved_on", "jurisdiction": "county"}');
SELECT landpolicy.attach('demo.project', 'R2.1', '{"geom": "geom", "use": "use", "date": "approved_on", "jurisdiction": "county"}');
RESET client_min_messages;

\echo
\echo == 图层 Reference layers ==
SELECT kind, source, features AS "图斑 features", pieces AS "分块 pieces", srid FROM landpolicy.layers ORDER BY kind;

\echo
\echo == 规则 Rules attached to demo.project ==
SELECT rule, name_zh, name_en, mode FROM landpolicy.attachments ORDER BY rule;

\echo
\echo == 审计 Audit: projects already in the table that break an attached rule ==
SET landpolicy.lang = 'en';
SELECT a.row_key AS "项目 id", p.name AS "项目 project", (a.v).rule AS "规则 rule",
       round((a.v).measured::numeric, 0) AS "占用 m²", round(((a.v).measured * 15 / 10000)::numeric, 2) AS "占用 mu",
       (a.v).detail->>'features' AS "图斑 features"
FROM landpolicy.audit('demo.project') a JOIN demo.project p ON p.id::text = a.row_key
ORDER BY a.row_key::int, (a.v).rule;
RESET landpolicy.lang;

\echo
\echo == 拒绝 A new industrial plant inside the Qishan red line is refused (SQLSTATE 23514) ==
\set ON_ERROR_STOP off
INSERT INTO demo.project (county, name, use, approved_on, geom)
SELECT '350121', '南屿镇新材料厂 Nanyu new-materials plant', '0601', '2026-03-01',
       ST_MakeEnvelope(ST_XMin(geom) + 1600, ST_YMin(geom) + 2100, ST_XMin(geom) + 1800, ST_YMin(geom) + 2300, 4528)
FROM demo.township WHERE code::text = '350121102';

\echo
\echo == 豁免 A national highway through the red line: refused, then let in by a national major-project approval ==
INSERT INTO demo.project (county, name, use, approved_on, geom)
SELECT '350121', '国道G316南屿段 G316 Nanyu section', '1003', '2026-04-01',
       ST_MakeEnvelope(ST_XMin(geom) + 1000, ST_YMin(geom) + 3000, ST_XMin(geom) + 3500, ST_YMin(geom) + 3040, 4528)
FROM demo.township WHERE code::text = '350121102';
\set ON_ERROR_STOP on
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid, note)
SELECT 'R1.1', 'major_project', '发改基础〔2026〕101号', '国家发展改革委 NDRC',
       ST_MakeEnvelope(ST_XMin(geom) + 1400, ST_YMin(geom) + 2950, ST_XMin(geom) + 3100, ST_YMin(geom) + 3100, 4528),
       '[2026-01-01,2028-01-01)', '国家重大项目 national major project (demo data)'
FROM demo.township WHERE code::text = '350121102';
INSERT INTO demo.project (county, name, use, approved_on, geom)
SELECT '350121', '国道G316南屿段 G316 Nanyu section', '1003', '2026-04-01',
       ST_MakeEnvelope(ST_XMin(geom) + 1000, ST_YMin(geom) + 3000, ST_XMin(geom) + 3500, ST_YMin(geom) + 3040, 4528)
FROM demo.township WHERE code::text = '350121102'
RETURNING id AS "新项目 id", name AS "项目 project", round(landpolicy.area_mu(geom)::numeric, 2) AS "面积 mu";

\echo
\echo == 试算 Dry run: may a rural housing site go on this paddy parcel? ==
SELECT rule, round(measured::numeric, 0) AS "占用 m²", "limit" AS "容差 m²", message
FROM landpolicy.check((SELECT ST_Expand(ST_Envelope(geom), 5) FROM demo.yjjbnt ORDER BY id LIMIT 1), '0702', '350121');
