-- The rest of the rulebook: homesteads (R5.1), facility land (R6.1–R6.3), temporary land (R7.1/R7.2),
-- remediation timing (R8.2, R8.3), the UDB reserve (R4.5), rural shares (R4.3), and what is in force.

-- R4.5: each county's UDB incremental space (城镇开发边界增量空间), the base of the reserves.
CREATE TABLE landpolicy.udb_space (
    county         landpolicy.admincode PRIMARY KEY CHECK (landpolicy.ac_level(county) = 'county'),
    incremental_m2 numeric NOT NULL CHECK (incremental_m2 > 0),
    basis          text
);
COMMENT ON TABLE landpolicy.udb_space IS 'the incremental space inside each county''s urban development boundary (R4.5)';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.udb_space', '');
GRANT SELECT ON landpolicy.udb_space TO PUBLIC;

-- How much of the incremental space may be used by the end of a year: what later phases must keep
-- (35 % for 2026–2030, 25 % for 2031–2035), and inside a phase 80 % of the yearly average for each
-- year still to come (S4 §7).
CREATE FUNCTION landpolicy.udb_allowed_through(county landpolicy.admincode, year int4) RETURNS numeric
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    t numeric;
    r15 numeric := coalesce(landpolicy.param('udb.reserve_min_2026_2030', county, '2026-01-01'), 0);
    r16 numeric := coalesce(landpolicy.param('udb.reserve_min_2031_2035', county, '2031-01-01'), 0);
    f numeric := coalesce(landpolicy.param('udb.year_min_of_average', county, make_date(year, 12, 31)), 0);
BEGIN
    SELECT u.incremental_m2 INTO t FROM landpolicy.udb_space u WHERE u.county = udb_allowed_through.county;
    IF t IS NULL THEN
        RAISE EXCEPTION 'the UDB incremental space of county % is unknown', county
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'INSERT INTO landpolicy.udb_space (county, incremental_m2, basis) VALUES (…).';
    END IF;
    RETURN round(CASE
        WHEN year <= 2025 THEN t * (1 - r15 - r16)
        WHEN year <= 2030 THEN t * (1 - r16) - f * (t * r15 / 5) * (2030 - year)
        WHEN year <= 2035 THEN t - f * (t * r16 / 5) * (2035 - year)
        ELSE t END, 6);
END
$$;
COMMENT ON FUNCTION landpolicy.udb_allowed_through(landpolicy.admincode, int4) IS
    'UDB incremental space a county may have used by the end of a year (R4.5)';

CREATE FUNCTION landpolicy.udb_reserve_violation(county landpolicy.admincode, year int4, this_m2 numeric)
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    allowed numeric := landpolicy.udb_allowed_through(county, year);
    used numeric;
    later record;
BEGIN
    -- the year's use and every later year's: the cumulative use by the end of each year must stay allowed
    FOR later IN
        SELECT y AS year, (SELECT coalesce(sum(l.out_m2), 0) FROM landpolicy.ledger l
                           WHERE l.rule = 'R4.5' AND l.scope = county::text AND l.period BETWEEN 1 AND y) AS used,
               landpolicy.udb_allowed_through(county, y) AS allowed
        FROM generate_series(year, greatest(year, (SELECT max(period) FROM landpolicy.ledger
                                                    WHERE rule = 'R4.5' AND scope = county::text))) y
    LOOP
        IF later.used > later.allowed THEN
            RETURN NEXT landpolicy.ledger_violation('R4.5',
                landpolicy.say(format('城镇开发边界增量空间留白：县 %s 至 %s 年底累计使用 %s 平方米（%s 亩），最多 %s 平方米（%s 亩）',
                                      county, later.year, landpolicy.fmt(later.used), landpolicy.mu(later.used), landpolicy.fmt(later.allowed), landpolicy.mu(later.allowed)),
                               format('UDB incremental space reserve: county %s would have used %s m² (%s mu) by the end of %s, more than the %s m² (%s mu) allowed',
                                      county, landpolicy.fmt(later.used), landpolicy.mu(later.used), later.year, landpolicy.fmt(later.allowed), landpolicy.mu(later.allowed))),
                later.used, later.allowed,
                landpolicy.say('“十五五”“十六五”期间至少留下35%、25%的增量空间，每年至少保留五年平均规模的80%（参数 udb.*）。',
                               'At least 35 % of the space is kept for 2026–2030 and 25 % for 2031–2035, and each year keeps 80 % of the five-year average (parameters udb.*).'),
                landpolicy.say('依据：自然资发〔2023〕90号 七。', 'Basis: S4 §7. Use less this year, or spread the use over later years.'),
                jsonb_build_object('county', county, 'year', later.year, 'used_m2', later.used, 'allowed_m2', later.allowed, 'this_m2', this_m2));
            RETURN;
        END IF;
    END LOOP;
