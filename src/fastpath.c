/*
 * fastpath.c — the guards' fast path: reference layers as prepared GEOS geometries in an STRtree,
 * cached per backend, so that most rows are decided by the index and a prepared predicate and only
 * rows crossing a boundary pay for an exact intersection.
 *
 * A layer's pieces are read once (as WKB, one query) and kept until the layer changes: the sync
 * trigger on its source table, and writes to policy_param and exemption, send a relcache
 * invalidation for the relation concerned, which every backend receives at commit.  Anything the
 * fast path cannot decide exactly as the SQL path would — a geographic SRID, an SRID that differs
 * from the layer's, an invalid or non-polygonal geometry, a rule with exemptions on record, record
 * mode, a layer larger than landpolicy.layer_cache_kb — falls back to the SQL path, which gives the
 * same verdict (and the same errors) more slowly.  GEOS reports errors through a handler that
 * only records them: nothing longjmps through PostgreSQL, and interrupts are checked between pieces.
 */
#include "postgres.h"

#include <geos_c.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/acl.h"
#include "utils/typcache.h"

#include "admincode.h"
#include "landclass.h"
#include "fastpath.h"

bool		landpolicy_fast_path = true;
int			landpolicy_layer_cache_kb = 262144;

static GEOSContextHandle_t geos = NULL;
static char geos_error[512];
static bool geos_failed = false;

#define MAX_LAYER_CACHES 16

typedef enum LayerCacheStatus
{
	LAYER_READY,
	LAYER_MISSING,				/* not registered */
	LAYER_UNSUPPORTED			/* geographic SRID, or too large for the cache */
} LayerCacheStatus;

typedef struct LayerCache
{
	bool		used;
	bool		valid;
	LayerCacheStatus status;
	char		kind[NAMEDATALEN];
	Oid			relid;
	int32		srid;
	int			n;
	GEOSGeometry **geoms;
	const GEOSPreparedGeometry **preps;	/* prepared on first use */
	char	  **keys;
	int		   *grades;
	GEOSSTRtree *tree;
	MemoryContext cxt;
	Size		wkb_bytes;		/* what the memory bound is checked against */
	bool		too_big;
} LayerCache;

static LayerCache layer_caches[MAX_LAYER_CACHES];

/*
 * Parameter values by (key, jurisdiction), each with the windows of dates over which it was
 * resolved (landpolicy.param_window: no row that could answer starts or ends inside a window), so
 * that rows dated anywhere in a window share one lookup.  Cleared when policy_param changes.
 */
typedef struct ParamKey
{
	char		key[NAMEDATALEN];
	AdminCode	jurisdiction;
	bool		has_jurisdiction;
} ParamKey;

#define PARAM_WINDOWS 4			/* per key and jurisdiction; the oldest is replaced */

typedef struct ParamWindow
{
	DateADT		from;			/* inclusive; DATEVAL_NOBEGIN when unbounded */
	DateADT		until;			/* exclusive; DATEVAL_NOEND when unbounded */
	double		value;			/* NaN when no row is in force */
} ParamWindow;

typedef struct ParamEntry
{
	ParamKey	key;
	int			nwindows;
	int			next;			/* the slot the next window goes into when all are used */
	ParamWindow windows[PARAM_WINDOWS];
} ParamEntry;

static HTAB *param_cache = NULL;
static Oid	policy_param_relid = InvalidOid;

/* Whether each rule has exemptions on record; cleared when landpolicy.exemption changes. */
#define MAX_RULES 64
static struct
{
	char		rule[16];
	bool		has;
}			exemption_flags[MAX_RULES];
static int	exemption_flags_used = 0;
static Oid	exemption_relid = InvalidOid;

/* landpolicy.layer_piece and the type of its geom column (PostGIS's geometry): looked up once. */
static Oid	layer_piece_relid = InvalidOid;
static Oid	layer_piece_geomtype = InvalidOid;

/* PostGIS functions called in-process. */
static FmgrInfo asbinary_fn;
static FmgrInfo srid_fn;
static bool postgis_fns_ready = false;

static void
GeosErrorHandler(const char *message, void *userdata)
{
	strlcpy(geos_error, message, sizeof(geos_error));
	geos_failed = true;
}

