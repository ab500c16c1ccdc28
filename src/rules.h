/*
 * rules.h — the rule table: one entry per rule id of POLICY.md that a row guard checks.
 */
#ifndef LANDPOLICY_RULES_H
#define LANDPOLICY_RULES_H

#include "postgres.h"

#include "nodes/pg_list.h"

#include "landclass.h"

#define RULE_MAX_LAYERS 5
#define SLOPE_GRADE_NONE PG_INT32_MIN

/* A reference layer a rule measures the row against, and the exemption kinds that count there. */
typedef struct RuleLayer
{
	const char *kind;
	bool		required;		/* missing layer is an error; else the check is off until registered */
	const char *exemptions;		/* comma-separated exemption kinds, "" for none */
	const char *what_zh;		/* the layer in a message */
	const char *what_en;
	bool		any_use;		/* checked whatever the row's use (eco_core) */
} RuleLayer;

/* The facts gathered about one row for one rule (landpolicy.facts in SQL). */
typedef struct RuleInput
{
	LandClass	use;
	bool		is_pv;
	int			slope_grade;	/* SLOPE_GRADE_NONE when the row has none */
	bool		has_review;
} RuleInput;

typedef bool (*RuleAppliesFn) (const RuleInput *in);

typedef struct RuleDef
{
	const char *id;
	const char *name_zh;
	const char *name_en;
	const char *basis;
	const char *inputs;			/* required option keys, comma-separated */
	const char *optional_inputs;
	const char *params;			/* policy_param keys the rule reads, comma-separated */
	RuleAppliesFn applies;
	const char *applies_zh;		/* which rows it concerns, for messages */
	const char *applies_en;
	RuleLayer	layers[RULE_MAX_LAYERS];
	bool		slope_check;	/* R3.3: slope grades rather than overlap */
	bool		sql_check;		/* checked by landpolicy.ledger_check() on whole rows (old and new) */
	bool		ledger;			/* books running totals: DELETE is checked, TRUNCATE refused */
	bool		log_only;		/* records, never refuses (the land-class change log) */
} RuleDef;

/* A rule's row measured against one reference layer. */
typedef struct RuleMeasurement
{
	char	   *kind;
	double		overlap_m2;
	double		exempted_m2;
	double		counted_m2;
	char	   *features;		/* "1, 7" */
	int			max_slope_grade;	/* SLOPE_GRADE_NONE if none */
} RuleMeasurement;

/* A broken rule, ready to be raised or returned as a landpolicy.violation. */
typedef struct RuleViolation
{
	const char *rule;
	char	   *message;
	char	   *detail;
	char	   *hint;
	double		measured;
	double		limit;
	char	   *figures_json;	/* a JSON object, with "text" and "hint" */
} RuleViolation;

/* How the verdict reads a parameter: NaN when none is in force. */
typedef double (*RuleParamFn) (void *ctx, const char *key);

extern const RuleDef *RuleLookup(const char *id, bool missing_ok);
extern List *CopyViolations(List *violations, MemoryContext cxt);
/* The columns of a landpolicy.violation row for a verdict of rule. */
#define VIOLATION_NATTS 7
extern void ViolationValues(const RuleDef *rule, const RuleViolation *v, Datum *values);
extern List *RuleJudge(const RuleDef *rule, const RuleInput *in, double tolerance,
					   RuleParamFn param, void *param_ctx, RuleMeasurement *ms, int nms);
extern bool RuleApplies(const RuleDef *rule, const RuleInput *in);
extern char *Say(const char *zh, const char *en);

#endif
