/*
 * landpolicy.c — module entry point.
 */
#include "postgres.h"

#include "commands/extension.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
}

PG_FUNCTION_INFO_V1(in_extension_script);
/* True while CREATE/ALTER EXTENSION landpolicy runs our script; lets shipped rows be written only then. */
Datum
in_extension_script(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(creating_extension &&
				   CurrentExtensionObject == get_extension_oid("landpolicy", true));
}
