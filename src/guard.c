/*
 * guard.c — enforce(): the one trigger function behind every attached rule.
 *
 * attach() creates, per (table, rule), an AFTER INSERT OR UPDATE row trigger whose arguments
 * say which rule, which mode, and which columns hold the rule's inputs.  The trigger reads
 * those inputs from the new row, asks landpolicy.evaluate() (the same function check() and
 * audit() use) for violations, and rejects the row with SQLSTATE 23514 (the constraint name
 * set to the rule id) or, in record mode, logs them.  As in ri_triggers.c, the queries are
 * prepared once per backend and run as the extension's owner, so writers need no rights on
 * the layers, exemptions or the log.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "tcop/deparse_utility.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "fastpath.h"
#include "landclass.h"
#include "rules.h"

/* Trigger arguments, in the order attach() writes them. */
enum
{
	ARG_RULE,
	ARG_MODE,
	ARG_GEOM,
	ARG_USE,
	ARG_DATE,
	ARG_JURISDICTION,
	ARG_KEY,
	ARG_SLOPE,
	ARG_REVIEW,
	ARG_PV,
	NUM_ARGS
};

#define NUM_EVAL_PARAMS 8

static SPIPlanPtr reject_plan = NULL;
static SPIPlanPtr record_plan = NULL;

static Oid
LandpolicyTypeOid(const char *name)
{
	Oid			nsp = get_namespace_oid("landpolicy", false);
	Oid			typ = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name), ObjectIdGetDatum(nsp));

	if (!OidIsValid(typ))
		elog(ERROR, "type landpolicy.%s does not exist", name);
	return typ;
}

/* The owner of the extension's tables: guard queries run as this role. */
static Oid
ExtensionOwner(void)
{
	Oid			relid = get_relname_relid("layer_piece", get_namespace_oid("landpolicy", false));
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for landpolicy.layer_piece");
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* The OID of PostGIS's geometry type (layer_piece.geom has it). */
static Oid
GeometryTypeOid(void)
{
	Oid			relid = get_relname_relid("layer_piece", get_namespace_oid("landpolicy", false));

	return get_atttype(relid, get_attnum(relid, "geom"));
}

/*
 * Queries run as the extension's owner with a search_path of pg_catalog, pg_temp only, so that
 * nothing a writer planted in a schema of its own (or its temp schema) can stand in for a type,
 * function or operator they use.  Every name in them is qualified as well.
 */
typedef struct OwnerContext
{
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;
} OwnerContext;

static void
BecomeOwner(OwnerContext *oc)
{
	GetUserIdAndSecContext(&oc->save_userid, &oc->save_sec_context);
	SetUserIdAndSecContext(ExtensionOwner(), oc->save_sec_context | SECURITY_LOCAL_USERID_CHANGE);
	oc->save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
}

static void
StopBeingOwner(OwnerContext *oc)
{
	AtEOXact_GUC(true, oc->save_nestlevel);
	SetUserIdAndSecContext(oc->save_userid, oc->save_sec_context);
}

static SPIPlanPtr
PreparePlan(const char *sql, Oid *argtypes, int nargs)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
	SPI_keepplan(plan);
	return plan;
}

/* The argument types of landpolicy.evaluate(), then the record plan's extra three. */
static void
EvalArgTypes(Oid geomtype, Oid *argtypes)
{
	argtypes[0] = TEXTOID;
	argtypes[1] = geomtype;
	argtypes[2] = LandpolicyTypeOid("landclass");
	argtypes[3] = DATEOID;
	argtypes[4] = LandpolicyTypeOid("admincode");
	argtypes[5] = INT4OID;
	argtypes[6] = BOOLOID;
	argtypes[7] = BOOLOID;
	argtypes[8] = OIDOID;
	argtypes[9] = TEXTOID;
	argtypes[10] = TEXTOID;
}

