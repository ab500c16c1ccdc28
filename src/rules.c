/*
 * rules.c — the rule table and the verdict.
 *
 * Each rule of POLICY.md that a row guard checks is one RuleDef: which rows it concerns, which
 * reference layers it measures them against (and which exemption kinds count there), which
 * parameters it reads.  landpolicy.facts() measures a row (SQL, shared by the trigger, check()
 * and audit()); judge() below turns those facts into violations.  Nothing is decided twice.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

#include "landpolicy.h"
#include "rules.h"


static bool
UseIsConstruction(const RuleInput *in)
{
	const LandClassEntry *e = LandClassLookup(in->use);

	if (e != NULL && e->three_class == LC_MIXED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("land class %s %s is a first-level class that mixes construction and other land", e->code, e->name_zh),
				 errdetail("Whether the use is construction land (建设用地) decides this rule, and \"%s\" does not say.", e->code),
				 errhint("Give the second-level code of the planned use.")));
	return e != NULL && e->three_class == LC_CONSTRUCTION;
}

static bool
UseIsCultivated(const RuleInput *in)
{
	return in->use >= 0 && LandClassIsCultivated(in->use);
}

static bool
UseIsFacility(const RuleInput *in)
{
	const LandClassEntry *e = LandClassLookup(in->use);

	return e != NULL && strcmp(e->code, "1202") == 0;
}

static bool
RowIsPv(const RuleInput *in)
{
	return in->is_pv;
}

static bool
AnyRow(const RuleInput *in)
{
	return true;
}

static const RuleDef rule_table[] = {
	{"R1.1", "生态保护红线内禁止开发建设", "no development inside the ecological protection red line",
		"《乡村振兴用地政策指南(2023年)》第二十七条、自然资发〔2022〕142号; 自然资发〔2023〕90号 六 — S2 art. 27, S4 §6",
		"geom,use", "date,jurisdiction,key", "overlap.tolerance_m2",
		UseIsConstruction, "建设用途", "construction use",
		{{"eco_redline", true, "limited_activity,major_project", "生态保护红线", "ecological protection red line", false},
		 {"eco_core", false, "core_permit", "自然保护地核心保护区", "nature-reserve core zone", true}},
	false, false, false},
	{"R1.2", "补充耕地不得占用生态保护红线、林地、湿地、河湖", "no supplementary cultivated land in protected areas",
		"自然资发〔2023〕90号 四 — S4 §4",
		"geom,use", "date,jurisdiction,key", "overlap.tolerance_m2",
		UseIsCultivated, "耕地用途", "cultivated use",
		{{"eco_redline", true, "", "生态保护红线", "ecological protection red line", false},
		 {"forest", true, "", "林地", "forest land", false},
		 {"wetland", true, "", "湿地", "wetland", false},
		 {"water_area", true, "", "河道湖区", "river or lake area", false}},
	false, false, false},
	{"R2.1", "永久基本农田不得占用", "no occupation of permanent basic farmland",
		"自然资发〔2023〕90号 三; 《乡村振兴用地政策指南(2023年)》第二十四条 — S4 §3, S2 art. 24",
		"geom,use", "date,jurisdiction,key", "overlap.tolerance_m2",
		UseIsConstruction, "建设用途", "construction use",
		{{"pbf", true, "major_project,provincial_poverty", "永久基本农田", "permanent basic farmland", false}},
	false, false, false},
	{"R2.2", "设施农业用地不得占用永久基本农田", "no facility agriculture on permanent basic farmland",
		"《乡村振兴用地政策指南(2023年)》第三十三条 — S2 art. 33",
		"geom,use", "date,jurisdiction,key", "overlap.tolerance_m2",
		UseIsFacility, "设施农用地", "agricultural facility use",
		{{"pbf", true, "", "永久基本农田", "permanent basic farmland", false}},
	false, false, false},
	{"R3.3", "补充耕地坡度限制", "slope limits for creating cultivated land",
		"自然资发〔2023〕90号 四 — S4 §4",
		"geom,use", "date,jurisdiction,key,slope_grade,review",
		"overlap.tolerance_m2,cultivated.max_slope_deg,cultivated.water_source_max_slope_deg,cultivated.review_slope_deg",
		UseIsCultivated, "耕地用途", "cultivated use",
		{{"water_source", true, "", "重要水源地", "important water-source area", false},
		 {"slope", false, "", "坡度图", "slope map", false}},
	true, false, false},
	{"R3.4", "光伏方阵不得占用耕地", "no photovoltaic arrays on cultivated land",
		"自然资办发〔2022〕45号 三; 《乡村振兴用地政策指南(2023年)》第十一条(五) — S0 §3, S2 art. 11(5)",
		"geom,pv", "use,date,jurisdiction,key", "overlap.tolerance_m2",
		RowIsPv, "光伏方阵", "photovoltaic array",
		{{"cultivated", true, "", "耕地", "cultivated land", false}},
	false, false, false},
	{"R2.3", "永久基本农田调整不超过乡镇划定面积的5%", "PBF adjustment cap per township",
		"自然资发〔2024〕149号（六）; 福建省《关于深入推进全域土地综合整治工作的实施意见》二（一） — S1 (6), S3 2(1)",
		"township,direction,geom", "grade,date,key", "pbf.adjust_cap_ratio",
		AnyRow, "", "", {{NULL}}, false, true, true},
	{"R2.4", "先补后调、占优补优、可实测", "supplement before removal, no worse quality, measured areas",
		"自然资发〔2024〕149号（六）; 福建省实施意见 三（四）; 自然资发〔2023〕90号 三 — S1 (6), S3 3(4), S4 §3",
		"township,direction,grade,geom", "date,project,declared_area,key", "area.declared_tolerance_m2",
		AnyRow, "", "", {{NULL}}, false, true, true},
	{"R2.5", "城镇开发边界内永久基本农田调出须省级实地踏勘", "PBF removed inside the UDB needs a provincial survey",
		"自然资发〔2024〕149号（六）; 福建省实施意见 二（一） — S1 (6), S3 2(1)",
		"township,direction,geom,survey", "date,key", "overlap.tolerance_m2",
		AnyRow, "", "", {{"udb", true, "", "城镇开发边界", "urban development boundary", false}}, false, true, false},
	{"R2.6", "永久基本农田调出实地踏勘阈值（福建）", "on-site survey thresholds for PBF removal (Fujian)",
		"福建省实施意见 三（三） — S3 3(3)",
		"township,direction,geom,survey", "terrain,date,key",
		"overlap.tolerance_m2,pbf.survey_outside_udb_mu,pbf.survey_udb_plain_mu,pbf.survey_udb_hill_mu",
		AnyRow, "", "", {{"udb", true, "", "城镇开发边界", "urban development boundary", false}}, false, true, false},
	{"R4.1", "严禁无计划、超计划批准用地", "no approval without, or beyond, the annual plan",
		"自然资发〔2023〕90号 二; 《乡村振兴用地政策指南(2023年)》第六条、第七条; 自然资办发〔2022〕45号 二 — S4 §2, S2 arts. 6-7, S0 §2",
		"county,date", "geom,area,purpose,account,key", "",
		AnyRow, "", "", {{NULL}}, false, true, true},
	{"R4.5", "城镇开发边界增量空间留白", "UDB incremental space kept for later plans",
		"自然资发〔2023〕90号 七 — S4 §7",
		"county,year,area", "key", "udb.reserve_min_2026_2030,udb.reserve_min_2031_2035,udb.year_min_of_average",
		AnyRow, "", "", {{NULL}}, false, true, true},
	{"R4.7", "增减挂钩先复垦后新增", "urban-rural linkage: reclaim before building",
		"《乡村振兴用地政策指南(2023年)》第三十七条; 福建省实施意见 二（三） — S2 art. 37, S3 2(3)",
		"project,kind", "geom,area,date,key", "",
		AnyRow, "", "", {{NULL}}, false, true, true},
	{"R5.1", "一户一宅、面积不超标准", "one household, one homestead, within the standard area",
		"《乡村振兴用地政策指南(2023年)》第二十九条 — S2 art. 29",
		"household", "geom,area,transferred,jurisdiction,date,key", "homestead.max_area_m2",
		AnyRow, "", "", {{NULL}}, false, true, true},
	{"R6.1", "设施农业看护房面积与层数", "guard houses on agricultural facility land",
		"《乡村振兴用地政策指南(2023年)》第三十四条 — S2 art. 34",
		"storeys,jurisdiction", "geom,area,greenhouse_area,date,key",
		"facility.region,facility.guard_house_south_m2,facility.guard_house_north_m2,facility.guard_house_severe_cold_m2,facility.guard_house_greenhouse_m2,facility.greenhouse_threshold_mu",
		AnyRow, "", "", {{NULL}}, false, true, false},
	{"R6.2", "设施农业占用一般耕地须落实进出平衡", "facilities on general cultivated land need an enter-exit balance",
		"《乡村振兴用地政策指南(2023年)》第三十三条; 自然资办发〔2022〕45号 三 — S2 art. 33, S0 §3 (also R3.5)",
		"geom,use", "balance_ref,jurisdiction,date,key", "overlap.tolerance_m2",
		AnyRow, "", "", {{"cultivated", true, "", "耕地", "cultivated land", false}}, false, true, false},
	{"R6.3", "设施农业用地备案上图", "facility land must be filed and mapped",
		"《乡村振兴用地政策指南(2023年)》第三十五条、第三十六条 — S2 arts. 35-36",
		"use,filing,filing_date", "key", "",
		AnyRow, "", "", {{NULL}}, false, true, false},
	{"R7.1", "临时用地期限、复垦与审批层级", "temporary land: term, reclamation and approval level",
		"《乡村振兴用地政策指南(2023年)》第十七条 — S2 art. 17 (also R7.2)",
		"start,end,approver", "geom,kind,reclaim_due,reclaimed,key",
		"temporary.max_years,temporary.max_years_infrastructure,temporary.reclaim_years,overlap.tolerance_m2",
		AnyRow, "", "", {{"cultivated", false, "", "耕地", "cultivated land", false},
						 {"pbf", false, "", "永久基本农田", "permanent basic farmland", false}}, false, true, false},
	{"R8.2", "全域土地综合整治三年内完成（福建）", "remediation projects completed within 3 years (Fujian)",
		"福建省实施意见 三（四） — S3 3(4)",
		"approved_on,completion,jurisdiction", "key", "remediation.completion_years",
		AnyRow, "", "", {{NULL}}, false, true, false},
	{"R8.3", "先安置、再拆旧", "resettle before demolishing housing",
		"自然资发〔2024〕149号（十） — S1 (10)",
		"resettlement,date,resettlement_table", "resettlement_key,resettlement_done,key", "",
		AnyRow, "", "", {{NULL}}, false, true, false},
	{"change_log", "地类变更日志", "land-class change log",
		"进出平衡、占补平衡按年度变更结算 — R3.1, R3.2 are settled over recorded changes",
		"class,geom,admin", "grade,date,key,parent", "",
		AnyRow, "", "", {{NULL}}, false, true, true, true},
};

/*
 * Rules of POLICY.md that are not attached to tables: enforced by an aggregate or a report, folded
 * into another rule, or beyond what a database can check.  They appear in landpolicy.rules so that
 * the catalog covers every rule id.
 */
