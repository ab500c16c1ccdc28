-- admincode: administrative division codes (省 市 县 乡镇 村).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = landpolicy, public;

SELECT opcname, amvalidate(oid) FROM pg_opclass
 WHERE opcname IN ('admincode_ops', 'admincode_hash_ops') ORDER BY opcname;

-- valid input, one per line: each level
SELECT '35'::admincode;
SELECT '3501'::admincode;
SELECT '350121'::admincode;
SELECT '350121101'::admincode;
SELECT '350121101201'::admincode;
SELECT ' 350121 '::admincode;
-- trailing all-zero parts name the division itself (GB/T 2260 and statistical 12-digit forms)
SELECT '350100'::admincode;
SELECT '350000'::admincode;
SELECT '350121101000'::admincode;
SELECT '350121000000'::admincode;

-- invalid input, one per line
SELECT ''::admincode;
SELECT '3'::admincode;
SELECT '350'::admincode;
SELECT '35012'::admincode;
SELECT '3501211'::admincode;
SELECT '3501210000000'::admincode;
SELECT '35012a'::admincode;
SELECT '35-121'::admincode;
SELECT '00'::admincode;
SELECT '000000'::admincode;
SELECT '350021'::admincode;
SELECT '350121000101'::admincode;
SELECT '+35121'::admincode;

-- levels, parents, ancestors
SELECT c, ac_level(c), ac_parent(c), ac_at(c, 'province') AS province
FROM unnest('{35,3501,350121,350121101,350121101201}'::admincode[]) AS c;
SELECT ac_at('350121101201', 'county'), ac_at('350121101201', 'township'), ac_at('350121101', '县'),
       ac_at('350121101', 'township');
SELECT ac_at('350121', 'township');
SELECT ac_at('350121', 'district');
SELECT ac_parent(NULL), ac_level(NULL);

-- containment
SELECT '35'::admincode @> '350121101' AS province_has_township,
       '350121'::admincode @> '350121' AS itself,
       '350121'::admincode @> '350122101' AS other_county,
       '350121101'::admincode @> '350121' AS child_has_parent,
       '350121101'::admincode <@ '3501' AS township_in_city,
       '36'::admincode @> '360121' AS other_province,
       '3501'::admincode @> '350112' AS city_has_district;

-- order is text order, a division before the divisions it contains
SELECT array_agg(c ORDER BY c) FROM unnest('{350121101,35,350122,3501,350121,36,350121101201,3502}'::admincode[]) AS c;
SELECT '350121'::admincode < '350121101', '3501'::admincode = '350100', '35'::admincode = '350000',
       '350121'::admincode <> '350122';

-- index use
CREATE TABLE ac_t (id int, code admincode);
INSERT INTO ac_t SELECT i, ('350121' || lpad((100 + i % 20)::text, 3, '0'))::admincode FROM generate_series(1, 2000) i;
CREATE INDEX ac_t_btree ON ac_t (code);
CREATE INDEX ac_t_hash ON ac_t USING hash (code);
ANALYZE ac_t;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ac_t WHERE code = '350121105';
SELECT count(*) FROM ac_t WHERE code = '350121105';
EXPLAIN (COSTS OFF) SELECT count(*) FROM ac_t WHERE code BETWEEN '350121105' AND '350121109';
SELECT count(*) FROM ac_t WHERE code BETWEEN '350121105' AND '350121109';
DROP INDEX ac_t_btree;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ac_t WHERE code = '350121110';
SELECT count(*) FROM ac_t WHERE code = '350121110';
RESET enable_seqscan;

-- hash partitioning by county code uses the extended hash
CREATE TABLE ac_part (code admincode) PARTITION BY HASH (code);
CREATE TABLE ac_part_0 PARTITION OF ac_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE ac_part_1 PARTITION OF ac_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO ac_part SELECT DISTINCT code FROM ac_t;
SELECT count(*) FROM ac_part;

-- binary COPY round trip, and binary input validated like text input
CREATE TABLE ac_copy (LIKE ac_t);
COPY ac_t TO '/tmp/landpolicy_ac_copy.bin' WITH (FORMAT binary);
COPY ac_copy FROM '/tmp/landpolicy_ac_copy.bin' WITH (FORMAT binary);
SELECT count(*) AS copied, count(*) FILTER (WHERE a.code IS DISTINCT FROM b.code) AS differing
FROM ac_t a JOIN ac_copy b USING (id);
COPY (SELECT 1, '3501x'::text) TO '/tmp/landpolicy_ac_bad.bin' WITH (FORMAT binary);
COPY ac_copy FROM '/tmp/landpolicy_ac_bad.bin' WITH (FORMAT binary);

DROP TABLE ac_t, ac_copy, ac_part;
