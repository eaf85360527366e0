/* clock.c — the injectable clock and French date wording. */
#include "base/clock.h"

#include "base/arena.h"

#include <glib.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic int64_t offset_ms;

int64_t
clock_now_ms(void)
{
	return g_get_real_time() / 1000 + atomic_load(&offset_ms);
}

void
clock_set_offset_ms(int64_t off)
{
	atomic_store(&offset_ms, off);
}

/* Loaded zones, kept for the life of the process: GLib re-reads and re-parses the zoneinfo
 * file whenever the last reference to a zone goes, which made every displayed date cost
 * ~0.3 ms. A handful of names are ever used (one per structure).
 *
 * Each keeps its UTC offsets over a window of years around its loading, as a sorted table
 * of transitions: g_time_zone_find_interval walks the zone's transitions one by one
 * (~3,000 instructions a call for Europe/Paris), and a listing asks for every row. Out of
 * the window, GLib answers. */
#define ZONE_WINDOW_S (3 * 366 * 86400LL)
#define ZONE_TRANSITIONS 64

struct zone {
	GTimeZone *tz;
	int64_t from_s, to_s;              /* the window [from_s, to_s) */
	int n;                             /* transitions in the window */
	int64_t at[ZONE_TRANSITIONS];      /* instants (s) where the offset changes */
	int32_t off[ZONE_TRANSITIONS + 1]; /* off[i]: offset (s) before at[i]; off[n] after */
};

static GMutex zones_lock;
static GHashTable *zones;  /* name -> struct zone*, under zones_lock */

static int32_t
glib_offset(GTimeZone *tz, int64_t secs)
{
	return g_time_zone_get_offset(tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, secs));
}

/* Probes the offset week by week and bisects each change to the second: a few hundred
 * calls once per zone. Assumes no zone changes offset twice within a week. */
static void
zone_scan(struct zone *z, int64_t around_s)
{
	z->from_s = around_s - ZONE_WINDOW_S;
	z->to_s = around_s + ZONE_WINDOW_S;
	z->n = 0;
	int32_t cur = glib_offset(z->tz, z->from_s);
	z->off[0] = cur;
	for (int64_t s = z->from_s; s < z->to_s && z->n < ZONE_TRANSITIONS; s += 7 * 86400) {
		int64_t e = MIN(s + 7 * 86400, z->to_s - 1);
		int32_t next = glib_offset(z->tz, e);
		if (next == cur)
			continue;
		int64_t lo = s, hi = e;   /* offset(lo) == cur, offset(hi) != cur */
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;
			if (glib_offset(z->tz, mid) == cur)
				lo = mid;
			else
				hi = mid;
		}
		z->at[z->n++] = hi;
		z->off[z->n] = cur = next;
	}
	if (z->n == ZONE_TRANSITIONS)
		z->to_s = z->at[z->n - 1];   /* table full: the window ends at its last change */
}

static void
zone_free(gpointer p)
{
	struct zone *z = p;
	g_time_zone_unref(z->tz);
	g_free(z);
}

static struct zone *
zone_load(const char *name)
{
	g_mutex_lock(&zones_lock);
	if (!zones)
		zones = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, zone_free);
	struct zone *z = g_hash_table_lookup(zones, name);
	if (!z) {
		z = g_new0(struct zone, 1);
		z->tz = g_time_zone_new_identifier(name);
		if (!z->tz)
			z->tz = g_time_zone_new_utc();
		zone_scan(z, g_get_real_time() / 1000000);
		g_hash_table_insert(zones, g_strdup(name), z);
	}
	g_mutex_unlock(&zones_lock);
	return z;  /* borrowed: never freed before exit */
}

/* The zone @name, remembered per thread: a page formats a date per row, and the server
 * threads queued on zones_lock for the same zone each time. */
static struct zone *
zone(const char *name)
{
	static _Thread_local char last_name[64];
	static _Thread_local struct zone *last;

	if (last && strcmp(name, last_name) == 0)
		return last;
	struct zone *z = zone_load(name);
	if (strlen(name) < sizeof(last_name)) {
		strcpy(last_name, name);
		last = z;
	}
	return z;
}

/* The UTC offset (s) of @z at instant @secs. */
static int32_t
zone_offset(const struct zone *z, int64_t secs)
{
	if (secs < z->from_s || secs >= z->to_s)
		return glib_offset(z->tz, secs);
	int lo = 0, hi = z->n;   /* first transition after secs */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (z->at[mid] <= secs)
			lo = mid + 1;
		else
			hi = mid;
	}
	return z->off[lo];
}

