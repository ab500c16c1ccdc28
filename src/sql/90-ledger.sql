-- Accounts that cannot be overdrawn: ledgers for the PBF adjustment cap (R2.3), supplement before
-- removal (R2.4) and construction quotas (R4.1, R4.2), and the survey rules R2.5/R2.6.
--
-- A ledger row per (rule, scope, period) holds running totals.  The guard trigger books a row's
-- entries into it with INSERT … ON CONFLICT DO UPDATE inside the writer's transaction, then checks
-- the limit against the totals it got back: concurrent writers of one scope queue on that ledger
-- row, so whatever the interleaving the second sees the first's booking (READ COMMITTED) or fails
-- to serialize (REPEATABLE READ, SERIALIZABLE).  No interleaving overshoots a limit.

CREATE FUNCTION landpolicy.say(zh text, en text) RETURNS text
    AS 'MODULE_PATHNAME', 'lp_say' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.say(text, text) IS 'a message in the language landpolicy.lang asks for';

CREATE TABLE landpolicy.pbf_baseline (
    township      landpolicy.admincode PRIMARY KEY CHECK (landpolicy.ac_level(township) = 'township'),
    designated_m2 numeric NOT NULL CHECK (designated_m2 > 0),
    source        text,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE landpolicy.pbf_baseline IS
    'designated 永久基本农田 area per township, the base of the 5 % adjustment cap (else measured from the pbf layer)';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.pbf_baseline', '');

CREATE TABLE landpolicy.quota (
    county  landpolicy.admincode NOT NULL CHECK (landpolicy.ac_level(county) = 'county'),
    year    int4 NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    account text NOT NULL DEFAULT 'general' CHECK (account ~ '^[a-z][a-z0-9_]*$' AND account <> 'poverty_earmark'),
    amount  numeric NOT NULL CHECK (amount >= 0),
    unit    text NOT NULL DEFAULT 'mu' CHECK (unit IN ('mu', 'm2', 'ha')),
    basis   text,
    PRIMARY KEY (county, year, account)
);
COMMENT ON TABLE landpolicy.quota IS
    'annual new construction-land plan quota (计划指标) per county, year and account; the earmarked poverty account comes from policy_param';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.quota', '');

CREATE TABLE landpolicy.poverty_county (
    county    landpolicy.admincode PRIMARY KEY CHECK (landpolicy.ac_level(county) = 'county'),
    listed_by text,
    note      text
);
COMMENT ON TABLE landpolicy.poverty_county IS
    'counties lifted out of poverty that receive the earmarked 600 mu a year (S0 §2, until 2025-12-31)';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.poverty_county', '');

CREATE TABLE landpolicy.ledger (
    rule         text NOT NULL,
    scope        text NOT NULL,
    period       int4 NOT NULL DEFAULT 0,
    out_m2       numeric NOT NULL DEFAULT 0,
    in_m2        numeric NOT NULL DEFAULT 0,
    out_grade_m2 numeric NOT NULL DEFAULT 0,
    in_grade_m2  numeric NOT NULL DEFAULT 0,
    entries      int8 NOT NULL DEFAULT 0,
    PRIMARY KEY (rule, scope, period)
);
COMMENT ON TABLE landpolicy.ledger IS
    'running totals per (rule, scope, period): removed/used (out) and supplemented (in) m², grade × m² sums; kept by the guards, checked by verify()';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.ledger', '');

CREATE TYPE landpolicy.ledger_entry AS (
    rule         text,
    scope        text,
    period       int4,
    out_m2       numeric,
    in_m2        numeric,
    out_grade_m2 numeric,
    in_grade_m2  numeric
);

GRANT SELECT ON landpolicy.pbf_baseline, landpolicy.quota, landpolicy.poverty_county, landpolicy.ledger TO PUBLIC;

-- A mapped input of a row (as jsonb, from to_jsonb(row)): NULL when unmapped or NULL.
CREATE FUNCTION landpolicy.input(r jsonb, options jsonb, name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$ SELECT r ->> (options ->> name) $$;
COMMENT ON FUNCTION landpolicy.input(jsonb, jsonb, text) IS 'the value of the column an attachment maps an input to, as text';

CREATE FUNCTION landpolicy.pbf_direction(v text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
BEGIN
    IF lower(v) IN ('out', '调出') THEN
        RETURN 'out';
    ELSIF lower(v) IN ('in', '补划', '调入') THEN
        RETURN 'in';
    END IF;
    RAISE EXCEPTION 'invalid adjustment direction: %', coalesce(quote_literal(v), 'NULL')
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Use ''out'' (调出, removal) or ''in'' (补划, supplement).';
END
$$;
COMMENT ON FUNCTION landpolicy.pbf_direction(text) IS 'normalise a PBF adjustment direction: out (调出) or in (补划)';

CREATE FUNCTION landpolicy.quality_grade(v text, rule text, required bool) RETURNS int4
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    g int4;
BEGIN
    IF v IS NULL THEN
        IF required THEN
            RAISE EXCEPTION 'rule % needs the quality grade (耕地质量等别) of the row, and it is NULL', rule
                USING ERRCODE = 'not_null_violation', HINT = 'Grades are 1 (best) to 15 (GB/T 28407).';
        END IF;
        RETURN NULL;
    END IF;
    g := v::int4;
    IF g NOT BETWEEN 1 AND 15 THEN
        RAISE EXCEPTION 'quality grade % is out of range', g
            USING ERRCODE = 'numeric_value_out_of_range', HINT = 'Grades are 1 (best) to 15 (GB/T 28407).';
    END IF;
    RETURN g;
END
$$;
COMMENT ON FUNCTION landpolicy.quality_grade(text, text, bool) IS 'a 耕地质量等别 1-15, checked';

-- A measured area for the ledgers: m² from the geometry, rounded to the µm² so sums are exact.
CREATE FUNCTION landpolicy.ledger_area(geom geometry) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$ SELECT round(landpolicy.area_m2(landpolicy.checked_geometry(geom))::numeric, 6) $$;

-- What a row books: the one place that turns a row into ledger entries (booking and verify() both use it).
CREATE FUNCTION landpolicy.ledger_entries(rule text, options jsonb, r jsonb, geom geometry)
RETURNS SETOF landpolicy.ledger_entry
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    township landpolicy.admincode;
    dir text;
    grade int4;
    area numeric;
    scope text;
    county landpolicy.admincode;
    at date;
BEGIN
    IF r IS NULL THEN
        RETURN;
    END IF;
    IF rule IN ('R2.3', 'R2.4') THEN
        township := landpolicy.input(r, options, 'township');
        IF township IS NULL THEN
            RAISE EXCEPTION 'rule % needs the township of the row, and it is NULL', rule USING ERRCODE = 'not_null_violation';
        END IF;
        dir := landpolicy.pbf_direction(landpolicy.input(r, options, 'direction'));
        grade := landpolicy.quality_grade(landpolicy.input(r, options, 'grade'), rule, rule = 'R2.4');
        area := landpolicy.ledger_area(geom);
        scope := CASE WHEN rule = 'R2.4' AND options ? 'project'
                      THEN 'project:' || coalesce(landpolicy.input(r, options, 'project'), township::text)
                      ELSE township::text END;
        IF dir = 'out' THEN
            RETURN NEXT ROW(rule, scope, 0, area, 0, area * coalesce(grade, 0), 0)::landpolicy.ledger_entry;
        ELSE
            RETURN NEXT ROW(rule, scope, 0, 0, area, 0, area * coalesce(grade, 0))::landpolicy.ledger_entry;
        END IF;
    ELSIF rule = 'R4.5' THEN
        county := landpolicy.input(r, options, 'county');
        IF county IS NULL OR landpolicy.input(r, options, 'year') IS NULL THEN
            RAISE EXCEPTION 'rule R4.5 needs the county and the year of the row' USING ERRCODE = 'not_null_violation';
        END IF;
        IF landpolicy.input(r, options, 'year')::int4 NOT BETWEEN 1990 AND 2100 THEN
            RAISE EXCEPTION 'rule R4.5: year % is out of range', landpolicy.input(r, options, 'year')
                USING ERRCODE = 'numeric_value_out_of_range',
                      HINT = 'The year of used UDB space is a calendar year between 1990 and 2100.';
        END IF;
        area := landpolicy.input(r, options, 'area')::numeric;
        IF area IS NULL OR area < 0 OR area = 'NaN' THEN
            RAISE EXCEPTION 'used UDB incremental space must be a number of m² ≥ 0, not %', coalesce(area::text, 'NULL')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        scope := landpolicy.ac_at(county, 'county')::text;
        -- the year's row, and the county's running total (period 0) on which writers queue
        RETURN NEXT ROW(rule, scope, landpolicy.input(r, options, 'year')::int4, area, 0, 0, 0)::landpolicy.ledger_entry;
        RETURN NEXT ROW(rule, scope, 0, area, 0, 0, 0)::landpolicy.ledger_entry;
    ELSIF rule = 'R4.7' THEN
        scope := landpolicy.input(r, options, 'project');
        IF scope IS NULL THEN
            RAISE EXCEPTION 'rule R4.7 needs the linkage project of the row, and it is NULL' USING ERRCODE = 'not_null_violation';
        END IF;
        dir := lower(landpolicy.input(r, options, 'kind'));
        area := CASE WHEN options ? 'area' THEN landpolicy.input(r, options, 'area')::numeric ELSE landpolicy.ledger_area(geom) END;
        IF area IS NULL OR area < 0 OR area = 'NaN' THEN
            RAISE EXCEPTION 'area must be a number of m² ≥ 0, not %', coalesce(area::text, 'NULL') USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF dir IN ('reclaim', '复垦', '拆旧') THEN
            RETURN NEXT ROW(rule, scope, 0, 0, area, 0, 0)::landpolicy.ledger_entry;
        ELSIF dir IN ('build', '新增', '建新') THEN
            RETURN NEXT ROW(rule, scope, 0, area, 0, 0, 0)::landpolicy.ledger_entry;
        ELSE
            RAISE EXCEPTION 'invalid linkage kind: %', coalesce(quote_literal(dir), 'NULL') USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Use ''reclaim'' (复垦/拆旧) or ''build'' (新增/建新).';
        END IF;
    ELSIF rule = 'R5.1' THEN
        scope := landpolicy.input(r, options, 'household');
        IF scope IS NULL THEN
            RAISE EXCEPTION 'rule R5.1 needs the household of the homestead, and it is NULL' USING ERRCODE = 'not_null_violation';
        END IF;
        -- one entry per homestead: out_m2 counts them
        RETURN NEXT ROW(rule, scope, 0, 1, 0, 0, 0)::landpolicy.ledger_entry;
    ELSIF rule = 'R4.1' THEN
        county := landpolicy.input(r, options, 'county');
        IF county IS NULL THEN
            RAISE EXCEPTION 'rule R4.1 needs the county of the approval, and it is NULL' USING ERRCODE = 'not_null_violation';
        END IF;
        IF landpolicy.ac_level(county) IN ('province', 'city') THEN
            RAISE EXCEPTION 'rule R4.1 counts quotas per county, and % is a %', county, landpolicy.ac_level(county)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        at := landpolicy.input(r, options, 'date')::date;
        IF at IS NULL THEN
            RAISE EXCEPTION 'rule R4.1 needs the approval date, and it is NULL' USING ERRCODE = 'not_null_violation';
        END IF;
        area := CASE WHEN options ? 'area' THEN landpolicy.input(r, options, 'area')::numeric
                     ELSE landpolicy.ledger_area(geom) END;
        IF area IS NULL OR area < 0 OR area = 'NaN' THEN
            RAISE EXCEPTION 'approved area must be a number of m² ≥ 0, not %', coalesce(area::text, 'NULL')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        RETURN NEXT ROW('R4.1', landpolicy.ac_at(county, 'county')::text || '/' ||
                                 coalesce(nullif(landpolicy.input(r, options, 'account'), ''), 'general'),
                        extract(year FROM at)::int4, area, 0, 0, 0)::landpolicy.ledger_entry;
    END IF;
END
$$;
COMMENT ON FUNCTION landpolicy.ledger_entries(text, jsonb, jsonb, geometry) IS
    'the ledger entries a row books under a rule (the same function serves booking and verify())';

-- The designated PBF area of a township: pbf_baseline, else the pbf layer's pieces there.
CREATE FUNCTION landpolicy.pbf_designated_m2(township landpolicy.admincode) RETURNS numeric
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    result numeric;
BEGIN
    SELECT b.designated_m2 INTO result FROM landpolicy.pbf_baseline b WHERE b.township = pbf_designated_m2.township;
    IF FOUND THEN
        RETURN result;
    END IF;
    IF EXISTS (SELECT 1 FROM landpolicy.layer l WHERE l.kind = 'pbf' AND l.township_column IS NOT NULL) THEN
        SELECT round(sum(landpolicy.measured_area(p.geom))::numeric, 6) INTO result
          FROM landpolicy.layer_piece p WHERE p.kind = 'pbf' AND p.township = pbf_designated_m2.township;
        IF result > 0 THEN
            RETURN result;
        END IF;
    END IF;
    RAISE EXCEPTION 'the designated PBF area of township % is unknown', township
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = 'The 5 % cap is a share of it; without it nothing can be checked, so nothing passes.',
              HINT = 'INSERT INTO landpolicy.pbf_baseline (township, designated_m2, source) VALUES (…), or register the pbf layer with its township column.';
END
$$;
COMMENT ON FUNCTION landpolicy.pbf_designated_m2(landpolicy.admincode) IS
    'designated 永久基本农田 m² of a township: pbf_baseline, else measured from the pbf layer';

CREATE FUNCTION landpolicy.mu(m2 numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$ SELECT trim_scale(round(m2 * 15 / 10000, 4)) $$;
COMMENT ON FUNCTION landpolicy.mu(numeric) IS 'm² in mu (亩), to 4 decimals';

CREATE FUNCTION landpolicy.fmt(x numeric) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$ SELECT trim_scale(round(x, 2))::text $$;
COMMENT ON FUNCTION landpolicy.fmt(numeric) IS 'a figure for a message: 2 decimals at most, no trailing zeros';

CREATE FUNCTION landpolicy.ledger_violation(rule text, message text, measured numeric, "limit" numeric,
                                            detail text, hint text, figures jsonb, basis text DEFAULT NULL)
RETURNS landpolicy.violation
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    SELECT ROW(rule, 'error', rule || ' ' || message,
               coalesce(basis, (SELECT c.basis FROM landpolicy.rule_catalog() c WHERE c.id = ledger_violation.rule)),
               measured::float8, "limit"::float8,
               figures || jsonb_build_object('text', detail, 'hint', hint))::landpolicy.violation
$$;

-- Book a row change under a ledger rule and return what it breaks.  Called by the guard trigger
-- with the old and new row (NULL for INSERT / DELETE).
CREATE FUNCTION landpolicy.ledger_check(rule text, target regclass, row_key text,
                                        old_row jsonb, old_geom geometry, new_row jsonb, new_geom geometry)
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    options jsonb;
    k record;
    tot landpolicy.ledger;
    at date;
    township landpolicy.admincode;
    ratio numeric;
    designated numeric;
    cap numeric;
    amount numeric;
    cty landpolicy.admincode;
    acct text;
    purpose text;
BEGIN
    SELECT a.options INTO options FROM landpolicy.attachment a WHERE a.target = ledger_check.target AND a.rule = ledger_check.rule;
    IF options IS NULL THEN
        RAISE EXCEPTION 'rule % is not attached to % (its trigger is stale)', rule, target
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Attach the rule again, or drop the trigger.';
    END IF;
    IF rule = 'change_log' THEN
        PERFORM landpolicy.change_log_record(target, row_key, options, old_row, old_geom, new_row, new_geom, session_user);
        RETURN;
    END IF;
    at := coalesce(landpolicy.input(new_row, options, 'date')::date, landpolicy.input(old_row, options, 'date')::date, current_date);

    -- Book the difference per ledger key, in key order (so concurrent writers lock in one order).
    FOR k IN
        SELECT e.scope, e.period, sum(e.sign * e.out_m2) AS d_out, sum(e.sign * e.in_m2) AS d_in,
               sum(e.sign * e.out_grade_m2) AS d_out_g, sum(e.sign * e.in_grade_m2) AS d_in_g, sum(e.sign) AS d_n
        FROM (SELECT 1 AS sign, n.* FROM landpolicy.ledger_entries(rule, options, new_row, new_geom) n
              UNION ALL
              SELECT -1, o.* FROM landpolicy.ledger_entries(rule, options, old_row, old_geom) o) e
        GROUP BY e.scope, e.period
        ORDER BY e.scope, e.period
    LOOP
        INSERT INTO landpolicy.ledger AS l (rule, scope, period, out_m2, in_m2, out_grade_m2, in_grade_m2, entries)
        VALUES (rule, k.scope, k.period, k.d_out, k.d_in, k.d_out_g, k.d_in_g, k.d_n)
        ON CONFLICT ON CONSTRAINT ledger_pkey DO UPDATE
            SET out_m2 = l.out_m2 + EXCLUDED.out_m2, in_m2 = l.in_m2 + EXCLUDED.in_m2,
                out_grade_m2 = l.out_grade_m2 + EXCLUDED.out_grade_m2,
                in_grade_m2 = l.in_grade_m2 + EXCLUDED.in_grade_m2, entries = l.entries + EXCLUDED.entries
        RETURNING l.* INTO tot;

        IF rule = 'R2.3' AND k.d_out > 0 THEN
            township := k.scope;
            ratio := landpolicy.param('pbf.adjust_cap_ratio', township, at);
            CONTINUE WHEN ratio IS NULL;
            designated := landpolicy.pbf_designated_m2(township);
            cap := round(ratio * designated, 6);
            IF tot.out_m2 > cap THEN
                RETURN NEXT landpolicy.ledger_violation(rule,
                    landpolicy.say(
                        format('永久基本农田调整不得超过乡镇划定面积的 %s%%：乡镇 %s 累计调出 %s 平方米（%s 亩），上限 %s 平方米（%s 亩）',
                               landpolicy.fmt(ratio * 100), township, landpolicy.fmt(tot.out_m2), landpolicy.mu(tot.out_m2), landpolicy.fmt(cap), landpolicy.mu(cap)),
                        format('PBF adjustment cap of %s%% of the township''s designated area: township %s would have %s m² (%s mu) removed, over the cap of %s m² (%s mu)',
                               landpolicy.fmt(ratio * 100), township, landpolicy.fmt(tot.out_m2), landpolicy.mu(tot.out_m2), landpolicy.fmt(cap), landpolicy.mu(cap))),
                    tot.out_m2, cap,
                    landpolicy.say(
                        format('划定面积 %s 平方米 × %s（参数 pbf.adjust_cap_ratio）= %s 平方米；本次调出 %s 平方米，超出 %s 平方米。',
                               landpolicy.fmt(designated), ratio, landpolicy.fmt(cap), landpolicy.fmt(k.d_out), landpolicy.fmt(tot.out_m2 - cap)),
                        format('Designated %s m² × %s (parameter pbf.adjust_cap_ratio) = %s m²; this removal %s m² goes %s m² over.',
                               landpolicy.fmt(designated), ratio, landpolicy.fmt(cap), landpolicy.fmt(k.d_out), landpolicy.fmt(tot.out_m2 - cap))),
                    landpolicy.say('依据：自然资发〔2024〕149号（六）；福建省实施意见 二（一）。超出部分须另行报批或调整方案。',
                                   'Basis: MNR 2024 No. 149 §(6); Fujian S3 §2(1). Reduce the removal or spread the adjustment over other townships.'),
                    jsonb_build_object('township', township, 'removed_m2', tot.out_m2, 'cap_m2', cap,
                                       'designated_m2', designated, 'ratio', ratio, 'this_m2', k.d_out));
            END IF;
        ELSIF rule = 'R2.4' AND (k.d_out > 0 OR k.d_in < 0) AND tot.in_m2 < tot.out_m2 THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(
                    format('先补后调：%s 累计调出 %s 平方米（%s 亩），已补划仅 %s 平方米（%s 亩）',
                           k.scope, landpolicy.fmt(tot.out_m2), landpolicy.mu(tot.out_m2), landpolicy.fmt(tot.in_m2), landpolicy.mu(tot.in_m2)),
                    format('supplement before removal: %s would have %s m² (%s mu) removed against only %s m² (%s mu) supplemented',
                           k.scope, landpolicy.fmt(tot.out_m2), landpolicy.mu(tot.out_m2), landpolicy.fmt(tot.in_m2), landpolicy.mu(tot.in_m2))),
                tot.out_m2, tot.in_m2,
                landpolicy.say(format('补划须先于调出到位，缺口 %s 平方米。', landpolicy.fmt(tot.out_m2 - tot.in_m2)),
                               format('Supplementary PBF must be in place before PBF is removed; %s m² short.', landpolicy.fmt(tot.out_m2 - tot.in_m2))),
                landpolicy.say('依据：自然资发〔2024〕149号（六）；福建省实施意见 三（四）。先录入补划地块，再录入调出地块。',
                               'Basis: MNR 2024 No. 149 §(6); Fujian S3 §3(4). Record the supplementary parcels first, then the removal.'),
                jsonb_build_object('scope', k.scope, 'removed_m2', tot.out_m2, 'supplemented_m2', tot.in_m2));
        ELSIF rule = 'R2.4' AND (k.d_out <> 0 OR k.d_in <> 0 OR k.d_out_g <> 0 OR k.d_in_g <> 0) AND tot.out_m2 > 0 AND tot.in_m2 > 0
              AND tot.in_grade_m2 / tot.in_m2 > tot.out_grade_m2 / tot.out_m2 THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(
                    format('占优补优：%s 补划耕地平均质量等别 %s 劣于调出的 %s', k.scope,
                           round(tot.in_grade_m2 / tot.in_m2, 2), round(tot.out_grade_m2 / tot.out_m2, 2)),
                    format('no worse quality: the supplement in %s averages grade %s, worse than the %s of the removals', k.scope,
                           round(tot.in_grade_m2 / tot.in_m2, 2), round(tot.out_grade_m2 / tot.out_m2, 2))),
                round(tot.in_grade_m2 / tot.in_m2, 4), round(tot.out_grade_m2 / tot.out_m2, 4),
                landpolicy.say('面积加权平均等别，1 等最优（GB/T 28407）。', 'Area-weighted average grades; grade 1 is best (GB/T 28407).'),
                landpolicy.say('依据：自然资发〔2023〕90号 三（占优补优）。补划质量更好的耕地。',
                               'Basis: MNR 2023 No. 90 §3 (占优补优). Supplement with land of better grade.'),
                jsonb_build_object('scope', k.scope, 'in_grade', round(tot.in_grade_m2 / tot.in_m2, 4),
                                   'out_grade', round(tot.out_grade_m2 / tot.out_m2, 4)));
        ELSIF rule = 'R4.7' AND (k.d_out > 0 OR k.d_in < 0) AND tot.out_m2 > tot.in_m2 THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('先复垦后新增：挂钩项目 %s 新增建设 %s 平方米（%s 亩），已复垦仅 %s 平方米（%s 亩）',
                                      k.scope, landpolicy.fmt(tot.out_m2), landpolicy.mu(tot.out_m2), landpolicy.fmt(tot.in_m2), landpolicy.mu(tot.in_m2)),
                               format('reclaim before building: linkage project %s would build %s m² (%s mu) against %s m² (%s mu) reclaimed',
                                      k.scope, landpolicy.fmt(tot.out_m2), landpolicy.mu(tot.out_m2), landpolicy.fmt(tot.in_m2), landpolicy.mu(tot.in_m2))),
                tot.out_m2, tot.in_m2,
                landpolicy.say(format('缺口 %s 平方米。', landpolicy.fmt(tot.out_m2 - tot.in_m2)),
                               format('%s m² short.', landpolicy.fmt(tot.out_m2 - tot.in_m2))),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第三十七条。先录入复垦（拆旧）地块。',
                               'Basis: S2 art. 37. Record the reclaimed parcels first.'),
                jsonb_build_object('project', k.scope, 'built_m2', tot.out_m2, 'reclaimed_m2', tot.in_m2));
        ELSIF rule = 'R5.1' AND k.d_out > 0 AND tot.out_m2 > 1 THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('一户一宅：农户 %s 将有 %s 处宅基地', k.scope, tot.out_m2),
                               format('one household, one homestead: household %s would hold %s homesteads', k.scope, tot.out_m2)),
                tot.out_m2, 1,
                landpolicy.say('同一农户只能拥有一处宅基地。', 'A household may hold one homestead.'),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第二十九条。', 'Basis: S2 art. 29.'),
                jsonb_build_object('household', k.scope, 'homesteads', tot.out_m2));
        ELSIF rule = 'R4.5' AND k.d_out > 0 AND k.period > 0 THEN
            RETURN QUERY SELECT * FROM landpolicy.udb_reserve_violation(k.scope::landpolicy.admincode, k.period, k.d_out);
        ELSIF rule = 'R4.1' AND (k.d_out > 0 OR (split_part(k.scope, '/', 2) = 'poverty_earmark'
                                                AND landpolicy.input(new_row, options, 'account') IS NOT DISTINCT FROM 'poverty_earmark')) THEN
            cty := split_part(k.scope, '/', 1);
            acct := split_part(k.scope, '/', 2);
            IF acct = 'poverty_earmark' THEN
                purpose := landpolicy.input(new_row, options, 'purpose');
                amount := landpolicy.param('construction.poverty_quota_mu', cty, at);
                IF coalesce(purpose, '') NOT IN ('rural_revitalisation', '乡村振兴') THEN
                    RETURN NEXT landpolicy.ledger_violation('R4.2',
                        landpolicy.say(format('专项指标只用于乡村振兴：%s 的用途为 %s', k.scope, coalesce(purpose, '未填写')),
                                       format('the earmarked quota serves rural revitalisation only, and this approval''s purpose is %s', coalesce(purpose, 'not given'))),
                        k.d_out, 0,
                        landpolicy.say('专项安排的新增建设用地计划指标不得挪用。', 'The earmarked new construction-land quota may not be used for other purposes.'),
                        landpolicy.say('依据：自然资办发〔2022〕45号 二；《乡村振兴用地政策指南(2023年)》第七条。', 'Basis: S0 §2; S2 art. 7. Charge the approval to the general account.'),
                        jsonb_build_object('county', cty, 'purpose', purpose), '自然资办发〔2022〕45号 二; 《乡村振兴用地政策指南(2023年)》第七条 — S0 §2, S2 art. 7');
                    CONTINUE;
                ELSIF NOT EXISTS (SELECT 1 FROM landpolicy.poverty_county p WHERE p.county = cty) OR amount IS NULL THEN
                    RETURN NEXT landpolicy.ledger_violation('R4.2',
                        landpolicy.say(format('县 %s 在 %s 没有专项指标', cty, at),
                                       format('county %s has no earmarked quota on %s', cty, at)),
                        k.d_out, 0,
                        landpolicy.say('专项指标只给列入名单的脱贫县，且至 2025-12-31 止（参数 construction.poverty_quota_mu）。',
                                       'The earmark is for listed counties lifted out of poverty, through 2025-12-31 (parameter construction.poverty_quota_mu).'),
                        landpolicy.say('依据：自然资办发〔2022〕45号 二。', 'Basis: S0 §2. List the county in landpolicy.poverty_county, or charge the general account.'),
                        jsonb_build_object('county', cty), '自然资办发〔2022〕45号 二; 《乡村振兴用地政策指南(2023年)》第七条 — S0 §2, S2 art. 7');
                    CONTINUE;
                END IF;
                amount := amount * 10000 / 15;
            ELSE
                SELECT q.amount * CASE q.unit WHEN 'mu' THEN 10000.0 / 15 WHEN 'ha' THEN 10000 ELSE 1 END
                  INTO amount FROM landpolicy.quota q
                 WHERE q.county = cty AND q.year = k.period AND q.account = acct;
                IF NOT FOUND THEN
                    RETURN NEXT landpolicy.ledger_violation(rule,
                        landpolicy.say(format('严禁无计划批准用地：县 %s %s 年 %s 账户没有计划指标', cty, k.period, acct),
                                       format('no approval without a plan: county %s has no %s quota for %s', cty, acct, k.period)),
                        tot.out_m2, 0,
                        landpolicy.say('landpolicy.quota 中没有该县该年度该账户的指标。', 'landpolicy.quota has no row for this county, year and account.'),
                        landpolicy.say('依据：自然资发〔2023〕90号 二。录入年度计划指标后再批准。', 'Basis: MNR 2023 No. 90 §2. Record the annual plan quota before approving.'),
                        jsonb_build_object('county', cty, 'year', k.period, 'account', acct));
                    CONTINUE;
                END IF;
            END IF;
            amount := round(amount, 6);
            IF k.d_out > 0 AND tot.out_m2 > amount THEN
                RETURN NEXT landpolicy.ledger_violation(CASE WHEN acct = 'poverty_earmark' THEN 'R4.2' ELSE rule END,
                    landpolicy.say(format('严禁超计划批准用地：县 %s %s 年 %s 账户已批 %s 平方米（%s 亩），指标 %s 平方米（%s 亩）',
                                          cty, k.period, acct, landpolicy.fmt(tot.out_m2), landpolicy.mu(tot.out_m2), landpolicy.fmt(amount), landpolicy.mu(amount)),
                                   format('no approval beyond the plan: county %s would have %s m² (%s mu) approved on its %s %s quota of %s m² (%s mu)',
                                          cty, landpolicy.fmt(tot.out_m2), landpolicy.mu(tot.out_m2), k.period, acct, landpolicy.fmt(amount), landpolicy.mu(amount))),
                    tot.out_m2, amount,
                    landpolicy.say(format('本次 %s 平方米，超出 %s 平方米。', landpolicy.fmt(k.d_out), landpolicy.fmt(tot.out_m2 - amount)),
                                   format('This approval %s m² goes %s m² over.', landpolicy.fmt(k.d_out), landpolicy.fmt(tot.out_m2 - amount))),
                    landpolicy.say('依据：自然资发〔2023〕90号 二。', 'Basis: MNR 2023 No. 90 §2. Approve less, or obtain more quota.'),
                    jsonb_build_object('county', cty, 'year', k.period, 'account', acct, 'used_m2', tot.out_m2, 'quota_m2', amount),
                    CASE WHEN acct = 'poverty_earmark' THEN '自然资办发〔2022〕45号 二; 《乡村振兴用地政策指南(2023年)》第七条 — S0 §2, S2 art. 7' END);
            END IF;
        END IF;
    END LOOP;

    IF rule = 'R5.1' AND new_row IS NOT NULL THEN
        RETURN QUERY SELECT * FROM landpolicy.homestead_check(options, new_row, new_geom, at,
            -- recording that a household sold its house is not a new homestead for it
            old_row IS NULL OR landpolicy.input(old_row, options, 'household') IS DISTINCT FROM landpolicy.input(new_row, options, 'household'));
    END IF;
    IF rule IN ('R6.1', 'R6.2', 'R6.3', 'R7.1', 'R8.2', 'R8.3') AND new_row IS NOT NULL THEN
        RETURN QUERY SELECT * FROM landpolicy.row_rule_check(rule, options, new_row, new_geom, at);
    END IF;

    -- 可实测: a declared area must match the measured one.
    IF rule = 'R2.4' AND new_row IS NOT NULL AND options ? 'declared_area' THEN
        DECLARE
            declared numeric := landpolicy.input(new_row, options, 'declared_area')::numeric;
            measured numeric := landpolicy.ledger_area(new_geom);
            tol numeric := coalesce(landpolicy.param('area.declared_tolerance_m2', landpolicy.input(new_row, options, 'township')::landpolicy.admincode, at), 0);
        BEGIN
            IF declared IS NOT NULL AND abs(declared - measured) > tol THEN
                RETURN NEXT landpolicy.ledger_violation(rule,
                    landpolicy.say(format('面积须实测：申报 %s 平方米，实测 %s 平方米', landpolicy.fmt(declared), landpolicy.fmt(measured)),
                                   format('areas must be measured: declared %s m², measured %s m²', landpolicy.fmt(declared), landpolicy.fmt(measured))),
                    abs(declared - measured), tol,
                    landpolicy.say(format('相差 %s 平方米，容差 %s 平方米（参数 area.declared_tolerance_m2）。', landpolicy.fmt(abs(declared - measured)), landpolicy.fmt(tol)),
                                   format('They differ by %s m²; the tolerance is %s m² (parameter area.declared_tolerance_m2).', landpolicy.fmt(abs(declared - measured)), landpolicy.fmt(tol))),
                    landpolicy.say('依据：自然资发〔2024〕149号（六）可实测、可追溯。', 'Basis: MNR 2024 No. 149 §(6): measured and traceable. Declare the measured area.'),
                    jsonb_build_object('declared_m2', declared, 'measured_m2', measured));
            END IF;
        END;
    END IF;

    -- R2.5 / R2.6: removals inside the UDB, or above the survey thresholds, need an on-site survey.
    IF rule IN ('R2.5', 'R2.6') AND new_row IS NOT NULL
       AND landpolicy.pbf_direction(landpolicy.input(new_row, options, 'direction')) = 'out'
       AND landpolicy.input(new_row, options, 'survey') IS NULL THEN
        RETURN QUERY SELECT * FROM landpolicy.survey_check(rule, options, new_row, new_geom, at);
    END IF;