static void
LayerCacheFree(LayerCache *c)
{
	if (c->tree)
		GEOSSTRtree_destroy_r(geos, c->tree);
	for (int i = 0; i < c->n; i++)
	{
		if (c->preps && c->preps[i])
			GEOSPreparedGeom_destroy_r(geos, c->preps[i]);
		if (c->geoms && c->geoms[i])
			GEOSGeom_destroy_r(geos, c->geoms[i]);
	}
	if (c->cxt)
		MemoryContextDelete(c->cxt);
	memset(c, 0, sizeof(*c));
}

static void
FastPathRelcacheCallback(Datum arg, Oid relid)
{
	for (int i = 0; i < MAX_LAYER_CACHES; i++)
		if (layer_caches[i].used && (relid == InvalidOid || relid == layer_caches[i].relid))
			layer_caches[i].valid = false;
	if (param_cache && (relid == InvalidOid || relid == policy_param_relid))
	{
		hash_destroy(param_cache);
		param_cache = NULL;
	}
	if (relid == InvalidOid || relid == exemption_relid)
		exemption_flags_used = 0;
	if (relid == InvalidOid || relid == layer_piece_relid)
		layer_piece_relid = layer_piece_geomtype = InvalidOid;
}

void
FastPathInit(void)
{
	DefineCustomBoolVariable("landpolicy.fast_path",
							 "Decide row rules in C against cached, prepared reference layers.",
							 "Off: every row goes through the SQL evaluation (same verdicts, slower).",
							 &landpolicy_fast_path, true, PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("landpolicy.layer_cache_kb",
							"Largest reference layer, in kB of WKB, that a backend caches for the fast path.",
							"Layers above it are checked by the SQL path.",
							&landpolicy_layer_cache_kb, 262144, 0, INT_MAX / 4, PGC_USERSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
	CacheRegisterRelcacheCallback(FastPathRelcacheCallback, (Datum) 0);
}

static void
EnsureGeos(void)
{
	if (geos)
		return;
	geos = GEOS_init_r();
	if (geos == NULL)
		elog(ERROR, "could not initialise GEOS");
	GEOSContext_setErrorMessageHandler_r(geos, GeosErrorHandler, NULL);
}

static Oid
LandpolicyRelid(const char *name)
{
	return get_relname_relid(name, get_namespace_oid("landpolicy", false));
}

/* landpolicy.layer_piece, remembered until its relcache entry is invalidated. */
static Oid
LayerPieceRelid(void)
{
	if (!OidIsValid(layer_piece_relid))
	{
		Oid			relid = LandpolicyRelid("layer_piece");

		layer_piece_geomtype = get_atttype(relid, get_attnum(relid, "geom"));
		layer_piece_relid = relid;
	}
	return layer_piece_relid;
}

static Oid
LayerPieceGeomType(void)
{
	(void) LayerPieceRelid();
	return layer_piece_geomtype;
}

static Oid
TypeNamespace(Oid type)
{
	HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(type));
	Oid			nsp;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", type);
	nsp = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	ReleaseSysCache(tup);
	return nsp;
}

static void
EnsurePostgisFunctions(Oid geomtype)
{
	char	   *schema;
	Oid			argtypes[1] = {geomtype};

	if (postgis_fns_ready)
		return;
	schema = get_namespace_name(TypeNamespace(geomtype));
	fmgr_info_cxt(LookupFuncName(list_make2(makeString(schema), makeString("st_asbinary")), 1, argtypes, false),
				  &asbinary_fn, TopMemoryContext);
	fmgr_info_cxt(LookupFuncName(list_make2(makeString(schema), makeString("st_srid")), 1, argtypes, false),
				  &srid_fn, TopMemoryContext);
	postgis_fns_ready = true;
}

/* A geometry datum as a GEOS geometry (NULL when GEOS cannot read it). */
static GEOSGeometry *
ToGeos(Datum geom)
{
	bytea	   *wkb = DatumGetByteaPP(FunctionCall1(&asbinary_fn, geom));
	GEOSWKBReader *reader = GEOSWKBReader_create_r(geos);
	GEOSGeometry *g;

	geos_failed = false;
	g = GEOSWKBReader_read_r(geos, reader, (const unsigned char *) VARDATA_ANY(wkb), VARSIZE_ANY_EXHDR(wkb));
	GEOSWKBReader_destroy_r(geos, reader);
	return geos_failed ? NULL : g;
}

static void
CollectIndex(void *item, void *userdata)
{
	List	  **hits = (List **) userdata;

	*hits = lappend_int(*hits, (int) (intptr_t) item);
}

/* Load a layer's pieces into a cache slot. */
static void
LayerCacheBuild(LayerCache *c, const char *kind, Oid geomtype)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	Size		bytes = 0;
	char	   *schema;
	GEOSWKBReader *reader;
	MemoryContext old;

	strlcpy(c->kind, kind, sizeof(c->kind));
	c->used = true;
	c->valid = true;
	c->relid = LandpolicyRelid(psprintf("layer_piece_%s", kind));
	if (!OidIsValid(c->relid))
	{
		c->status = LAYER_MISSING;
		return;
	}
	args[0] = CStringGetTextDatum(kind);
	if (SPI_execute_with_args("SELECT l.srid, landpolicy.srid_units(l.srid) OPERATOR(pg_catalog.=) 'metre'::pg_catalog.text"
							  " FROM landpolicy.layer l WHERE l.kind OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed == 0)
	{
		c->status = LAYER_MISSING;
		return;
	}
	{
		bool		isnull;

		c->srid = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)))
		{
			c->status = LAYER_UNSUPPORTED;	/* areas on the ellipsoid: the SQL path measures them */
			return;
		}
	}
	schema = get_namespace_name(TypeNamespace(geomtype));
	if (SPI_execute(psprintf("SELECT p.source_key, %s.ST_AsBinary(p.geom), pg_catalog.int4(coalesce(p.slope_grade, %d))"
							 " FROM landpolicy.%s p",
							 quote_identifier(schema), SLOPE_GRADE_NONE,
							 quote_identifier(psprintf("layer_piece_%s", kind))), true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the pieces of layer %s", kind);

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		bytea	   *wkb = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));

		bytes += VARSIZE_ANY_EXHDR(wkb);
	}
	/* GEOS holds coordinates as doubles with some overhead, a prepared copy and an index: about 4× the WKB. */
	c->wkb_bytes = bytes;
	if (bytes * 4 > (Size) landpolicy_layer_cache_kb * 1024)
	{
		c->status = LAYER_UNSUPPORTED;
		c->too_big = true;
		return;
	}

	c->cxt = AllocSetContextCreate(CacheMemoryContext, "landpolicy layer cache", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(c->cxt);
	c->n = SPI_processed;
	c->geoms = palloc0(sizeof(GEOSGeometry *) * Max(c->n, 1));
	c->preps = palloc0(sizeof(GEOSPreparedGeometry *) * Max(c->n, 1));
	c->keys = palloc0(sizeof(char *) * Max(c->n, 1));
	c->grades = palloc0(sizeof(int) * Max(c->n, 1));
	MemoryContextSwitchTo(old);

	c->tree = GEOSSTRtree_create_r(geos, 10);
	reader = GEOSWKBReader_create_r(geos);
	for (int i = 0; i < c->n; i++)
	{
		bool		isnull;
		bytea	   *wkb = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));

		geos_failed = false;
		c->geoms[i] = GEOSWKBReader_read_r(geos, reader, (const unsigned char *) VARDATA_ANY(wkb), VARSIZE_ANY_EXHDR(wkb));
		if (geos_failed || c->geoms[i] == NULL)
		{
			GEOSWKBReader_destroy_r(geos, reader);
			c->n = i;
			LayerCacheFree(c);
			elog(ERROR, "GEOS could not read a piece of layer %s: %s", kind, geos_error);
		}
		c->keys[i] = MemoryContextStrdup(c->cxt, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
		c->grades[i] = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3, &isnull));
		GEOSSTRtree_insert_r(geos, c->tree, c->geoms[i], (void *) (intptr_t) i);
	}
	GEOSWKBReader_destroy_r(geos, reader);
	c->status = LAYER_READY;
}