END
$$;

-- R4.5 as a report.
CREATE FUNCTION landpolicy.udb_reserve_check(county landpolicy.admincode, year int4)
RETURNS TABLE (county landpolicy.admincode, year int4, incremental_m2 numeric, used_through_m2 numeric,
               allowed_through_m2 numeric, pass boolean)
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    SELECT c, y, u.incremental_m2,
           (SELECT coalesce(sum(l.out_m2), 0) FROM landpolicy.ledger l WHERE l.rule = 'R4.5' AND l.scope = c::text AND l.period BETWEEN 1 AND y),
           landpolicy.udb_allowed_through(c, y),
           (SELECT coalesce(sum(l.out_m2), 0) FROM landpolicy.ledger l WHERE l.rule = 'R4.5' AND l.scope = c::text AND l.period BETWEEN 1 AND y)
             <= landpolicy.udb_allowed_through(c, y)
    FROM (SELECT landpolicy.ac_at(udb_reserve_check.county, 'county') AS c, udb_reserve_check.year AS y) a
    JOIN landpolicy.udb_space u ON u.county = a.c
$$;
COMMENT ON FUNCTION landpolicy.udb_reserve_check(landpolicy.admincode, int4) IS
    'R4.5 report: UDB incremental space used by the end of a year against what the reserves allow';

-- R5.1 beyond the count: the standard area, and households that sold, rented out or gave away their house.
CREATE FUNCTION landpolicy.homestead_check(options jsonb, r jsonb, geom geometry, at date, granting boolean)
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    jur landpolicy.admincode := landpolicy.input(r, options, 'jurisdiction');
    area numeric := CASE WHEN options ? 'area' THEN landpolicy.input(r, options, 'area')::numeric
                         WHEN options ? 'geom' THEN landpolicy.ledger_area(geom) END;
    max_m2 numeric := landpolicy.param('homestead.max_area_m2', jur, at);
    hh text := landpolicy.input(r, options, 'household');
BEGIN
    IF granting AND coalesce(landpolicy.input(r, options, 'transferred')::boolean, false) THEN
        RETURN NEXT landpolicy.ledger_violation('R5.1',
            landpolicy.say(format('农户 %s 已出卖、出租或赠与住宅，不再批准宅基地', hh),
                           format('household %s sold, rented out or gave away its house, and is not granted another homestead', hh)),
            1, 0, landpolicy.say('该户标记为已转让住宅。', 'The household is flagged as having transferred its house.'),
            landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第二十九条。', 'Basis: S2 art. 29.'),
            jsonb_build_object('household', hh));
    END IF;
    IF max_m2 IS NOT NULL AND area > max_m2 THEN
        RETURN NEXT landpolicy.ledger_violation('R5.1',
            landpolicy.say(format('宅基地面积 %s 平方米超过标准 %s 平方米', landpolicy.fmt(area), landpolicy.fmt(max_m2)),
                           format('the homestead of %s m² exceeds the standard of %s m²', landpolicy.fmt(area), landpolicy.fmt(max_m2))),
            area, max_m2,
            landpolicy.say('标准来自参数 homestead.max_area_m2（按省设定）。', 'The standard is parameter homestead.max_area_m2, set per province.'),
            landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第二十九条。', 'Basis: S2 art. 29.'),
            jsonb_build_object('household', hh, 'area_m2', area, 'max_m2', max_m2));
    END IF;