END
$$;
COMMENT ON FUNCTION landpolicy.ledger_check(text, regclass, text, jsonb, geometry, jsonb, geometry) IS
    'book a row change under a ledger rule (R2.3, R2.4, R4.1) or check a survey rule (R2.5, R2.6); returns the violations';

-- R2.5 / R2.6 for one removal without a survey reference.
CREATE FUNCTION landpolicy.survey_check(rule text, options jsonb, r jsonb, geom geometry, at date)
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    township landpolicy.admincode := landpolicy.input(r, options, 'township');
    tol float8 := coalesce(landpolicy.param('overlap.tolerance_m2', township, at), 0);
    in_udb boolean := (landpolicy.layer_overlap('udb', landpolicy.checked_geometry(geom), rule, '{}', at)).counted_m2 > tol;
    area numeric := landpolicy.ledger_area(geom);
    area_mu numeric := area * 15 / 10000;
    outside numeric := landpolicy.param('pbf.survey_outside_udb_mu', township, at);
    plain numeric := landpolicy.param('pbf.survey_udb_plain_mu', township, at);
    hill numeric := landpolicy.param('pbf.survey_udb_hill_mu', township, at);
    terrain text;
    threshold numeric;
    hint text := CASE rule WHEN 'R2.5'
                    THEN landpolicy.say('依据：自然资发〔2024〕149号（六）；福建省实施意见 二（一）。完成省级实地踏勘论证后填写论证文号。',
                                        'Basis: MNR 2024 No. 149 §(6); Fujian S3 §2(1). Record the provincial on-site survey (实地踏勘论证) reference first.')
                    ELSE landpolicy.say('依据：福建省实施意见 三（三）。完成实地踏勘论证后填写论证文号。',
                                        'Basis: Fujian S3 §3(3). Record the on-site survey (实地踏勘论证) reference first.') END;