typedef struct RuleNote
{
	const char *id;
	const char *name_zh;
	const char *name_en;
	const char *basis;
	const char *kind;			/* aggregate, report, part of another rule, not checkable */
	const char *enforced_by;
} RuleNote;

static const RuleNote rule_notes[] = {
	{"R1.3", "不得以整治名义调整或占用生态保护红线", "no remediation pretext for the red line",
		"自然资发〔2024〕149号（八）; 福建省实施意见 一（三）3 — S1 (8), S3 1(3)3", "part of another rule",
		"R1.1 refuses construction in the red line and R1.2 cultivated land there; an adjustment of the red line itself is a planning act outside the tables"},
	{"R1.4", "鼓励耕地和永久基本农田逐步退出生态保护红线", "moving cultivated land and PBF out of the red line is encouraged",
		"自然资发〔2024〕149号（八） — S1 (8)", "not checkable", "an encouragement, not a limit: nothing to refuse"},
	{"R2.7", "生态保护红线“开天窗”的永久基本农田", "PBF enclosed by the red line",
		"自然资发〔2024〕149号（八） — S1 (8)", "not checkable", "guidance on how to remediate; a row cannot break it"},
	{"R3.1", "耕地占补平衡", "occupation-compensation balance",
		"《乡村振兴用地政策指南(2023年)》第二十五条; 自然资发〔2023〕90号 四 — S2 art. 25, S4 §4", "aggregate",
		"occupy_balance() over the change log; settle_balance('occupy') county → province → nation"},
	{"R3.2", "耕地进出平衡", "enter-exit balance",
		"自然资办发〔2022〕45号 三; 《乡村振兴用地政策指南(2023年)》第二十六条; 自然资发〔2023〕90号 五 — S0 §3, S2 art. 26, S4 §5", "aggregate",
		"inout_balance() over the change log; settle_balance('inout') county → city → province"},
	{"R3.5", "一般耕地上的农业设施", "farming facilities on general cultivated land",
		"自然资办发〔2022〕45号 三; 《乡村振兴用地政策指南(2023年)》第三十三条 — S0 §3, S2 art. 33", "part of another rule",
		"R6.2 (a linked enter-exit balance record); R2.2 keeps facilities off PBF"},
	{"R3.6", "整治区耕地数量不减少、质量不降低", "remediation areas: cultivated land not less, not worse",
		"自然资发〔2024〕149号（五）; 福建省实施意见 二（一） — S1 (5), S3 2(1)", "report", "remediation_check(area, from, to)"},
	{"R4.2", "脱贫县每年600亩专项指标", "600 mu earmarked for counties lifted out of poverty",
		"自然资办发〔2022〕45号 二; 《乡村振兴用地政策指南(2023年)》第七条 — S0 §2, S2 art. 7", "part of another rule",
		"R4.1's poverty_earmark account (listed counties, rural revitalisation only, until 2025-12-31)"},
	{"R4.3", "乡村产业用地指标比例", "rural shares of construction-land indicators",
		"《乡村振兴用地政策指南(2023年)》第七条 — S2 art. 7", "report", "rural_share_check(jurisdiction, year) over landpolicy.quota"},
	{"R4.4", "整治区建设用地总量不增加", "remediation areas: construction land not more",
		"自然资发〔2024〕149号（五）（七）; 福建省实施意见 二（一） — S1 (5)(7), S3 2(1)", "report",
		"remediation_check(area, from, to); the UDB's own scale is a planning figure outside the tables"},
	{"R4.6", "超标准、无标准项目节地评价", "land-saving evaluation for over-standard projects",
		"自然资发〔2023〕90号 八 — S4 §8", "not checkable", "an evaluation document; a database cannot judge it"},
	{"R5.2", "城镇居民不得购买农村宅基地", "urban residents may not buy homesteads",
		"自然资发〔2024〕149号（十） — S1 (10)", "not checkable", "a buyer's residence status is not in cadastral data"},
	{"R7.2", "临时用地审批层级", "temporary land approval level",
		"《乡村振兴用地政策指南(2023年)》第十七条 — S2 art. 17", "part of another rule",
		"R7.1 (county or above; city or above when cultivated land or PBF is used)"},
	{"R8.1", "以乡镇为单元、村民同意", "township as the unit; villagers' consent",
		"自然资发〔2024〕149号（三） — S1 (3)", "not checkable", "consent is a document; a required reference column could record it"},
	{"R8.4", "节余指标先满足县域平衡再交易", "surplus indicators traded only after the county's own balance",
		"自然资发〔2024〕149号（五）; 福建省实施意见 二（二） — S1 (5), S3 2(2)", "report",
		"settle_balance() shows each county's own balance before any surplus is counted for others"},
};