static SPIPlanPtr
GetPlan(bool record, Oid geomtype)
{
	SPIPlanPtr *slot = record ? &record_plan : &reject_plan;
	Oid			argtypes[NUM_EVAL_PARAMS + 3];

	if (*slot != NULL && SPI_plan_is_valid(*slot))
		return *slot;
	if (*slot != NULL)
	{
		SPI_freeplan(*slot);
		*slot = NULL;
	}
	EvalArgTypes(geomtype, argtypes);
	if (record)
		*slot = PreparePlan("INSERT INTO landpolicy.violation_log (rule, target, row_key, violation, by_role)"
							" SELECT v.rule, $9::pg_catalog.regclass, $10, v, $11"
							" FROM landpolicy.evaluate($1, $2, $3, $4, $5, $6, $7, $8) v",
							argtypes, NUM_EVAL_PARAMS + 3);
	else
		*slot = PreparePlan("SELECT v.message, v.detail OPERATOR(pg_catalog.->>) 'text',"
							" v.detail OPERATOR(pg_catalog.->>) 'hint'"
							" FROM landpolicy.evaluate($1, $2, $3, $4, $5, $6, $7, $8) v",
							argtypes, NUM_EVAL_PARAMS);
	return *slot;
}


/*
 * Whole-row rules (ledgers R2.3, R2.4, R4.1; surveys R2.5, R2.6): the old and new rows go to
 * landpolicy.ledger_check() as jsonb, with their geometries.  Plans depend on the table's row
 * type, so they are kept per row type.
 */
#define ROW_PLAN_SLOTS 32
#define NUM_ROW_PARAMS 8

typedef struct RowPlan
{
	Oid			rowtype;
	SPIPlanPtr	reject;
	SPIPlanPtr	record;
} RowPlan;

static RowPlan row_plans[ROW_PLAN_SLOTS];
static int	row_plans_used = 0;

static SPIPlanPtr
GetRowPlan(bool record, Oid rowtype)
{
	RowPlan    *slot = NULL;
	SPIPlanPtr *plan;
	Oid			argtypes[NUM_ROW_PARAMS];

	for (int i = 0; i < row_plans_used; i++)
		if (row_plans[i].rowtype == rowtype)
			slot = &row_plans[i];
	if (slot == NULL)
	{
		if (row_plans_used == ROW_PLAN_SLOTS)
		{
			/* Full: recycle the oldest slot. */
			for (int i = 0; i < ROW_PLAN_SLOTS - 1; i++)
				row_plans[i] = row_plans[i + 1];
			row_plans_used--;
		}
		slot = &row_plans[row_plans_used++];
		memset(slot, 0, sizeof(*slot));
		slot->rowtype = rowtype;
	}
	plan = record ? &slot->record : &slot->reject;
	if (*plan != NULL && SPI_plan_is_valid(*plan))
		return *plan;
	if (*plan != NULL)
		SPI_freeplan(*plan);

	argtypes[0] = TEXTOID;
	argtypes[1] = OIDOID;
	argtypes[2] = TEXTOID;
	argtypes[3] = rowtype;
	argtypes[4] = GeometryTypeOid();
	argtypes[5] = rowtype;
	argtypes[6] = argtypes[4];
	argtypes[7] = TEXTOID;
	if (record)
		*plan = PreparePlan("INSERT INTO landpolicy.violation_log (rule, target, row_key, violation, by_role)"
							" SELECT v.rule, $2::pg_catalog.regclass, $3, v, $8"
							" FROM landpolicy.ledger_check($1, $2::pg_catalog.regclass, $3, pg_catalog.to_jsonb($4), $5,"
							" pg_catalog.to_jsonb($6), $7) v",
							argtypes, NUM_ROW_PARAMS);
	else
		*plan = PreparePlan("SELECT v.message, v.detail OPERATOR(pg_catalog.->>) 'text',"
							" v.detail OPERATOR(pg_catalog.->>) 'hint', v.rule"
							" FROM landpolicy.ledger_check($1, $2::pg_catalog.regclass, $3, pg_catalog.to_jsonb($4), $5,"
							" pg_catalog.to_jsonb($6), $7) v",
							argtypes, NUM_ROW_PARAMS - 1);
	return *plan;
}

