/*
 * landpolicy.h — module-wide settings.
 */
#ifndef LANDPOLICY_H
#define LANDPOLICY_H

typedef enum LandPolicyLang
{
	LP_LANG_ZH,
	LP_LANG_EN,
	LP_LANG_BOTH
} LandPolicyLang;

/* landpolicy.lang: the language of violation messages. */
extern int	landpolicy_lang;

#endif