const RuleDef *
RuleLookup(const char *id, bool missing_ok)
{
	for (int i = 0; i < lengthof(rule_table); i++)
		if (strcmp(rule_table[i].id, id) == 0)
			return &rule_table[i];
	if (!missing_ok)
	{
		StringInfoData ids;

		initStringInfo(&ids);
		for (int i = 0; i < lengthof(rule_table); i++)
			appendStringInfo(&ids, "%s%s", i ? ", " : "", rule_table[i].id);
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("unknown rule: \"%s\"", id),
				 errhint("Rules that can be attached: %s (see landpolicy.rules).", ids.data)));
	}
	return NULL;
}

/* Whether any part of the rule concerns a row with this input. */
bool
RuleApplies(const RuleDef *rule, const RuleInput *in)
{
	if (rule->applies(in))
		return true;
	for (int i = 0; i < RULE_MAX_LAYERS && rule->layers[i].kind; i++)
		if (rule->layers[i].any_use)
			return true;
	return false;
}

/* ---- messages ---- */

/* An area in mu: two decimals, or four for slivers under 1 mu so that they do not read as zero. */
static char *
Mu(double m2)
{
	double		mu = M2_TO_MU(m2);

	return psprintf(fabs(mu) < 1.0 ? "%.4f" : "%.2f", mu);
}