static int
ColumnNumber(Relation rel, const char *rule, const char *col)
{
	int			attnum;

	if (col[0] == '\0')
		return 0;
	attnum = SPI_fnumber(RelationGetDescr(rel), col);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("rule %s on table %s is attached to column \"%s\", which no longer exists",
						rule, RelationGetRelationName(rel), col),
				 errhint("Attach the rule again with the column's new name: landpolicy.attach().")));
	return attnum;
}

static bool
ColumnChanged(Relation rel, int attnum, HeapTuple oldtup, HeapTuple newtup)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
	bool		oldnull,
				newnull;
	Datum		oldval = heap_getattr(oldtup, attnum, desc, &oldnull);
	Datum		newval = heap_getattr(newtup, attnum, desc, &newnull);

	if (oldnull || newnull)
		return oldnull != newnull;
	return !datumIsEqual(oldval, newval, att->attbyval, att->attlen);
}

/* A date input: date, timestamp or timestamptz column; current_date when unmapped or NULL. */
/*
 * The planned use as a landclass.  A text, varchar or char column holding the code (as 三调 tables
 * exported from survey software do, and as GIS clients that know only the built-in types can edit)
 * is read as landclass input reads it: an unknown code is an error naming the value.
 */
static Datum
UseAsLandClass(Relation rel, AttrNumber attnum, Datum value)
{
	Oid			type = TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid;

	if (type == TEXTOID || type == VARCHAROID || type == BPCHAROID)
		return LandClassGetDatum(LandClassFromCString(TextDatumGetCString(value), false));
	return value;
}

static Datum
RowDate(Relation rel, HeapTuple tup, int attnum)
{
	bool		isnull = true;
	Datum		d = attnum ? heap_getattr(tup, attnum, RelationGetDescr(rel), &isnull) : (Datum) 0;
	Oid			typ = attnum ? TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid : InvalidOid;

	if (isnull)
		return DateADTGetDatum(GetSQLCurrentDate());
	if (typ == TIMESTAMPTZOID)
		return DirectFunctionCall1(timestamptz_date, d);
	if (typ == TIMESTAMPOID)
		return DirectFunctionCall1(timestamp_date, d);
	return d;
}

static char *
RowKey(Relation rel, HeapTuple tup, int attnum)
{
	bool		isnull;
	Datum		d;
	Oid			outfunc;
	bool		varlena;

	if (attnum == 0)
		return DatumGetCString(DirectFunctionCall1(tidout, PointerGetDatum(&tup->t_self)));
	d = heap_getattr(tup, attnum, RelationGetDescr(rel), &isnull);
	if (isnull)
		return pstrdup("NULL");
	getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid, &outfunc, &varlena);
	return OidOutputFunctionCall(outfunc, d);
}


/* Run a guard query as the extension owner; in reject mode, raise the first violation it returns. */
static void
RunGuardQuery(SPIPlanPtr plan, Datum *values, char *nulls, bool record, Relation rel,
			  const char *rule_id, const char *row_key)
{
	OwnerContext oc;
	int			ret;

	BecomeOwner(&oc);
	ret = SPI_execute_plan(plan, values, nulls, false, record ? 0 : 1);
	StopBeingOwner(&oc);

	if (!record && ret == SPI_OK_SELECT && SPI_processed > 0)
	{
		HeapTuple	v = SPI_tuptable->vals[0];
		TupleDesc	vd = SPI_tuptable->tupdesc;
		char	   *message = SPI_getvalue(v, vd, 1);
		char	   *detail = SPI_getvalue(v, vd, 2);
		char	   *hint = SPI_getvalue(v, vd, 3);
		char	   *constraint = vd->natts >= 4 ? SPI_getvalue(v, vd, 4) : NULL;

		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("%s", message),
				 errdetail("%s %s", detail ? detail : "",
						   Say(psprintf("表 %s，行 %s。", RelationGetRelationName(rel), row_key),
							   psprintf("Table %s, row %s.", RelationGetRelationName(rel), row_key))),
				 hint ? errhint("%s", hint) : 0,
				 errtableconstraint(rel, constraint ? constraint : rule_id)));
	}
	else if (record ? ret != SPI_OK_INSERT : ret != SPI_OK_SELECT)
		elog(ERROR, "landpolicy.enforce(): SPI_execute_plan returned %s", SPI_result_code_string(ret));
}

