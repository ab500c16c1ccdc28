-- landpolicy install script, assembled by the Makefile from src/sql/NN-*.sql in order.
\echo Use "CREATE EXTENSION landpolicy CASCADE" to load this file. \quit

-- Only the owner writes configuration; everyone may look.
REVOKE ALL ON SCHEMA landpolicy FROM PUBLIC;
GRANT USAGE ON SCHEMA landpolicy TO PUBLIC;
-- landclass: a 三调 land-class code ('0101', '05H1', '09', '1104K', first-level '01').

CREATE TYPE landpolicy.landclass;

CREATE FUNCTION landpolicy.landclass_in(cstring) RETURNS landpolicy.landclass
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.landclass_out(landpolicy.landclass) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.landclass_recv(internal) RETURNS landpolicy.landclass
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.landclass_send(landpolicy.landclass) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE landpolicy.landclass (
    INPUT = landpolicy.landclass_in,
    OUTPUT = landpolicy.landclass_out,
    RECEIVE = landpolicy.landclass_recv,
    SEND = landpolicy.landclass_send,
    INTERNALLENGTH = 4,
    PASSEDBYVALUE,
    ALIGNMENT = int4,
    STORAGE = plain,
    CATEGORY = 'S'
);
COMMENT ON TYPE landpolicy.landclass IS
    '三调 land-class code (Third National Land Survey work classification), validated on input';
COMMENT ON FUNCTION landpolicy.landclass_in(cstring) IS 'landclass text input: a known code, blanks trimmed, letters upper-cased';
COMMENT ON FUNCTION landpolicy.landclass_out(landpolicy.landclass) IS 'landclass text output: the canonical code';
COMMENT ON FUNCTION landpolicy.landclass_recv(internal) IS 'landclass binary input (the code as text)';
COMMENT ON FUNCTION landpolicy.landclass_send(landpolicy.landclass) IS 'landclass binary output (the code as text)';

-- text and varchar columns (staging tables, ogr2ogr loads) assign to landclass columns directly.
CREATE CAST (text AS landpolicy.landclass) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS landpolicy.landclass) WITH INOUT AS ASSIGNMENT;
CREATE CAST (landpolicy.landclass AS text) WITH INOUT AS ASSIGNMENT;

