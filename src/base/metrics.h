/* metrics.h — the Prometheus text exposition format (version 0.0.4) and the latency
 * histogram behind GET /metrics (docs/metrics.md).
 *
 * The layers that count something own their counters (C11 atomics, relaxed: a scrape may
 * see one observation more in a bucket than in _sum, never a torn value) and write their
 * own families with these functions when /metrics is read; serve only concatenates them.
 * So a family's samples are always written together, after its # HELP and # TYPE lines,
 * as the format requires.
 *
 * Output goes to a GString the caller owns. Names are the caller's literals (checked by
 * the unit tests, never built from input); label values may be anything and are escaped.
 * Nothing here allocates besides the GString's growth, and nothing locks. */
#ifndef CEJ_METRICS_H
#define CEJ_METRICS_H

#include <glib.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Upper bounds of the latency buckets: 1 ms … 2.5 s, then +Inf. Fixed, so that every
 * histogram of cej can be summed and compared with every other. */
#define METRICS_BUCKETS 11
extern const int64_t metrics_bucket_us[METRICS_BUCKETS];

/* A latency histogram. Zero-initialised storage is an empty histogram; observe from any
 * thread. Counts are kept per bucket (one atomic add per observation) and made cumulative
 * when written, the +Inf bucket being the total, so _count always equals it. */
struct metrics_histogram {
	_Atomic uint64_t counts[METRICS_BUCKETS + 1];   /* the last: beyond 2.5 s */
	_Atomic uint64_t sum_us;
};

/* The bucket of a duration of @us microseconds: the first whose bound is >= @us (a
 * Prometheus bucket holds what is less than or equal to its bound), METRICS_BUCKETS beyond
 * the last. A negative duration (a clock step) counts as 0. Pure. */
int metrics_bucket(int64_t us);
void metrics_observe(struct metrics_histogram *h, int64_t us);
/* Observations so far (the +Inf bucket). */
uint64_t metrics_histogram_count(const struct metrics_histogram *h);

struct metrics_label {
	const char *name;       /* [a-zA-Z_][a-zA-Z0-9_]*, never "le" (the histogram's own) */
	const char *value;      /* any UTF-8; NULL writes "" */
};

/* The "# HELP" and "# TYPE" lines of family @name; @type is "counter", "gauge" or
 * "histogram". Call once per family, before its samples. */
void metrics_family(GString *out, const char *name, const char *type, const char *help);
/* One sample: name{labels} value. @n may be 0 (no braces then). */
void metrics_sample(GString *out, const char *name, const struct metrics_label *labels,
		    size_t n, int64_t value);
/* The series of histogram @h under family @name: name_bucket{labels,le="…"} for every
 * bound and +Inf (cumulative), name_sum in seconds, name_count. */
void metrics_histogram(GString *out, const char *name, const struct metrics_label *labels,
		       size_t n, const struct metrics_histogram *h);

/* Appends @value escaped for a label value (backslash, double quote, line feed). */
void metrics_escape_label(GString *out, const char *value);

#endif