/* Pick the message language from landpolicy.lang. */
char *
Say(const char *zh, const char *en)
{
	switch (landpolicy_lang)
	{
		case LP_LANG_ZH:
			return pstrdup(zh);
		case LP_LANG_EN:
			return pstrdup(en);
		default:
			return psprintf("%s / %s", zh, en);
	}
}

static void
AppendJsonString(StringInfo buf, const char *key, const char *value)
{
	appendStringInfo(buf, "%s", buf->len > 1 ? ", " : "");
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
	if (value)
		escape_json(buf, value);
	else
		appendStringInfoString(buf, "null");
}

static void
AppendJsonNumber(StringInfo buf, const char *key, double value)
{
	appendStringInfo(buf, "%s", buf->len > 1 ? ", " : "");
	escape_json(buf, key);
	if (isfinite(value))
		appendStringInfo(buf, ": %.6f", value);
	else
		appendStringInfoString(buf, ": null");
}

static void
AppendJsonRaw(StringInfo buf, const char *key, const char *raw)
{
	appendStringInfo(buf, "%s", buf->len > 1 ? ", " : "");
	escape_json(buf, key);
	appendStringInfo(buf, ": %s", raw);
}

static double
GetFloatAttr(HeapTupleHeader t, int attno)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(t, attno, &isnull);

	return isnull ? 0.0 : DatumGetFloat8(d);
}

