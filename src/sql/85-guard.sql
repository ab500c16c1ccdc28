-- Guards: the rule catalog, exemptions, the violation log, attach/detach, and the shared
-- evaluation behind the trigger, the dry run (check) and the audit.

CREATE TYPE landpolicy.violation AS (
    rule     text,
    severity text,
    message  text,
    basis    text,
    measured float8,
    "limit"  float8,
    detail   jsonb
);
COMMENT ON TYPE landpolicy.violation IS
    'one broken rule: id, severity, message, legal basis, the measured figure, the limit, and details (figures, "text", "hint")';

CREATE TYPE landpolicy.measurement AS (
    kind            text,
    overlap_m2      float8,
    exempted_m2     float8,
    counted_m2      float8,
    features        text[],
    max_slope_grade int4
);
COMMENT ON TYPE landpolicy.measurement IS 'a geometry measured against one reference layer';

CREATE TYPE landpolicy.facts AS (
    tolerance_m2 float8,
    params       jsonb,
    measurements landpolicy.measurement[]
);
COMMENT ON TYPE landpolicy.facts IS 'what a rule needs to know about a row: tolerance, parameters, measurements';

-- The rule table (C).
CREATE FUNCTION landpolicy.rule_catalog(OUT id text, OUT name_zh text, OUT name_en text, OUT basis text,
                                        OUT inputs text[], OUT optional_inputs text[], OUT params text[],
                                        OUT kind text, OUT whole_row bool, OUT enforced_by text)
RETURNS SETOF record AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.rule_catalog() IS 'the rules a guard can enforce, from the rule table in C';
CREATE FUNCTION landpolicy.rule_layers(OUT rule text, OUT kind text, OUT required bool, OUT exemption_kinds text[], OUT any_use bool)
RETURNS SETOF record AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.rule_layers() IS 'the layers each rule measures rows against, and the exemption kinds that count there';
CREATE FUNCTION landpolicy.rule_applies(rule text, use landpolicy.landclass, is_pv bool) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.rule_applies(text, landpolicy.landclass, bool) IS 'whether a rule concerns a row of this use at all';
CREATE FUNCTION landpolicy.rule_concerns(rule text, use landpolicy.landclass, is_pv bool) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.rule_concerns(text, landpolicy.landclass, bool) IS
    'whether a rule''s main test concerns a row of this use (layers it keeps free of any use aside)';
CREATE FUNCTION landpolicy.rule_judge(rule text, use landpolicy.landclass, is_pv bool, slope_grade int4, has_review bool,
                                      tolerance_m2 float8, params jsonb, measurements landpolicy.measurement[])
RETURNS SETOF landpolicy.violation AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.rule_judge(text, landpolicy.landclass, bool, int4, bool, float8, jsonb, landpolicy.measurement[]) IS
    'the violations a row''s measured facts amount to under a rule (messages in landpolicy.lang)';

CREATE VIEW landpolicy.rules AS
    SELECT c.id, c.name_zh, c.name_en, c.kind, c.enforced_by, c.basis, c.inputs, c.optional_inputs,
           (SELECT array_agg(l.kind) FROM landpolicy.rule_layers() l WHERE l.rule = c.id AND l.required) AS layers,
           (SELECT array_agg(l.kind) FROM landpolicy.rule_layers() l WHERE l.rule = c.id AND NOT l.required) AS optional_layers,
           (SELECT array_agg(DISTINCT k) FROM landpolicy.rule_layers() l, unnest(l.exemption_kinds) k WHERE l.rule = c.id) AS exemption_kinds,
           c.params
    FROM landpolicy.rule_catalog() c;
COMMENT ON VIEW landpolicy.rules IS 'the rules a guard can enforce: id, names, legal basis, inputs, layers, exemption kinds, parameters';

-- Approvals that let part of an overlap through: only inside their scope, only in their window,
-- only for the kinds their rule allows.
CREATE TABLE landpolicy.exemption (
    id          bigserial PRIMARY KEY,
    rule        text NOT NULL,
    kind        text NOT NULL,
    doc_no      text NOT NULL CHECK (doc_no <> ''),
    authority   text NOT NULL CHECK (authority <> ''),
    scope       geometry NOT NULL,
    valid       daterange NOT NULL CHECK (NOT isempty(valid)),
    note        text,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by name NOT NULL DEFAULT current_user
);
CREATE INDEX exemption_scope ON landpolicy.exemption USING gist (scope);
CREATE INDEX exemption_rule ON landpolicy.exemption (rule, kind);
COMMENT ON TABLE landpolicy.exemption IS
    'approved exemptions (有限人为活动, 国家重大项目 …): rule, kind, document number, authority, scope, validity';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.exemption', '');
SELECT pg_catalog.pg_extension_config_dump('landpolicy.exemption_id_seq', '');

