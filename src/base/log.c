/* log.c — timestamped lines on stderr. */
#include "base/log.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>

static int quiet;

void
log_set_quiet(int q)
{
	quiet = q;
}

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	GDateTime *now = g_date_time_new_now_utc();
	gchar *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");
	gchar *msg = g_strdup_vprintf(fmt, ap);
	fprintf(stderr, "%s.%03dZ %s %s\n", ts, g_date_time_get_microsecond(now) / 1000, level, msg);
	g_free(msg);
	g_free(ts);
	g_date_time_unref(now);
}

#define DEFINE_LOG(name, level, gate)                 \
	void name(const char *fmt, ...)               \
	{                                             \
		if (gate)                             \
			return;                       \
		va_list ap;                           \
		va_start(ap, fmt);                    \
		vlog(level, fmt, ap);                 \
		va_end(ap);                           \
	}

DEFINE_LOG(log_info, "info", quiet)
DEFINE_LOG(log_warn, "warn", 0)
DEFINE_LOG(log_error, "error", 0)
