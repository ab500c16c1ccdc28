-- Settling the balances up the administrative hierarchy, and checking a remediation area.

-- A change table's rows as (county, year, from, to, area, grade): the change log by default, or
-- any table whose columns the options name.
CREATE FUNCTION landpolicy.changes_sql(kind text, changes regclass, options jsonb) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    o jsonb := jsonb_build_object('admin', 'admin', 'date', 'changed_on', 'from', 'from_class', 'to', 'to_class',
                                  'area', 'area_m2', 'grade_out', 'grade_before', 'grade_in', 'grade_after')
               || coalesce(options, '{}');
    bad text;
BEGIN
    IF kind NOT IN ('inout', 'occupy') THEN
        RAISE EXCEPTION 'unknown balance "%"', kind USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use ''inout'' (进出平衡) or ''occupy'' (占补平衡).';
    END IF;
    SELECT k INTO bad FROM jsonb_object_keys(coalesce(options, '{}')) k
     WHERE k NOT IN ('admin', 'date', 'year', 'from', 'to', 'area', 'grade_out', 'grade_in') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown option "%"', bad USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Options name the columns: admin, date (or year), from, to, area, grade_out, grade_in.';
    END IF;
    RETURN format(
        'SELECT landpolicy.ac_at(c.%I::landpolicy.admincode, ''county'') AS county, %s AS year,
                c.%I::landpolicy.landclass AS from_class, c.%I::landpolicy.landclass AS to_class,
                c.%I::float8 AS area_m2,
                CASE landpolicy.balance_direction(%L, c.%I::landpolicy.landclass, c.%I::landpolicy.landclass)
                     WHEN ''in'' THEN %s ELSE %s END AS grade
         FROM %s c',
        o->>'admin',
        CASE WHEN o ? 'year' THEN format('c.%I::int4', o->>'year') ELSE format('extract(year FROM c.%I)::int4', o->>'date') END,
        o->>'from', o->>'to', o->>'area',
        kind, o->>'from', o->>'to',
        CASE WHEN o->>'grade_in' = '' THEN 'NULL::int4' ELSE format('c.%I::int4', o->>'grade_in') END,
        CASE WHEN o->>'grade_out' = '' THEN 'NULL::int4' ELSE format('c.%I::int4', o->>'grade_out') END,
        changes);
END
$$;
COMMENT ON FUNCTION landpolicy.changes_sql(text, regclass, jsonb) IS 'the SQL reading a change table as (county, year, from, to, area, grade)';

CREATE FUNCTION landpolicy.settle_balance(kind text, changes regclass DEFAULT 'landpolicy.change_log',
                                          options jsonb DEFAULT '{}')
RETURNS TABLE (county landpolicy.admincode, year int4, out_m2 float8, in_m2 float8, net_m2 float8,
               deficit_m2 float8, covered_city_m2 float8, covered_province_m2 float8, covered_nation_m2 float8,
               uncovered_m2 float8, settled_at text)
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    -- 进出平衡 settles in the county, then the city, then the province (S2 art. 26);
    -- 占补平衡 in the county, then the province, then the nation (S4 §4).
    first_level text := CASE kind WHEN 'inout' THEN 'city' ELSE 'province' END;
    unplaced bigint;