/* enforce() for a whole-row rule: args are rule, mode, geom column, then (input, column) pairs. */
static Datum
EnforceWholeRow(TriggerData *trigdata, const RuleDef *rule)
{
	Trigger    *trigger = trigdata->tg_trigger;
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	char	  **args = trigger->tgargs;
	bool		record = strcmp(args[1], "record") == 0;
	int			geom_attnum = ColumnNumber(rel, rule->id, args[2]);
	int			key_attnum = 0;
	HeapTuple	oldtup = NULL;
	HeapTuple	newtup = NULL;
	Datum		values[NUM_ROW_PARAMS];
	char		nulls[NUM_ROW_PARAMS];
	bool		isnull;
	char	   *row_key;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		newtup = trigdata->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		oldtup = trigdata->tg_trigtuple;
	else
	{
		bool		changed = false;

		oldtup = trigdata->tg_trigtuple;
		newtup = trigdata->tg_newtuple;
		/* the geometry column, then the columns of the (input, column) pairs */
		for (int i = 2; i < trigger->tgnargs && !changed; i += 2)
		{
			int			attnum;

			/* R8.3 names another table and its columns: not columns of this one */
			if (i > 2 && strncmp(args[i - 1], "resettlement_", 13) == 0)
				continue;
			attnum = ColumnNumber(rel, rule->id, args[i]);
			changed = attnum && ColumnChanged(rel, attnum, oldtup, newtup);
		}
		if (!changed)
			return PointerGetDatum(NULL);
	}
	/* A ledger rule books DELETEs; a survey rule has nothing to say about them. */
	if (newtup == NULL && !rule->ledger)
		return PointerGetDatum(NULL);

	for (int i = 3; i + 1 < trigger->tgnargs; i += 2)
		if (strcmp(args[i], "key") == 0)
			key_attnum = ColumnNumber(rel, rule->id, args[i + 1]);
	row_key = RowKey(rel, newtup ? newtup : oldtup, key_attnum);

	memset(nulls, ' ', sizeof(nulls));
	values[0] = CStringGetTextDatum(rule->id);
	values[1] = ObjectIdGetDatum(RelationGetRelid(rel));
	values[2] = CStringGetTextDatum(row_key);
	values[3] = oldtup ? heap_copy_tuple_as_datum(oldtup, desc) : (Datum) 0;
	nulls[3] = oldtup ? ' ' : 'n';
	values[4] = (oldtup && geom_attnum) ? heap_getattr(oldtup, geom_attnum, desc, &isnull) : (Datum) 0;
	nulls[4] = (oldtup && geom_attnum && !isnull) ? ' ' : 'n';
	values[5] = newtup ? heap_copy_tuple_as_datum(newtup, desc) : (Datum) 0;
	nulls[5] = newtup ? ' ' : 'n';
	values[6] = (newtup && geom_attnum) ? heap_getattr(newtup, geom_attnum, desc, &isnull) : (Datum) 0;
	nulls[6] = (newtup && geom_attnum && !isnull) ? ' ' : 'n';
	values[7] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	RunGuardQuery(GetRowPlan(record, desc->tdtypeid), values, nulls, record, rel, rule->id, row_key);
	SPI_finish();
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(enforce);
/* Trigger: hold the new row to one attached rule (reject or record). */
Datum
enforce(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Trigger    *trigger;
	Relation	rel;
	HeapTuple	tup;
	char	  **args;
	int			attnums[NUM_ARGS] = {0};
	const RuleDef *rule;
	bool		record;
	Datum		values[NUM_EVAL_PARAMS + 3];
	char		nulls[NUM_EVAL_PARAMS + 3];
	bool		isnull;
	char	   *row_key;
	RuleInput	in;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("landpolicy.enforce() is a trigger function"),
				 errhint("Use landpolicy.attach() to attach a rule to a table.")));
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		elog(ERROR, "landpolicy.enforce() must fire AFTER … FOR EACH ROW");

	trigger = trigdata->tg_trigger;
	rel = trigdata->tg_relation;
	if (trigger->tgnargs < 3)
		elog(ERROR, "landpolicy.enforce() needs at least 3 trigger arguments");
	rule = RuleLookup(trigger->tgargs[ARG_RULE], false);
	if (rule->sql_check)
		return EnforceWholeRow(trigdata, rule);
	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		return PointerGetDatum(NULL);
	if (trigger->tgnargs != NUM_ARGS)
		elog(ERROR, "landpolicy.enforce() expects %d trigger arguments, got %d", NUM_ARGS, trigger->tgnargs);
	args = trigger->tgargs;
	record = strcmp(args[ARG_MODE], "record") == 0;
	for (int i = ARG_GEOM; i < NUM_ARGS; i++)
		attnums[i] = ColumnNumber(rel, rule->id, args[i]);

	tup = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;

	/* An UPDATE that leaves every mapped column as it was cannot change the verdict. */
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		bool		changed = false;

		for (int i = ARG_GEOM; i < NUM_ARGS && !changed; i++)
			if (attnums[i] && i != ARG_KEY)
				changed = ColumnChanged(rel, attnums[i], trigdata->tg_trigtuple, tup);
		if (!changed)
			return PointerGetDatum(NULL);
	}

	memset(nulls, ' ', sizeof(nulls));
	values[0] = CStringGetTextDatum(rule->id);
	values[1] = heap_getattr(tup, attnums[ARG_GEOM], RelationGetDescr(rel), &isnull);
	if (isnull)
		nulls[1] = 'n';
	values[2] = attnums[ARG_USE] ? heap_getattr(tup, attnums[ARG_USE], RelationGetDescr(rel), &isnull) : (Datum) 0;
	if (!attnums[ARG_USE] || isnull)
	{
		if (strstr(rule->inputs, "use"))
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("rule %s needs the planned use of the row, and column \"%s\" of table %s is NULL",
							rule->id, args[ARG_USE], RelationGetRelationName(rel)),
					 errdetail("A row without a use cannot be checked, so it is refused rather than let through."),
					 errtableconstraint(rel, rule->id)));
		nulls[2] = 'n';
	}
	else
		values[2] = UseAsLandClass(rel, attnums[ARG_USE], values[2]);
	values[3] = RowDate(rel, tup, attnums[ARG_DATE]);
	values[4] = attnums[ARG_JURISDICTION] ? heap_getattr(tup, attnums[ARG_JURISDICTION], RelationGetDescr(rel), &isnull) : (Datum) 0;
	if (!attnums[ARG_JURISDICTION] || isnull)
		nulls[4] = 'n';
	values[5] = attnums[ARG_SLOPE] ? heap_getattr(tup, attnums[ARG_SLOPE], RelationGetDescr(rel), &isnull) : (Datum) 0;
	if (!attnums[ARG_SLOPE] || isnull)
		nulls[5] = 'n';
	else if (TupleDescAttr(RelationGetDescr(rel), attnums[ARG_SLOPE] - 1)->atttypid == INT2OID)
		values[5] = Int32GetDatum((int32) DatumGetInt16(values[5]));
	if (attnums[ARG_REVIEW])
	{
		(void) heap_getattr(tup, attnums[ARG_REVIEW], RelationGetDescr(rel), &isnull);
		values[6] = BoolGetDatum(!isnull);
	}
	else
		values[6] = BoolGetDatum(false);
	values[7] = attnums[ARG_PV] ? heap_getattr(tup, attnums[ARG_PV], RelationGetDescr(rel), &isnull) : BoolGetDatum(false);
	if (attnums[ARG_PV] && isnull)
		values[7] = BoolGetDatum(false);

	/* Cheap test first: most rows concern a rule not at all (a road under R2.2). */
	in.use = nulls[2] == 'n' ? -1 : DatumGetLandClass(values[2]);
	in.is_pv = DatumGetBool(values[7]);
	in.slope_grade = nulls[5] == 'n' ? SLOPE_GRADE_NONE : DatumGetInt32(values[5]);
	in.has_review = DatumGetBool(values[6]);
	if (!RuleApplies(rule, &in))
		return PointerGetDatum(NULL);

	row_key = RowKey(rel, tup, attnums[ARG_KEY]);

	/* The fast path decides most rows in C; what it cannot decide exactly goes to the SQL path. */
	if (!record && landpolicy_fast_path)
	{
		List	   *violations = NIL;
		bool		decided;
		OwnerContext oc;
		MemoryContext cxt = CurrentMemoryContext;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		BecomeOwner(&oc);
		decided = FastPathEvaluate(rule, &in, values[1], nulls[1] == 'n', values[4], nulls[4] == 'n',
								   DatumGetDateADT(values[3]), cxt, &violations);
		StopBeingOwner(&oc);
		SPI_finish();
		if (decided)
		{
			if (violations != NIL)
			{
				RuleViolation *v = (RuleViolation *) linitial(violations);

				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("%s", v->message),
						 errdetail("%s %s", v->detail,
								   Say(psprintf("表 %s，行 %s。", RelationGetRelationName(rel), row_key),
									   psprintf("Table %s, row %s.", RelationGetRelationName(rel), row_key))),
						 errhint("%s", v->hint),
						 errtableconstraint(rel, rule->id)));
			}
			return PointerGetDatum(NULL);
		}
	}
	values[8] = ObjectIdGetDatum(RelationGetRelid(rel));
	values[9] = CStringGetTextDatum(row_key);
	values[10] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	RunGuardQuery(GetPlan(record, TupleDescAttr(RelationGetDescr(rel), attnums[ARG_GEOM] - 1)->atttypid),
				  values, nulls, record, rel, rule->id, row_key);
	SPI_finish();
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(partition_changes);
/*
 * landpolicy.partition_changes(pg_ddl_command): the tables an ALTER TABLE command attached or
 * detached as partitions (op 'attach' or 'detach', from its ATTACH/DETACH PARTITION subcommands),
 * for the ddl_command_end trigger; no rows for every other command.
 */