BEGIN
    IF township IS NULL THEN
        RAISE EXCEPTION 'rule % needs the township of the removal, and it is NULL', rule
            USING ERRCODE = 'not_null_violation', HINT = 'The survey thresholds are set per province: without a township none can be found.';
    END IF;
    IF rule = 'R2.5' AND in_udb THEN
        RETURN NEXT landpolicy.ledger_violation(rule,
            landpolicy.say(format('城镇开发边界内的永久基本农田调出须经省级实地踏勘论证：调出 %s 平方米（%s 亩），未填写论证文号', landpolicy.fmt(area), landpolicy.mu(area)),
                           format('PBF removed inside the urban development boundary needs a provincial on-site survey: %s m² (%s mu) removed with no survey reference', landpolicy.fmt(area), landpolicy.mu(area))),
            area, 0,
            landpolicy.say('地块与城镇开发边界（图层 udb）重叠。', 'The parcel overlaps the urban development boundary (layer udb).'),
            hint, jsonb_build_object('area_m2', area, 'in_udb', true));
    ELSIF rule = 'R2.6' AND num_nonnulls(outside, plain, hill) > 0 THEN
        IF in_udb THEN
            terrain := lower(landpolicy.input(r, options, 'terrain'));
            IF terrain IN ('plain', '平原') THEN
                threshold := plain;
            ELSIF terrain IN ('hill', 'mountain', 'hills', '丘陵', '山区', '山地') THEN
                threshold := hill;
            ELSE
                RAISE EXCEPTION 'rule R2.6 needs the terrain of a parcel inside the UDB (plain or hill), and it is %', coalesce(quote_literal(terrain), 'NULL')
                    USING ERRCODE = 'invalid_parameter_value', HINT = 'Map a terrain column whose values are plain (平原) or hill (丘陵/山区).';
            END IF;
            -- compared in m², both to the µm², so that "exactly 5 mu" is exactly at the limit
            IF threshold IS NOT NULL AND area >= round(threshold * 10000 / 15, 6) THEN
                RETURN NEXT landpolicy.ledger_violation(rule,
                    landpolicy.say(format('城镇开发边界内%s地区调出 %s 亩（≥ %s 亩）须实地踏勘论证，未填写论证文号', CASE WHEN threshold = plain THEN '平原' ELSE '丘陵山区' END, trim_scale(round(area_mu, 4)), threshold),
                                   format('a PBF parcel of %s mu (≥ %s mu, %s, inside the UDB) needs an on-site survey, and has no survey reference', trim_scale(round(area_mu, 4)), threshold, CASE WHEN threshold = plain THEN 'plain' ELSE 'hill' END)),
                    area_mu, threshold,
                    landpolicy.say(format('阈值来自参数 pbf.survey_udb_%s_mu。', CASE WHEN threshold = plain THEN 'plain' ELSE 'hill' END),
                                   format('The threshold is parameter pbf.survey_udb_%s_mu.', CASE WHEN threshold = plain THEN 'plain' ELSE 'hill' END)),
                    hint, jsonb_build_object('area_mu', round(area_mu, 6), 'threshold_mu', threshold, 'in_udb', true, 'terrain', terrain));
            END IF;
        ELSIF outside IS NOT NULL AND area > round(outside * 10000 / 15, 6) THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('城镇开发边界外单块调出 %s 亩（> %s 亩）须实地踏勘论证，未填写论证文号', trim_scale(round(area_mu, 4)), outside),
                               format('a PBF parcel of %s mu (> %s mu, outside the UDB) needs an on-site survey, and has no survey reference', trim_scale(round(area_mu, 4)), outside)),
                area_mu, outside,
                landpolicy.say('阈值来自参数 pbf.survey_outside_udb_mu。', 'The threshold is parameter pbf.survey_outside_udb_mu.'),
                hint, jsonb_build_object('area_mu', round(area_mu, 6), 'threshold_mu', outside, 'in_udb', false));
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION landpolicy.survey_check(text, jsonb, jsonb, geometry, date) IS
    'R2.5/R2.6: whether a PBF removal without a survey reference needed one';