static int
ReadMeasurements(ArrayType *arr, RuleMeasurement **out)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign, &elems, &nulls, &n);
	*out = palloc0(sizeof(RuleMeasurement) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		HeapTupleHeader t;
		bool		isnull;
		Datum		d;
		RuleMeasurement *m = &(*out)[i];

		if (nulls[i])
			continue;
		t = DatumGetHeapTupleHeader(elems[i]);
		d = GetAttributeByNum(t, 1, &isnull);
		m->kind = isnull ? NULL : TextDatumGetCString(d);
		m->overlap_m2 = GetFloatAttr(t, 2);
		m->exempted_m2 = GetFloatAttr(t, 3);
		m->counted_m2 = GetFloatAttr(t, 4);
		d = GetAttributeByNum(t, 5, &isnull);
		if (!isnull)
		{
			ArrayType  *fa = DatumGetArrayTypeP(d);
			Datum	   *fe;
			bool	   *fn;
			int			nf;
			StringInfoData buf;

			deconstruct_array(fa, TEXTOID, -1, false, TYPALIGN_INT, &fe, &fn, &nf);
			initStringInfo(&buf);
			for (int j = 0; j < nf; j++)
				if (!fn[j])
					appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", TextDatumGetCString(fe[j]));
			m->features = buf.data;
		}
		d = GetAttributeByNum(t, 6, &isnull);
		m->max_slope_grade = isnull ? SLOPE_GRADE_NONE : DatumGetInt32(d);
	}
	return n;
}

static const RuleMeasurement *
FindMeasurement(RuleMeasurement *ms, int n, const char *kind)
{
	for (int i = 0; i < n; i++)
		if (ms[i].kind && strcmp(ms[i].kind, kind) == 0)
			return &ms[i];
	return NULL;
}