END
$$;

-- The whole-row guards that keep no totals: R6.1, R6.2, R6.3, R7.1 (with R7.2), R8.2, R8.3.
CREATE FUNCTION landpolicy.row_rule_check(rule text, options jsonb, r jsonb, geom geometry, at date)
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    jur landpolicy.admincode := landpolicy.input(r, options, 'jurisdiction');
    use landpolicy.landclass;
    area numeric;
    limit_m2 numeric;
    region text;
    tol float8;
    m landpolicy.measurement;
    ref landpolicy.change_log;
    d_start date; d_end date; d_due date;
    years numeric;
    approver landpolicy.admincode;
    farmland boolean;
    done date;
BEGIN
    IF rule = 'R6.1' THEN
        area := CASE WHEN options ? 'area' THEN landpolicy.input(r, options, 'area')::numeric ELSE landpolicy.ledger_area(geom) END;
        IF landpolicy.input(r, options, 'storeys') IS NULL OR area IS NULL THEN
            RAISE EXCEPTION 'rule R6.1 needs the storeys and the area of the guard house, and one is NULL'
                USING ERRCODE = 'not_null_violation';
        END IF;
        region := landpolicy.param_text('facility.region', jur, at);
        IF region NOT IN ('south', 'north', 'severe_cold') THEN
            RAISE EXCEPTION 'facility.region for % is %, which is not south, north or severe_cold', jur, quote_literal(region)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF region IS NULL THEN
            RAISE EXCEPTION 'the climate region (facility.region) of % is unknown, so the guard-house limit is unknown', coalesce(jur::text, 'the nation')
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Map the jurisdiction column, and add a facility.region row (south, north or severe_cold) for the province.';
        END IF;
        limit_m2 := landpolicy.param(CASE region WHEN 'north' THEN 'facility.guard_house_north_m2'
                                                 WHEN 'severe_cold' THEN 'facility.guard_house_severe_cold_m2'
                                                 ELSE 'facility.guard_house_south_m2' END, jur, at);
        IF landpolicy.input(r, options, 'greenhouse_area')::numeric
           > landpolicy.param('facility.greenhouse_threshold_mu', jur, at) * 10000 / 15 THEN
            limit_m2 := landpolicy.param('facility.guard_house_greenhouse_m2', jur, at);
        END IF;
        IF landpolicy.input(r, options, 'storeys')::int > 1 THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('看护房须为单层，此处为 %s 层', landpolicy.input(r, options, 'storeys')),
                               format('a guard house must be single-storey, and this one has %s storeys', landpolicy.input(r, options, 'storeys'))),
                landpolicy.input(r, options, 'storeys')::numeric, 1,
                landpolicy.say('“大棚房”专项整治标准：单层。', 'The greenhouse-housing clean-up standard: single storey.'),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第三十四条。', 'Basis: S2 art. 34.'),
                jsonb_build_object('storeys', landpolicy.input(r, options, 'storeys')::int));
        END IF;
        IF limit_m2 IS NOT NULL AND area > limit_m2 THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('看护房 %s 平方米超过 %s 平方米（%s）', landpolicy.fmt(area), landpolicy.fmt(limit_m2), region),
                               format('a guard house of %s m² exceeds the %s m² allowed (%s region)', landpolicy.fmt(area), landpolicy.fmt(limit_m2), region)),
                area, limit_m2,
                landpolicy.say('南方 15、北方 22.5、严寒地区 30 平方米；配套大棚超过 2 亩的 40 平方米（参数 facility.*）。',
                               'South 15, north 22.5, severe cold 30 m²; 40 m² with a greenhouse over 2 mu (parameters facility.*).'),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第三十四条。', 'Basis: S2 art. 34.'),
                jsonb_build_object('area_m2', area, 'limit_m2', limit_m2, 'region', region));
        END IF;
    ELSIF rule = 'R6.2' THEN
        use := landpolicy.input(r, options, 'use');
        IF use IS NULL THEN
            RAISE EXCEPTION 'rule R6.2 needs the use of the row, and it is NULL' USING ERRCODE = 'not_null_violation';
        END IF;
        -- facility land (1202) and the farming facilities of R3.5: rural roads (1006), aquaculture ponds (1104A)
        IF NOT use::text IN ('1202', '1006', '1104A') THEN
            RETURN;
        END IF;
        tol := coalesce(landpolicy.param('overlap.tolerance_m2', jur, at), 0);
        m := landpolicy.layer_overlap('cultivated', landpolicy.checked_geometry(geom), rule, '{}', at, tol);
        IF m.counted_m2 <= tol THEN
            RETURN;
        END IF;
        SELECT c.* INTO ref FROM landpolicy.change_log c WHERE c.id::text = landpolicy.input(r, options, 'balance_ref');
        IF ref.id IS NULL OR landpolicy.balance_direction('inout', ref.from_class, ref.to_class) <> 'in' OR ref.area_m2 < m.counted_m2 THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('设施 %s 占用一般耕地 %s 平方米（%s 亩），未落实进出平衡', use, landpolicy.fmt(m.counted_m2::numeric), landpolicy.mu(m.counted_m2::numeric)),
                               format('facility %s occupies %s m² (%s mu) of general cultivated land without an enter-exit balance record', use, landpolicy.fmt(m.counted_m2::numeric), landpolicy.mu(m.counted_m2::numeric))),
                m.counted_m2::numeric, coalesce(ref.area_m2, 0)::numeric,
                landpolicy.say(CASE WHEN ref.id IS NULL THEN '未关联补充耕地记录（balance_ref 指向 landpolicy.change_log 中的“进”记录）。'
                                    WHEN landpolicy.balance_direction('inout', ref.from_class, ref.to_class) <> 'in' THEN format('关联记录 %s 不是进出平衡的“进”。', ref.id)
                                    ELSE format('关联记录 %s 仅 %s 平方米。', ref.id, landpolicy.fmt(ref.area_m2::numeric)) END,
                               CASE WHEN ref.id IS NULL THEN 'No linked record (balance_ref names an "in" entry of landpolicy.change_log).'
                                    WHEN landpolicy.balance_direction('inout', ref.from_class, ref.to_class) <> 'in' THEN format('Linked record %s is not an enter-exit "in".', ref.id)
                                    ELSE format('Linked record %s covers only %s m².', ref.id, landpolicy.fmt(ref.area_m2::numeric)) END),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第三十三条；自然资办发〔2022〕45号 三。', 'Basis: S2 art. 33; S0 §3. Record the compensating cultivated land first and link it.'),
                jsonb_build_object('use', use, 'occupied_m2', m.counted_m2, 'balance_ref', landpolicy.input(r, options, 'balance_ref')));
        END IF;
    ELSIF rule = 'R6.3' THEN
        use := landpolicy.input(r, options, 'use');
        IF use IS NULL THEN
            RAISE EXCEPTION 'rule R6.3 needs the use of the row, and it is NULL' USING ERRCODE = 'not_null_violation';
        END IF;
        IF use::text = '1202' AND (landpolicy.input(r, options, 'filing') IS NULL OR landpolicy.input(r, options, 'filing_date') IS NULL) THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say('设施农业用地未备案上图入库，不予认定', 'facility land without a filing (备案) reference and date is not recognised'),
                0, 0,
                landpolicy.say('备案文号和备案日期均须填写。', 'Both the filing reference and the filing date are needed.'),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第三十五条、第三十六条。', 'Basis: S2 arts. 35-36. File the facility with the township, then record it.'),
                jsonb_build_object('filing', landpolicy.input(r, options, 'filing'), 'filing_date', landpolicy.input(r, options, 'filing_date')));
        END IF;
    ELSIF rule = 'R7.1' THEN
        d_start := landpolicy.input(r, options, 'start')::date;
        d_end := landpolicy.input(r, options, 'end')::date;
        approver := landpolicy.input(r, options, 'approver');
        IF d_start IS NULL OR d_end IS NULL OR approver IS NULL THEN
            RAISE EXCEPTION 'rule R7.1 needs the start, the end and the approving authority of temporary land' USING ERRCODE = 'not_null_violation';
        END IF;
        IF d_end < d_start THEN
            RAISE EXCEPTION 'temporary land ends (%) before it starts (%)', d_end, d_start USING ERRCODE = 'invalid_parameter_value';
        END IF;
        years := landpolicy.param(CASE WHEN lower(coalesce(landpolicy.input(r, options, 'kind'), '')) IN
                                            ('energy', 'transport', 'water', '能源', '交通', '水利')
                                       THEN 'temporary.max_years_infrastructure' ELSE 'temporary.max_years' END, approver, d_start);
        IF years IS NOT NULL AND d_end > d_start + make_interval(years => years::int) THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('临时用地期限 %s 至 %s 超过 %s 年', d_start, d_end, years),
                               format('temporary land from %s to %s exceeds %s years', d_start, d_end, years)),
                (d_end - d_start)::numeric, (d_start + make_interval(years => years::int))::date - d_start,
                landpolicy.say('一般不超过二年；建设周期较长的能源、交通、水利等基础设施不超过四年（参数 temporary.*）。',
                               'Two years in general; four for long-build energy, transport and water infrastructure (parameters temporary.*).'),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第十七条。', 'Basis: S2 art. 17.'),
                jsonb_build_object('start', d_start, 'end', d_end, 'max_years', years));
        END IF;
        d_due := landpolicy.input(r, options, 'reclaim_due')::date;
        years := landpolicy.param('temporary.reclaim_years', approver, d_start);
        IF d_due IS NOT NULL AND years IS NOT NULL AND d_due > d_end + make_interval(years => years::int) THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('复垦期限 %s 晚于期满后 %s 年（%s）', d_due, years, (d_end + make_interval(years => years::int))::date),
                               format('reclamation due %s is later than %s year(s) after expiry (%s)', d_due, years, (d_end + make_interval(years => years::int))::date)),
                (d_due - d_end)::numeric, ((d_end + make_interval(years => years::int))::date - d_end)::numeric,
                landpolicy.say('期满之日起一年内完成复垦（参数 temporary.reclaim_years）。', 'Reclaim within one year of expiry (parameter temporary.reclaim_years).'),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第十七条。', 'Basis: S2 art. 17.'),
                jsonb_build_object('end', d_end, 'reclaim_due', d_due));
        END IF;
        -- R7.2: county level or above; city level or above when cultivated land or PBF is used
        IF landpolicy.ac_level(approver) IN ('township', 'village') THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('临时用地须由县级以上批准，批准机关为 %s 级（%s）', landpolicy.ac_level(approver), approver),
                               format('temporary land is approved at county level or above, and the approver %s is a %s', approver, landpolicy.ac_level(approver))),
                0, 0, landpolicy.say('批准机关行政区划代码须为县、市或省级。', 'The approver''s admin code must be a county, city or province.'),
                landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第十七条。', 'Basis: S2 art. 17.'),
                jsonb_build_object('approver', approver));
        ELSIF landpolicy.ac_level(approver) = 'county' AND geom IS NULL THEN
            RAISE EXCEPTION 'rule R7.1 cannot tell whether county-approved temporary land uses cultivated land or PBF: it has no geometry'
                USING ERRCODE = 'not_null_violation', HINT = 'Map the geometry, or record a city-level approver.';
        ELSIF landpolicy.ac_level(approver) = 'county' THEN
            tol := coalesce(landpolicy.param('overlap.tolerance_m2', approver, d_start), 0);
            IF NOT EXISTS (SELECT 1 FROM landpolicy.layer WHERE kind IN ('cultivated', 'pbf')) THEN
                RAISE EXCEPTION 'rule R7.1 cannot tell whether county-approved temporary land uses cultivated land or PBF: neither layer is registered'
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = 'Register the cultivated and pbf layers, or record a city-level approver.';
            END IF;
            farmland := (EXISTS (SELECT 1 FROM landpolicy.layer WHERE kind = 'cultivated')
                         AND (landpolicy.layer_overlap('cultivated', landpolicy.checked_geometry(geom), rule, '{}', d_start, tol)).counted_m2 > tol)
                     OR (EXISTS (SELECT 1 FROM landpolicy.layer WHERE kind = 'pbf')
                         AND (landpolicy.layer_overlap('pbf', landpolicy.checked_geometry(geom), rule, '{}', d_start, tol)).counted_m2 > tol);
            IF farmland THEN
                RETURN NEXT landpolicy.ledger_violation(rule,
                    landpolicy.say(format('占用耕地或永久基本农田的临时用地须由市级以上批准，批准机关为县级（%s）', approver),
                                   format('temporary land on cultivated land or PBF is approved at city level or above, and the approver %s is a county', approver)),
                    0, 0, landpolicy.say('地块与耕地或永久基本农田图层重叠。', 'The parcel overlaps the cultivated or pbf layer.'),
                    landpolicy.say('依据：《乡村振兴用地政策指南(2023年)》第十七条。', 'Basis: S2 art. 17.'),
                    jsonb_build_object('approver', approver));
            END IF;
        END IF;
    ELSIF rule = 'R8.2' THEN
        d_start := landpolicy.input(r, options, 'approved_on')::date;
        d_end := landpolicy.input(r, options, 'completion')::date;
        years := landpolicy.param('remediation.completion_years', jur, d_start);
        IF d_start IS NOT NULL AND d_end IS NOT NULL AND years IS NOT NULL AND d_end > d_start + make_interval(years => years::int) THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('全域土地综合整治项目须在批准后 %s 年内完成：批准 %s，完成 %s', years, d_start, d_end),
                               format('a remediation project must be completed within %s years of approval: approved %s, completion %s', years, d_start, d_end)),
                (d_end - d_start)::numeric, ((d_start + make_interval(years => years::int))::date - d_start)::numeric,
                landpolicy.say('参数 remediation.completion_years（福建）。', 'Parameter remediation.completion_years (Fujian).'),
                landpolicy.say('依据：福建省实施意见 三（四）。', 'Basis: Fujian S3 §3(4).'),
                jsonb_build_object('approved_on', d_start, 'completion', d_end, 'years', years));
        END IF;
    ELSIF rule = 'R8.3' THEN
        d_end := landpolicy.input(r, options, 'date')::date;
        IF landpolicy.input(r, options, 'resettlement') IS NOT NULL THEN
            EXECUTE format('SELECT max(%I)::date FROM %s WHERE %I::text = $1',
                           coalesce(options->>'resettlement_done', 'completed_on'), (options->>'resettlement_table')::regclass,
                           coalesce(options->>'resettlement_key', 'id'))
               INTO done USING landpolicy.input(r, options, 'resettlement');
        END IF;
        IF done IS NULL OR done > coalesce(d_end, current_date) THEN
            RETURN NEXT landpolicy.ledger_violation(rule,
                landpolicy.say(format('先安置、再拆旧：拆除日期 %s 前，安置 %s 未完成', coalesce(d_end, current_date), coalesce(landpolicy.input(r, options, 'resettlement'), '（未关联）')),
                               format('resettle before demolishing: the resettlement %s is not complete by the demolition date %s',
                                      coalesce(landpolicy.input(r, options, 'resettlement'), '(none linked)'), coalesce(d_end, current_date))),
                0, 0,
                landpolicy.say(CASE WHEN done IS NULL THEN '安置记录不存在或未登记完成日期。' ELSE format('安置完成于 %s。', done) END,
                               CASE WHEN done IS NULL THEN 'The resettlement is missing or has no completion date.' ELSE format('The resettlement was completed on %s.', done) END),
                landpolicy.say('依据：自然资发〔2024〕149号（十）。', 'Basis: S1 (10). Record the resettlement as complete first.'),
                jsonb_build_object('resettlement', landpolicy.input(r, options, 'resettlement'), 'completed_on', done, 'demolition', d_end));
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION landpolicy.row_rule_check(text, jsonb, jsonb, geometry, date) IS
    'the whole-row guards that keep no totals: R6.1, R6.2, R6.3, R7.1 (with R7.2), R8.2, R8.3';