#define DAY_MS 86400000LL

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Milliseconds of wall-clock time in @tz at instant @t (UTC ms + the zone's offset then). */
static int64_t
wall_ms(const struct zone *z, int64_t t)
{
	return t + (int64_t)zone_offset(z, floor_div(t, 1000)) * 1000;
}

/* Civil date of day @z since 1970-01-01 (H. Hinnant's civil_from_days): no allocation,
 * this runs for every row of a listing. */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *
put_2d(char *p, int v)   /* 0 ≤ v < 100 */
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

static char *
put_4d(char *p, int v)   /* 0 ≤ v < 10000 */
{
	return put_2d(put_2d(p, v / 100), v % 100);
}

char *
clock_fr_relative(struct arena *a, int64_t t, int64_t now, const char *tz_name)
{
	const struct zone *tz = zone(tz_name ? tz_name : "Europe/Paris");
	int64_t wt = wall_ms(tz, t), day = floor_div(wt, DAY_MS);
	int64_t today = floor_div(wall_ms(tz, now), DAY_MS);
	int64_t in_day = (wt - day * DAY_MS) / 60000;
	int hh = (int)(in_day / 60), mm = (int)(in_day % 60);
	int y, m, d;

	/* Written by hand, not printf: a portfolio formats one per row (a tenth of the
	 * page's instructions went to vsnprintf). */
	char buf[48], *p;
	if (day == today) {
		p = put_str(buf, "Aujourd’hui à ");
	} else if (day == today - 1) {
		p = put_str(buf, "Hier à ");
	} else {
		civil_from_days(day, &y, &m, &d);
		if (y < 0 || y > 9999)
			return arena_printf(a, "Le %02d/%02d/%d à %02dh%02d", d, m, y, hh, mm);
		p = put_str(buf, "Le ");
		p = put_2d(p, d);
		*p++ = '/';
		p = put_2d(p, m);
		*p++ = '/';
		p = put_4d(p, y);
		p = put_str(p, " à ");
	}
	p = put_2d(p, hh);
	*p++ = 'h';
	p = put_2d(p, mm);
	return arena_strndup(a, buf, (size_t)(p - buf));
}

char *
clock_fr_time(struct arena *a, int64_t t, const char *tz_name)
{
	int64_t wt = wall_ms(zone(tz_name ? tz_name : "Europe/Paris"), t);
	int64_t in_day = (wt - floor_div(wt, DAY_MS) * DAY_MS) / 60000;
	char buf[6], *p = put_2d(buf, (int)(in_day / 60));   /* by hand: a page prints hundreds */
	*p++ = 'h';
	put_2d(p, (int)(in_day % 60));
	return arena_strndup(a, buf, 5);
}

/* Through the zone's table of offsets, not GDateTime: a fiche writes one per action (a
 * sixth of its instructions went to g_date_time_to_timezone). */
char *
clock_fr_day(struct arena *a, int64_t t, const char *tz)
{
	return clock_day_fr(a, clock_day_of(t, tz));
}

char *
clock_iso_day(struct arena *a, int64_t t, const char *tz)
{
	return clock_day_iso(a, clock_day_of(t, tz));
}

char *
clock_fr_date(struct arena *a, const char *iso)
{
	int y, m, d;
	char tail;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy(d, m, y))
		return NULL;
	return arena_printf(a, "%02d/%02d/%04d", d, m, y);
}

char *
clock_rfc5322(struct arena *a, int64_t t)
{
	static const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	GDateTime *d = g_date_time_new_from_unix_utc(t / 1000);
	char *s = arena_printf(a, "%s, %02d %s %04d %02d:%02d:%02d +0000",
			       days[g_date_time_get_day_of_week(d) - 1], g_date_time_get_day_of_month(d),
			       months[g_date_time_get_month(d) - 1], g_date_time_get_year(d),
			       g_date_time_get_hour(d), g_date_time_get_minute(d),
			       g_date_time_get_second(d));
	g_date_time_unref(d);
	return s;
}

/* Civil dates as day numbers (days since 1970-01-01): the action rules count days, weeks
 * and months on the calendar of the beneficiary's structure, never on UTC instants. */

static int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* True when @s is exactly dddd-dd-dd: sscanf's %d alone would also take " 1" or "+1". */
static gboolean
iso_date_shape(const char *s)
{
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !g_ascii_isdigit(s[i]))
			return FALSE;
	return s[10] == '\0';
}

int64_t
clock_day_parse(const char *iso)
{
	int y, m, d;
	if (!iso || !iso_date_shape(iso) || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !g_date_valid_dmy(d, m, y))
		return CLOCK_NO_DAY;
	return days_from_civil(y, m, d);
}

char *
clock_day_iso(struct arena *a, int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		return arena_printf(a, "%04d-%02d-%02d", y, m, d);
	char buf[10], *p = put_4d(buf, y);
	*p++ = '-';
	p = put_2d(p, m);
	*p++ = '-';
	p = put_2d(p, d);
	return arena_strndup(a, buf, (size_t)(p - buf));
}

