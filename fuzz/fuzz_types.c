/*
 * fuzz/fuzz_types.c — a libFuzzer harness over the text and binary input functions of landclass
 * and admincode (src/landclass.c, src/admincode.c compiled as they are).
 *
 * The functions run outside a backend, so the few backend services they use are provided here:
 * palloc (tracked, everything freed after each input), ereport (the message is formatted, so a bad
 * format argument shows up under ASan, then control returns to the harness as PostgreSQL's error
 * recovery would), and pq_getmsgtext (the message bytes as a string; no encoding conversion).
 * Every accepted value must print back to a string that reads back to the same value.
 *
 * Input: the first byte picks the function (landclass_in, landclass_recv, admincode_in,
 * admincode_recv), the rest is the argument.  fuzz/run.sh builds and runs it.
 */
#include "postgres.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"

/* the C library's printf family, not libpgport's (not linked here) */
#undef vsnprintf
#undef fprintf

extern Datum landclass_in(PG_FUNCTION_ARGS);
extern Datum landclass_out(PG_FUNCTION_ARGS);
extern Datum landclass_recv(PG_FUNCTION_ARGS);
extern Datum admincode_in(PG_FUNCTION_ARGS);
extern Datum admincode_out(PG_FUNCTION_ARGS);
extern Datum admincode_recv(PG_FUNCTION_ARGS);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- memory: every block of one input, freed when the input is done ---- */
static void **blocks;
static size_t nblocks, maxblocks;

static void *
track(void *p)
{
	if (p == NULL)
		abort();
	if (nblocks == maxblocks)
	{
		maxblocks = maxblocks ? maxblocks * 2 : 64;
		blocks = realloc(blocks, maxblocks * sizeof(void *));
		if (blocks == NULL)
			abort();
	}
	blocks[nblocks++] = p;
	return p;
}

static void
free_all(void)
{
	for (size_t i = 0; i < nblocks; i++)
		free(blocks[i]);
	nblocks = 0;
}

void *
palloc(Size size)
{
	return track(malloc(size ? size : 1));
}

void *
palloc0(Size size)
{
	return track(calloc(1, size ? size : 1));
}

char *
pstrdup(const char *in)
{
	return strcpy(palloc(strlen(in) + 1), in);
}

void
pfree(void *pointer)
{
	/* freed with the rest of the input's blocks */
}

char *
psprintf(const char *fmt,...)
{
	va_list		ap;
	char		buf[8192];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return pstrdup(buf);
}

/* ---- ereport: format the message, then back to the harness ---- */
static sigjmp_buf on_error;
static int	error_level;
static char message[8192];

bool
errstart(int elevel, const char *domain)
{
	error_level = elevel;
	return true;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	if (error_level >= ERROR)
		siglongjmp(on_error, 1);
}

int
errcode(int sqlerrcode)
{
	return 0;
}

#define FORMAT_INTO_MESSAGE(fmt) \
	do { \
		va_list		ap; \
		va_start(ap, fmt); \
		vsnprintf(message, sizeof(message), fmt, ap); \
		va_end(ap); \
	} while (0)

int errmsg(const char *fmt,...) { FORMAT_INTO_MESSAGE(fmt); return 0; }
int errmsg_internal(const char *fmt,...) { FORMAT_INTO_MESSAGE(fmt); return 0; }
int errdetail(const char *fmt,...) { FORMAT_INTO_MESSAGE(fmt); return 0; }
int errhint(const char *fmt,...) { FORMAT_INTO_MESSAGE(fmt); return 0; }

/* ---- pq_getmsgtext: the rest of the message as a string ---- */
char *
pq_getmsgtext(StringInfo msg, int rawbytes, int *nbytes)
{
	char	   *p;

	if (rawbytes < 0 || rawbytes > msg->len - msg->cursor)
	{
		errstart(ERROR, NULL);
		errmsg("insufficient data left in message");
		errfinish(__FILE__, __LINE__, __func__);
	}
	p = palloc(rawbytes + 1);
	memcpy(p, msg->data + msg->cursor, rawbytes);
	p[rawbytes] = '\0';
	msg->cursor += rawbytes;
	*nbytes = strlen(p);
	return p;
}

/* ---- string buffers (the hints list sibling codes) ---- */
void
initStringInfo(StringInfo str)
{
	str->maxlen = 1024;
	str->data = palloc(str->maxlen);
	str->data[0] = '\0';
	str->len = 0;
	str->cursor = 0;
}

void
appendStringInfo(StringInfo str, const char *fmt,...)
{
	for (;;)
	{
		va_list		ap;
		int			needed;

		va_start(ap, fmt);
		needed = vsnprintf(str->data + str->len, str->maxlen - str->len, fmt, ap);
		va_end(ap);
		if (needed < 0)
			abort();
		if (str->len + needed < str->maxlen)
		{
			str->len += needed;
			return;
		}
		{
			char	   *bigger = palloc(2 * (str->len + needed + 1));

			memcpy(bigger, str->data, str->len + 1);
			str->data = bigger;
			str->maxlen = 2 * (str->len + needed + 1);
		}
	}
}

unsigned char
pg_ascii_toupper(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') ? ch - 'a' + 'A' : ch;
}

/* ---- not reached from the input functions: a call is a harness bug ---- */
#define UNREACHED(name) void name(void); void name(void) { fprintf(stderr, #name " called\n"); abort(); }
UNREACHED(InitMaterializedSRF)
UNREACHED(cstring_to_text)
UNREACHED(hash_bytes_uint32)
UNREACHED(hash_bytes_uint32_extended)
UNREACHED(text_to_cstring)
UNREACHED(tuplestore_putvalues)

struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	abort();
}

void
pq_begintypsend(StringInfo buf)
{
	abort();
}

bytea *
pq_endtypsend(StringInfo buf)
{
	abort();
}

void
pq_sendtext(StringInfo buf, const char *str, int slen)
{
	abort();
}

/* ---- the harness ---- */
static Datum
call1(PGFunction f, Datum arg)
{
	LOCAL_FCINFO(fcinfo, 1);

	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = arg;
	fcinfo->args[0].isnull = false;
	return f(fcinfo);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct
	{
		PGFunction	in, out;
		bool		binary;
	}			targets[] = {
		{landclass_in, landclass_out, false},
		{landclass_recv, landclass_out, true},
		{admincode_in, admincode_out, false},
		{admincode_recv, admincode_out, true},
	};
	volatile int which;
	char	   *arg;

	if (size < 1)
		return 0;
	which = data[0] % 4;
	arg = palloc(size);
	memcpy(arg, data + 1, size - 1);
	arg[size - 1] = '\0';

	if (sigsetjmp(on_error, 0) == 0)
	{
		Datum		value;
		char	   *text;
		Datum		again;

		if (targets[which].binary)
		{
			StringInfo	buf = palloc(sizeof(StringInfoData));

			buf->data = arg;
			buf->len = size - 1;	/* the raw bytes, NULs included */
			buf->maxlen = size;
			buf->cursor = 0;
			value = call1(targets[which].in, PointerGetDatum(buf));
		}
		else
			value = call1(targets[which].in, CStringGetDatum(arg));

		/* accepted: the output must read back to the same value */
		text = DatumGetCString(call1(targets[which].out, value));
		again = call1(which < 2 ? landclass_in : admincode_in, CStringGetDatum(text));
		if (again != value)
		{
			fprintf(stderr, "round trip changed the value: \"%s\"\n", text);
			abort();
		}
	}
	free_all();
	return 0;
}
