/*
 * balance.c — the 进出平衡 (enter–exit) and 占补平衡 (occupation–compensation) aggregates.
 *
 * Each aggregate classifies every land-class change itself (out of cultivated land, into it, or
 * neither) and sums areas.  The state is a plain float8[8], not `internal`, so that the same
 * aggregate runs under parallel query and can be pushed down by Citus through its combine
 * function; the transition function updates it in place when called as an aggregate.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "landclass.h"
#include "landpolicy.h"

/* State slots. */
enum
{
	ST_OUT_M2,
	ST_IN_M2,
	ST_OUT_GRADE_M2,			/* Σ grade × area over graded out rows */
	ST_IN_GRADE_M2,
	ST_OUT_GRADED_M2,			/* Σ area of graded out rows */
	ST_IN_GRADED_M2,
	ST_PADDY_OUT_M2,			/* 0101 水田 lost */
	ST_PADDY_IN_M2,				/* 0101 水田 gained */
	ST_SLOTS
};

typedef enum
{
	BAL_NEITHER,
	BAL_OUT,
	BAL_IN
} BalanceDirection;

typedef enum
{
	BALANCE_INOUT,				/* 进出平衡: cultivated ↔ other agricultural land */
	BALANCE_OCCUPY				/* 占补平衡: cultivated → construction; construction/unused → cultivated */
} BalanceKind;

static float8 *
StateValues(ArrayType *state)
{
	if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != ST_SLOTS || ARR_HASNULL(state) ||
		ARR_ELEMTYPE(state) != FLOAT8OID)
		elog(ERROR, "balance aggregate state is not a float8[%d]", ST_SLOTS);
	return (float8 *) ARR_DATA_PTR(state);
}

/* The 三大类 of one side of a change, or an error when a mixed first-level class leaves it open. */
static LandThreeClass
SideClass(LandClass side, LandClass from, LandClass to)
{
	const LandClassEntry *e = LandClassLookup(side);

	if (e->three_class == LC_MIXED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot classify the change %s → %s: first-level class %s %s mixes 三大类",
						LandClassLookup(from)->code, LandClassLookup(to)->code, e->code, e->name_zh),
				 errhint("Record changes with second-level codes.")));
	return e->three_class;
}

static BalanceDirection
Classify(BalanceKind kind, LandClass from, LandClass to)
{
	bool		from_cult = LandClassIsCultivated(from);
	bool		to_cult = LandClassIsCultivated(to);

	if (from_cult == to_cult)
		return BAL_NEITHER;
	if (from_cult)
	{
		LandThreeClass c = SideClass(to, from, to);

		if (kind == BALANCE_INOUT)
			return c == LC_AGRICULTURAL ? BAL_OUT : BAL_NEITHER;
		return c == LC_CONSTRUCTION ? BAL_OUT : BAL_NEITHER;
	}
	else
	{
		LandThreeClass c = SideClass(from, from, to);

		if (kind == BALANCE_INOUT)
			return c == LC_AGRICULTURAL ? BAL_IN : BAL_NEITHER;
		return (c == LC_CONSTRUCTION || c == LC_UNUSED) ? BAL_IN : BAL_NEITHER;
	}
}

static LandClass PaddyCode = -1;

static bool
IsPaddy(LandClass lc)
{
	if (PaddyCode < 0)
		PaddyCode = LandClassFromCString("0101", false);
	return lc == PaddyCode;
}