static LayerCache *
LayerCacheGet(const char *kind, Oid geomtype)
{
	LayerCache *slot = NULL;

	for (int i = 0; i < MAX_LAYER_CACHES; i++)
		if (layer_caches[i].used && strcmp(layer_caches[i].kind, kind) == 0)
		{
			LayerCache *c = &layer_caches[i];
			bool		fits = c->wkb_bytes * 4 <= (Size) landpolicy_layer_cache_kb * 1024;

			/* valid, and on the right side of the memory bound as it is set now */
			if (c->valid && (c->status == LAYER_READY ? fits : !(c->too_big && fits)))
				return c;
			LayerCacheFree(&layer_caches[i]);
			slot = &layer_caches[i];
			break;
		}
	if (slot == NULL)
		for (int i = 0; i < MAX_LAYER_CACHES && slot == NULL; i++)
			if (!layer_caches[i].used)
				slot = &layer_caches[i];
	if (slot == NULL)
	{
		LayerCacheFree(&layer_caches[0]);	/* all in use: recycle the first */
		slot = &layer_caches[0];
	}
	LayerCacheBuild(slot, kind, geomtype);
	return slot;
}

/* Free a list of GEOS geometries (before an error, too: GEOS memory is not PostgreSQL's). */
static void
FreeGeosList(List *geoms)
{
	ListCell   *lc;

	foreach(lc, geoms)
		GEOSGeom_destroy_r(geos, (GEOSGeometry *) lfirst(lc));
	list_free(geoms);
}

