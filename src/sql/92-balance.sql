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