CREATE FUNCTION landpolicy.exemption_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    allowed text[];
    problem text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM landpolicy.rule_catalog() c WHERE c.id = NEW.rule) THEN
        RAISE EXCEPTION 'unknown rule "%" for an exemption', NEW.rule USING ERRCODE = 'foreign_key_violation',
            HINT = 'See landpolicy.rules for the rule ids.';
    END IF;
    SELECT array_agg(DISTINCT k) INTO allowed FROM landpolicy.rule_layers() l, unnest(l.exemption_kinds) k WHERE l.rule = NEW.rule;
    IF NOT NEW.kind = ANY (coalesce(allowed, '{}')) THEN
        RAISE EXCEPTION 'rule % allows no exemption of kind "%"', NEW.rule, NEW.kind
            USING ERRCODE = 'check_violation',
                  HINT = CASE WHEN allowed IS NULL THEN 'This rule allows no exemption at all.'
                              ELSE 'Kinds it allows: ' || array_to_string(allowed, ', ') || '.' END;
    END IF;
    problem := landpolicy.geometry_problem(NEW.scope);
    IF problem IS NOT NULL OR ST_Dimension(NEW.scope) <> 2 THEN
        RAISE EXCEPTION 'exemption scope is unusable: %', coalesce(problem, 'it is not a polygon')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER exemption_guard BEFORE INSERT OR UPDATE ON landpolicy.exemption
    FOR EACH ROW EXECUTE FUNCTION landpolicy.exemption_guard();

-- Record mode: violations let through, and kept here.
CREATE TABLE landpolicy.violation_log (
    id        bigserial PRIMARY KEY,
    rule      text NOT NULL,
    target    regclass NOT NULL,
    row_key   text NOT NULL,
    violation landpolicy.violation NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    by_role   name NOT NULL
);
CREATE INDEX violation_log_target ON landpolicy.violation_log (target, rule);
COMMENT ON TABLE landpolicy.violation_log IS 'violations of rules attached in record mode: rule, table, row key, violation, when, by whom';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.violation_log', '');
SELECT pg_catalog.pg_extension_config_dump('landpolicy.violation_log_id_seq', '');

CREATE TABLE landpolicy.attachment (
    target      regclass NOT NULL,
    rule        text NOT NULL,
    options     jsonb NOT NULL,
    mode        text NOT NULL CHECK (mode IN ('reject', 'record')),
    attached_at timestamptz NOT NULL DEFAULT now(),
    attached_by name NOT NULL DEFAULT current_user,
    PRIMARY KEY (target, rule)
);
COMMENT ON TABLE landpolicy.attachment IS 'rules attached to tables, with the column mapping and mode';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.attachment', '');

CREATE VIEW landpolicy.attachments AS
    SELECT a.target, a.rule, r.name_zh, r.name_en, a.mode, a.options, a.attached_at, a.attached_by
    FROM landpolicy.attachment a LEFT JOIN landpolicy.rules r ON r.id = a.rule;
COMMENT ON VIEW landpolicy.attachments IS 'which rule guards which table, how its inputs are mapped, and in which mode';

GRANT SELECT ON landpolicy.exemption, landpolicy.attachment, landpolicy.attachments, landpolicy.rules TO PUBLIC;

-- A row geometry as a rule input: an error naming the problem, or the geometry.
CREATE FUNCTION landpolicy.checked_geometry(geom geometry) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    problem text := landpolicy.geometry_problem(geom);
BEGIN
    IF problem IS NULL AND ST_Dimension(geom) <> 2 THEN
        problem := format('a rule checks areas, and the geometry is a %s', GeometryType(geom));
    END IF;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'cannot check this row: %', problem
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Rows are checked only with valid, non-empty polygons that carry an SRID; repair with ST_MakeValid().';
    END IF;
    RETURN geom;
END
$$;
COMMENT ON FUNCTION landpolicy.checked_geometry(geometry) IS 'the geometry, or an error saying why a rule cannot check it';

-- A geometry against one layer: overlap, the part exempted for the rule on the date, the counted rest.
CREATE FUNCTION landpolicy.layer_overlap(kind text, geom geometry, rule text, exemption_kinds text[], at date,
                                         tolerance_m2 float8 DEFAULT 0)
RETURNS landpolicy.measurement
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    -- first, and unconditionally: a layer that is not registered is an error, never an empty overlap
    g geometry := ST_Transform(geom, landpolicy.layer_srid(kind));
    result landpolicy.measurement;
BEGIN
    WITH hit AS (
        SELECT p.source_key, p.slope_grade, ST_Intersection(p.geom, g) AS part
        FROM landpolicy.layer_piece p
        WHERE p.kind = layer_overlap.kind AND p.geom && g AND ST_Intersects(p.geom, g)),
    u AS (
        SELECT ST_Union(h.part) AS part,
               array_agg(DISTINCT h.source_key ORDER BY h.source_key) FILTER (WHERE ST_Area(h.part) > 0) AS features,
               -- the steepest grade the row covers by more than the tolerance (a sliver does not count)
               max(h.slope_grade) FILTER (WHERE landpolicy.measured_area(h.part) > tolerance_m2) AS max_grade
        FROM hit h),
    ex AS (
        SELECT ST_Union(ST_Transform(e.scope, ST_SRID(g))) AS scope
        FROM landpolicy.exemption e
        WHERE e.rule = layer_overlap.rule AND e.kind = ANY (exemption_kinds) AND e.valid @> at),
    a AS (
        SELECT coalesce(landpolicy.measured_area(u.part), 0) AS overlap,
               coalesce(landpolicy.measured_area(CASE WHEN ex.scope IS NULL THEN u.part
                                                      ELSE ST_Difference(u.part, ex.scope) END), 0) AS counted
        FROM u, ex)
    SELECT layer_overlap.kind, a.overlap, a.overlap - a.counted, a.counted, u.features, u.max_grade
      INTO result
      FROM a, u;
    RETURN result;