-- R7.1: temporary land past its reclamation deadline, across every table R7.1 is attached to.
CREATE FUNCTION landpolicy.temporary_overdue_at(at date)
RETURNS TABLE (target regclass, row_key text, end_date date, reclaim_by date, days_overdue int4)
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    a landpolicy.attachment;
    o jsonb;
BEGIN
    FOR a IN SELECT * FROM landpolicy.attachment x WHERE x.rule = 'R7.1' ORDER BY x.target::text LOOP
        o := a.options;
        RETURN QUERY EXECUTE format(
            'SELECT %L::regclass, %s, t.%I, d, ($1 - d)::int4
             FROM %s t, LATERAL (SELECT coalesce(%s, (t.%I + make_interval(years =>
                                  coalesce(landpolicy.param(''temporary.reclaim_years'', t.%I, t.%I), 1)::int))::date) AS d) r
             WHERE d < $1 %s ORDER BY 2',
            a.target, CASE WHEN o ? 'key' THEN format('t.%I::text', o->>'key') ELSE 't.ctid::text' END, o->>'end',
            a.target, CASE WHEN o ? 'reclaim_due' THEN format('t.%I', o->>'reclaim_due') ELSE 'NULL::date' END,
            o->>'end', o->>'approver', o->>'start',
            CASE WHEN o ? 'reclaimed' THEN format('AND t.%I IS NULL', o->>'reclaimed') ELSE '' END)
        USING at;
    END LOOP;