-- Every ledger row recomputed from the rows of every table its rule is attached to.
CREATE FUNCTION landpolicy.ledger_recomputed() RETURNS SETOF landpolicy.ledger
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    a landpolicy.attachment;
    parts text[] := '{}';
BEGIN
    FOR a IN SELECT x.* FROM landpolicy.attachment x JOIN landpolicy.rule_catalog() c ON c.id = x.rule
             WHERE c.kind = 'ledger' ORDER BY x.rule, x.target::text LOOP
        parts := parts || format('SELECT e.* FROM %s t, LATERAL landpolicy.ledger_entries(%L, %L, to_jsonb(t), %s) e',
                                 a.target, a.rule, a.options,
                                 CASE WHEN a.options ? 'geom' THEN format('t.%I', a.options->>'geom') ELSE 'NULL::geometry' END);
    END LOOP;
    IF cardinality(parts) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE
        'SELECT rule, scope, period, sum(out_m2), sum(in_m2), sum(out_grade_m2), sum(in_grade_m2), count(*)
         FROM (' || array_to_string(parts, ' UNION ALL ') || ') e GROUP BY rule, scope, period';
END
$$;
COMMENT ON FUNCTION landpolicy.ledger_recomputed() IS 'the ledgers as they should be, recomputed from the guarded tables';

