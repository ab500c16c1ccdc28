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