static Datum
BalanceAccum(FunctionCallInfo fcinfo, BalanceKind kind)
{
	ArrayType  *state;
	float8	   *s;
	LandClass	from,
				to;
	float8		area;
	BalanceDirection dir;

	if (PG_ARGISNULL(0))
		elog(ERROR, "balance aggregate state is NULL");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a land-class change needs its from class, to class and area; one is NULL"),
				 errdetail("A change that cannot be classified or measured would drop out of the balance unseen.")));
	from = PG_GETARG_LANDCLASS(1);
	to = PG_GETARG_LANDCLASS(2);
	area = PG_GETARG_FLOAT8(3);
	if (isnan(area) || isinf(area) || area < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("area of a land-class change must be a finite number of m² ≥ 0, not %g", area)));
	if (!PG_ARGISNULL(4) && (PG_GETARG_INT32(4) < 1 || PG_GETARG_INT32(4) > 15))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quality grade %d is out of range", PG_GETARG_INT32(4)),
				 errhint("耕地质量等别 are 1 (best) to 15 (GB/T 28407).")));

	/* In an aggregate the state is ours to scribble on; elsewhere, copy it. */
	if (AggCheckCallContext(fcinfo, NULL))
		state = PG_GETARG_ARRAYTYPE_P(0);
	else
		state = PG_GETARG_ARRAYTYPE_P_COPY(0);
	s = StateValues(state);

	dir = Classify(kind, from, to);
	if (dir == BAL_OUT)
	{
		s[ST_OUT_M2] += area;
		if (!PG_ARGISNULL(4))
		{
			s[ST_OUT_GRADE_M2] += area * PG_GETARG_INT32(4);
			s[ST_OUT_GRADED_M2] += area;
		}
		if (IsPaddy(from))
			s[ST_PADDY_OUT_M2] += area;
	}
	else if (dir == BAL_IN)
	{
		s[ST_IN_M2] += area;
		if (!PG_ARGISNULL(4))
		{
			s[ST_IN_GRADE_M2] += area * PG_GETARG_INT32(4);
			s[ST_IN_GRADED_M2] += area;
		}
		if (IsPaddy(to))
			s[ST_PADDY_IN_M2] += area;
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(inout_balance_accum);
/* 进出平衡 transition: out = 耕地 → other agricultural land (园地, 林地, 草地, 1202 …), in = the reverse. */
Datum
inout_balance_accum(PG_FUNCTION_ARGS)
{
	return BalanceAccum(fcinfo, BALANCE_INOUT);
}

PG_FUNCTION_INFO_V1(occupy_balance_accum);
/* 占补平衡 transition: out = 耕地 → construction land, in = construction or unused land → 耕地. */
Datum
occupy_balance_accum(PG_FUNCTION_ARGS)
{
	return BalanceAccum(fcinfo, BALANCE_OCCUPY);
}

PG_FUNCTION_INFO_V1(balance_combine);
/* Combine two partial states (parallel workers, Citus shards): slot-wise sums. */
Datum
balance_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	float8	   *sa;
	float8	   *sb;

	if (AggCheckCallContext(fcinfo, NULL))
		a = PG_GETARG_ARRAYTYPE_P(0);
	else
		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
	sa = StateValues(a);
	sb = StateValues(PG_GETARG_ARRAYTYPE_P(1));
	for (int i = 0; i < ST_SLOTS; i++)
		sa[i] += sb[i];
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(balance_final);
/* The balance: areas in m² and mu, area-weighted grades, paddy, and whether quantity and quality hold. */
Datum
balance_final(PG_FUNCTION_ARGS)
{
	float8	   *s = StateValues(PG_GETARG_ARRAYTYPE_P(0));
	TupleDesc	desc;
	Datum		values[12];
	bool		nulls[12] = {false};
	bool		has_out_grade = s[ST_OUT_GRADED_M2] > 0;
	bool		has_in_grade = s[ST_IN_GRADED_M2] > 0;
	float8		out_grade = has_out_grade ? s[ST_OUT_GRADE_M2] / s[ST_OUT_GRADED_M2] : 0;
	float8		in_grade = has_in_grade ? s[ST_IN_GRADE_M2] / s[ST_IN_GRADED_M2] : 0;
	bool		quantity_ok = s[ST_IN_M2] >= s[ST_OUT_M2];
	bool		quality_ok;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "balance_final must return the composite type landpolicy.balance");
	desc = BlessTupleDesc(desc);

	/* Quality holds when nothing graded went out, or what came in is graded and no worse (1 is best). */
	if (!has_out_grade)
		quality_ok = true;
	else
		quality_ok = has_in_grade && in_grade <= out_grade;

	values[0] = Float8GetDatum(s[ST_OUT_M2]);
	values[1] = Float8GetDatum(s[ST_IN_M2]);
	values[2] = Float8GetDatum(s[ST_IN_M2] - s[ST_OUT_M2]);
	values[3] = Float8GetDatum(M2_TO_MU(s[ST_OUT_M2]));
	values[4] = Float8GetDatum(M2_TO_MU(s[ST_IN_M2]));
	values[5] = Float8GetDatum(out_grade);
	nulls[5] = !has_out_grade;
	values[6] = Float8GetDatum(in_grade);
	nulls[6] = !has_in_grade;
	values[7] = Float8GetDatum(s[ST_PADDY_OUT_M2]);
	values[8] = Float8GetDatum(s[ST_PADDY_IN_M2]);
	values[9] = BoolGetDatum(quantity_ok);
	values[10] = BoolGetDatum(quality_ok);
	values[11] = BoolGetDatum(quantity_ok && quality_ok);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

PG_FUNCTION_INFO_V1(balance_direction);
/* How a balance counts one change: 'out', 'in' or 'neither' (for reports and tests). */
Datum
balance_direction(PG_FUNCTION_ARGS)
{
	char	   *which = text_to_cstring(PG_GETARG_TEXT_PP(0));
	BalanceKind kind;
	BalanceDirection dir;

	if (strcmp(which, "inout") == 0)
		kind = BALANCE_INOUT;
	else if (strcmp(which, "occupy") == 0)
		kind = BALANCE_OCCUPY;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown balance \"%s\"", which),
				 errhint("Use 'inout' (进出平衡) or 'occupy' (占补平衡).")));
	dir = Classify(kind, PG_GETARG_LANDCLASS(1), PG_GETARG_LANDCLASS(2));
	PG_RETURN_TEXT_P(cstring_to_text(dir == BAL_OUT ? "out" : dir == BAL_IN ? "in" : "neither"));
}
