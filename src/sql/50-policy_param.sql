-- Policy parameters: every figure a rule uses, by jurisdiction and validity window (POLICY.md).

CREATE FUNCTION landpolicy.in_extension_script() RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.in_extension_script() IS
    'true while landpolicy''s own install or upgrade script runs (shipped rows may be written only then)';

CREATE TABLE landpolicy.policy_param (
    id           bigserial PRIMARY KEY,
    key          text NOT NULL CHECK (key ~ '^[a-z0-9_]+(\.[a-z0-9_]+)+$'),
    jurisdiction landpolicy.admincode,
    valid        daterange NOT NULL DEFAULT daterange(NULL, NULL, '[)') CHECK (NOT isempty(valid)),
    value        numeric,
    value_text   text,
    unit         text NOT NULL,
    basis        text NOT NULL CHECK (basis <> ''),
    builtin      boolean NOT NULL DEFAULT false,
    note         text,
    CONSTRAINT policy_param_one_value CHECK (num_nonnulls(value, value_text) = 1)
);
CREATE INDEX policy_param_key ON landpolicy.policy_param (key, jurisdiction);
COMMENT ON TABLE landpolicy.policy_param IS
    'policy parameters: key, jurisdiction (NULL = national), validity window, value, unit and legal basis; builtin rows ship with the extension, user rows win over them';
COMMENT ON COLUMN landpolicy.policy_param.jurisdiction IS 'the division the row applies to and within; NULL = national';
COMMENT ON COLUMN landpolicy.policy_param.valid IS 'dates on which the row is in force';
COMMENT ON COLUMN landpolicy.policy_param.value IS 'numeric value (exactly one of value, value_text is set)';
COMMENT ON COLUMN landpolicy.policy_param.value_text IS 'categorical value, e.g. a region or a 三大类';
COMMENT ON COLUMN landpolicy.policy_param.builtin IS 'true for rows shipped by the extension (not dumped: CREATE EXTENSION recreates them)';

-- User rows survive pg_dump; shipped rows are recreated by CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('landpolicy.policy_param', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('landpolicy.policy_param_id_seq', '');

-- One row per key, jurisdiction and date among shipped rows, and one among user rows; shipped rows
-- are left alone so that a dump (which keeps only user rows) restores exactly what was there.
CREATE FUNCTION landpolicy.policy_param_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    clash landpolicy.policy_param;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin AND NOT landpolicy.in_extension_script() THEN
        RAISE EXCEPTION 'policy parameter % (%) is shipped with landpolicy and cannot be changed',
                OLD.key, coalesce(OLD.jurisdiction::text, 'national')
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Insert your own row for the same key, jurisdiction and dates: user rows take precedence over shipped ones.';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.builtin AND NOT landpolicy.in_extension_script() THEN
        RAISE EXCEPTION 'only the extension''s own scripts may add shipped (builtin) parameter rows'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Insert the row with builtin = false: user rows take precedence over shipped ones and survive pg_dump.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.key = 'landclass.three_class_0404' AND NEW.value_text NOT IN ('agricultural', 'unused') THEN
        RAISE EXCEPTION 'invalid value for landclass.three_class_0404: %', coalesce(NEW.value_text, NEW.value::text)
            USING ERRCODE = 'check_violation', HINT = 'Use ''agricultural'' or ''unused''.';
    END IF;
    -- Serialize writers of one key so that two concurrent inserts cannot both miss each other.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('landpolicy.policy_param:' || NEW.key));
    SELECT * INTO clash FROM landpolicy.policy_param p
     WHERE p.key = NEW.key AND p.jurisdiction IS NOT DISTINCT FROM NEW.jurisdiction
       AND p.builtin = NEW.builtin AND p.valid && NEW.valid AND p.id <> NEW.id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'policy parameter % (%) already has a row in force on part of %',
                NEW.key, coalesce(NEW.jurisdiction::text, 'national'), NEW.valid
            USING ERRCODE = 'exclusion_violation',
                  DETAIL = format('Row %s is valid %s with value %s.', clash.id, clash.valid,
                                  coalesce(clash.value::text, clash.value_text)),
                  HINT = 'Close the existing row''s window first (UPDATE its valid range), then add the new one.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION landpolicy.policy_param_guard() IS
    'trigger: refuses overlapping windows for one key and jurisdiction, and changes to shipped rows';