/* A numeric parameter from the facts' params object; NaN when none is in force (that check does not apply). */
static double
ParamFromJsonb(void *ctx, const char *key)
{
	Jsonb	   *params = (Jsonb *) ctx;

	JsonbValue *v = params ? getKeyJsonValueFromContainer(&params->root, key, strlen(key), NULL) : NULL;

	if (v == NULL || v->type != jbvNumeric)
		return get_float8_nan();
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

typedef struct Verdicts
{
	List	   *list;			/* of RuleViolation */
	const RuleDef *rule;
	RuleParamFn param;
	void	   *param_ctx;
} Verdicts;

static void
EmitViolation(Verdicts *out, const char *message, double measured, double limit,
			  const char *detail_text, const char *hint_text, StringInfo figures)
{
	RuleViolation *v = palloc0(sizeof(RuleViolation));
	StringInfoData json;

	initStringInfo(&json);
	appendStringInfoChar(&json, '{');
	if (figures->len)
		appendStringInfoString(&json, figures->data);
	AppendJsonString(&json, "text", detail_text);
	AppendJsonString(&json, "hint", hint_text);
	appendStringInfoChar(&json, '}');

	v->rule = out->rule->id;
	v->message = pstrdup(message);
	v->detail = pstrdup(detail_text);
	v->hint = pstrdup(hint_text);
	v->measured = measured;
	v->limit = limit;
	v->figures_json = json.data;
	out->list = lappend(out->list, v);
}

static char *
ExemptionHint(const RuleDef *rule, const RuleLayer *layer)
{
	char	   *basis_zh = psprintf("依据：%s。", rule->basis);
	char	   *basis_en = psprintf("Basis: %s.", rule->basis);

	char	   *kinds = pstrdup(layer->exemptions);

	for (char *c = kinds; *c; c++)
		if (*c == ',')
			*c = '/';
	if (layer->exemptions[0] == '\0')
		return Say(psprintf("%s本规则不适用任何豁免。", basis_zh),
				   psprintf("%s No exemption applies to this rule.", basis_en));
	return Say(psprintf("%s经批准的豁免（类型 %s）记入 landpolicy.exemption（文号、批准机关、范围、有效期）后，其范围内的部分不再计入。",
						basis_zh, kinds),
			   psprintf("%s An approved exemption (kind %s) recorded in landpolicy.exemption with its document number, authority, scope and validity lets the part inside its scope through.",
						basis_en, kinds));
}

/* An overlap rule: the counted overlap with each layer must not exceed the tolerance. */
static void
JudgeOverlap(Verdicts *out, const RuleInput *in, const char *use_code, double tolerance,
			 RuleMeasurement *ms, int nms)
{
	const RuleDef *rule = out->rule;

	for (int i = 0; i < RULE_MAX_LAYERS && rule->layers[i].kind; i++)
	{
		const RuleLayer *layer = &rule->layers[i];
		const RuleMeasurement *m = FindMeasurement(ms, nms, layer->kind);
		char	   *who_zh;
		char	   *who_en;
		char	   *features;
		StringInfoData fig;

		if (m == NULL || !(layer->any_use || rule->applies(in)))
			continue;
		if (!(m->counted_m2 > tolerance))
			continue;
		/* Who overlaps: "construction use 0601", or just "the row" for a layer any use is kept out of. */
		who_zh = layer->any_use ? pstrdup("") :
			use_code ? psprintf("%s %s ", rule->applies_zh, use_code) : pstrdup(rule->applies_zh);
		who_en = layer->any_use ? pstrdup("the row") :
			psprintf("%s%s%s", rule->applies_en, use_code ? " " : "", use_code ? use_code : "");
		features = m->features ? m->features : "?";

		initStringInfo(&fig);
		AppendJsonString(&fig, "layer", layer->kind);
		AppendJsonString(&fig, "features", m->features);
		AppendJsonString(&fig, "use", use_code);
		AppendJsonNumber(&fig, "overlap_m2", m->overlap_m2);
		AppendJsonNumber(&fig, "exempted_m2", m->exempted_m2);
		AppendJsonNumber(&fig, "counted_m2", m->counted_m2);
		AppendJsonNumber(&fig, "counted_mu", M2_TO_MU(m->counted_m2));
		AppendJsonNumber(&fig, "tolerance_m2", tolerance);

		EmitViolation(out,
					  psprintf("%s %s", rule->id,
							   Say(psprintf("%s：%s与%s图斑 %s 重叠 %.2f 平方米（%s 亩）", rule->name_zh,
											who_zh, layer->what_zh, features, m->counted_m2, Mu(m->counted_m2)),
								   psprintf("%s: %s overlaps %s feature(s) %s by %.2f m² (%s mu)", rule->name_en,
											who_en, layer->what_en, features, m->counted_m2, Mu(m->counted_m2)))),
					  m->counted_m2, tolerance,
					  Say(psprintf("与图层 %s 重叠 %.2f 平方米，其中豁免 %.2f 平方米，计入 %.2f 平方米（%s 亩），超过容差 %.2f 平方米（参数 overlap.tolerance_m2）。",
								   layer->kind, m->overlap_m2, m->exempted_m2, m->counted_m2, Mu(m->counted_m2), tolerance),
						  psprintf("Overlap with layer %s: %.2f m², of which %.2f m² exempted; the counted %.2f m² (%s mu) exceeds the tolerance of %.2f m² (parameter overlap.tolerance_m2).",
								   layer->kind, m->overlap_m2, m->exempted_m2, m->counted_m2, Mu(m->counted_m2), tolerance)),
					  ExemptionHint(rule, layer), &fig);
	}
}

/* GDPDJB slope grades: grade g covers slopes up to upper_deg[g] degrees (grade 5: above 25°). */
static const double slope_grade_upper_deg[6] = {0, 2, 6, 15, 25, INFINITY};

/*
 * The first grade some of whose land is steeper than deg degrees: the grades from it up are
 * refused by a limit of deg.  A limit between boundaries refuses the whole grade it cuts (20°
 * refuses grade 4), so that no slope above the limit gets through.  NaN (no limit in force): 6.
 */
static int
GradeAbove(double deg)
{
	if (isnan(deg))
		return 6;
	for (int g = 1; g <= 5; g++)
		if (slope_grade_upper_deg[g] > deg)
			return g;
	return 6;
}

/* R3.3: grade 5 never; grade 4 not in water-source areas, elsewhere only with a review reference. */
static void
JudgeSlope(Verdicts *out, const RuleInput *in, const char *use_code, double tolerance,
		   RuleMeasurement *ms, int nms)
{
	const RuleDef *rule = out->rule;
	const RuleMeasurement *water = FindMeasurement(ms, nms, "water_source");
	const RuleMeasurement *slope = FindMeasurement(ms, nms, "slope");
	int			grade = in->slope_grade;
	int			max_grade = GradeAbove(out->param(out->param_ctx, "cultivated.max_slope_deg"));
	int			water_grade = GradeAbove(out->param(out->param_ctx, "cultivated.water_source_max_slope_deg"));
	int			review_grade = GradeAbove(out->param(out->param_ctx, "cultivated.review_slope_deg"));
	bool		in_water = water && water->counted_m2 > tolerance;
	const char *why_zh = NULL;
	const char *why_en = NULL;
	int			limit = 0;
	StringInfoData fig;

	if (!rule->applies(in))
		return;
	/* Before the rule's window no slope limit is in force: nothing to judge. */
	if (max_grade > 5 && water_grade > 5 && review_grade > 5)
		return;
	if (grade == SLOPE_GRADE_NONE && slope)
		grade = slope->max_slope_grade;
	if (grade == SLOPE_GRADE_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("rule R3.3 needs the slope grade of the row, and it has none"),
				 errdetail("The row maps no slope_grade column (or its value is NULL) and no slope layer covers it."),
				 errhint("Map the row's GDPDJB column in attach() options {\"slope_grade\": \"pdjb\"}, or register a slope layer.")));
	if (grade < 1 || grade > 5)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("slope grade %d is out of range", grade),
				 errdetail("GDPDJB slope grades are 1 (≤2°) to 5 (>25°).")));

	if (grade >= max_grade)
	{
		why_zh = "坡度超过上限";
		why_en = "the slope exceeds the maximum for new cultivated land";
		limit = max_grade - 1;
	}
	else if (in_water && grade >= water_grade)
	{
		why_zh = "重要水源地内坡度超过上限";
		why_en = "inside an important water-source area the slope exceeds the maximum";
		limit = water_grade - 1;
	}
	else if (grade >= review_grade && !in->has_review)
	{
		why_zh = "坡度较陡，须经县级评估、省级复核（缺少复核文号）";
		why_en = "a slope this steep needs county evaluation and provincial review, and the row has no review reference";
		limit = review_grade - 1;
	}
	if (why_zh == NULL)
		return;

	initStringInfo(&fig);
	AppendJsonString(&fig, "use", use_code);
	AppendJsonRaw(&fig, "slope_grade", psprintf("%d", grade));
	AppendJsonRaw(&fig, "max_grade_allowed", psprintf("%d", limit));
	AppendJsonRaw(&fig, "in_water_source", in_water ? "true" : "false");
	EmitViolation(out,
				  psprintf("%s %s", rule->id,
						   Say(psprintf("%s：耕地用途 %s 位于坡度 %d 级，%s", rule->name_zh, use_code, grade, why_zh),
							   psprintf("%s: cultivated use %s on slope grade %d: %s", rule->name_en, use_code, grade, why_en))),
				  grade, limit,
				  Say(psprintf("坡度等级 %d（GDPDJB：1级≤2°，2级2–6°，3级6–15°，4级15–25°，5级>25°），允许至 %d 级；%s重要水源地内。",
							   grade, limit, in_water ? "" : "不在"),
					  psprintf("Slope grade %d (GDPDJB: 1 ≤2°, 2 2–6°, 3 6–15°, 4 15–25°, 5 >25°); grades up to %d are allowed here; the row is %sinside an important water-source area.",
							   grade, limit, in_water ? "" : "not ")),
				  Say(psprintf("依据：%s。", rule->basis), psprintf("Basis: %s.", rule->basis)), &fig);
}