BEGIN
    -- a change without an admin code cannot be settled anywhere: say so rather than drop it
    EXECUTE format('SELECT count(*) FROM (%s) ch WHERE ch.county IS NULL OR ch.year IS NULL',
                   landpolicy.changes_sql(kind, changes, options)) INTO unplaced;
    IF unplaced > 0 THEN
        RAISE EXCEPTION '% change(s) in % have no admin code or date, so they cannot be settled', unplaced, changes
            USING ERRCODE = 'null_value_not_allowed', HINT = 'Fill in the admin code (at least the county) and the date of every change.';
    END IF;
    RETURN QUERY EXECUTE format($q$
        WITH b AS (
            SELECT ch.county, ch.year, landpolicy.%8$I(ch.from_class, ch.to_class, ch.area_m2, ch.grade) AS bal
            FROM (%2$s) ch GROUP BY ch.county, ch.year),
        c AS (
            SELECT b.county, b.year, (b.bal).out_m2, (b.bal).in_m2, (b.bal).net_m2,
                   CASE WHEN (b.bal).net_m2 < 0 THEN -(b.bal).net_m2 ELSE 0 END AS deficit,
                   CASE WHEN (b.bal).net_m2 > 0 THEN (b.bal).net_m2 ELSE 0 END AS surplus,
                   landpolicy.ac_at(b.county, %3$L) AS g1, landpolicy.ac_at(b.county, 'province') AS g2
            FROM b),
        -- first level: a group's surplus goes to its deficits, largest first (county code breaks ties)
        a1 AS (
            SELECT c.*, sum(c.surplus) OVER (PARTITION BY c.year, c.g1) AS pool1,
                   coalesce(sum(c.deficit) OVER (PARTITION BY c.year, c.g1 ORDER BY c.deficit DESC, c.county
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before1
            FROM c),
        t1 AS (SELECT a1.*, greatest(0, least(a1.deficit, a1.pool1 - a1.before1)) AS take1 FROM a1),
        -- what each first-level group has left, pooled at the second level
        left1 AS (SELECT t1.year, t1.g1, t1.g2, max(t1.pool1) - sum(t1.take1) AS rest FROM t1 GROUP BY t1.year, t1.g1, t1.g2),
        pool2 AS (SELECT l.year, %4$s AS g2, sum(l.rest) AS pool2 FROM left1 l GROUP BY 1, 2),
        a2 AS (
            SELECT t1.*, t1.deficit - t1.take1 AS rem1, p.pool2,
                   coalesce(sum(t1.deficit - t1.take1) OVER (PARTITION BY t1.year, %5$s ORDER BY t1.deficit - t1.take1 DESC, t1.county
                                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before2
            FROM t1 JOIN pool2 p ON p.year = t1.year AND p.g2 = %6$s),
        t2 AS (SELECT a2.*, greatest(0, least(a2.rem1, a2.pool2 - a2.before2)) AS take2 FROM a2)
        SELECT t2.county, t2.year, t2.out_m2, t2.in_m2, t2.net_m2, t2.deficit,
               CASE WHEN %1$L = 'inout' THEN t2.take1 ELSE 0 END,
               CASE WHEN %1$L = 'inout' THEN t2.take2 ELSE t2.take1 END,
               CASE WHEN %1$L = 'inout' THEN 0 ELSE t2.take2 END,
               t2.rem1 - t2.take2,
               CASE WHEN t2.deficit = 0 THEN 'county'
                    WHEN t2.take1 >= t2.deficit THEN %3$L
                    WHEN t2.take1 + t2.take2 >= t2.deficit THEN %7$L
                    ELSE 'uncovered' END
        FROM t2 ORDER BY t2.year, t2.county
        $q$,
        kind, landpolicy.changes_sql(kind, changes, options), first_level,
        CASE kind WHEN 'inout' THEN 'l.g2' ELSE '''nation''' END,
        CASE kind WHEN 'inout' THEN 't1.g2' ELSE '1' END,
        CASE kind WHEN 'inout' THEN 't1.g2' ELSE '''nation''' END,
        CASE kind WHEN 'inout' THEN 'province' ELSE 'nation' END,
        kind || '_balance');
END
$$;
COMMENT ON FUNCTION landpolicy.settle_balance(text, regclass, jsonb) IS
    'per county and year: the 进出平衡 (inout) or 占补平衡 (occupy) balance and how a deficit is covered up the hierarchy (surplus used once, largest deficits first)';

CREATE FUNCTION landpolicy.remediation_check(area geometry, from_date date, to_date date,
                                             changes regclass DEFAULT 'landpolicy.change_log')
RETURNS TABLE (rule text, item text, measured float8, "limit" float8, pass boolean, detail text)
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    a geometry := landpolicy.checked_geometry(area);
    gained float8; lost float8; gained_grade float8; lost_grade float8;
    added float8; removed float8;
    t record;
BEGIN
    IF from_date IS NULL OR to_date IS NULL OR from_date > to_date THEN
        RAISE EXCEPTION 'remediation_check needs a period: from_date ≤ to_date' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format($q$
        WITH parts AS (
            SELECT c.from_class, c.to_class, c.grade_before, c.grade_after,
                   landpolicy.measured_area(ST_CollectionExtract(ST_Intersection(c.geom, ST_Transform($1, ST_SRID(c.geom))), 3)) AS m2
            FROM %s c
            WHERE c.changed_on BETWEEN $2 AND $3 AND c.geom IS NOT NULL
              AND ST_Intersects(c.geom, ST_Transform($1, ST_SRID(c.geom))))
        SELECT coalesce(sum(m2) FILTER (WHERE landpolicy.is_cultivated(to_class) AND NOT landpolicy.is_cultivated(from_class)), 0),
               coalesce(sum(m2) FILTER (WHERE landpolicy.is_cultivated(from_class) AND NOT landpolicy.is_cultivated(to_class)), 0),
               sum(m2 * grade_after) FILTER (WHERE landpolicy.is_cultivated(to_class) AND NOT landpolicy.is_cultivated(from_class) AND grade_after IS NOT NULL)
                 / nullif(sum(m2) FILTER (WHERE landpolicy.is_cultivated(to_class) AND NOT landpolicy.is_cultivated(from_class) AND grade_after IS NOT NULL), 0),
               sum(m2 * grade_before) FILTER (WHERE landpolicy.is_cultivated(from_class) AND NOT landpolicy.is_cultivated(to_class) AND grade_before IS NOT NULL)
                 / nullif(sum(m2) FILTER (WHERE landpolicy.is_cultivated(from_class) AND NOT landpolicy.is_cultivated(to_class) AND grade_before IS NOT NULL), 0),
               coalesce(sum(m2) FILTER (WHERE landpolicy.lc_three_class(to_class) = 'construction'
                                          AND landpolicy.lc_three_class(from_class) IS DISTINCT FROM 'construction'), 0),
               coalesce(sum(m2) FILTER (WHERE landpolicy.lc_three_class(from_class) = 'construction'
                                          AND landpolicy.lc_three_class(to_class) IS DISTINCT FROM 'construction'), 0)
        FROM parts$q$, changes)
    INTO gained, lost, gained_grade, lost_grade, added, removed
    USING a, from_date, to_date;

    rule := 'R3.6'; item := 'cultivated land quantity: m² gained vs lost';
    measured := gained; "limit" := lost; pass := gained >= lost;
    detail := format('net %s m² (%s mu)', round((gained - lost)::numeric, 2), round(((gained - lost) * 15 / 10000)::numeric, 4));
    RETURN NEXT;
    rule := 'R3.6'; item := 'cultivated land quality: grade gained vs lost (1 best)';
    measured := gained_grade; "limit" := lost_grade;
    pass := lost_grade IS NULL OR (gained_grade IS NOT NULL AND gained_grade <= lost_grade);
    detail := CASE WHEN lost_grade IS NULL THEN 'no graded cultivated land lost' ELSE 'area-weighted average grades' END;
    RETURN NEXT;
    rule := 'R4.4'; item := 'construction land: m² added vs removed';
    measured := added; "limit" := removed; pass := added <= removed;
    detail := format('net %s m² (%s mu)', round((added - removed)::numeric, 2), round(((added - removed) * 15 / 10000)::numeric, 4));
    RETURN NEXT;
    -- the PBF cap of each township the area's changes fall in, where the cap ledger exists
    FOR t IN EXECUTE format($q$
        SELECT s.township, s.removed_m2, s.cap_m2 FROM landpolicy.pbf_adjustment_status s
        WHERE s.township IN (SELECT DISTINCT landpolicy.ac_at(c.admin, 'township') FROM %s c
                             WHERE c.changed_on BETWEEN $2 AND $3 AND c.geom IS NOT NULL
                               AND landpolicy.ac_level(c.admin) IN ('township', 'village')
                               AND ST_Intersects(c.geom, ST_Transform($1, ST_SRID(c.geom))))
        ORDER BY s.township$q$, changes) USING a, from_date, to_date
    LOOP
        rule := 'R2.3'; item := format('PBF removed in township %s: m² vs cap', t.township);
        measured := t.removed_m2; "limit" := t.cap_m2; pass := t.cap_m2 IS NOT NULL AND t.removed_m2 <= t.cap_m2;
        detail := CASE WHEN t.cap_m2 IS NULL THEN 'cap unknown: no designated area' ELSE 'from landpolicy.pbf_adjustment_status' END;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION landpolicy.remediation_check(geometry, date, date, regclass) IS
    'a 全域土地综合整治 area over a period: cultivated quantity and quality (R3.6), construction land (R4.4), the townships'' PBF caps (R2.3), pass or fail with figures';