CREATE TRIGGER policy_param_guard BEFORE INSERT OR UPDATE OR DELETE ON landpolicy.policy_param
    FOR EACH ROW EXECUTE FUNCTION landpolicy.policy_param_guard();

CREATE FUNCTION landpolicy.param_row(key text, jurisdiction landpolicy.admincode DEFAULT NULL,
                                     at date DEFAULT current_date)
RETURNS landpolicy.policy_param
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    result landpolicy.policy_param;
BEGIN
    IF key IS NULL OR at IS NULL THEN
        RAISE EXCEPTION 'param: key and date must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO result FROM landpolicy.policy_param p
     WHERE p.key = param_row.key
       AND (p.jurisdiction IS NULL OR p.jurisdiction OPERATOR(landpolicy.@>) param_row.jurisdiction)
       AND p.valid @> param_row.at
     ORDER BY p.jurisdiction DESC NULLS LAST, p.builtin
     LIMIT 1;
    IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM landpolicy.policy_param p WHERE p.key = param_row.key) THEN
        RAISE EXCEPTION 'unknown policy parameter: "%"', key
            USING ERRCODE = 'undefined_object',
                  HINT = 'SELECT DISTINCT key FROM landpolicy.policy_param lists the known parameters.';
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION landpolicy.param_row(text, landpolicy.admincode, date) IS
    'the policy_param row in force for key at the most specific jurisdiction containing the given one (NULL row if none is in force; an error for an unknown key)';

CREATE FUNCTION landpolicy.param(key text, jurisdiction landpolicy.admincode DEFAULT NULL,
                                 at date DEFAULT current_date)
RETURNS numeric
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    r landpolicy.policy_param := landpolicy.param_row(key, jurisdiction, at);
BEGIN
    IF r.value IS NULL AND r.value_text IS NOT NULL THEN
        RAISE EXCEPTION 'policy parameter % is not numeric (its value is ''%'')', key, r.value_text
            USING ERRCODE = 'wrong_object_type', HINT = 'Use landpolicy.param_text() for it.';
    END IF;
    RETURN r.value;
END
$$;
COMMENT ON FUNCTION landpolicy.param(text, landpolicy.admincode, date) IS
    'numeric value of a policy parameter for a jurisdiction on a date (most specific jurisdiction wins; NULL when no row is in force)';

CREATE FUNCTION landpolicy.param_window(key text, jurisdiction landpolicy.admincode, at date,
                                        OUT value numeric, OUT valid daterange)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    -- every date on which a row that could answer for this key and jurisdiction starts or ends
    WITH bound AS (
        SELECT b AS d
        FROM landpolicy.policy_param p,
             LATERAL unnest(ARRAY[pg_catalog.lower(p.valid), pg_catalog.upper(p.valid)]) AS b
        WHERE p.key = param_window.key
          AND (p.jurisdiction IS NULL OR p.jurisdiction OPERATOR(landpolicy.@>) param_window.jurisdiction)
    )
    SELECT landpolicy.param(param_window.key, param_window.jurisdiction, param_window.at),
           pg_catalog.daterange((SELECT max(d) FROM bound WHERE d <= param_window.at),
                                (SELECT min(d) FROM bound WHERE d > param_window.at), '[)')
$$;
COMMENT ON FUNCTION landpolicy.param_window(text, landpolicy.admincode, date) IS
    'param(key, jurisdiction, at) and the dates around at over which that answer stays the same (no row that could answer starts or ends inside them)';

CREATE FUNCTION landpolicy.param_text(key text, jurisdiction landpolicy.admincode DEFAULT NULL,
                                      at date DEFAULT current_date)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    SELECT coalesce(r.value_text, r.value::text) FROM landpolicy.param_row(key, jurisdiction, at) r
$$;
COMMENT ON FUNCTION landpolicy.param_text(text, landpolicy.admincode, date) IS
    'value of a policy parameter as text (categorical parameters such as facility.region)';

GRANT SELECT ON landpolicy.policy_param TO PUBLIC;
