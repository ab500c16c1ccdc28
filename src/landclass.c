/*
 * landclass.c — the 三调 (Third National Land Survey) land-class code as a base type.
 *
 * Every code of data/landclass.csv (the work classification), the first-level classes and the
 * suffixed survey codes (data/landclass_extra.csv) is a value; anything else is refused on input.
 * Values are packed codes (see landclass.h), so btree order is code order and send/recv carry
 * the code text.
 */
#include "postgres.h"

#include <ctype.h>

#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "landclass.h"
#include "landclass_data.h"

#define LC_MAX_CODE_LEN 5
#define LANDCLASS_COUNT lengthof(landclass_table)

/* Packed codes of landclass_table, same order; filled on first use. */
static LandClass landclass_keys[LANDCLASS_COUNT];
static bool landclass_keys_ready = false;

static int
CodeCharValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0' + 1;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 11;
	return -1;
}

/* Pack an upper-case code of 1..5 characters; false if a character is outside [0-9A-Z]. */
static bool
PackCode(const char *code, int len, LandClass *result)
{
	uint32		packed = 0;

	if (len < 1 || len > LC_MAX_CODE_LEN)
		return false;
	for (int i = 0; i < LC_MAX_CODE_LEN; i++)
	{
		int			v = 0;

		if (i < len && (v = CodeCharValue(code[i])) < 0)
			return false;
		packed = (packed << 6) | (uint32) v;
	}
	*result = (LandClass) packed;
	return true;
}

/* An open-addressing hash of the packed codes: slot → index into landclass_table, or -1. */
#define LC_HASH_SIZE 256		/* a power of two, over three times LANDCLASS_COUNT */
static int16 code_slots[LC_HASH_SIZE];

static inline uint32
LandClassSlot(LandClass lc)
{
	return ((uint32) lc * 2654435761U) >> 24;	/* Fibonacci hashing to 8 bits */
}

static void
EnsureKeys(void)
{
	if (landclass_keys_ready)
		return;
	for (int i = 0; i < LANDCLASS_COUNT; i++)
	{
		const char *code = landclass_table[i].code;

		if (!PackCode(code, strlen(code), &landclass_keys[i]))
			elog(ERROR, "landclass table holds an unpackable code \"%s\"", code);
		if (i > 0 && landclass_keys[i] <= landclass_keys[i - 1])
			elog(ERROR, "landclass table is not sorted at \"%s\"", code);
	}
	StaticAssertStmt(LANDCLASS_COUNT * 3 < LC_HASH_SIZE, "landclass hash table too small");
	memset(code_slots, -1, sizeof(code_slots));
	for (int i = 0; i < LANDCLASS_COUNT; i++)
	{
		uint32		slot = LandClassSlot(landclass_keys[i]);

		while (code_slots[slot] >= 0)
			slot = (slot + 1) & (LC_HASH_SIZE - 1);
		code_slots[slot] = (int16) i;
	}
	landclass_keys_ready = true;
}

/*
 * The table entry of a packed code, or NULL, from the hash built with the keys: the balance
 * aggregates look up two or three codes a row.
 */
const LandClassEntry *
LandClassLookup(LandClass lc)
{
	EnsureKeys();
	for (uint32 slot = LandClassSlot(lc);; slot = (slot + 1) & (LC_HASH_SIZE - 1))
	{
		int			i = code_slots[slot];

		if (i < 0)
			return NULL;
		if (landclass_keys[i] == lc)
			return &landclass_table[i];
	}
}

static const LandClassEntry *
LandClassEntryOf(LandClass lc)
{
	const LandClassEntry *e = LandClassLookup(lc);

	if (e == NULL)
		elog(ERROR, "corrupt landclass value %d", (int) lc);
	return e;
}

static LandClass
PackKnownCode(const char *code)
{
	LandClass	lc;

	if (!PackCode(code, strlen(code), &lc))
		elog(ERROR, "unpackable land class code \"%s\"", code);
	return lc;
}