Datum
partition_changes(PG_FUNCTION_ARGS)
{
	CollectedCommand *cmd = (CollectedCommand *) PG_GETARG_POINTER(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	if (cmd->type != SCT_AlterTable)
		return (Datum) 0;
	foreach(lc, cmd->d.alterTable.subcmds)
	{
		CollectedATSubcmd *sub = (CollectedATSubcmd *) lfirst(lc);
		AlterTableCmd *at = (AlterTableCmd *) sub->parsetree;
		Datum		values[2];
		bool		nulls[2] = {false, false};
		Oid			part;

		if (!IsA(at, AlterTableCmd) ||
			(at->subtype != AT_AttachPartition && at->subtype != AT_DetachPartition))
			continue;

		/*
		 * PostgreSQL 15 collects these subcommands without an address: the partition is the one
		 * the PartitionCmd names, resolved as the command resolved it a moment ago.
		 */
		part = OidIsValid(sub->address.objectId) ? sub->address.objectId
			: RangeVarGetRelid(castNode(PartitionCmd, at->def)->name, NoLock, true);
		if (!OidIsValid(part))
			continue;
		values[0] = CStringGetTextDatum(at->subtype == AT_AttachPartition ? "attach" : "detach");
		values[1] = ObjectIdGetDatum(part);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
