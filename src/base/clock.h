/* clock.h — "now", and the civil-time formats users read.
 *
 * Instants are int64 Unix milliseconds UTC. "Now" is never read by rules: use cases take
 * it as a parameter, and the server reads it through clock_now_ms(), which tests may shift
 * (see config test_clock). Civil times are computed in a structure's IANA zone with
 * GTimeZone, never by changing the process TZ. */
#ifndef CEJ_CLOCK_H
#define CEJ_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct arena;

int64_t clock_now_ms(void);
/* Shifts clock_now_ms() by @offset_ms (tests only; 0 restores the real clock). */
void clock_set_offset_ms(int64_t offset_ms);

/* "Aujourd’hui à 14h43", "Hier à 18h04" or "Le 19/12/2022 à 11h02" for instant @t seen
 * at @now in zone @tz (IANA name; NULL = Europe/Paris). Arena-owned. */
char *clock_fr_relative(struct arena *a, int64_t t, int64_t now, const char *tz);
/* "14h43": the wall-clock time of instant @t in zone @tz (NULL = Europe/Paris). Arena-owned. */
char *clock_fr_time(struct arena *a, int64_t t, const char *tz);
/* "dd/mm/yyyy" of a civil date "yyyy-mm-dd"; NULL if malformed. Arena-owned. */
char *clock_fr_date(struct arena *a, const char *iso_date);
/* "dd/mm/yyyy" of instant @t in zone @tz (NULL = Europe/Paris). Arena-owned. */
char *clock_fr_day(struct arena *a, int64_t t, const char *tz);
/* "yyyy-mm-dd" of instant @t in zone @tz (NULL = Europe/Paris). Arena-owned. */
char *clock_iso_day(struct arena *a, int64_t t, const char *tz);

/* Naive local datetimes "yyyy-MM-dd HH:mm:ss", as i-milo sends them in the zone of the
 * structure owning the object (spec/imilo.md §2). */
/* True when @s has that shape and names a real calendar time. */
bool clock_local_valid(const char *s);
/* The instant of @local in zone @tz: a time in a spring gap moves forward by the gap; an
 * ambiguous autumn time takes the first occurrence. false when @local is invalid. */
bool clock_local_to_ms(const char *tz, const char *local, int64_t *out);
/* "yyyy-MM-dd HH:mm:ss" of instant @t in zone @tz (NULL = Europe/Paris). Arena-owned. */
char *clock_local_format(struct arena *a, int64_t t, const char *tz);

/* RFC 5322 date of instant @t (for mail headers). Arena-owned. */
char *clock_rfc5322(struct arena *a, int64_t t);


/* Civil days: a date of the calendar as its number of days since 1970-01-01 (negative
 * before). Rules on due dates and weeks work on these, in the zone of the beneficiary's
 * structure. */
#define CLOCK_NO_DAY INT64_MIN
/* Day number of "yyyy-mm-dd", or CLOCK_NO_DAY when malformed or not a real date. */
int64_t clock_day_parse(const char *iso);
/* "yyyy-mm-dd" and "dd/mm/yyyy" of day @day. Arena-owned. */
char *clock_day_iso(struct arena *a, int64_t day);
char *clock_day_fr(struct arena *a, int64_t day);
/* The civil day of instant @t in zone @tz (NULL = Europe/Paris). */
int64_t clock_day_of(int64_t t, const char *tz);
/* The instant of @hour:@minute on @day in zone @tz (NULL = Europe/Paris); in a DST gap,
 * GLib moves forward. */
int64_t clock_day_at(int64_t day, int hour, int minute, const char *tz);
/* 0 = Monday … 6 = Sunday. */
int clock_day_weekday(int64_t day);
/* The Monday of @day's week. */
int64_t clock_day_monday(int64_t day);
/* @day moved by @months calendar months, clamped to the month's last day (31/01 + 1 →
 * 28/02 or 29/02). */
int64_t clock_day_add_months(int64_t day, int months);
/* "lundi" … "dimanche". Static. */
const char *clock_day_weekday_fr(int64_t day);
/* "mardi 5 mars 2024"; "5 mars". Arena-owned. */
char *clock_day_long_fr(struct arena *a, int64_t day);
char *clock_day_month_fr(struct arena *a, int64_t day);
/* "Lundi 9 octobre": a day's heading in a list of days. Arena-owned. */
char *clock_day_title_fr(struct arena *a, int64_t day);
/* 1–31. */
int clock_day_of_month(int64_t day);

#endif