END
$$;
COMMENT ON FUNCTION landpolicy.layer_overlap(text, geometry, text, text[], date, float8) IS
    'a geometry measured against a reference layer: overlap m², the part exempted for the rule on the date, the counted rest, the features hit';

-- Exemption kinds that only count while a policy is in force (R2.1's provincial approval for
-- poverty-area projects, S0 §4, until 2024-01-01): the kind, and the parameter that must be in force.
CREATE TABLE landpolicy.exemption_condition (
    rule      text NOT NULL,
    kind      text NOT NULL,
    param_key text NOT NULL,
    PRIMARY KEY (rule, kind)
);
INSERT INTO landpolicy.exemption_condition VALUES ('R2.1', 'provincial_poverty', 'pbf.transitional_provincial_approval');
COMMENT ON TABLE landpolicy.exemption_condition IS 'exemption kinds that count only while a parameter is in force';
GRANT SELECT ON landpolicy.exemption_condition TO PUBLIC;

CREATE FUNCTION landpolicy.exemption_kinds_in_force(rule text, kinds text[], jurisdiction landpolicy.admincode, at date)
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    SELECT coalesce(array_agg(k), '{}') FROM unnest(kinds) k
    WHERE NOT EXISTS (SELECT 1 FROM landpolicy.exemption_condition c
                      WHERE c.rule = exemption_kinds_in_force.rule AND c.kind = k
                        AND coalesce(landpolicy.param(c.param_key, jurisdiction, at), 0) = 0)
$$;
COMMENT ON FUNCTION landpolicy.exemption_kinds_in_force(text, text[], landpolicy.admincode, date) IS
    'the exemption kinds of a rule that count on a date in a jurisdiction';

CREATE FUNCTION landpolicy.facts(rule text, geom geometry, at date, jurisdiction landpolicy.admincode,
                                 use landpolicy.landclass, is_pv bool)
RETURNS landpolicy.facts
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    result landpolicy.facts;
    l record;
    g geometry;
BEGIN
    result.measurements := '{}';
    result.tolerance_m2 := coalesce(landpolicy.param('overlap.tolerance_m2', jurisdiction, at), 0);
    FOR l IN SELECT * FROM landpolicy.rule_layers() r WHERE r.rule = facts.rule LOOP
        -- a layer that concerns only some uses is not measured (nor required) for the others
        CONTINUE WHEN NOT l.any_use AND NOT landpolicy.rule_concerns(rule, use, is_pv);
        CONTINUE WHEN NOT l.required AND NOT EXISTS (SELECT 1 FROM landpolicy.layer x WHERE x.kind = l.kind);
        -- the row's geometry matters only once something is measured against it
        g := coalesce(g, landpolicy.checked_geometry(geom));
        result.measurements := result.measurements
            || landpolicy.layer_overlap(l.kind, g, rule, landpolicy.exemption_kinds_in_force(rule, l.exemption_kinds, jurisdiction, at),
                                        at, result.tolerance_m2);
    END LOOP;
    SELECT jsonb_object_agg(k, landpolicy.param(k, jurisdiction, at)) INTO result.params
      FROM landpolicy.rule_catalog() c, unnest(c.params) k WHERE c.id = facts.rule;
    RETURN result;
END
$$;
COMMENT ON FUNCTION landpolicy.facts(text, geometry, date, landpolicy.admincode, landpolicy.landclass, bool) IS
    'everything a rule needs to judge a geometry on a date in a jurisdiction (fails closed on a missing required layer)';

CREATE FUNCTION landpolicy.fast_evaluate(rule text, geom geometry, use landpolicy.landclass, at date,
                                         jurisdiction landpolicy.admincode, slope_grade int4, has_review bool, is_pv bool)
RETURNS landpolicy.violation[] AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
COMMENT ON FUNCTION landpolicy.fast_evaluate(text, geometry, landpolicy.landclass, date, landpolicy.admincode, int4, bool, bool) IS
    'the violations of one row under one row rule, decided by the guards'' fast path (cached, prepared layers); NULL where the SQL path must decide, when landpolicy.fast_path is off, and for a caller who may not read the layers';

CREATE FUNCTION landpolicy.evaluate(rule text, geom geometry, use landpolicy.landclass, at date,
                                    jurisdiction landpolicy.admincode, slope_grade int4, has_review bool, is_pv bool)
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    f landpolicy.facts;
    fast landpolicy.violation[];
