-- Areas in square metres and mu (亩): ellipsoidal for geographic SRIDs, planar for metre projections.

CREATE FUNCTION landpolicy.srid_units(srid int4) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION landpolicy.srid_units(int4) IS
    '''degree'' for a geographic SRID, ''metre'' for a projected metre SRID; an error for SRID 0, unknown SRIDs or other units';

CREATE FUNCTION landpolicy.area_m2(geom geometry) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    units text := landpolicy.srid_units(ST_SRID(geom));
    validity valid_detail;
BEGIN
    IF ST_IsEmpty(geom) THEN
        RETURN 0;
    END IF;
    validity := ST_IsValidDetail(geom);
    IF NOT validity.valid THEN
        RAISE EXCEPTION 'geometry is not valid: %', validity.reason
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The problem is at %s.', ST_AsText(validity.location)),
                  HINT = 'The area of an invalid polygon is meaningless; repair it with ST_MakeValid() first.';
    END IF;
    IF units = 'degree' THEN
        RETURN ST_Area(geom::geography, true);
    END IF;
    RETURN ST_Area(geom);
END
$$;
COMMENT ON FUNCTION landpolicy.area_m2(geometry) IS
    'area in m²: ellipsoidal for geographic SRIDs (4490, 4326), planar for projected metre SRIDs (4513-4554); errors for SRID 0, non-metre units and invalid geometries';

CREATE FUNCTION landpolicy.area_mu(geom geometry) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$ SELECT landpolicy.area_m2(geom) * 15 / 10000 $$;
COMMENT ON FUNCTION landpolicy.area_mu(geometry) IS 'area in mu (亩): area_m2 × 0.0015 (1 亩 = 10000/15 m²)';