static int
CompareStrings(const ListCell *a, const ListCell *b)
{
	return strcmp((const char *) lfirst(a), (const char *) lfirst(b));
}

/* The row measured against a cached layer: overlap, features, steepest grade covered beyond the tolerance. */
static void
Measure(LayerCache *c, const GEOSGeometry *row, double tolerance, RuleMeasurement *m)
{
	List	   *hits = NIL;
	List	   *parts = NIL;
	List	   *keys = NIL;
	bool		several_features = false;
	double		sum = 0;
	ListCell   *lc;

	m->kind = c->kind;
	m->max_slope_grade = SLOPE_GRADE_NONE;
	m->overlap_m2 = 0;
	GEOSSTRtree_query_r(geos, c->tree, row, CollectIndex, &hits);
	foreach(lc, hits)
	{
		int			i = lfirst_int(lc);
		GEOSGeometry *part;
		double		a = 0;

		CHECK_FOR_INTERRUPTS();
		if (c->preps[i] == NULL)
			c->preps[i] = GEOSPrepare_r(geos, c->geoms[i]);
		if (GEOSPreparedIntersects_r(geos, c->preps[i], row) != 1)
			continue;
		/* wholly inside one piece: the overlap is the row itself */
		if (GEOSPreparedContainsProperly_r(geos, c->preps[i], row) == 1)
			part = GEOSGeom_clone_r(geos, row);
		else
			part = GEOSIntersection_r(geos, c->geoms[i], row);
		if (part == NULL)
		{
			FreeGeosList(parts);
			elog(ERROR, "GEOS failed to intersect a row with layer %s: %s", c->kind, geos_error);
		}
		GEOSArea_r(geos, part, &a);
		if (a <= 0)
		{
			GEOSGeom_destroy_r(geos, part);
			continue;
		}
		if (keys != NIL && strcmp((char *) linitial(keys), c->keys[i]) != 0)
			several_features = true;
		sum += a;
		parts = lappend(parts, part);
		keys = lappend(keys, c->keys[i]);
		if (a > tolerance && c->grades[i] != SLOPE_GRADE_NONE && c->grades[i] > m->max_slope_grade)
			m->max_slope_grade = c->grades[i];
	}
	list_free(hits);

	if (!several_features)
		m->overlap_m2 = sum;	/* pieces of one feature do not overlap one another: their parts add up */
	else
	{
		/* features of a layer may overlap each other: count their union once */
		int			n = list_length(parts);
		GEOSGeometry **arr = palloc(sizeof(GEOSGeometry *) * n);
		GEOSGeometry *coll;
		GEOSGeometry *u;
		int			k = 0;

		foreach(lc, parts)
			arr[k++] = GEOSGeom_clone_r(geos, (GEOSGeometry *) lfirst(lc));
		coll = GEOSGeom_createCollection_r(geos, GEOS_GEOMETRYCOLLECTION, arr, n);
		u = coll ? GEOSUnaryUnion_r(geos, coll) : NULL;
		if (coll)
			GEOSGeom_destroy_r(geos, coll);
		if (u == NULL)
		{
			FreeGeosList(parts);
			elog(ERROR, "GEOS failed to union overlaps with layer %s: %s", c->kind, geos_error);
		}
		GEOSArea_r(geos, u, &m->overlap_m2);
		GEOSGeom_destroy_r(geos, u);
	}
	FreeGeosList(parts);
	m->exempted_m2 = 0;
	m->counted_m2 = m->overlap_m2;

	/* the features hit, each once, in key order (as the SQL path's array_agg(DISTINCT … ORDER BY …)) */
	m->features = NULL;
	if (keys != NIL)
	{
		StringInfoData buf;
		const char *prev = NULL;

		list_sort(keys, CompareStrings);
		initStringInfo(&buf);
		foreach(lc, keys)
		{
			const char *k = (const char *) lfirst(lc);

			if (prev == NULL || strcmp(prev, k) != 0)
				appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", k);
			prev = k;
		}
		m->features = buf.data;
		list_free(keys);
	}
}

