/*
 * admincode.c — administrative division codes: 2 (province 省), 4 (city 市), 6 (county 县),
 * 9 (township 乡镇) or 12 (village 村) digits, GB/T 2260 extended by the statistical codes.
 *
 * Trailing all-zero parts are dropped on input, so the 12-digit statistical form of a township
 * ('350121101000') and the 6-digit form of a city ('350100') mean the division itself.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "admincode.h"

#define AC_MAX_DIGITS 12
#define AC_LEVELS 5

static const int level_digits[AC_LEVELS] = {2, 4, 6, 9, 12};
static const char *const level_names[AC_LEVELS] = {"province", "city", "county", "township", "village"};
static const char *const level_names_zh[AC_LEVELS] = {"省", "市", "县", "乡镇", "村"};

static int64 pow10_table[AC_MAX_DIGITS + 1];

static int64
Pow10(int n)
{
	if (pow10_table[0] == 0)
	{
		pow10_table[0] = 1;
		for (int i = 1; i <= AC_MAX_DIGITS; i++)
			pow10_table[i] = pow10_table[i - 1] * 10;
	}
	return pow10_table[n];
}

static AdminCode
MakeAdminCode(int64 padded, AdminLevel level)
{
	return padded * 8 + (int64) level;
}

static int64
PaddedDigits(AdminCode code)
{
	return code / 8;
}

AdminLevel
AdminCodeLevel(AdminCode code)
{
	return (AdminLevel) (code % 8);
}

/* The division at a shallower (or the same) level that contains code. */
AdminCode
AdminCodeAt(AdminCode code, AdminLevel level)
{
	int64		unit = Pow10(AC_MAX_DIGITS - level_digits[level]);

	Assert(level <= AdminCodeLevel(code));
	return MakeAdminCode(PaddedDigits(code) / unit * unit, level);
}

/* outer @> inner: inner is outer or lies within it. */
bool
AdminCodeContains(AdminCode outer, AdminCode inner)
{
	AdminLevel	lo = AdminCodeLevel(outer);

	return lo <= AdminCodeLevel(inner) && AdminCodeAt(inner, lo) == outer;
}

static char *
AdminCodeToCString(AdminCode code)
{
	AdminLevel	level = AdminCodeLevel(code);
	int			ndigits = level_digits[level];

	return psprintf("%0*lld", ndigits,
					(long long) (PaddedDigits(code) / Pow10(AC_MAX_DIGITS - ndigits)));
}

/* Digits [from, to) of str as a number. */
static int64
DigitsValue(const char *str, int from, int to)
{
	int64		v = 0;

	for (int i = from; i < to; i++)
		v = v * 10 + (str[i] - '0');
	return v;
}

/*
 * Parse a code; errors carry errcode_for_bad so that binary input reports
 * invalid_binary_representation and text input invalid_text_representation.
 */
static AdminCode
AdminCodeFromCString(const char *str, int errcode_for_bad)
{
	const char *start = str;
	int			len;
	int			level = -1;

	while (*start == ' ')
		start++;
	len = strlen(start);
	while (len > 0 && start[len - 1] == ' ')
		len--;

	for (int i = 0; i < len; i++)
		if (start[i] < '0' || start[i] > '9')
			ereport(ERROR,
					(errcode(errcode_for_bad),
					 errmsg("invalid administrative code: \"%s\"", str),
					 errdetail("An admincode is made of digits only.")));
	for (int l = 0; l < AC_LEVELS; l++)
		if (level_digits[l] == len)
			level = l;
	if (level < 0)
		ereport(ERROR,
				(errcode(errcode_for_bad),
				 errmsg("invalid administrative code: \"%s\"", str),
				 errdetail("An admincode has 2 (province), 4 (city), 6 (county), 9 (township) or 12 (village) digits; this has %d.", len)));

	/* Drop trailing all-zero parts: '350100' is the city 3501. */
	while (level > 0 && DigitsValue(start, level_digits[level - 1], level_digits[level]) == 0)
		level--;

	for (int l = 0; l <= level; l++)
	{
		int			from = l == 0 ? 0 : level_digits[l - 1];

		if (DigitsValue(start, from, level_digits[l]) == 0)
			ereport(ERROR,
					(errcode(errcode_for_bad),
					 errmsg("invalid administrative code: \"%s\"", str),
					 errdetail("Its %s (%s) part \"%.*s\" is all zeros, which names no division.",
							   level_names[l], level_names_zh[l], level_digits[l] - from, start + from)));
	}
	return MakeAdminCode(DigitsValue(start, 0, level_digits[level]) * Pow10(AC_MAX_DIGITS - level_digits[level]),
						 (AdminLevel) level);
}