CREATE FUNCTION landpolicy.verify()
RETURNS TABLE (rule text, scope text, period int4, field text, ledger numeric, recomputed numeric)
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    WITH l AS (SELECT * FROM landpolicy.ledger),
    r AS (SELECT * FROM landpolicy.ledger_recomputed()),
    j AS (SELECT coalesce(l.rule, r.rule) AS rule, coalesce(l.scope, r.scope) AS scope, coalesce(l.period, r.period) AS period,
                 ARRAY[coalesce(l.out_m2, 0), coalesce(l.in_m2, 0), coalesce(l.out_grade_m2, 0), coalesce(l.in_grade_m2, 0), coalesce(l.entries, 0)] AS lv,
                 ARRAY[coalesce(r.out_m2, 0), coalesce(r.in_m2, 0), coalesce(r.out_grade_m2, 0), coalesce(r.in_grade_m2, 0), coalesce(r.entries, 0)] AS rv
          FROM l FULL JOIN r ON l.rule = r.rule AND l.scope = r.scope AND l.period = r.period)
    SELECT j.rule, j.scope, j.period, f.name, j.lv[f.i], j.rv[f.i]
    FROM j, unnest(ARRAY['out_m2', 'in_m2', 'out_grade_m2', 'in_grade_m2', 'entries']) WITH ORDINALITY AS f(name, i)
    WHERE j.lv[f.i] <> j.rv[f.i]
    ORDER BY 1, 2, 3, 4
