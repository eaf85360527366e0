/* clock.c — the injectable clock and French date wording. */
#include "base/clock.h"

#include "base/arena.h"

#include <glib.h>
#include <stdatomic.h>
#include <stdio.h>
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

static GDateTime *
local_time(int64_t t, const char *tz_name)
{
	GTimeZone *tz = g_time_zone_new_identifier(tz_name ? tz_name : "Europe/Paris");
	if (!tz)
		tz = g_time_zone_new_utc();
	GDateTime *utc = g_date_time_new_from_unix_utc(t / 1000);
	GDateTime *local = g_date_time_to_timezone(utc, tz);
	g_date_time_unref(utc);
	g_time_zone_unref(tz);
	return local;
}

static int
day_number(GDateTime *d)
{
	return g_date_time_get_year(d) * 400 + g_date_time_get_day_of_year(d);
}

char *
clock_fr_relative(struct arena *a, int64_t t, int64_t now, const char *tz)
{
	GDateTime *lt = local_time(t, tz), *ln = local_time(now, tz);
	GDateTime *yesterday = g_date_time_add_days(ln, -1);
	char *s;

	if (day_number(lt) == day_number(ln))
		s = arena_printf(a, "Aujourd’hui à %02dh%02d", g_date_time_get_hour(lt),
				 g_date_time_get_minute(lt));
	else if (day_number(lt) == day_number(yesterday))
		s = arena_printf(a, "Hier à %02dh%02d", g_date_time_get_hour(lt),
				 g_date_time_get_minute(lt));
	else
		s = arena_printf(a, "Le %02d/%02d/%04d à %02dh%02d", g_date_time_get_day_of_month(lt),
				 g_date_time_get_month(lt), g_date_time_get_year(lt),
				 g_date_time_get_hour(lt), g_date_time_get_minute(lt));
	g_date_time_unref(lt);
	g_date_time_unref(ln);
	g_date_time_unref(yesterday);
	return s;
}

char *
clock_fr_day(struct arena *a, int64_t t, const char *tz)
{
	GDateTime *d = local_time(t, tz);
	char *s = arena_printf(a, "%02d/%02d/%04d", g_date_time_get_day_of_month(d),
			       g_date_time_get_month(d), g_date_time_get_year(d));
	g_date_time_unref(d);
	return s;
}

char *
clock_iso_day(struct arena *a, int64_t t, const char *tz)
{
	GDateTime *d = local_time(t, tz);
	char *s = arena_printf(a, "%04d-%02d-%02d", g_date_time_get_year(d),
			       g_date_time_get_month(d), g_date_time_get_day_of_month(d));
	g_date_time_unref(d);
	return s;
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
