/*
 * fastpath.h — row rules decided in C against per-backend caches of the reference layers.
 */
#ifndef LANDPOLICY_FASTPATH_H
#define LANDPOLICY_FASTPATH_H

#include "postgres.h"

#include "utils/date.h"

#include "rules.h"

extern bool landpolicy_fast_path;
extern int	landpolicy_layer_cache_kb;

extern void FastPathInit(void);
extern bool FastPathEvaluate(const RuleDef *rule, const RuleInput *in, Datum geom, bool geom_null,
							 Datum jurisdiction, bool jurisdiction_null, DateADT at,
							 MemoryContext result_cxt, List **violations);

#endif