CREATE FUNCTION landpolicy.landclass_eq(landpolicy.landclass, landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_ne(landpolicy.landclass, landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_lt(landpolicy.landclass, landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_le(landpolicy.landclass, landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_gt(landpolicy.landclass, landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_ge(landpolicy.landclass, landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_cmp(landpolicy.landclass, landpolicy.landclass) RETURNS int4
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_hash(landpolicy.landclass) RETURNS int4
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_hash_extended(landpolicy.landclass, int8) RETURNS int8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.landclass_within(landpolicy.landclass, landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.landclass_contains(landpolicy.landclass, landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION landpolicy.landclass_eq(landpolicy.landclass, landpolicy.landclass) IS 'landclass equality';
COMMENT ON FUNCTION landpolicy.landclass_ne(landpolicy.landclass, landpolicy.landclass) IS 'landclass inequality';
COMMENT ON FUNCTION landpolicy.landclass_lt(landpolicy.landclass, landpolicy.landclass) IS 'landclass less than (code order)';
COMMENT ON FUNCTION landpolicy.landclass_le(landpolicy.landclass, landpolicy.landclass) IS 'landclass less than or equal (code order)';
COMMENT ON FUNCTION landpolicy.landclass_gt(landpolicy.landclass, landpolicy.landclass) IS 'landclass greater than (code order)';
COMMENT ON FUNCTION landpolicy.landclass_ge(landpolicy.landclass, landpolicy.landclass) IS 'landclass greater than or equal (code order)';
COMMENT ON FUNCTION landpolicy.landclass_cmp(landpolicy.landclass, landpolicy.landclass) IS 'landclass btree comparison';
COMMENT ON FUNCTION landpolicy.landclass_hash(landpolicy.landclass) IS 'landclass hash';
COMMENT ON FUNCTION landpolicy.landclass_hash_extended(landpolicy.landclass, int8) IS 'landclass seeded 64-bit hash';
COMMENT ON FUNCTION landpolicy.landclass_within(landpolicy.landclass, landpolicy.landclass) IS
    'a <@ b: a falls within class b (its first-level class, or the base code of a suffixed code)';
COMMENT ON FUNCTION landpolicy.landclass_contains(landpolicy.landclass, landpolicy.landclass) IS 'a @> b: class a contains b';

CREATE OPERATOR landpolicy.= (
    LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass, PROCEDURE = landpolicy.landclass_eq,
    COMMUTATOR = OPERATOR(landpolicy.=), NEGATOR = OPERATOR(landpolicy.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR landpolicy.<> (
    LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass, PROCEDURE = landpolicy.landclass_ne,
    COMMUTATOR = OPERATOR(landpolicy.<>), NEGATOR = OPERATOR(landpolicy.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR landpolicy.< (
    LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass, PROCEDURE = landpolicy.landclass_lt,
    COMMUTATOR = OPERATOR(landpolicy.>), NEGATOR = OPERATOR(landpolicy.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR landpolicy.<= (
    LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass, PROCEDURE = landpolicy.landclass_le,
    COMMUTATOR = OPERATOR(landpolicy.>=), NEGATOR = OPERATOR(landpolicy.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR landpolicy.> (
    LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass, PROCEDURE = landpolicy.landclass_gt,
    COMMUTATOR = OPERATOR(landpolicy.<), NEGATOR = OPERATOR(landpolicy.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR landpolicy.>= (
    LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass, PROCEDURE = landpolicy.landclass_ge,
    COMMUTATOR = OPERATOR(landpolicy.<=), NEGATOR = OPERATOR(landpolicy.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR landpolicy.<@ (
    LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass, PROCEDURE = landpolicy.landclass_within,
    COMMUTATOR = OPERATOR(landpolicy.@>), RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR landpolicy.@> (
    LEFTARG = landpolicy.landclass, RIGHTARG = landpolicy.landclass, PROCEDURE = landpolicy.landclass_contains,
    COMMUTATOR = OPERATOR(landpolicy.<@), RESTRICT = contsel, JOIN = contjoinsel);

CREATE OPERATOR CLASS landpolicy.landclass_ops DEFAULT FOR TYPE landpolicy.landclass USING btree AS
    OPERATOR 1 landpolicy.< ,
    OPERATOR 2 landpolicy.<= ,
    OPERATOR 3 landpolicy.= ,
    OPERATOR 4 landpolicy.>= ,
    OPERATOR 5 landpolicy.> ,
    FUNCTION 1 landpolicy.landclass_cmp(landpolicy.landclass, landpolicy.landclass);
CREATE OPERATOR CLASS landpolicy.landclass_hash_ops DEFAULT FOR TYPE landpolicy.landclass USING hash AS
    OPERATOR 1 landpolicy.= ,
    FUNCTION 1 landpolicy.landclass_hash(landpolicy.landclass),
    FUNCTION 2 landpolicy.landclass_hash_extended(landpolicy.landclass, int8);

CREATE FUNCTION landpolicy.to_landclass(text) RETURNS landpolicy.landclass
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.to_landclass(text) IS
    'a code held as text (e.g. a DLBM varchar column) as a landclass, read as landclass input reads it, or NULL when it is not a land-class code';
CREATE FUNCTION landpolicy.lc_name(landpolicy.landclass) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.lc_name_en(landpolicy.landclass) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.lc_level1(landpolicy.landclass) RETURNS landpolicy.landclass
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.lc_three_class(landpolicy.landclass) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.is_cultivated(landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.is_wetland(landpolicy.landclass) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.landclass_codes() RETURNS SETOF landpolicy.landclass
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 80;

COMMENT ON FUNCTION landpolicy.lc_name(landpolicy.landclass) IS 'Chinese name of a land class (e.g. 水田)';
COMMENT ON FUNCTION landpolicy.lc_name_en(landpolicy.landclass) IS 'English name of a land class (e.g. Paddy field)';
COMMENT ON FUNCTION landpolicy.lc_level1(landpolicy.landclass) IS
    'first-level class in the 三调 work classification (wetland codes belong to 00 湿地)';
COMMENT ON FUNCTION landpolicy.lc_three_class(landpolicy.landclass) IS
    '三大类 from the reference table: agricultural, construction or unused; NULL for a first-level class that mixes them';
COMMENT ON FUNCTION landpolicy.is_cultivated(landpolicy.landclass) IS '耕地: 0101 水田, 0102 水浇地, 0103 旱地 (and 01)';
COMMENT ON FUNCTION landpolicy.is_wetland(landpolicy.landclass) IS '湿地 flag of the reference table';
COMMENT ON FUNCTION landpolicy.landclass_codes() IS 'every valid landclass code';

CREATE VIEW landpolicy.landclasses AS
    SELECT c AS code, landpolicy.lc_name(c) AS name_zh, landpolicy.lc_name_en(c) AS name_en,
           landpolicy.lc_level1(c) AS level1, landpolicy.lc_three_class(c) AS three_class,
           landpolicy.is_cultivated(c) AS is_cultivated, landpolicy.is_wetland(c) AS is_wetland
    FROM landpolicy.landclass_codes() AS c;
COMMENT ON VIEW landpolicy.landclasses IS 'the 三调 work classification: every code with names, first-level class, 三大类 and flags';
GRANT SELECT ON landpolicy.landclasses TO PUBLIC;
-- admincode: a 2/4/6/9/12-digit administrative division code (省 市 县 乡镇 村).

CREATE TYPE landpolicy.admincode;

CREATE FUNCTION landpolicy.admincode_in(cstring) RETURNS landpolicy.admincode
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.admincode_out(landpolicy.admincode) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.admincode_recv(internal) RETURNS landpolicy.admincode
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.admincode_send(landpolicy.admincode) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE landpolicy.admincode (
    INPUT = landpolicy.admincode_in,
    OUTPUT = landpolicy.admincode_out,
    RECEIVE = landpolicy.admincode_recv,
    SEND = landpolicy.admincode_send,
    INTERNALLENGTH = 8,
    PASSEDBYVALUE,
    ALIGNMENT = double,
    STORAGE = plain,
    CATEGORY = 'S'
);
COMMENT ON TYPE landpolicy.admincode IS
    'administrative division code: 2 (province), 4 (city), 6 (county), 9 (township) or 12 (village) digits';
COMMENT ON FUNCTION landpolicy.admincode_in(cstring) IS 'admincode text input: digits, trailing all-zero parts dropped';
COMMENT ON FUNCTION landpolicy.admincode_out(landpolicy.admincode) IS 'admincode text output';
COMMENT ON FUNCTION landpolicy.admincode_recv(internal) IS 'admincode binary input (the code as text)';
COMMENT ON FUNCTION landpolicy.admincode_send(landpolicy.admincode) IS 'admincode binary output (the code as text)';

CREATE CAST (text AS landpolicy.admincode) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS landpolicy.admincode) WITH INOUT AS ASSIGNMENT;
CREATE CAST (landpolicy.admincode AS text) WITH INOUT AS ASSIGNMENT;

CREATE FUNCTION landpolicy.admincode_eq(landpolicy.admincode, landpolicy.admincode) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_ne(landpolicy.admincode, landpolicy.admincode) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_lt(landpolicy.admincode, landpolicy.admincode) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_le(landpolicy.admincode, landpolicy.admincode) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_gt(landpolicy.admincode, landpolicy.admincode) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_ge(landpolicy.admincode, landpolicy.admincode) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_cmp(landpolicy.admincode, landpolicy.admincode) RETURNS int4
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_hash(landpolicy.admincode) RETURNS int4
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_hash_extended(landpolicy.admincode, int8) RETURNS int8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION landpolicy.admincode_contains(landpolicy.admincode, landpolicy.admincode) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.admincode_within(landpolicy.admincode, landpolicy.admincode) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION landpolicy.admincode_eq(landpolicy.admincode, landpolicy.admincode) IS 'admincode equality';
COMMENT ON FUNCTION landpolicy.admincode_ne(landpolicy.admincode, landpolicy.admincode) IS 'admincode inequality';
COMMENT ON FUNCTION landpolicy.admincode_lt(landpolicy.admincode, landpolicy.admincode) IS 'admincode less than (text order)';
COMMENT ON FUNCTION landpolicy.admincode_le(landpolicy.admincode, landpolicy.admincode) IS 'admincode less than or equal (text order)';
COMMENT ON FUNCTION landpolicy.admincode_gt(landpolicy.admincode, landpolicy.admincode) IS 'admincode greater than (text order)';
COMMENT ON FUNCTION landpolicy.admincode_ge(landpolicy.admincode, landpolicy.admincode) IS 'admincode greater than or equal (text order)';
COMMENT ON FUNCTION landpolicy.admincode_cmp(landpolicy.admincode, landpolicy.admincode) IS 'admincode btree comparison';
COMMENT ON FUNCTION landpolicy.admincode_hash(landpolicy.admincode) IS 'admincode hash';
COMMENT ON FUNCTION landpolicy.admincode_hash_extended(landpolicy.admincode, int8) IS 'admincode seeded 64-bit hash';
COMMENT ON FUNCTION landpolicy.admincode_contains(landpolicy.admincode, landpolicy.admincode) IS 'a @> b: division a contains (or is) b';
COMMENT ON FUNCTION landpolicy.admincode_within(landpolicy.admincode, landpolicy.admincode) IS 'a <@ b: division a lies within (or is) b';

CREATE OPERATOR landpolicy.= (
    LEFTARG = landpolicy.admincode, RIGHTARG = landpolicy.admincode, PROCEDURE = landpolicy.admincode_eq,
    COMMUTATOR = OPERATOR(landpolicy.=), NEGATOR = OPERATOR(landpolicy.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR landpolicy.<> (
    LEFTARG = landpolicy.admincode, RIGHTARG = landpolicy.admincode, PROCEDURE = landpolicy.admincode_ne,
    COMMUTATOR = OPERATOR(landpolicy.<>), NEGATOR = OPERATOR(landpolicy.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR landpolicy.< (
    LEFTARG = landpolicy.admincode, RIGHTARG = landpolicy.admincode, PROCEDURE = landpolicy.admincode_lt,
    COMMUTATOR = OPERATOR(landpolicy.>), NEGATOR = OPERATOR(landpolicy.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR landpolicy.<= (
    LEFTARG = landpolicy.admincode, RIGHTARG = landpolicy.admincode, PROCEDURE = landpolicy.admincode_le,
    COMMUTATOR = OPERATOR(landpolicy.>=), NEGATOR = OPERATOR(landpolicy.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR landpolicy.> (
    LEFTARG = landpolicy.admincode, RIGHTARG = landpolicy.admincode, PROCEDURE = landpolicy.admincode_gt,
    COMMUTATOR = OPERATOR(landpolicy.<), NEGATOR = OPERATOR(landpolicy.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR landpolicy.>= (
    LEFTARG = landpolicy.admincode, RIGHTARG = landpolicy.admincode, PROCEDURE = landpolicy.admincode_ge,
    COMMUTATOR = OPERATOR(landpolicy.<=), NEGATOR = OPERATOR(landpolicy.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR landpolicy.@> (
    LEFTARG = landpolicy.admincode, RIGHTARG = landpolicy.admincode, PROCEDURE = landpolicy.admincode_contains,
    COMMUTATOR = OPERATOR(landpolicy.<@), RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR landpolicy.<@ (
    LEFTARG = landpolicy.admincode, RIGHTARG = landpolicy.admincode, PROCEDURE = landpolicy.admincode_within,
    COMMUTATOR = OPERATOR(landpolicy.@>), RESTRICT = contsel, JOIN = contjoinsel);

CREATE OPERATOR CLASS landpolicy.admincode_ops DEFAULT FOR TYPE landpolicy.admincode USING btree AS
    OPERATOR 1 landpolicy.< ,
    OPERATOR 2 landpolicy.<= ,
    OPERATOR 3 landpolicy.= ,
    OPERATOR 4 landpolicy.>= ,
    OPERATOR 5 landpolicy.> ,
    FUNCTION 1 landpolicy.admincode_cmp(landpolicy.admincode, landpolicy.admincode);
CREATE OPERATOR CLASS landpolicy.admincode_hash_ops DEFAULT FOR TYPE landpolicy.admincode USING hash AS
    OPERATOR 1 landpolicy.= ,
    FUNCTION 1 landpolicy.admincode_hash(landpolicy.admincode),
    FUNCTION 2 landpolicy.admincode_hash_extended(landpolicy.admincode, int8);

CREATE FUNCTION landpolicy.ac_level(landpolicy.admincode) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.ac_parent(landpolicy.admincode) RETURNS landpolicy.admincode
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION landpolicy.ac_at(code landpolicy.admincode, level text) RETURNS landpolicy.admincode
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION landpolicy.ac_level(landpolicy.admincode) IS 'level of a division: province, city, county, township or village';
COMMENT ON FUNCTION landpolicy.ac_parent(landpolicy.admincode) IS 'the division one level up (NULL for a province)';
COMMENT ON FUNCTION landpolicy.ac_at(landpolicy.admincode, text) IS
    'the division at the named level (province … village, or 省 市 县 乡镇 村) containing the code';
-- Areas in square metres and mu (亩): ellipsoidal for geographic SRIDs, planar for metre projections.

CREATE FUNCTION landpolicy.srid_units(srid int4) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.srid_units(int4) IS
    '''degree'' for a geographic SRID, ''metre'' for a projected metre SRID; an error for SRID 0, unknown SRIDs or other units';

-- The area of a geometry known to be valid (areas of pieces and intersections the extension made).
CREATE FUNCTION landpolicy.measured_area(geom geometry) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    SELECT CASE landpolicy.srid_units(ST_SRID(geom))
               WHEN 'degree' THEN ST_Area(geom::geography, true)
               ELSE ST_Area(geom) END
$$;
COMMENT ON FUNCTION landpolicy.measured_area(geometry) IS
    'area in m² of a geometry known to be valid (no validity check): ellipsoidal or planar by SRID';

-- What is wrong with a geometry as an input to a measurement or a rule, or NULL when nothing is.
CREATE FUNCTION landpolicy.geometry_problem(geom geometry) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    validity valid_detail;
BEGIN
    IF geom IS NULL THEN
        RETURN 'the geometry is NULL';
    ELSIF ST_SRID(geom) = 0 THEN
        RETURN 'the geometry has no SRID (0)';
    ELSIF ST_IsEmpty(geom) THEN
        RETURN 'the geometry is empty';
    END IF;
    validity := ST_IsValidDetail(geom);
    IF NOT validity.valid THEN
        RETURN format('the geometry is not valid: %s at %s', validity.reason, ST_AsText(validity.location));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION landpolicy.geometry_problem(geometry) IS
    'why a geometry cannot be measured or checked (NULL, no SRID, empty, invalid), or NULL when it can';

CREATE FUNCTION landpolicy.area_m2(geom geometry) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    units text := landpolicy.srid_units(ST_SRID(geom));
    problem text;
BEGIN
    IF ST_IsEmpty(geom) THEN
        RETURN 0;
    END IF;
    problem := landpolicy.geometry_problem(geom);
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION '%', problem
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The area of an invalid polygon is meaningless; repair it with ST_MakeValid() first.';
    END IF;
    RETURN landpolicy.measured_area(geom);
END
$$;
COMMENT ON FUNCTION landpolicy.area_m2(geometry) IS
    'area in m²: ellipsoidal for geographic SRIDs (4490, 4326), planar for projected metre SRIDs (4513-4554); errors for SRID 0, non-metre units and invalid geometries';

CREATE FUNCTION landpolicy.area_mu(geom geometry) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$ SELECT landpolicy.area_m2(geom) * 15 / 10000 $$;
COMMENT ON FUNCTION landpolicy.area_mu(geometry) IS 'area in mu (亩): area_m2 × 0.0015 (1 亩 = 10000/15 m²)';
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
-- 60-policy_param_seed.sql — the policy parameters shipped with landpolicy.
--
-- One row per figure of POLICY.md (../shared/POLICY.md), checked against the Chinese originals in
-- ../shared/seeds/ (S0..S4). Every row here is builtin = true.
--
-- These values are data, not code. A user (a province, a city, a county, or a whole installation)
-- overrides any of them by inserting its own row with builtin = false for the same key, a more
-- specific jurisdiction and/or its own validity window; landpolicy.param() picks the most specific
-- jurisdiction whose window contains the date asked about. User rows survive pg_dump; builtin rows
-- come back with the extension. See docs/parameters.md.
--
-- Windows are half-open dateranges '[from,to)'. Lower bounds are the issue dates printed in the
-- seeds: S1 2024-08-05, S2 2023-11-14, S3 2025-06-24 (valid 5 years, to 2030-06-23 inclusive),
-- S4 2023-06-13. S0 (自然资办发〔2022〕45号) prints no issue date in the seed, only its end
-- (有效期至2025年12月31日), so its rows are open below.
--
-- Comparison words (recorded in `note`): by the usual Chinese drafting convention (cf. 民法典
-- 第一千二百五十九条) 以上 / 以下 / 以内 / 不超过 include the figure; 大于 / 超过 / 不满 exclude it.
-- A row holds the figure only; the comparison is the rule's.

INSERT INTO landpolicy.policy_param
    (key, jurisdiction, valid, value, value_text, unit, basis, builtin, note)
VALUES

-- Product defaults (not policy figures) --------------------------------------------------------

('overlap.tolerance_m2', NULL, '(,)', 1, NULL, 'm2',
 'landpolicy default: overlaps at or below this area are digitising slivers, not occupation',
 true,
 'Product default, not a policy figure. An intersection of at most this area (m²) between a parcel and a protected layer (red line, PBF, …) is treated as a digitising sliver, not an occupation.'),

('area.declared_tolerance_m2', NULL, '(,)', 1, NULL, 'm2',
 'landpolicy default (R2.4 可实测、可追溯, measured and traceable: 自然资发〔2024〕149号 (六); 福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(四)) — product default supporting MNR 2024 No.149 §(6) and Fujian Opinions §3(4)',
 true,
 'Product default, not a policy figure. A declared area may differ from the area measured from the geometry by at most this many m²; the seeds require new cultivated area to be measured (新增耕地面积应实测, 不得仅靠“图上作业”或以系数测算) but state no tolerance.'),

('landclass.three_class_0404', NULL, '(,)', NULL, 'unused', 'class',
 '第三次全国国土调查工作分类 三大类对照 (reference/landclass.csv: 0404 其他草地 → 未利用地) — Third National Land Survey work classification, three-class table (0404 Other grassland → unused)',
 true,
 'Which 三大类 0404 其他草地 (other grassland) belongs to: ''unused'' (未利用地) as in the reference table. Provinces that count it as 农用地 override with value_text ''agricultural''. Not from a seed document.'),

-- R2 永久基本农田 Permanent basic farmland --------------------------------------------------------

('pbf.adjust_cap_ratio', NULL, '[2024-08-05,)', 0.05, NULL, 'ratio',
 '自然资发〔2024〕149号 (六) — MNR 2024 No.149 §(6)',
 true,
 'R2.3. Seed: 调整规模原则上不得超过所涉乡镇永久基本农田划定面积的5% — adjustment ≤ 5 % (不得超过: the figure itself is allowed) of the township''s designated PBF area, "in principle" (原则上).'),

('pbf.adjust_cap_ratio', '35', '[2025-06-24,2030-06-24)', 0.05, NULL, 'ratio',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》二(一) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §2(1)',
 true,
 'R2.3, Fujian. Seed: 调整规模原则上不超过所涉乡镇永久基本农田划定面积的5% — ≤ 5 % of the township''s designated PBF area, "in principle". Same figure as the national row; the document is valid 5 years (本文件有效期5年).'),

('pbf.survey_outside_udb_mu', '35', '[2025-06-24,2030-06-24)', 10, NULL, 'mu',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(三) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §3(3)',
 true,
 'R2.6. Seed: 城镇开发边界外单个图斑大于10亩 — outside the UDB a single PBF parcel strictly greater than (大于, >) 10 mu to be adjusted needs a provincial on-site survey (实地踏勘论证); exactly 10 mu does not.'),

('pbf.survey_udb_plain_mu', '35', '[2025-06-24,2030-06-24)', 5, NULL, 'mu',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(三) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §3(3)',
 true,
 'R2.6. Seed: 城镇开发边界围合范围内平原地区单个图斑5亩以上 — inside the UDB, plains: a single parcel of 5 mu or more (以上 includes the figure, ≥) needs an on-site survey.'),

('pbf.survey_udb_hill_mu', '35', '[2025-06-24,2030-06-24)', 3, NULL, 'mu',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(三) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §3(3)',
 true,
 'R2.6. Seed: 山区丘陵地区单个图斑3亩以上 — inside the UDB, mountains and hills: a single parcel of 3 mu or more (以上 includes the figure, ≥) needs an on-site survey.'),

('pbf.transitional_provincial_approval', NULL, '[,2024-01-02)', 1, NULL, 'bool',
 '自然资办发〔2022〕45号 四; 《乡村振兴用地政策指南(2023年)》第二十四条 — MNR General Office 2022 No.45 §4; Rural Revitalisation Land Policy Guide (2023), art. 24',
 true,
 'R2.1 transitional measure. Seed: 2024年1月2日前 … 确实难以避让永久基本农田的, 可纳入重大建设项目范围, 由省级自然资源主管部门办理用地预审 — before 2024-01-02 (so through 2024-01-01 inclusive) infrastructure, relocation (易地扶贫搬迁, S0 only) and livelihood projects below provincial level in former deeply poor / contiguous poor areas / key poverty counties could be treated as major projects with provincial pre-approval. 1 = allowed; no row (NULL) from 2024-01-02.'),

-- R3 耕地 Cultivated land ---------------------------------------------------------------------

('cultivated.max_slope_deg', NULL, '[2023-06-13,)', 25, NULL, 'degree',
 '自然资发〔2023〕90号 四 — MNR 2023 No.90 §4',
 true,
 'R3.3. Seed: 禁止在25度以上陡坡地…开垦耕地 — no cultivated-land creation on slopes of 25° and above. By the drafting convention 以上 includes the figure (≥ 25°); POLICY.md R3.3 reads it as > 25° (slope grade 5). The rule decides the comparison.'),

('cultivated.water_source_max_slope_deg', NULL, '[2023-06-13,)', 15, NULL, 'degree',
 '自然资发〔2023〕90号 四 — MNR 2023 No.90 §4',
 true,
 'R3.3. Seed: 禁止在…重要水源地15度以上坡地开垦耕地 — none in important water-source areas on slopes of 15° and above (以上: ≥ 15° by the drafting convention; POLICY.md says > 15°).'),

('cultivated.review_slope_deg', NULL, '[2023-06-13,)', 15, NULL, 'degree',
 '自然资发〔2023〕90号 四 — MNR 2023 No.90 §4',
 true,
 'R3.3. Seed: 对于坡度大于15度的区域, 原则上不得新立项实施补充耕地项目 … 应经县级论证评估、省级复核认定 — slopes strictly greater than (大于, >) 15°: no new supplementary-cultivated-land project in principle; only after county evaluation and provincial review.'),

-- R4 建设用地 Construction land ---------------------------------------------------------------

('construction.poverty_quota_mu', NULL, '[,2026-01-01)', 600, NULL, 'mu',
 '自然资办发〔2022〕45号 二; 《乡村振兴用地政策指南(2023年)》第七条 — MNR General Office 2022 No.45 §2; Rural Revitalisation Land Policy Guide (2023), art. 7',
 true,
 'R4.2. Seed: 每个脱贫县每年安排新增建设用地计划指标600亩, 专项用于巩固拓展脱贫攻坚成果和乡村振兴用地需要, 不得挪用 — 600 mu of new construction-land plan quota per poverty-alleviated county per year, earmarked. End date from S0 (有效期至2025年12月31日); S2 art. 7 repeats the figure without an end date. S0''s issue date is not in the seed, so the window is open below.'),

('construction.rural_share_county_min', NULL, '[2023-11-14,)', 0.10, NULL, 'ratio',
 '《乡村振兴用地政策指南(2023年)》第七条 — Rural Revitalisation Land Policy Guide (2023), art. 7',
 true,
 'R4.3. Seed: 新编县乡级国土空间规划应安排不少于10%的建设用地指标, 重点保障乡村产业发展用地 — newly compiled county/township spatial plans reserve at least (不少于, ≥) 10 % of construction-land indicators for rural industry.'),

('construction.rural_share_province_min', NULL, '[2023-11-14,)', 0.05, NULL, 'ratio',
 '《乡村振兴用地政策指南(2023年)》第七条 — Rural Revitalisation Land Policy Guide (2023), art. 7',
 true,
 'R4.3. Seed: 省级制定土地利用年度计划时, 应安排至少5%新增建设用地指标保障乡村重点产业和项目用地 — provincial annual plans reserve at least (至少, ≥) 5 % of new construction-land indicators for key rural industries and projects.'),

('udb.reserve_min_2026_2030', NULL, '[2023-06-13,2031-01-01)', 0.35, NULL, 'ratio',
 '自然资发〔2023〕90号 七 — MNR 2023 No.90 §7',
 true,
 'R4.5. Seed: 在城镇开发边界内的增量空间使用上, 为“十五五”“十六五”期间至少留下35%、25%的增量空间 — at least (至少, ≥) 35 % of the UDB''s incremental space left for the 15th five-year plan (2026–2030). The window runs from the notice (2023-06-13), when the duty to leave the reserve begins, to the end of the period it is for.'),

('udb.reserve_min_2031_2035', NULL, '[2023-06-13,2036-01-01)', 0.25, NULL, 'ratio',
 '自然资发〔2023〕90号 七 — MNR 2023 No.90 §7',
 true,
 'R4.5. Seed: 为“十五五”“十六五”期间至少留下35%、25%的增量空间 — at least (≥) 25 % of the UDB''s incremental space left for the 16th five-year plan (2031–2035). The window runs from the notice (2023-06-13) to the end of the period the reserve is for.'),

('udb.year_min_of_average', NULL, '[2023-06-13,)', 0.80, NULL, 'ratio',
 '自然资发〔2023〕90号 七 — MNR 2023 No.90 §7',
 true,
 'R4.5. Seed: 在年度增量空间使用规模上, 至少为每年保留五年平均规模的80%, 其余可以用于年度间调剂, 但不得突破分阶段控制总量 — each year keeps at least (至少, ≥) 80 % of the five-year average; the rest may move between years within the phase total.'),

-- R5 宅基地 Rural homesteads ------------------------------------------------------------------

('homestead.max_area_m2', '35', '(,)', 120, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第二十九条 (面积不得超过本省、自治区、直辖市规定的标准) — Rural Revitalisation Land Policy Guide (2023), art. 29 (area no more than the provincial standard); the figure itself is not in any seed',
 true,
 'EXAMPLE DATA: replace with the provincial standard. R5.1: S2 art. 29 defers the area to the province; no seed states Fujian''s standard. Not to be enforced as law until a user row with the real figure and its basis replaces it.'),

-- R6 设施农业用地 Agricultural facility land --------------------------------------------------

('facility.guard_house_south_m2', NULL, '[2023-11-14,)', 15, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 南方地区控制在“单层、15平方米以内” — southern regions: single storey, within (以内, ≤) 15 m². S2 quotes 自然资规〔2019〕4号 (the 大棚房 rectification standard).'),

('facility.guard_house_north_m2', NULL, '[2023-11-14,)', 22.5, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 北方地区控制在“单层、22.5平方米以内” — northern regions: single storey, ≤ 22.5 m².'),

('facility.guard_house_severe_cold_m2', NULL, '[2023-11-14,)', 30, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 其中严寒地区控制在“单层、30平方米以内” — severe-cold regions (a subset of the north, 其中): single storey, ≤ 30 m².'),

('facility.guard_house_greenhouse_m2', NULL, '[2023-11-14,)', 40, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 占地面积超过2亩的农业大棚, 其看护房控制在“单层、40平方米以内” — guard house of a greenhouse over 2 mu: single storey, ≤ 40 m².'),

('facility.greenhouse_threshold_mu', NULL, '[2023-11-14,)', 2, NULL, 'mu',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 占地面积超过2亩的农业大棚 — the 40 m² limit applies to greenhouses strictly over (超过, >) 2 mu; a 2 mu greenhouse takes the regional limit.'),

('facility.region', '35', '(,)', NULL, 'south', 'region',
 '《乡村振兴用地政策指南(2023年)》第三十四条 (南方地区/北方地区/严寒地区) — Rural Revitalisation Land Policy Guide (2023), art. 34 (south / north / severe-cold regions); the assignment of Fujian is a landpolicy assumption',
 true,
 'Example/assumption: Fujian is a southern province. S2 art. 34 names the regions but lists no provinces; value_text is one of ''south'', ''north'', ''severe_cold''. Other provinces add their own rows.'),

-- R7 临时用地 Temporary land ------------------------------------------------------------------

('temporary.max_years', NULL, '[2023-11-14,)', 2, NULL, 'year',
 '《乡村振兴用地政策指南(2023年)》第十七条 — Rural Revitalisation Land Policy Guide (2023), art. 17',
 true,
 'R7.1. Seed: 期限一般不超过二年 — term generally (一般) no more than (不超过, ≤) 2 years.'),

('temporary.max_years_infrastructure', NULL, '[2023-11-14,)', 4, NULL, 'year',
 '《乡村振兴用地政策指南(2023年)》第十七条 — Rural Revitalisation Land Policy Guide (2023), art. 17',
 true,
 'R7.1. Seed: 建设周期较长的能源、交通、水利等基础设施建设使用的临时用地, 期限不超过四年 — long-build energy, transport and water infrastructure: ≤ 4 years.'),

('temporary.reclaim_years', NULL, '[2023-11-14,)', 1, NULL, 'year',
 '《乡村振兴用地政策指南(2023年)》第十七条 — Rural Revitalisation Land Policy Guide (2023), art. 17',
 true,
 'R7.1. Seed: 土地使用者应当自临时用地期满之日起一年内完成土地复垦 … 其中占用耕地的应当恢复种植条件 — reclamation completed within (内, ≤) 1 year from expiry; cultivated land restored to a plantable state.'),

-- R8 全域土地综合整治 Land remediation -------------------------------------------------------

('remediation.completion_years', '35', '[2025-06-24,2030-06-24)', 3, NULL, 'year',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(四) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §3(4)',
 true,
 'R8.2, Fujian. Seed: 乡镇人民政府或有关单位按照批准的方案组织实施, 原则上三年内要竣工 — completion within (内, ≤) 3 years, "in principle" (原则上). The seed does not say from when the 3 years run (presumably the plan''s approval).');
-- 三大类 as a jurisdiction counts it: 0404 其他草地 is 未利用地 in the reference table, 农用地 in some provinces.

CREATE FUNCTION landpolicy.lc_three_class(lc landpolicy.landclass, jurisdiction landpolicy.admincode,
                                          at date DEFAULT current_date)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    SELECT CASE
        WHEN lc OPERATOR(landpolicy.=) '0404'
            THEN landpolicy.param_text('landclass.three_class_0404', jurisdiction, coalesce(at, current_date))
        WHEN lc OPERATOR(landpolicy.=) '04'
             AND landpolicy.param_text('landclass.three_class_0404', jurisdiction, coalesce(at, current_date)) = 'agricultural'
            THEN 'agricultural'
        ELSE landpolicy.lc_three_class(lc)
    END
$$;
COMMENT ON FUNCTION landpolicy.lc_three_class(landpolicy.landclass, landpolicy.admincode, date) IS
    '三大类 of a land class as counted in a jurisdiction on a date: 0404 follows the parameter landclass.three_class_0404';
-- Column lookups shared by register_layer() and attach(): each names what it was looking for.

CREATE FUNCTION landpolicy.column_of_type(tbl regclass, col name, allowed text[], what text) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    typ text;
BEGIN
    SELECT t.typname INTO typ
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % has no column "%" (option "%")', tbl, col, what
            USING ERRCODE = 'undefined_column';
    END IF;
    typ := format_type((SELECT a.atttypid FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = col), NULL);
    typ := regexp_replace(regexp_replace(typ, '^.*\.', ''), '\(.*\)$', '');
    IF allowed IS NOT NULL AND typ <> ALL (allowed) THEN
        RAISE EXCEPTION 'column %.% has type %, which cannot serve as "%"', tbl, col, typ, what
            USING ERRCODE = 'datatype_mismatch',
                  HINT = 'Usable types: ' || array_to_string(allowed, ', ') || '.';
    END IF;
    RETURN typ;
END
$$;
COMMENT ON FUNCTION landpolicy.column_of_type(regclass, name, text[], text) IS
    'the type of tbl.col, or an error naming the option when the column is missing or of an unusable type';

CREATE FUNCTION landpolicy.sole_column(tbl regclass, typ text, what text) RETURNS name
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    cols name[];
BEGIN
    SELECT array_agg(a.attname ORDER BY a.attnum) INTO cols
      FROM pg_attribute a
     WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
       AND regexp_replace(format_type(a.atttypid, NULL), '^.*\.', '') = typ;
    IF cardinality(cols) = 1 THEN
        RETURN cols[1];
    END IF;
    RAISE EXCEPTION 'table % has % % columns: name the one to use', tbl, coalesce(cardinality(cols), 0), typ
        USING ERRCODE = 'invalid_parameter_value', HINT = format('Add {"%s": "column"} to the options.', what);
END
$$;
COMMENT ON FUNCTION landpolicy.sole_column(regclass, text, text) IS 'the only column of a type in a table, or an error asking to name one';

CREATE FUNCTION landpolicy.primary_key_column(tbl regclass) RETURNS name
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    cols name[];
BEGIN
    SELECT array_agg(a.attname) INTO cols
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = tbl AND i.indisprimary;
    IF cardinality(cols) = 1 THEN
        RETURN cols[1];
    END IF;
    RAISE EXCEPTION 'table % has no single-column primary key to identify its rows', tbl
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Name a unique column: {"key": "column"}.';
END
$$;
COMMENT ON FUNCTION landpolicy.primary_key_column(regclass) IS 'the single primary-key column of a table, or an error';
CREATE FUNCTION landpolicy.notify_change(rel regclass) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT VOLATILE;
REVOKE ALL ON FUNCTION landpolicy.notify_change(regclass) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.notify_change(regclass) IS
    'tell every backend, at commit, that a relation the guards cache changed (layer pieces, parameters, exemptions)';

-- Reference layers: user tables of polygons kept query-ready (made valid, subdivided, GiST-indexed)
-- in landpolicy.layer_piece, in step with their source through statement triggers.

CREATE TABLE landpolicy.layer (
    kind            text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
    source          regclass NOT NULL,
    geom_column     name NOT NULL,
    key_column      name NOT NULL,
    township_column name,
    slope_column    name,
    class_column    name,
    classes         landpolicy.landclass[],
    srid            int4 NOT NULL,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    registered_by   name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE landpolicy.layer IS 'registered reference layers: which user table backs each kind, and how';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.layer', '');

-- Query-ready pieces of every layer, one list partition per kind (created by register_layer).
CREATE TABLE landpolicy.layer_piece (
    kind        text NOT NULL,
    source_key  text NOT NULL,
    township    landpolicy.admincode,
    slope_grade int4,
    geom        geometry NOT NULL
) PARTITION BY LIST (kind);
-- Indexes are made per partition by register_layer(), not on the parent: a partition (not an
-- extension member) is dumped with its indexes, and a parent index would make them twice on restore.
COMMENT ON TABLE landpolicy.layer_piece IS
    'reference layers made valid and subdivided (at most 128 vertices a piece), GiST-indexed; maintained by triggers on the source tables';

CREATE FUNCTION landpolicy.layer_srid(kind text) RETURNS int4
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    result int4;
BEGIN
    SELECT l.srid INTO result FROM landpolicy.layer l
     WHERE l.kind = layer_srid.kind AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = l.source);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'reference layer "%" is not registered', kind
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'A rule that needs a missing layer fails closed: nothing is checked against it, so nothing passes.',
                  HINT = format('Register it: SELECT landpolicy.register_layer(%L, ''your_table'');', kind);
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION landpolicy.layer_srid(text) IS 'SRID of a registered layer; an error naming the layer when it is not registered';

-- The pieces of some source rows: valid polygons, subdivided.
CREATE FUNCTION landpolicy.layer_pieces_sql(l landpolicy.layer, rows_sql text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    SELECT format(
        'INSERT INTO landpolicy.layer_piece (kind, source_key, township, slope_grade, geom)
         SELECT %L, s.k, s.t, s.g, ST_Subdivide(ST_CollectionExtract(ST_MakeValid(ST_Transform(s.geom, %s)), 3), 128)
         FROM (SELECT r.%I::text AS k, %s AS t, %s AS g, r.%I AS geom FROM %s r WHERE r.%I IS NOT NULL %s) s',
        l.kind, l.srid, l.key_column,
        CASE WHEN l.township_column IS NULL THEN 'NULL::landpolicy.admincode'
             ELSE format('r.%I::landpolicy.admincode', l.township_column) END,
        CASE WHEN l.slope_column IS NULL THEN 'NULL::int4' ELSE format('r.%I::int4', l.slope_column) END,
        l.geom_column, rows_sql, l.geom_column,
        CASE WHEN l.class_column IS NULL THEN ''
             ELSE format('AND EXISTS (SELECT 1 FROM unnest(%L::landpolicy.landclass[]) c WHERE r.%I::landpolicy.landclass OPERATOR(landpolicy.<@) c)',
                         l.classes, l.class_column) END)
$$;

-- Statement trigger on a source table: replace the pieces of the rows the statement touched.
CREATE FUNCTION landpolicy.layer_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
BEGIN
    SELECT * INTO l FROM landpolicy.layer WHERE kind = TG_ARGV[0];
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM landpolicy.layer_piece WHERE kind = l.kind;
        PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || l.kind)::regclass);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('DELETE FROM landpolicy.layer_piece WHERE kind = $1 AND source_key IN (SELECT o.%I::text FROM old_rows o)',
                       l.key_column) USING l.kind;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        EXECUTE landpolicy.layer_pieces_sql(l, 'new_rows');
    END IF;
    -- every backend's cached copy of the layer is stale from this commit on
    PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || l.kind)::regclass);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.layer_sync() FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.layer_sync() IS 'trigger on a layer''s source table: keeps landpolicy.layer_piece in step';

CREATE FUNCTION landpolicy.register_layer(kind text, source regclass, options jsonb DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
    known_options text[] := ARRAY['geom', 'key', 'township', 'slope_grade', 'class_column', 'classes'];
    bad text;
    srids int4[];
    trig text := 'landpolicy_layer_' || kind;
BEGIN
    IF kind IS NULL OR kind !~ '^[a-z][a-z0-9_]{0,39}$' THEN
        RAISE EXCEPTION 'invalid layer kind: "%"', kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A kind is lower-case letters, digits and _ (eco_redline, eco_core, pbf, udb, forest, wetland, water_area, water_source, cultivated, slope, or your own).';
    END IF;
    IF source IS NULL THEN
        RAISE EXCEPTION 'register_layer: source table must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = source), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table % to register it as a layer', source USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM landpolicy.layer x WHERE x.kind = register_layer.kind) THEN
        RAISE EXCEPTION 'reference layer "%" is already registered (source %)', kind,
                (SELECT x.source FROM landpolicy.layer x WHERE x.kind = register_layer.kind)
            USING ERRCODE = 'duplicate_object', HINT = format('Unregister it first: SELECT landpolicy.unregister_layer(%L);', kind);
    END IF;
    SELECT k INTO bad FROM jsonb_object_keys(coalesce(options, '{}')) k WHERE k <> ALL (known_options) LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown register_layer option "%"', bad
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Options are ' || array_to_string(known_options, ', ') || '.';
    END IF;

    l.kind := kind;
    l.source := source;
    l.geom_column := coalesce(options->>'geom', landpolicy.sole_column(source, 'geometry', 'geom'));
    l.key_column := coalesce(options->>'key', landpolicy.primary_key_column(source));
    l.township_column := options->>'township';
    l.slope_column := options->>'slope_grade';
    l.class_column := options->>'class_column';
    PERFORM landpolicy.column_of_type(source, l.geom_column, ARRAY['geometry'], 'geom');
    PERFORM landpolicy.column_of_type(source, l.key_column, NULL, 'key');
    IF l.township_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.township_column, ARRAY['admincode', 'text', 'character varying', 'character'], 'township');
    END IF;
    IF kind = 'slope' AND l.slope_column IS NULL THEN
        RAISE EXCEPTION 'a slope layer needs its slope-grade column' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Name it in the options: {"slope_grade": "pdjb"} (GDPDJB grade 1-5).';
    END IF;
    IF l.slope_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.slope_column, ARRAY['smallint', 'integer', 'bigint', 'numeric', 'text', 'character varying', 'character'], 'slope_grade');
    END IF;
    IF l.class_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.class_column, ARRAY['landclass', 'text', 'character varying', 'character'], 'class_column');
        l.classes := coalesce((SELECT array_agg(c::landpolicy.landclass) FROM jsonb_array_elements_text(options->'classes') c),
                              CASE WHEN kind = 'cultivated' THEN ARRAY['01']::landpolicy.landclass[] END);
        IF l.classes IS NULL THEN
            RAISE EXCEPTION 'option class_column needs the classes that belong to the layer'
                USING ERRCODE = 'invalid_parameter_value', HINT = 'For example {"class_column": "dlbm", "classes": ["0301", "0302"]}.';
        END IF;
    END IF;

    -- The layer's SRID: the column's, or the one SRID its rows share.
    SELECT gc.srid INTO l.srid FROM geometry_columns gc
     WHERE (quote_ident(gc.f_table_schema) || '.' || quote_ident(gc.f_table_name))::regclass = source
       AND gc.f_geometry_column = l.geom_column;
    IF coalesce(l.srid, 0) = 0 THEN
        EXECUTE format('SELECT array_agg(DISTINCT ST_SRID(%I)) FROM %s', l.geom_column, source) INTO srids;
        IF cardinality(srids) > 1 OR 0 = ANY (srids) THEN
            RAISE EXCEPTION 'layer source %.% has no single SRID (found %)', source, l.geom_column, srids
                USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the column a type with an SRID, e.g. geometry(MultiPolygon, 4528).';
        END IF;
        l.srid := coalesce(srids[1], 0);
        IF l.srid = 0 THEN
            RAISE EXCEPTION 'layer source %.% is empty and its column has no SRID', source, l.geom_column
                USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the column a type with an SRID, e.g. geometry(MultiPolygon, 4528).';
        END IF;
    END IF;
    PERFORM landpolicy.srid_units(l.srid);

    l.registered_at := now();
    l.registered_by := current_user;
    EXECUTE format('CREATE TABLE landpolicy.%I PARTITION OF landpolicy.layer_piece FOR VALUES IN (%L)', 'layer_piece_' || kind, kind);
    EXECUTE format('CREATE INDEX %I ON landpolicy.%I USING gist (geom)', 'layer_piece_' || kind || '_geom', 'layer_piece_' || kind);
    EXECUTE format('CREATE INDEX %I ON landpolicy.%I (source_key)', 'layer_piece_' || kind || '_key', 'layer_piece_' || kind);
    EXECUTE landpolicy.layer_pieces_sql(l, source::text);
    EXECUTE format('ANALYZE landpolicy.%I', 'layer_piece_' || kind);

    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_ins', source, kind);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_upd', source, kind);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_del', source, kind);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_trunc', source, kind);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I',
                   source, trig || '_ins', trig || '_upd', trig || '_del', trig || '_trunc');
    -- recorded last: from here on the triggers are guarded against being dropped or disabled
    INSERT INTO landpolicy.layer VALUES (l.*);
END
$$;
COMMENT ON FUNCTION landpolicy.register_layer(text, regclass, jsonb) IS
    'register a user table of polygons as a reference layer (options: geom, key, township, slope_grade, class_column, classes)';

CREATE FUNCTION landpolicy.unregister_layer(kind text) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
    trig text := 'landpolicy_layer_' || kind;
    op text;
BEGIN
    SELECT * INTO l FROM landpolicy.layer x WHERE x.kind = unregister_layer.kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'reference layer "%" is not registered', kind USING ERRCODE = 'undefined_object';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = l.source) AND NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = l.source), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table % to unregister its layer', l.source USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- forget the layer first: its triggers are then no longer guarded against being dropped
    DELETE FROM landpolicy.layer x WHERE x.kind = unregister_layer.kind;
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = l.source) THEN
        FOREACH op IN ARRAY ARRAY['_ins', '_upd', '_del', '_trunc'] LOOP
            IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = l.source AND tgname = trig || op) THEN
                EXECUTE format('DROP TRIGGER %I ON %s', trig || op, l.source);
            END IF;
        END LOOP;
    END IF;
    EXECUTE format('DROP TABLE landpolicy.%I', 'layer_piece_' || kind);
END
$$;
COMMENT ON FUNCTION landpolicy.unregister_layer(text) IS
    'drop a reference layer: its pieces and its triggers (rules that need it then fail closed)';

CREATE VIEW landpolicy.layers AS
    SELECT l.kind, l.source, l.geom_column, l.key_column, l.township_column, l.slope_column, l.class_column,
           l.classes, l.srid,
           (SELECT count(DISTINCT p.source_key) FROM landpolicy.layer_piece p WHERE p.kind = l.kind) AS features,
           (SELECT count(*) FROM landpolicy.layer_piece p WHERE p.kind = l.kind) AS pieces,
           l.registered_at, l.registered_by
    FROM landpolicy.layer l;
COMMENT ON VIEW landpolicy.layers IS 'registered reference layers with their feature and piece counts';
-- The pieces are copies of the source geometries (often restricted data): not readable by PUBLIC.
-- Guards read them as the extension owner; the layers view shows counts only.
GRANT SELECT ON landpolicy.layers, landpolicy.layer TO PUBLIC;
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

CREATE FUNCTION landpolicy.evaluate(rule text, geom geometry, use landpolicy.landclass, at date,
                                    jurisdiction landpolicy.admincode, slope_grade int4, has_review bool, is_pv bool)
RETURNS SETOF landpolicy.violation
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    f landpolicy.facts;
BEGIN
    IF NOT landpolicy.rule_applies(rule, use, is_pv) THEN
        RETURN;
    END IF;
    f := landpolicy.facts(rule, geom, coalesce(at, current_date), jurisdiction, use, is_pv);
    RETURN QUERY SELECT * FROM landpolicy.rule_judge(rule, use, is_pv, slope_grade, has_review,
                                                     f.tolerance_m2, f.params, f.measurements);
END
$$;
COMMENT ON FUNCTION landpolicy.evaluate(text, geometry, landpolicy.landclass, date, landpolicy.admincode, int4, bool, bool) IS
    'the violations one row would raise under one rule: the evaluation shared by guards, check() and audit()';

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
                      ELSE ARRAY(SELECT e FROM landpolicy.evaluate(%6$L, t.%8$I, %4$s, %9$s, %10$s, %11$s, %12$s, %7$s) e) END) AS x',
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
-- 进出平衡 and 占补平衡 as aggregates: parallel safe, with a combine function and a float8[] state.

CREATE TYPE landpolicy.balance AS (
    out_m2       float8,
    in_m2        float8,
    net_m2       float8,
    out_mu       float8,
    in_mu        float8,
    out_grade    float8,
    in_grade     float8,
    paddy_out_m2 float8,
    paddy_in_m2  float8,
    quantity_ok  boolean,
    quality_ok   boolean,
    balanced     boolean
);
COMMENT ON TYPE landpolicy.balance IS
    'a balance: cultivated land out and in (m², mu), area-weighted grades (1 best), paddy out and in, and whether quantity, quality and both hold';

CREATE FUNCTION landpolicy.inout_balance_accum(float8[], landpolicy.landclass, landpolicy.landclass, float8, int4)
RETURNS float8[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.inout_balance_accum(float8[], landpolicy.landclass, landpolicy.landclass, float8, int4) IS
    '进出平衡 transition: out = 耕地 → other agricultural land, in = the reverse';
CREATE FUNCTION landpolicy.occupy_balance_accum(float8[], landpolicy.landclass, landpolicy.landclass, float8, int4)
RETURNS float8[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.occupy_balance_accum(float8[], landpolicy.landclass, landpolicy.landclass, float8, int4) IS
    '占补平衡 transition: out = 耕地 → construction land, in = construction or unused land → 耕地';
CREATE FUNCTION landpolicy.balance_combine(float8[], float8[]) RETURNS float8[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.balance_combine(float8[], float8[]) IS 'combine two partial balance states';
CREATE FUNCTION landpolicy.balance_final(float8[]) RETURNS landpolicy.balance
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.balance_final(float8[]) IS 'a balance from its state';
CREATE FUNCTION landpolicy.balance_direction(balance text, from_class landpolicy.landclass, to_class landpolicy.landclass)
RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.balance_direction(text, landpolicy.landclass, landpolicy.landclass) IS
    'how a balance (''inout'' 进出平衡 or ''occupy'' 占补平衡) counts a change: out, in or neither';

CREATE AGGREGATE landpolicy.inout_balance(from_class landpolicy.landclass, to_class landpolicy.landclass,
                                          area_m2 float8, grade int4) (
    SFUNC = landpolicy.inout_balance_accum,
    STYPE = float8[],
    INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = landpolicy.balance_combine,
    FINALFUNC = landpolicy.balance_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE landpolicy.inout_balance(landpolicy.landclass, landpolicy.landclass, float8, int4) IS
    '进出平衡 (enter–exit balance, R3.2): cultivated land turned into other agricultural land against the reverse';

CREATE AGGREGATE landpolicy.occupy_balance(from_class landpolicy.landclass, to_class landpolicy.landclass,
                                           area_m2 float8, grade int4) (
    SFUNC = landpolicy.occupy_balance_accum,
    STYPE = float8[],
    INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = landpolicy.balance_combine,
    FINALFUNC = landpolicy.balance_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE landpolicy.occupy_balance(landpolicy.landclass, landpolicy.landclass, float8, int4) IS
    '占补平衡 (occupation–compensation balance, R3.1): cultivated land occupied by construction against land made cultivated';
-- The land-class change log: attached to a parcel table (attach(t, 'change_log', …)), it records
-- every change of class as (parcel, admin code, from, to, area, grades, date) in an append-only
-- table.  An UPDATE of the class logs the changed area; a split or merge (parents deleted and
-- children inserted in one transaction, matched by a mapped parent-key column or by overlap) logs
-- the class change of each part, settled at commit by a deferred trigger.

CREATE TABLE landpolicy.change_log (
    id           bigserial PRIMARY KEY,
    target       regclass NOT NULL,
    parcel_key   text NOT NULL,
    parent_key   text,
    admin        landpolicy.admincode,
    from_class   landpolicy.landclass NOT NULL,
    to_class     landpolicy.landclass NOT NULL,
    area_m2      float8 NOT NULL CHECK (area_m2 >= 0),
    grade_before int4 CHECK (grade_before BETWEEN 1 AND 15),
    grade_after  int4 CHECK (grade_after BETWEEN 1 AND 15),
    changed_on   date NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('update', 'split', 'merge', 'reshape')),
    geom         geometry,
    by_role      name NOT NULL,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_log_admin ON landpolicy.change_log (admin, changed_on);
CREATE INDEX change_log_geom ON landpolicy.change_log USING gist (geom);
COMMENT ON TABLE landpolicy.change_log IS
    'append-only log of land-class changes recorded by the change_log rule: parcel, admin code, from, to, area, grades, date, part geometry';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.change_log', '');
SELECT pg_catalog.pg_extension_config_dump('landpolicy.change_log_id_seq', '');
GRANT SELECT ON landpolicy.change_log TO PUBLIC;

CREATE FUNCTION landpolicy.change_log_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    RAISE EXCEPTION 'landpolicy.change_log is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Record a correcting change in the parcel table instead; the log keeps what happened.';
END
$$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON landpolicy.change_log
    FOR EACH ROW EXECUTE FUNCTION landpolicy.change_log_append_only();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON landpolicy.change_log
    FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.change_log_append_only();
-- session_replication_role = replica must not open the log either
ALTER TABLE landpolicy.change_log ENABLE ALWAYS TRIGGER change_log_append_only, ENABLE ALWAYS TRIGGER change_log_no_truncate;

-- Deleted parents and inserted children of the running transaction, waiting for the commit.
CREATE TABLE landpolicy.change_pending (
    txid       xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    target     regclass NOT NULL,
    op         char(1) NOT NULL CHECK (op IN ('D', 'I')),
    row_key    text NOT NULL,
    parent_key text,
    admin      landpolicy.admincode,
    class      landpolicy.landclass,
    grade      int4,
    changed_on date,
    geom       geometry
);
CREATE INDEX change_pending_tx ON landpolicy.change_pending (txid, target);
COMMENT ON TABLE landpolicy.change_pending IS 'splits and merges of open transactions, matched at commit';

-- Called by the guard trigger for each row change of a table the change_log rule is attached to.
CREATE FUNCTION landpolicy.change_log_record(target regclass, row_key text, options jsonb,
                                             old_row jsonb, old_geom geometry, new_row jsonb, new_geom geometry,
                                             by_role name)
RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    r jsonb := coalesce(new_row, old_row);
    g geometry := coalesce(new_geom, old_geom);
    cls landpolicy.landclass := landpolicy.input(r, options, 'class');
    changed date := coalesce(landpolicy.input(r, options, 'date')::date, current_date);
    part geometry;
BEGIN
    IF cls IS NULL THEN
        RAISE EXCEPTION 'the change log needs the land class of parcel %, and it is NULL', row_key
            USING ERRCODE = 'not_null_violation';
    END IF;
    PERFORM landpolicy.checked_geometry(g);
    IF old_row IS NOT NULL AND new_row IS NOT NULL THEN
        -- an UPDATE: a change of class is logged over the area that kept its place
        IF landpolicy.input(old_row, options, 'class')::landpolicy.landclass OPERATOR(landpolicy.=) cls THEN
            RETURN;
        END IF;
        part := CASE WHEN ST_Equals(old_geom, new_geom) THEN new_geom
                     ELSE ST_CollectionExtract(ST_Intersection(old_geom, new_geom), 3) END;
        -- a parcel redrawn elsewhere changed no land's class where it was: nothing to log
        IF ST_IsEmpty(part) OR landpolicy.measured_area(part) = 0 THEN
            RETURN;
        END IF;
        INSERT INTO landpolicy.change_log (target, parcel_key, admin, from_class, to_class, area_m2,
                                           grade_before, grade_after, changed_on, kind, geom, by_role)
        VALUES (target, row_key, landpolicy.input(new_row, options, 'admin')::landpolicy.admincode,
                landpolicy.input(old_row, options, 'class')::landpolicy.landclass, cls,
                landpolicy.measured_area(part),
                landpolicy.quality_grade(landpolicy.input(old_row, options, 'grade'), 'change_log', false),
                landpolicy.quality_grade(landpolicy.input(new_row, options, 'grade'), 'change_log', false),
                changed, 'update', part, by_role);
        RETURN;
    END IF;
    INSERT INTO landpolicy.change_pending (target, op, row_key, parent_key, admin, class, grade, changed_on, geom)
    VALUES (target, CASE WHEN new_row IS NULL THEN 'D' ELSE 'I' END, row_key,
            landpolicy.input(r, options, 'parent'), landpolicy.input(r, options, 'admin')::landpolicy.admincode,
            cls, landpolicy.quality_grade(landpolicy.input(r, options, 'grade'), 'change_log', false), changed, g);
END
$$;
COMMENT ON FUNCTION landpolicy.change_log_record(regclass, text, jsonb, jsonb, geometry, jsonb, geometry, name) IS
    'record one row change for the change log: class updates at once, deletes and inserts at commit';

-- Deferred constraint trigger: at commit, match the transaction's deleted parents with its inserted
-- children and log the class change of each part.  The first firing does the work.
CREATE FUNCTION landpolicy.change_log_settle() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    by_parent boolean := TG_ARGV[0] = 'parent';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM landpolicy.change_pending p
                   WHERE p.txid = pg_current_xact_id() AND p.target = TG_RELID) THEN
        RETURN NULL;
    END IF;
    WITH d AS (SELECT * FROM landpolicy.change_pending p WHERE p.txid = pg_current_xact_id() AND p.target = TG_RELID AND p.op = 'D'),
         i AS (SELECT * FROM landpolicy.change_pending p WHERE p.txid = pg_current_xact_id() AND p.target = TG_RELID AND p.op = 'I'),
         pairs AS (
            SELECT d.row_key AS parent, i.row_key AS child, d.class AS from_class, i.class AS to_class,
                   d.grade AS grade_before, i.grade AS grade_after, i.admin, i.changed_on,
                   -- the part of the child that was the parent (a parent key only decides the pairs)
                   ST_CollectionExtract(ST_Intersection(d.geom, i.geom), 3) AS part
            FROM d JOIN i ON CASE WHEN by_parent THEN i.parent_key = d.row_key
                                  ELSE d.geom && i.geom AND ST_Intersects(d.geom, i.geom) END),
         counted AS (
            SELECT p.*, count(*) OVER (PARTITION BY p.parent) AS children, count(*) OVER (PARTITION BY p.child) AS parents
            FROM pairs p)
    INSERT INTO landpolicy.change_log (target, parcel_key, parent_key, admin, from_class, to_class, area_m2,
                                       grade_before, grade_after, changed_on, kind, geom, by_role)
    SELECT TG_RELID, c.child, c.parent, c.admin, c.from_class, c.to_class, landpolicy.measured_area(c.part),
           c.grade_before, c.grade_after, c.changed_on,
           CASE WHEN c.parents > 1 THEN 'merge' WHEN c.children > 1 THEN 'split' ELSE 'reshape' END,
           c.part, session_user
    FROM counted c
    WHERE c.from_class OPERATOR(landpolicy.<>) c.to_class AND NOT ST_IsEmpty(c.part)
      AND landpolicy.measured_area(c.part) > 0;
    DELETE FROM landpolicy.change_pending p WHERE p.txid = pg_current_xact_id() AND p.target = TG_RELID;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.change_log_settle() FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.change_log_settle() IS
    'deferred trigger: at commit, log the class change of each part of the transaction''s splits and merges';
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
-- Guards that cannot be quietly switched off: a guard trigger (or a layer's sync trigger) that is
-- dropped or disabled by anything but detach() / unregister_layer() is put back by refusing the
-- statement; attach and detach are logged.

CREATE TABLE landpolicy.attachment_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    by_role name NOT NULL DEFAULT session_user,
    action  text NOT NULL CHECK (action IN ('attach', 'detach', 'table dropped')),
    target  text NOT NULL,
    rule    text NOT NULL,
    options jsonb
);
COMMENT ON TABLE landpolicy.attachment_log IS
    'who attached and detached which rule on which table, and when (written by attach(), detach() and the drop event trigger, not by a trigger on attachment, so that a restore does not log twice)';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.attachment_log', '');
SELECT pg_catalog.pg_extension_config_dump('landpolicy.attachment_log_id_seq', '');
GRANT SELECT ON landpolicy.attachment_log TO PUBLIC;

-- The triggers landpolicy keeps on a table: each attachment's, each layer's sync triggers.
CREATE FUNCTION landpolicy.kept_triggers()
RETURNS TABLE (tbl oid, trig name, owner_of text)
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    SELECT x.target::oid, t.trig::name, x.rule
    FROM landpolicy.attachment x
    JOIN landpolicy.rule_catalog() c ON c.id = x.rule
    CROSS JOIN LATERAL unnest(ARRAY['landpolicy_' || x.rule]
                              || CASE WHEN c.kind IN ('ledger', 'log') THEN ARRAY['landpolicy_' || x.rule || '_truncate'] ELSE '{}' END
                              || CASE WHEN c.kind = 'log' THEN ARRAY['landpolicy_' || x.rule || '_settle'] ELSE '{}' END) AS t(trig)
    UNION ALL
    -- the clones of a partitioned table's guard trigger on its partitions
    SELECT p.relid::oid, ('landpolicy_' || x.rule)::name, x.rule || ' on ' || x.target::text
    FROM landpolicy.attachment x
    CROSS JOIN LATERAL pg_catalog.pg_partition_tree(x.target) p
    WHERE p.level > 0
    UNION ALL
    SELECT l.source::oid, ('landpolicy_layer_' || l.kind || s.suffix)::name, 'layer ' || l.kind
    FROM landpolicy.layer l CROSS JOIN unnest(ARRAY['_ins', '_upd', '_del', '_trunc']) AS s(suffix)
$$;

CREATE FUNCTION landpolicy.refuse_trigger_change(trig text, tbl text, owner_of text, what text) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    RAISE EXCEPTION 'trigger % on % belongs to landpolicy (%) and must stay in place, ENABLE ALWAYS', trig, tbl, owner_of
        USING ERRCODE = 'dependent_objects_still_exist',
              DETAIL = format('The statement would %s.', what),
              HINT = CASE WHEN owner_of LIKE 'layer %' THEN 'Use landpolicy.unregister_layer() to stop keeping a layer.'
                          ELSE 'Use landpolicy.detach() to remove a rule from a table; it is logged.' END;
END
$$;

-- After ALTER TABLE, ALTER TRIGGER and CREATE TRIGGER: the tables touched keep their landpolicy
-- triggers, under their names, ENABLE ALWAYS, calling landpolicy's functions.
CREATE FUNCTION landpolicy.on_ddl_end() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    k record;
    c record;
BEGIN
    IF to_regclass('landpolicy.attachment') IS NULL THEN
        RETURN;
    END IF;
    FOR c IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
        -- a trigger of landpolicy's may not be renamed away from its name
        IF c.command_tag = 'ALTER TRIGGER' AND c.classid = 'pg_trigger'::regclass THEN
            FOR k IN SELECT tg.tgname, tg.tgrelid::regclass::text AS tbl FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
                     WHERE tg.oid = c.objid AND p.pronamespace = 'landpolicy'::regnamespace
                       AND NOT EXISTS (SELECT 1 FROM landpolicy.kept_triggers() kt WHERE kt.tbl = tg.tgrelid AND kt.trig = tg.tgname)
            LOOP
                PERFORM landpolicy.refuse_trigger_change(k.tgname, k.tbl, 'renamed from a landpolicy trigger', 'rename it');
            END LOOP;
        END IF;
        -- a trigger under a landpolicy name must call landpolicy (CREATE OR REPLACE TRIGGER)
        IF c.command_tag = 'CREATE TRIGGER' AND c.classid = 'pg_trigger'::regclass THEN
            FOR k IN SELECT tg.tgname, tg.tgrelid::regclass::text AS tbl, kt.owner_of FROM pg_trigger tg
                     JOIN landpolicy.kept_triggers() kt ON kt.tbl = tg.tgrelid AND kt.trig = tg.tgname
                     JOIN pg_proc p ON p.oid = tg.tgfoid
                     WHERE tg.oid = c.objid AND p.pronamespace <> 'landpolicy'::regnamespace
            LOOP
                PERFORM landpolicy.refuse_trigger_change(k.tgname, k.tbl, k.owner_of, 'replace it with another function');
            END LOOP;
        END IF;
    END LOOP;
    -- ATTACH PARTITION under a guarded table: the rows the partition brings are judged as if
    -- inserted (the cloned triggers do not fire for them). Refused in reject mode, logged in record
    -- mode. A partition attached by this transaction is one whose pg_inherits row it wrote.
    FOR k IN
        SELECT DISTINCT a.target, a.rule, a.mode, i.inhrelid::regclass AS part
        FROM pg_event_trigger_ddl_commands() d
        JOIN pg_inherits i ON i.inhparent = d.objid
        CROSS JOIN LATERAL pg_catalog.pg_partition_ancestors(d.objid) an
        JOIN landpolicy.attachment a ON a.target = an.relid
        WHERE d.classid = 'pg_class'::regclass AND d.command_tag = 'ALTER TABLE'
          AND pg_catalog.age(i.xmin) <= 0
        ORDER BY 1, 2
    LOOP
        -- each partition's rows are audited once: logged in record mode, counted in reject mode
        IF k.mode = 'record' THEN
            INSERT INTO landpolicy.violation_log (rule, target, row_key, violation, by_role)
            SELECT k.rule, k.part, r.row_key, r.v, session_user FROM landpolicy.audit_rows(k.target, k.part, k.rule) r;
            CONTINUE;
        END IF;
        SELECT count(*), min(r.row_key), (array_agg(r.v ORDER BY r.row_key))[1]
        INTO c FROM landpolicy.audit_rows(k.target, k.part, k.rule) r;
        IF c.count > 0 THEN
            RAISE EXCEPTION 'ATTACH PARTITION refused: % has % row(s) that break rule % attached to %', k.part, c.count, k.rule, k.target
                USING ERRCODE = 'check_violation', CONSTRAINT = k.rule,
                      DETAIL = format('Row %s: %s', c.min, (c.array_agg).message),
                      HINT = format('See SELECT * FROM landpolicy.audit_rows(%L, %L); correct those rows, or attach the rule in record mode to log them.', k.target::text, k.part::text);
        END IF;
    END LOOP;
    FOR k IN
        SELECT kt.trig, kt.tbl::regclass::text AS tbl, kt.owner_of, tg.tgenabled
        FROM landpolicy.kept_triggers() kt
        JOIN pg_trigger tg ON tg.tgrelid = kt.tbl AND tg.tgname = kt.trig
        -- the enabled state after ALTER TABLE (a CREATE TRIGGER is followed by its ENABLE ALWAYS, as in a restore)
        WHERE kt.tbl IN (SELECT d.objid FROM pg_event_trigger_ddl_commands() d
                         WHERE d.classid = 'pg_class'::regclass AND d.command_tag = 'ALTER TABLE')
          AND tg.tgenabled <> 'A'
    LOOP
        PERFORM landpolicy.refuse_trigger_change(k.trig, k.tbl, k.owner_of,
            CASE k.tgenabled WHEN 'D' THEN 'disable it' WHEN 'O' THEN 'leave it enabled for origin sessions only'
                             WHEN 'R' THEN 'leave it enabled for replicas only' END);
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.on_ddl_end() FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.on_ddl_end() IS
    'event trigger: refuses DDL that disables, renames or replaces a guard trigger or a layer sync trigger';
CREATE EVENT TRIGGER landpolicy_ddl_end ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'ALTER TRIGGER', 'CREATE TRIGGER')
    EXECUTE FUNCTION landpolicy.on_ddl_end();
-- replica sessions are held to it too
ALTER EVENT TRIGGER landpolicy_ddl_end ENABLE ALWAYS;
-- When a guarded table or a layer's source table is dropped, forget what pointed at it: the
-- attachment goes (and its ledger is rebuilt from the tables that remain); the layer is
-- unregistered, so the rules that need it fail closed instead of judging by a dead copy.

CREATE FUNCTION landpolicy.on_sql_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    o record;
    k text;
    rules_touched text[] := '{}';
    r text;
BEGIN
    IF to_regclass('landpolicy.attachment') IS NULL OR to_regclass('landpolicy.layer') IS NULL THEN
        RETURN;                 -- the extension itself is being dropped
    END IF;
    -- a guard or layer trigger dropped on its own (not with its table, not by detach/unregister) is refused
    FOR o IN
        SELECT d.address_names, kt.owner_of
        FROM pg_event_trigger_dropped_objects() d
        JOIN landpolicy.kept_triggers() kt
          ON kt.trig = d.address_names[3]
         AND kt.tbl = to_regclass(quote_ident(d.address_names[1]) || '.' || quote_ident(d.address_names[2]))
        WHERE d.object_type = 'trigger'
    LOOP
        PERFORM landpolicy.refuse_trigger_change(o.address_names[3], o.address_names[1] || '.' || o.address_names[2], o.owner_of, 'drop it');
    END LOOP;
    FOR o IN SELECT * FROM pg_event_trigger_dropped_objects() d WHERE d.object_type IN ('table', 'foreign table') LOOP
        WITH gone AS (DELETE FROM landpolicy.attachment a WHERE a.target = o.objid RETURNING a.rule),
             logged AS (INSERT INTO landpolicy.attachment_log (action, target, rule)
                        SELECT 'table dropped', o.object_identity, g.rule FROM gone g RETURNING rule)
        SELECT rules_touched || coalesce(array_agg(rule), '{}') INTO rules_touched FROM logged;
        FOR k IN SELECT l.kind FROM landpolicy.layer l WHERE l.source = o.objid LOOP
            EXECUTE format('DROP TABLE IF EXISTS landpolicy.%I', 'layer_piece_' || k);
            DELETE FROM landpolicy.layer l WHERE l.kind = k;
            RAISE WARNING 'reference layer "%" was registered on the dropped table %: it is unregistered, and rules that need it now fail closed',
                k, o.object_identity;
        END LOOP;
    END LOOP;
    FOREACH r IN ARRAY ARRAY(SELECT DISTINCT x FROM unnest(rules_touched) x) LOOP
        IF r IN (SELECT c.id FROM landpolicy.rule_catalog() c WHERE c.kind = 'ledger') THEN
            PERFORM landpolicy.rebuild_ledger(r);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION landpolicy.on_sql_drop() IS
    'event trigger: forget attachments and layers of dropped tables (ledgers rebuilt, layers unregistered)';
-- It runs for every DROP by anyone (owners of guarded tables are rarely superusers): as the owner.
REVOKE ALL ON FUNCTION landpolicy.on_sql_drop() FROM PUBLIC;
CREATE EVENT TRIGGER landpolicy_sql_drop ON sql_drop EXECUTE FUNCTION landpolicy.on_sql_drop();
ALTER EVENT TRIGGER landpolicy_sql_drop ENABLE ALWAYS;
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
