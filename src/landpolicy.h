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

/*
 * m² to mu (亩; 1 mu = 10000/15 m², the unit of Chinese land statistics), multiplying before
 * dividing, so that round figures stay round (1700 m² is 2.55 mu, not 2.5500000000000003).
 */
#define M2_TO_MU(m2) ((m2) * 15.0 / 10000.0)

/* landpolicy.lang: the language of violation messages. */
extern int	landpolicy_lang;

#endif