/* The codes sharing the first two characters of str, for a hint ("0301, 0302, ..."). */
static char *
SiblingCodes(const char *str)
{
	StringInfoData buf;

	initStringInfo(&buf);
	if (strlen(str) < 2)
		return NULL;
	for (int i = 0; i < LANDCLASS_COUNT; i++)
	{
		const char *code = landclass_table[i].code;

		if (strlen(code) > 2 && strncmp(code, str, 2) == 0)
			appendStringInfo(&buf, "%s%s %s", buf.len ? ", " : "", code, landclass_table[i].name_zh);
	}
	return buf.len ? buf.data : NULL;
}

/*
 * Parse a land-class code: surrounding blanks are ignored (shapefile fields are padded) and
 * letters may be in either case; anything not in the classification is an error naming it.
 */
LandClass
LandClassFromCString(const char *str, bool missing_ok)
{
	char		code[LC_MAX_CODE_LEN + 1];
	const char *start = str;
	const char *end = str + strlen(str);
	int			len;
	LandClass	lc;

	while (*start == ' ')
		start++;
	while (end > start && end[-1] == ' ')
		end--;
	len = end - start;
	if (len >= 1 && len <= LC_MAX_CODE_LEN)
	{
		for (int i = 0; i < len; i++)
			code[i] = pg_ascii_toupper((unsigned char) start[i]);
		code[len] = '\0';
		if (PackCode(code, len, &lc) && LandClassLookup(lc) != NULL)
			return lc;
	}
	if (missing_ok)
		return -1;
	{
		char	   *siblings = (len >= 2 && len <= LC_MAX_CODE_LEN) ? SiblingCodes(code) : NULL;

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid land class code: \"%s\"", str),
				 errdetail("A landclass is a code of the 三调 work classification (Third National Land Survey), such as \"0101\" 水田, \"05H1\" or \"1104K\", or a first-level class such as \"01\"."),
				 siblings ? errhint("Codes beginning with \"%.2s\": %s.", code, siblings) :
				 errhint("See landpolicy.landclasses for every code.")));
	}
	return -1;					/* keep compiler quiet */
}

/* The base code of a suffixed survey code ("1104K" -> "1104"), or the code itself. */
static LandClass
BaseOf(LandClass lc)
{
	const LandClassEntry *e = LandClassEntryOf(lc);

	if (strlen(e->code) == LC_MAX_CODE_LEN)
		return lc & ~((LandClass) 0x3F);
	return lc;
}

bool
LandClassIsCultivated(LandClass lc)
{
	return strcmp(LandClassEntryOf(lc)->level1, "01") == 0;
}

PG_FUNCTION_INFO_V1(landclass_in);
/* Text input: a known code or an error naming the value. */
Datum
landclass_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_LANDCLASS(LandClassFromCString(PG_GETARG_CSTRING(0), false));
}

PG_FUNCTION_INFO_V1(landclass_out);
/* Text output: the canonical (upper-case) code. */
Datum
landclass_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(LandClassEntryOf(PG_GETARG_LANDCLASS(0))->code));
}

PG_FUNCTION_INFO_V1(landclass_recv);
/* Binary input: the code as text, validated exactly as text input is. */
Datum
landclass_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *str = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);
	LandClass	lc = LandClassFromCString(str, true);

	if (lc < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid land class code in binary input: \"%s\"", str)));
	PG_RETURN_LANDCLASS(lc);
}

PG_FUNCTION_INFO_V1(to_landclass);
/* A code in a text column as a landclass, or NULL when it is not one (for audits and clean-ups). */
Datum
to_landclass(PG_FUNCTION_ARGS)
{
	LandClass	lc = LandClassFromCString(text_to_cstring(PG_GETARG_TEXT_PP(0)), true);

	if (lc < 0)
		PG_RETURN_NULL();
	PG_RETURN_LANDCLASS(lc);
}