BEGIN
    IF NOT landpolicy.rule_applies(rule, use, is_pv) THEN
        RETURN;
    END IF;
    -- the fast path decides most rows in C, as the guards do; NULL where it must leave it to SQL
    fast := landpolicy.fast_evaluate(rule, geom, use, coalesce(at, current_date), jurisdiction,
                                     slope_grade, has_review, is_pv);
    IF fast IS NOT NULL THEN
        RETURN QUERY SELECT * FROM unnest(fast);
        RETURN;
    END IF;
    f := landpolicy.facts(rule, geom, coalesce(at, current_date), jurisdiction, use, is_pv);
    RETURN QUERY SELECT * FROM landpolicy.rule_judge(rule, use, is_pv, slope_grade, has_review,
                                                     f.tolerance_m2, f.params, f.measurements);
END
$$;
COMMENT ON FUNCTION landpolicy.evaluate(text, geometry, landpolicy.landclass, date, landpolicy.admincode, int4, bool, bool) IS
    'the violations one row would raise under one rule: the evaluation shared by guards, check() and audit() (the fast path first, then SQL)';

CREATE FUNCTION landpolicy.enforce() RETURNS trigger AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION landpolicy.enforce() IS 'the guard trigger behind every attached rule (created by attach())';
-- It queries layers and writes the log as the extension owner: only attach() may hang it on a table.
REVOKE ALL ON FUNCTION landpolicy.enforce() FROM PUBLIC;

