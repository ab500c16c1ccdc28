/*
 * landpolicy.c — module entry point and settings.
 */
#include "postgres.h"

#include "commands/extension.h"
#include "fmgr.h"
#include "utils/guc.h"

#include "fastpath.h"
#include "landpolicy.h"

PG_MODULE_MAGIC;

int			landpolicy_lang = LP_LANG_BOTH;

static const struct config_enum_entry lang_options[] = {
	{"zh", LP_LANG_ZH, false},
	{"en", LP_LANG_EN, false},
	{"both", LP_LANG_BOTH, false},
	{NULL, 0, false}
};

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomEnumVariable("landpolicy.lang",
							 "Language of landpolicy's violation messages: zh, en or both.",
							 NULL,
							 &landpolicy_lang,
							 LP_LANG_BOTH,
							 lang_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	FastPathInit();
	MarkGUCPrefixReserved("landpolicy");
}

PG_FUNCTION_INFO_V1(in_extension_script);
/* True while CREATE/ALTER EXTENSION landpolicy runs our script; lets shipped rows be written only then. */
Datum
in_extension_script(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(creating_extension &&
				   CurrentExtensionObject == get_extension_oid("landpolicy", true));
}
