/*
 * landclass.h — the 三调 land-class code type.
 */
#ifndef LANDPOLICY_LANDCLASS_H
#define LANDPOLICY_LANDCLASS_H

#include "postgres.h"
#include "fmgr.h"

/* 三大类: the three great classes of land, or none for a first-level class that mixes them. */
typedef enum LandThreeClass
{
	LC_MIXED = 0,
	LC_AGRICULTURAL,
	LC_CONSTRUCTION,
	LC_UNUSED
} LandThreeClass;

typedef struct LandClassEntry
{
	const char *code;
	const char *name_zh;
	const char *name_en;
	const char *level1;
	LandThreeClass three_class;
	bool		is_wetland;
} LandClassEntry;

/*
 * A landclass datum is its code packed into 30 bits, six per character, so that integer order is
 * the codes' C-locale order and a stored value never depends on the table's layout.
 */
typedef int32 LandClass;

#define DatumGetLandClass(X)	DatumGetInt32(X)
#define LandClassGetDatum(X)	Int32GetDatum(X)
#define PG_GETARG_LANDCLASS(n)	DatumGetLandClass(PG_GETARG_DATUM(n))
#define PG_RETURN_LANDCLASS(x)	return LandClassGetDatum(x)

extern const LandClassEntry *LandClassLookup(LandClass lc);
extern LandClass LandClassFromCString(const char *str, bool missing_ok);
extern bool LandClassIsCultivated(LandClass lc);

#endif