PG_FUNCTION_INFO_V1(landclass_send);
/* Binary output: the code as text, so the wire format does not depend on the packing. */
Datum
landclass_send(PG_FUNCTION_ARGS)
{
	const LandClassEntry *e = LandClassEntryOf(PG_GETARG_LANDCLASS(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, e->code, strlen(e->code));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define LANDCLASS_CMP_FUNC(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_LANDCLASS(0) op PG_GETARG_LANDCLASS(1)); \
}

/* Comparison operators: code order. */
LANDCLASS_CMP_FUNC(landclass_eq, ==)
LANDCLASS_CMP_FUNC(landclass_ne, !=)
LANDCLASS_CMP_FUNC(landclass_lt, <)
LANDCLASS_CMP_FUNC(landclass_le, <=)
LANDCLASS_CMP_FUNC(landclass_gt, >)
LANDCLASS_CMP_FUNC(landclass_ge, >=)

PG_FUNCTION_INFO_V1(landclass_cmp);
/* btree support: three-way comparison. */
Datum
landclass_cmp(PG_FUNCTION_ARGS)
{
	LandClass	a = PG_GETARG_LANDCLASS(0);
	LandClass	b = PG_GETARG_LANDCLASS(1);

	PG_RETURN_INT32(a < b ? -1 : (a > b ? 1 : 0));
}

PG_FUNCTION_INFO_V1(landclass_hash);
/* hash support: 32-bit hash of the packed code. */
Datum
landclass_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_LANDCLASS(0));
}

PG_FUNCTION_INFO_V1(landclass_hash_extended);
/* hash support: seeded 64-bit hash of the packed code (hash partitioning). */
Datum
landclass_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_LANDCLASS(0), PG_GETARG_INT64(1));
}

/* a <@ b: a is b, b is a's first-level class, or b is the base code of suffixed a. */
static bool
LandClassWithin(LandClass a, LandClass b)
{
	return a == b || BaseOf(a) == b || PackKnownCode(LandClassEntryOf(a)->level1) == b;
}

PG_FUNCTION_INFO_V1(landclass_within);
/* a <@ b: a falls within class b ('0101' <@ '01', '1104K' <@ '1104'). */
Datum
landclass_within(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LandClassWithin(PG_GETARG_LANDCLASS(0), PG_GETARG_LANDCLASS(1)));
}

PG_FUNCTION_INFO_V1(landclass_contains);
/* a @> b: class a contains b. */
Datum
landclass_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LandClassWithin(PG_GETARG_LANDCLASS(1), PG_GETARG_LANDCLASS(0)));
}

PG_FUNCTION_INFO_V1(lc_name);
/* Chinese name of the class. */
Datum
lc_name(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(LandClassEntryOf(PG_GETARG_LANDCLASS(0))->name_zh));
}

PG_FUNCTION_INFO_V1(lc_name_en);
/* English name of the class. */
Datum
lc_name_en(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(LandClassEntryOf(PG_GETARG_LANDCLASS(0))->name_en));
}

PG_FUNCTION_INFO_V1(lc_level1);
/* First-level class of the work classification ('0303' -> '00' 湿地). */
Datum
lc_level1(PG_FUNCTION_ARGS)
{
	PG_RETURN_LANDCLASS(PackKnownCode(LandClassEntryOf(PG_GETARG_LANDCLASS(0))->level1));
}

PG_FUNCTION_INFO_V1(lc_three_class);
/* 三大类 as in the reference table: agricultural, construction, unused; NULL for a mixed first-level class. */
Datum
lc_three_class(PG_FUNCTION_ARGS)
{
	switch (LandClassEntryOf(PG_GETARG_LANDCLASS(0))->three_class)
	{
		case LC_AGRICULTURAL:
			PG_RETURN_TEXT_P(cstring_to_text("agricultural"));
		case LC_CONSTRUCTION:
			PG_RETURN_TEXT_P(cstring_to_text("construction"));
		case LC_UNUSED:
			PG_RETURN_TEXT_P(cstring_to_text("unused"));
		case LC_MIXED:
			break;
	}
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(is_cultivated);
/* 耕地: 0101 水田, 0102 水浇地, 0103 旱地, or the first-level class 01. */
Datum
is_cultivated(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LandClassIsCultivated(PG_GETARG_LANDCLASS(0)));
}

PG_FUNCTION_INFO_V1(is_wetland);
/* 湿地 flag of the reference table (0603 盐田 included; it is construction land all the same). */
Datum
is_wetland(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LandClassEntryOf(PG_GETARG_LANDCLASS(0))->is_wetland);
}

PG_FUNCTION_INFO_V1(landclass_codes);
/* Every code with its attributes: the classification as a set. */
Datum
landclass_codes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (int i = 0; i < LANDCLASS_COUNT; i++)
	{
		Datum		values[1];
		bool		nulls[1] = {false};

		values[0] = LandClassGetDatum(PackKnownCode(landclass_table[i].code));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