CREATE FUNCTION landpolicy.attach(target regclass, rule text, options jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    r record;
    opts jsonb := coalesce(options, '{}');
    allowed text[];
    bad text;
    mode text := coalesce(opts->>'mode', 'reject');
    cols jsonb;
    col text;
    input text;
    trig text := 'landpolicy_' || rule;
    missing text[];
BEGIN
    IF target IS NULL OR rule IS NULL THEN
        RAISE EXCEPTION 'attach: target and rule must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = target), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table % to attach a rule to it', target USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO r FROM landpolicy.rules x WHERE x.id = attach.rule;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown rule: "%"', rule USING ERRCODE = 'undefined_object',
            HINT = 'Rules that can be attached: ' || (SELECT string_agg(id, ', ') FROM landpolicy.rules WHERE kind IN ('guard', 'ledger', 'log')) || '.';
    END IF;
    IF r.kind NOT IN ('guard', 'ledger', 'log') THEN
        RAISE EXCEPTION 'rule % is not attached to tables: it is %', rule,
                CASE r.kind WHEN 'aggregate' THEN 'enforced by an aggregate'
                            WHEN 'report' THEN 'checked by a report function'
                            WHEN 'part of another rule' THEN 'part of another rule'
                            ELSE 'beyond what a database can check' END
            USING ERRCODE = 'feature_not_supported', HINT = 'It is enforced by: ' || r.enforced_by || '.';
    END IF;
    IF r.kind IN ('ledger', 'log') AND (SELECT relkind FROM pg_class WHERE oid = target) = 'p' THEN
        RAISE EXCEPTION 'rule % keeps running totals and cannot be attached to the partitioned table %', rule, target
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'A TRUNCATE of one partition, or an ATTACH PARTITION of a table with rows, would change the rows without booking them.',
                  HINT = 'Attach the rule to each partition instead: its totals are shared by every table it is attached to.';
    END IF;
    allowed := r.inputs || r.optional_inputs || ARRAY['mode'];
    SELECT k INTO bad FROM jsonb_object_keys(opts) k WHERE k <> ALL (allowed) LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'rule % has no input "%"', rule, bad USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Its options are ' || array_to_string(allowed, ', ') || '.';
    END IF;
    IF mode NOT IN ('reject', 'record') THEN
        RAISE EXCEPTION 'invalid mode "%"', mode USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use ''reject'' (the default) or ''record''.';
    END IF;

    -- Resolve and type-check every mapped column.
    cols := jsonb_build_object('geom', coalesce(opts->>'geom',
                                                CASE WHEN 'geom' = ANY (r.inputs)
                                                     THEN landpolicy.sole_column(target, 'geometry', 'geom')
                                                     -- an optional geometry: the table's only one, if it has exactly one
                                                     WHEN 'geom' = ANY (r.optional_inputs) AND NOT opts ? 'area'
                                                     THEN (SELECT min(a.attname) FROM pg_attribute a
                                                           WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped
                                                             AND format_type(a.atttypid, NULL) ~ '(^|\.)geometry$'
                                                           HAVING count(*) = 1) END),
                               'key', coalesce(opts->>'key', (SELECT landpolicy.primary_key_column(target)
                                                               WHERE EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = target
                                                                             AND i.indisprimary AND i.indnatts = 1))));
    FOREACH input IN ARRAY r.inputs || r.optional_inputs LOOP
        CONTINUE WHEN input IN ('geom', 'key');
        IF opts ? input THEN
            cols := cols || jsonb_build_object(input, opts->>input);
        ELSIF input = ANY (r.inputs) AND input LIKE '%\_table' THEN
            RAISE EXCEPTION 'rule % needs input "%": name the table', rule, input
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = format('For example: SELECT landpolicy.attach(%L, %L, ''{"%s": "schema.table"}'');', target, rule, input);
        ELSIF input = ANY (r.inputs) THEN
            RAISE EXCEPTION 'rule % needs input "%": name the column that holds it', rule, input
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = format('For example: SELECT landpolicy.attach(%L, %L, ''{"%s": "column"}'');', target, rule, input);
        END IF;
    END LOOP;
    FOR input, col IN SELECT * FROM jsonb_each_text(cols) LOOP
        CONTINUE WHEN col IS NULL;
        -- R8.3 names another table and its columns, not columns of this one
        IF input IN ('resettlement_table', 'resettlement_key', 'resettlement_done') THEN
            IF input = 'resettlement_table' THEN
                PERFORM landpolicy.column_of_type(col::regclass, coalesce(cols->>'resettlement_key', 'id'), NULL, 'resettlement_key');
                PERFORM landpolicy.column_of_type(col::regclass, coalesce(cols->>'resettlement_done', 'completed_on'),
                                                  ARRAY['date', 'timestamp without time zone', 'timestamp with time zone'], 'resettlement_done');
            END IF;
            CONTINUE;
        END IF;
        PERFORM landpolicy.column_of_type(target, col,
            CASE input
                WHEN 'geom' THEN ARRAY['geometry']
                WHEN 'use' THEN ARRAY['landclass', 'text', 'character varying', 'character']
                WHEN 'class' THEN ARRAY['landclass']
                WHEN 'transferred' THEN ARRAY['boolean']
                WHEN 'storeys' THEN ARRAY['smallint', 'integer']
                WHEN 'year' THEN ARRAY['smallint', 'integer']
                WHEN 'greenhouse_area' THEN ARRAY['numeric', 'double precision', 'real', 'integer', 'bigint']
                WHEN 'filing_date' THEN ARRAY['date', 'timestamp without time zone', 'timestamp with time zone']
                WHEN 'start' THEN ARRAY['date']
                WHEN 'end' THEN ARRAY['date']
                WHEN 'reclaim_due' THEN ARRAY['date']
                WHEN 'approved_on' THEN ARRAY['date']
                WHEN 'completion' THEN ARRAY['date']
                WHEN 'approver' THEN ARRAY['admincode']
                WHEN 'admin' THEN ARRAY['admincode']
                WHEN 'date' THEN ARRAY['date', 'timestamp without time zone', 'timestamp with time zone']
                WHEN 'jurisdiction' THEN ARRAY['admincode']
                WHEN 'township' THEN ARRAY['admincode']
                WHEN 'county' THEN ARRAY['admincode']
                WHEN 'slope_grade' THEN ARRAY['smallint', 'integer']
                WHEN 'grade' THEN ARRAY['smallint', 'integer']
                WHEN 'pv' THEN ARRAY['boolean']
                WHEN 'direction' THEN ARRAY['text', 'character varying', 'character']
                WHEN 'terrain' THEN ARRAY['text', 'character varying', 'character']
                WHEN 'purpose' THEN ARRAY['text', 'character varying', 'character']
                WHEN 'account' THEN ARRAY['text', 'character varying', 'character']
                WHEN 'area' THEN ARRAY['numeric', 'double precision', 'real', 'integer', 'bigint']
                WHEN 'declared_area' THEN ARRAY['numeric', 'double precision', 'real', 'integer', 'bigint']
                ELSE NULL END,
            input);
    END LOOP;
    IF rule = 'R8.3' AND cols ? 'resettlement_table'
       AND NOT has_table_privilege((cols->>'resettlement_table')::regclass, 'SELECT') THEN
        RAISE EXCEPTION 'you may not read %, so you may not make writers of % depend on it', cols->>'resettlement_table', target
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF rule = 'R8.3' AND NOT cols ? 'resettlement_table' THEN
        RAISE EXCEPTION 'rule R8.3 needs the table of resettlements: name it as "resettlement_table"' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'With "resettlement_key" (default id) and "resettlement_done" (default completed_on), its columns.';
    END IF;
    IF rule IN ('R4.7', 'R5.1', 'R6.1') AND cols->>'geom' IS NULL AND cols->>'area' IS NULL THEN
        RAISE EXCEPTION 'rule % needs the area: map "geom" or "area"', rule USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF rule = 'R4.1' AND cols->>'geom' IS NULL AND cols->>'area' IS NULL THEN
        RAISE EXCEPTION 'rule R4.1 needs the approved area: map "geom" or "area"' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- re-attaching: the old attachment goes first, so that its triggers may be replaced
    DELETE FROM landpolicy.attachment x WHERE x.target = attach.target AND x.rule = attach.rule;
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgname = trig) THEN
        EXECUTE format('DROP TRIGGER %I ON %s', trig, target);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgname = trig || '_truncate') THEN
        EXECUTE format('DROP TRIGGER %I ON %s', trig || '_truncate', target);
    END IF;
    IF NOT (SELECT c.whole_row FROM landpolicy.rule_catalog() c WHERE c.id = attach.rule) THEN
        -- row rules: fixed argument positions
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION landpolicy.enforce(%L, %L, %L, %L, %L, %L, %L, %L, %L, %L)',
                       trig, target, rule, mode,
                       coalesce(cols->>'geom', ''), coalesce(cols->>'use', ''), coalesce(cols->>'date', ''),
                       coalesce(cols->>'jurisdiction', ''), coalesce(cols->>'key', ''), coalesce(cols->>'slope_grade', ''),
                       coalesce(cols->>'review', ''), coalesce(cols->>'pv', ''));
    ELSE
        -- whole-row rules: rule, mode, geometry column, then (input, column) pairs
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE%s ON %s FOR EACH ROW EXECUTE FUNCTION landpolicy.enforce(%L, %L, %L%s)',
                       trig, CASE WHEN r.kind IN ('ledger', 'log') THEN ' OR DELETE' ELSE '' END, target, rule, mode,
                       coalesce(cols->>'geom', ''),
                       (SELECT string_agg(format(', %L, %L', k, v), '' ORDER BY k) FROM jsonb_each_text(jsonb_strip_nulls(cols)) AS c(k, v) WHERE k <> 'geom'));
        IF r.kind = 'log' THEN
            -- splits and merges are matched at commit
            IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgname = trig || '_settle') THEN
                EXECUTE format('DROP TRIGGER %I ON %s', trig || '_settle', target);
            END IF;
            EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR DELETE ON %s DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION landpolicy.change_log_settle(%L)',
                           trig || '_settle', target, CASE WHEN cols ? 'parent' THEN 'parent' ELSE 'overlap' END);
            EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', target, trig || '_settle');
        END IF;
        IF r.kind IN ('ledger', 'log') THEN
            EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.refuse_truncate(%L)',
                           trig || '_truncate', target, rule);
            EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', target, trig || '_truncate');
        END IF;
    END IF;
    -- session_replication_role = replica must not switch a guard off.
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', target, trig);

    INSERT INTO landpolicy.attachment (target, rule, options, mode)
    VALUES (target, rule, jsonb_strip_nulls(cols), mode)
    ON CONFLICT ON CONSTRAINT attachment_pkey DO UPDATE
        SET options = EXCLUDED.options, mode = EXCLUDED.mode, attached_at = now(), attached_by = current_user;
    INSERT INTO landpolicy.attachment_log (action, target, rule, options) VALUES ('attach', target::text, rule, jsonb_strip_nulls(cols) || jsonb_build_object('mode', mode));
    IF r.kind = 'ledger' THEN
        -- rows already in the table are booked as they stand (check them with verify() and the status views)
        PERFORM landpolicy.rebuild_ledger(rule);
    END IF;

    SELECT array_agg(l.kind) INTO missing FROM landpolicy.rule_layers() l
     WHERE l.rule = attach.rule AND NOT EXISTS (SELECT 1 FROM landpolicy.layer x WHERE x.kind = l.kind) AND l.required;
    IF missing IS NOT NULL THEN
        RAISE WARNING 'rule % needs layer(s) % which are not registered: writes it concerns will be refused until they are',
            rule, array_to_string(missing, ', ');
    END IF;
    SELECT array_agg(l.kind) INTO missing FROM landpolicy.rule_layers() l
     WHERE l.rule = attach.rule AND NOT EXISTS (SELECT 1 FROM landpolicy.layer x WHERE x.kind = l.kind) AND NOT l.required;
    IF missing IS NOT NULL THEN
        RAISE NOTICE 'rule %: the check against % is off until that layer is registered', rule, array_to_string(missing, ', ');
    END IF;
