-- landclass: the 三调 land-class code type.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = landpolicy, public;

-- operator classes are well formed
SELECT opcname, amvalidate(oid) FROM pg_opclass
 WHERE opcname IN ('landclass_ops', 'landclass_hash_ops') ORDER BY opcname;

-- valid input, one per line: second level, letter codes, a leaf first level, first level, suffixed codes
SELECT '0101'::landclass;
SELECT '05H1'::landclass;
SELECT '08H2'::landclass;
SELECT '09'::landclass;
SELECT '01'::landclass;
SELECT '00'::landclass;
SELECT '1104K'::landclass;
SELECT '1104A'::landclass;
SELECT '0201K'::landclass;
-- blanks from fixed-width fields are trimmed, letters upper-cased
SELECT ' 0101 '::landclass;
SELECT '05h1'::landclass;
SELECT '1104k'::landclass;

-- invalid input, one per line: each error names the value
SELECT ''::landclass;
SELECT '0'::landclass;
SELECT '0105'::landclass;
SELECT '13'::landclass;
SELECT '0101K'::landclass;
SELECT '01010'::landclass;
SELECT '010101'::landclass;
SELECT 'abcd'::landclass;
SELECT '01-1'::landclass;
SELECT '0303K'::landclass;
SELECT '1104B'::landclass;

-- attributes
SELECT c, lc_name(c), lc_name_en(c), lc_level1(c), lc_three_class(c), is_cultivated(c), is_wetland(c)
FROM unnest('{0101,0102,0103,01,0303,0603,0404,04,1006,1104K,1104A,0201K,09,12,1202}'::landclass[]) AS c;

-- NULL in, NULL out (STRICT)
SELECT lc_name(NULL), lc_three_class(NULL::landclass), is_cultivated(NULL);

-- falls within: a second-level code within its first-level class, a suffixed code within its base
SELECT '0101'::landclass <@ '01' AS paddy_in_cultivated,
       '0101'::landclass <@ '0101' AS itself,
       '0102'::landclass <@ '0101' AS sibling,
       '01'::landclass <@ '0101' AS parent_in_child,
       '1104K'::landclass <@ '1104' AS suffixed_in_base,
       '1104K'::landclass <@ '11' AS suffixed_in_level1,
       '1104'::landclass <@ '1104K' AS base_in_suffixed,
       '0303'::landclass <@ '00' AS mangrove_in_wetland,
       '0303'::landclass <@ '03' AS mangrove_not_in_forest,
       '01'::landclass @> '0103' AS contains;

-- order is code order; equality and hashing
SELECT array_agg(c ORDER BY c) FROM unnest('{1104K,0101,09,05H1,01,1104,0102,1104A}'::landclass[]) AS c;
SELECT '0101'::landclass = '0101', '0101'::landclass <> '0102', '0101'::landclass < '0102',
       '05H1'::landclass > '0508', '1104'::landclass < '1104A', '1104A'::landclass < '1104K';
SELECT count(DISTINCT c), count(*) FROM unnest('{0101,0101,0102,1104K,1104K}'::landclass[]) AS c;

-- text and varchar assign to landclass columns (staging tables, ogr2ogr)
CREATE TABLE lc_t (id int, c landclass);
INSERT INTO lc_t SELECT 1, '0101'::text;
INSERT INTO lc_t SELECT 2, '0301'::varchar;
INSERT INTO lc_t SELECT 3, 'zz'::text;
SELECT * FROM lc_t ORDER BY id;

-- index use: btree and hash
INSERT INTO lc_t SELECT i, (ARRAY['0101','0102','0103','0301','0702','1104K'])[1 + i % 6]::landclass
FROM generate_series(10, 2009) AS i;
CREATE INDEX lc_t_btree ON lc_t USING btree (c);
CREATE INDEX lc_t_hash ON lc_t USING hash (c);
ANALYZE lc_t;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM lc_t WHERE c = '1104K';
SELECT count(*) FROM lc_t WHERE c = '1104K';
EXPLAIN (COSTS OFF) SELECT count(*) FROM lc_t WHERE c >= '0101' AND c < '02';
SELECT count(*) FROM lc_t WHERE c >= '0101' AND c < '02';
DROP INDEX lc_t_btree;
EXPLAIN (COSTS OFF) SELECT count(*) FROM lc_t WHERE c = '0702';
SELECT count(*) FROM lc_t WHERE c = '0702';
RESET enable_seqscan;

-- hash join and hash aggregate use the hash opclass
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM lc_t a JOIN lc_t b USING (c) WHERE a.id < 20;
RESET enable_mergejoin; RESET enable_nestloop;

-- binary COPY round trip
CREATE TABLE lc_copy (LIKE lc_t);
COPY lc_t TO '/tmp/landpolicy_lc_copy.bin' WITH (FORMAT binary);
COPY lc_copy FROM '/tmp/landpolicy_lc_copy.bin' WITH (FORMAT binary);
SELECT count(*) AS copied, count(*) FILTER (WHERE a.c IS DISTINCT FROM b.c) AS differing
FROM lc_t a JOIN lc_copy b USING (id);
-- binary receive validates as strictly as text input: a text 'zz' read as a landclass is refused
COPY (SELECT 1, 'zz'::text) TO '/tmp/landpolicy_lc_bad.bin' WITH (FORMAT binary);
COPY lc_copy FROM '/tmp/landpolicy_lc_bad.bin' WITH (FORMAT binary);
COPY (SELECT 1, '0101'::text) TO '/tmp/landpolicy_lc_good.bin' WITH (FORMAT binary);
COPY lc_copy FROM '/tmp/landpolicy_lc_good.bin' WITH (FORMAT binary);
SELECT c FROM lc_copy WHERE id = 1 ORDER BY c;

-- the whole classification as a view
SELECT count(*) AS codes, count(*) FILTER (WHERE length(code::text) = 2) AS first_level,
       count(*) FILTER (WHERE code::text ~ '[KA]$') AS suffixed
FROM landclasses;

-- 0404 其他草地 counts as the jurisdiction says: unused nationally, agricultural where a province says so
SELECT lc_three_class('0404', '350121') AS fujian_default, lc_three_class('0404', NULL) AS national;
INSERT INTO policy_param (key, jurisdiction, value_text, unit, basis)
VALUES ('landclass.three_class_0404', '35', 'agricultural', 'class', 'test: a provincial override');
SELECT lc_three_class('0404', '350121') AS fujian, lc_three_class('04', '350121') AS fujian_04,
       lc_three_class('0404', '44') AS guangdong, lc_three_class('0101', '350121') AS paddy;
INSERT INTO policy_param (key, jurisdiction, value_text, unit, basis)
VALUES ('landclass.three_class_0404', '44', 'construction', 'class', 'test: not a valid override');
DELETE FROM policy_param WHERE key = 'landclass.three_class_0404' AND NOT builtin;

DROP TABLE lc_t, lc_copy;