/* The violations a row's measured facts amount to under one rule. */
List *
RuleJudge(const RuleDef *rule, const RuleInput *in, double tolerance,
		  RuleParamFn param, void *param_ctx, RuleMeasurement *ms, int nms)
{
	Verdicts	out = {NIL, rule, param, param_ctx};
	const char *use_code = in->use >= 0 ? LandClassLookup(in->use)->code : NULL;

	if (rule->slope_check)
		JudgeSlope(&out, in, use_code, tolerance, ms, nms);
	else
		JudgeOverlap(&out, in, use_code, tolerance, ms, nms);
	return out.list;
}

/*
 * The violations copied into cxt: a verdict reached inside SPI lives in SPI's memory, which
 * SPI_finish() frees, and the caller reports it after.
 */
List *
CopyViolations(List *violations, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	List	   *copy = NIL;
	ListCell   *lc;

	foreach(lc, violations)
	{
		RuleViolation *v = (RuleViolation *) lfirst(lc);
		RuleViolation *c = palloc(sizeof(RuleViolation));

		c->rule = v->rule;		/* static: the rule table's */
		c->message = pstrdup(v->message);
		c->detail = pstrdup(v->detail);
		c->hint = pstrdup(v->hint);
		c->measured = v->measured;
		c->limit = v->limit;
		c->figures_json = pstrdup(v->figures_json);
		copy = lappend(copy, c);
	}
	MemoryContextSwitchTo(old);
	return copy;
}

void
ViolationValues(const RuleDef *rule, const RuleViolation *v, Datum *values)
{
	values[0] = CStringGetTextDatum(v->rule);
	values[1] = CStringGetTextDatum("error");
	values[2] = CStringGetTextDatum(v->message);
	values[3] = CStringGetTextDatum(rule->basis);
	values[4] = Float8GetDatum(v->measured);
	values[5] = Float8GetDatum(v->limit);
	values[6] = DirectFunctionCall1(jsonb_in, CStringGetDatum(v->figures_json));
}

PG_FUNCTION_INFO_V1(rule_judge);
/* The violations a row's measured facts amount to under one rule (the shared verdict, as a set). */
Datum
rule_judge(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const RuleDef *rule;
	RuleInput	in = {-1, false, SLOPE_GRADE_NONE, false};
	double		tolerance;
	Jsonb	   *params = PG_ARGISNULL(6) ? NULL : PG_GETARG_JSONB_P(6);
	RuleMeasurement *ms = NULL;
	int			nms = 0;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("rule must not be NULL")));
	rule = RuleLookup(text_to_cstring(PG_GETARG_TEXT_PP(0)), false);
	if (!PG_ARGISNULL(1))
		in.use = PG_GETARG_LANDCLASS(1);
	in.is_pv = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	in.slope_grade = PG_ARGISNULL(3) ? SLOPE_GRADE_NONE : PG_GETARG_INT32(3);
	in.has_review = !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);
	tolerance = PG_ARGISNULL(5) ? 0.0 : PG_GETARG_FLOAT8(5);
	if (PG_ARGISNULL(7))		/* no facts: the rule did not concern the row */
		return (Datum) 0;
	nms = ReadMeasurements(PG_GETARG_ARRAYTYPE_P(7), &ms);

	foreach(lc, RuleJudge(rule, &in, tolerance, ParamFromJsonb, params, ms, nms))
	{
		Datum		values[VIOLATION_NATTS];
		bool		nulls[VIOLATION_NATTS] = {false};

		ViolationValues(rule, (RuleViolation *) lfirst(lc), values);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(lp_say);
/* landpolicy.say(zh, en): the message in the language landpolicy.lang asks for. */
Datum
lp_say(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(Say(text_to_cstring(PG_GETARG_TEXT_PP(0)),
										 text_to_cstring(PG_GETARG_TEXT_PP(1)))));
}