END
$$;
COMMENT ON FUNCTION landpolicy.temporary_overdue_at(date) IS 'temporary land not reclaimed by its deadline, as of a date (R7.1)';
CREATE VIEW landpolicy.temporary_overdue AS SELECT * FROM landpolicy.temporary_overdue_at(current_date);
COMMENT ON VIEW landpolicy.temporary_overdue IS 'temporary land past its reclamation deadline today (R7.1)';

-- R4.3 as a report over the plan quotas: the rural-industry account's share of a county's or a province's indicators.
CREATE FUNCTION landpolicy.rural_share_check(jurisdiction landpolicy.admincode, year int4)
RETURNS TABLE (jurisdiction landpolicy.admincode, year int4, level text, rural_m2 numeric, total_m2 numeric,
               share numeric, min_share numeric, pass boolean)
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    WITH q AS (
        SELECT q.account, q.amount * CASE q.unit WHEN 'mu' THEN 10000.0 / 15 WHEN 'ha' THEN 10000 ELSE 1 END AS m2
        FROM landpolicy.quota q
        WHERE q.year = rural_share_check.year AND q.county OPERATOR(landpolicy.<@) rural_share_check.jurisdiction),
    s AS (SELECT round(coalesce(sum(m2) FILTER (WHERE account = 'rural_industry'), 0), 6) AS rural,
                 round(coalesce(sum(m2), 0), 6) AS total FROM q),
    p AS (SELECT CASE WHEN landpolicy.ac_level(rural_share_check.jurisdiction) = 'province' THEN 'province' ELSE 'county' END AS lvl)
    SELECT rural_share_check.jurisdiction, rural_share_check.year, p.lvl, s.rural, s.total,
           round(s.rural / nullif(s.total, 0), 4),
           landpolicy.param(CASE p.lvl WHEN 'province' THEN 'construction.rural_share_province_min' ELSE 'construction.rural_share_county_min' END,
                            rural_share_check.jurisdiction, make_date(rural_share_check.year, 1, 1)),
           s.total > 0 AND s.rural / s.total >= landpolicy.param(CASE p.lvl WHEN 'province' THEN 'construction.rural_share_province_min'
                                                                               ELSE 'construction.rural_share_county_min' END,
                                                                  rural_share_check.jurisdiction, make_date(rural_share_check.year, 1, 1))
    FROM s, p
