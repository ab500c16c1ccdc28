/*
 * admincode.h — GB/T 2260 administrative division codes extended to townships and villages.
 */
#ifndef LANDPOLICY_ADMINCODE_H
#define LANDPOLICY_ADMINCODE_H

#include "postgres.h"
#include "fmgr.h"

/*
 * An admincode datum: the code's digits right-padded with zeros to 12, times 8, plus the index
 * of its level (0 province .. 4 village).  Integer order is then the codes' text order, with a
 * code before every code it contains.
 */
typedef int64 AdminCode;

typedef enum AdminLevel
{
	AC_PROVINCE = 0,
	AC_CITY,
	AC_COUNTY,
	AC_TOWNSHIP,
	AC_VILLAGE
} AdminLevel;

#define DatumGetAdminCode(X)	DatumGetInt64(X)
#define AdminCodeGetDatum(X)	Int64GetDatum(X)
#define PG_GETARG_ADMINCODE(n)	DatumGetAdminCode(PG_GETARG_DATUM(n))
#define PG_RETURN_ADMINCODE(x)	return AdminCodeGetDatum(x)

extern AdminLevel AdminCodeLevel(AdminCode code);
extern AdminCode AdminCodeAt(AdminCode code, AdminLevel level);
extern bool AdminCodeContains(AdminCode outer, AdminCode inner);

#endif
