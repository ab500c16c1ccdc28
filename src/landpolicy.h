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

/* 1 mu (亩) = 10000/15 m²: the unit of Chinese land statistics. */
#define MU_PER_M2 (15.0 / 10000.0)
/* m² to mu, multiplying before dividing (the balance aggregates' published rounding). */
#define M2_TO_MU(m2) ((m2) * 15.0 / 10000.0)

/* landpolicy.lang: the language of violation messages. */
extern int	landpolicy_lang;

#endif