/* The rule and the use and PV flag of rule_concerns() and rule_applies(). */
static const RuleDef *
RuleAndInput(FunctionCallInfo fcinfo, RuleInput *in)
{
	in->use = PG_ARGISNULL(1) ? -1 : PG_GETARG_LANDCLASS(1);
	in->is_pv = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	in->slope_grade = SLOPE_GRADE_NONE;
	in->has_review = false;
	return RuleLookup(text_to_cstring(PG_GETARG_TEXT_PP(0)), false);
}

PG_FUNCTION_INFO_V1(rule_concerns);
/* Whether a rule's main test concerns a row of this use (layers kept free of any use aside). */
Datum
rule_concerns(PG_FUNCTION_ARGS)
{
	RuleInput	in;
	const RuleDef *rule = RuleAndInput(fcinfo, &in);

	PG_RETURN_BOOL(rule->applies(&in));
}

PG_FUNCTION_INFO_V1(rule_applies);
/* Whether a rule concerns a row with this use (and PV flag) at all. */
Datum
rule_applies(PG_FUNCTION_ARGS)
{
	RuleInput	in;
	const RuleDef *rule = RuleAndInput(fcinfo, &in);

	PG_RETURN_BOOL(RuleApplies(rule, &in));
}

static Datum
CsvToTextArray(const char *csv)
{
	ArrayBuildState *astate = NULL;
	char	   *copy = pstrdup(csv);
	char	   *save = NULL;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		astate = accumArrayResult(astate, CStringGetTextDatum(tok), false, TEXTOID, CurrentMemoryContext);
	if (astate == NULL)
		return PointerGetDatum(construct_empty_array(TEXTOID));
	return makeArrayResult(astate, CurrentMemoryContext);
}

/* One row of rule_catalog(): the columns both the attachable rules and the notes have. */
static void
PutCatalogRow(ReturnSetInfo *rsinfo, const char *id, const char *name_zh, const char *name_en,
			  const char *basis, Datum inputs, Datum optional_inputs, Datum params,
			  const char *kind, Datum sql_check, bool sql_check_null, const char *enforced_by)
{
	Datum		values[10];
	bool		nulls[10] = {false};

	values[0] = CStringGetTextDatum(id);
	values[1] = CStringGetTextDatum(name_zh);
	values[2] = CStringGetTextDatum(name_en);
	values[3] = CStringGetTextDatum(basis);
	values[4] = inputs;
	values[5] = optional_inputs;
	values[6] = params;
	values[7] = CStringGetTextDatum(kind);
	values[8] = sql_check;
	nulls[8] = sql_check_null;
	values[9] = CStringGetTextDatum(enforced_by);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

PG_FUNCTION_INFO_V1(rule_catalog);
/* Every rule: id, names, basis, inputs, parameters, how it is enforced. */
Datum
rule_catalog(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		none;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < lengthof(rule_table); i++)
	{
		const RuleDef *r = &rule_table[i];

		PutCatalogRow(rsinfo, r->id, r->name_zh, r->name_en, r->basis,
					  CsvToTextArray(r->inputs), CsvToTextArray(r->optional_inputs), CsvToTextArray(r->params),
					  r->log_only ? "log" : r->ledger ? "ledger" : "guard",
					  BoolGetDatum(r->sql_check), false,
					  psprintf("attach(table, '%s', options)", r->id));
	}
	none = PointerGetDatum(construct_empty_array(TEXTOID));
	for (int i = 0; i < lengthof(rule_notes); i++)
	{
		const RuleNote *r = &rule_notes[i];

		PutCatalogRow(rsinfo, r->id, r->name_zh, r->name_en, r->basis, none, none, none,
					  r->kind, (Datum) 0, true, r->enforced_by);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(rule_layers);
/* The layers each rule measures rows against, whether required, and the exemption kinds that count. */
Datum
rule_layers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < lengthof(rule_table); i++)
		for (int j = 0; j < RULE_MAX_LAYERS && rule_table[i].layers[j].kind; j++)
		{
			const RuleLayer *l = &rule_table[i].layers[j];
			Datum		values[5];
			bool		nulls[5] = {false};

			values[0] = CStringGetTextDatum(rule_table[i].id);
			values[1] = CStringGetTextDatum(l->kind);
			values[2] = BoolGetDatum(l->required);
			values[3] = CsvToTextArray(l->exemptions);
			values[4] = BoolGetDatum(l->any_use);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}
