/* clock.h — "now", and the civil-time formats users read.
 *
 * Instants are int64 Unix milliseconds UTC. "Now" is never read by rules: use cases take
 * it as a parameter, and the server reads it through clock_now_ms(), which tests may shift
 * (see config test_clock). Civil times are computed in a structure's IANA zone with
 * GTimeZone, never by changing the process TZ. */
#ifndef CEJ_CLOCK_H
#define CEJ_CLOCK_H

#include <stdint.h>

struct arena;

int64_t clock_now_ms(void);
/* Shifts clock_now_ms() by @offset_ms (tests only; 0 restores the real clock). */
void clock_set_offset_ms(int64_t offset_ms);

/* "Aujourd’hui à 14h43", "Hier à 18h04" or "Le 19/12/2022 à 11h02" for instant @t seen
 * at @now in zone @tz (IANA name; NULL = Europe/Paris). Arena-owned. */
char *clock_fr_relative(struct arena *a, int64_t t, int64_t now, const char *tz);
/* "dd/mm/yyyy" of a civil date "yyyy-mm-dd"; NULL if malformed. Arena-owned. */
char *clock_fr_date(struct arena *a, const char *iso_date);
/* "dd/mm/yyyy" of instant @t in zone @tz (NULL = Europe/Paris). Arena-owned. */
char *clock_fr_day(struct arena *a, int64_t t, const char *tz);
/* "yyyy-mm-dd" of instant @t in zone @tz (NULL = Europe/Paris). Arena-owned. */
char *clock_iso_day(struct arena *a, int64_t t, const char *tz);

/* RFC 5322 date of instant @t (for mail headers). Arena-owned. */
char *clock_rfc5322(struct arena *a, int64_t t);

#endif