$$;
COMMENT ON FUNCTION landpolicy.rural_share_check(landpolicy.admincode, int4) IS
    'R4.3: the rural_industry account''s share of a county''s (≥ 10 %) or a province''s (≥ 5 %) plan quotas for a year';

-- What applies where and when.  A rule is in force where and when its gating parameters are (the
-- figures a policy document sets only for a period or a province: the 5 % cap from S1, Fujian's
-- survey thresholds and completion term from S3, S0's earmark …); its other figures may still be
-- unset in a province (a homestead standard), and are listed as missing.
CREATE TABLE landpolicy.rule_gate (
    rule      text NOT NULL,
    param_key text NOT NULL,
    PRIMARY KEY (rule, param_key)
);
INSERT INTO landpolicy.rule_gate VALUES
    ('R2.3', 'pbf.adjust_cap_ratio'),
    ('R2.6', 'pbf.survey_outside_udb_mu'), ('R2.6', 'pbf.survey_udb_plain_mu'), ('R2.6', 'pbf.survey_udb_hill_mu'),
    ('R3.3', 'cultivated.max_slope_deg'),
    ('R4.2', 'construction.poverty_quota_mu'),
    ('R4.3', 'construction.rural_share_county_min'),
    ('R4.5', 'udb.year_min_of_average'),
    ('R8.2', 'remediation.completion_years');
COMMENT ON TABLE landpolicy.rule_gate IS 'the parameters whose windows and jurisdictions decide where and when a rule is in force';
GRANT SELECT ON landpolicy.rule_gate TO PUBLIC;

CREATE FUNCTION landpolicy.rules_in_force(jurisdiction landpolicy.admincode, at date DEFAULT current_date)
RETURNS TABLE (rule text, name_zh text, name_en text, kind text, in_force boolean, params jsonb, missing text[],
               enforced_by text, basis text)
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    SELECT c.id, c.name_zh, c.name_en, c.kind,
           c.kind <> 'not checkable'
               AND NOT EXISTS (SELECT 1 FROM landpolicy.rule_gate g
                               WHERE g.rule = c.id AND landpolicy.param_text(g.param_key, jurisdiction, at) IS NULL),
           p.params, coalesce(m.missing, '{}'), c.enforced_by, c.basis
    FROM landpolicy.rule_catalog() c
    CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT k FROM unnest(c.params || ARRAY(SELECT g.param_key FROM landpolicy.rule_gate g
                                                                                      WHERE g.rule = c.id)) k ORDER BY k) AS keys) k
    CROSS JOIN LATERAL (SELECT jsonb_object_agg(key, landpolicy.param_text(key, jurisdiction, at)) AS params
                        FROM unnest(k.keys) key) p
    CROSS JOIN LATERAL (SELECT array_agg(key) AS missing FROM unnest(k.keys) key
                        WHERE landpolicy.param_text(key, jurisdiction, at) IS NULL) m
    ORDER BY c.id
