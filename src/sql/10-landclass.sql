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