END
$$;
COMMENT ON FUNCTION landpolicy.attach(regclass, text, jsonb) IS
    'attach a rule to a table: options map the rule''s inputs to columns and set mode (reject, record)';

CREATE FUNCTION landpolicy.detach(target regclass, rule text) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = target), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table % to detach a rule from it', target USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM landpolicy.attachment a WHERE a.target = detach.target AND a.rule = detach.rule;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'rule % is not attached to %', rule, target USING ERRCODE = 'undefined_object';
    END IF;
    INSERT INTO landpolicy.attachment_log (action, target, rule) VALUES ('detach', target::text, rule);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', 'landpolicy_' || rule, target);
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgname = 'landpolicy_' || rule || '_truncate') THEN
        EXECUTE format('DROP TRIGGER %I ON %s', 'landpolicy_' || rule || '_truncate', target);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgname = 'landpolicy_' || rule || '_settle') THEN
        EXECUTE format('DROP TRIGGER %I ON %s', 'landpolicy_' || rule || '_settle', target);
    END IF;
    IF rule IN (SELECT id FROM landpolicy.rules WHERE kind = 'ledger') THEN
        PERFORM landpolicy.rebuild_ledger(rule);
    END IF;
END
$$;
COMMENT ON FUNCTION landpolicy.detach(regclass, text) IS 'remove a rule from a table';

CREATE FUNCTION landpolicy.check(geom geometry, use landpolicy.landclass, jurisdiction landpolicy.admincode DEFAULT NULL,
                                 at date DEFAULT current_date, options jsonb DEFAULT '{}')
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    opts jsonb := coalesce(options, '{}');
    bad text;
    wanted text[];
    r record;
    skipped text[] := '{}';