$$;
COMMENT ON FUNCTION landpolicy.rules_in_force(landpolicy.admincode, date) IS
    'every rule of POLICY.md for a jurisdiction on a date: in force or not (by its gating parameters), parameter values, figures not set there, how it is enforced, its basis';

-- The fast path caches parameters and which rules have exemptions: tell every backend when they change.
CREATE FUNCTION landpolicy.notify_table_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
    PERFORM landpolicy.notify_change(TG_RELID);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.notify_table_change() FROM PUBLIC;
CREATE TRIGGER policy_param_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON landpolicy.policy_param
    FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.notify_table_change();
CREATE TRIGGER exemption_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON landpolicy.exemption
    FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.notify_table_change();
-- the extension's own checks and notices hold in replica sessions too
ALTER TABLE landpolicy.policy_param ENABLE ALWAYS TRIGGER policy_param_guard, ENABLE ALWAYS TRIGGER policy_param_changed;
ALTER TABLE landpolicy.exemption ENABLE ALWAYS TRIGGER exemption_guard, ENABLE ALWAYS TRIGGER exemption_changed;

CREATE FUNCTION landpolicy.fast_overlap(kind text, geom geometry, tolerance_m2 float8 DEFAULT 0)
RETURNS landpolicy.measurement AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
REVOKE ALL ON FUNCTION landpolicy.fast_overlap(text, geometry, float8) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.fast_overlap(text, geometry, float8) IS
    'the fast path''s measurement of a geometry against a cached layer (NULL where it defers to the SQL path); for tests';