/* ---- parameters and exemptions, cached ---- */

typedef struct ParamContext
{
	Datum		jurisdiction;
	bool		jurisdiction_null;
	DateADT		at;
} ParamContext;

static double
CachedParam(void *ctx, const char *key)
{
	ParamContext *pc = (ParamContext *) ctx;
	ParamKey	k;
	ParamEntry *e;
	ParamWindow w;
	bool		found;
	Oid			argtypes[3] = {TEXTOID, InvalidOid, DATEOID};
	Datum		args[3];
	char		nulls[3] = {' ', pc->jurisdiction_null ? 'n' : ' ', ' '};
	bool		isnull;
	Datum		d;

	if (param_cache == NULL)
	{
		HASHCTL		ctl;

		policy_param_relid = LandpolicyRelid("policy_param");
		ctl.keysize = sizeof(ParamKey);
		ctl.entrysize = sizeof(ParamEntry);
		ctl.hcxt = CacheMemoryContext;
		param_cache = hash_create("landpolicy parameters", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memset(&k, 0, sizeof(k));
	strlcpy(k.key, key, sizeof(k.key));
	k.has_jurisdiction = !pc->jurisdiction_null;
	k.jurisdiction = pc->jurisdiction_null ? 0 : DatumGetAdminCode(pc->jurisdiction);
	e = hash_search(param_cache, &k, HASH_FIND, NULL);
	if (e != NULL)
		for (int i = 0; i < e->nwindows; i++)
			if (e->windows[i].from <= pc->at && pc->at < e->windows[i].until)
				return e->windows[i].value;

	argtypes[1] = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("admincode"),
								  ObjectIdGetDatum(get_namespace_oid("landpolicy", false)));
	args[0] = CStringGetTextDatum(key);
	args[1] = pc->jurisdiction;
	args[2] = DateADTGetDatum(pc->at);

	/*
	 * Until ALTER EXTENSION UPDATE has created param_window (0.1.0's SQL on this library), the
	 * value holds for the one date asked about.
	 */
	if (SPI_execute_with_args(OidIsValid(LookupFuncName(list_make2(makeString("landpolicy"), makeString("param_window")),
														3, argtypes, true))
							  ? "SELECT w.value::pg_catalog.float8, pg_catalog.lower(w.valid), pg_catalog.upper(w.valid)"
							  " FROM landpolicy.param_window($1, $2, $3) w"
							  : "SELECT landpolicy.param($1, $2, $3)::pg_catalog.float8, $3, $3 OPERATOR(pg_catalog.+) 1",
							  3, argtypes, args, nulls, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read policy parameter %s", key);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	w.value = isnull ? get_float8_nan() : DatumGetFloat8(d);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	w.from = isnull ? DATEVAL_NOBEGIN : DatumGetDateADT(d);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
	w.until = isnull ? DATEVAL_NOEND : DatumGetDateADT(d);

	/* the SPI call may have invalidated the cache; a window must hold the date it answers for */
	if (param_cache == NULL || !(w.from <= pc->at && pc->at < w.until))
		return w.value;
	e = hash_search(param_cache, &k, HASH_ENTER, &found);
	if (!found)
		e->nwindows = e->next = 0;
	if (e->nwindows < PARAM_WINDOWS)
		e->windows[e->nwindows++] = w;
	else
	{
		e->windows[e->next] = w;
		e->next = (e->next + 1) % PARAM_WINDOWS;
	}
	return w.value;
}

static bool
RuleHasExemptions(const char *rule)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		isnull;
	volatile bool has;

	for (int i = 0; i < exemption_flags_used; i++)
		if (strcmp(exemption_flags[i].rule, rule) == 0)
			return exemption_flags[i].has;
	exemption_relid = LandpolicyRelid("exemption");
	args[0] = CStringGetTextDatum(rule);
	if (SPI_execute_with_args("SELECT EXISTS (SELECT 1 FROM landpolicy.exemption e WHERE e.rule OPERATOR(pg_catalog.=) $1)",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read landpolicy.exemption");
	has = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (exemption_flags_used < MAX_RULES)
	{
		strlcpy(exemption_flags[exemption_flags_used].rule, rule, sizeof(exemption_flags[0].rule));
		exemption_flags[exemption_flags_used++].has = has;
	}
	return has;
}

/*
 * Decide a row rule in C.  True with *violations set when decided; false when the SQL path must
 * decide (it reaches the same verdict, or raises the error the row deserves).  Call inside SPI;
 * the violations are made in result_cxt (the caller's, which SPI_finish() leaves alone).
 */
bool
FastPathEvaluate(const RuleDef *rule, const RuleInput *in, Datum geom, bool geom_null,
				 Datum jurisdiction, bool jurisdiction_null, DateADT at,
				 MemoryContext result_cxt, List **violations)
{
	RuleMeasurement ms[RULE_MAX_LAYERS];
	volatile int nms = 0;
	GEOSGeometry *volatile row = NULL;
	volatile int32 row_srid = 0;
	ParamContext pc = {jurisdiction, jurisdiction_null, at};
	double		tolerance;
	volatile bool decided = true;
	Oid			geomtype;

	if (!landpolicy_fast_path || geom_null || rule->sql_check)
		return false;
	if (RuleHasExemptions(rule->id))
		return false;
	EnsureGeos();
	geomtype = LayerPieceGeomType();
	EnsurePostgisFunctions(geomtype);
	tolerance = CachedParam(&pc, "overlap.tolerance_m2");
	if (isnan(tolerance))
		tolerance = 0;

	PG_TRY();
	{
		for (int i = 0; i < RULE_MAX_LAYERS && rule->layers[i].kind && decided; i++)
		{
			const RuleLayer *layer = &rule->layers[i];
			LayerCache *c;

			if (!layer->any_use && !rule->applies(in))
				continue;
			c = LayerCacheGet(layer->kind, geomtype);
			if (c->status == LAYER_MISSING && !layer->required)
				continue;
			if (c->status != LAYER_READY)
			{
				decided = false;	/* a missing required layer: the SQL path raises its error */
				break;
			}
			if (row == NULL)
			{
				int			type;

				row_srid = DatumGetInt32(FunctionCall1(&srid_fn, geom));
				row = ToGeos(geom);
				type = row ? GEOSGeomTypeId_r(geos, row) : -1;
				if (row == NULL || GEOSisEmpty_r(geos, row) != 0 || GEOSisValid_r(geos, row) != 1 ||
					(type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON))
				{
					decided = false;	/* the SQL path says what is wrong with it */
					break;
				}
			}
			if (row_srid != c->srid)
			{
				decided = false;	/* the SQL path transforms it */
				break;
			}
			Measure(c, row, tolerance, &ms[nms]);
			nms++;
		}
	}
	PG_FINALLY();
	{
		if (row)
			GEOSGeom_destroy_r(geos, (GEOSGeometry *) row);
	}
	PG_END_TRY();

	if (!decided)
		return false;
	*violations = CopyViolations(RuleJudge(rule, in, tolerance, CachedParam, &pc, ms, nms), result_cxt);
	return true;
}

PG_FUNCTION_INFO_V1(notify_change);
/* Tell every backend that a relation's contents changed (layer pieces, parameters, exemptions). */
Datum
notify_change(PG_FUNCTION_ARGS)
{
	CacheInvalidateRelcacheByRelid(PG_GETARG_OID(0));
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(fast_overlap);
/* The fast path's measurement of a geometry against a layer, or NULL where it would defer to SQL (for tests). */
Datum
fast_overlap(PG_FUNCTION_ARGS)
{
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Datum		geom = PG_GETARG_DATUM(1);
	double		tolerance = PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2);
	TupleDesc	desc;
	Oid			geomtype;
	LayerCache *c;
	GEOSGeometry *volatile row = NULL;
	RuleMeasurement m;
	volatile bool ok = false;
	Datum		values[6];
	bool		nulls[6] = {false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "fast_overlap must return landpolicy.measurement");
	EnsureGeos();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	geomtype = LayerPieceGeomType();
	EnsurePostgisFunctions(geomtype);
	c = LayerCacheGet(kind, geomtype);
	PG_TRY();
	{
		if (c->status == LAYER_READY && DatumGetInt32(FunctionCall1(&srid_fn, geom)) == c->srid &&
			(row = ToGeos(geom)) != NULL && GEOSisValid_r(geos, row) == 1)
		{
			Measure(c, row, tolerance, &m);
			ok = true;
		}
	}
	PG_FINALLY();
	{
		if (row)
			GEOSGeom_destroy_r(geos, (GEOSGeometry *) row);
	}
	PG_END_TRY();
	SPI_finish();
	if (!ok)
		PG_RETURN_NULL();

	values[0] = CStringGetTextDatum(m.kind);
	values[1] = Float8GetDatum(m.overlap_m2);
	values[2] = Float8GetDatum(m.exempted_m2);
	values[3] = Float8GetDatum(m.counted_m2);
	if (m.features)
	{
		ArrayBuildState *astate = NULL;
		char	   *copy = pstrdup(m.features);
		char	   *save = NULL;

		for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		{
			while (*tok == ' ')
				tok++;
			astate = accumArrayResult(astate, CStringGetTextDatum(tok), false, TEXTOID, CurrentMemoryContext);
		}
		values[4] = makeArrayResult(astate, CurrentMemoryContext);
	}
	else
		nulls[4] = true;
	values[5] = Int32GetDatum(m.max_slope_grade);
	nulls[5] = m.max_slope_grade == SLOPE_GRADE_NONE;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

PG_FUNCTION_INFO_V1(fast_evaluate);
/*
 * landpolicy.fast_evaluate(rule, geom, use, at, jurisdiction, slope_grade, has_review, is_pv): the
 * violations a row would raise under one row rule, decided by the fast path, as an array of
 * landpolicy.violation; NULL where the SQL path must decide (it reaches the same verdict, or raises
 * the error the row deserves), when the fast path is off, and for a caller who may not read the
 * layers' pieces (the SQL path then refuses as it always has).  evaluate() tries it first, so that
 * check() and audit() share the guards' speed.
 */
Datum
fast_evaluate(PG_FUNCTION_ARGS)
{
	const RuleDef *rule;
	RuleInput	in = {-1, false, SLOPE_GRADE_NONE, false};
	List	   *violations = NIL;
	MemoryContext cxt = CurrentMemoryContext;
	Oid			elemtype;
	int16		elemlen;
	bool		elembyval;
	char		elemalign;
	TupleDesc	desc;
	Datum	   *elems;
	int			n = 0;
	bool		decided;
	ListCell   *lc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(3) || !landpolicy_fast_path ||
		pg_class_aclcheck(LayerPieceRelid(), GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		PG_RETURN_NULL();
	rule = RuleLookup(text_to_cstring(PG_GETARG_TEXT_PP(0)), false);
	if (!PG_ARGISNULL(2))
		in.use = PG_GETARG_LANDCLASS(2);
	in.slope_grade = PG_ARGISNULL(5) ? SLOPE_GRADE_NONE : PG_GETARG_INT32(5);
	in.has_review = !PG_ARGISNULL(6) && PG_GETARG_BOOL(6);
	in.is_pv = !PG_ARGISNULL(7) && PG_GETARG_BOOL(7);
	if (!RuleApplies(rule, &in))
		decided = true;			/* the row does not concern the rule: no violations */
	else
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		decided = FastPathEvaluate(rule, &in, PG_GETARG_DATUM(1), PG_ARGISNULL(1),
								   PG_ARGISNULL(4) ? (Datum) 0 : PG_GETARG_DATUM(4), PG_ARGISNULL(4),
								   PG_GETARG_DATEADT(3), cxt, &violations);
		SPI_finish();
	}
	if (!decided)
		PG_RETURN_NULL();

	elemtype = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
	if (!OidIsValid(elemtype))
		elog(ERROR, "fast_evaluate must return landpolicy.violation[]");
	desc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	if (desc->natts != VIOLATION_NATTS)
		elog(ERROR, "landpolicy.violation has %d columns, expected %d", desc->natts, VIOLATION_NATTS);
	elems = palloc(sizeof(Datum) * Max(list_length(violations), 1));
	foreach(lc, violations)
	{
		Datum		values[VIOLATION_NATTS];
		bool		nulls[VIOLATION_NATTS] = {false};

		ViolationValues(rule, (RuleViolation *) lfirst(lc), values);
		elems[n++] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
	get_typlenbyvalalign(elemtype, &elemlen, &elembyval, &elemalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, elemtype, elemlen, elembyval, elemalign));
}
