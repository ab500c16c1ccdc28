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