char *
clock_day_fr(struct arena *a, int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		return arena_printf(a, "%02d/%02d/%04d", d, m, y);
	char buf[10], *p = put_2d(buf, d);
	*p++ = '/';
	p = put_2d(p, m);
	*p++ = '/';
	p = put_4d(p, y);
	return arena_strndup(a, buf, (size_t)(p - buf));
}

int64_t
clock_day_of(int64_t t, const char *tz)
{
	return floor_div(wall_ms(zone(tz ? tz : "Europe/Paris"), t), DAY_MS);
}

int64_t
clock_day_at(int64_t day, int hour, int minute, const char *tz)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	GDateTime *dt = g_date_time_new(zone(tz ? tz : "Europe/Paris")->tz, y, m, d, hour, minute, 0);
	int64_t t = dt ? g_date_time_to_unix(dt) * 1000 : 0;
	if (dt)
		g_date_time_unref(dt);
	return t;
}

int
clock_day_weekday(int64_t day)
{
	int64_t r = (day + 3) % 7;  /* 1970-01-01 was a Thursday */
	return (int)(r < 0 ? r + 7 : r);
}

int64_t
clock_day_monday(int64_t day)
{
	return day - clock_day_weekday(day);
}

int64_t
clock_day_add_months(int64_t day, int months)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	int last = g_date_get_days_in_month((GDateMonth)m, (GDateYear)y);
	return days_from_civil(y, m, d > last ? last : d);
}

static const char *const fr_weekdays[] = {"lundi", "mardi", "mercredi", "jeudi",
					  "vendredi", "samedi", "dimanche"};
static const char *const fr_months[] = {"janvier", "février", "mars", "avril", "mai", "juin",
					"juillet", "août", "septembre", "octobre", "novembre",
					"décembre"};

const char *
clock_day_weekday_fr(int64_t day)
{
	return fr_weekdays[clock_day_weekday(day)];
}

char *
clock_day_long_fr(struct arena *a, int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return arena_printf(a, "%s %d %s %d", fr_weekdays[clock_day_weekday(day)], d,
			    fr_months[m - 1], y);
}

char *
clock_day_month_fr(struct arena *a, int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return arena_printf(a, "%d %s", d, fr_months[m - 1]);
}

char *
clock_day_title_fr(struct arena *a, int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	const char *w = fr_weekdays[clock_day_weekday(day)];
	/* Weekday names are ASCII: the capital is one byte. */
	return arena_printf(a, "%c%s %d %s", w[0] - 'a' + 'A', w + 1, d, fr_months[m - 1]);
}

int
clock_day_of_month(int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return d;
}

/* ---- naive local datetimes (i-milo) ---- */

static bool
digits_at(const char *s, const int *pos, int n)
{
	for (int i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[pos[i]]))
			return false;
	return true;
}

bool
clock_local_valid(const char *s)
{
	static const int digits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

	if (!s || strlen(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
	    s[16] != ':' || !digits_at(s, digits, G_N_ELEMENTS(digits)))
		return false;
	return g_date_valid_dmy((GDateDay)atoi(s + 8), (GDateMonth)atoi(s + 5),
				(GDateYear)atoi(s)) &&
	       atoi(s + 11) < 24 && atoi(s + 14) < 60 && atoi(s + 17) < 60;
}

/* Resolves wall-clock seconds @wall (the local time read as if UTC) to an instant. The
 * offsets half a day before and after cover any transition: a candidate is real when the
 * zone has its offset at that instant. Two real ones (autumn overlap): the first. None
 * (spring gap): the offset before the gap, which moves the time forward by the gap. */
static int64_t
resolve_wall(const struct zone *z, int64_t wall)
{
	int64_t before = zone_offset(z, wall - 43200), after = zone_offset(z, wall + 43200);
	int64_t t_before = wall - before, t_after = wall - after;
	bool ok_before = zone_offset(z, t_before) == before;
	bool ok_after = zone_offset(z, t_after) == after;

	if (ok_before && ok_after)
		return t_before < t_after ? t_before : t_after;
	if (ok_after)
		return t_after;
	return t_before;
}

bool
clock_local_to_ms(const char *tz, const char *local, int64_t *out)
{
	if (!clock_local_valid(local))
		return false;
	int64_t wall = days_from_civil(atoi(local), atoi(local + 5), atoi(local + 8)) * 86400 +
		       atoi(local + 11) * 3600 + atoi(local + 14) * 60 + atoi(local + 17);
	*out = resolve_wall(zone(tz ? tz : "Europe/Paris"), wall) * 1000;
	return true;
}

char *
clock_local_format(struct arena *a, int64_t t, const char *tz)
{
	int64_t wt = wall_ms(zone(tz ? tz : "Europe/Paris"), t);
	int64_t day = floor_div(wt, DAY_MS), in_day = (wt - day * DAY_MS) / 1000;
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int)(in_day / 3600),
			    (int)(in_day / 60 % 60), (int)(in_day % 60));
}
