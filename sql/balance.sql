-- inout_balance (进出平衡, R3.2) and occupy_balance (占补平衡, R3.1): hand-computed answers for every
-- kind of change, the same totals serial and parallel, and bad rows refused.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
\set SHOW_CONTEXT never

-- how each balance counts each kind of change
SELECT f AS from_class, t AS to_class, balance_direction('inout', f, t) AS inout, balance_direction('occupy', f, t) AS occupy
FROM (VALUES ('0101'::landclass, '0201'::landclass), ('0102', '0301'), ('0103', '0401'), ('0101', '1202'), ('0101', '1104A'),
             ('0201', '0101'), ('1202', '0103'), ('0101', '0601'), ('0102', '0702'), ('0101', '1003'),
             ('0601', '0101'), ('1206', '0103'), ('0404', '0101'), ('0101', '1101'), ('0101', '0102'),
             ('0301', '0201'), ('0601', '0702'), ('01', '0301')) AS v(f, t);

CREATE TABLE change (county admincode, from_class landclass, to_class landclass, area_m2 float8, grade int);
INSERT INTO change VALUES
    -- 350121: inout out 1000 (g5, paddy) + 500 (g8) + 200 facility (g6); inout in 1200 (g4); occupy out 300 (g3, paddy); occupy in 400 (g9) + 100 (g2, paddy)
    ('350121', '0101', '0201', 1000, 5), ('350121', '0103', '0301', 500, 8), ('350121', '0102', '1202', 200, 6),
    ('350121', '0201', '0102', 1200, 4),
    ('350121', '0101', '0601', 300, 3),
    ('350121', '1206', '0103', 400, 9), ('350121', '0601', '0101', 100, 2),
    -- neither balance: within cultivated land, between non-cultivated classes
    ('350121', '0101', '0102', 777, 1), ('350121', '0301', '0601', 888, NULL),
    -- 350122: inout in 2000 ungraded; occupy nothing
    ('350122', '0301', '0101', 2000, NULL);
-- the acceptance example's shape
SELECT county, (inout_balance(from_class, to_class, area_m2, grade)).* FROM change GROUP BY county ORDER BY county;
SELECT county, (occupy_balance(from_class, to_class, area_m2, grade)).* FROM change GROUP BY county ORDER BY county;
-- hand-computed: 350121 inout out = 1700, grade (1000×5 + 500×8 + 200×6) / 1700 = 6; in = 1200 grade 4
SELECT round((b).out_m2) = 1700 AND (b).out_grade = 6 AND (b).in_m2 = 1200 AND (b).in_grade = 4
       AND (b).paddy_out_m2 = 1000 AND (b).net_m2 = -500 AND NOT (b).quantity_ok AND (b).quality_ok AS inout_as_computed
FROM (SELECT inout_balance(from_class, to_class, area_m2, grade) AS b FROM change WHERE county = '350121') s;
-- occupy in grade = (400×9 + 100×2) / 500 = 7.6, worse than the 3 that went out
SELECT (b).out_m2 = 300 AND (b).in_m2 = 500 AND (b).in_grade = 7.6 AND (b).quantity_ok AND NOT (b).quality_ok
       AND NOT (b).balanced AND (b).paddy_out_m2 = 300 AND (b).paddy_in_m2 = 100 AS occupy_as_computed
FROM (SELECT occupy_balance(from_class, to_class, area_m2, grade) AS b FROM change WHERE county = '350121') s;

-- no rows, and the combine of two empty states: all zero, balanced
SELECT (inout_balance(from_class, to_class, area_m2, grade)).* FROM change WHERE false;
SELECT (balance_final(balance_combine('{0,0,0,0,0,0,0,0}', '{0,0,0,0,0,0,0,0}'))).*;
SELECT balance_final(balance_combine('{1,2,3,4,5,6,7,8}', '{8,7,6,5,4,3,2,1}')) AS combined;
SELECT balance_combine('{1,2}', '{0,0,0,0,0,0,0,0}');

-- bad rows, one per statement
SELECT inout_balance('0101', '0201', -1, 5);
SELECT inout_balance('0101', '0201', 'NaN', 5);
SELECT inout_balance('0101', '0201', 'Infinity', 5);
SELECT inout_balance('0101', '0201', 1, 0);
SELECT inout_balance('0101', '0201', 1, 16);
SELECT inout_balance(NULL, '0201', 1, 5);
SELECT inout_balance('0101', NULL, 1, 5);
SELECT occupy_balance('0101', '0601', NULL, 5);
SELECT inout_balance('0101', '04', 1, 5);
SELECT occupy_balance('12', '0101', 1, 5);

-- serial and parallel give the same totals (a million-row change set, 7 counties)
CREATE TABLE big AS
SELECT ('35012' || (i % 7 + 1))::admincode AS county,
       (ARRAY['0101','0102','0103','0201','0301','0601','1202','1206','0702','0404'])[1 + (i * 7) % 10]::landclass AS from_class,
       (ARRAY['0201','0101','0601','0103','0102','0301','1202','0702','1206','0101'])[1 + (i * 13 + i / 7) % 10]::landclass AS to_class,
       (i % 1000) / 10.0 AS area_m2, 1 + i % 15 AS grade
FROM generate_series(1, 200000) i;
ANALYZE big;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT county, inout_balance(from_class, to_class, area_m2, grade) AS io,
                                   occupy_balance(from_class, to_class, area_m2, grade) AS oc
                            FROM big GROUP BY county;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET force_parallel_mode = on;   -- PostgreSQL 15's name for debug_parallel_query
EXPLAIN (COSTS OFF) SELECT county, inout_balance(from_class, to_class, area_m2, grade) FROM big GROUP BY county;
CREATE TEMP TABLE parallel AS SELECT county, inout_balance(from_class, to_class, area_m2, grade) AS io,
                                     occupy_balance(from_class, to_class, area_m2, grade) AS oc
                              FROM big GROUP BY county;
RESET force_parallel_mode; RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT count(*) AS counties,
       count(*) FILTER (WHERE abs((s.io).out_m2 - (p.io).out_m2) < 1e-6 AND abs((s.io).in_m2 - (p.io).in_m2) < 1e-6
                          AND round((s.io).out_grade::numeric, 9) IS NOT DISTINCT FROM round((p.io).out_grade::numeric, 9) AND (s.io).balanced = (p.io).balanced
                          AND abs((s.oc).out_m2 - (p.oc).out_m2) < 1e-6 AND abs((s.oc).in_m2 - (p.oc).in_m2) < 1e-6
                          AND round((s.oc).in_grade::numeric, 9) IS NOT DISTINCT FROM round((p.oc).in_grade::numeric, 9)) AS equal
FROM serial s JOIN parallel p USING (county);
SELECT county, round((io).out_m2::numeric, 1) AS inout_out, round((io).in_m2::numeric, 1) AS inout_in,
       round((oc).out_m2::numeric, 1) AS occupy_out, round((oc).in_m2::numeric, 1) AS occupy_in
FROM serial ORDER BY county;
-- the aggregates and their support functions are parallel safe
SELECT p.proname, p.proparallel FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'landpolicy' AND p.proname IN ('inout_balance', 'occupy_balance', 'inout_balance_accum',
                                                 'occupy_balance_accum', 'balance_combine', 'balance_final')
ORDER BY 1;
SELECT aggfnoid::regprocedure, aggcombinefn, aggtranstype::regtype FROM pg_aggregate
WHERE aggfnoid IN ('landpolicy.inout_balance'::regproc, 'landpolicy.occupy_balance'::regproc) ORDER BY 1::text;
DROP TABLE change, big;
