-- policy_param and param(): the most specific jurisdiction valid on the date wins.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = landpolicy, public;
SET datestyle = 'ISO';

-- every parameter POLICY.md names is seeded, with a basis
SELECT key, jurisdiction, valid, coalesce(value::text, value_text) AS value, unit, basis <> '' AS has_basis
FROM policy_param WHERE builtin ORDER BY key, jurisdiction NULLS FIRST, lower(valid) NULLS FIRST;

-- the 5 % cap: national, and Fujian's own row (S3) for a Fujian township in its window
SELECT param('pbf.adjust_cap_ratio') AS national,
       param('pbf.adjust_cap_ratio', '350121101', '2026-01-01') AS fujian_township;
SELECT (param_row('pbf.adjust_cap_ratio', '350121101', '2026-01-01')).jurisdiction AS fujian_row_used,
       (param_row('pbf.adjust_cap_ratio', '440101', '2026-01-01')).jurisdiction IS NULL AS guangdong_uses_national,
       (param_row('pbf.adjust_cap_ratio', '350121101', '2024-12-31')).jurisdiction IS NULL AS fujian_before_s3_uses_national;

-- S0's 600 mu poverty-county quota: in force on 2025-12-31, not on 2026-01-01
SELECT param('construction.poverty_quota_mu', '350121', '2025-12-31') AS last_day,
       param('construction.poverty_quota_mu', '350121', '2026-01-01') AS day_after;

-- Fujian-only thresholds: Fujian gets them inside S3's window; another province gets NULL (rule does not apply)
SELECT param('pbf.survey_outside_udb_mu', '350121101', '2026-01-01') AS fujian,
       param('pbf.survey_outside_udb_mu', '350121101', '2030-06-23') AS fujian_last_day,
       param('pbf.survey_outside_udb_mu', '350121101', '2030-06-24') AS fujian_after,
       param('pbf.survey_outside_udb_mu', '360121101', '2026-01-01') AS jiangxi;

-- a user override at each level: the most specific containing jurisdiction wins
INSERT INTO policy_param (key, jurisdiction, value, unit, basis) VALUES
    ('overlap.tolerance_m2', '35', 2, 'm2', 'test: provincial'),
    ('overlap.tolerance_m2', '3501', 3, 'm2', 'test: city'),
    ('overlap.tolerance_m2', '350121', 4, 'm2', 'test: county'),
    ('overlap.tolerance_m2', '350121101', 5, 'm2', 'test: township');
INSERT INTO policy_param (key, jurisdiction, valid, value, unit, basis) VALUES
    ('overlap.tolerance_m2', '350121101201', '[2026-01-01,2026-02-01)', 6, 'm2', 'test: village, January only');
SELECT j, param('overlap.tolerance_m2', j::admincode, '2026-01-15') AS jan, param('overlap.tolerance_m2', j::admincode, '2026-03-01') AS mar
FROM unnest(ARRAY[NULL, '44', '35', '3502', '3501', '350122', '350121', '350121102', '350121101',
                  '350121101202', '350121101201']) AS j;

-- param_window: the answer and the dates around it over which it holds.  The village's January row
-- bounds its window; the township does not see the village's row; national rows only without a
-- jurisdiction
SELECT j, d, (w).value, (w).valid
FROM (VALUES ('350121101201', '2026-01-15'::date), ('350121101201', '2026-03-01'), ('350121101201', '2025-12-31'),
             ('350121101', '2026-01-15'), (NULL, '2026-01-15')) AS v(j, d),
     LATERAL (SELECT param_window('overlap.tolerance_m2', j::admincode, d) AS w) x;
-- and it never claims too much: every day inside a window, over the weeks around the village's
-- January row, has the window's value (no rows listed)
SELECT j, d, e, (w).value AS window_value, param('overlap.tolerance_m2', j::admincode, e) AS value_on_e
FROM unnest(ARRAY[NULL, '35', '350121101', '350121101201']) AS j,
     LATERAL (SELECT g::date AS d FROM generate_series('2025-12-25'::date, '2026-02-05', '2 days') g) dd,
     LATERAL (SELECT param_window('overlap.tolerance_m2', j::admincode, d) AS w OFFSET 0) x,
     LATERAL (SELECT g::date AS e FROM generate_series('2025-12-25'::date, '2026-02-05', '1 day') g) ee
WHERE (w).valid @> e
  AND param('overlap.tolerance_m2', j::admincode, e) IS DISTINCT FROM (w).value;

-- a user row at the same level takes precedence over the shipped one
INSERT INTO policy_param (key, value, unit, basis) VALUES ('cultivated.max_slope_deg', 20, 'degree', 'test: national user row');
SELECT param('cultivated.max_slope_deg');
DELETE FROM policy_param WHERE key = 'cultivated.max_slope_deg' AND NOT builtin;
SELECT param('cultivated.max_slope_deg');

-- text-valued parameters
SELECT param_text('facility.region', '350121'), param_text('pbf.adjust_cap_ratio');
SELECT param('facility.region', '350121');

-- bad input, one per line
SELECT param('no.such_key');
SELECT param(NULL);
SELECT param('pbf.adjust_cap_ratio', NULL, NULL);
SELECT param('pbf.adjust_cap_ratio', '3501x');
-- two rows in force for one key, jurisdiction and date are refused (terse: row ids vary)
\set VERBOSITY terse
INSERT INTO policy_param (key, jurisdiction, valid, value, unit, basis)
VALUES ('overlap.tolerance_m2', '35', '[2026-01-01,)', 9, 'm2', 'test: overlaps the provincial row');
INSERT INTO policy_param (key, value, value_text, unit, basis) VALUES ('x.y', 1, 'a', 'ratio', 'test');
INSERT INTO policy_param (key, unit, basis) VALUES ('x.y', 'ratio', 'test');
INSERT INTO policy_param (key, value, unit, basis) VALUES ('Bad Key', 1, 'ratio', 'test');
INSERT INTO policy_param (key, value, unit, basis) VALUES ('x.y', 1, 'ratio', '');
INSERT INTO policy_param (key, valid, value, unit, basis) VALUES ('x.y', 'empty', 1, 'ratio', 'test');
\set VERBOSITY default
-- shipped rows cannot be changed or forged (a dump keeps only user rows)
UPDATE policy_param SET value = 0.5 WHERE key = 'pbf.adjust_cap_ratio' AND jurisdiction IS NULL;
DELETE FROM policy_param WHERE key = 'pbf.adjust_cap_ratio';
INSERT INTO policy_param (key, value, unit, basis, builtin) VALUES ('x.y', 1, 'ratio', 'test', true);

-- user rows are dumped, shipped rows are not
SELECT c.relname, e.extcondition
FROM pg_extension x, unnest(x.extconfig, x.extcondition) AS e(cfg, extcondition)
JOIN pg_class c ON c.oid = e.cfg
WHERE x.extname = 'landpolicy' ORDER BY 1;

DELETE FROM policy_param WHERE NOT builtin;
