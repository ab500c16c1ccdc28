-- landpolicy demo, part 4: a year of land-class changes, the balances, and settlement (run after ledgers.sql).
--
-- The change log is attached to the parcel table; a year of synthetic edits is then made with plain
-- SQL — nobody calls landpolicy — and the 进出平衡 (enter–exit) and 占补平衡 (occupation–compensation)
-- balances are read off the log per township and for the county.  Settlement up the hierarchy uses
-- two neighbouring counties of 福州市 with made-up balances (闽清县 350124, 福清市 350181).

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = "$user", public, landpolicy;

-- quality grade (耕地质量等别) and change date columns, as survey databases carry them
ALTER TABLE demo.parcel ADD COLUMN zldj int, ADD COLUMN bgrq date NOT NULL DEFAULT '2024-12-31';
UPDATE demo.parcel SET zldj = 3 + (id * 7) % 8 WHERE dlbm::text IN ('0101', '0102', '0103');
SELECT landpolicy.attach('demo.parcel', 'change_log', '{"class": "dlbm", "admin": "township", "grade": "zldj", "date": "bgrq"}');

-- 2025: plain edits, as an editor or an ETL job would make them (deterministic picks by id)
UPDATE demo.parcel SET dlbm = '0201', bgrq = '2025-03-15' WHERE dlbm::text = '0101' AND id % 23 = 0;          -- paddy → orchard
UPDATE demo.parcel SET dlbm = '0301', bgrq = '2025-04-20' WHERE dlbm::text = '0103' AND id % 19 = 0;          -- dry land → forest
UPDATE demo.parcel SET dlbm = '1202', bgrq = '2025-05-10' WHERE dlbm::text = '0102' AND id % 29 = 0;          -- irrigated → facility land
UPDATE demo.parcel SET dlbm = '0103', zldj = 6, bgrq = '2025-06-01' WHERE dlbm::text IN ('0201', '0204') AND id % 11 = 0;  -- plantation → dry land
UPDATE demo.parcel SET dlbm = '0101', zldj = 5, bgrq = '2025-07-01' WHERE dlbm::text = '0307' AND id % 7 = 0;  -- other forest → paddy
UPDATE demo.parcel SET dlbm = '0601', bgrq = '2025-08-01' WHERE dlbm::text IN ('0101', '0102') AND id % 31 = 0; -- cultivated → industry
UPDATE demo.parcel SET dlbm = '0103', zldj = 9, bgrq = '2025-09-01' WHERE dlbm::text IN ('1206', '0702') AND id % 5 = 0;   -- reclaimed
RESET client_min_messages;

\echo
\echo == 变更日志 What the change log recorded (nobody called landpolicy) ==
SELECT kind AS "类型 kind", count(*) AS "条数 changes", round(sum(area_m2)) AS "面积 m²" FROM landpolicy.change_log
WHERE target = 'demo.parcel'::regclass GROUP BY kind ORDER BY kind;

\echo
\echo == 进出平衡 Enter–exit balance 2025 per township (cultivated ↔ other agricultural land) ==
SELECT c.admin AS "乡镇 township", t.name_zh AS "名称",
       round((b).out_mu::numeric, 2) AS "出 out mu", round((b).in_mu::numeric, 2) AS "进 in mu",
       round(((b).net_m2 * 15 / 10000)::numeric, 2) AS "净 net mu",
       round((b).out_grade::numeric, 2) AS "出等别 out grade", round((b).in_grade::numeric, 2) AS "进等别 in grade",
       (b).balanced AS "平衡 balanced"
FROM (SELECT admin, inout_balance(from_class, to_class, area_m2,
                                  CASE balance_direction('inout', from_class, to_class) WHEN 'in' THEN grade_after ELSE grade_before END) AS b
      FROM landpolicy.change_log WHERE target = 'demo.parcel'::regclass AND changed_on BETWEEN '2025-01-01' AND '2025-12-31'
      GROUP BY admin) c
JOIN demo.township t ON t.code::text = c.admin::text
ORDER BY c.admin;

\echo
\echo == 占补平衡 Occupation–compensation balance 2025, county 350121 (cultivated → construction vs new cultivated) ==
SELECT round((b).out_mu::numeric, 2) AS "占 occupied mu", round((b).in_mu::numeric, 2) AS "补 compensated mu",
       round(((b).net_m2 * 15 / 10000)::numeric, 2) AS "净 net mu", round((b).out_grade::numeric, 2) AS "占等别 grade out",
       round((b).in_grade::numeric, 2) AS "补等别 grade in", round(((b).paddy_out_m2 * 15 / 10000)::numeric, 2) AS "水田占 paddy out mu",
       (b).quantity_ok AS "数量 quantity", (b).quality_ok AS "质量 quality", (b).balanced AS "平衡 balanced"
FROM (SELECT occupy_balance(from_class, to_class, area_m2,
                            CASE balance_direction('occupy', from_class, to_class) WHEN 'in' THEN grade_after ELSE grade_before END) AS b
      FROM landpolicy.change_log WHERE target = 'demo.parcel'::regclass AND changed_on BETWEEN '2025-01-01' AND '2025-12-31') s;

\echo
\echo == 结算 Settlement of 进出平衡 2025 in 福州市 (county → city → province; neighbours made up) ==
CREATE VIEW demo.city_changes AS
    SELECT admin, changed_on, from_class, to_class, area_m2, grade_before, grade_after
    FROM landpolicy.change_log WHERE target = 'demo.parcel'::regclass
    UNION ALL
    SELECT v.admin::landpolicy.admincode, v.d::date, v.f::landpolicy.landclass, v.t::landpolicy.landclass, v.m2, 5, 5
    FROM (VALUES ('350124', '2025-06-01', '0301', '0101', 20000.0),   -- 闽清县: surplus
                 ('350181', '2025-06-01', '0101', '0201', 15000.0),   -- 福清市: deficit
                 ('350181', '2025-07-01', '0102', '0301', 9000.0)) AS v(admin, d, f, t, m2);
SELECT county AS "县 county", round((net_m2 * 15 / 10000)::numeric, 2) AS "净 net mu",
       round((deficit_m2 * 15 / 10000)::numeric, 2) AS "缺口 deficit mu",
       round((covered_city_m2 * 15 / 10000)::numeric, 2) AS "市内调剂 city mu",
       round((covered_province_m2 * 15 / 10000)::numeric, 2) AS "省内调剂 province mu",
       round((uncovered_m2 * 15 / 10000)::numeric, 2) AS "未平衡 uncovered mu", settled_at AS "平衡于 settled at"
FROM settle_balance('inout', 'demo.city_changes') WHERE year = 2025;

\echo
\echo == 整治区 A remediation area (白沙镇 block) checked for 2025 (R3.6, R4.4, R2.3) ==
SELECT rule, item, round(measured::numeric, 2) AS measured, round("limit"::numeric, 2) AS "limit", pass
FROM remediation_check((SELECT geom FROM demo.township WHERE code::text = '350121101'), '2025-01-01', '2025-12-31');