static AdminLevel
AdminLevelFromName(const char *name)
{
	for (int l = 0; l < AC_LEVELS; l++)
		if (strcmp(name, level_names[l]) == 0 || strcmp(name, level_names_zh[l]) == 0)
			return (AdminLevel) l;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown administrative level: \"%s\"", name),
			 errhint("Use one of province, city, county, township, village (省, 市, 县, 乡镇, 村).")));
	return AC_PROVINCE;			/* keep compiler quiet */
}

PG_FUNCTION_INFO_V1(admincode_in);
/* Text input: 2/4/6/9/12 digits, trailing zero parts dropped. */
Datum
admincode_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_ADMINCODE(AdminCodeFromCString(PG_GETARG_CSTRING(0), ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(admincode_out);
/* Text output: the code's digits. */
Datum
admincode_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(AdminCodeToCString(PG_GETARG_ADMINCODE(0)));
}

PG_FUNCTION_INFO_V1(admincode_recv);
/* Binary input: the code as text, validated exactly as text input is. */
Datum
admincode_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *str = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);

	PG_RETURN_ADMINCODE(AdminCodeFromCString(str, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(admincode_send);
/* Binary output: the code as text. */
Datum
admincode_send(PG_FUNCTION_ARGS)
{
	char	   *str = AdminCodeToCString(PG_GETARG_ADMINCODE(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, str, strlen(str));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define ADMINCODE_CMP_FUNC(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_ADMINCODE(0) op PG_GETARG_ADMINCODE(1)); \
}

/* Comparison operators: text order of the codes. */
ADMINCODE_CMP_FUNC(admincode_eq, ==)
ADMINCODE_CMP_FUNC(admincode_ne, !=)
ADMINCODE_CMP_FUNC(admincode_lt, <)
ADMINCODE_CMP_FUNC(admincode_le, <=)
ADMINCODE_CMP_FUNC(admincode_gt, >)
ADMINCODE_CMP_FUNC(admincode_ge, >=)

PG_FUNCTION_INFO_V1(admincode_cmp);
/* btree support: three-way comparison. */
Datum
admincode_cmp(PG_FUNCTION_ARGS)
{
	AdminCode	a = PG_GETARG_ADMINCODE(0);
	AdminCode	b = PG_GETARG_ADMINCODE(1);

	PG_RETURN_INT32(a < b ? -1 : (a > b ? 1 : 0));
}

PG_FUNCTION_INFO_V1(admincode_hash);
/* hash support: 32-bit hash. */
Datum
admincode_hash(PG_FUNCTION_ARGS)
{
	uint64		v = (uint64) PG_GETARG_ADMINCODE(0);

	return hash_uint32((uint32) (v ^ (v >> 32)));
}

PG_FUNCTION_INFO_V1(admincode_hash_extended);
/* hash support: seeded 64-bit hash (hash partitioning by admin code). */
Datum
admincode_hash_extended(PG_FUNCTION_ARGS)
{
	uint64		v = (uint64) PG_GETARG_ADMINCODE(0);

	return hash_uint32_extended((uint32) (v ^ (v >> 32)), PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(admincode_contains);
/* a @> b: division a contains b (or is b). */
Datum
admincode_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(AdminCodeContains(PG_GETARG_ADMINCODE(0), PG_GETARG_ADMINCODE(1)));
}

PG_FUNCTION_INFO_V1(admincode_within);
/* a <@ b: division a lies within b (or is b). */
Datum
admincode_within(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(AdminCodeContains(PG_GETARG_ADMINCODE(1), PG_GETARG_ADMINCODE(0)));
}

PG_FUNCTION_INFO_V1(ac_level);
/* The level of a code: province, city, county, township or village. */
Datum
ac_level(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(level_names[AdminCodeLevel(PG_GETARG_ADMINCODE(0))]));
}

PG_FUNCTION_INFO_V1(ac_parent);
/* The division one level up; NULL for a province. */
Datum
ac_parent(PG_FUNCTION_ARGS)
{
	AdminCode	code = PG_GETARG_ADMINCODE(0);
	AdminLevel	level = AdminCodeLevel(code);

	if (level == AC_PROVINCE)
		PG_RETURN_NULL();
	PG_RETURN_ADMINCODE(AdminCodeAt(code, level - 1));
}

PG_FUNCTION_INFO_V1(ac_at);
/* The division at the named level containing the code ('350121101', 'county' -> '350121'). */
Datum
ac_at(PG_FUNCTION_ARGS)
{
	AdminCode	code = PG_GETARG_ADMINCODE(0);
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	AdminLevel	want = AdminLevelFromName(name);
	AdminLevel	have = AdminCodeLevel(code);

	if (want > have)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("administrative code %s is a %s and has no %s part",
						AdminCodeToCString(code), level_names[have], level_names[want])));
	PG_RETURN_ADMINCODE(AdminCodeAt(code, want));
}