$$;
COMMENT ON FUNCTION landpolicy.verify() IS
    'recompute every ledger from its source rows; one row per disagreement (none when consistent)';

-- Rebuild one rule's ledger from its tables (after attach, detach, or to repair what verify() found).
CREATE FUNCTION landpolicy.rebuild_ledger(rule text) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    LOCK TABLE landpolicy.ledger IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM landpolicy.ledger l WHERE l.rule = rebuild_ledger.rule;
    INSERT INTO landpolicy.ledger SELECT * FROM landpolicy.ledger_recomputed() r WHERE r.rule = rebuild_ledger.rule;
END
$$;
COMMENT ON FUNCTION landpolicy.rebuild_ledger(text) IS 'recompute one rule''s ledger from the tables it is attached to';

CREATE FUNCTION landpolicy.refuse_truncate() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    RAISE EXCEPTION 'table % is guarded by rule %, which keeps running totals or a log of its rows: TRUNCATE would bypass it',
            TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'object_in_use',
              HINT = 'DELETE the rows instead (each deletion is unbooked), or detach the rule first.';
END
$$;
COMMENT ON FUNCTION landpolicy.refuse_truncate() IS 'trigger: refuses TRUNCATE of a table a ledger rule guards';

CREATE VIEW landpolicy.pbf_adjustment_status AS
    SELECT s.township, s.designated_m2, s.removed_m2, s.supplemented_m2, s.ratio, round(s.ratio * s.designated_m2, 6) AS cap_m2,
           round(s.ratio * s.designated_m2, 6) - s.removed_m2 AS headroom_m2,
           round(s.removed_m2 / nullif(s.ratio * s.designated_m2, 0) * 100, 2) AS pct_of_cap_used,
           landpolicy.mu(s.designated_m2) AS designated_mu, landpolicy.mu(s.removed_m2) AS removed_mu,
           landpolicy.mu(s.supplemented_m2) AS supplemented_mu, landpolicy.mu(round(s.ratio * s.designated_m2, 6)) AS cap_mu,
           landpolicy.mu(round(s.ratio * s.designated_m2, 6) - s.removed_m2) AS headroom_mu
    FROM (SELECT l.scope::landpolicy.admincode AS township,
                 -- as pbf_designated_m2(), read here with the view's rights (the pieces are not public)
                 coalesce((SELECT b.designated_m2 FROM landpolicy.pbf_baseline b WHERE b.township = l.scope::landpolicy.admincode),
                          (SELECT nullif(round(sum(landpolicy.measured_area(p.geom))::numeric, 6), 0)
                           FROM landpolicy.layer_piece p
                           WHERE p.kind = 'pbf' AND p.township = l.scope::landpolicy.admincode
                             AND EXISTS (SELECT 1 FROM landpolicy.layer y WHERE y.kind = 'pbf' AND y.township_column IS NOT NULL))) AS designated_m2,
                 l.out_m2 AS removed_m2, l.in_m2 AS supplemented_m2,
                 landpolicy.param('pbf.adjust_cap_ratio', l.scope::landpolicy.admincode) AS ratio
          FROM landpolicy.ledger l WHERE l.rule = 'R2.3') s;