BEGIN
    SELECT k INTO bad FROM jsonb_object_keys(opts) k WHERE k NOT IN ('rules', 'slope_grade', 'review', 'pv') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown check option "%"', bad USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Options are rules (an array of rule ids), slope_grade, review, pv.';
    END IF;
    IF opts ? 'rules' THEN
        wanted := ARRAY(SELECT jsonb_array_elements_text(opts->'rules'));
        SELECT w INTO bad FROM unnest(wanted) w WHERE w NOT IN (SELECT id FROM landpolicy.rules) LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'unknown rule: "%"', bad USING ERRCODE = 'undefined_object';
        END IF;
    END IF;
    PERFORM landpolicy.checked_geometry(geom);
    -- a dry run judges a geometry and a use: the row guards.  Ledger and whole-row rules need rows.
    SELECT w INTO bad FROM unnest(wanted) w
     WHERE w IN (SELECT c.id FROM landpolicy.rule_catalog() c WHERE c.whole_row) LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'rule % cannot be dry-run: it judges whole rows or running totals, not a geometry and a use', bad
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'Use the status views (pbf_adjustment_status, quota_status) and verify() for ledger rules.';
    END IF;
    FOR r IN SELECT x.* FROM landpolicy.rules x JOIN landpolicy.rule_catalog() c ON c.id = x.id
             WHERE NOT c.whole_row AND (wanted IS NULL OR x.id = ANY (wanted)) ORDER BY x.id LOOP
        -- Without explicit rules, a rule whose layers are not all registered is skipped, and said so.
        IF wanted IS NULL AND EXISTS (SELECT 1 FROM unnest(r.layers) k WHERE k NOT IN (SELECT kind FROM landpolicy.layer)) THEN
            skipped := skipped || r.id;
            CONTINUE;
        END IF;
        RETURN QUERY SELECT * FROM landpolicy.evaluate(r.id, geom, use, at, jurisdiction,
                                                       (opts->>'slope_grade')::int4,
                                                       coalesce(opts->>'review', 'false') <> 'false',
                                                       coalesce((opts->>'pv')::bool, false));
    END LOOP;
    IF cardinality(skipped) > 0 THEN
        RAISE NOTICE 'not checked, for want of registered layers: %', array_to_string(skipped, ', ');
    END IF;
END
$$;
COMMENT ON FUNCTION landpolicy.check(geometry, landpolicy.landclass, landpolicy.admincode, date, jsonb) IS
    'dry run: every violation a row with this geometry and use would raise here on this date (writes nothing)';

-- The rules attached to `target`, over the rows of `source`: target itself (audit()), or a partition
-- being attached under it (the ATTACH PARTITION check in 95-bypass.sql).
CREATE FUNCTION landpolicy.audit_rows(target regclass, source regclass, only_rule text DEFAULT NULL)
RETURNS TABLE (row_key text, v landpolicy.violation)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    a landpolicy.attachment;
    c record;
    o jsonb;
    found_any boolean := false;
    col_use text;
    col_pv text;
    use_is_text boolean;
    use_problem text;
