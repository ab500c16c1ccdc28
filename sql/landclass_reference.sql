-- Every row of the shared reference table (../shared/reference/landclass.csv) has the same
-- names, first-level class, 三大类 and wetland flag in the landclass type.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = landpolicy, public;

CREATE TEMP TABLE ref (code text, name_zh text, name_en text, level1 text, three_class text, is_wetland bool);
\copy ref FROM '../shared/reference/landclass.csv' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS reference_rows FROM ref;

-- rows that differ (none expected)
SELECT r.code, r.name_zh, lc_name(r.code::landclass), r.name_en, lc_name_en(r.code::landclass),
       r.level1, lc_level1(r.code::landclass), r.three_class, lc_three_class(r.code::landclass),
       r.is_wetland, is_wetland(r.code::landclass)
FROM ref r
WHERE r.name_zh <> lc_name(r.code::landclass)
   OR r.name_en <> lc_name_en(r.code::landclass)
   OR r.level1 <> lc_level1(r.code::landclass)::text
   OR CASE r.three_class WHEN '农用地' THEN 'agricultural' WHEN '建设用地' THEN 'construction'
                         WHEN '未利用地' THEN 'unused' END IS DISTINCT FROM lc_three_class(r.code::landclass)
   OR r.is_wetland <> is_wetland(r.code::landclass);

-- every reference code is a landclass, and the type has no second-level code the table lacks
SELECT count(*) AS matched FROM ref r JOIN landclasses l ON l.code = r.code::landclass;
SELECT code FROM landclasses
WHERE length(code::text) = 4 AND code::text NOT IN (SELECT code FROM ref);

-- cultivated land is exactly 0101, 0102, 0103 among the reference codes
SELECT string_agg(code, ',' ORDER BY code) FROM ref WHERE is_cultivated(code::landclass);