COMMENT ON VIEW landpolicy.pbf_adjustment_status IS
    'per township: designated PBF, removed (调出), supplemented (补划), the cap (ratio × designated, as of today), headroom and % of the cap used, in m² and mu';

CREATE VIEW landpolicy.quota_status AS
    SELECT s.county, s.year, s.account, s.quota_m2, s.used_m2, s.quota_m2 - s.used_m2 AS headroom_m2,
           round(s.used_m2 / nullif(s.quota_m2, 0) * 100, 2) AS pct_used,
           landpolicy.mu(s.quota_m2) AS quota_mu, landpolicy.mu(s.used_m2) AS used_mu,
           landpolicy.mu(s.quota_m2 - s.used_m2) AS headroom_mu
    FROM (SELECT coalesce(q.county, split_part(l.scope, '/', 1)::landpolicy.admincode) AS county,
                 coalesce(q.year, l.period) AS year,
                 coalesce(q.account, split_part(l.scope, '/', 2)) AS account,
                 coalesce(q.quota_m2,
                          -- the earmarked account: the parameter, for listed counties, as of the year's end
                          CASE WHEN split_part(l.scope, '/', 2) = 'poverty_earmark'
                                    AND EXISTS (SELECT 1 FROM landpolicy.poverty_county p
                                                WHERE p.county = split_part(l.scope, '/', 1)::landpolicy.admincode)
                               THEN round(landpolicy.param('construction.poverty_quota_mu', split_part(l.scope, '/', 1)::landpolicy.admincode,
                                                           make_date(l.period, 12, 31)) * 10000 / 15, 6) END) AS quota_m2,
                 coalesce(l.out_m2, 0) AS used_m2
          FROM (SELECT county, year, account,
                       round(amount * CASE unit WHEN 'mu' THEN 10000.0 / 15 WHEN 'ha' THEN 10000 ELSE 1 END, 6) AS quota_m2
                FROM landpolicy.quota) q
          FULL JOIN (SELECT * FROM landpolicy.ledger WHERE rule = 'R4.1') l
            ON l.scope = q.county::text || '/' || q.account AND l.period = q.year) s;
COMMENT ON VIEW landpolicy.quota_status IS
    'per county, year and account: plan quota, approved (used), headroom and % used, in m² and mu (an account with use and no quota row is over plan)';

GRANT SELECT ON landpolicy.pbf_adjustment_status, landpolicy.quota_status TO PUBLIC;