BEGIN
    FOR a IN SELECT * FROM landpolicy.attachment x WHERE x.target = audit_rows.target AND (only_rule IS NULL OR x.rule = only_rule) ORDER BY x.rule LOOP
        found_any := true;
        o := a.options;
        SELECT * INTO c FROM landpolicy.rule_catalog() rc WHERE rc.id = a.rule;
        IF c.kind = 'log' THEN
            RAISE NOTICE 'the change log records; it has nothing to audit (see landpolicy.change_log)';
            CONTINUE;
        END IF;
        IF c.kind = 'ledger' THEN
            RAISE NOTICE 'rule % keeps running totals: see its status view and landpolicy.verify() rather than a row audit', a.rule;
            CONTINUE;
        END IF;
        IF c.whole_row AND a.rule NOT IN ('R2.5', 'R2.6') THEN
            -- the other whole-row guards, each row judged as the guard judges it
            RETURN QUERY EXECUTE format(
                'SELECT %s, v FROM %s t,
                        LATERAL landpolicy.row_rule_check(%L, %L, to_jsonb(t), %s, %s) v',
                CASE WHEN o ? 'key' THEN format('t.%I::text', o->>'key') ELSE 't.ctid::text' END,
                source, a.rule, o,
                CASE WHEN o ? 'geom' THEN format('t.%I', o->>'geom') ELSE 'NULL::geometry' END,
                -- the row's own date, as the guard takes it
                CASE WHEN o ? 'date' THEN format('coalesce(t.%I::date, current_date)', o->>'date') ELSE 'current_date' END);
            CONTINUE;
        END IF;
        IF c.whole_row THEN
            -- the survey rules: every removal without a survey reference, judged as the guard would
            RETURN QUERY EXECUTE format(
                'SELECT %s, s FROM %s t,
                        LATERAL landpolicy.survey_check(%L, %L, to_jsonb(t), t.%I, coalesce(%s, current_date)) s
                 WHERE landpolicy.pbf_direction(t.%I::text) = ''out'' AND t.%I IS NULL',
                CASE WHEN o ? 'key' THEN format('t.%I::text', o->>'key') ELSE 't.ctid::text' END,
                source, a.rule, o, o->>'geom',
                CASE WHEN o ? 'date' THEN format('t.%I::date', o->>'date') ELSE 'NULL::date' END,
                o->>'direction', o->>'survey');
            CONTINUE;
        END IF;
        -- a use held as text is read with to_landclass(), so that a bad code is reported, not an abort
        use_is_text := o ? 'use' AND (SELECT pa.atttypid FROM pg_attribute pa WHERE pa.attrelid = source AND pa.attname = o->>'use')
                                     IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype);
        col_use := CASE WHEN NOT o ? 'use' THEN 'NULL::landpolicy.landclass'
                        WHEN use_is_text THEN format('landpolicy.to_landclass(t.%I::text)', o->>'use')
                        ELSE format('t.%I', o->>'use') END;
        use_problem := CASE WHEN use_is_text
                            THEN format('CASE WHEN t.%I IS NULL THEN %L ELSE %L || t.%I END', o->>'use',
                                        format('the planned use (column %s) is NULL', o->>'use'),
                                        format('the planned use (column %s) is not a land class code: ', o->>'use'), o->>'use')
                            ELSE quote_literal(format('the planned use (column %s) is NULL', o->>'use')) END;
        col_pv := CASE WHEN o ? 'pv' THEN format('coalesce(t.%I, false)', o->>'pv') ELSE 'false' END;
        -- One statement per attached rule over the whole table.  A row the guard would refuse as
        -- uncheckable (no use, a bad geometry) is reported as such; the rest are evaluated.
        RETURN QUERY EXECUTE format(
            'SELECT %1$s, x::landpolicy.violation
             FROM %2$s t
             CROSS JOIN LATERAL (SELECT CASE WHEN %3$L AND %4$s IS NULL THEN %5$s
                                             WHEN %6$L IN (''R1.1'', ''R2.1'') AND landpolicy.lc_three_class(%4$s) IS NULL
                                             THEN ''the planned use is a first-level class that mixes 三大类''
                                             WHEN landpolicy.rule_applies(%6$L, %4$s, %7$s)
                                             THEN coalesce(landpolicy.geometry_problem(t.%8$I),
                                                           CASE WHEN ST_Dimension(t.%8$I) <> 2
                                                                THEN ''a rule checks areas, and the geometry is a '' || GeometryType(t.%8$I) END)
                                        END AS problem) p
             CROSS JOIN LATERAL unnest(
                 CASE WHEN p.problem IS NOT NULL
                      THEN ARRAY[ROW(%6$L, ''error'', %6$L || '' '' || p.problem, NULL, NULL, NULL, NULL)::landpolicy.violation]
                      -- the fast path straight away (no plpgsql call a row); evaluate() where it defers
                      ELSE coalesce(landpolicy.fast_evaluate(%6$L, t.%8$I, %4$s, coalesce(%9$s, current_date), %10$s, %11$s, %12$s, %7$s),
                                    ARRAY(SELECT e FROM landpolicy.evaluate(%6$L, t.%8$I, %4$s, %9$s, %10$s, %11$s, %12$s, %7$s) e)) END) AS x',
            CASE WHEN o ? 'key' THEN format('t.%I::text', o->>'key') ELSE 't.ctid::text' END,
            source,
            'use' = ANY (c.inputs), col_use, use_problem,
            a.rule, col_pv, o->>'geom',
            CASE WHEN o ? 'date' THEN format('t.%I::date', o->>'date') ELSE 'current_date' END,
            CASE WHEN o ? 'jurisdiction' THEN format('t.%I', o->>'jurisdiction') ELSE 'NULL::landpolicy.admincode' END,
            CASE WHEN o ? 'slope_grade' THEN format('t.%I::int4', o->>'slope_grade') ELSE 'NULL::int4' END,
            CASE WHEN o ? 'review' THEN format('t.%I IS NOT NULL', o->>'review') ELSE 'false' END);
    END LOOP;
    IF NOT found_any AND only_rule IS NULL THEN
        RAISE EXCEPTION 'no rule is attached to %', target USING ERRCODE = 'undefined_object',
            HINT = 'Attach one with landpolicy.attach(), or use landpolicy.check() for a dry run.';
    END IF;
END
$$;
COMMENT ON FUNCTION landpolicy.audit_rows(regclass, regclass, text) IS
    'internal: the rules attached to a table (or one of them) over the rows of another relation with the same columns, as audit() reports them';

CREATE FUNCTION landpolicy.audit(target regclass) RETURNS TABLE (row_key text, v landpolicy.violation)
LANGUAGE sql
SET search_path FROM CURRENT
AS $$
    SELECT * FROM landpolicy.audit_rows(target, target)
$$;
COMMENT ON FUNCTION landpolicy.audit(regclass) IS
    'the attached rules over the rows already in a table: (row key, violation), rows that cannot be checked included';
