/*
 * area.c — what kind of coordinates an SRID has, for area_m2(): ellipsoidal areas for
 * geographic SRIDs, planar for projected metre SRIDs, an error for anything else.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

typedef enum SridUnits
{
	SRID_DEGREE,
	SRID_METRE,
	SRID_MERCATOR,
	SRID_OTHER
} SridUnits;

/* Per-backend memo of SRID kinds; spatial_ref_sys rows are not expected to change under us. */
#define SRID_CACHE_SIZE 32
static struct
{
	int32		srid;
	SridUnits	units;
}			srid_cache[SRID_CACHE_SIZE];
static int	srid_cache_used = 0;

static bool
HasToken(const char *s, const char *token)
{
	size_t		n = strlen(token);

	for (const char *p = strstr(s, token); p != NULL; p = strstr(p + 1, token))
		if (p[n] == '\0' || p[n] == ' ')
			return true;
	return false;
}

static SridUnits
ClassifySrs(const char *proj4, const char *srtext)
{
	if (proj4 && proj4[0])
	{
		if (HasToken(proj4, "+proj=longlat") || HasToken(proj4, "+proj=latlong"))
			return SRID_DEGREE;
		if (HasToken(proj4, "+proj=geocent"))
			return SRID_OTHER;
		if (HasToken(proj4, "+proj=merc"))
			return SRID_MERCATOR;
		if (HasToken(proj4, "+units=m") || HasToken(proj4, "+to_meter=1"))
			return SRID_METRE;
		return SRID_OTHER;
	}
	if (srtext)
	{
		if (strncmp(srtext, "GEOGCS", 6) == 0 || strncmp(srtext, "GEOGCRS", 7) == 0)
			return SRID_DEGREE;
		if (strncmp(srtext, "PROJCS", 6) == 0 &&
			(strstr(srtext, "UNIT[\"metre\",1]") || strstr(srtext, "UNIT[\"meter\",1]")))
			return SRID_METRE;
	}
	return SRID_OTHER;
}

static SridUnits
LookupSridUnits(int32 srid)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(srid)};
	char	   *schema;
	SridUnits	units;

	SPI_connect();
	/* every name qualified: this may run as the extension owner under a caller's search_path */
	if (SPI_execute("SELECT n.nspname FROM pg_catalog.pg_extension e"
					" JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace"
					" WHERE e.extname OPERATOR(pg_catalog.=) 'postgis'::pg_catalog.name", true, 1) != SPI_OK_SELECT || SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("extension \"postgis\" is not installed")));
	schema = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (SPI_execute_with_args(psprintf("SELECT proj4text, srtext FROM %s.spatial_ref_sys WHERE srid OPERATOR(pg_catalog.=) $1",
									   quote_identifier(schema)),
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read spatial_ref_sys");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown SRID %d: it is not in spatial_ref_sys", srid),
				 errhint("Use a CGCS2000 SRID: 4490 (geographic) or 4513-4554 (Gauss-Krüger, metres).")));
	units = ClassifySrs(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2));
	SPI_finish();
	return units;
}

PG_FUNCTION_INFO_V1(srid_units);
/* 'degree' for a geographic SRID, 'metre' for a projected metre SRID; an error otherwise. */
Datum
srid_units(PG_FUNCTION_ARGS)
{
	int32		srid = PG_GETARG_INT32(0);
	SridUnits	units = SRID_OTHER;
	bool		found = false;

	if (srid == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("geometry has no SRID (0): its area cannot be measured"),
				 errhint("Set the SRID the coordinates are in, e.g. ST_SetSRID(geom, 4528) for CGCS2000 Gauss-Krüger zone 40.")));

	for (int i = 0; i < srid_cache_used; i++)
		if (srid_cache[i].srid == srid)
		{
			units = srid_cache[i].units;
			found = true;
		}
	if (!found)
	{
		units = LookupSridUnits(srid);
		if (srid_cache_used < SRID_CACHE_SIZE)
		{
			srid_cache[srid_cache_used].srid = srid;
			srid_cache[srid_cache_used].units = units;
			srid_cache_used++;
		}
	}

	if (units == SRID_MERCATOR)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("SRID %d is a Mercator projection: its areas are not true areas", srid),
				 errdetail("Mercator inflates areas by 1/cos²(latitude), about 24%% at 26°N."),
				 errhint("Transform the geometry to CGCS2000 Gauss-Krüger (4513-4554) or to 4490 before measuring.")));
	if (units == SRID_OTHER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("SRID %d is projected in units other than metres: its area cannot be measured", srid),
				 errhint("Transform the geometry to a metre projection (CGCS2000 Gauss-Krüger, 4513-4554) or to 4490.")));
	PG_RETURN_TEXT_P(cstring_to_text(units == SRID_DEGREE ? "degree" : "metre"));
}
